"""Data checks: what "Your data" names before a run, each with its column, count and control."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from clusterlab.core.encode.data_checks import data_checks
from clusterlab.core.roles.column_roles import detect_roles


def _checks(frame: pd.DataFrame) -> dict[str, list[str]]:
    roles, _ = detect_roles(frame)
    found: dict[str, list[str]] = {}
    for note in data_checks(frame, roles):
        assert note.stage == "check"
        assert note.column in frame.columns
        found.setdefault(str(note.column), []).append(note.text())
    return found


def test_a_clean_table_has_nothing_to_check(rng) -> None:
    frame = pd.DataFrame({"a": rng.normal(10, 2, 200), "b": rng.choice(["x", "y", "z"], 200)})
    assert _checks(frame) == {}


def test_a_cell_far_outside_its_column_is_named_by_row_and_value(rng) -> None:
    # Wine's Color_Intensity: 9.899999 typed as 9899999 in the 172nd row.
    values = rng.normal(5, 1, 178).round(2)
    values[171] = 9_899_999.0
    found = _checks(pd.DataFrame({"Color_Intensity": values}))
    (message,) = found["Color_Intensity"]
    assert "1 value(s) far outside the rest (row 172: 9,899,999)" in message
    assert 'outliers="keep"' in message  # a control token, worded by each face


@pytest.mark.parametrize(
    ("code", "rest", "expected"),
    [
        (-1.0, np.arange(0, 50, dtype=float), 3),  # -1 below non-negative values
        (999.0, np.arange(18, 68, dtype=float), 3),  # 999 above ages up to 67
        (99.0, np.arange(50, 150, dtype=float), 0),  # a real 99 among values up to 149
        (-1.0, np.arange(-20, 30, dtype=float), 0),  # -1 among negative values is a number
    ],
)
def test_a_repeated_code_beyond_all_other_values_is_named(code, rest, expected) -> None:
    frame = pd.DataFrame({"age": np.concatenate([rest, [code] * 3])})
    found = [m for m in _checks(frame).get("age", []) if "code for 'unknown'" in m]
    if expected:
        (message,) = found
        assert f"{expected} cells of {code:,.0f}" in message
    else:
        assert found == []


def test_numbers_stored_as_text_among_words_are_named() -> None:
    cells = [str(v) for v in range(40)] + ["none", "n.a.", "zero", "twelve", "lots"] * 3
    found = _checks(pd.DataFrame({"visits": cells}))
    (message,) = found["visits"]
    assert "numbers stored as text: 40 of 55 cells are numbers, 15 are not" in message
    assert 'use roles={"visits": "numeric"}' in message


def test_a_column_with_many_empty_cells_is_named_with_its_count(rng) -> None:
    values = rng.normal(0, 1, 100)
    values[:30] = np.nan
    found = _checks(pd.DataFrame({"income": values, "b": rng.normal(0, 1, 100)}))
    (message,) = found["income"]
    assert "has 30 empty cells (30%)" in message
    assert 'impute="none"' in message
    assert "b" not in found


def test_columns_left_out_are_not_checked(rng) -> None:
    values = rng.normal(5, 1, 100)
    values[3] = 1e9
    frame = pd.DataFrame({"x": values, "id": range(100)})
    roles, _ = detect_roles(frame, None)
    roles["x"].role = "excluded"
    assert data_checks(frame, roles) == []


def test_the_top_of_a_run_of_whole_numbers_is_not_a_code() -> None:
    # 0, 1, ..., 99 each about as often: 99 is the largest value, not a code for "unknown".
    frame = pd.DataFrame({"score": list(range(100)) * 5})
    assert _checks(frame) == {}
