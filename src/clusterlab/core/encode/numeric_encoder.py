"""Numbers (also typed as text) for clustering: the median for empty cells, heavy tails
log-scaled and far-out values clipped, each decided at fit time and reported."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import pandas as pd

from ..errors import Control, Note
from ..formatting import format_number
from ..read.number_text import parse_numbers
from .column_encoder import ColumnEncoder, filled_note

__all__ = ["FAR_OUT", "MAX_CLIPPED_SHARE", "NumericEncoder"]

FAR_OUT = 3.0  # Tukey's "far out" fence, in interquartile ranges beyond the quartiles
MAX_CLIPPED_SHARE = 0.01  # clip only when at most this share of the values lies beyond the fences


class NumericEncoder(ColumnEncoder):
    """Numbers (also written as text), empty cells filled with the median, tamed for clustering.

    Two automatic treatments, each decided once at fit time, reported, and stored in the JSON state:

    * ``heavy_tails="log"``: a non-negative column whose skewness is above 1 (Bulmer's "highly
      skewed") is replaced by ``log(1 + x / s)``, ``s`` the median of its positive values, when that
      at least halves the skewness. Spend, income and counts behave like this; without the log a few
      big spenders set the scale and everyone else is squeezed together. Dividing by the median keeps
      the log gentle near zero, so a column with many zeros does not turn them into a far-away spike.
    * ``outliers="clip"``: values beyond Tukey's far-out fences (3 IQR past the quartiles, after the
      log if any) are clipped to the fence. A Gaussian column has about 2 in a million values there,
      so in clean data nothing moves; one absurd cell (9899999.0 for 9.9) can no longer stretch the
      scale or take a cluster for itself. Only when at most 1% of the values lie out there: more are
      a tail or a group, not stray cells. The user's data keeps the original value.
    """

    role = "numeric"
    _state = (
        "median_",
        "n_missing_",
        "log_scale_",
        "lower_",
        "upper_",
        "n_clipped_",
        "n_high_",
        "skew_",
        "clipped_examples_",
        "filled_from_",
    )
    _state_defaults: ClassVar[dict[str, Any]] = {
        "log_scale_": None,
        "lower_": None,
        "upper_": None,
        "n_clipped_": 0,
        "n_high_": 0,
        "skew_": None,
        "clipped_examples_": [],
        "filled_from_": None,  # files written before empty cells were filled from neighbours
    }

    def __init__(
        self, column: str, decimal: str | None = ".", heavy_tails: str = "log", outliers: str = "clip"
    ) -> None:
        self.column = column
        self.decimal = decimal
        self.heavy_tails = heavy_tails
        self.outliers = outliers

    def numbers(self, values: pd.Series) -> np.ndarray:
        """The column's numbers as read (NaN where a cell is empty or not a number)."""
        return parse_numbers(values, self.decimal).values

    def _learn(self, values: pd.Series) -> None:
        numbers = self.numbers(values)
        finite = numbers[np.isfinite(numbers)]
        self.median_ = float(np.median(finite)) if finite.size else 0.0
        self.n_missing_ = int(numbers.size - finite.size)
        # How empty cells end up filled, once the preprocessor knows (None: with the median).
        self.filled_from_: str | None = None
        self.log_scale_: float | None = None
        self.skew_: list[float] | None = None
        if self.heavy_tails == "log":
            self._learn_log(finite)
        self.lower_: float | None = None
        self.upper_: float | None = None
        self.n_clipped_ = self.n_high_ = 0
        self.clipped_examples_: list[list[float]] = []
        if self.outliers == "clip" and finite.size:
            self._learn_fences(self._log(finite))
        if self.n_clipped_:
            self.clipped_examples_ = self._far_out_examples(values, numbers)

    def _learn_log(self, finite: np.ndarray) -> None:
        # Step 1: only non-negative columns with enough distinct values can be log-scaled.
        if finite.size < 8 or finite.min() < 0 or len(np.unique(finite)) < 5:
            return
        # Step 2: the column must be highly skewed (skewness above 1).
        before = _skewness(finite)
        if not before > 1.0:
            return
        # Step 3: the log must remove at least half of the skewness, else it is not a tail problem.
        scale = float(np.median(finite[finite > 0]))
        after = _skewness(np.log1p(finite / scale))
        if abs(after) <= before / 2:
            self.log_scale_ = scale
            self.skew_ = [round(before, 3), round(after, 3)]

    def _learn_fences(self, values: np.ndarray) -> None:
        q1, q3 = np.percentile(values, [25, 75])
        spread = q3 - q1
        if not spread > 0:  # mostly one value: everything else would count as an outlier
            return
        lower, upper = q1 - FAR_OUT * spread, q3 + FAR_OUT * spread
        high = int((values > upper).sum())
        outside = high + int((values < lower).sum())
        # Outliers are rare by definition: when more than 1% of the values lie out there, they are a
        # tail or a group of their own (a frequency column stuck at 1.0 with a long lower tail), not
        # stray cells, and clipping them would flatten real differences.
        if 0 < outside <= max(1, MAX_CLIPPED_SHARE * len(values)):
            self.lower_, self.upper_, self.n_clipped_, self.n_high_ = (
                float(lower),
                float(upper),
                outside,
                high,
            )

    def _log(self, numbers: np.ndarray) -> np.ndarray:
        if self.log_scale_ is None:
            return numbers
        # New data may hold negative values the training data never had: they count as 0.
        return np.log1p(np.maximum(numbers, 0.0) / self.log_scale_)

    def _encode(self, values: pd.Series) -> np.ndarray:
        numbers = self.numbers(values)
        out = self._log(np.where(np.isfinite(numbers), numbers, self.median_))
        if self.lower_ is not None and self.upper_ is not None:
            out = np.clip(out, self.lower_, self.upper_)
        return out.reshape(-1, 1)

    def _beyond(self, numbers: np.ndarray) -> np.ndarray:
        """How far each number lies beyond the far-out fences, in the encoded units (after the log):
        positive beyond, zero or negative inside, NaN for empty cells or when nothing was clipped."""
        if self.lower_ is None or self.upper_ is None:
            return np.full(len(numbers), np.nan)
        with np.errstate(invalid="ignore"):
            scaled = self._log(numbers)
            return np.maximum(scaled - self.upper_, self.lower_ - scaled)

    def far_out(self, values: pd.Series) -> np.ndarray:
        """Which cells lie beyond the far-out fences learned at fit time (the cells clipped for
        clustering); all False when nothing was clipped at fit time or clipping is off."""
        return np.nan_to_num(self._beyond(self.numbers(values)), nan=0.0) > 0

    def _far_out_examples(self, values: pd.Series, numbers: np.ndarray) -> list[list[Any]]:
        """The most extreme far-out cells as ``[row, value]``, farthest first (row 1-based as in the
        file's data, or None when the column is not the whole table in its order, e.g. a sample)."""
        beyond = np.nan_to_num(self._beyond(numbers), nan=0.0)
        positions = np.flatnonzero(beyond > 0)
        positions = positions[np.argsort(-beyond[positions], kind="stable")][:CLIPPED_EXAMPLES]
        index = values.index
        whole = isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1
        return [[int(p) + 1 if whole else None, float(numbers[p])] for p in positions]

    def new_data_notes(self, values: pd.Series) -> list[Note]:
        parsed = parse_numbers(values, self.decimal)
        filled = self._filled_words("training median")
        notes = filled_note(self.column, len(values) - parsed.n_present, filled, stage="assign")
        if parsed.n_failed:
            examples = ", ".join(repr(e) for e in parsed.failed_examples)
            notes.append(
                Note(
                    "assign",
                    f"Column '{self.column}' has {parsed.n_failed} value(s) that are not numbers "
                    f"(e.g. {examples}); {filled}.",
                    column=self.column,
                    count=parsed.n_failed,
                    level="warning",
                )
            )
        return notes

    def _filled_words(self, median: str) -> str:
        if self.filled_from_:
            return f"they were filled from {self.filled_from_}"
        return f"they were filled with the {median} ({format_number(self.median_)})"

    def _raw(self, value: float) -> float:
        """A value in the encoded units back in the column's own units (for messages)."""
        return value if self.log_scale_ is None else float(np.expm1(value) * self.log_scale_)

    def fit_notes(self) -> list[Note]:
        notes = filled_note(self.column, self.n_missing_, self._filled_words("median"))
        if self.log_scale_ is not None and self.skew_ is not None:
            notes.append(
                Note(
                    "encode",
                    f"Column '{self.column}' is heavy-tailed (skewness {self.skew_[0]:.1f}); it was "
                    f"log-scaled for clustering as log(1 + x / {format_number(self.log_scale_)}), which brings "
                    f"the skewness to {self.skew_[1]:.1f}. Turn off with {Control('heavy_tails', 'keep')}.",
                    column=self.column,
                )
            )
        return notes + self.far_out_notes()

    def far_out_notes(self) -> list[Note]:
        """The note naming the cells clipped at fit time (also what "Your data" shows before a run)."""
        notes = []
        if self.n_clipped_ and self.lower_ is not None and self.upper_ is not None:
            low, high = format_number(self._raw(self.lower_)), format_number(self._raw(self.upper_))
            n_low = self.n_clipped_ - self.n_high_
            sides = [f"{self.n_high_} above {high} count as {high}"] if self.n_high_ else []
            sides += [f"{n_low} below {low} count as {low}"] if n_low else []
            shown = _examples_text(self.clipped_examples_, self.n_clipped_)
            notes.append(
                Note(
                    "encode",
                    f"Column '{self.column}' has {self.n_clipped_} value(s) far outside the rest{shown}, more "
                    f"than 3 interquartile ranges beyond the quartiles: for clustering, {' and '.join(sides)}; "
                    f"your data keeps them. Turn off with {Control('outliers', 'keep')}.",
                    column=self.column,
                    count=self.n_clipped_,
                    level="warning",
                )
            )
        return notes

    def choices(self) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        if self.n_missing_ and self.filled_from_:
            out.append(
                {
                    "column": self.column,
                    "step": "fill",
                    "setting": "impute",
                    "detail": {"cells": self.n_missing_, "from": "neighbours", "median": self.median_},
                }
            )
        if self.log_scale_ is not None and self.skew_ is not None:
            out.append(
                {
                    "column": self.column,
                    "step": "log",
                    "setting": "heavy_tails",
                    "detail": {
                        "scale": self.log_scale_,
                        "skew_before": self.skew_[0],
                        "skew_after": self.skew_[1],
                    },
                }
            )
        if self.n_clipped_:
            out.append(
                {
                    "column": self.column,
                    "step": "clip",
                    "setting": "outliers",
                    "detail": {
                        "rows": self.n_clipped_,
                        "rows_above": self.n_high_,
                        "lower": self._raw(self.lower_ or 0.0),
                        "upper": self._raw(self.upper_ or 0.0),
                        "examples": [
                            {"row": None if row is None else int(row), "value": value}
                            for row, value in self.clipped_examples_
                        ],
                    },
                }
            )
        return out


CLIPPED_EXAMPLES = 5  # far-out cells named (row and value) in the note; the count says how many in all


def _examples_text(examples: list[list[Any]], count: int) -> str:
    """' (row 172: 9,899,999)' for the note; rows omitted when unknown."""
    if not examples:
        return ""
    parts = [
        format_number(value) if row is None else f"row {row}: {format_number(value)}"
        for row, value in examples
    ]
    more = f" and {count - len(parts)} more" if count > len(parts) else ""
    return f" ({'; '.join(parts)}{more})"


def _skewness(values: np.ndarray) -> float:
    """Sample skewness (the third standardised moment); 0 for a constant column."""
    centred = values - values.mean()
    spread = float(np.sqrt(np.mean(centred**2)))
    return float(np.mean(centred**3) / spread**3) if spread > 0 else 0.0
