"""Hierarchical (agglomerative) clustering: Ward, average, complete or single linkage, with its tree.

SciPy's ``linkage`` builds the tree, cut into k clusters (``cut_tree``). Its memory and time grow
with the square of the rows, so above :data:`MAX_ROWS` rows the tree is built on a seeded sample of
that many and every other row joins the cluster of its nearest sample row. The same rule is
``predict`` for new rows, for every linkage: it follows the tree's own boundaries (single linkage's
chains, average linkage's irregular shapes) where a nearest-centre rule would cut across them, and it
gives every fitted row its own label back.

``tree`` is the cluster-level dendrogram for a chart: SciPy's linkage-matrix layout over the k
clusters as leaves (rows ``[a, b, height, size]``, where ``a`` and ``b`` below k are clusters and
``k + i`` is the merge of row i), the last k - 1 merges of the full tree.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
from scipy.cluster.hierarchy import cut_tree, linkage

from .contract import Fitted, Method, nearest

__all__ = ["LINKAGES", "MAX_ROWS", "TreeFit", "TreeMethod"]

LINKAGES = ("ward", "average", "complete", "single")
MAX_ROWS = 5000  # the condensed distance matrix: 100 MB of float64 at 5,000 rows


class TreeFit(Fitted):
    """The fitted rows and their labels (predict: the nearest fitted row's cluster) and the tree."""

    method = "hierarchical"

    def __init__(self, rows: np.ndarray, row_labels: np.ndarray, linkage: str, tree: np.ndarray) -> None:
        self.rows = np.asarray(rows, dtype=np.float64)
        self.row_labels = np.asarray(row_labels, dtype=np.int64)
        self.linkage = linkage
        self.tree = np.asarray(tree, dtype=float).reshape(-1, 4)

    def predict(self, X: np.ndarray) -> np.ndarray:
        return self.row_labels[nearest(X, self.rows)[0]]

    def state(self) -> dict[str, Any]:
        return {
            "linkage": self.linkage,
            "rows": self.rows.tolist(),
            "row_labels": self.row_labels.tolist(),
            "tree": self.tree.tolist(),
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> TreeFit:
        out = cls(state["rows"], state["row_labels"], str(state["linkage"]), np.asarray(state["tree"]))
        out.centers = np.asarray(state["centers"], dtype=float)
        return out


class TreeMethod(Method):
    name = "hierarchical"
    title = "Hierarchical"
    description = (
        "Hierarchical clustering: merges the closest groups step by step (Ward, average, complete or "
        "single linkage) and shows the tree."
    )
    quadratic = True
    max_rows = MAX_ROWS
    options = ("linkage",)
    fitted: ClassVar[type[Fitted]] = TreeFit

    def __init__(self, linkage: str = "ward") -> None:
        self.linkage = linkage

    def fit_rows(self, X: np.ndarray, k: int | None, seed: int, n_init: int) -> Fitted:
        if k is None:
            raise ValueError("Hierarchical clustering needs k.")
        if self.linkage not in LINKAGES:
            raise ValueError(f"linkage must be one of {', '.join(LINKAGES)}; got {self.linkage!r}")
        X = np.asarray(X, dtype=np.float64)
        merges = linkage(X, method=self.linkage)
        labels = _compact(cut_tree(merges, n_clusters=k).ravel())
        fitted = TreeFit(X, labels, self.linkage, cluster_tree(merges, labels))
        fitted.finish(X, labels)
        return fitted


def _compact(labels: np.ndarray) -> np.ndarray:
    """Labels 0..k-1 in order of first appearance (cut_tree's own order, made certain)."""
    _, first, inverse = np.unique(labels, return_index=True, return_inverse=True)
    rank = np.empty(len(first), dtype=np.int64)
    rank[np.argsort(first)] = np.arange(len(first))
    return rank[inverse]


def cluster_tree(merges: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """The last k - 1 merges of ``merges`` (a SciPy linkage matrix over the rows) with the k clusters
    as leaves: rows ``[a, b, height, size]`` in SciPy's layout.

    >>> merges = linkage(np.array([[0.0], [1.0], [10.0], [11.0], [30.0]]), "single")
    >>> cluster_tree(merges, np.array([0, 0, 1, 1, 2])).tolist()
    [[0.0, 1.0, 9.0, 4.0], [2.0, 3.0, 19.0, 5.0]]
    """
    n, k = len(labels), int(labels.max()) + 1
    node_cluster = np.empty(2 * n - 1, dtype=np.int64)  # any row below each node: its cluster
    node_cluster[:n] = labels
    for i, (a, _b, _, _) in enumerate(merges):
        node_cluster[n + i] = node_cluster[int(a)]
    top = merges[len(merges) - (k - 1) :] if k > 1 else merges[:0]
    first_top = n + len(merges) - (k - 1)
    out = []
    for a, b, height, size in top:
        ids = [
            float(k + int(c) - first_top) if int(c) >= first_top else float(node_cluster[int(c)])
            for c in (a, b)
        ]
        out.append([*ids, float(height), float(size)])
    return np.asarray(out, dtype=float).reshape(-1, 4)
