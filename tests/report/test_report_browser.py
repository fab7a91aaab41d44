"""report.html in a real browser: every chart draws, nothing errors, nothing is fetched."""

from __future__ import annotations

from pathlib import Path

import pytest

import clusterlab
from clusterlab.samples import SAMPLES

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("name", ["customers", "wine"])
def test_sample_report_draws_every_chart(browser, tmp_path: Path, name: str) -> None:
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

    placeholders = page.eval_on_selector_all(".chart[data-chart]", "els => els.length")
    drawn = page.eval_on_selector_all(
        ".chart .main-svg", "els => new Set(els.map(e => e.closest('.chart'))).size"
    )
    assert drawn == placeholders > 5
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
