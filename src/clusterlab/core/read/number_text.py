"""Numbers written as text: "1,234", "12%", "$5", "3,5", "(7.50)", " 42 ".

Detection (roles) and encoding (preprocessing, and `clusterlab assign` on new files) call the same
:func:`parse_numbers`, so a column is read the same way at fit time and at assign time.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = [
    "NumberParse",
    "decide_decimal",
    "level_key",
    "numbers_by_value",
    "parse_numbers",
    "plain_number_column",
]

_PLAIN = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$")
_LEADING_ZERO = re.compile(r"^[+-]?0\d")
# Spaces of every kind (incl. no-break and thin spaces), currency signs and a trailing percent sign.
_NOISE = re.compile(r"[\s\u00a0\u2009\u202f$€£¥₹]")
_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")
_THOUSANDS_COMMA = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_EURO_STYLE = re.compile(r"^[+-]?\d{1,3}(?:\.\d{3})+(?:,\d+)?$")


@dataclass(frozen=True)
class NumberParse:
    """Result of reading a text column as numbers.

    ``values`` holds floats with NaN where the cell was empty or could not be read; ``n_failed``
    counts non-empty cells that could not be read and ``failed_examples`` shows a few of them.
    """

    values: np.ndarray
    n_present: int
    n_failed: int
    failed_examples: tuple[str, ...]
    decimal: str

    @property
    def share_parsed(self) -> float:
        return 1.0 if self.n_present == 0 else 1.0 - self.n_failed / self.n_present


def plain_number_column(values: pd.Series) -> pd.Series | None:
    """Convert text to numbers only when every value is a plain number and nothing is lost.

    Leading zeros ("0042", zip codes, ids) keep the column as text, so the exported data shows them.
    Returns ``None`` when the column should stay text.
    """
    present = values.dropna()
    if present.empty:
        return None
    text = present.astype(str).str.strip()
    if not text.str.fullmatch(_PLAIN).all() or text.str.contains(_LEADING_ZERO).any():
        return None
    return pd.to_numeric(values.astype("str").str.strip(), errors="coerce")


def decide_decimal(values: pd.Series) -> str:
    """Pick the decimal mark a column uses: "," when values like "3,5" or "1.234,5" appear, else ".".

    "1,234" alone is read as a thousands separator (the common English form); a comma followed by
    one, two or four-plus digits, or dots used as thousands separators, mean a decimal comma.
    """
    text = _clean(values.dropna().astype(str))
    if text.empty:
        return "."
    comma = text.str.fullmatch(_DECIMAL_COMMA)
    thousands = text.str.fullmatch(_THOUSANDS_COMMA)
    euro = text.str.fullmatch(_EURO_STYLE) & text.str.contains(",", regex=False)
    if euro.any() or (comma & ~thousands).any():
        return ","
    return "."


def parse_numbers(values: pd.Series, decimal: str | None = None, max_examples: int = 3) -> NumberParse:
    """Read a column of numbers that may be written as text.

    Parameters
    ----------
    values : pandas.Series
        Numbers, or text such as "1,234", "12%", "$5", "3,5", "(7.50)" (accounting negative).
    decimal : {".", ","}, optional
        The decimal mark. When omitted it is decided from the values (see :func:`decide_decimal`).

    Examples
    --------
    >>> parse_numbers(pd.Series(["1,234", "12%", "$5", None])).values.tolist()
    [1234.0, 12.0, 5.0, nan]
    """
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        floats = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        return NumberParse(floats, int(np.isfinite(floats).sum()), 0, (), decimal or ".")
    mask = values.notna()
    as_text = values[mask].astype(str)
    decimal = decimal or decide_decimal(as_text)
    # Work on distinct values: real columns repeat a lot, and regexes cost per value.
    uniques = pd.Series(as_text.unique())
    cleaned = _clean(uniques)
    negative = cleaned.str.startswith("(") & cleaned.str.endswith(")")
    cleaned = cleaned.str.strip("()").str.rstrip("%")
    if decimal == ",":
        cleaned = cleaned.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    else:
        cleaned = cleaned.str.replace(",", "", regex=False)
    numbers = pd.to_numeric(cleaned.where(cleaned.str.fullmatch(_PLAIN), None), errors="coerce")
    numbers = numbers.where(~negative, -numbers)
    lookup = dict(zip(uniques.tolist(), numbers.tolist(), strict=True))
    out = np.full(len(values), np.nan)
    parsed = as_text.map(lookup).to_numpy(dtype=float)
    out[mask.to_numpy()] = parsed
    empty_text = cleaned.eq("")  # cells holding only spaces are empty, not failures
    blank = set(uniques[empty_text].tolist())
    failed_mask = np.isnan(parsed) & ~as_text.isin(blank).to_numpy()
    failed = as_text[failed_mask]
    examples = tuple(dict.fromkeys(failed.tolist()))[:max_examples]
    n_present = int(mask.sum()) - int(as_text.isin(blank).sum())
    return NumberParse(out, n_present, int(failed_mask.sum()), examples, decimal)


def _clean(text: pd.Series) -> pd.Series:
    return text.str.replace(_NOISE, "", regex=True)


def level_key(value: object) -> str:
    """The text a category level is matched by: 1.0, 1 and " 1 " are the same level.

    >>> level_key(2.0), level_key(" Basic "), level_key(True)
    ('2', 'Basic', 'True')
    """
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    if isinstance(value, bool | np.bool_):
        return str(bool(value))
    return str(value).strip()


def numbers_by_value(levels: Iterable[str], last: Collection[str] = ()) -> list[str]:
    """Category levels in the order given (commonest first, say) or, when every level but those in
    ``last`` is a number, by value with ``last`` after them: a column of whole numbers turned into a
    category reads 0, 1, 4, not 1, 4, 0.

    >>> numbers_by_value(["1", "4", "0", "(missing)"], last={"(missing)"})
    ['0', '1', '4', '(missing)']
    >>> numbers_by_value(["b", "a", "1"])
    ['b', 'a', '1']
    """
    levels = list(levels)
    numbers = [level for level in levels if level not in last]
    if not numbers or not all(_PLAIN.match(level) for level in numbers):
        return levels
    return sorted(numbers, key=float) + [level for level in levels if level in last]
