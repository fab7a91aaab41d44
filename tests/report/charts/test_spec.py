"""Charts as plain specs (report/spec.py): the same layout, data and encoding Plotly's graph objects gave."""

from __future__ import annotations

import base64
import json
import math
from typing import Any

import numpy as np
import pandas as pd
import pytest
from tests.conftest import make_blob_table

import clusterlab
from clusterlab.report.charts import cluster_figures, figures
from clusterlab.report.charts.spec import Grid, narrowed, page_spec, to_figure, update, vline
from clusterlab.report.charts.theme import figure_spec, template_json

go = pytest.importorskip("plotly.graph_objects")
pio = pytest.importorskip("plotly.io")

_DTYPES = {"i1": "int8", "u1": "uint8", "i2": "int16", "u2": "uint16", "i4": "int32", "u4": "uint32"}
_DTYPES |= {"f4": "float32", "f8": "float64"}


def _decoded(value: Any) -> Any:
    """A spec with typed arrays decoded to lists and floats rounded, to compare two encodings."""
    if isinstance(value, dict):
        if set(value) >= {"dtype", "bdata"}:
            array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=_DTYPES[value["dtype"]])
            if "shape" in value:
                array = array.reshape([int(n) for n in value["shape"].split(",")])
            return _decoded(array.tolist())
        return {k: _decoded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decoded(v) for v in value]
    if isinstance(value, float):
        return None if math.isnan(value) else round(value, 9)
    return value


@pytest.fixture(scope="module")
def result() -> clusterlab.ClusterResult:
    centres = [(0.0, 0.0), (4.0, -3.0), (8.0, -6.0)]
    frame, group = make_blob_table(300, centres, seed=11, columns=["x", "y"], shuffle=True)
    rng = np.random.default_rng(11)
    n = len(frame)
    frame["z"] = rng.integers(0, 50, n)
    frame["colour"] = np.where(group == 0, "red", np.where(rng.random(n) < 0.5, "blue", "green"))
    frame["size"] = rng.choice(["S", "M", "L"], n)
    # k=4 against a recommendation of 2: the chosen k's dashed line is drawn too
    return clusterlab.cluster(frame, k=4, k_max=6, silhouette_sample=500)


@pytest.mark.parametrize(
    ("rows", "cols", "options"),
    [
        (1, 1, {}),
        (4, 1, {"shared_xaxes": True, "vertical_spacing": 0.012}),
        (2, 3, {"titles": list("abcde"), "horizontal_spacing": 0.07, "vertical_spacing": 0.2}),
        (3, 2, {"titles": ["a", "", "c"], "horizontal_spacing": 0.08, "vertical_spacing": 0.28 / 3}),
        (2, 2, {"shared_xaxes": True}),
    ],
)
def test_grid_is_the_layout_make_subplots_makes(rows: int, cols: int, options: dict[str, Any]) -> None:
    from plotly.subplots import make_subplots

    kwargs = {("subplot_titles" if k == "titles" else k): v for k, v in options.items()}
    expected = json.loads(make_subplots(rows=rows, cols=cols, **kwargs).layout.to_json())
    expected.pop("template")
    assert _decoded(Grid(rows, cols, **options).layout) == _decoded({"annotations": [], **expected})


def test_grid_cells_and_errors() -> None:
    grid = Grid(2, 3)
    assert grid.cell(1, 1) == {"xaxis": "x", "yaxis": "y"}
    assert grid.cell(2, 3) == {"xaxis": "x6", "yaxis": "y6"}
    grid.axis("y", 2, 3)["title"] = {"text": "seconds"}
    assert grid.layout["yaxis6"]["title"] == {"text": "seconds"}
    with pytest.raises(ValueError, match=r"No plot \(3, 1\) in a grid of 2 x 3"):
        grid.cell(3, 1)
    with pytest.raises(ValueError, match="Spacing too large for a grid of 3 x 1"):
        Grid(3, 1, vertical_spacing=0.6)


def test_vline_is_the_shape_add_vline_draws() -> None:
    from plotly.subplots import make_subplots

    fig = make_subplots(rows=1, cols=2)
    fig.add_bar(x=[1, 5], y=[1, 2], row=1, col=2)  # add_vline skips an empty plot
    fig.add_vline(x=3, line_dash="dot", line_color="#59A14F", line_width=2, row=1, col=2)
    expected = json.loads(fig.layout.to_json())["shapes"][0]
    assert vline(3, "x2", "y2", dash="dot", color="#59A14F", width=2) == expected


def test_update_merges_nested_layouts_and_skips_none() -> None:
    layout = {"xaxis": {"title": {"text": "k"}, "dtick": 1}, "height": 300}
    update(layout, {"xaxis": {"title": {"font": {"size": 12}}}, "height": None, "width": 500})
    assert layout == {
        "xaxis": {"title": {"text": "k", "font": {"size": 12}}, "dtick": 1},
        "height": 300,
        "width": 500,
    }


