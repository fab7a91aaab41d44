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

On a table with numbers and categories (or yes/no columns) density is measured in the numbers'
columns only (``shape``: the linear map from the matrix to them, through PCA when the matrix was
reduced; ``Preprocessor.shape_projection``): a category's levels are islands of rows equal in it, apart by
its weight, so HDBSCAN would find every combination of levels as a dense cluster of its own (two
moons with an unrelated yes/no and a three-level colour: 4 to 11 clusters, ARI 0.13 to 0.50). Shapes
live in the numbers; groups carried by categories are K-Means' and the mixture's to find.
"""

from __future__ import annotations

from collections.abc import Sequence
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
    """The fitted rows (where density was measured: the matrix times ``shape``, or the matrix
    itself when ``shape`` is None), their labels (-1 noise) and core distances."""

    method = "hdbscan"

    def __init__(
        self,
        rows: np.ndarray,
        row_labels: np.ndarray,
        reach: np.ndarray,
        shape: np.ndarray | Sequence[Sequence[float]] | None = None,
    ) -> None:
        self.rows = np.asarray(rows, dtype=np.float64)
        self.row_labels = np.asarray(row_labels, dtype=np.int64)
        self.reach = np.asarray(reach, dtype=np.float64)
        self.shape = None if shape is None else np.asarray(shape, dtype=np.float64)

    def predict(self, X: np.ndarray) -> np.ndarray:
        if self.shape is not None:
            X = np.asarray(X, dtype=np.float64) @ self.shape
        index, squared = nearest(X, self.rows)
        labels = self.row_labels[index]
        within = np.sqrt(squared) <= self.reach[index] + 1e-12
        return np.where(within & (labels >= 0), labels, NOISE)

    def state(self) -> dict[str, Any]:
        return {
            "rows": self.rows.tolist(),
            "row_labels": self.row_labels.tolist(),
            "reach": self.reach.tolist(),
            "shape": None if self.shape is None else self.shape.tolist(),
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> DensityFit:
        # Files written before density was measured in the numbers measured it in every column.
        out = cls(state["rows"], state["row_labels"], state["reach"], state.get("shape"))
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
        self.shape: np.ndarray | None = None  # the map to the columns density is measured in (None: all)

    def with_shape(self, shape: np.ndarray | None) -> Method:
        made = DensityMethod(self.min_cluster_size)
        made.shape = shape
        return made

    def measured(self, X: np.ndarray) -> np.ndarray:
        return X if self.shape is None else np.asarray(X, dtype=np.float64) @ self.shape

    def size_for(self, n_rows: int) -> int:
        if self.min_cluster_size == "auto":
            return min_cluster_size_for(n_rows)
        return int(self.min_cluster_size)

    def fit_rows(self, X: np.ndarray, k: int | None, seed: int, n_init: int) -> Fitted:
        X = np.asarray(X, dtype=np.float64)
        D = self.measured(X)
        size = min(self.size_for(len(X)), len(X))
        samples = min(size, MIN_SAMPLES)
        labels = HDBSCAN(min_cluster_size=max(size, 2), min_samples=samples, copy=True).fit_predict(D)
        if (labels < 0).all():
            raise InputError(
                f"HDBSCAN found no cluster: with clusters of at least {size} rows, every one of the "
                f"{len(X):,} rows is noise. Lower {Control('min_cluster_size')} or choose another "
                f"{Control('method')}.",
                detail={"setting": "min_cluster_size"},
            )
        # The core distance: how far a row's min_samples-th neighbour (itself included) lies.
        distances, _ = NearestNeighbors(n_neighbors=min(samples, len(D))).fit(D).kneighbors(D)
        fitted = DensityFit(D, labels, distances[:, -1], self.shape)
        fitted.finish(X, labels)  # centres in every column: the profiles describe them
        return fitted
