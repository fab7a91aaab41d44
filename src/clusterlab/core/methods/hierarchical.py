"""Hierarchical (agglomerative) clustering: Ward, average, complete or single linkage, with its tree.

SciPy's ``linkage`` builds the tree, cut into k clusters (:func:`cut`: the first n - k merges, as
SciPy's ``cut_tree`` but in one pass; ``cut_tree`` walks the tree once per merge and took half of a
fit). Its memory and time grow with the square of the rows, so k is searched on a seeded sample of
:data:`SEARCH_ROWS` rows, and above :data:`MAX_ROWS` rows the tree is built on a seeded sample of
that many and every other row joins the cluster of its nearest sample row. The same rule is
``predict`` for new rows, for every linkage: it follows the tree's own boundaries (single linkage's
chains, average linkage's irregular shapes) where a nearest-centre rule would cut across them, and it
gives every fitted row its own label back.

``tree`` is the cluster-level dendrogram for a chart: SciPy's linkage-matrix layout over the k
clusters as leaves (rows ``[a, b, height, size]``, where ``a`` and ``b`` below k are clusters and
``k + i`` is the merge of row i), the last k - 1 merges of the full tree.
"""

from __future__ import annotations

from collections import deque
from typing import Any, ClassVar

import numpy as np
from scipy.cluster.hierarchy import linkage

from .contract import Fitted, Method, nearest

__all__ = ["LINKAGES", "MAX_ROWS", "SEARCH_ROWS", "TreeFit", "TreeMethod", "cluster_tree", "cut"]

LINKAGES = ("ward", "average", "complete", "single")
MAX_ROWS = 5000  # the condensed distance matrix: 100 MB of float64 at 5,000 rows
SEARCH_ROWS = 3000  # rows k is searched on: a tree of 3,000 rows in 0.4 s (docs/speed.md, "Other methods")


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
    search_rows = SEARCH_ROWS
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
        labels = cut(merges, k)
        fitted = TreeFit(X, labels, self.linkage, cluster_tree(merges, labels))
        fitted.finish(X, labels)
        return fitted


def cut(merges: np.ndarray, k: int) -> np.ndarray:
    """The tree ``merges`` (a SciPy linkage matrix over n rows) cut into ``k`` clusters, labelled
    0..k-1 in order of first appearance: SciPy's ``cut_tree`` partition, in one pass over the merges.

    >>> cut(linkage(np.array([[0.0], [1.0], [10.0], [11.0], [30.0]]), "single"), 3).tolist()
    [0, 0, 1, 1, 2]
    """
    n = len(merges) + 1
    k = min(max(int(k), 1), n)
    made = np.zeros(n - 1, dtype=bool)
    made[_cut_order(merges)[: n - k]] = True
    top = np.arange(2 * n - 1)  # each node's topmost ancestor among the merges made
    # From the last merge down: a node is always created after its children, so it already knows
    # its top when it hands it to them.
    for i in np.flatnonzero(made)[::-1]:
        top[int(merges[i, 0])] = top[int(merges[i, 1])] = top[n + i]
    return _compact(top[:n])


def _cut_order(merges: np.ndarray) -> np.ndarray:
    """The merges in the order ``cut_tree`` makes them: by height, and among equal heights the one
    found last walking the tree breadth-first from the root (right child first) comes first, so
    ties split the rows as SciPy's own cut does."""
    n = len(merges) + 1
    found = np.empty(n - 1, dtype=np.int64)
    queue, seen = deque([2 * n - 2]), 0
    while queue:
        node = queue.popleft()
        if node >= n:
            found[node - n] = seen
            seen += 1
            queue.extend((int(merges[node - n, 1]), int(merges[node - n, 0])))
    return np.lexsort((-found, merges[:, 2]))


def _compact(labels: np.ndarray) -> np.ndarray:
    """Labels 0..k-1 in order of first appearance."""
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
