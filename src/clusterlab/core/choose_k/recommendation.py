"""From the sweep's scores to one k, with how sure we are and why, in words.

The rule (docs/recommendation.md gives the reasons and the benchmark behind them):

1. Each voting criterion names its favourite k over the whole range: silhouette (highest),
   Calinski-Harabasz (highest), Davies-Bouldin (lowest), elbow (knee of the inertia curve),
   stability (highest agreement between fits on resampled halves) and valleys (the largest k whose
   every boundary between neighbouring clusters runs through a dip in density).
2. A k is *admissible* when every boundary of its partition is a valley (dip test, p < 0.05): real
   clusters are dense regions separated by sparse ones. When some k is admissible, only admissible k
   can win; the one most criteria name wins. When none is, the k most criteria name wins. A k named
   by more than half of the criteria, stability among them, wins whether it is admissible or not
   (it cannot be "clear"). Ties go to the k that resampled fits reproduce best (stability), then to
   the higher silhouette; but among tied k that are admissible and reproduced (stability at least
   0.8), the largest wins: the coarser ones join groups that lie apart (:func:`pick_winner`).
   2b. A larger k that is admissible, reproduced (stability at least 0.8) and nests in the
   winner's partition replaces it, the largest such k, when its valleys are also valleys among the
   number columns of many values alone (between a category's levels the dip test finds gaps that
   are no groups): it splits some of the winner's clusters through gaps, and the other criteria
   barely see small groups beside big ones (:func:`finest_nested`; at most "moderate").
3. Structure: "clear" when the winner is admissible and its silhouette is at least 0.5 (Kaufman &
   Rousseeuw's "reasonable structure"); "none" when the silhouette is below 0.25, or when the
   winner is not admissible (no k in the range is, or a majority lifted the gate) and the silhouette
   is below 0.7 (their "strong structure"): the rows are one continuous cloud that K-Means can cut
   but that has no natural groups; else "weak". (Only a strong silhouette overrules the dip tests:
   in one or two dimensions K-Means cuts a single bell curve into segments with silhouettes of
   0.55-0.65.)
4. Confidence: "strong" when the structure is clear, most criteria (more than half) name the winner
   and resampled fits agree (stability) at least 0.8; "moderate" when the structure is not "none",
   at least half of the criteria agree and stability is at least 0.6; else "weak".
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .criteria import CRITERIA, refines
from .k_reasons import k_reason, nested_reason
from .levels import CLEAR, FAIRLY_STABLE, HALF, STABLE, STRONG, WEAK
from .sweep import KSweep

__all__ = [
    "Confirm",
    "Recommendation",
    "find_admissible",
    "finest_nested",
    "gate_by_valleys",
    "judge_confidence",
    "judge_structure",
    "name_favourites",
    "pick_winner",
    "recommend",
    "share_naming",
]

Confirm = Callable[[np.ndarray], bool]  # step 2b: is every boundary of these labels a valley there?
_RANK = {"weak": 0, "moderate": 1, "strong": 2}


@dataclass
class Recommendation:
    """The recommended k, how sure we are ("strong"/"moderate"/"weak") and why, in one sentence.

    ``structure`` is "clear", "weak" or "none"; ``votes`` maps each criterion to its favourite k;
    ``agreement`` is the share of criteria naming ``k``; ``stability`` the agreement of resampled fits
    at ``k``; ``silhouette`` the silhouette at ``k``; ``admissible`` the k whose every boundary is a
    valley; ``k_range`` the range finally swept; ``method`` the method recommended (K-Means unless
    the method was "auto" and another one described the data clearly better, see
    :mod:`.method_choice`).
    """

    k: int
    confidence: str
    structure: str
    reason: str
    votes: dict[str, int | None] = field(default_factory=dict)
    agreement: float | None = None
    stability: float | None = None
    silhouette: float | None = None
    admissible: list[int] = field(default_factory=list)
    k_range: list[int] = field(default_factory=list)
    # With method "auto" (:mod:`.method_choice`): the method recommended with ``k``, K-Means' own k,
    # each method compared with its evidence, and the methods whose evidence came close.
    method: str = "kmeans"
    kmeans_k: int | None = None
    methods: list[dict[str, Any]] = field(default_factory=list)
    alternatives: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def recommend(sweep: KSweep, finer: Confirm | None = None) -> Recommendation:
    """Recommend k from a sweep: the module docstring's steps, one function each.

    ``finer``: step 2b is on; it confirms that every boundary of a finer partition (its labels on
    the sweep's rows) is a valley among the measurements alone (numbers of many values):
    between the levels of a category, a yes/no or a count the dip test finds gaps that are no groups.
    None (the default): step 2b is off.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> X = np.concatenate([rng.normal(c, 0.3, size=(50, 2)) for c in ([0, 0], [5, 0], [0, 5])])
    >>> rec = recommend(sweep_k(X, range(2, 7)))  # doctest: +SKIP
    >>> rec.k, rec.confidence  # doctest: +SKIP
    (3, 'strong')
    """
    table = sweep.table.reset_index(drop=True)
    scores = table.set_index("k", drop=False)
    votes = name_favourites(table)  # step 1
    admissible = find_admissible(scores)  # step 2
    gate = gate_by_valleys(votes, admissible)  # step 2a
    k, decided_by = pick_winner(votes, admissible, gate, scores)
    voted = k
    if finer:  # step 2b
        labels = {c: fit.labels for c, fit in sweep.fits.items()}
        nested = finest_nested(k, admissible, scores, labels, finer)
        if nested is not None:
            k, decided_by = nested, "nested"
    silhouette = float(_column(scores, "silhouette").get(k, np.nan))
    stability = float(_column(scores, "stability").get(k, np.nan))
    agreement = share_naming(votes, k)
    structure = judge_structure(k, silhouette, admissible, valleys_scored="valleys" in table)  # step 3
    if decided_by == "nested":
        # The finer answer keeps the support of the criteria naming the answer it refines, but they
        # did not name it: at most "moderate".
        support = agreement + share_naming(votes, voted)
        confidence = min(judge_confidence(structure, support, stability), "moderate", key=_RANK.__getitem__)
        reason = nested_reason(k, voted, votes, silhouette, stability, structure, sweep)
    else:
        confidence = judge_confidence(structure, agreement, stability)  # step 4
        reason = k_reason(
            k, votes, silhouette, stability, structure, admissible, gated=bool(gate), decided_by=decided_by
        )
    ks = sweep.ks
    return Recommendation(
        k=int(k),
        confidence=confidence,
        structure=structure,
        reason=reason,
        votes=votes,
        agreement=round(agreement, 3),
        stability=None if np.isnan(stability) else round(stability, 3),
        silhouette=None if np.isnan(silhouette) else round(silhouette, 3),
        admissible=admissible,
        k_range=[min(ks), max(ks)] if ks else [],
    )


# --- the steps -------------------------------------------------------------------------------------
def name_favourites(table: pd.DataFrame) -> dict[str, int | None]:
    """Step 1: each voting criterion's favourite k over the whole range (None when it cannot say).

    Parameters
    ----------
    table : DataFrame
        The sweep's scores, one row per k (column ``k``, a column per criterion).

    Returns
    -------
    dict of criterion name -> k or None, in the registry's order.
    """
    return {c.name: c.best_k(table) for c in CRITERIA.values() if c.votes}


def find_admissible(scores: pd.DataFrame) -> list[int]:
    """Step 2: the k whose every boundary is a valley (a ``valleys`` score of 1), in the table's order.

    Parameters
    ----------
    scores : DataFrame
        The sweep's scores indexed by k; without a ``valleys`` column no k is admissible.

    Examples
    --------
    >>> find_admissible(pd.DataFrame({"valleys": [1.0, 0.5, 1.0]}, index=[2, 3, 4]))
    [2, 4]
    """
    return [int(k) for k, v in _column(scores, "valleys").items() if v >= 1.0]


def gate_by_valleys(votes: dict[str, int | None], admissible: list[int]) -> list[int]:
    """Step 2a: the k allowed to win, ``admissible``, or none (every k) when a majority lifts the gate.

    More than half of the criteria, stability among them, naming one k lift the gate. It guards
    against indices that cut a continuous cloud (Calinski-Harabasz and Davies-Bouldin drift up
    together); such a cut is not reproduced by fits on resampled rows. When most criteria and
    stability agree, one failed dip test is the weaker evidence: it loses power when neighbouring
    classes overlap or in high dimension. That k cannot be "clear" (step 3). An even split does not
    lift it, not even when most of that k's boundaries are valleys and resampled fits reproduce it
    (docs/recommendation.md, *Why an even split does not lift it*).

    Examples
    --------
    >>> gate_by_valleys({"silhouette": 4, "stability": 4, "valleys": 2}, [2])
    []
    >>> gate_by_valleys({"silhouette": 4, "stability": 3, "valleys": 2}, [2])
    [2]
    >>> gate_by_valleys({"silhouette": 4, "stability": 4, "elbow": 3, "valleys": 2}, [2])
    [2]
    """
    named = Counter(k for k in votes.values() if k is not None)
    majority = [k for k, n in named.items() if n > HALF * sum(named.values()) and votes.get("stability") == k]
    return [] if majority else admissible


def pick_winner(
    votes: dict[str, int | None], admissible: list[int], gate: list[int], scores: pd.DataFrame
) -> tuple[int, str]:
    """Step 2: the k most criteria name within the gate (every k when it is empty), and what decided.

    Ties go to the k that resampled fits reproduce best (stability), then to the higher silhouette,
    then to the smaller k. But when several tied k are admissible and reproduced (stability at least
    ``STABLE``), the largest of them wins: both partitions come back on every resample, so a higher
    stability no longer says which is truer (a coarse partition that merges groups lying apart is as
    reproducible as the fine one, 1.000 against 0.993), and every boundary of the finer one runs
    through a gap, so the coarser one joins groups with a gap between them. When no criterion names
    a k in the gate, the largest admissible k, else the k of the best silhouette, is the answer.

    Returns
    -------
    k : int
    decided_by : str
        "votes" (one k named most often), "finer", "stability" or "silhouette" (among tied k), or,
        when no criterion names a k in the gate, "valleys" or "silhouette"; the reason says it in
        words.
    """
    counted = Counter(k for k in votes.values() if k is not None and (not gate or k in gate))
    silhouette, stability = _column(scores, "silhouette"), _column(scores, "stability")
    if not counted:
        if admissible:
            return max(admissible), "valleys"
        return _best(silhouette, scores), "silhouette"
    top = max(counted.values())
    tied = [k for k, n in counted.items() if n == top]
    k = max(tied, key=lambda c: (_or_minus_one(stability, c), _or_minus_one(silhouette, c), -c))
    if len(tied) == 1:
        return k, "votes"
    apart = [c for c in tied if c in admissible and _or_minus_one(stability, c) >= STABLE]
    if len(apart) > 1:
        return max(apart), "finer"
    tied_stability = {round(float(_or_minus_one(stability, c)), 12) for c in tied}
    return k, "stability" if len(tied_stability) > 1 else "silhouette"


def finest_nested(
    k: int,
    admissible: list[int],
    scores: pd.DataFrame,
    labels: dict[int, np.ndarray],
    confirm: Confirm | None = None,
) -> int | None:
    """Step 2b: the largest k above the answer ``k`` that is admissible, reproduced (stability at
    least ``STABLE``), nests in ``k``'s partition (each of its clusters inside one of ``k``'s) and,
    with ``confirm``, passes it (every boundary a valley among the measurements alone), or None.

    Such a partition splits some of the answer's clusters, each split through a gap in the data,
    and comes back on resampled rows: the answer joined groups that lie apart. Silhouette,
    Calinski-Harabasz and Davies-Bouldin weigh each row alike, so small or sparse groups beside
    big dense ones barely move them (unbalance: 6 of its 8 groups, the 3 sparse ones joined
    in 1), and stability cannot tell the finer answer from the coarse one when both come back. The
    valleys must hold among the measurements (``recommend``'s ``finer``): between the levels of a
    category or a count the dip test finds gaps that are no groups.

    Examples
    --------
    >>> scores = pd.DataFrame({"stability": [1.0, 0.9, 0.5]}, index=[2, 3, 4])
    >>> labels = {2: np.array([0, 0, 0, 0, 1, 1]), 3: np.array([0, 0, 2, 2, 1, 1]), 4: np.arange(6) % 4}
    >>> finest_nested(2, [2, 3, 4], scores, labels)  # 4 is not reproduced; 3 splits 2's first cluster
    3
    """
    stability = _column(scores, "stability")
    finer = sorted((c for c in admissible if c > k and _or_minus_one(stability, c) >= STABLE), reverse=True)
    for c in finer:
        if c not in labels or k not in labels:
            continue
        if refines(np.asarray(labels[c]), np.asarray(labels[k])) and (confirm is None or confirm(labels[c])):
            return c
    return None


def share_naming(votes: dict[str, int | None], k: int) -> float:
    """The share of the criteria that name a k at all which name ``k`` (0 when none does).

    >>> share_naming({"silhouette": 3, "elbow": 3, "stability": 4, "valleys": None}, 3)
    0.6666666666666666
    """
    voters = sum(v is not None for v in votes.values())
    agree = sum(v == k for v in votes.values())
    return agree / voters if voters else 0.0


def judge_structure(k: int, silhouette: float, admissible: list[int], valleys_scored: bool) -> str:
    """Step 3: "clear", "weak" or "none", from the valleys and the silhouette at ``k``.

    ``valleys_scored`` says whether the sweep ran the dip tests at all: without them, "no admissible
    k" says nothing about the data. A missing silhouette counts as 0.

    Examples
    --------
    >>> judge_structure(3, 0.6, [3], True), judge_structure(3, 0.6, [], True), judge_structure(3, 0.6, [], False)
    ('clear', 'none', 'weak')

    The winner's own boundaries count, not another k's: a 2-D uniform square cut in 4 quadrants
    (silhouette about 0.42) stays "none" when a dip test found a gap at k = 2 by chance (p < 0.05
    fails one uniform table in twenty); only a strong silhouette says more.

    >>> judge_structure(4, 0.42, [2], True), judge_structure(4, 0.72, [2], True)
    ('none', 'weak')
    """
    value = np.nan_to_num(silhouette, nan=0.0)
    if k in admissible and value >= CLEAR:
        return "clear"
    if value < WEAK or (k not in admissible and valleys_scored and value < STRONG):
        return "none"
    return "weak"


def judge_confidence(structure: str, agreement: float, stability: float) -> str:
    """Step 4: "strong", "moderate" or "weak", from the structure, the criteria's agreement and the
    stability at the winner (a missing stability, NaN, does not count against it).

    Examples
    --------
    >>> judge_confidence("clear", 0.8, 0.9), judge_confidence("clear", 0.5, 0.9), judge_confidence("none", 1.0, 1.0)
    ('strong', 'moderate', 'weak')
    """
    steady = np.isnan(stability) or stability >= STABLE
    fairly = np.isnan(stability) or stability >= FAIRLY_STABLE
    if structure == "clear" and agreement > HALF and steady:
        return "strong"
    if structure != "none" and agreement >= HALF and fairly:
        return "moderate"
    return "weak"


def _column(table: pd.DataFrame, name: str) -> pd.Series:
    return table[name].astype(float) if name in table else pd.Series(dtype=float)


def _or_minus_one(scores: pd.Series, k: int) -> float:
    """A score at ``k`` for ranking tied k: a missing one ranks below every real one."""
    return float(np.nan_to_num(scores.get(k, np.nan), nan=-1.0))


def _best(silhouette: pd.Series, scores: pd.DataFrame) -> int:
    return int(silhouette.idxmax()) if silhouette.notna().any() else int(scores["k"].iloc[0])
