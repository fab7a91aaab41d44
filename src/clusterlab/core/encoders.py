"""Column encoders: one input column in, one or more numeric columns out.

They are scikit-learn transformers (composed by a ``ColumnTransformer`` in :mod:`.preprocessor`) whose
learned state is plain JSON data: :meth:`ColumnEncoder.get_state` / :meth:`ColumnEncoder.from_state`
let ``model.json`` restore them without pickle, so loading a model never executes code. A restored
encoder is *frozen*: cloning returns it as is and ``fit`` keeps its state, which lets a
``ColumnTransformer`` be rebuilt around it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from .errors import Note
from .formatting import format_number
from .parsing import level_key, parse_numbers

__all__ = [
    "ENCODERS",
    "BinaryEncoder",
    "ColumnEncoder",
    "DatetimeEncoder",
    "NominalEncoder",
    "NumericEncoder",
    "OrdinalRankEncoder",
    "TextEncoder",
]

MISSING_LEVEL = "(missing)"
FAR_OUT = 3.0  # Tukey's "far out" fence, in interquartile ranges beyond the quartiles
MAX_CLIPPED_SHARE = 0.01  # clip only when at most this share of the values lies beyond the fences
OTHER_LEVEL = "Other"


def _keys(values: pd.Series) -> pd.Series:
    """Level keys with empty cells (and blank text) as None.

    Each distinct value is turned into its key once (columns repeat a few levels over many rows: a
    million rows of five levels cost five calls, not a million).

    >>> _keys(pd.Series([1.0, "1", None, " a ", ""])).tolist()
    ['1', '1', None, 'a', None]
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    keys = np.array([level_key(u) for u in uniques] + [""], dtype=object)
    keys[keys == ""] = None
    return pd.Series(keys[codes], index=values.index, dtype=object)


class ColumnEncoder(TransformerMixin, BaseEstimator):
    """Base class: learns from one column; ``_state`` names the learned attributes stored in JSON."""

    role: ClassVar[str] = ""
    _state: ClassVar[tuple[str, ...]] = ()
    _restored = False
    _state_defaults: ClassVar[dict[str, Any]] = {}
    # How the preprocessor scales a multi-column block: "joint" keeps the columns' own proportions
    # (one-hot levels, text components: one quantity spread over columns), "separate" standardises
    # each column (date parts in different units). Either way the block weighs as one column.
    block_scale: ClassVar[str] = "separate"

    def __init__(self, column: str) -> None:
        self.column = column

    # scikit-learn plumbing ---------------------------------------------------------------------------
    def fit(self, X: pd.DataFrame, y: Any = None) -> ColumnEncoder:
        if not self._restored:
            self._learn(self._values(X))
        return self

    def transform(self, X: pd.DataFrame) -> np.ndarray:
        check_is_fitted(self, self._state[0])
        return self._encode(self._values(X))

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        return np.asarray(self._names(), dtype=object)

    def __sklearn_clone__(self) -> ColumnEncoder:
        return self if self._restored else super().__sklearn_clone__()

    def _values(self, X: pd.DataFrame | pd.Series) -> pd.Series:
        return X.iloc[:, 0] if isinstance(X, pd.DataFrame) else X

    # JSON state -------------------------------------------------------------------------------------
    def get_state(self) -> dict[str, Any]:
        return {name: _jsonable(getattr(self, name)) for name in self._state}

    @classmethod
    def from_state(cls, params: Mapping[str, Any], state: Mapping[str, Any]) -> ColumnEncoder:
        encoder = cls(**params)
        for name in cls._state:
            # Models saved before a state entry existed restore it with its neutral default.
            setattr(encoder, name, state[name] if name in state else cls._state_defaults[name])
        encoder._after_restore()
        encoder._restored = True
        return encoder

    def _after_restore(self) -> None:
        """Turn JSON lists back into arrays where needed."""

    # per-encoder ------------------------------------------------------------------------------------
    def _learn(self, values: pd.Series) -> None:
        raise NotImplementedError

    def _encode(self, values: pd.Series) -> np.ndarray:
        raise NotImplementedError

    def _names(self) -> list[str]:
        return [self.column]

    def fit_notes(self) -> list[Note]:
        """What fitting decided that the user should know (imputation, folded levels)."""
        return []

    def new_data_notes(self, values: pd.Series) -> list[Note]:
        """What is unusual about new data for this column (empty cells, unreadable values, unseen
        levels), for ``assign``: whatever the encoder fills in is said, as at fit time."""
        return []

    def choices(self) -> list[dict[str, Any]]:
        """Automatic treatments chosen at fit time (for summary.json): column, step, setting, detail."""
        return []


