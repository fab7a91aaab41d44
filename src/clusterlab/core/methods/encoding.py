"""Where the user columns are in the matrix a method clusters: each column's kind and encoded
columns, and the map back from the matrix to the encoded columns when PCA reduced it. A method that
models the user's columns one by one (the latent class model) reads them back with it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .gower import GowerColumn

__all__ = ["Encoding"]


class Encoding:
    """Where the user columns are: each column's kind and encoded columns, and the affine map from
    the matrix back to the encoded columns (``back``, ``offset``; None: the matrix is them)."""

    def __init__(
        self,
        columns: Sequence[GowerColumn],
        back: np.ndarray | None = None,
        offset: np.ndarray | None = None,
    ) -> None:
        self.columns = tuple(columns)
        self.back = None if back is None else np.asarray(back, dtype=np.float64)
        self.offset = None if offset is None else np.asarray(offset, dtype=np.float64)

    @property
    def discrete(self) -> list[GowerColumn]:
        return [c for c in self.columns if c.kind in ("category", "flag")]

    @property
    def numbers(self) -> list[int]:
        return [i for c in self.columns if c.kind not in ("category", "flag") for i in range(c.start, c.stop)]

    def read(self, X: np.ndarray) -> tuple[list[np.ndarray], np.ndarray]:
        """Each discrete column's level codes (0..L-1) and the number columns, for the rows ``X``."""
        E = np.asarray(X, dtype=np.float64)
        if self.back is not None:
            E = E @ self.back + (0.0 if self.offset is None else self.offset)
        codes = []
        for c in self.discrete:
            block = E[:, c.start : c.stop]
            codes.append(
                (block[:, 0] > 0).astype(np.int64) if c.stop - c.start == 1 else block.argmax(axis=1)
            )
        return codes, E[:, self.numbers]

    def levels(self) -> list[int]:
        return [2 if c.stop - c.start == 1 else c.stop - c.start for c in self.discrete]

    def to_state(self) -> dict[str, Any]:
        return {
            "columns": [[c.name, c.kind, c.start, c.stop] for c in self.columns],
            "back": None if self.back is None else self.back.tolist(),
            "offset": None if self.offset is None else self.offset.tolist(),
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> Encoding:
        columns = [GowerColumn(str(n), str(k), int(a), int(b)) for n, k, a, b in state["columns"]]
        back, offset = state.get("back"), state.get("offset")
        return cls(
            columns,
            None if back is None else np.asarray(back, dtype=np.float64),
            None if offset is None else np.asarray(offset, dtype=np.float64),
        )
