"""Density-based validity of a partition (DBCV, Moulavi et al. 2014): does each cluster's boundary run
through a sparse region? It judges any partition, convex or not, so every method's clusters get the
same score (:mod:`.method_choice`).
"""

from __future__ import annotations

import numpy as np
from scipy.spatial.distance import cdist

__all__ = [
    "MIN_SAMPLES",
    "cluster_validity",
    "density_validity",
    "mutual_reachability",
    "spanning_tree",
    "weighted_validity",
]

MIN_SAMPLES = 5  # neighbours defining a row's core distance (HDBSCAN's default)


def mutual_reachability(S: np.ndarray, min_samples: int = MIN_SAMPLES) -> np.ndarray:
    """Mutual reachability distances: max(core distance of a, of b, distance a-b), where a row's core
    distance is the distance to its ``min_samples``-th nearest neighbour (HDBSCAN's metric)."""
    D = cdist(S, S)
    core = np.partition(D, min(min_samples, len(S) - 1), axis=1)[:, min(min_samples, len(S) - 1)]
    # Many pairs share a reachability (a row's core distance bounds all its near pairs), so several
    # spanning trees are minimal and DBCV's "interior rows" would depend on which one an algorithm
    # happens to return. A billionth of the plain distance breaks the ties: the nearer pair first.
    return np.maximum(D, np.maximum(core[:, None], core[None, :])) + 1e-9 * D


def spanning_tree(W: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Prim's minimum spanning tree of a dense symmetric distance matrix: row i > 0 joins the tree
    through ``parent[i]`` with an edge of ``weight[i]`` (row 0 is the root). O(n^2) with one pass per
    row, and no sorting of the n^2 edges (scipy's version sorts them: 5 of 8 s in the comparison).

    >>> spanning_tree(np.array([[0.0, 1.0, 4.0], [1.0, 0.0, 2.0], [4.0, 2.0, 0.0]]))[0].tolist()
    [0, 0, 1]
    """
    n = len(W)
    parent = np.zeros(n, dtype=np.int64)
    weight = np.zeros(n)
    best = W[0].astype(np.float64)
    via = np.zeros(n, dtype=np.int64)
    done = np.zeros(n, dtype=bool)
    done[0] = True
    for _ in range(n - 1):
        j = int(np.argmin(np.where(done, np.inf, best)))
        parent[j], weight[j], done[j] = via[j], best[j], True
        closer = W[j] < best
        best = np.where(closer, W[j], best)
        via = np.where(closer, j, via)
    return parent, weight


def cluster_validity(mr: np.ndarray, labels: np.ndarray) -> dict[int, tuple[int, float]]:
    """Each cluster's size and validity (Moulavi et al. 2014): (separation - sparseness) / the larger
    of the two, -1..1. Sparseness is the largest edge of the cluster's minimum spanning tree between
    interior rows (degree above one, so a lone straggler does not count); separation the smallest
    mutual reachability to a row of another cluster. Positive: the cluster is farther from every other
    than its own widest inner gap. Noise (-1) is no cluster; a cluster of one row is left out."""
    clusters = [int(c) for c in np.unique(labels) if c >= 0]
    out: dict[int, tuple[int, float]] = {}
    if len(clusters) < 2:
        return out
    for c in clusters:
        inside = labels == c
        if inside.sum() < 2:
            continue
        parent, weight = spanning_tree(mr[np.ix_(inside, inside)])
        degree = np.bincount(np.concatenate([parent[1:], np.arange(1, len(parent))]), minlength=len(parent))
        interior = (degree[parent[1:]] > 1) & (degree[1:] > 1)
        sparseness = float(weight[1:][interior].max() if interior.any() else weight[1:].max())
        others = (labels >= 0) & ~inside
        separation = float(mr[np.ix_(inside, others)].min())
        top = max(separation, sparseness)
        out[c] = (int(inside.sum()), (separation - sparseness) / top if top > 0 else 0.0)
    return out


def density_validity(mr: np.ndarray, labels: np.ndarray) -> float:
    """DBCV (Moulavi et al. 2014) of a partition from mutual reachability distances: the clusters'
    validities (:func:`cluster_validity`) weighted by size over all rows (noise, -1, counts 0).
    -1..1, higher is better; NaN with fewer than two clusters.
    """
    if len([c for c in np.unique(labels) if c >= 0]) < 2:
        return float("nan")
    return weighted_validity(cluster_validity(mr, labels), len(labels))


def weighted_validity(validities: dict[int, tuple[int, float]], n_rows: int) -> float:
    """DBCV from the clusters' validities (:func:`cluster_validity`): weighted by size over all
    ``n_rows`` rows, so rows left as noise count 0; NaN with fewer than two clusters.

    >>> weighted_validity({0: (30, 0.5), 1: (10, -0.1)}, 50)
    0.28
    """
    if len(validities) < 2:
        return float("nan")
    return sum(size * value for size, value in validities.values()) / n_rows
