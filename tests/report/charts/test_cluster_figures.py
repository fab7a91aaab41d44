"""The heatmap's parts on hand-made effect rows: what each cell says, and the room its layout keeps."""

from __future__ import annotations

import numpy as np
import pandas as pd

from clusterlab.outputs.number_formats import NumberFormat
from clusterlab.report.charts.cluster_figures import _fill_cells, _wide_layout


def test_cells_say_the_average_or_the_telling_level_and_skip_what_is_not_shown() -> None:
    best = pd.DataFrame(
        [
            # column, Cluster, kind, effect, level, cluster_value, overall_value, clipped
            ("income", 1, "numeric", 1.5, None, 52_000.0, 40_000.0, 2),
            ("income", 2, "numeric", -0.4, None, 31_000.0, 40_000.0, 0),
            ("plan", 1, "category", 0.9, "Premium subscription", 0.6, 0.25, None),
            ("age", 1, "numeric", 0.2, None, 41.0, 40.0, 0),  # not among the columns shown
            ("income", 7, "numeric", 0.3, None, 1.0, 1.0, 0),  # not a cluster of the chart
        ],
        columns=["column", "Cluster", "kind", "effect", "level", "cluster_value", "overall_value", "clipped"],
    )
    cells = _fill_cells(best, [1, 2], ["income", "plan"], {"income": NumberFormat(40_000)})
    np.testing.assert_array_equal(cells.z, [[1.5, 0.9], [-0.4, np.nan]])
    # The level over its share, wrapped rather than cut (issue 14: "Bac… 33%" said nothing).
    assert cells.text.tolist() == [["52,000*", "Premium<br>subscription<br>60%"], ["31,000", ""]]
    assert cells.short[0].tolist() == ["52,000*", "Premium sub…<br>60%"]  # a phone's cell: one line
    # Narrower with more clusters (44 characters across a phone), and only the share when a value
    # would be cut below 4 characters (issue 14 kin: 8 clusters' values ran into each other).
    many = _fill_cells(best, [1, 2, 3, 4], ["income", "plan"], {"income": NumberFormat(40_000)})
    assert many.short[0].tolist() == ["52,000*", "Premium su…<br>60%"]
    eight = _fill_cells(best, list(range(1, 9)), ["income", "plan"], {"income": NumberFormat(40_000)})
    assert eight.short[0].tolist() == ["52,000*", "Prem…<br>60%"]
    twelve = _fill_cells(best, list(range(1, 13)), ["income", "plan"], {"income": NumberFormat(40_000)})
    assert twelve.short[0].tolist() == ["52,000*", "60%"]
    long = best.assign(level=best["level"].where(best["level"].isna(), "Bachelor's degree or higher"))
    wrapped = _fill_cells(long, [1, 2, 3, 4], ["income", "plan"], {"income": NumberFormat(40_000)})
    assert wrapped.text[0, 1] == "Bachelor's<br>degree or h…<br>60%"
    assert wrapped.short[0, 1] == "Bachelor's…<br>60%"
    assert (
        cells.hover[0, 0]
        == "average 52,000 vs 40,000 overall<br>* 2 far-out value(s) capped before averaging"
    )
    assert cells.hover[0, 1] == "'Premium subscription': 60% vs 25% overall"
    assert cells.customdata(["Income", "Plan"])[1, 0].tolist() == [
        "average 31,000 vs 40,000 overall",
        -0.4,
        "Income",
    ]


def test_the_layout_tilts_many_names_and_makes_room_for_the_subtitle() -> None:
    few, top, below = _wide_layout(["a", "b"], total=2)
    assert (few["xaxis"]["tickangle"], top, below) == (0, 60, 26)
    assert "title" not in few
    names = [f"column {i}" for i in range(8)]
    many, top, below = _wide_layout(names, total=20)
    assert many["xaxis"]["tickangle"] == -35
    assert many["title"]["subtitle"]["text"] == "8 of 20 columns, the most distinguishing"
    assert (top, below) == (76, 10 + int(len("column 0") * 5.6 * 0.6))
    # A "*" in a cell is said in the subtitle, not only in the hover (issue 14).
    capped, top, _ = _wide_layout(["a", "b"], total=2, capped=True)
    assert capped["title"]["subtitle"]["text"] == "* far-out values capped before averaging"
    assert top == 76
    both, _, _ = _wide_layout(names, total=20, capped=True)
    assert both["title"]["subtitle"]["text"] == (
        "8 of 20 columns, the most distinguishing · * far-out values capped before averaging"
    )


def test_two_clusters_leave_the_colour_bar_room_and_names_read_as_words() -> None:
    # Issue 14: at k = 2 the chart was 88 px of cells and the colour bar's scale was squashed;
    # CamelCase column names were shown as typed.
    import clusterlab
    from clusterlab.report.charts.cluster_figures import BAR_HEIGHT, effect_heatmap_spec

    rng = np.random.default_rng(1)
    frame = pd.DataFrame(
        {
            "TotalPurchasesLastYear": np.r_[rng.normal(10, 1, 60), rng.normal(20, 1, 60)],
            "EducationLevel": np.r_[["Bachelor's degree"] * 60, ["High school"] * 60],
        }
    )
    spec = effect_heatmap_spec(clusterlab.cluster(frame, k=2, resamples=0))
    margin = spec["layout"]["margin"]
    assert spec["layout"]["height"] - margin["t"] - margin["b"] >= BAR_HEIGHT
    assert sorted(spec["layout"]["xaxis"]["ticktext"]) == ["Education level", "Total purchases last year"]
    texts = [t for row in spec["data"][0]["text"] for t in row]
    assert "Bachelor's<br>degree<br>100%" in texts
