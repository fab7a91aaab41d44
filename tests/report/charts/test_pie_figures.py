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


def test_a_number_coded_column_goes_round_and_along_in_order_of_value() -> None:
    # Issue 14: a whole-number column made a category listed its values commonest first (1, 4, 0)
    # and as 0.0, 1.0, 4.0; its bars stood on a number line.
    import numpy as np

    import clusterlab
    from clusterlab.report.charts.column_figures import _category_profile
    from clusterlab.report.charts.pie_figures import _pie_levels

    rng = np.random.default_rng(3)
    frame = pd.DataFrame(
        {
            "spend": np.r_[rng.normal(10, 1, 100), rng.normal(30, 1, 100)],
            "kids": rng.choice([1.0, 4.0, 0.0], 200, p=[0.6, 0.3, 0.1]),
        }
    )
    result = clusterlab.cluster(frame, k=2, roles={"kids": "categorical"}, resamples=0)
    part = result.profiles.categories
    kept, _ = _pie_levels(part[part["column"] == "kids"], 1)
    assert kept == ["0", "1", "4"]
    bars = _category_profile(result, "kids", 1)
    assert [list(trace["x"]) for trace in bars["data"]] == [["0", "1", "4"]] * 2
    assert bars["layout"]["xaxis"]["type"] == "category"
