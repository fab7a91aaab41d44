"""The base of every column encoder: one input column in, one or more numeric columns out.

Encoders are scikit-learn transformers (composed by a ``ColumnTransformer`` in :mod:`.preprocessor`)
whose learned state is plain JSON data: :meth:`ColumnEncoder.get_state` / :meth:`ColumnEncoder.from_state`
let ``model.json`` restore them without pickle, so loading a model never executes code. A restored
encoder is *frozen*: cloning returns it as is and ``fit`` keeps its state, which lets a
``ColumnTransformer`` be rebuilt around it. The encoders themselves and their registry are in
:mod:`.encoders` (numbers in :mod:`.numeric_encoder`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from ..errors import Note
from ..read.number_text import level_key

__all__ = [
    "MISSING_LEVEL",
    "OTHER_LEVEL",
    "ColumnEncoder",
    "filled_note",
    "level_keys",
    "level_sort_key",
    "unseen_note",
]

MISSING_LEVEL = "(missing)"
OTHER_LEVEL = "Other"


def level_keys(values: pd.Series) -> pd.Series:
    """Level keys with empty cells (and blank text) as None.

    Each distinct value is turned into its key once (columns repeat a few levels over many rows: a
    million rows of five levels cost five calls, not a million).

    >>> level_keys(pd.Series([1.0, "1", None, " a ", ""])).tolist()
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

    def far_out(self, values: pd.Series) -> np.ndarray:
        """Which cells hold a value so far outside the column that it was clipped for clustering
        (numbers: see :class:`~.numeric_encoder.NumericEncoder`); none for other roles."""
        return np.zeros(len(values), dtype=bool)


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


def filled_note(column: str, n: int, how: str, stage: str = "encode") -> list[Note]:
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


def level_sort_key(level: str) -> tuple[int, float, str]:
    try:
        return (0, float(level), level)
    except ValueError:
        return (1, 0.0, level.lower())


def unseen_note(column: str, keys: pd.Series, known: set[str], into: str) -> list[Note]:
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
