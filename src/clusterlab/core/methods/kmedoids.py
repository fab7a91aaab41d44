"""K-Medoids (FasterPAM, Schubert & Rousseeuw 2021): each cluster's centre is one of its own rows.

The ``kmedoids`` package's FasterPAM on the Euclidean distances of the encoded matrix (the space every
method here works in). A medoid is a real row, so it is each cluster's example as it stands in the
file, and a few extreme rows pull it far less than they pull a mean. FasterPAM needs the full n x n
distance matrix, so above :data:`MAX_ROWS` rows it runs on a seeded sample of that many (the matrix
then takes 100 MB as float32) and every row joins its nearest medoid, which is also ``predict`` for
new rows; k is searched on a seeded sample of :data:`SEARCH_ROWS` rows.

Gower distance (each original column's own distance: range-scaled numbers, 0/1 mismatch of
categories, averaged) would need the original columns beside the encoded matrix at fit and at
predict time, and a medoid state in original values; the contract hands methods the encoded matrix
only, where categories are one-hot columns weighed by ``category_weight``, so this uses that space.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from .contract import Fitted, Method, nearest, within_of
from .pairwise import sample_distances

__all__ = ["MAX_ROWS", "SEARCH_ROWS", "MedoidFit", "MedoidMethod"]

MAX_ROWS = 5000  # the distance matrix: 5,000 x 5,000 float32 is 100 MB
SEARCH_ROWS = 3000  # rows k is searched on: a fit of 3,000 rows in 0.3 s (docs/speed.md, "Other methods")


class MedoidFit(Fitted):
    """The medoids (the centres are these rows); a row belongs to its nearest medoid."""

    method = "kmedoids"

    def __init__(self, centers: np.ndarray) -> None:
        self.centers = np.asarray(centers, dtype=np.float64)

    def predict(self, X: np.ndarray) -> np.ndarray:
        return nearest(X, self.centers)[0]

    def state(self) -> dict[str, Any]:
        return {}

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> MedoidFit:
        return cls(np.asarray(state["centers"], dtype=float))


class MedoidMethod(Method):
    name = "kmedoids"
    title = "K-Medoids"
    description = (
        "K-Medoids: round clusters around a real row each (its example), less pulled by extreme rows "
        "than K-Means."
    )
    quadratic = True
    max_rows = MAX_ROWS
    search_rows = SEARCH_ROWS
    fitted: ClassVar[type[Fitted]] = MedoidFit

    def fit_rows(self, X: np.ndarray, k: int | None, seed: int, n_init: int) -> Fitted:
        import kmedoids

        if k is None:
            raise ValueError("K-Medoids needs k.")
        X = np.asarray(X, dtype=np.float64)
        distances = sample_distances(X)
        best = None
        for start in range(max(n_init, 1)):
            # One CPU: the sweep already runs fits side by side, and the machine is shared.
            result = kmedoids.fasterpam(distances, k, random_state=seed + start, n_cpu=1)
            if best is None or result.loss < best.loss:
                best = result
        assert best is not None
        medoids = np.asarray(best.medoids, dtype=np.int64)
        fitted = MedoidFit(X[medoids])
        fitted.labels = fitted.predict(X)
        fitted.representatives = medoids
        fitted.within = within_of(X, fitted.labels, fitted.centers)
        fitted.n_iter = int(best.n_iter)
        return fitted
