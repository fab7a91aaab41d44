"""One recommendation for method and k: K-Means, a Gaussian mixture or a density method.

K-Means' own recommendation (the sweep's six criteria, :mod:`.recommendation`) is the default. Two
alternatives are fitted on a seeded sample of at most ``COMPARE_ROWS`` rows and judged by criteria
that mean the same for every method (docs/recommendation.md, "Which method"):

* **reproducibility**: fits on resampled halves of the sample, compared on the rows they share
  (adjusted Rand index); a partition that is really in the data comes back every time;
* **density-based validity** (DBCV, Moulavi et al. 2014): per cluster, the widest gap inside it
  (the largest edge of its minimum spanning tree under mutual reachability, between interior rows)
  against the narrowest gap to another cluster; -1..1, rows left as noise count as 0. It judges
  any partition, convex or not, so K-Means' partition gets the same score as the others.

The candidates and when they win (every other case, and always when K-Means' own recommendation is
"strong", keeps K-Means):

1. **Density** (HDBSCAN; smallest cluster 1%, 2% or 5% of the rows, whichever partition leaving at
   most ``MAX_NOISE`` as noise has the
   highest DBCV): its clusters are non-convex when it finds at least two of them, leaves at most
   ``MAX_NOISE`` of the rows as noise, is reproducible (at least ``STABLE``, or when K-Means' own
   answer is less reproducible than that, at least ``FAIRLY_STABLE`` and ``MARGIN`` more than K-Means'), disagrees with K-Means
   (ARI below ``SAME``), and its clusters are separated by density (DBCV at least ``MIN_VALIDITY``)
   clearly better than K-Means' with as many clusters (``MARGIN`` above its DBCV). The same-k
   comparison is the fair one: on two moons beside a blob, K-Means' 2 clusters (both moons together)
   are as valid as HDBSCAN's 3, but K-Means cannot draw 3 without cutting a moon.
2. **Gaussian mixture** (full covariance, k from 1 up by ICL, the integrated completed likelihood:
   BIC plus the entropy of the memberships, which rewards well-separated components): its clusters
   are elongated or unequal when ICL names at least two components, the mixture's partition
   disagrees with K-Means' (ARI below ``SAME``), is reproducible (as the density candidate; not "as
   reproducible as K-Means": K-Means cuts elongated groups the same wrong way every time) and its
   components are elongated (median axis ratio at least ``ELONGATED``) or unequal in spread (volume ratio at least ``ELONGATED ** 2``),
   and none of them has collapsed onto a discrete column's value (:func:`_collapsed`).
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from typing import Any

import numpy as np

from ..methods.density import MIN_SAMPLES as HDBSCAN_MIN_SAMPLES
from ..methods.threads import one_thread
from .criteria import adjusted_rand
from .density_validity import MIN_SAMPLES, cluster_validity, density_validity, mutual_reachability
from .recommendation import FAIRLY_STABLE, STABLE, Recommendation

__all__ = [
    "Candidate",
    "MethodChoice",
    "choose_method",
    "comparison_rows",
    "decide",
    "elongation",
    "icl",
    "min_cluster_size",
    "refines",
]

COMPARE_ROWS = 2000  # rows on which methods are compared (DBCV is quadratic in them)
SAME = 0.8  # ARI at or above which two partitions are the same answer, and K-Means' suffices
MARGIN = 0.2  # how much higher a density partition's validity must be than K-Means' (DBCV is -1..1)
MAX_NOISE = 0.2  # at most this share of rows left as noise by a density partition worth recommending
ELONGATED = 2.0  # median ratio of a component's longest to shortest axis that makes it elongated
MIN_VALIDITY = 1 / 3  # DBCV a density partition needs: gaps between clusters 1.5 times the widest inside
MIN_CLUSTER_SHARES = (0.01, 0.02, 0.05)  # HDBSCAN's smallest cluster, as shares of the rows, tried
NESTED = 0.95  # share of a finer partition's rows inside one cluster each of a coarser one: it refines it
RESAMPLES = 4  # pairs of resampled fits per reproducibility score
MIXTURE_K_MAX = 15  # largest number of mixture components tried (ICL)
ICL_PATIENCE = 2  # components tried past the best ICL so far before the scan stops


@dataclass
class Candidate:
    """One method's answer on the comparison sample and its evidence (``None`` when not measured)."""

    method: str
    k: int
    stability: float | None = None
    validity: float | None = None  # DBCV of its partition on the sample
    agreement_with_kmeans: float | None = None  # ARI between its partition and K-Means'
    noise: float | None = None  # share of rows left as noise (density)
    min_cluster_share: float | None = None  # HDBSCAN's smallest cluster as a share of the rows (density)
    all_valid: bool | None = None  # every cluster farther from the others than its widest inner gap (density)
    refines: list[str] = field(default_factory=list)  # coarser answers holding each of its clusters (density)
    kmeans_validity: float | None = None  # DBCV of K-Means' partition with as many clusters (density)
    elongation: float | None = None  # median axis ratio of its components (mixture)
    unequal: float | None = None  # ratio of the largest to the smallest component volume (mixture)
    collapsed: float | None = None  # share of components flat in some direction (mixture; see _collapsed)


