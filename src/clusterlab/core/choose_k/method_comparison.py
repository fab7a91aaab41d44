"""The five methods side by side on one seeded sample of the clustered rows, at the run's k.

Whatever method a run used, the pages show what the others would have made of the same rows: one
small map per method, its k, its noise, its silhouette, its reproducibility where the run measured it,
and how far the methods agree (adjusted Rand index, ARI). It is a picture to compare, not a second
recommendation: the choice of method stays with :mod:`.method_choice`.

To stay cheap (well under two seconds on 2,000 rows with one thread) every fit is made once, on at
most ``SAMPLE_ROWS`` rows, with one start, and nothing is refitted that the run already has:

* the run's own method keeps its final labels on the sample rows (the map then shows exactly what the
  results show);
* K-Means takes the sweep's fit at k when the sweep ran K-Means on every row;
* reproducibility is only what the run measured: the sweep's stability at k for the method it swept,
  and :mod:`.method_choice`'s resampled fits for the mixture and the density method when they had the
  same k (HDBSCAN: always, it finds its own k).

Hierarchical clustering uses Ward's linkage here (the linkage nearest K-Means' criterion), HDBSCAN
finds its own k with the smallest-cluster share ``method_choice`` chose when it ran (else its default).
Labels are cluster numbers as in ``labels_`` (1..k, 0: noise): every method's clusters are matched to
the run's (the pairing with the most rows in common), so the same group has the same colour on every
map; a cluster without a partner gets a number after k.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import InputError
from ..methods import METHODS, NOISE, Method, make_method
from ..methods.contract import seeded_rows
from ..methods.pairwise import sample_distances
from ..methods.threads import one_thread
from ..settings import Settings
from .criteria import adjusted_rand, silhouette_from_distances
from .method_candidates import min_cluster_size
from .method_rule import SAME, MethodChoice
from .sweep import KSweep

__all__ = [
    "MIN_ROWS",
    "SAME",
    "SAMPLE_ROWS",
    "MethodComparison",
    "MethodOnSample",
    "compare_methods",
    "matched_numbers",
]

SAMPLE_ROWS = 1500  # rows the methods are compared on: K-Medoids and the silhouette are quadratic in them
MIN_ROWS = 20  # fewer clustered rows than this: no comparison (five maps of a handful of points say nothing)
ORDER = ("kmeans", "gmm", "hierarchical", "hdbscan", "kmedoids")  # the maps' order, the run's own first


@dataclass
class MethodOnSample:
    """One method's clusters on the sample rows and what they measure (``None``: not measured)."""

    method: str
    title: str
    k: int
    labels: np.ndarray = field(repr=False)  # cluster numbers on the sample rows, matched to the run's
    noise: float = 0.0  # share of the sample rows left as noise
    silhouette: float | None = None  # on the sample, noise rows left out
    stability: float | None = None  # the run's own reproducibility measure, where it has one
    chosen: bool = False  # the run's method (its labels are the run's final labels)

    def to_dict(self, labels: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {
            "method": self.method,
            "title": self.title,
            "k": self.k,
            "noise": self.noise,
            "silhouette": self.silhouette,
            "stability": self.stability,
            "chosen": self.chosen,
        }
        if labels:
            out["labels"] = self.labels.tolist()
        return out


@dataclass
class MethodComparison:
    """The methods on one seeded sample of the clustered rows.

    ``rows`` are positions into the clustered rows (``labels_ != -1``, in input order), so a page
    can place them on the map the results use; ``agreement[i, j]`` is the ARI between ``methods[i]``
    and ``methods[j]`` on the rows neither leaves as noise (symmetric, 1 on the diagonal)."""

    k: int
    chosen: str
    rows: np.ndarray = field(repr=False)
    methods: list[MethodOnSample]
    agreement: np.ndarray = field(repr=False)

    def agreeing(self, threshold: float = SAME) -> list[tuple[str, str]]:
        """Pairs of methods whose partitions agree at least ``threshold`` (ARI), in the maps' order."""
        names = [m.method for m in self.methods]
        return [
            (names[i], names[j])
            for i in range(len(names))
            for j in range(i + 1, len(names))
            if self.agreement[i, j] >= threshold
        ]

    def to_dict(self, labels: bool = True) -> dict[str, Any]:
        """JSON-ready; ``labels=False`` leaves out the rows and each method's labels (summary.json)."""
        out: dict[str, Any] = {
            "k": self.k,
            "chosen": self.chosen,
            "sample_rows": len(self.rows),
            "methods": [m.to_dict(labels) for m in self.methods],
            "agreement": [[round(float(v), 3) for v in row] for row in self.agreement],
            "agreeing": [list(pair) for pair in self.agreeing()],
        }
        if labels:
            out["rows"] = self.rows.tolist()
        return out


def compare_methods(
    data: np.ndarray,
    numbers: np.ndarray,
    method: str,
    settings: Settings,
    sweep: KSweep | None = None,
    choice: MethodChoice | None = None,
    prepare: Callable[[Method], Method] | None = None,
) -> MethodComparison | None:
    """Fit the other methods on a seeded sample of ``data`` at the run's k and compare.

    Parameters
    ----------
    data : the clustered rows as the clustering saw them
    numbers : the run's cluster numbers for those rows (1..k, 0: noise)
    method : the run's method (its name in :data:`~clusterlab.core.methods.METHODS`)
    settings : the run's settings (seed, and the method's own options)
    sweep : the run's k sweep (K-Means' fit and the stability at k are reused from it)
    choice : the comparison of method "auto" (the mixture's and the density method's reproducibility)
    prepare : tells each method made here the matrix's layout, as the run's own method was told
        (K-Medoids' Gower distance, HDBSCAN's numbers: ``Method.with_columns``, ``Method.with_shape``)

    Returns None with fewer than ``MIN_ROWS`` rows or fewer than two clusters.

    >>> rng = np.random.default_rng(0)
    >>> X = np.r_[rng.normal(0, 0.3, (40, 2)), rng.normal(5, 0.3, (40, 2))]
    >>> numbers = np.repeat([1, 2], 40)
    >>> c = compare_methods(X, numbers, "kmeans", Settings.parse({}))
    >>> [m.method for m in c.methods], c.k
    (['kmeans', 'gmm', 'hierarchical', 'hdbscan', 'kmedoids'], 2)
    >>> bool((c.agreement[0] > 0.99).all())  # two far-apart blobs: every method finds them
    True
    """
    numbers = np.asarray(numbers, dtype=np.int64)
    k = int(numbers.max(initial=0))
    if len(data) < MIN_ROWS or k < 2:
        return None
    rows = (
        seeded_rows(len(data), SAMPLE_ROWS, settings.seed)
        if len(data) > SAMPLE_ROWS
        else np.arange(len(data))
    )
    S = np.asarray(data[rows], dtype=np.float64)
    reference = numbers[rows]
    # One thread: these fits are small (see core/methods/threads.py).
    with one_thread():
        distances = sample_distances(S)
        kmeans = _sweep_kmeans(sweep, settings, k, len(data))
        found = [
            _on_sample(
                name,
                method,
                k,
                S,
                distances,
                reference,
                rows,
                settings,
                sweep,
                choice,
                kmeans,
                prepare,
            )
            for name in [method, *(n for n in ORDER if n != method and n in METHODS)]
        ]
    agreement = np.array([[_agreement(a.labels, b.labels) for b in found] for a in found])
    return MethodComparison(k, method, rows, found, agreement)


def _on_sample(
    name: str,
    method: str,
    k: int,
    S: np.ndarray,
    distances: np.ndarray,
    reference: np.ndarray,
    rows: np.ndarray,
    settings: Settings,
    sweep: KSweep | None,
    choice: MethodChoice | None,
    kmeans: np.ndarray | None,
    prepare: Callable[[Method], Method] | None = None,
) -> MethodOnSample:
    """``name`` on the sample at the run's ``k`` (the run's own method: its final labels)."""
    cls = METHODS[name]
    title = cls.title
    if name == method:
        labels = reference
        if name == "hierarchical":
            title += f" ({settings.to_dict().get('linkage', 'ward')})"
    else:
        raw = (
            kmeans[rows]
            if name == "kmeans" and kmeans is not None
            else _labels(name, S, k, settings, choice, prepare)
        )
        labels = matched_numbers(raw, reference)
        if name == "hierarchical":
            title += " (ward)"
    kept = labels > 0
    found_k = len(np.unique(labels[kept]))
    silhouette = None
    if 2 <= found_k <= kept.sum() - 1:
        silhouette = round(silhouette_from_distances(distances[np.ix_(kept, kept)], labels[kept]), 3)
    return MethodOnSample(
        name,
        title,
        found_k,
        labels,
        noise=round(float((~kept).mean()), 3),
        silhouette=silhouette,
        stability=_stability(name, found_k, method, settings, sweep, choice),
        chosen=name == method,
    )


def _sweep_kmeans(sweep: KSweep | None, settings: Settings, k: int, n_rows: int) -> np.ndarray | None:
    """The sweep's K-Means labels at ``k`` for every clustered row, when it swept K-Means on all of them."""
    if sweep is None or _swept(settings) != "kmeans" or k not in sweep.fits:
        return None
    labels = np.asarray(sweep.fits[k].labels)
    return labels if len(labels) == n_rows else None


def _labels(
    name: str,
    S: np.ndarray,
    k: int,
    settings: Settings,
    choice: MethodChoice | None,
    prepare: Callable[[Method], Method] | None = None,
) -> np.ndarray:
    """``name``'s labels (0..k-1, -1 noise) on the sample ``S``: one fit with one start."""
    options: dict[str, Any] = {}
    if name == "hierarchical":
        options = {"linkage": "ward"}
    elif name == "kmedoids":  # by the run's distance (Gower only when asked for)
        options = {"distance": settings.to_dict().get("distance", "euclidean")}
    elif name == "hdbscan":
        density = next((c for c in (choice.candidates if choice else []) if c.method == "hdbscan"), None)
        if density is not None and density.min_cluster_share is not None:
            options = {"min_cluster_size": min_cluster_size(density.min_cluster_share, len(S))}
    fitter = make_method(name, options)
    if prepare is not None:
        fitter = prepare(fitter)
    try:
        return np.asarray(fitter.fit(S, k if fitter.needs_k else None, settings.seed, n_init=1).labels)
    except (InputError, ValueError, np.linalg.LinAlgError):
        # HDBSCAN found no dense group, or a method cannot draw k clusters in these few distinct rows:
        # every row is left unclustered, which the map shows; the comparison never stops the run.
        return np.full(len(S), NOISE)


def _swept(settings: Settings) -> str:
    """The method the sweep over k ran: K-Means for "auto", else the run's method."""
    return "kmeans" if settings.method == "auto" else str(settings.method)


def _stability(
    name: str,
    k: int,
    method: str,
    settings: Settings,
    sweep: KSweep | None,
    choice: MethodChoice | None,
) -> float | None:
    """What the run measured of ``name``'s reproducibility at this k, or None."""
    if sweep is not None and name == _swept(settings) and "stability" in sweep.table:
        at_k = sweep.table.loc[sweep.table["k"] == k, "stability"]
        if len(at_k) and np.isfinite(float(at_k.iloc[0])):
            return round(float(at_k.iloc[0]), 3)
    for candidate in choice.candidates if choice else []:
        # HDBSCAN finds its own k, so its measure always applies; the mixture's only at the same k.
        same = name == "hdbscan" or candidate.k == k
        if candidate.method == name != "kmeans" and candidate.stability is not None and same:
            return round(float(candidate.stability), 3)
    return None


def _agreement(a: np.ndarray, b: np.ndarray) -> float:
    """ARI between two partitions on the rows neither leaves as noise (1.0 for one with itself)."""
    kept = (a > 0) & (b > 0)
    if kept.sum() < 2:
        return 0.0
    return float(adjusted_rand(a[kept], b[kept]))


def matched_numbers(labels: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """A method's labels (0..k-1, -1 noise) as cluster numbers matched to ``reference``'s (1..k, 0
    noise): the pairing with the most rows in common (Hungarian algorithm); noise stays 0 and
    clusters without a partner get the numbers after the reference's largest.

    >>> matched_numbers(np.array([1, 1, 0, 0, -1, 2]), np.array([1, 1, 2, 2, 2, 0])).tolist()
    [1, 1, 2, 2, 0, 3]
    """
    from scipy.optimize import linear_sum_assignment

    labels = np.asarray(labels, dtype=np.int64)
    reference = np.asarray(reference, dtype=np.int64)
    mine = np.unique(labels[labels >= 0])
    theirs = np.unique(reference[reference > 0])
    overlap = np.array([[np.sum((labels == a) & (reference == b)) for b in theirs] for a in mine])
    new: dict[int, int] = {}
    if overlap.size:
        pick, to = linear_sum_assignment(-overlap.reshape(len(mine), len(theirs)))
        new = {int(mine[r]): int(theirs[c]) for r, c in zip(pick, to, strict=True)}
    spare = int(theirs.max(initial=0)) + 1
    for a in mine:
        if int(a) not in new:
            new[int(a)] = spare
            spare += 1
    out = np.zeros(len(labels), dtype=np.int64)
    for a, number in new.items():
        out[labels == a] = number
    return out
