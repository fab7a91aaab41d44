"""The tables-without-groups benchmark: its tables are what it says, and its summary names claims."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repo root, where bench/ lives

from bench import nulls


def test_the_default_collection_is_132_distinct_tables_of_the_documented_sizes() -> None:
    made = list(nulls.tables(12, 60))
    assert len({name for name, _ in made}) == len(made) == 132
    for name, frame in made:
        assert 200 <= len(frame) < 3000, name
        assert 2 <= frame.shape[1] <= 8, name
        assert frame.notna().all().all(), name


def test_the_tables_are_the_same_on_every_run() -> None:
    first, again = dict(nulls.tables(2, 4)), dict(nulls.tables(2, 4))
    assert first.keys() == again.keys()
    for name in first:
        np.testing.assert_array_equal(first[name].to_numpy(), again[name].to_numpy())


def test_the_summary_names_every_table_more_than_weak() -> None:
    line = nulls.summarise([("box_0", "weak"), ("rectangle_3", "moderate"), ("gauss_1", "strong")])
    assert line == (
        "tables without groups 3: weak 1/3; more than weak: rectangle_3 (moderate), gauss_1 (strong)"
    )


def test_a_uniform_box_runs_through_and_stays_weak(capsys: pytest.CaptureFixture[str]) -> None:
    nulls.main(["--clouds", "0", "--boxes", "1"])
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("box_0")
    assert out.splitlines()[-1] == "tables without groups 1: weak 1/1"