def _jsonable(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def _filled_note(column: str, n: int, how: str, stage: str = "encode") -> list[Note]:
    if n == 0:
        return []
    return [
        Note(
            stage,
            f"Column '{column}' has {n} empty cell(s); {how}.",
            column=column,
            count=n,
            level="warning",
        )
    ]


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
    _state = ("median_", "n_missing_", "log_scale_", "lower_", "upper_", "n_clipped_", "n_high_", "skew_")
    _state_defaults: ClassVar[dict[str, Any]] = {
        "log_scale_": None,
        "lower_": None,
        "upper_": None,
        "n_clipped_": 0,
        "n_high_": 0,
        "skew_": None,
    }

    def __init__(
        self, column: str, decimal: str | None = ".", heavy_tails: str = "log", outliers: str = "clip"
    ) -> None:
        self.column = column
        self.decimal = decimal
        self.heavy_tails = heavy_tails
        self.outliers = outliers

    def _numbers(self, values: pd.Series) -> np.ndarray:
        return parse_numbers(values, self.decimal).values

    def _learn(self, values: pd.Series) -> None:
        numbers = self._numbers(values)
        finite = numbers[np.isfinite(numbers)]
        self.median_ = float(np.median(finite)) if finite.size else 0.0
        self.n_missing_ = int(numbers.size - finite.size)
        self.log_scale_: float | None = None
        self.skew_: list[float] | None = None
        if self.heavy_tails == "log":
            self._learn_log(finite)
        self.lower_: float | None = None
        self.upper_: float | None = None
        self.n_clipped_ = self.n_high_ = 0
        if self.outliers == "clip" and finite.size:
            self._learn_fences(self._log(finite))

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
        numbers = self._numbers(values)
        out = self._log(np.where(np.isfinite(numbers), numbers, self.median_))
        if self.lower_ is not None and self.upper_ is not None:
            out = np.clip(out, self.lower_, self.upper_)
        return out.reshape(-1, 1)

    def new_data_notes(self, values: pd.Series) -> list[Note]:
        parsed = parse_numbers(values, self.decimal)
        filled = f"they were filled with the training median ({format_number(self.median_)})"
        notes = _filled_note(self.column, len(values) - parsed.n_present, filled, stage="assign")
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

    def _raw(self, value: float) -> float:
        """A value in the encoded units back in the column's own units (for messages)."""
        return value if self.log_scale_ is None else float(np.expm1(value) * self.log_scale_)

    def fit_notes(self) -> list[Note]:
        notes = _filled_note(
            self.column, self.n_missing_, f"they were filled with the median ({format_number(self.median_)})"
        )
        if self.log_scale_ is not None and self.skew_ is not None:
            notes.append(
                Note(
                    "encode",
                    f"Column '{self.column}' is heavy-tailed (skewness {self.skew_[0]:.1f}); it was "
                    f"log-scaled for clustering as log(1 + x / {format_number(self.log_scale_)}), which brings "
                    f"the skewness to {self.skew_[1]:.1f}. Turn off with --heavy-tails keep.",
                    column=self.column,
                )
            )
        if self.n_clipped_ and self.lower_ is not None and self.upper_ is not None:
            low, high = format_number(self._raw(self.lower_)), format_number(self._raw(self.upper_))
            n_low = self.n_clipped_ - self.n_high_
            sides = [f"{self.n_high_} above {high} count as {high}"] if self.n_high_ else []
            sides += [f"{n_low} below {low} count as {low}"] if n_low else []
            notes.append(
                Note(
                    "encode",
                    f"Column '{self.column}' has {self.n_clipped_} value(s) far outside the rest (more than 3 "
                    f"interquartile ranges beyond the quartiles): for clustering, {' and '.join(sides)}; "
                    "your data keeps them. Turn off with --outliers keep.",
                    column=self.column,
                    count=self.n_clipped_,
                    level="warning",
                )
            )
        return notes

    def choices(self) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
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
                    },
                }
            )
        return out


def _skewness(values: np.ndarray) -> float:
    """Sample skewness (the third standardised moment); 0 for a constant column."""
    centred = values - values.mean()
    spread = float(np.sqrt(np.mean(centred**2)))
    return float(np.mean(centred**3) / spread**3) if spread > 0 else 0.0