def test_page_spec_encodes_arrays_as_plotly_does() -> None:
    spec = {
        "data": [
            {
                "type": "bar",
                "x": pd.Series([1, 2, 300]),
                "y": np.array([0.5, np.nan, 2.0]),
                "customdata": np.dstack([np.array([["a", "b", "c"]], dtype=object), np.ones((1, 3))]),
                "text": ["1", "2", "3"],
            },
            {"type": "heatmap", "z": np.arange(6, dtype=np.int64).reshape(2, 3) - 1, "zmin": float("inf")},
        ],
        "layout": {"width": 900, "height": 300, "xaxis": {"range": np.array([0.0, 4.0])}},
    }
    plotly = json.loads(pio.to_json(go.Figure(spec, skip_invalid=True), validate=False, remove_uids=True))
    ours = page_spec(spec)
    assert "width" not in ours["layout"]
    assert ours["layout"]["autosize"] is True
    assert ours["data"][0]["x"] == plotly["data"][0]["x"]  # narrowed to int16 alike
    assert ours["data"][0]["y"] == plotly["data"][0]["y"]
    assert ours["data"][1]["z"] == plotly["data"][1]["z"]
    assert ours["data"][0]["customdata"] == plotly["data"][0]["customdata"]
    assert ours["data"][1]["zmin"] is None
    assert ours["layout"]["xaxis"]["range"] == [0.0, 4.0]
    json.dumps(ours, allow_nan=False)  # JSON-ready: no numpy, no NaN


def _pairs(result: clusterlab.ClusterResult) -> list[tuple[Any, Any]]:
    """(a page's spec, the notebook's go.Figure) of every chart."""
    from clusterlab.report.charts.selection_figures import FIT_TIME, criterion_spec

    pairs = [
        (figures.k_selection_spec(result), figures.k_selection_figure(result)),
        (figures.cluster_map_spec(result, 300), figures.cluster_map_figure(result, 300)),
        (figures.cluster_sizes_spec(result), figures.cluster_sizes_figure(result)),
        (cluster_figures.effect_heatmap_spec(result), cluster_figures.effect_heatmap_figure(result)),
        (criterion_spec(result, FIT_TIME), figures.criterion_figure(result, FIT_TIME)),
    ]
    pairs += list(zip(figures.criterion_specs(result), figures.criterion_figures(result), strict=True))
    for cluster in (None, 2):
        pairs.append(
            (
                figures.numeric_profile_spec(result, "x", cluster),
                figures.numeric_profile_figure(result, "x", cluster),
            )
        )
        pairs.append(
            (
                figures.category_profile_spec(result, "size", cluster),
                figures.category_profile_figure(result, "size", cluster),
            )
        )
    for numeric, categories in ((None, None), (["z"], ["colour"]), ([], [])):
        pairs.append(
            (
                cluster_figures.cluster_profile_spec(result, 1, numeric),
                cluster_figures.cluster_profile_figure(result, 1, numeric),
            )
        )
        pairs.append(
            (
                cluster_figures.category_pies_spec(result, 1, categories),
                cluster_figures.category_pies_figure(result, 1, categories),
            )
        )
    return pairs


def test_every_spec_is_what_plotly_validates_its_figure_to(result: clusterlab.ClusterResult) -> None:
    # A property Plotly does not know, or a value it would coerce, would make the two differ: the
    # notebook's figure is validated by Plotly, the page's spec never is.
    for spec, fig in _pairs(result):
        assert isinstance(fig, go.Figure)
        assert fig.layout.template == pio.templates["plotly_white"]
        drawn = {"data": spec["data"], "layout": spec["layout"]}
        assert _decoded(drawn) == _decoded(figure_spec(fig, template=False)), spec["layout"]["title"]["text"]
        assert "template" not in spec["layout"]
        if "narrow" in spec:  # the phone variant is valid Plotly too (validation raises otherwise)
            narrow = to_figure(narrowed(spec))
            assert narrow.layout.height == spec["narrow"]["layout"].get(
                "height", spec["layout"].get("height")
            )


def test_to_figure_keeps_the_spec_and_adds_the_template() -> None:
    fig = to_figure({"data": [{"type": "bar", "x": [1, 2], "y": [3, 4]}], "layout": {"height": 200}})
    assert fig.layout.height == 200
    assert list(fig.data[0].y) == [3, 4]
    assert fig.layout.template == pio.templates["plotly_white"]


def test_report_embeds_the_template_once_for_every_chart(result: clusterlab.ClusterResult) -> None:
    import re

    from clusterlab.report.report import render_report

    html = render_report(result)
    template = re.search(
        r'<script type="application/json" id="chart-template"[^>]*>(.*?)</script>', html, re.S
    )
    assert template is not None
    assert json.loads(template.group(1)) == json.loads(template_json())
    assert json.loads(template_json())["layout"]["plot_bgcolor"] == "white"  # plotly_white's
    charts = re.search(r'<script type="application/json" id="chart-data">(.*?)</script>', html, re.S)
    assert charts is not None
    specs = json.loads(charts.group(1))
    assert len(specs) > 10
    assert not any("template" in spec["layout"] for spec in specs.values())
    assert html.count('"plot_bgcolor":"white"') == 1
