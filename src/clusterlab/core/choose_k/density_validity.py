"""Density-based validity of a partition (DBCV, Moulavi et al. 2014): does each cluster's boundary run
through a sparse region? It judges any partition, convex or not, so every method's clusters get the
same score (:mod:`.method_choice`).
"""

from __future__ import annotations

import numpy as np
from scipy.sparse.csgraph import minimum_spanning_tree
from scipy.spatial.distance import cdist

__all__ = ["MIN_SAMPLES", "density_validity", "mutual_reachability"]

MIN_SAMPLES = 5  # neighbours defining a row's core distance (HDBSCAN's default)


def mutual_reachability(S: np.ndarray, min_samples: int = MIN_SAMPLES) -> np.ndarray:
    """Mutual reachability distances: max(core distance of a, of b, distance a-b), where a row's core
    distance is the distance to its ``min_samples``-th nearest neighbour (HDBSCAN's metric)."""
    D = cdist(S, S)
    core = np.partition(D, min(min_samples, len(S) - 1), axis=1)[:, min(min_samples, len(S) - 1)]
    return np.maximum(D, np.maximum(core[:, None], core[None, :]))


def density_validity(mr: np.ndarray, labels: np.ndarray) -> float:
    """DBCV (Moulavi et al. 2014) of a partition from mutual reachability distances: per cluster,
    (separation - sparseness) / max of the two, weighted by size over all rows (noise, -1, counts 0).

    Sparseness is the largest edge of the cluster's minimum spanning tree between interior rows
    (degree above one, so a lone straggler does not count); separation the smallest distance to a
    row of another cluster. -1..1, higher is better; NaN with fewer than two clusters.
    """
    clusters = [c for c in np.unique(labels) if c >= 0]
    if len(clusters) < 2:
        return float("nan")
    total = 0.0
    for c in clusters:
        inside = labels == c
        if inside.sum() < 2:
            continue
        within = mr[np.ix_(inside, inside)] + 1e-12  # duplicate rows: a zero would read as "no edge"
        np.fill_diagonal(within, 0.0)
        tree = minimum_spanning_tree(within).toarray()
        edges = tree + tree.T
        degree = (edges > 0).sum(axis=1)
        interior = edges[np.ix_(degree > 1, degree > 1)]
        sparseness = float(interior.max()) if interior.size and interior.max() > 0 else float(edges.max())
        others = (labels >= 0) & ~inside
        separation = float(mr[np.ix_(inside, others)].min())
        top = max(separation, sparseness)
        total += inside.sum() * ((separation - sparseness) / top if top > 0 else 0.0)
    return total / len(labels)
