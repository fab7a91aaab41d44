"""Column encoders by role, and their registry :data:`ENCODERS` (role -> encoder class).

Each turns one input column into one or more numeric columns, with JSON state for ``model.json``
(the base class and its contract: :mod:`.column_encoder`; numbers: :mod:`.numeric_encoder`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..errors import Control, Note
from .column_encoder import (
    MISSING_LEVEL,
    OTHER_LEVEL,
    ColumnEncoder,
    filled_note,
    level_keys,
    level_sort_key,
    unseen_note,
)
from .numeric_encoder import NumericEncoder

__all__ = [
    "ENCODERS",
    "MISSING_LEVEL",
    "OTHER_LEVEL",
    "BinaryEncoder",
    "ColumnEncoder",
    "DatetimeEncoder",
    "NominalEncoder",
    "NumericEncoder",
    "OrdinalRankEncoder",
    "TextEncoder",
]


class BinaryEncoder(ColumnEncoder):
    """Two values as 0 and 1 (the second level in sorted order is 1); empty cells get the commoner value."""

    role = "binary"
    _state = ("levels_", "fill_", "n_missing_")

    def _learn(self, values: pd.Series) -> None:
        keys = level_keys(values)
        counts = keys.value_counts()
        self.levels_ = sorted(counts.index.tolist(), key=level_sort_key)[:2]
        self.fill_ = float(self.levels_.index(counts.index[0])) if len(counts) else 0.0
        self.n_missing_ = int(keys.isna().sum())

    def _encode(self, values: pd.Series) -> np.ndarray:
        keys = level_keys(values)
        codes = keys.map({level: float(i) for i, level in enumerate(self.levels_)})
        return codes.fillna(self.fill_).to_numpy(dtype=float).reshape(-1, 1)

    def _names(self) -> list[str]:
        return [f"{self.column}={self.levels_[-1]}" if self.levels_ else self.column]

    def fit_notes(self) -> list[Note]:
        common = self.levels_[int(self.fill_)] if self.levels_ else ""
        return filled_note(self.column, self.n_missing_, f"they were given the commoner value '{common}'")

    def new_data_notes(self, values: pd.Series) -> list[Note]:
        keys = level_keys(values)
        common = self.levels_[int(self.fill_)] if self.levels_ else ""
        how = f"they were given the training's commoner value '{common}'"
        return filled_note(self.column, int(keys.isna().sum()), how, stage="assign") + unseen_note(
            self.column, keys, set(self.levels_), "the commoner value"
        )


class OrdinalRankEncoder(ColumnEncoder):
    """Ordered levels as ranks 0, 1, 2...; empty or unknown cells get the median rank."""

    role = "ordinal"
    _state = ("fill_", "n_missing_")

    def __init__(self, column: str, order: list[str] | None = None) -> None:
        self.column = column
        self.order = order

    def _ranks(self, values: pd.Series) -> pd.Series:
        lookup = {level.lower(): float(i) for i, level in enumerate(self.order or [])}
        return level_keys(values).map(lambda v: lookup.get(str(v).lower()) if v is not None else None)

    def _learn(self, values: pd.Series) -> None:
        ranks = self._ranks(values).astype(float)
        self.fill_ = float(ranks.median()) if ranks.notna().any() else 0.0
        self.n_missing_ = int(ranks.isna().sum())

    def _encode(self, values: pd.Series) -> np.ndarray:
        return self._ranks(values).astype(float).fillna(self.fill_).to_numpy().reshape(-1, 1)

    def fit_notes(self) -> list[Note]:
        return filled_note(self.column, self.n_missing_, "they were given the middle rank")

    def new_data_notes(self, values: pd.Series) -> list[Note]:
        known = {level.lower() for level in self.order or []}
        keys = level_keys(values)
        empty = filled_note(self.column, int(keys.isna().sum()), "they were given the middle rank", "assign")
        return empty + unseen_note(
            self.column, keys.where(keys.isna(), keys.str.lower()), known, "the middle rank"
        )


class NominalEncoder(ColumnEncoder):
    """Unordered categories, one-hot; levels beyond ``max_levels`` or rarer than ``min_share`` fold into 'Other'.

    Empty cells form their own level '(missing)'. New data with a level unseen in training counts as
    'Other' when training had one, else as no level at all (all zeros).
    """

    role = "categorical"
    block_scale = "joint"
    _state = ("levels_", "n_levels_seen_", "n_folded_rows_", "n_missing_")

    def __init__(self, column: str, max_levels: int = 20, min_share: float = 0.01) -> None:
        self.column = column
        self.max_levels = max_levels
        self.min_share = min_share

    def _learn(self, values: pd.Series) -> None:
        keys = level_keys(values)
        counts = keys.value_counts()
        keep = counts[counts >= self.min_share * len(keys)].index.tolist()
        if len(keep) > self.max_levels or len(keep) < len(counts):
            keep = keep[: self.max_levels - 1]
        self.n_levels_seen_ = len(counts)
        self.n_folded_rows_ = int(counts[~counts.index.isin(keep)].sum())
        self.n_missing_ = int(keys.isna().sum())
        levels = sorted(keep, key=level_sort_key)
        if self.n_folded_rows_:
            levels.append(OTHER_LEVEL)
        if self.n_missing_:
            levels.append(MISSING_LEVEL)
        self.levels_ = levels

    def _level_of(self, values: pd.Series) -> pd.Series:
        keys = level_keys(values)
        kept = set(self.levels_) - {OTHER_LEVEL, MISSING_LEVEL}
        fallback = OTHER_LEVEL if OTHER_LEVEL in self.levels_ else None
        level = keys.where(keys.isin(kept) | keys.isna(), fallback)
        return level.where(keys.notna(), MISSING_LEVEL if MISSING_LEVEL in self.levels_ else None)

    def _encode(self, values: pd.Series) -> np.ndarray:
        codes = pd.Categorical(self._level_of(values), categories=self.levels_).codes
        out = np.zeros((len(codes), len(self.levels_)))
        rows = np.flatnonzero(codes >= 0)
        out[rows, codes[rows]] = 1.0
        return out

    def _names(self) -> list[str]:
        return [f"{self.column}={level}" for level in self.levels_]

    def fit_notes(self) -> list[Note]:
        notes = filled_note(self.column, self.n_missing_, f"they form their own level '{MISSING_LEVEL}'")
        kept = len([lv for lv in self.levels_ if lv not in (OTHER_LEVEL, MISSING_LEVEL)])
        if self.n_folded_rows_ and not kept:
            # Every level under min_share: one 'Other' level (plus '(missing)') is all that is left.
            notes.append(
                Note(
                    "encode",
                    f"Column '{self.column}' has {self.n_levels_seen_} different values, each in fewer than "
                    f"{self.min_share * 100:g}% of rows; all were grouped as '{OTHER_LEVEL}', so the column does "
                    f"not affect the clusters (lower {Control('min_category_share')} to keep the commonest, "
                    f"or leave it out with {Control('exclude', [self.column])}).",
                    column=self.column,
                    count=self.n_folded_rows_,
                    level="warning",
                )
            )
        elif self.n_folded_rows_:
            notes.append(
                Note(
                    "encode",
                    f"Column '{self.column}' has {self.n_levels_seen_} different values; the {kept} most common are "
                    f"kept and the {self.n_levels_seen_ - kept} rarer ones ({self.n_folded_rows_} rows) are grouped "
                    f"as '{OTHER_LEVEL}' (change with {Control('max_categories')} / {Control('min_category_share')}).",
                    column=self.column,
                    count=self.n_folded_rows_,
                )
            )
        return notes

    def new_data_notes(self, values: pd.Series) -> list[Note]:
        keys = level_keys(values)
        into = f"'{OTHER_LEVEL}'" if OTHER_LEVEL in self.levels_ else "no level (all zeros)"
        how = (
            f"they count as the level '{MISSING_LEVEL}'"
            if MISSING_LEVEL in self.levels_
            else "training had no empty cells here, so they count as no level (all zeros)"
        )
        empty = filled_note(self.column, int(keys.isna().sum()), how, stage="assign")
        return empty + unseen_note(self.column, keys, set(self.levels_), into)


class TextEncoder(ColumnEncoder):
    """Free text as TF-IDF weights reduced to a few components (truncated SVD)."""

    role = "text"
    block_scale = "joint"
    _state = ("vocabulary_", "idf_", "components_", "n_missing_")
    vocabulary_: dict[str, int]
    idf_: Any
    components_: Any

    def __init__(self, column: str, n_components: int = 5, seed: int = 42) -> None:
        self.column = column
        self.n_components = n_components
        self.seed = seed

    def _vectorizer(self, vocabulary: dict[str, int] | None = None) -> Any:
        from sklearn.feature_extraction.text import TfidfVectorizer

        return TfidfVectorizer(
            vocabulary=vocabulary,
            max_features=5000,
            sublinear_tf=True,
            stop_words="english",
            dtype=np.float64,
        )

    def _text(self, values: pd.Series) -> pd.Series:
        return values.astype(object).where(values.notna(), "").astype(str)

    def _learn(self, values: pd.Series) -> None:
        from sklearn.decomposition import TruncatedSVD

        text = self._text(values)
        self.n_missing_ = int(values.isna().sum())
        vectorizer = self._vectorizer()
        try:
            weights = vectorizer.fit_transform(text)
        except ValueError:  # nothing but stop words or empty cells
            self.vocabulary_, self.idf_, self.components_ = {}, [], np.zeros((0, 0))
            return
        n_components = min(self.n_components, weights.shape[1] - 1, max(weights.shape[0] - 1, 1))
        self.vocabulary_ = {term: int(i) for term, i in vectorizer.vocabulary_.items()}
        self.idf_ = vectorizer.idf_
        if n_components < 1:
            self.components_ = np.eye(weights.shape[1])
            return
        svd = TruncatedSVD(n_components=n_components, random_state=self.seed).fit(weights)
        self.components_ = svd.components_

    def _after_restore(self) -> None:
        self.idf_ = np.asarray(self.idf_, dtype=float)
        self.components_ = np.asarray(self.components_, dtype=float).reshape(-1, len(self.idf_))

    def _encode(self, values: pd.Series) -> np.ndarray:
        if not self.vocabulary_:
            return np.zeros((len(values), 0))
        vectorizer = self._vectorizer(self.vocabulary_)
        vectorizer.idf_ = np.asarray(self.idf_)
        weights = vectorizer.transform(self._text(values))
        return np.asarray(weights @ np.asarray(self.components_).T)

    def _names(self) -> list[str]:
        return [f"{self.column}[text {i + 1}]" for i in range(len(self.components_))]

    def fit_notes(self) -> list[Note]:
        return [
            Note(
                "encode",
                f"Column '{self.column}' is free text; it was turned into "
                f"{len(self.components_)} numeric component(s) (TF-IDF + SVD).",
                column=self.column,
            )
        ]


class DatetimeEncoder(ColumnEncoder):
    """Dates as their year (with fraction) and the season (month as a point on a circle)."""

    role = "datetime"
    _state = ("median_", "n_missing_")

    def __init__(self, column: str, date_format: str | None = None) -> None:
        self.column = column
        self.date_format = date_format

    def _dates(self, values: pd.Series) -> pd.Series:
        if pd.api.types.is_datetime64_any_dtype(values):
            dates = values
        else:
            text = values.astype(object).where(values.notna(), None)
            dates = pd.to_datetime(text, format=self.date_format or "mixed", errors="coerce")
        if getattr(dates.dt, "tz", None) is not None:
            dates = dates.dt.tz_localize(None)
        return dates

    def _years(self, dates: pd.Series) -> np.ndarray:
        years = dates.dt.year + (dates.dt.day_of_year - 1) / 365.25
        return years.to_numpy(dtype=float, na_value=np.nan)

    def _learn(self, values: pd.Series) -> None:
        years = self._years(self._dates(values))
        finite = years[np.isfinite(years)]
        self.median_ = float(np.median(finite)) if finite.size else 2000.0
        self.n_missing_ = int(years.size - finite.size)

    def _encode(self, values: pd.Series) -> np.ndarray:
        years = self._years(self._dates(values))
        years = np.where(np.isfinite(years), years, self.median_)
        angle = 2 * np.pi * (years % 1.0)
        return np.column_stack([years, np.sin(angle), np.cos(angle)])

    def _names(self) -> list[str]:
        return [f"{self.column}[year]", f"{self.column}[season sin]", f"{self.column}[season cos]"]

    def new_data_notes(self, values: pd.Series) -> list[Note]:
        empty = level_keys(values).isna()
        unread = self._dates(values).isna() & ~empty
        how = "they were given the training's median date"
        notes = filled_note(self.column, int(empty.sum()), how, stage="assign")
        if unread.any():
            examples = ", ".join(repr(str(v)) for v in values[unread].drop_duplicates().head(3))
            notes.append(
                Note(
                    "assign",
                    f"Column '{self.column}' has {int(unread.sum())} value(s) that are not dates "
                    f"(e.g. {examples}); {how}.",
                    column=self.column,
                    count=int(unread.sum()),
                    level="warning",
                )
            )
        return notes

    def fit_notes(self) -> list[Note]:
        notes = [
            Note(
                "encode",
                f"Column '{self.column}' holds dates; it was encoded as the year and the "
                "season (time of year).",
                column=self.column,
            )
        ]
        return notes + filled_note(self.column, self.n_missing_, "they were given the median date")


ENCODERS: dict[str, type[ColumnEncoder]] = {
    cls.role: cls
    for cls in (
        NumericEncoder,
        BinaryEncoder,
        OrdinalRankEncoder,
        NominalEncoder,
        TextEncoder,
        DatetimeEncoder,
    )
}
