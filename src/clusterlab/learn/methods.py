"""The methods the "Limits and alternatives" lesson compares, each giving labels for ``(X, k, seed)``.

This is the one place the lesson reaches for other algorithms, so it is easy to swap: a method the
core's registry offers (:mod:`clusterlab.core.methods`, the methods a run can use) is fitted through
it, so the lesson shows what a run with that method would do; a method it does not offer yet is
fitted here with scikit-learn (and the ``kmedoids`` package when it is installed, else a small
alternating K-Medoids written here). Labels are 0..k-1, and -1 for rows a method leaves unclustered
(HDBSCAN's noise).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["METHODS", "Method", "dendrogram_lines", "matched", "one_thread", "run_method"]

_CONTROLLER: Any = None


def one_thread() -> Any:
    """A context capping BLAS and OpenMP at one thread: on a lesson's few hundred rows threads cost
    far more than they give (a Gaussian mixture of 180 rows: 1.9 s on a busy 2-core machine, 0.04 s
    on one thread). The library scan is done once per process."""
    global _CONTROLLER
    if _CONTROLLER is None:
        from threadpoolctl import ThreadpoolController

        _CONTROLLER = ThreadpoolController()
    return _CONTROLLER.limit(limits=1)


@dataclass(frozen=True)
class Method:
    name: str
    title: str
    choose_when: str
    fit: Callable[[np.ndarray, int, int], np.ndarray]


def _kmeans(X: np.ndarray, k: int, seed: int) -> np.ndarray:
    from sklearn.cluster import KMeans

    return np.asarray(KMeans(n_clusters=k, n_init=5, random_state=seed).fit_predict(X))


def _kmedoids(X: np.ndarray, k: int, seed: int) -> np.ndarray:
    try:
        import kmedoids
    except ImportError:
        return _alternating_kmedoids(X, k, seed)
    from sklearn.metrics import pairwise_distances

    fit: Any = kmedoids.fasterpam(pairwise_distances(X), k, random_state=seed)
    return np.asarray(fit.labels, dtype=int)


def _alternating_kmedoids(X: np.ndarray, k: int, seed: int, max_iter: int = 50) -> np.ndarray:
    """K-Medoids by alternation (Park & Jun 2009): assign rows to the nearest medoid, then make each
    cluster's medoid the row with the least total distance to the others in it."""
    from sklearn.metrics import pairwise_distances

    d = pairwise_distances(X)
    rng = np.random.default_rng(seed)
    medoids = rng.choice(len(X), size=k, replace=False)
    labels = d[:, medoids].argmin(axis=1)
    for _ in range(max_iter):
        new = medoids.copy()
        for c in range(k):
            members = np.flatnonzero(labels == c)
            if len(members):
                new[c] = members[d[np.ix_(members, members)].sum(axis=1).argmin()]
        labels = d[:, new].argmin(axis=1)
        if np.array_equal(new, medoids):
            break
        medoids = new
    return np.asarray(labels)


