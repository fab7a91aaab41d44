"""The page helpers of app.py: text with `code`, long names shortened apart, chart grids without a lone
chart; the chart script and theme taken from the report package."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import clusterlab
from clusterlab.outputs.palette import PALETTE
from clusterlab.report.charts.spec import NARROW
from clusterlab.report.charts.theme import template_json
from clusterlab.web.app import _templates, grid_columns, inline_code

REPORT_TEMPLATES = Path(clusterlab.__file__).parent / "report" / "templates"


def test_backticks_become_code_and_everything_else_is_escaped() -> None:
    assert str(inline_code("Labels new rows with `clusterlab assign`.")) == (
        "Labels new rows with <code>clusterlab assign</code>."
    )
    assert str(inline_code("<b>`a<b>`</b>")) == "&lt;b&gt;<code>a&lt;b&gt;</code>&lt;/b&gt;"
    assert str(inline_code("one ` alone")) == "one ` alone"  # unpaired: just a character


def test_the_distinct_filter_shows_where_long_names_differ() -> None:
    names = [
        f"Average monthly spend on product category number {i} during the last fiscal year" for i in (1, 5)
    ]
    render = _templates().env.from_string("{{ (names + ['age'])|distinct(28)|join(' | ') }}").render
    assert render(names=names) == "…number 1 during… | …number 5 during… | age"


@pytest.mark.parametrize("count", range(1, 13))
def test_a_chart_grid_leaves_no_chart_alone_under_a_full_row(count: int) -> None:
    columns = int(grid_columns(count).removeprefix("cols-"))
    last_row = count % columns or columns
    assert last_row > 1 or count == 1 or all(count % c == 1 for c in (2, 3, 4)), (count, columns)
    assert columns <= 4


def test_pages_with_charts_link_the_reports_chart_script_and_embed_its_theme(client: TestClient) -> None:
    templates = client.app.state.templates  # type: ignore[attr-defined]
    page = templates.env.get_template("partials/chart_scripts.html").render(version="9.9")
    scripts = re.findall(r'<script src="([^"]+)"', page)
    assert scripts == ["/static-lib/plotly.min.js", "/static-lib/charts.js?v=9.9"]  # Plotly first
    block = re.search(
        r'<script type="application/json" id="chart-template" data-narrow="(\d+)">(.*?)</script>', page
    )
    assert block is not None
    assert int(block.group(1)) == NARROW
    assert json.loads(block.group(2)) == json.loads(template_json())  # the theme report.html embeds


def test_the_shared_macros_are_the_report_packages() -> None:
    # Found through the report's loader: a web template of the same name would shadow it.
    template = _templates().env.get_template("macros.html")
    assert Path(template.filename or "").resolve() == (REPORT_TEMPLATES / "macros.html").resolve()


def test_cluster_swatches_take_the_palette_from_python() -> None:
    render = _templates().env.from_string('{% from "macros.html" import swatch %}{{ swatch(n) }}').render
    assert [render(n=n) for n in (1, 2, 11)] == [
        f'<span class="swatch" style="background:{c}" aria-hidden="true"></span>'
        for c in (PALETTE[0], PALETTE[1], PALETTE[0])
    ]
    css = (Path(clusterlab.__file__).parent / "web" / "static" / "app.css").read_text(encoding="utf-8")
    assert not [c for c in PALETTE if c.lower() in css.lower()]  # not typed again in the style sheet
