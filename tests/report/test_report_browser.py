"""report.html in a real browser: every chart draws, nothing errors, nothing is fetched."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests.conftest import make_blob_table

import clusterlab
from clusterlab.report.charts.cluster_figures import heatmap_columns
from clusterlab.samples import SAMPLES

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("name", ["customers", "wine"])
def test_sample_report_draws_every_chart(browser, tmp_path: Path, name: str, every_chart_drawn) -> None:
    sample = SAMPLES[name]
    result = clusterlab.cluster(sample.path, label=sample.label, ordinal=sample.ordinal, k_max=6)
    path = result.to_html(tmp_path / "report.html")

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    fetched: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: fetched.append(r.url) if not r.url.startswith(("file:", "data:")) else None)
    page.goto(path.as_uri())
    page.wait_for_function("document.body.dataset.chartsDrawn === 'all'", timeout=30_000)

    assert every_chart_drawn(page) > 5
    assert page.eval_on_selector_all("#overview tbody tr", "rows => rows.length") == result.k
    assert errors == []
    assert fetched == []

    # The column explorer swaps charts without errors.
    options = page.eval_on_selector_all("#explore-select option", "os => os.map(o => o.value)")
    page.select_option("#explore-select", options[-1])
    page.wait_for_timeout(200)
    assert page.eval_on_selector("#explore-chart", "el => el.dataset.chart") == options[-1]
    assert errors == []
    page.close()


def _wide_table() -> pd.DataFrame:
    """50 long-named spend columns (a third follow the groups) and a few categories."""
    name = "Average monthly spend on product category number {} during the last fiscal year (EUR)"
    centres = [[100 + (40 * (g == i % 4) if i % 3 == 0 else 0) for i in range(1, 51)] for g in range(4)]
    columns = [name.format(i) for i in range(1, 51)]
    frame, group = make_blob_table(75, centres, cluster_std=25, seed=7, columns=columns, shuffle=True)
    rng = np.random.default_rng(7)
    n = len(frame)
    frame["Region"] = rng.choice(["North", "South", "East", "West", "Central"], n)
    frame["Membership tier"] = np.where(group == 0, "Gold", np.where(rng.random(n) < 0.5, "Silver", "Bronze"))
    return frame


@pytest.mark.parametrize("name", ["wine", "wide"])
def test_report_fits_a_phone_and_lays_out_again_on_resize(
    browser, tmp_path: Path, name: str, every_chart_drawn
) -> None:
    if name == "wide":
        result = clusterlab.cluster(_wide_table(), k=4, k_max=4, resamples=0)
    else:
        sample = SAMPLES[name]
        result = clusterlab.cluster(sample.path, label=sample.label, k_max=6)
    path = result.to_html(tmp_path / "report.html")

    page = browser.new_page(viewport={"width": 390, "height": 844})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(path.as_uri())
    page.wait_for_function("document.body.dataset.chartsDrawn === 'all'", timeout=30_000)
    assert every_chart_drawn(page) > 5
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    page.wait_for_timeout(100)

    # No sideways scroll of the page: wide tables scroll inside their own box.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # Every chart fits its box, one a row; the heatmap is drawn turned, a readable row per column.
    boxes = page.eval_on_selector_all(
        ".chart[data-chart]",
        "els => els.map(e => [e.dataset.chart, e.clientWidth, e.querySelector('.main-svg').getBoundingClientRect().width])",
    )
    assert all(svg <= box + 1 for _, box, svg in boxes), boxes
    # Not squeezed beside another chart; only the methods' small maps (m0..m4) sit two a row by design.
    assert all(box > 300 for chart, box, _ in boxes if not re.fullmatch(r"m\d+", chart)), boxes
    assert all(box > 140 for _, box, _ in boxes), boxes
    heatmap = "document.querySelector('[data-chart=heatmap]')"
    assert page.evaluate(f"{heatmap}.dataset.variant") == "narrow"
    rows = page.evaluate(f"{heatmap}._fullLayout.yaxis.ticktext.length")
    assert rows == len(heatmap_columns(result)[0])
    # Legends go under the plot on a phone: the map keeps the width.
    assert page.evaluate("document.querySelector('[data-chart=map]')._fullLayout.legend.orientation") == "h"
    # Titles wrapped to the chart's width stay inside it.
    titles = page.eval_on_selector_all(
        ".chart[data-chart]",
        "els => els.map(e => { const t = e.querySelector('.gtitle');"
        " return [e.dataset.chart, e.clientWidth, t ? t.getBoundingClientRect().right - e.getBoundingClientRect().left : 0]; })",
    )
    assert all(right <= box + 2 for _, box, right in titles), titles

    page.set_viewport_size({"width": 1280, "height": 900})
    page.wait_for_function(f"{heatmap}.dataset.variant === 'wide'", timeout=5_000)
    assert page.evaluate(f"{heatmap}._fullLayout.xaxis.ticktext.length") == rows
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_function(f"{heatmap}.dataset.variant === 'narrow'", timeout=5_000)
    # Plotly's own resize of the other charts follows within a moment.
    page.wait_for_function("document.documentElement.scrollWidth <= 390", timeout=5_000)
    assert errors == []
    page.close()


def test_a_chart_in_a_closed_details_is_right_when_it_opens(
    browser, tmp_path: Path, every_chart_drawn
) -> None:
    # charts.js, as both pages run it: a chart in a closed <details> has no width (the style below
    # makes Chromium do what other browsers do), so it is not drawn squeezed to nothing and holds up
    # no other chart; opening the box draws it for the width it has then.
    result = clusterlab.cluster(SAMPLES["iris"].path, k=3, k_max=4, resamples=0)
    html = result.to_html(tmp_path / "report.html").read_text(encoding="utf-8")
    hidden = (
        "<style>#later:not([open]) .chart { display: none; }</style>"
        '<details id="later"><summary>More</summary><div class="chart" data-chart="heatmap"></div></details>'
    )
    path = tmp_path / "hidden.html"
    path.write_text(html.replace("<footer>", hidden + "<footer>", 1), encoding="utf-8")

    page = browser.new_page(viewport={"width": 390, "height": 844})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.as_uri())
    page.wait_for_function("document.body.dataset.chartsDrawn === 'all'", timeout=30_000)
    later = "document.querySelector('#later .chart')"
    assert page.evaluate(f"{later}.dataset.drawn") is None
    page.click("#later summary")
    page.wait_for_function(f"{later}.dataset.ready === '1'", timeout=5_000)
    assert page.evaluate(f"{later}.dataset.variant") == "narrow"  # laid out for its phone-wide box
    box, svg = page.evaluate(
        f"[{later}.clientWidth, {later}.querySelector('.main-svg').getBoundingClientRect().width]"
    )
    assert 300 < svg <= box + 1
    assert every_chart_drawn(page) > 5
    assert errors == []
    page.close()
