"""Empty number cells filled from the rows most like theirs, not with the column's median.

A row with an empty cell is known in its other columns. Filling the cell with the column's median
puts the row in the middle of the data in that column, between the groups: on three round groups
in three numbers with 10% of the cells empty (27% of the rows), K-Means at the true k fell from
ARI 0.95-1.00 on the complete data to 0.60-0.92, and the filled rows formed bridges that joined
groups for density methods. Filled from its ``NEIGHBOURS`` nearest complete rows (measured in the
columns the row does have, on the clustering's own scale: after scaling and weighting), the cell
takes the value of the row's own group (k-nearest-neighbour imputation, Troyanskaya et al. 2001).

The complete rows consulted are a seeded sample of at most ``REFERENCE_ROWS``, kept in model.json,
so ``assign`` fills new rows' empty cells the same way. With fewer than ``MIN_REFERENCE`` complete
rows the median stays.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["MIN_REFERENCE", "NEIGHBOURS", "REFERENCE_ROWS", "NeighbourFill"]

NEIGHBOURS = 5  # complete rows whose mean fills a cell (KNNImputer's default)
REFERENCE_ROWS = 2000  # complete rows kept to fill from (model.json holds them)
MIN_REFERENCE = 20  # fewer complete rows than this: the median stays
_BLOCK = 2000  # rows filled at a time (a block x REFERENCE_ROWS distance matrix: 32 MB)


class NeighbourFill:
    """Fills the marked cells of a matrix (scaled and weighted, before PCA) with the mean of those
    columns over each row's ``NEIGHBOURS`` nearest ``reference`` rows, by the row's other columns."""

    def __init__(self, reference: np.ndarray) -> None:
        self.reference = np.asarray(reference, dtype=np.float64)

    @classmethod
    def learn(cls, matrix: np.ndarray, empty: np.ndarray, seed: int) -> NeighbourFill | None:
        """From the rows of ``matrix`` with no ``empty`` cell (a seeded sample of at most
        ``REFERENCE_ROWS``); None when fewer than ``MIN_REFERENCE`` rows are complete."""
        complete = np.flatnonzero(~empty.any(axis=1))
        if len(complete) < MIN_REFERENCE:
            return None
        if len(complete) > REFERENCE_ROWS:
            complete = np.sort(
                np.random.default_rng([seed, 31]).choice(complete, REFERENCE_ROWS, replace=False)
            )
        return cls(matrix[complete])

    def fill(self, matrix: np.ndarray, empty: np.ndarray) -> np.ndarray:
        """``matrix`` with its ``empty`` cells filled; rows with every column empty keep theirs.

        >>> low = np.array([[0.0, 0.0], [0.1, 0.2], [0.2, 0.1], [0.0, 0.1], [0.1, 0.1]])
        >>> fill = NeighbourFill(np.vstack([low, low + 10.0]))  # two groups, at 0 and at 10
        >>> out = fill.fill(np.array([[9.9, 5.0], [0.1, 5.0]]), np.array([[False, True], [False, True]]))
        >>> out[:, 1].round(2).tolist()  # each row takes its own group's value, not the middle's
        [10.1, 0.1]
        """
        out = np.array(matrix, dtype=np.float64, copy=True)
        rows = np.flatnonzero(empty.any(axis=1))
        if not len(rows):
            return out
        k = min(NEIGHBOURS, len(self.reference))
        # Rows with the same empty columns are filled together: one distance matrix per pattern.
        patterns, which = np.unique(empty[rows], axis=0, return_inverse=True)
        for p, pattern in enumerate(patterns):
            observed = ~pattern
            if not observed.any():
                continue
            members = rows[np.asarray(which).reshape(-1) == p]
            known = self.reference[:, observed]
            for start in range(0, len(members), _BLOCK):
                block = members[start : start + _BLOCK]
                part = out[np.ix_(block, np.flatnonzero(observed))]
                squared = (
                    np.einsum("ij,ij->i", part, part)[:, None]
                    + np.einsum("ij,ij->i", known, known)[None, :]
                    - 2.0 * part @ known.T
                )
                nearest = np.argpartition(squared, k - 1, axis=1)[:, :k]
                values = self.reference[:, pattern][nearest].mean(axis=1)
                out[np.ix_(block, np.flatnonzero(pattern))] = values
        return out

    def to_state(self) -> dict[str, Any]:
        return {"reference": self.reference.tolist()}

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> NeighbourFill:
        return cls(np.asarray(state["reference"], dtype=np.float64))
