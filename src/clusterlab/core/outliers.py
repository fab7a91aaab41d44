"""Rows far from their cluster's centre: a distance per row and an ``Outlier`` flag.

The distance is Euclidean, in the space K-Means worked in (encoded, standardised, weighted, PCA),
so it weighs columns exactly as the clustering did. A row is an outlier when its distance is beyond
the ``outlier_percentile`` (default 95th) of the distances of its own cluster's training rows: a wide
cluster is allowed wide members. The thresholds are learned once, at fit time, and stored in
model.json, so `clusterlab assign` judges next month's rows by this month's yardstick.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["Outliers", "centre_distances", "find_outliers", "outlier_thresholds"]

_CHUNK = 100_000  # rows per block, so the difference matrix stays small on millions of rows


@dataclass
class Outliers:
    """Per-row ``distance`` (NaN where unclustered) and ``flag``; per-cluster ``thresholds``."""

    distance: np.ndarray
    flag: np.ndarray
    thresholds: np.ndarray  # index i is cluster i + 1
    percentile: float

    @property
    def count(self) -> int:
        return int(self.flag.sum())

    def summary(self, clusters: np.ndarray, top: int = 10) -> dict[str, Any]:
        """Counts per cluster and the most distant rows (``row`` is 1-based, as in the file's data)."""
        clustered = clusters > 0
        by_cluster = [
            {
                "cluster": c,
                "threshold": float(self.thresholds[c - 1]),
                "count": int(self.flag[clusters == c].sum()),
            }
            for c in range(1, len(self.thresholds) + 1)
        ]
        distances = np.where(clustered, self.distance, -np.inf)
        order = np.argsort(-distances, kind="stable")[: min(top, int(self.flag.sum()))]
        return {
            "percentile": self.percentile,
            "count": self.count,
            "share": self.count / max(int(clustered.sum()), 1),
            "distance": "Euclidean distance to the cluster's centre in the clustering space "
            "(standardised, weighted, after PCA)",
            "by_cluster": by_cluster,
            "top": [
                {"row": int(i) + 1, "cluster": int(clusters[i]), "distance": float(self.distance[i])}
                for i in order
            ],
        }


def centre_distances(matrix: np.ndarray, centres: np.ndarray, clusters: np.ndarray) -> np.ndarray:
    """Distance from each row to the centre of its cluster (1..k); NaN for rows with cluster <= 0.

    >>> centre_distances(np.array([[0.0, 0], [3, 4], [1, 1]]), np.array([[0.0, 0]]), np.array([1, 1, 0]))
    array([ 0.,  5., nan])
    """
    out = np.full(len(matrix), np.nan)
    for start in range(0, len(matrix), _CHUNK):
        part = clusters[start : start + _CHUNK]
        ok = part > 0
        rows = matrix[start : start + _CHUNK][ok]
        diff = rows - centres[part[ok] - 1]
        block = out[start : start + _CHUNK]
        block[ok] = np.sqrt(np.einsum("ij,ij->i", diff, diff))
    return out


def outlier_thresholds(distances: np.ndarray, clusters: np.ndarray, k: int, percentile: float) -> np.ndarray:
    """The ``percentile`` of each cluster's distances (index i is cluster i + 1; NaN if empty).

    >>> outlier_thresholds(np.arange(1.0, 101), np.ones(100, dtype=int), 1, 95).round(2).tolist()
    [95.05]
    """
    out = np.full(k, np.nan)
    for c in range(1, k + 1):
        members = distances[clusters == c]
        if len(members):
            out[c - 1] = float(np.percentile(members, percentile))
    return out


def find_outliers(
    matrix: np.ndarray,
    clusters: np.ndarray,
    centres: np.ndarray,
    percentile: float,
    thresholds: np.ndarray | None = None,
) -> Outliers:
    """Distances and flags for every row; ``thresholds`` from training, or learned from these rows.

    A row is flagged when its distance is strictly beyond its cluster's threshold, so a cluster of
    identical rows has no outliers.
    """
    distance = centre_distances(matrix, centres, clusters)
    if thresholds is None or len(thresholds) != len(centres):
        thresholds = outlier_thresholds(distance, clusters, len(centres), percentile)
    limit = np.full(len(clusters), np.inf)
    clustered = clusters > 0
    limit[clustered] = np.nan_to_num(thresholds[clusters[clustered] - 1], nan=np.inf)
    flag = clustered & (np.nan_to_num(distance, nan=-np.inf) > limit)
    return Outliers(distance, flag, np.asarray(thresholds, dtype=float), float(percentile))
