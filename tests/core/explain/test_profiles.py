"""Profiles: statistics, histograms and shares beside the whole data, on the user's own scale."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from tests.conftest import make_blob_table

from clusterlab.core.explain.profiles import (
    ALL,
    OTHER_LEVELS,
    category_keys,
    histogram_edges,
    profile_clusters,
    robust_range,
)
from clusterlab.core.roles.column_roles import ColumnChoices, detect_roles


def _profile(frame: pd.DataFrame, clusters: list[int | None], **choices: object):
    roles, _ = detect_roles(frame, ColumnChoices(**choices))  # type: ignore[arg-type]
    return profile_clusters(frame, pd.Series(clusters, dtype="Int64"), roles)


@pytest.fixture
def toy() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "x": [1.0, 2.0, 3.0, 10.0, 20.0, 30.0],
            "plan": ["a", "a", "b", "b", "b", "c"],
        }
    )


def test_sizes_and_numeric_statistics_by_hand(toy: pd.DataFrame) -> None:
    p = _profile(toy, [1, 1, 1, 2, 2, 2])
    assert p.sizes["rows"].tolist() == [3, 3]
    assert p.sizes["share"].tolist() == [0.5, 0.5]
    stats = p.numeric.set_index(["Cluster", "column"])
    assert stats.loc[(1, "x"), "mean"] == pytest.approx(2.0)
    assert stats.loc[(2, "x"), "mean"] == pytest.approx(20.0)
    assert stats.loc[(2, "x"), "std"] == pytest.approx(10.0)
    assert stats.loc[(ALL, "x"), "mean"] == pytest.approx(11.0)
    assert stats.loc[(2, "x"), "min"] == 10.0
    assert stats.loc[(2, "x"), "max"] == 30.0
    assert stats.loc[(1, "x"), "50%"] == 2.0


def test_category_shares_include_the_whole_data_and_sum_to_one(toy: pd.DataFrame) -> None:
    p = _profile(toy, [1, 1, 1, 2, 2, 2])
    shares = p.categories.set_index(["Cluster", "level"])["share"]
    assert shares.loc[(1, "a")] == pytest.approx(2 / 3)
    assert shares.loc[(2, "c")] == pytest.approx(1 / 3)
    assert shares.loc[(ALL, "b")] == pytest.approx(3 / 6)
    totals = p.categories.groupby(p.categories["Cluster"].astype(str))["share"].sum()
    assert totals.to_numpy() == pytest.approx(np.ones(len(totals)))


def test_rare_levels_are_summed_so_a_pie_adds_up() -> None:
    frame = pd.DataFrame({"x": np.arange(40.0), "c": [f"v{i % 10}" for i in range(40)]})
    roles, _ = detect_roles(frame)
    p = profile_clusters(frame, pd.Series([1] * 20 + [2] * 20), roles, max_levels=3)
    whole = p.categories[(p.categories["Cluster"].astype(str) == ALL) & (p.categories["column"] == "c")]
    assert len(whole) == 4
    assert whole["level"].iloc[-1] == OTHER_LEVELS
    assert whole["count"].sum() == 40
    assert whole.set_index("level").loc[OTHER_LEVELS, "count"] == 28


def test_number_levels_are_listed_by_value() -> None:
    # Issue 14: a whole-number column turned into a category listed 1, 4, 0 (commonest first).
    frame = pd.DataFrame({"kids": [1.0] * 5 + [4.0] * 3 + [0.0] * 2 + [None]})
    roles, _ = detect_roles(frame, ColumnChoices(roles={"kids": "categorical"}))
    p = profile_clusters(frame, pd.Series([1] * 11), roles)
    whole = p.categories[p.categories["Cluster"] == ALL]
    assert whole["level"].tolist() == ["0", "1", "4", "(missing)"]
    text = pd.DataFrame({"plan": ["b"] * 5 + ["a"] * 3 + ["c"] * 2})  # text stays commonest first
    roles, _ = detect_roles(text, ColumnChoices(roles={"plan": "categorical"}))
    p = profile_clusters(text, pd.Series([1] * 10), roles)
    assert p.categories[p.categories["Cluster"] == ALL]["level"].tolist() == ["b", "a", "c"]


def test_ordinal_levels_keep_their_order() -> None:
    frame = pd.DataFrame({"x": np.arange(6.0), "size": ["L", "L", "L", "S", "M", "M"]})
    p = _profile(frame, [1, 1, 1, 2, 2, 2], ordinal={"size": ["S", "M", "L"]})
    whole = p.categories[p.categories["Cluster"].astype(str) == ALL]
    assert whole["level"].tolist() == ["S", "M", "L"]


def test_unclustered_rows_are_left_out_of_every_group() -> None:
    frame = pd.DataFrame({"x": [1.0, 2.0, 100.0, 4.0]})
    p = _profile(frame, [1, 1, None, 2])
    assert p.sizes["rows"].sum() == 3
    whole = p.numeric.set_index("Cluster").loc[ALL]
    assert whole["max"] == 4.0
    assert whole["count"] == 3


def test_histograms_share_bins_and_each_group_sums_to_one() -> None:
    frame, truth = make_blob_table(500, [[0.0], [6.0]], columns=["x"])
    p = _profile(frame, list(truth + 1))
    hist = p.histograms
    groups = hist.groupby(hist["Cluster"].astype(str))
    assert len({tuple(g["left"].round(9)) for _, g in groups}) == 1  # the same bins for every group
    for _, g in groups:
        assert g["share"].sum() == pytest.approx(1.0)
    assert groups.get_group(ALL)["count"].sum() == 1000
    assert len(groups.get_group("1")) <= 30


def test_a_data_entry_error_does_not_squash_the_histogram() -> None:
    values = np.r_[np.linspace(2.0, 12.0, 177), 9_899_999.0]  # the wine workbook's typo
    frame = pd.DataFrame({"colour": values})
    p = _profile(frame, [1] * 100 + [2] * 78)
    hist = p.histograms[p.histograms["Cluster"].astype(str) == ALL]
    assert hist["right"].max() < 100  # the bins cover the real values...
    ranges = p.ranges.set_index("column").loc["colour"]
    assert ranges["above"] == 1  # ...and the far-out value is counted in the last bin, and said so
    assert hist["count"].sum() == 178
    robust = p.robust.set_index(["Cluster", "column"])
    assert robust.loc[(2, "colour"), "clipped"] == 1
    assert robust.loc[(2, "colour"), "mean"] < 20  # the effect-size mean is not thrown by the typo


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([4.0, 5, 5, 6, 6, 7, 9_899_999], (4.0, 11.0)),  # Q1 5, Q3 6.5, IQR 1.5: fence 6.5 + 4.5
        ([1.0, 2, 3, 4, 5], (1.0, 5.0)),  # nothing far out: min and max
        ([np.nan, np.nan], (np.nan, np.nan)),
    ],
)
def test_robust_range(values: list[float], expected: tuple[float, float]) -> None:
    assert robust_range(np.array(values, dtype=float)) == pytest.approx(expected, nan_ok=True)


def test_whole_numbers_get_one_bin_per_value() -> None:
    values = np.tile(np.arange(18.0, 31.0), 20)  # 260 ages from 18 to 30: about 16 bins allowed
    edges = histogram_edges(values, 18.0, 30.0)
    assert edges.tolist() == [v - 0.5 for v in range(18, 32)]


def test_whole_numbers_over_a_wide_range_get_whole_steps() -> None:
    values = np.arange(0.0, 1000.0)
    edges = histogram_edges(values, 0.0, 999.0)
    assert np.all(np.mod(edges, 1) == 0)
    assert len(edges) - 1 <= 30


def test_bin_edges_are_round_and_cover_the_range() -> None:
    values = np.linspace(0.13, 97.2, 200)
    edges = histogram_edges(values, 0.13, 97.2)
    step = edges[1] - edges[0]
    assert step in (2.0, 2.5, 5.0, 10.0)
    assert edges[0] <= 0.13
    assert edges[-1] > 97.2


def test_category_keys_treat_equal_values_as_one_level() -> None:
    keys = category_keys(pd.Series([1.0, "1", " 1 ", None, "", "b"], dtype=object))
    assert keys.tolist() == ["1", "1", "1", "(missing)", "(missing)", "b"]


def test_label_column_is_profiled_and_named(mixed_table: pd.DataFrame) -> None:
    frame = mixed_table
    roles, _ = detect_roles(frame, ColumnChoices(label="truth"))
    p = profile_clusters(frame, pd.Series(np.arange(len(frame)) % 3 + 1), roles)
    assert p.label == "truth"
    assert "truth" in p.category_columns
    assert "customer_id" not in p.category_columns + p.numeric_columns  # identifiers are not profiled


def test_dates_are_profiled_as_years() -> None:
    frame = pd.DataFrame(
        {"joined": ["2020-01-01", "2020-01-01", "2022-07-02", "2022-07-02", None, "not a date"]}
    )
    p = _profile(frame, [1, 1, 2, 2, 2, 2], roles={"joined": "datetime"})
    assert p.date_columns == ["joined"]
    stats = p.numeric.set_index(["Cluster", "column"])
    assert stats.loc[(1, "joined"), "mean"] == pytest.approx(2020.0)
    assert stats.loc[(2, "joined"), "mean"] == pytest.approx(2022.5, abs=0.01)
    assert stats.loc[(2, "joined"), "count"] == 2  # the empty and the unreadable cell are not counted
