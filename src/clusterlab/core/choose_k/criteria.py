"""Criteria for choosing k: a registry, so new criteria plug in like built-ins.

A criterion either scores one fit (``score``: silhouette, Calinski-Harabasz, Davies-Bouldin, inertia,
stability, valleys) and then picks the best k from the column of scores, or reads the whole curve
(``pick`` only: the elbow of the inertia curve). ``better`` says which way is good, for charts and for
people. Score functions are module-level so a process pool (or Dask) can ship them by reference.

Two criteria go beyond the textbook indices:

* **stability** (Ben-Hur et al. 2002; Lange et al. 2004): K-Means is fitted on resamples of half the
  rows and the fits are compared (adjusted Rand index) on the same rows. Real clusters come back
  every time; splitting a blob in two comes out differently on every resample.
* **valleys** (after dip-means, Kalogeratos & Likas 2012): a cluster boundary is real when the rows
  of two neighbouring clusters, projected on the line through their centres, are bimodal (Hartigan's
  dip test, p < 0.05): a boundary then runs through a gap in the data. The score is the share of
  neighbouring pairs separated that way; 1 means every boundary is a valley.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from sklearn.metrics import calinski_harabasz_score, davies_bouldin_score, silhouette_score

from ..methods import Method, make_method
from ..methods.pairwise import sample_distances
from ..methods.threads import one_openmp_thread, one_thread

__all__ = [
    "CRITERIA",
    "DIP_ALPHA",
    "Criterion",
    "FitRecord",
    "SweepContext",
    "adjusted_rand",
    "all_valleys",
    "neighbour_pairs",
    "one_openmp_thread",
    "refines",
    "register_criterion",
    "sample_distances",
    "silhouette_from_distances",
    "valley_pvalues",
]

NESTED = 0.95  # share of a finer partition's rows inside one cluster each of a coarser one: it refines it
DIP_ALPHA = 0.05  # a boundary is a valley when the dip test rejects unimodality at this level
DIP_ROWS = 1000  # rows per pair for the dip test: plenty of power, bounded cost
STABILITY_EVAL_ROWS = 2000  # rows on which resampled fits are compared
STABILITY_FIT_ROWS = 2000  # at most this many rows per resampled fit (half the rows when fewer)
# Up to this many sample rows the silhouette keeps the sample's distance matrix (4 bytes per pair:
# 100 MB at 5,000 rows) and reuses it for every k; above it scikit-learn's chunked version runs.
DISTANCE_MATRIX_ROWS = 6000


@dataclass
class FitRecord:
    """One fit of the sweep: labels 0..k-1 in the method's own numbering (-1: noise), the centres,
    the within-cluster sum of squares (``inertia``) and, for soft methods, each row's membership."""

    k: int
    labels: np.ndarray
    centers: np.ndarray
    inertia: float
    n_iter: int
    seconds: float
    probabilities: np.ndarray | None = None
    resample_with: Method | None = None  # the method the stability check refits with (default: the sweep's)


@dataclass
class SweepContext:
    """What criteria may look at besides the fit: the data, a fixed row sample for quadratic scores,
    the seed, the method (for resampled fits) and how many resamples the stability check uses."""

    X: np.ndarray
    sample: np.ndarray  # row indices; all rows when the data is small
    seed: int
    method: str | Method = "kmeans"
    resamples: int = 10
    # Work shared by the k of one sweep when they run in one process (the sample's distances).
    cache: dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass(frozen=True)
class Criterion:
    """One way of judging k.

    ``better`` is "higher", "lower" or "elbow"; ``votes`` says whether it takes part in the
    recommendation; ``pick`` (optional) reads the whole sweep table instead of taking the best score.
    """

    name: str
    title: str
    better: str
    description: str
    score: Callable[[SweepContext, FitRecord], float] | None = None
    pick: Callable[[pd.DataFrame], int | None] | None = None
    votes: bool = True

    def best_k(self, table: pd.DataFrame) -> int | None:
        """The k this criterion prefers, read from the sweep table (None when it cannot say)."""
        if self.pick is not None:
            return self.pick(table)
        if self.name not in table:
            return None
        column = table[self.name].astype(float)
        if column.isna().all():
            return None
        row = column.idxmax() if self.better == "higher" else column.idxmin()
        return int(table.loc[row, "k"])