@dataclass
class MethodChoice:
    """The recommended method and k, how sure, why in one sentence, and the candidates compared."""

    method: str
    k: int
    confidence: str
    reason: str
    candidates: list[Candidate] = field(default_factory=list)
    alternatives: list[str] = field(default_factory=list)  # methods whose evidence was close

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def applied_to(self, kmeans: Recommendation) -> Recommendation:
        """K-Means' recommendation with this choice in it: method, k, confidence and reason are the
        choice's, K-Means' own k is kept in ``kmeans_k`` and the sweep's scores stay as they are.

        The structure K-Means' sweep judged (valleys, silhouette) says nothing about another method's
        clusters: when one wins, its evidence is the structure, "clear" with strong confidence and
        "weak" otherwise."""
        structure = kmeans.structure
        if self.method != "kmeans":
            structure = "clear" if self.confidence == "strong" else "weak"
        return replace(
            kmeans,
            structure=structure,
            method=self.method,
            k=self.k,
            confidence=self.confidence,
            reason=self.reason,
            kmeans_k=kmeans.k,
            methods=[_plain(asdict(c)) for c in self.candidates],
            alternatives=list(self.alternatives),
        )

    def method_options(self, n_rows: int) -> dict[str, Any]:
        """The settings the chosen method is fitted with on ``n_rows`` rows, as it was judged: a
        full-covariance mixture; HDBSCAN with the smallest cluster share that won."""
        if self.method == "gmm":
            return {"covariance": "full"}
        density = next((c for c in self.candidates if c.method == "hdbscan"), None)
        if self.method == "hdbscan" and density is not None and density.min_cluster_share is not None:
            return {"min_cluster_size": min_cluster_size(density.min_cluster_share, n_rows)}
        return {}


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    """JSON-ready: numpy floats as floats, NaN as None."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        if isinstance(value, (float, np.floating)):
            out[key] = None if np.isnan(value) else float(value)
        else:
            out[key] = value
    return out


def choose_method(
    X: np.ndarray,
    kmeans: Recommendation,
    kmeans_labels: Mapping[int, np.ndarray],
    seed: int,
    shape: np.ndarray | None = None,
) -> MethodChoice:
    """Compare K-Means (its recommendation and labels on ``X``) with a mixture and a density method.

    Parameters
    ----------
    X : the rows as the clustering sees them (or the sweep's sample of them)
    kmeans : K-Means' recommendation from the sweep
    kmeans_labels : K-Means' labels for the rows of ``X`` by k (the sweep's fits; at least ``kmeans.k``;
        a k missing here is fitted on the comparison sample when needed)
    seed : the run's seed (the comparison sample and every fit)
    shape : the linear map from ``X`` to the columns density is measured in (HDBSCAN's fits and every
        partition's density-based validity: the numbers', ``Preprocessor.shape_projection``), None:
        ``X`` itself
    """
    # One thread for BLAS and OpenMP: these fits are small, and on a busy machine spinning threads
    # wait for each other (a 12-component mixture on 800 rows: 5 s with two threads, 0.3 s with one).
    with one_thread():
        return _choose(X, kmeans, kmeans_labels, seed, shape)


def _choose(
    X: np.ndarray,
    kmeans: Recommendation,
    kmeans_labels: Mapping[int, np.ndarray],
    seed: int,
    shape: np.ndarray | None,
) -> MethodChoice:
    if kmeans.confidence == "strong":
        # A strong K-Means answer (clear structure, most criteria, reproducible) is not second-guessed:
        # on round groups close together a density method merges neighbours with a better DBCV.
        km = Candidate("kmeans", kmeans.k, stability=kmeans.stability)
        return MethodChoice("kmeans", kmeans.k, kmeans.confidence, kmeans.reason, [km], [])
    rows = comparison_rows(len(X), seed)
    S = np.asarray(X[rows], dtype=np.float64)
    D = S if shape is None else S @ shape  # where density is measured
    km_labels = np.asarray(kmeans_labels[kmeans.k])[rows]
    mr = mutual_reachability(D)
    km = Candidate(
        "kmeans", kmeans.k, stability=kmeans.stability, validity=round(density_validity(mr, km_labels), 3)
    )
    density, density_labels = _density_candidate(D, mr, km_labels, seed)
    if density is not None and density.k >= 2:
        same_k = _kmeans_labels_at(density.k, kmeans_labels, rows, S, seed)
        density.kmeans_validity = round(density_validity(mr, same_k), 3)
    mixture, mixture_labels = _mixture_candidate(S, mr, km_labels, seed)
    if density is not None and density_labels is not None and density.k >= 2 and density.k in kmeans_labels:
        # Which coarser answers hold each of density's clusters (K-Means' only where its k was swept:
        # K-Means may then be recommended at density's k, see _finer_groups).
        coarser = {"kmeans": km_labels} | ({} if mixture is None else {"gmm": mixture_labels})
        density.refines = [
            name
            for name, labels in coarser.items()
            if labels is not None and int(labels.max()) + 1 < density.k and refines(density_labels, labels)
        ]
    # Reproducibility is the costly measure (eight or five more fits): only for a candidate that
    # passes the other tests and could change the answer or be shown beside it.
    if density is not None and _worth_resampling(density) and (density.validity or -1.0) >= MIN_VALIDITY:
        share = density.min_cluster_share or MIN_CLUSTER_SHARES[0]
        density.stability = round(_overlap_stability(D, seed, lambda part: _hdbscan(part, share)), 3)
    if mixture is not None and _worth_resampling(mixture):
        k = mixture.k
        mixture.stability = round(_half_stability(S, seed, lambda part: _mixture(part, k, seed)), 3)
    candidates = [c for c in (km, density, mixture) if c is not None]
    return decide(kmeans, km, density, mixture, candidates)


def comparison_rows(n: int, seed: int) -> np.ndarray:
    """The seeded sample of at most ``COMPARE_ROWS`` of ``n`` rows that methods are judged on, in order."""
    if n <= COMPARE_ROWS:
        return np.arange(n)
    return np.sort(np.random.default_rng([seed, 12]).choice(n, COMPARE_ROWS, replace=False))


# --- the decision ----------------------------------------------------------------------------------
def _credible(d: Candidate, km: Candidate) -> bool:
    """A density partition worth believing: two or more clusters, little noise, reproducible."""
    return d.k >= 2 and _or(d.noise, 0.0) <= MAX_NOISE and _reproducible(d, km)


def _density_wins(d: Candidate | None, km: Candidate) -> bool:
    """Density separates its clusters clearly better than K-Means can with as many (convex) clusters."""
    if d is None or d.k < 2 or d.validity is None or np.isnan(d.validity):
        return False
    same_k = _or(d.kmeans_validity, -1.0)
    return (
        _credible(d, km)
        and _or(d.agreement_with_kmeans, 0.0) < SAME
        and d.validity >= max(MIN_VALIDITY, same_k + MARGIN)
    )


def _worth_resampling(c: Candidate) -> bool:
    """A partition into at least two clusters that differs from K-Means'."""
    return c.k >= 2 and _or(c.agreement_with_kmeans, 1.0) < SAME


