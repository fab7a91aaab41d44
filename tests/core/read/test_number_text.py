"""Numbers written as text, and the decimal mark."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from clusterlab.core.read.number_text import decide_decimal, parse_numbers, plain_number_column


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,234", 1234.0),
        ("1,234,567.5", 1234567.5),
        ("12%", 12.0),
        ("$5", 5.0),
        ("€ 7.25", 7.25),
        ("(7.50)", -7.5),
        (" 42 ", 42.0),
        ("-3", -3.0),
        ("1\u00a0000", 1000.0),  # no-break space as thousands separator
        ("2e3", 2000.0),
    ],
)
def test_parse_single_values(text: str, expected: float) -> None:
    assert parse_numbers(pd.Series([text, "1"])).values[0] == expected


def test_decimal_comma_columns() -> None:
    parsed = parse_numbers(pd.Series(["3,5", "4,25", "1.234,5"]))
    assert parsed.decimal == ","
    assert parsed.values.tolist() == [3.5, 4.25, 1234.5]


@pytest.mark.parametrize(
    ("values", "mark"),
    [(["1,234", "2,345"], "."), (["3,5", "10"], ","), (["1.234,56"], ","), (["1.5", "2"], "."), ([], ".")],
)
def test_decide_decimal(values: list[str], mark: str) -> None:
    assert decide_decimal(pd.Series(values, dtype=object)) == mark


def test_failures_are_counted_with_examples_and_blanks_are_not_failures() -> None:
    parsed = parse_numbers(pd.Series(["1", "n/a", "  ", None, "tbd", "n/a"], dtype=object))
    assert parsed.n_failed == 3
    assert parsed.failed_examples == ("n/a", "tbd")
    assert parsed.n_present == 4  # "1", "n/a", "tbd", "n/a"
    assert np.isnan(parsed.values[1:]).all()


def test_plain_number_column_refuses_leading_zeros_and_words() -> None:
    assert plain_number_column(pd.Series(["007", "8"])) is None
    assert plain_number_column(pd.Series(["1", "x"])) is None
    assert plain_number_column(pd.Series(["0.5", "0", "-0.25", None])).tolist()[:3] == [0.5, 0.0, -0.25]
