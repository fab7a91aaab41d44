"""HDBSCAN: clusters as dense regions of any shape; k is found, and rows in no dense region are noise.

scikit-learn's ``HDBSCAN``. The smallest group worth calling a cluster (setting
``min_cluster_size``, default "auto") is 1% of the rows fitted, at least 5: a share, so the same
data gives the same answer whether or not it was sampled. Each row's density is judged on its
``min(min_cluster_size, 10)`` nearest neighbours (``min_samples``): enough to smooth over chance
gaps, few enough that a cluster's edge is not called noise.

Above :data:`MAX_ROWS` rows the fit is made on a seeded sample and extended by ``predict``: a new row
joins the cluster of its nearest fitted row when that row is in a cluster and the new row lies
within the row's core distance (the radius holding its ``min_samples`` neighbours: the cluster's
reach there); otherwise it is noise. Fitted rows get their own label back.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
from sklearn.cluster import HDBSCAN
from sklearn.neighbors import NearestNeighbors

from ..errors import Control, InputError
from .contract import NOISE, Fitted, Method, nearest

__all__ = ["MAX_ROWS", "DensityFit", "DensityMethod", "min_cluster_size_for"]

MAX_ROWS = 20_000
MIN_SAMPLES = 10


def min_cluster_size_for(n_rows: int) -> int:
    """The default smallest cluster: 1% of the rows, at least 5.

    >>> min_cluster_size_for(300), min_cluster_size_for(20_000)
    (5, 200)
    """
    return max(5, round(n_rows / 100))


class DensityFit(Fitted):
    """The fitted rows, their labels (-1 noise) and core distances."""

    method = "hdbscan"

    def __init__(self, rows: np.ndarray, row_labels: np.ndarray, reach: np.ndarray) -> None:
        self.rows = np.asarray(rows, dtype=np.float64)
        self.row_labels = np.asarray(row_labels, dtype=np.int64)
        self.reach = np.asarray(reach, dtype=np.float64)

    def predict(self, X: np.ndarray) -> np.ndarray:
        index, squared = nearest(X, self.rows)
        labels = self.row_labels[index]
        within = np.sqrt(squared) <= self.reach[index] + 1e-12
        return np.where(within & (labels >= 0), labels, NOISE)

    def state(self) -> dict[str, Any]:
        return {
            "rows": self.rows.tolist(),
            "row_labels": self.row_labels.tolist(),
            "reach": self.reach.tolist(),
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> DensityFit:
        out = cls(state["rows"], state["row_labels"], state["reach"])
        out.centers = np.asarray(state["centers"], dtype=float)
        return out


class DensityMethod(Method):
    name = "hdbscan"
    title = "HDBSCAN"
    description = (
        "HDBSCAN: dense groups of any shape; finds the number of clusters itself and leaves rows "
        "in no dense region as Noise."
    )
    needs_k = False
    quadratic = True
    max_rows = MAX_ROWS
    options = ("min_cluster_size",)
    fitted: ClassVar[type[Fitted]] = DensityFit

    def __init__(self, min_cluster_size: int | str = "auto") -> None:
        self.min_cluster_size = min_cluster_size

    def size_for(self, n_rows: int) -> int:
        if self.min_cluster_size == "auto":
            return min_cluster_size_for(n_rows)
        return int(self.min_cluster_size)

    def fit_rows(self, X: np.ndarray, k: int | None, seed: int, n_init: int) -> Fitted:
        X = np.asarray(X, dtype=np.float64)
        size = min(self.size_for(len(X)), len(X))
        samples = min(size, MIN_SAMPLES)
        labels = HDBSCAN(min_cluster_size=max(size, 2), min_samples=samples, copy=True).fit_predict(X)
        if (labels < 0).all():
            raise InputError(
                f"HDBSCAN found no cluster: with clusters of at least {size} rows, every one of the "
                f"{len(X):,} rows is noise. Lower {Control('min_cluster_size')} or choose another "
                f"{Control('method')}.",
                detail={"setting": "min_cluster_size"},
            )
        # The core distance: how far a row's min_samples-th neighbour (itself included) lies.
        distances, _ = NearestNeighbors(n_neighbors=min(samples, len(X))).fit(X).kneighbors(X)
        fitted = DensityFit(X, labels, distances[:, -1])
        fitted.finish(X, labels)
        return fitted