def _or(value: float | None, default: float) -> float:
    return default if value is None or np.isnan(value) else float(value)


def _kmeans_labels_at(
    k: int, kmeans_labels: Mapping[int, np.ndarray], rows: np.ndarray, S: np.ndarray, seed: int
) -> np.ndarray:
    if k in kmeans_labels:
        return np.asarray(kmeans_labels[k])[rows]
    from sklearn.cluster import KMeans

    return np.asarray(KMeans(k, n_init=3, random_state=seed).fit_predict(S))


def _reproducible(c: Candidate, km: Candidate) -> bool:
    """Reproducible enough to replace K-Means' answer: at least ``STABLE``, or, when K-Means' own
    answer falls short of that bar, at least ``FAIRLY_STABLE`` and ``MARGIN`` more reproducible than
    K-Means'. The absolute bar keeps chance partitions out; a bar K-Means itself fails is no reason to
    keep K-Means against a clearly more reproducible answer."""
    stability, own = _or(c.stability, 0.0), _or(km.stability, 1.0)
    return stability >= STABLE or (own < STABLE and stability >= max(FAIRLY_STABLE, own + MARGIN))


def _finer_groups(d: Candidate | None, km: Candidate) -> bool:
    """Density found more groups than K-Means' answer, each of them valid and inside one of K-Means'
    clusters, and K-Means with as many clusters draws them about as validly (else density would win
    outright) and clearly more validly than its own answer: the groups are round, and K-Means'
    criteria merged some of them (small or sparse groups beside big dense ones weigh little in
    silhouette or Calinski-Harabasz). K-Means at density's k is then the answer."""
    return (
        d is not None
        and _credible(d, km)
        and bool(d.all_valid)
        and _or(d.validity, -1.0) >= MIN_VALIDITY
        and d.k > km.k
        and "kmeans" in d.refines
        and _or(d.kmeans_validity, -1.0) >= _or(km.validity, -1.0) + MARGIN
    )