CRITERIA: dict[str, Criterion] = {}


def register_criterion(criterion: Criterion) -> Criterion:
    """Add (or replace) a criterion; it is computed in every sweep from then on."""
    CRITERIA[criterion.name] = criterion
    return criterion


def _distinct(labels: np.ndarray) -> bool:
    return len(np.unique(labels)) > 1


def inertia_score(ctx: SweepContext, fit: FitRecord) -> float:
    return fit.inertia


def silhouette(ctx: SweepContext, fit: FitRecord) -> float:
    # Exact silhouette is O(n^2) in time; on a fixed sample of rows it is fast and, for a few thousand
    # rows, within about 0.01 of the exact value. The same sample is used for every k, so its
    # distance matrix is computed once per sweep (per job on an executor) and every k only adds up
    # distances per cluster: one matrix product instead of all pairwise distances again. The
    # distances are the method's own (K-Medoids by Gower's distance: Method.distances).
    labels = fit.labels[ctx.sample]
    if not _distinct(labels):
        return float("nan")
    if len(ctx.sample) > DISTANCE_MATRIX_ROWS:  # Euclidean: a method measuring otherwise sweeps fewer rows
        return float(silhouette_score(ctx.X[ctx.sample], labels))
    if "distances" not in ctx.cache:
        ctx.cache["distances"] = make_method(ctx.method).distances(ctx.X, ctx.sample)
    return silhouette_from_distances(ctx.cache["distances"], labels)


def silhouette_from_distances(distances: np.ndarray, labels: np.ndarray) -> float:
    """Mean silhouette (Rousseeuw 1987) from a full distance matrix, as ``sklearn.metrics.silhouette_score``.

    Each row's summed distance to every cluster is one product of the distances with the one-hot
    labels (in the matrix's own precision; the rest in float64); a row alone in its cluster scores 0.

    >>> d = sample_distances(np.array([[0.0], [1.0], [10.0], [11.0]]))
    >>> round(silhouette_from_distances(d, np.array([0, 0, 1, 1])), 4)
    0.8997
    """
    codes, labels = np.unique(labels, return_inverse=True)
    if not 2 <= len(codes) <= len(labels) - 1:
        raise ValueError(f"Number of labels is {len(codes)}. Valid values are 2 to n_samples - 1 (inclusive)")
    onehot = np.zeros((len(labels), len(codes)), dtype=distances.dtype)
    onehot[np.arange(len(labels)), labels] = 1.0
    # (rows, clusters): summed distance from each row to each cluster
    totals = np.asarray(distances @ onehot, dtype=np.float64)
    sizes = onehot.sum(axis=0, dtype=np.float64)
    rows = np.arange(len(labels))
    own = sizes[labels]
    with np.errstate(divide="ignore", invalid="ignore"):
        intra = totals[rows, labels] / (own - 1)
        means = totals / sizes
        means[rows, labels] = np.inf
        inter = means.min(axis=1)
        scores = (inter - intra) / np.maximum(intra, inter)
    scores[own == 1] = 0.0
    return float(np.mean(np.nan_to_num(scores)))


def calinski_harabasz(ctx: SweepContext, fit: FitRecord) -> float:
    return float(calinski_harabasz_score(ctx.X, fit.labels)) if _distinct(fit.labels) else float("nan")


def davies_bouldin(ctx: SweepContext, fit: FitRecord) -> float:
    return float(davies_bouldin_score(ctx.X, fit.labels)) if _distinct(fit.labels) else float("nan")


