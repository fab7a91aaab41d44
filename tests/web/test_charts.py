"""Web charts: small specs, readable bins and titles."""

from __future__ import annotations

import numpy as np
import pandas as pd

from clusterlab.web.charts import _bin_edges, criterion_figure, figure_spec, histogram_figure, wrap_title


def test_whole_numbers_get_whole_number_bins() -> None:
    ages = np.arange(20, 66, dtype=float)
    edges = _bin_edges(ages)
    assert np.allclose(np.mod(edges, 1), 0.5)  # bin edges between whole numbers
    counts, _ = np.histogram(ages, bins=edges)
    assert counts.sum() == len(ages)
    assert counts.min() >= 1  # no empty teeth in the comb


def test_histogram_is_binned_not_raw(rng) -> None:
    values = rng.normal(size=100_000)
    spec = figure_spec(histogram_figure(values, values > 0, "score", 2), 280)
    assert len(spec["data"]) == 2
    assert (
        len(spec["data"][0]["x"]["bdata"] if isinstance(spec["data"][0]["x"], dict) else spec["data"][0]["x"])
        < 2000
    )
    assert len(str(spec)) < 20_000  # a million rows still make a small chart
    assert "template" not in spec["layout"]
    assert spec["layout"]["height"] == 280


def test_long_titles_wrap_on_two_lines_at_most() -> None:
    name = "Average monthly spend on product category number 17 during the last fiscal year (EUR)"
    wrapped = wrap_title(name, width=40)
    lines = wrapped.split("<br>")
    assert len(lines) == 2
    assert all(len(line) <= 40 for line in lines)
    assert lines[-1].endswith("…")
    assert wrap_title("age") == "age"


def test_criterion_chart_marks_the_recommended_k_and_says_which_way_is_better() -> None:
    table = pd.DataFrame({"k": [2, 3, 4], "silhouette": [0.4, 0.6, 0.5]})
    spec = figure_spec(criterion_figure(table, "silhouette", "Silhouette", "higher", 3))
    assert "higher is better" in spec["layout"]["title"]["text"]
    assert spec["layout"]["xaxis"]["title"]["text"] == "k (number of clusters)"
    assert spec["layout"]["shapes"][0]["x0"] == 3