def _mixture_wins(m: Candidate | None, km: Candidate) -> bool:
    shaped = m is not None and ((m.elongation or 1.0) >= ELONGATED or (m.unequal or 1.0) >= ELONGATED**2)
    return (
        m is not None
        and shaped
        and m.k >= 2
        and (m.agreement_with_kmeans or 0.0) < SAME
        and _reproducible(m, km)
        and _or(m.collapsed, 0.0) == 0.0
    )


def decide(
    kmeans: Recommendation,
    km: Candidate,
    density: Candidate | None,
    mixture: Candidate | None,
    candidates: list[Candidate],
) -> MethodChoice:
    """The rule of the module docstring on measured evidence: density, then the mixture, else K-Means
    (with the close calls named)."""
    dense, mixed = _density_wins(density, km), _mixture_wins(mixture, km)
    finer = _finer_groups(density, km)
    if mixed and mixture is not None and density is not None:
        # Dense groups of any shape that a mixture chops into pieces (two moons: 7 to 9 components)
        # are not elongated groups: the density partition separates its clusters clearly better.
        # Nor is a mixture whose components each hold several of density's valid groups.
        mixed = not (
            _credible(density, km)
            and _or(density.validity, -1.0) >= max(MIN_VALIDITY, _or(mixture.validity, -1.0) + MARGIN)
        ) and not (finer and "gmm" in density.refines)
    if dense and density is not None:
        alternatives = ["gmm"] if mixed else []
        confidence = "strong" if (density.stability or 0) >= 0.9 and not mixed else "moderate"
        reason = (
            f"The groups are not round: a density method (HDBSCAN) finds {density.k} clusters whose "
            f"boundaries run through sparse regions far better than K-Means' with {density.k} "
            f"(density-based validity {density.validity:.2f} against {_or(density.kmeans_validity, np.nan):.2f}; resampled "
            f"fits agree {density.stability:.0%}"
            + (f", {density.noise:.0%} of rows left as noise)" if density.noise else ")")
            + "."
        )
        return MethodChoice("hdbscan", density.k, confidence, reason, candidates, alternatives)
    if mixed and mixture is not None:
        confidence = "strong" if (mixture.stability or 0) >= 0.9 else "moderate"
        if _or(mixture.elongation, 1.0) >= ELONGATED:
            shape, measure = (
                "elongated",
                f"their longest axis {_or(mixture.elongation, 1.0):.1f} times the shortest",
            )
        else:
            shape, measure = (
                "unequal in spread",
                f"the widest {_or(mixture.unequal, 1.0):.1f} times the narrowest",
            )
        reason = (
            f"The groups are {shape}: a Gaussian mixture with {mixture.k} components describes them "
            f"better than K-Means ({measure}; resampled fits agree {_or(mixture.stability, 0.0):.0%}, "
            f"K-Means' {km.k} clusters {_percent(km.stability)})."
        )
        return MethodChoice("gmm", mixture.k, confidence, reason, candidates, [])
    if finer and density is not None:
        reason = (
            f"K-Means with {density.k} clusters: a density method (HDBSCAN) finds {density.k} groups, "
            f"each farther from the others than its own widest gap, and K-Means' {density.k} clusters "
            f"follow the same gaps (density-based validity {_or(density.kmeans_validity, np.nan):.2f} "
            f"against {_or(km.validity, np.nan):.2f} for K-Means' own {km.k} clusters, which merge some "
            f"of them; HDBSCAN's resampled fits agree {_percent(density.stability)})."
        )
        return MethodChoice("kmeans", density.k, "moderate", reason, candidates, [])
    close = [c.method for c in (density, mixture) if c is not None and _close_call(km, c)]
    reason = kmeans.reason
    if close:
        reason += " " + _say_close(close, candidates)
    return MethodChoice("kmeans", kmeans.k, kmeans.confidence, reason, candidates, close)