def stability(ctx: SweepContext, fit: FitRecord) -> float:
    """Mean adjusted Rand index between fits on random halves of the rows (1 = always the same), by
    the sweep's method with the choices this k's fit made (:meth:`Method.for_resamples`)."""
    k, n = fit.k, len(ctx.X)
    if ctx.resamples < 2 or k >= n:
        return float("nan")
    rng = np.random.default_rng([ctx.seed, k])
    rows = min(n, max(10 * k, min(n // 2, STABILITY_FIT_ROWS)))
    subsets = [np.sort(rng.choice(n, size=rows, replace=False)) for _ in range(ctx.resamples)]
    # Compare on a random part of the sample: files are often sorted by group, so its first rows would
    # cover only some of the clusters.
    shown = (
        ctx.sample
        if len(ctx.sample) <= STABILITY_EVAL_ROWS
        else rng.choice(ctx.sample, STABILITY_EVAL_ROWS, replace=False)
    )
    evaluate = ctx.X[np.sort(shown)]
    # One thread for these small fits (see _resampled_fit), set once for all of them: entering
    # threadpoolctl's context scans the loaded libraries (3.5 ms each time, a third of the stability
    # check's cost at 10,000 rows when it was entered per fit). BLAS too, not only OpenMP: K-Means
    # already holds BLAS at one thread inside its fit, but a mixture's EM and a tree's nearest rows
    # are BLAS products (a mixture of 2,000 rows: 0.64 s with BLAS threads on a busy machine, 0.19 s
    # without; a thread count does not change a product's result, so K-Means' scores stay the same).
    with one_thread():
        predictions = [
            _resampled_fit(ctx.X[subset], evaluate, k, ctx.seed + b, fit.resample_with or ctx.method)
            for b, subset in enumerate(subsets)
        ]
    scores = [
        adjusted_rand(predictions[i], predictions[j])
        for i in range(len(predictions))
        for j in range(i + 1, len(predictions))
    ]
    return float(np.mean(scores))


def _resampled_fit(
    X: np.ndarray, evaluate: np.ndarray, k: int, seed: int, method: str | Method
) -> np.ndarray:
    """Fit on one resample (one start: how reliably k-means++ finds the partition is part of stability)
    and label the evaluation rows.

    One OpenMP thread per fit. These fits are small (at most 2,000 rows); measured on this 2-core
    machine (docs/recommendation.md), two threads save a little when the machine is idle (7.5 -> 5.5
    ms a fit) and cost 3 to 10 times more when other work keeps the cores busy (spinning OpenMP
    threads wait for each other), while one thread stays at about 5.6 ms. A thread or process pool
    across fits gains nothing here: they are bound by Python overhead under the GIL. The caller
    sets the thread limit (:func:`one_thread`).
    """
    return np.asarray(make_method(method).fit(X, k, seed, 1).predict(evaluate))


def adjusted_rand(a: np.ndarray, b: np.ndarray) -> float:
    """Adjusted Rand index of two labelings 0..k-1 (Hubert & Arabie 1985), via one bincount.

    scikit-learn's version validates its input on every call; the stability check compares
    45 pairs per k, so this lean one keeps it fast.

    >>> adjusted_rand(np.array([0, 0, 1, 1]), np.array([1, 1, 0, 0]))
    1.0
    """
    a, b = np.asarray(a, dtype=np.int64), np.asarray(b, dtype=np.int64)
    n = len(a)
    width = int(b.max()) + 1
    table = np.bincount(a * width + b, minlength=(int(a.max()) + 1) * width).reshape(-1, width)

    def pairs(counts: np.ndarray) -> float:
        return float((counts * (counts - 1) / 2).sum())

    together, rows, cols, total = pairs(table), pairs(table.sum(1)), pairs(table.sum(0)), n * (n - 1) / 2
    expected = rows * cols / total if total else 0.0
    best = (rows + cols) / 2
    return 1.0 if best == expected else float((together - expected) / (best - expected))


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


def neighbour_pairs(centers: np.ndarray) -> list[tuple[int, int]]:
    """Each cluster paired with the cluster whose centre is nearest (each pair once, sorted)."""
    gaps = ((centers[:, None, :] - centers[None, :, :]) ** 2).sum(axis=-1)
    np.fill_diagonal(gaps, np.inf)
    return sorted({(min(i, int(j)), max(i, int(j))) for i, j in enumerate(gaps.argmin(axis=1))})


def valley_pvalues(X: np.ndarray, labels: np.ndarray, centers: np.ndarray, seed: int) -> list[float]:
    """Dip-test p-value of each neighbouring pair of clusters, projected on the line through their centres.

    A small p-value means the projection is bimodal: the two clusters are separated by a valley.
    """
    import diptest

    rng = np.random.default_rng(seed)
    out = []
    for i, j in neighbour_pairs(centers):
        rows = np.flatnonzero((labels == i) | (labels == j))
        if len(rows) > DIP_ROWS:
            rows = rng.choice(rows, size=DIP_ROWS, replace=False)
        direction = centers[j] - centers[i]
        length = float(np.linalg.norm(direction))
        if len(rows) < 4 or length == 0:
            out.append(1.0)
            continue
        projected = X[rows] @ (direction / length)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # diptest warns about ties; the test still holds
            out.append(float(diptest.diptest(projected)[1]))
    return out


def all_valleys(X: np.ndarray, labels: np.ndarray, seed: int) -> bool:
    """Every boundary of the partition ``labels`` (-1: noise, left out) is a valley among the rows
    ``X``, each cluster's centre the mean of its rows: the valleys test in another space than the
    sweep's (the recommendation's measurements, :func:`.recommendation.finest_nested`).

    >>> rng = np.random.default_rng(0)
    >>> X = np.r_[rng.normal(0, 1, (200, 1)), rng.normal(8, 1, (200, 1))]
    >>> all_valleys(X, np.repeat([0, 1], 200), 0), all_valleys(X, (X[:, 0] > 4) + 2 * (X[:, 0] > 8), 0)
    (True, False)
    """
    kept = labels >= 0
    X, labels = X[kept], labels[kept]
    values = np.unique(labels)
    if len(values) < 2:
        return False
    centers = np.stack([X[labels == v].mean(axis=0) for v in values])
    dense = np.searchsorted(values, labels)
    return all(p < DIP_ALPHA for p in valley_pvalues(X, dense, centers, seed))


def valleys(ctx: SweepContext, fit: FitRecord) -> float:
    labels = fit.labels[ctx.sample]
    pvalues = valley_pvalues(ctx.X[ctx.sample], labels, fit.centers, ctx.seed + fit.k)
    return float(np.mean([p < DIP_ALPHA for p in pvalues])) if pvalues else float("nan")


def largest_all_valleys(table: pd.DataFrame) -> int | None:
    """The largest k whose every boundary is a valley (None when no k qualifies)."""
    if "valleys" not in table:
        return None
    ok = table.loc[table["valleys"].astype(float) >= 1.0, "k"]
    return int(ok.max()) if len(ok) else None


def elbow(table: pd.DataFrame) -> int | None:
    """The knee of the inertia curve (kneed's Kneedle on a convex, decreasing curve)."""
    from kneed import KneeLocator

    if len(table) < 3 or "inertia" not in table:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # kneed warns when there is no knee; None says the same
        knee: Any = KneeLocator(
            table["k"].tolist(), table["inertia"].tolist(), curve="convex", direction="decreasing"
        ).knee
    return None if knee is None else int(knee)


register_criterion(
    Criterion(
        "inertia",
        "Inertia",
        "lower",
        "Sum of squared distances to the nearest centre (always falls as k grows).",
        score=inertia_score,
        votes=False,
    )
)
register_criterion(
    Criterion(
        "silhouette",
        "Silhouette",
        "higher",
        "How much closer rows are to their own cluster than to the next one (-1..1; above 0.5 is clear).",
        score=silhouette,
    )
)
register_criterion(
    Criterion(
        "calinski_harabasz",
        "Calinski-Harabasz",
        "higher",
        "Spread between clusters relative to spread inside them.",
        score=calinski_harabasz,
    )
)
register_criterion(
    Criterion(
        "davies_bouldin",
        "Davies-Bouldin",
        "lower",
        "Average similarity of each cluster to its most similar one (0 is best).",
        score=davies_bouldin,
    )
)
register_criterion(
    Criterion(
        "elbow",
        "Elbow",
        "elbow",
        "The k after which adding clusters stops paying off (knee of the inertia curve).",
        pick=elbow,
    )
)
register_criterion(
    Criterion(
        "stability",
        "Stability",
        "higher",
        "How often fits on random halves of the rows find the same clusters (adjusted Rand index, 1 = always).",
        score=stability,
    )
)
register_criterion(
    Criterion(
        "valleys",
        "Valleys",
        "higher",
        "Share of neighbouring clusters separated by a dip in density (1 = every boundary runs through a gap).",
        score=valleys,
        pick=largest_all_valleys,
    )
)
