"""Role detection: the registry of detectors and the built-in ones, in the order they run.

Each detector looks at a column's :class:`ColumnFacts` and returns a :class:`Detection` (role and
reason) or None; the first that recognises a column decides its role (:func:`.roles.detect_roles`).
Built-ins register the same way a plug-in would, with :func:`register_role_detector`.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..read.number_text import parse_numbers

__all__ = [
    "ROLE_DETECTORS",
    "ColumnFacts",
    "Detection",
    "Detector",
    "column_facts",
    "examples",
    "register_role_detector",
]

_ID_NAME = re.compile(
    r"(?i)(^(id|key|uuid|guid|index|row|rownum)$|[_\s.-](id|key|uuid|guid|no|nr|number)$)|[a-z]ID$"
)
_MONTHS = re.compile(r"(?i)\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b")
_DATE_SHAPE = re.compile(r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}|\d{4}-\d{2}")


@dataclass
class ColumnFacts:
    """What every detector may look at; computed once per column."""

    name: str
    values: pd.Series
    present: pd.Series
    n_rows: int
    n_missing: int
    n_distinct: int


@dataclass(frozen=True)
class Detection:
    role: str
    reason: str
    extras: dict[str, Any] = field(default_factory=dict)


Detector = Callable[[ColumnFacts], Detection | None]
ROLE_DETECTORS: list[tuple[str, Detector]] = []


def register_role_detector(name: str, *, before: str | None = None) -> Callable[[Detector], Detector]:
    """Add a detector; it runs before the detector named ``before`` (default: last)."""

    def decorate(detector: Detector) -> Detector:
        names = [n for n, _ in ROLE_DETECTORS]
        position = names.index(before) if before in names else len(ROLE_DETECTORS)
        ROLE_DETECTORS.insert(position, (name, detector))
        return detector

    return decorate


def column_facts(name: str, values: pd.Series) -> ColumnFacts:
    present = values.dropna()
    if pd.api.types.is_string_dtype(values) or pd.api.types.is_object_dtype(values):
        stripped = present.astype(str).str.strip()
        present = present[stripped != ""]
    return ColumnFacts(name, values, present, len(values), len(values) - len(present), int(present.nunique()))


def examples(present: pd.Series, n: int = 3) -> list[str]:
    out = []
    for value in present.drop_duplicates().head(n).tolist():
        if hasattr(value, "strftime"):
            text = value.strftime("%Y-%m-%d")
        elif isinstance(value, float):
            text = f"{value:.6g}"
        else:
            text = str(value)
        out.append(text if len(text) <= 40 else text[:37] + "...")
    return out


def _is_texty(values: pd.Series) -> bool:
    return bool(pd.api.types.is_string_dtype(values) or pd.api.types.is_object_dtype(values))


@register_role_detector("constant")
def _detect_constant(f: ColumnFacts) -> Detection | None:
    if f.n_distinct == 0:
        return Detection("constant", "every cell is empty")
    if f.n_distinct == 1:
        return Detection("constant", f"the same value ({examples(f.present, 1)[0]!r}) in every filled cell")
    return None


@register_role_detector("binary")
def _detect_binary(f: ColumnFacts) -> Detection | None:
    if f.n_distinct != 2:
        return None
    a, b = examples(f.present, 2)
    extras = {"decimal": "."} if pd.api.types.is_numeric_dtype(f.values) else {}
    return Detection("binary", f"two values: {a!r} and {b!r}", extras)


@register_role_detector("datetime")
def _detect_datetime_dtype(f: ColumnFacts) -> Detection | None:
    if pd.api.types.is_datetime64_any_dtype(f.values):
        return Detection("datetime", "stored as dates")
    return None


@register_role_detector("numeric")
def _detect_numeric_dtype(f: ColumnFacts) -> Detection | None:
    if not pd.api.types.is_numeric_dtype(f.values) or pd.api.types.is_bool_dtype(f.values):
        return None
    numbers = f.present.to_numpy(dtype=float)
    return _numbered_identifier(f, numbers) or Detection(
        "numeric", "numbers", {"decimal": "."} | _codes(f, numbers)
    )


# A number column of a few whole numbers, each in many rows (Region 1/2/3), may hold codes rather
# than amounts. It stays a number by default: the values alone cannot tell codes from counts and
# ratings (children 0-4, a 1-5 score), whose order and distances mean something, and turning those
# into categories would change the clusters of every table that has one. The evidence is kept with
# the column so that "Your data" can offer "treat as category" with it, one click away.
MAX_CODES = 10


def _codes(f: ColumnFacts, numbers: np.ndarray) -> dict[str, str]:
    """``{"codes": "3 different whole numbers, 1 to 3"}`` for a column that may hold codes, else {}."""
    numbers = numbers[np.isfinite(numbers)]
    distinct = np.unique(numbers)
    if not 3 <= len(distinct) <= MAX_CODES or len(numbers) < 5 * len(distinct):
        return {}
    if not np.all(np.mod(distinct, 1) == 0):
        return {}
    low, high = (f"{v:.0f}" for v in (distinct.min(), distinct.max()))
    return {"codes": f"{len(distinct)} different whole numbers, {low} to {high}"}


def _numbered_identifier(f: ColumnFacts, numbers: np.ndarray) -> Detection | None:
    """Whole numbers, one per row, named like an id or running 1, 2, 3...: an identifier, not a measure."""
    numbers = numbers[np.isfinite(numbers)]
    if len(numbers) < 10 or f.n_distinct != len(numbers) or not np.all(np.mod(numbers, 1) == 0):
        return None
    if _ID_NAME.search(f.name):
        return Detection("identifier", "a different whole number in every row, and named like an id")
    if numbers.max() - numbers.min() + 1 == len(numbers):
        return Detection("identifier", "consecutive whole numbers, one per row (a row number)")
    if _is_texty(f.values) and f.present.astype(str).str.match(r"^0\d").any():
        return Detection("identifier", "zero-padded numbers, one per row (a code)")
    return None


@register_role_detector("numbers-in-text")
def _detect_numbers_in_text(f: ColumnFacts) -> Detection | None:
    if not _is_texty(f.values):
        return None
    parsed = parse_numbers(f.present)
    if parsed.share_parsed < 0.95 and not _placeholders_only(f.present, parsed.values, parsed.share_parsed):
        return None
    identifier = _numbered_identifier(f, parsed.values)
    if identifier is not None:
        return identifier
    shown = ", ".join(repr(e) for e in examples(f.present[np.isfinite(parsed.values)], 2))
    return Detection(
        "numeric",
        f"numbers written as text (e.g. {shown})",
        {"decimal": parsed.decimal, "n_unparsed": parsed.n_failed} | _codes(f, parsed.values),
    )


def _placeholders_only(present: pd.Series, numbers: np.ndarray, share: float) -> bool:
    """Mostly numbers, and the rest a few marks without digits ('-', '?', 'n/a', 'unknown'): those
    mean "no value" (they become empty cells, reported), not that the column is a category."""
    if share < 0.8:
        return False
    failed = present[np.isnan(numbers)].astype(str).str.strip()
    failed = failed[failed != ""]
    return failed.nunique() <= 3 and not failed.str.contains(r"\d").any()


@register_role_detector("dates-in-text")
def _detect_dates_in_text(f: ColumnFacts) -> Detection | None:
    if not _is_texty(f.values):
        return None
    sample = f.present.drop_duplicates().head(200).astype(str)
    shaped = sample.str.contains(_DATE_SHAPE) | sample.str.contains(_MONTHS)
    if shaped.mean() < 0.9:
        return None
    # The first value's format, read month-first and day-first: 06/01/2021 fits both, and only the
    # rest of the column (13/01/2021) tells them apart. Falling back to per-value guessing would read
    # each ambiguous date month-first and the others day-first, silently mixing the two.
    guesses = [_guess_format(sample.iloc[0], dayfirst) for dayfirst in (False, True)]
    fmt, parsed = None, pd.Series(pd.NaT, index=sample.index)
    for guess in dict.fromkeys(g for g in guesses if g):
        attempt = pd.to_datetime(sample, format=guess, errors="coerce")
        if attempt.notna().mean() > parsed.notna().mean():
            fmt, parsed = guess, attempt
    if parsed.notna().mean() < 0.9:
        fmt, parsed = None, pd.to_datetime(sample, format="mixed", errors="coerce")
    if parsed.notna().mean() < 0.9:
        return None
    return Detection("datetime", "dates written as text", {"date_format": fmt})


def _guess_format(value: str, dayfirst: bool) -> str | None:
    """The format of ``value`` read with ``dayfirst`` where it fits either order. pandas warns when the
    value fits only the other order ("Parsing dates in %d/%m/%Y format when dayfirst=False..."): each
    order is asked on purpose, and the format it gives back is the answer, so that warning (once per
    date column, in every job's log) says nothing."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Parsing dates in", category=UserWarning)
        return pd.tseries.api.guess_datetime_format(value, dayfirst=dayfirst)


@register_role_detector("free-text")
def _detect_free_text(f: ColumnFacts) -> Detection | None:
    if not _is_texty(f.values):
        return None
    sample = f.present.head(2000).astype(str)
    words = sample.str.split().str.len().mean()
    if (words >= 4 or sample.str.len().mean() >= 30) and f.n_distinct >= 0.5 * len(f.present):
        return Detection("text", f"free text (about {words:.0f} words per cell, mostly different)")
    return None


@register_role_detector("identifier")
def _detect_identifier(f: ColumnFacts) -> Detection | None:
    n = len(f.present)
    if n >= 10 and f.n_distinct == n:
        return Detection("identifier", f"a different value in every row ({f.n_distinct} of {n})")
    if n >= 50 and f.n_distinct >= 0.95 * n:
        return Detection("identifier", f"almost every row different ({f.n_distinct} values in {n} rows)")
    return None


@register_role_detector("categorical")
def _detect_categorical(f: ColumnFacts) -> Detection | None:
    return Detection("categorical", f"{f.n_distinct} different values")