def _close_call(km: Candidate, c: Candidate) -> bool:
    """A different, reproducible answer that misses a winning rule: worth showing beside K-Means'."""
    return (
        c.k >= 2
        and (c.agreement_with_kmeans or 0.0) < SAME
        and (c.stability or 0.0) >= STABLE
        and _or(c.collapsed, 0.0) == 0.0
    )


def _say_close(close: list[str], candidates: list[Candidate]) -> str:
    names = {"hdbscan": "a density method (HDBSCAN)", "gmm": "a Gaussian mixture"}
    parts = []
    for c in candidates:
        if c.method in close:
            parts.append(
                f"{names[c.method]} finds {c.k} clusters that resampled fits reproduce {c.stability:.0%}"
            )
    return "Also worth a look: " + "; ".join(parts) + "."


def _percent(value: float | None) -> str:
    return "n/a" if value is None or np.isnan(value) else f"{value:.0%}"


# --- density: HDBSCAN ------------------------------------------------------------------------------
def min_cluster_size(share: float, n_rows: int) -> int:
    """HDBSCAN's smallest cluster for ``n_rows`` rows: ``share`` of them, at least ``MIN_SAMPLES``."""
    return max(MIN_SAMPLES, round(share * n_rows))


def _hdbscan(S: np.ndarray, share: float) -> np.ndarray:
    from sklearn.cluster import HDBSCAN

    size = min_cluster_size(share, len(S))
    # As the hdbscan method fits (core/methods/density.py), so the final fit repeats what was judged.
    samples = min(size, HDBSCAN_MIN_SAMPLES)
    return np.asarray(HDBSCAN(min_cluster_size=size, min_samples=samples, copy=True).fit_predict(S))


def _density_candidate(
    S: np.ndarray, mr: np.ndarray, km_labels: np.ndarray, seed: int
) -> tuple[Candidate | None, np.ndarray | None]:
    """HDBSCAN at each smallest-cluster share; the candidate (and its labels) is the finest partition
    whose every cluster is valid (:func:`_all_valid`; ties: the higher density-based validity, then the
    larger share), else the one with the highest density-based validity."""
    if len(S) < 20 * MIN_SAMPLES:
        return None, None
    tried = [(share, _hdbscan(S, share)) for share in MIN_CLUSTER_SHARES]
    # Only a partition that could be recommended competes (no more than MAX_NOISE of the rows left
    # as noise): one that could not must not hide one that could. None can: all compete.
    eligible = [(share, labels) for share, labels in tried if np.mean(labels < 0) <= MAX_NOISE] or tried
    scored = []
    for share, labels in eligible:
        validities = cluster_validity(mr, labels)
        dbcv = sum(size * value for size, value in validities.values()) / len(labels) if validities else -1.0
        scored.append((_all_valid(validities), len(validities), dbcv, share, labels))
    if any(valid for valid, *_ in scored):
        all_valid, _, validity, share, labels = max(
            (t for t in scored if t[0]), key=lambda t: (t[1], t[2], t[3])
        )
    else:
        all_valid, _, validity, share, labels = max(scored, key=lambda t: (t[2], t[3]))
    found = int(labels.max()) + 1
    kept = labels >= 0
    agreement = adjusted_rand(labels[kept], km_labels[kept]) if found >= 2 and kept.sum() > 1 else None
    candidate = Candidate(
        "hdbscan",
        found,
        validity=round(validity, 3) if found >= 2 else float("nan"),
        agreement_with_kmeans=None if agreement is None else round(agreement, 3),
        noise=round(float((~kept).mean()), 3),
        min_cluster_share=share,
        all_valid=all_valid,
    )
    return candidate, labels


