"""Constraints own their conversion, their check and their words (one row each, no kind if-chains)."""

from __future__ import annotations

from typing import Any

import pytest

from clusterlab.core.constraints import AutoOr, Constraint, Interval, Options, Text

WHOLE = Interval(int, 2, 200)
SHARE = Interval(float, 0.0, 0.5)


@pytest.mark.parametrize(
    ("constraint", "raw", "value"),
    [
        (WHOLE, " 12 ", 12),
        (WHOLE, 12.0, 12),
        (SHARE, "0.25", 0.25),
        (SHARE, 0, 0.0),
        (Options(("fill", "none")), " NONE ", "none"),
        (AutoOr(WHOLE), "Auto", "auto"),
        (AutoOr(WHOLE), "7", 7),
        (Text(), "Sheet 2", "Sheet 2"),
    ],
)
def test_convert(constraint: Constraint, raw: Any, value: Any) -> None:
    assert constraint.convert(raw) == value
    assert constraint.is_satisfied_by(value)


@pytest.mark.parametrize(
    ("constraint", "raw"),
    [
        (WHOLE, "ten"),
        (WHOLE, 2.5),
        (WHOLE, True),
        (SHARE, False),
        (Options(("fill",)), "mean"),
        (AutoOr(WHOLE), ""),
    ],
)
def test_text_that_is_not_a_value(constraint: Constraint, raw: Any) -> None:
    with pytest.raises(ValueError):  # the words are SettingSpec.message's
        constraint.convert(raw)


@pytest.mark.parametrize(
    ("constraint", "value"), [(WHOLE, 1), (WHOLE, 201), (WHOLE, 3.0), (SHARE, 0.6), (AutoOr(WHOLE), "all")]
)
def test_values_outside(constraint: Constraint, value: Any) -> None:
    assert not constraint.is_satisfied_by(value)


def test_words_schema_and_input_agree() -> None:
    seed = Interval(int, 0, 2**32 - 1)
    assert seed.describe() == "a whole number from 0 to 4294967295"  # not 4.29497e+09
    assert seed.json_schema() == {"type": "integer", "minimum": 0, "maximum": 2**32 - 1}
    assert seed.html_input() == {"type": "number", "min": "0", "max": "4294967295", "step": "1"}
    assert SHARE.describe() == "a number from 0 to 0.5"
    assert Options(("log", "keep")).json_schema() == {"type": "string", "enum": ["log", "keep"]}
    assert AutoOr(WHOLE).describe() == "'auto' or a whole number from 2 to 200"
    assert Text().blank_is_unset is False
    assert WHOLE.blank_is_unset is True