class BinaryEncoder(ColumnEncoder):
    """Two values as 0 and 1 (the second level in sorted order is 1); empty cells get the commoner value."""

    role = "binary"
    _state = ("levels_", "fill_", "n_missing_")

    def _learn(self, values: pd.Series) -> None:
        keys = _keys(values)
        counts = keys.value_counts()
        self.levels_ = sorted(counts.index.tolist(), key=_sort_key)[:2]
        self.fill_ = float(self.levels_.index(counts.index[0])) if len(counts) else 0.0
        self.n_missing_ = int(keys.isna().sum())

    def _encode(self, values: pd.Series) -> np.ndarray:
        keys = _keys(values)
        codes = keys.map({level: float(i) for i, level in enumerate(self.levels_)})
        return codes.fillna(self.fill_).to_numpy(dtype=float).reshape(-1, 1)

    def _names(self) -> list[str]:
        return [f"{self.column}={self.levels_[-1]}" if self.levels_ else self.column]

    def fit_notes(self) -> list[Note]:
        common = self.levels_[int(self.fill_)] if self.levels_ else ""
        return _filled_note(self.column, self.n_missing_, f"they were given the commoner value '{common}'")

    def new_data_notes(self, values: pd.Series) -> list[Note]:
        keys = _keys(values)
        common = self.levels_[int(self.fill_)] if self.levels_ else ""
        how = f"they were given the training's commoner value '{common}'"
        return _filled_note(self.column, int(keys.isna().sum()), how, stage="assign") + _unseen_note(
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
        return _keys(values).map(lambda v: lookup.get(str(v).lower()) if v is not None else None)

    def _learn(self, values: pd.Series) -> None:
        ranks = self._ranks(values).astype(float)
        self.fill_ = float(ranks.median()) if ranks.notna().any() else 0.0
        self.n_missing_ = int(ranks.isna().sum())

    def _encode(self, values: pd.Series) -> np.ndarray:
        return self._ranks(values).astype(float).fillna(self.fill_).to_numpy().reshape(-1, 1)

    def fit_notes(self) -> list[Note]:
        return _filled_note(self.column, self.n_missing_, "they were given the middle rank")

    def new_data_notes(self, values: pd.Series) -> list[Note]:
        known = {level.lower() for level in self.order or []}
        keys = _keys(values)
        empty = _filled_note(self.column, int(keys.isna().sum()), "they were given the middle rank", "assign")
        return empty + _unseen_note(
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
        keys = _keys(values)
        counts = keys.value_counts()
        keep = counts[counts >= self.min_share * len(keys)].index.tolist()
        if len(keep) > self.max_levels or len(keep) < len(counts):
            keep = keep[: self.max_levels - 1]
        self.n_levels_seen_ = len(counts)
        self.n_folded_rows_ = int(counts[~counts.index.isin(keep)].sum())
        self.n_missing_ = int(keys.isna().sum())
        levels = sorted(keep, key=_sort_key)
        if self.n_folded_rows_:
            levels.append(OTHER_LEVEL)
        if self.n_missing_:
            levels.append(MISSING_LEVEL)
        self.levels_ = levels

    def _level_of(self, values: pd.Series) -> pd.Series:
        keys = _keys(values)
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
        notes = _filled_note(self.column, self.n_missing_, f"they form their own level '{MISSING_LEVEL}'")
        kept = len([lv for lv in self.levels_ if lv not in (OTHER_LEVEL, MISSING_LEVEL)])
        if self.n_folded_rows_ and not kept:
            # Every level under min_share: one 'Other' level (plus '(missing)') is all that is left.
            notes.append(
                Note(
                    "encode",
                    f"Column '{self.column}' has {self.n_levels_seen_} different values, each in fewer than "
                    f"{self.min_share * 100:g}% of rows; all were grouped as '{OTHER_LEVEL}', so the column does "
                    "not affect the clusters (lower --min-category-share to keep the commonest, or leave "
                    "it out with --exclude).",
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
                    f"as '{OTHER_LEVEL}' (change with --max-categories / --min-category-share).",
                    column=self.column,
                    count=self.n_folded_rows_,
                )
            )
        return notes

    def new_data_notes(self, values: pd.Series) -> list[Note]:
        keys = _keys(values)
        into = f"'{OTHER_LEVEL}'" if OTHER_LEVEL in self.levels_ else "no level (all zeros)"
        how = (
            f"they count as the level '{MISSING_LEVEL}'"
            if MISSING_LEVEL in self.levels_
            else "training had no empty cells here, so they count as no level (all zeros)"
        )
        empty = _filled_note(self.column, int(keys.isna().sum()), how, stage="assign")
        return empty + _unseen_note(self.column, keys, set(self.levels_), into)


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
        empty = _keys(values).isna()
        unread = self._dates(values).isna() & ~empty
        how = "they were given the training's median date"
        notes = _filled_note(self.column, int(empty.sum()), how, stage="assign")
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
        return notes + _filled_note(self.column, self.n_missing_, "they were given the median date")


def _sort_key(level: str) -> tuple[int, float, str]:
    try:
        return (0, float(level), level)
    except ValueError:
        return (1, 0.0, level.lower())


def _unseen_note(column: str, keys: pd.Series, known: set[str], into: str) -> list[Note]:
    unseen = keys[keys.notna() & ~keys.isin(known)]
    if unseen.empty:
        return []
    counts = unseen.value_counts()
    listing = ", ".join(f"'{v}' ({n} row{'s' if n > 1 else ''})" for v, n in counts.head(5).items())
    more = f" and {len(counts) - 5} more" if len(counts) > 5 else ""
    return [
        Note(
            "assign",
            f"Column '{column}' has {len(counts)} value(s) not seen in training: {listing}{more}; "
            f"they were counted as {into}.",
            column=column,
            count=len(unseen),
            level="warning",
        )
    ]


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