def _all_valid(validities: dict[int, tuple[int, float]]) -> bool:
    """At least two clusters and each farther from every other than its own widest inner gap.

    DBCV weighs each cluster by its size, so merging small groups into one cluster, or splitting a
    group into fragments, barely moves it. The smallest-cluster share decides what HDBSCAN can see: a
    larger one merges small groups (unbalance: five sparse groups of 1.5% as one), a smaller one may
    split groups into fragments that are no clusters (smile at 1%: fragments of a ring, validity down
    to -0.44). Every cluster valid is the stop: the finest partition that passes has found groups,
    not fragments, and a coarser one would hide some of them.

    >>> _all_valid({0: (50, 0.4), 1: (50, 0.1)}), _all_valid({0: (50, 0.4), 1: (5, -0.1)})
    (True, False)
    """
    return len(validities) >= 2 and all(value > 0 for _, value in validities.values())


def refines(fine: np.ndarray, coarse: np.ndarray) -> bool:
    """Each cluster of ``fine`` lies inside one cluster of ``coarse``: at least ``NESTED`` of its
    clustered rows (noise, -1, left out) are in their cluster's most common coarse cluster.

    >>> refines(np.array([0, 0, 1, 1, 2, 2]), np.array([0, 0, 0, 0, 1, 1]))
    True
    >>> refines(np.array([0, 0, 1, 1]), np.array([0, 1, 0, 1]))
    False
    """
    kept = fine >= 0
    f, c = fine[kept], np.asarray(coarse)[kept] + 1  # a coarse noise label (-1) counts as one more cluster
    if not len(f):
        return False
    inside = sum(int(np.bincount(c[f == value]).max()) for value in np.unique(f))
    return inside >= NESTED * len(f)


# --- the mixture -----------------------------------------------------------------------------------
def _mixture(S: np.ndarray, k: int, seed: int) -> Any:
    from sklearn.mixture import GaussianMixture

    # Covariances never shrink below a thousandth of the data's spread: a component may otherwise
    # collapse onto one value of a discrete column, which the likelihood rewards without limit.
    reg = 1e-3 * float(np.mean(np.var(S, axis=0))) or 1e-6
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return GaussianMixture(k, covariance_type="full", n_init=1, reg_covar=reg, random_state=seed).fit(S)


def icl(model: Any, S: np.ndarray) -> float:
    """Integrated completed likelihood (Biernacki et al. 2000): BIC plus twice the memberships'
    entropy, lower is better; it prefers components that are separated, not merely a better fit."""
    p = model.predict_proba(S)
    entropy = -float(np.sum(p * np.log(np.clip(p, 1e-300, None))))
    return float(model.bic(S)) + 2.0 * entropy


