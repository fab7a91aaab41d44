"""A pie's slices on a hand-made category profile: rare values added into one slice that lists them."""

from __future__ import annotations

import pandas as pd

from clusterlab.report.charts.pie_figures import _count_slices


def test_rare_values_add_up_into_their_slice_and_empty_slices_are_not_drawn() -> None:
    rows = pd.DataFrame({"level": ["A", "B", "x", "y", "z"], "count": [50, 0, 3, 2, 0]})
    slice_of = {"A": "A", "B": "B", "x": "other (3 values)", "y": "other (3 values)", "z": "other (3 values)"}
    slices = _count_slices(rows, ["A", "B", "other (3 values)"], slice_of)
    assert slices.counts == {"A": 50, "B": 0, "other (3 values)": 5}
    assert slices.members["other (3 values)"] == ["x", "y"]  # z has no rows here
    assert slices.shown == ["A", "other (3 values)"]