def _hdbscan(X: np.ndarray, k: int, seed: int) -> np.ndarray:
    from sklearn.cluster import HDBSCAN

    # HDBSCAN finds its own number of clusters and ignores k. A group needs an eighth of the rows (at
    # least 5) and a core row 5 neighbours: on the lesson's shapes that finds the stretched groups and
    # leaves the far rows as noise (smaller groups split the moons, larger ones call everything noise).
    fit = HDBSCAN(min_cluster_size=max(5, len(X) // 8), min_samples=min(5, len(X) - 1), copy=True)
    return np.asarray(fit.fit_predict(X))


def _hierarchical(X: np.ndarray, k: int, seed: int) -> np.ndarray:
    from sklearn.cluster import AgglomerativeClustering

    return np.asarray(AgglomerativeClustering(n_clusters=k, linkage="ward").fit_predict(X))


def _gmm(X: np.ndarray, k: int, seed: int) -> np.ndarray:
    from sklearn.mixture import GaussianMixture

    return np.asarray(
        GaussianMixture(n_components=k, init_params="k-means++", random_state=seed).fit(X).predict(X)
    )


METHODS: dict[str, Method] = {
    m.name: m
    for m in (
        Method("kmeans", "K-Means", "Round groups of similar size; fast on any number of rows.", _kmeans),
        Method(
            "kmedoids",
            "K-Medoids",
            "Like K-Means but each centre is a real row: robust to outliers, any distance.",
            _kmedoids,
        ),
        Method(
            "hdbscan",
            "HDBSCAN",
            "Groups of any shape found by density; leaves noise unclustered (grey) and picks k itself.",
            _hdbscan,
        ),
        Method(
            "hierarchical",
            "Hierarchical (Ward)",
            "Nested groups you can cut at any level (the dendrogram); a few thousand rows at most.",
            _hierarchical,
        ),
        Method(
            "gmm",
            "Gaussian mixture",
            "Stretched or tilted oval groups, and a probability for each row instead of a hard label.",
            _gmm,
        ),
    )
}


def run_method(name: str, X: np.ndarray, k: int, seed: int = 0) -> np.ndarray:
    """Labels of ``X`` by the method ``name`` (a key of :data:`METHODS`).

    >>> X = np.r_[np.zeros((5, 2)), np.ones((5, 2)) * 9]
    >>> len(set(run_method("hierarchical", X, 2).tolist()))
    2
    """
    try:
        method = METHODS[name]
    except KeyError:
        raise ValueError(f"Unknown method '{name}'; choose one of: {', '.join(METHODS)}.") from None
    X = np.asarray(X, dtype=float)
    with one_thread():
        core = _core_method(name)
        if core is not None:
            fitted = core.fit(X, k if core.needs_k else None, seed, n_init=3)
            return np.asarray(fitted.labels, dtype=int)
        return method.fit(X, k, seed)


def _core_method(name: str) -> Any:
    """The core registry's method of that name (made with its default options), None when it has none."""
    from ..core.methods import METHODS as CORE_METHODS
    from ..core.methods import make_method

    return make_method(name) if name in CORE_METHODS else None


def dendrogram_lines(X: np.ndarray, leaves: int = 30) -> dict[str, Any]:
    """The dendrogram of Ward's hierarchical clustering of ``X``, cut to its last ``leaves`` merges:
    line coordinates (``icoord``, ``dcoord``, as scipy draws them), the leaf labels and the heights."""
    from scipy.cluster.hierarchy import dendrogram, linkage

    tree = linkage(np.asarray(X, dtype=float), method="ward")
    drawn = dendrogram(tree, truncate_mode="lastp", p=leaves, no_plot=True)
    return {
        "icoord": drawn["icoord"],
        "dcoord": drawn["dcoord"],
        # scipy names a merged leaf by its size, "(12)", and a single row by its index: "(1)" for both.
        "leaves": [leaf if leaf.startswith("(") else "(1)" for leaf in drawn["ivl"]],
        "heights": tree[:, 2].tolist(),
    }


def matched(labels: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """``labels`` renumbered to agree with ``reference`` where they can (the pairing with the most
    rows in common, Hungarian algorithm), so the same group has the same colour in every panel;
    noise (-1) stays noise, and clusters without a partner get the numbers after.

    >>> matched(np.array([1, 1, 0, 0, -1]), np.array([0, 0, 1, 1, 1])).tolist()
    [0, 0, 1, 1, -1]
    """
    from scipy.optimize import linear_sum_assignment

    mine = sorted({int(v) for v in labels if v >= 0})
    theirs = sorted({int(v) for v in reference if v >= 0})
    overlap = np.array([[np.sum((labels == a) & (reference == b)) for b in theirs] for a in mine]).reshape(
        len(mine), len(theirs)
    )
    rows, cols = linear_sum_assignment(-overlap) if overlap.size else ([], [])
    new = {mine[r]: theirs[c] for r, c in zip(rows, cols, strict=True)}
    spare = iter(range(max(theirs, default=-1) + 1, max(theirs, default=-1) + 1 + len(mine)))
    for a in mine:
        if a not in new:
            new[a] = next(spare)
    return np.array([new.get(int(v), -1) if v >= 0 else -1 for v in labels])