def _mixture_candidate(
    S: np.ndarray, mr: np.ndarray, km_labels: np.ndarray, seed: int
) -> tuple[Candidate | None, np.ndarray | None]:
    """The mixture whose number of components has the best ICL, and its labels."""
    d = S.shape[1]
    per_component = d + d * (d + 1) / 2 + 1
    top = int(min(MIXTURE_K_MAX, len(S) // (2 * per_component)))
    if top < 2:
        return None, None
    # ICL from one component up; the scan stops two components past the best so far (ICL rises
    # steadily once the components start splitting real groups), which saves most of the fits.
    fits: dict[int, Any] = {}
    scores: dict[int, float] = {}
    for k in range(1, top + 1):
        fits[k] = _mixture(S, k, seed)
        scores[k] = icl(fits[k], S)
        if k >= min(scores, key=lambda c: scores[c]) + ICL_PATIENCE:
            break
    k = min(scores, key=lambda c: scores[c])
    model = fits[k]
    labels = np.asarray(model.predict(S))
    ratio, unequal = elongation(model.covariances_)
    collapsed = _collapsed(model.covariances_, model.reg_covar)
    candidate = Candidate(
        "gmm",
        k,
        validity=round(density_validity(mr, labels), 3),
        agreement_with_kmeans=round(adjusted_rand(labels, km_labels), 3) if k >= 2 else None,
        elongation=round(ratio, 2),
        unequal=round(unequal, 2),
        collapsed=round(collapsed, 3),
    )
    return candidate, labels


def _collapsed(covariances: np.ndarray, floor: float) -> float:
    """The share of components whose spread in some direction is down to the floor the fit keeps
    covariances above (twice ``reg_covar``): they sit on one value of a discrete column (a category's
    one-hot level, a yes/no), where the likelihood grows without limit. Such a mixture describes
    combinations of values, not groups, and its axis ratios measure the floor, not a shape (on the
    100,000-row mixed benchmark table: 15 components, "elongated" 34 to 1, ARI 0.38 where K-Means'
    4 clusters are right). It is shown, never chosen.

    >>> _collapsed(np.array([np.diag([1.0, 1.0]), np.diag([1.0, 0.0011])]), 0.001)
    0.5
    """
    smallest = np.linalg.eigvalsh(covariances).min(axis=1)
    return float(np.mean(smallest <= 2.0 * floor))


def elongation(covariances: np.ndarray) -> tuple[float, float]:
    """The components' median axis ratio (square root of largest over smallest eigenvalue) and the
    ratio of the largest to the smallest volume (geometric mean of the axes).

    >>> elongation(np.array([np.diag([16.0, 1.0]), np.diag([1.0, 1.0])]))
    (2.5, 2.0)
    """
    values = np.clip(np.linalg.eigvalsh(covariances), 1e-12, None)
    ratios = np.sqrt(values.max(axis=1) / values.min(axis=1))
    volumes = np.exp(0.5 * np.log(values).mean(axis=1))
    return float(np.median(ratios)), float(volumes.max() / volumes.min())


# --- reproducibility -------------------------------------------------------------------------------
def _half_stability(S: np.ndarray, seed: int, fit: Any) -> float:
    """Mean ARI between models fitted on random halves, compared on all rows of the sample (as the
    sweep's stability does for K-Means)."""
    rng = np.random.default_rng([seed, 7])
    n = len(S)
    predictions = [
        np.asarray(fit(S[np.sort(rng.choice(n, n // 2, replace=False))]).predict(S))
        for _ in range(RESAMPLES + 1)
    ]
    return float(
        np.mean([adjusted_rand(predictions[i], predictions[i + 1]) for i in range(len(predictions) - 1)])
    )


def _overlap_stability(S: np.ndarray, seed: int, fit: Any) -> float:
    """For methods that cannot label new rows: fits on two random subsamples of three quarters of the
    sample compared on the rows both contain (at least half), leaving out rows either fit calls noise.

    Three quarters, not halves: a density estimate from half the rows is noisier than one from all of
    them in a way a mean is not (on two moons beside a blob, HDBSCAN's halves agreed 0.66 to 0.87
    while every full fit found the same three groups)."""
    rng = np.random.default_rng([seed, 8])
    n = len(S)
    scores = []
    for _ in range(RESAMPLES):
        a, b = (np.sort(rng.choice(n, (3 * n) // 4, replace=False)) for _ in range(2))
        la, lb = np.full(n, -1), np.full(n, -1)
        la[a], lb[b] = fit(S[a]), fit(S[b])
        shared = (la >= 0) & (lb >= 0)
        # A fit that drops most shared rows as noise did not reproduce them.
        both = np.isin(np.arange(n), a) & np.isin(np.arange(n), b)
        covered = shared.sum() / max(both.sum(), 1)
        score = adjusted_rand(la[shared], lb[shared]) if shared.sum() > 1 else 0.0
        scores.append(score * covered)
    return float(np.mean(scores))
