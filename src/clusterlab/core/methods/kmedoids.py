"""K-Medoids (FasterPAM, Schubert & Rousseeuw 2021): each cluster's centre is one of its own rows.

The ``kmedoids`` package's FasterPAM on a precomputed distance matrix. A medoid is a real row, so it
is each cluster's example as it stands in the file, and a few extreme rows pull it far less than
they pull a mean. FasterPAM needs the full n x n matrix, so above :data:`MAX_ROWS` rows it runs on a
seeded sample of that many (the matrix then takes 100 MB as float32) and every row joins its nearest
medoid, which is also ``predict`` for new rows;
k is searched on a seeded sample of :data:`SEARCH_ROWS` rows.

The distance (setting ``distance``): "euclidean" is that of the encoded matrix, the space every
method here works in; "gower" is Gower's distance, each user column's own difference averaged
with the columns' weights (a number 1, a category its category weight; :mod:`.gower`), which needs the layout of the user columns in the matrix
(:meth:`MedoidMethod.with_columns`, given by the estimator from the preprocessor, which then does not
reduce the matrix with PCA); "auto" is Gower when a category or yes/no column is among them. Without
a layout, "gower" treats every encoded column as a number of its own. The medoids are rows of the
matrix either way, so the centres the rest of the pipeline uses (outliers, profiles) are the medoids.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

import numpy as np

from .contract import Fitted, Method, nearest, seeded_rows, within_of
from .gower import GowerColumn, GowerSpace, uses_gower
from .pairwise import sample_distances

__all__ = ["DISTANCES", "MAX_ROWS", "SEARCH_ROWS", "MedoidFit", "MedoidMethod"]

MAX_ROWS = 5000  # the distance matrix: 5,000 x 5,000 float32 is 100 MB
SEARCH_ROWS = 3000  # rows k is searched on: a fit of 3,000 rows in 0.3 s (docs/speed.md, "Other methods")
DISTANCES = ("auto", "euclidean", "gower")


class MedoidFit(Fitted):
    """The medoids (the centres are these rows); a row belongs to its nearest medoid, by Gower's
    distance when ``space`` is set, else Euclidean."""

    method = "kmedoids"

    def __init__(self, centers: np.ndarray, space: GowerSpace | None = None) -> None:
        self.centers = np.asarray(centers, dtype=np.float64)
        self.space = space

    @property
    def distance(self) -> str:
        """The distance the medoids were chosen by: "gower" or "euclidean"."""
        return "euclidean" if self.space is None else "gower"

    def predict(self, X: np.ndarray) -> np.ndarray:
        if self.space is None:
            return nearest(X, self.centers)[0]
        return np.asarray(self.space.to_points(X, self.centers).argmin(axis=1), dtype=np.int64)

    def state(self) -> dict[str, Any]:
        if self.space is None:
            return {"distance": "euclidean"}
        return {"distance": "gower", "gower": self.space.to_state()}

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> MedoidFit:
        # Files written before the distance setting were Euclidean.
        space = GowerSpace.from_state(state["gower"]) if state.get("distance") == "gower" else None
        return cls(np.asarray(state["centers"], dtype=float), space)


class MedoidMethod(Method):
    name = "kmedoids"
    title = "K-Medoids"
    description = (
        "K-Medoids: round clusters around a real row each (its example), less pulled by extreme rows "
        "than K-Means; on tables with categories, rows compared by Gower's distance."
    )
    quadratic = True
    max_rows = MAX_ROWS
    options = ("distance",)
    search_rows = SEARCH_ROWS
    fitted: ClassVar[type[Fitted]] = MedoidFit

    def __init__(self, distance: str = "auto") -> None:
        self.distance = distance
        self.columns: tuple[GowerColumn, ...] | None = None  # the user columns' layout, once given

    def with_columns(self, columns: Sequence[GowerColumn] | None) -> Method:
        made = MedoidMethod(self.distance)
        made.columns = tuple(columns) if columns is not None else None
        return made

    @property
    def gower(self) -> bool:
        """Whether this instance measures by Gower's distance (``distance`` "auto" resolved)."""
        kinds = [c.kind for c in self.columns] if self.columns is not None else []
        return uses_gower(self.distance, kinds)

    def distances(self, X: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """Gower's distance when this instance measures by it (ranges from every row of ``X``, as a
        fit learns them), else Euclidean."""
        if not self.gower:
            return super().distances(X, rows)
        return GowerSpace.learn(X, self.columns).pairwise(X[rows])

    def fit(self, X: np.ndarray, k: int | None, seed: int, n_init: int = 1) -> Fitted:
        # Gower's ranges come from every training row, not only from the sample the medoids are
        # chosen on, so a row outside the sample is not clipped for being the largest.
        space = GowerSpace.learn(X, self.columns) if self.gower else None
        if self.max_rows is not None and len(X) > self.max_rows:
            rows = seeded_rows(len(X), self.max_rows, seed)
            return self._fit(X[rows], k, seed, n_init, space).extended(X, rows)
        return self._fit(X, k, seed, n_init, space)

    def fit_rows(self, X: np.ndarray, k: int | None, seed: int, n_init: int) -> Fitted:
        return self._fit(X, k, seed, n_init, GowerSpace.learn(X, self.columns) if self.gower else None)

    def _fit(self, X: np.ndarray, k: int | None, seed: int, n_init: int, space: GowerSpace | None) -> Fitted:
        import kmedoids

        if k is None:
            raise ValueError("K-Medoids needs k.")
        X = np.asarray(X, dtype=np.float64)
        distances = sample_distances(X) if space is None else space.pairwise(X)
        best = None
        for start in range(max(n_init, 1)):
            # One CPU: the sweep already runs fits side by side, and the machine is shared.
            result = kmedoids.fasterpam(distances, k, random_state=seed + start, n_cpu=1)
            if best is None or result.loss < best.loss:
                best = result
        assert best is not None
        medoids = np.asarray(best.medoids, dtype=np.int64)
        fitted = MedoidFit(X[medoids], space)
        fitted.labels = fitted.predict(X)
        fitted.representatives = medoids
        fitted.within = within_of(X, fitted.labels, fitted.centers)
        fitted.n_iter = int(best.n_iter)
        return fitted
