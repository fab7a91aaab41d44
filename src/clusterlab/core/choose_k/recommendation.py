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
   the higher silhouette.
3. Structure: "clear" when the winner is admissible and its silhouette is at least 0.5 (Kaufman &
   Rousseeuw's "reasonable structure"); "none" when the silhouette is below 0.25, or when no k in
   the range has a valley at every boundary and the silhouette is below 0.7 (their "strong
   structure"): the rows are one continuous cloud that K-Means can cut but that has no natural
   groups; else "weak". (Only a strong silhouette overrules the dip tests: in one or two dimensions
   K-Means cuts a single bell curve into segments with silhouettes of 0.55-0.65.)
4. Confidence: "strong" when the structure is clear, most criteria (more than half) name the winner
   and resampled fits agree (stability) at least 0.8; "moderate" when the structure is not "none",
   at least half of the criteria agree and stability is at least 0.6; else "weak".
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .criteria import CRITERIA
from .sweep import KSweep

__all__ = ["Recommendation", "recommend"]

STRONG, CLEAR, WEAK = 0.7, 0.5, 0.25  # silhouette levels after Kaufman & Rousseeuw (1990)
HALF = 0.5  # share of criteria naming the winner: more than this for strong, at least this for moderate
STABLE, FAIRLY_STABLE = 0.8, 0.6  # stability (mean ARI between resampled fits) for strong / moderate


@dataclass
class Recommendation:
    """The recommended k, how sure we are ("strong"/"moderate"/"weak") and why, in one sentence.

    ``structure`` is "clear", "weak" or "none"; ``votes`` maps each criterion to its favourite k;
    ``agreement`` is the share of criteria naming ``k``; ``stability`` the agreement of resampled fits
    at ``k``; ``silhouette`` the silhouette at ``k``; ``admissible`` the k whose every boundary is a
    valley; ``k_range`` the range finally swept.
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

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def recommend(sweep: KSweep) -> Recommendation:
    """Recommend k from a sweep (see the module docstring for the rule).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> X = np.concatenate([rng.normal(c, 0.3, size=(50, 2)) for c in ([0, 0], [5, 0], [0, 5])])
    >>> rec = recommend(sweep_k(X, range(2, 7)))  # doctest: +SKIP
    >>> rec.k, rec.confidence  # doctest: +SKIP
    (3, 'strong')
    """
    table = sweep.table.reset_index(drop=True)
    indexed = table.set_index("k", drop=False)
    silhouette = _column(indexed, "silhouette")
    # Step 1: every voting criterion names its favourite k over the whole range.
    votes = {c.name: c.best_k(table) for c in CRITERIA.values() if c.votes}
    # Step 2: only admissible k (a valley at every boundary) can win when there are any.
    admissible = [int(k) for k, v in _column(indexed, "valleys").items() if v >= 1.0]
    named = Counter(k for k in votes.values() if k is not None)
    # Step 2a: ...unless more than half of the criteria, stability among them, name one k. The gate
    # guards against indices that cut a continuous cloud (Calinski-Harabasz and Davies-Bouldin drift
    # up together); such a cut is not reproduced by fits on resampled rows. When most criteria and
    # stability agree, one failed dip test is the weaker evidence: it loses power when neighbouring
    # classes overlap or in high dimension (digits: silhouette, Davies-Bouldin and stability name
    # the 10 digits, whose boundaries are not all valleys). That k cannot be "clear" (step 3).
    majority = [k for k, n in named.items() if n > HALF * sum(named.values()) and votes.get("stability") == k]
    gate = [] if majority else admissible
    counted = Counter(k for k in votes.values() if k is not None and (not gate or k in gate))
    fallback = not counted
    if fallback:
        counted = Counter({max(admissible) if admissible else _best(silhouette, table): 0})
    top = max(counted.values())
    tied = [k for k, n in counted.items() if n == top]
    stability = _column(indexed, "stability")
    # What decided among the tied k, for the reason: the votes alone, stability, or the silhouette
    # (which also decides when no criterion names a k in the gate: the largest admissible k, else
    # the best silhouette, is then the answer).
    tied_stability = {round(float(np.nan_to_num(stability.get(c, np.nan), nan=-1.0)), 12) for c in tied}
    if fallback:
        decided_by = "valleys" if admissible else "silhouette"
    else:
        decided_by = "votes" if len(tied) == 1 else "stability" if len(tied_stability) > 1 else "silhouette"
    k = max(
        tied,
        key=lambda c: (
            np.nan_to_num(stability.get(c, np.nan), nan=-1.0),
            np.nan_to_num(silhouette.get(c, np.nan), nan=-1.0),
            -c,
        ),
    )
    voters = sum(v is not None for v in votes.values())
    agree = sum(v == k for v in votes.values())
    agreement = agree / voters if voters else 0.0
    sil = float(silhouette.get(k, np.nan))
    stable = float(stability.get(k, np.nan))
    # Step 3: structure from the valleys and the silhouette.
    sil_value = np.nan_to_num(sil, nan=0.0)
    if k in admissible and sil_value >= CLEAR:
        structure = "clear"
    elif sil_value < WEAK or (not admissible and "valleys" in table and sil_value < STRONG):
        structure = "none"
    else:
        structure = "weak"
    # Step 4: confidence from structure, agreement and stability (a missing stability does not count).
    steady = np.isnan(stable) or stable >= STABLE
    fairly = np.isnan(stable) or stable >= FAIRLY_STABLE
    if structure == "clear" and agreement > HALF and steady:
        confidence = "strong"
    elif structure != "none" and agreement >= HALF and fairly:
        confidence = "moderate"
    else:
        confidence = "weak"
    ks = sweep.ks
    return Recommendation(
        k=int(k),
        confidence=confidence,
        structure=structure,
        reason=_reason(k, votes, sil, stable, structure, admissible, gated=bool(gate), decided_by=decided_by),
        votes=votes,
        agreement=round(agreement, 3),
        stability=None if np.isnan(stable) else round(stable, 3),
        silhouette=None if np.isnan(sil) else round(sil, 3),
        admissible=admissible,
        k_range=[min(ks), max(ks)] if ks else [],
    )


def _column(table: pd.DataFrame, name: str) -> pd.Series:
    return table[name].astype(float) if name in table else pd.Series(dtype=float)


def _best(silhouette: pd.Series, table: pd.DataFrame) -> int:
    return int(silhouette.idxmax()) if silhouette.notna().any() else int(table["k"].iloc[0])


def _reason(
    k: int,
    votes: dict[str, int | None],
    silhouette: float,
    stability: float,
    structure: str,
    admissible: list[int],
    gated: bool,
    decided_by: str,
) -> str:
    """One sentence a non-expert can follow: what the criteria say, why this k, how clear it is."""
    named = [v for v in votes.values() if v is not None]
    agree, voters = sum(v == k for v in named), len(named)
    valleys, any_valleys = k in admissible, bool(admissible)
    resampled = "" if np.isnan(stability) else f"; fits on resampled data agree {stability:.0%} of the time"
    sil = "n/a" if np.isnan(silhouette) else f"{silhouette:.2f}"
    gap = "whose every boundary runs through a gap in the data"
    # When at most a third of the criteria name the winner, "1 of 6 criteria point to 2" hides that
    # the others scatter: say they disagree, which numbers they name, and what decided.
    disagree = voters >= 3 and agree * 3 <= voters
    if disagree:
        why = {
            "votes": "named most often",
            "stability": "the one resampled fits reproduce best",
            "silhouette": "the one with the highest silhouette",
            "valleys": "the largest",
        }[decided_by]
        if gated and admissible == [k]:
            choice = f"{k} is the only number {gap}"
        elif gated:
            choice = f"of the numbers {gap} ({_and_list(admissible)}), {k} is {why}"
        else:
            choice = f"{k} is {why}"
        criteria = f"the criteria disagree, naming {_and_list(sorted(set(named)))} clusters; {choice}"
    else:
        criteria = f"{agree} of {voters} criteria point to {k} clusters"
    if structure == "none":
        if any_valleys:
            why_none = f"the silhouette is only {sil}, far below the 0.5 of well-separated groups"
        elif not np.isnan(silhouette) and silhouette >= CLEAR:
            why_none = f"the silhouette of {sil} is short of the {STRONG} that would outweigh that"
        else:
            why_none = f"the silhouette is only {sil}"
        gaps = "no way of splitting the rows runs through a gap in the data and " if not any_valleys else ""
        hint = ""
        if valleys and not np.isnan(stability) and stability >= STABLE:
            # A split through a gap that comes back on every resample, with a low silhouette: the
            # groups may differ in a few columns while many others do not (those add distance inside
            # and between clusters alike, and dilute the silhouette).
            hint = (
                " The split itself runs through a gap and is reproducible: if many columns are "
                "unrelated to the groups you look for, leaving them out may show a clearer structure."
            )
        return (
            f"No clear cluster structure: {gaps}{why_none}, so treat any grouping as a convenient "
            f"partition rather than natural segments; if you need groups, {k} is the most defensible "
            f"number ({criteria}{resampled}).{hint}"
        )
    quality = "clear" if structure == "clear" else "weak"
    if disagree and gated:
        separation = ""  # already said: the winner is among the partitions with a gap at every boundary
    elif valleys:
        separation = ", and every boundary between them runs through a gap in the data"
    else:
        separation = (
            f", but some of {'its clusters' if disagree else 'them'} touch without a gap between them"
        )
    text = f"{criteria}{separation} (silhouette {sil}, a {quality} structure){resampled}."
    return text[:1].upper() + text[1:]


def _and_list(values: list[int]) -> str:
    """[2, 7, 10] -> '2, 7 and 10'."""
    text = [str(v) for v in values]
    return text[0] if len(text) == 1 else ", ".join(text[:-1]) + " and " + text[-1]
