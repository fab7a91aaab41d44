"""Gower's distance (Gower 1971) between rows of the encoded matrix, computed per user column.

Gower's distance between two rows is the mean, over the user's columns, of each column's own
dissimilarity, each between 0 and 1: a number's ``|x - y| / range``, a category's or a yes/no's
mismatch (0 when equal, 1 when not). An ordinal counts as a number (its rank); a column the encoder
made into several numbers (a text's components, a date's year and season) counts once, the mean of
its parts. So no column outweighs another whatever its units, spread or number of levels.

It is worked out on the preprocessor's matrix before PCA, whose columns are each a scaled and
shifted copy of one encoded column: a difference divided by its column's range there is the same as
in the encoded values, so the matrix and the layout of its columns (:class:`GowerColumn`: which
encoded columns belong to which user column, and its kind) are all it needs. Every part is then a
weighted absolute difference, so the distance is a weighted Manhattan distance on the rescaled
matrix: numbers are placed at ``(x - low) * share / range``, and a one-hot level's 0/1 column
counts half a mismatch (two levels differ in two columns). The ranges are the training rows' (of
the encoded values: after log scaling and the clipping of far-out values, so one typo does not set a
column's scale); a new row's value beyond them is clipped to them, so each part stays within [0, 1].

Empty cells were filled by the encoders (as for every method), so Gower's own rule for them
(leave the column out of that pair's mean) is not needed.

>>> X = np.array([[1.0, 0.0, 1.0], [3.0, 1.0, 0.0], [2.0, 0.0, 1.0]])
>>> columns = (GowerColumn("x", "number", 0, 1), GowerColumn("c", "category", 1, 3))
>>> GowerSpace.learn(X, columns).pairwise(X).round(3).tolist()
[[0.0, 1.0, 0.25], [1.0, 0.0, 0.75], [0.25, 0.75, 0.0]]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["DISCRETE", "KINDS", "GowerColumn", "GowerSpace", "uses_gower"]

KINDS = ("number", "category", "flag")  # flag: a yes/no column (one 0/1 encoded column)
DISCRETE = ("category", "flag")
_CELLS = 4_000_000  # float64 cells per block of distances to a few points (32 MB)
# Rows x rows cells per block of the pairwise matrix: small enough (1 MB) to stay in the CPU's cache
# across a block's passes over the columns, which makes it 5 times faster than 16 MB blocks.
_PAIR_CELLS = 250_000


@dataclass(frozen=True)
class GowerColumn:
    """One user column: its kind (``KINDS``), its encoded columns ``start:stop`` and its weight in
    the mean (Gower's ``w_k``: 1 for a number, the category weight for a category or yes/no)."""

    name: str
    kind: str
    start: int
    stop: int
    weight: float = 1.0


def uses_gower(distance: str, kinds: Iterable[str]) -> bool:
    """Whether ``distance`` ("auto", "euclidean" or "gower") means Gower for columns of these kinds:
    "auto" is Gower when any column is a category or a yes/no (where it differs from Euclidean)."""
    return distance == "gower" or (distance == "auto" and any(kind in DISCRETE for kind in kinds))


class GowerSpace:
    """Where each encoded column puts a row for Gower's distance (the module docstring says why).

    ``low``/``high``: each encoded column's training range; ``share``: what a full-range difference
    in it adds to the distance (1 / columns for a number or yes/no, half that for a one-hot level,
    divided among a several-part column's parts); ``discrete``: the 0/1 columns (levels, yes/no).
    """

    def __init__(self, low: np.ndarray, high: np.ndarray, share: np.ndarray, discrete: np.ndarray) -> None:
        self.low = np.asarray(low, dtype=float)
        self.high = np.asarray(high, dtype=float)
        self.share = np.asarray(share, dtype=float)
        self.discrete = np.asarray(discrete, dtype=bool)
        span = self.high - self.low
        self._span = np.where(span > 0, span, 1.0)
        self._share = np.where(span > 0, self.share, 0.0)  # a constant column never differs

    @classmethod
    def learn(cls, X: np.ndarray, columns: Sequence[GowerColumn] | None) -> GowerSpace:
        """The space of the training rows ``X``; ``columns`` None: each encoded column is a number."""
        if columns is None:
            columns = [GowerColumn(str(j), "number", j, j + 1) for j in range(X.shape[1])]
        if not columns or columns[-1].stop != X.shape[1]:
            raise ValueError(
                f"the column layout covers {columns[-1].stop if columns else 0} of {X.shape[1]} columns"
            )
        weights = np.array([max(c.weight, 0.0) for c in columns])
        if weights.sum() <= 0:  # every column weighted 0: count them equally rather than not at all
            weights = np.ones(len(columns))
        weights = weights / weights.sum()
        share = np.zeros(X.shape[1])
        discrete = np.zeros(X.shape[1], dtype=bool)
        for column, weight in zip(columns, weights, strict=True):
            width = column.stop - column.start
            # Two levels differ in two one-hot columns: half each; a several-part number shares out.
            part = 0.5 if column.kind == "category" else 1.0 / width
            share[column.start : column.stop] = weight * part
            discrete[column.start : column.stop] = column.kind in DISCRETE
        # min and max in X's own dtype: no float64 copy of a large float32 matrix
        return cls(
            np.asarray(X.min(axis=0), dtype=float), np.asarray(X.max(axis=0), dtype=float), share, discrete
        )

    # --- the rows in the space ----------------------------------------------------------------------
    def _place(self, X: np.ndarray, dtype: type) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Numbers at ``(x - low) * share / range`` (clipped to the range), the 0/1 indicators of the
        discrete columns, and each indicator's share."""
        X = np.clip(np.asarray(X, dtype=float), self.low, self.high) - self.low
        numbers = (X[:, ~self.discrete] * (self._share / self._span)[~self.discrete]).astype(dtype)
        indicators = np.rint(X[:, self.discrete] / self._span[self.discrete]).astype(dtype)
        return numbers, indicators, self._share[self.discrete].astype(dtype)

    def pairwise(self, X: np.ndarray) -> np.ndarray:
        """Gower's distance between all rows of ``X`` (float32, zero diagonal), for FasterPAM.

        A mismatch of 0/1 indicators is ``a + b - 2ab``, so the discrete columns cost one matrix
        product; the numbers' absolute differences are summed a block of rows at a time.
        """
        numbers, indicators, share = self._place(X, np.float32)
        n = len(numbers)
        weighted = indicators * share
        mass = weighted.sum(axis=1)
        out = -2.0 * (weighted @ indicators.T)
        out += mass[:, None]
        out += mass[None, :]
        block = max(1, _PAIR_CELLS // max(n, 1))
        for start in range(0, n, block):
            part = out[start : start + block]
            for j in range(numbers.shape[1]):
                part += np.abs(numbers[start : start + block, j, None] - numbers[None, :, j])
        np.maximum(out, 0.0, out=out)
        np.fill_diagonal(out, 0.0)
        return out

    def to_points(self, X: np.ndarray, points: np.ndarray) -> np.ndarray:
        """Gower's distance (float64) from each row of ``X`` to each of a few ``points`` (medoids)."""
        p_numbers, p_indicators, share = self._place(points, np.float64)
        weighted = p_indicators * share
        out = np.empty((len(X), len(p_numbers)))
        # A block of rows is placed at a time, so a million rows never make a float64 copy at once.
        block = max(1, _CELLS // max(len(p_numbers) * max(p_numbers.shape[1], 1), X.shape[1], 1))
        for start in range(0, len(X), block):
            numbers, indicators, _ = self._place(X[start : start + block], np.float64)
            part = np.abs(numbers[:, None, :] - p_numbers[None, :, :]).sum(axis=2)
            part += (indicators * share).sum(axis=1)[:, None] + weighted.sum(axis=1)[None, :]
            part -= 2.0 * indicators @ weighted.T
            out[start : start + block] = part
        return np.maximum(out, 0.0)

    # --- JSON state ---------------------------------------------------------------------------------
    def to_state(self) -> dict[str, Any]:
        return {
            "low": self.low.tolist(),
            "high": self.high.tolist(),
            "share": self.share.tolist(),
            "discrete": self.discrete.tolist(),
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> GowerSpace:
        return cls(
            np.asarray(state["low"], dtype=float),
            np.asarray(state["high"], dtype=float),
            np.asarray(state["share"], dtype=float),
            np.asarray(state["discrete"], dtype=bool),
        )
