"""The whole flow in a real browser: upload an .xlsx, check columns, order a category, choose k, results.

Screenshots of every step (1280 px and 390 px wide) go to test-artifacts/browser/ for people to look at.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from .conftest import ARTIFACTS, DESKTOP, PHONE, layout_problems

pytestmark = pytest.mark.browser

SIZES = ["S", "M", "L", "XL"]


def make_shop_table(n_per_group: int = 70, seed: int = 11) -> pd.DataFrame:
    """Three groups of shoppers; 'size' is an ordered category (S < M < L < XL) that follows the groups."""
    rng = np.random.default_rng(seed)
    parts = []
    for group, (income, age, size_weights) in enumerate(
        [
            (28_000, 24, [0.6, 0.3, 0.1, 0.0]),
            (65_000, 41, [0.1, 0.5, 0.3, 0.1]),
            (140_000, 58, [0.0, 0.1, 0.4, 0.5]),
        ]
    ):
        n = n_per_group
        parts.append(
            pd.DataFrame(
                {
                    "annual income": rng.normal(income, income * 0.08, n).round(0),
                    "age": rng.normal(age, 3, n).round(0),
                    "size": rng.choice(SIZES, n, p=size_weights),
                    "newsletter": np.where(rng.random(n) < 0.3 + 0.2 * group, "Yes", "No"),
                    "region": rng.choice(["North", "South", "East", "West"], n),
                    "segment": f"segment {group + 1}",
                }
            )
        )
    frame = pd.concat(parts, ignore_index=True).sample(frac=1.0, random_state=seed).reset_index(drop=True)
    frame.insert(0, "customer id", [f"C{i:04d}" for i in range(1, len(frame) + 1)])
    return frame


def _wait_for_columns(page) -> None:
    page.wait_for_selector("table.columns-table", timeout=60_000)


def _wait_for_k(page) -> None:
    page.wait_for_selector(".recommendation", timeout=120_000)


def test_whole_flow_on_xlsx(
    browser, server, tmp_path: Path, shoot, console_errors, every_chart_drawn
) -> None:
    from openpyxl import load_workbook

    frame = make_shop_table()
    # A typo, so the results have an outlier table to show on a phone: under the far fence (issue 14)
    # clean groups have next to no outliers.
    frame.loc[7, "age"] = 940.0
    source = tmp_path / "shop customers.xlsx"
    frame.to_excel(source, index=False, engine="xlsxwriter")
    context = browser.new_context(viewport=DESKTOP, accept_downloads=True)
    page = console_errors.watch(context.new_page())

    # Step 1: upload
    page.goto(server.url + "/")
    assert page.get_by_role("heading", name=re.compile("Find the groups")).is_visible()
    assert layout_problems(page) == []
    shoot(page, "flow-1-upload-desktop")
    # A chosen file is sent at once, so the button chooses one (it was an "Upload and continue" that
    # stayed disabled until a file was chosen, and by then the file was on its way).
    assert page.get_by_role("button", name="Upload and continue").count() == 0
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Choose a file", exact=True).click()
    chooser.value.set_files(str(source))

    # Step 2: the data overview; mark 'segment' as the known groups (HTMX updates the row in place)
    _wait_for_columns(page)
    assert re.search(r"/runs/[\w-]{20,}/columns$", page.url)
    assert page.get_by_text("210").first.is_visible()
    segment_row = page.locator("tr.column-row", has_text="segment")
    segment_row.locator("select").select_option("label")
    page.wait_for_selector("tr.column-row.is-changed >> text=segment")
    shoot(page, "flow-2-columns-desktop")
    run_url = page.url.rsplit("/", 1)[0]
    page.get_by_role("button", name="Continue").first.click()

    # Step 3: put 'size' in order S < M < L < XL with the arrow buttons (keyboard-usable)
    page.wait_for_url(re.compile(r"/order$"))
    card = page.locator("fieldset.order-card", has_text="size")
    for _ in range(6):  # bubble the values into order using only the up/down buttons
        levels = card.locator(".sortable-item .level").all_inner_texts()
        if levels == SIZES:
            break
        for position in range(len(levels) - 1):
            levels = card.locator(".sortable-item .level").all_inner_texts()
            if SIZES.index(levels[position]) > SIZES.index(levels[position + 1]):
                card.locator(".sortable-item").nth(position).get_by_role(
                    "button", name=re.compile("down")
                ).click()
    assert card.locator(".sortable-item .level").all_inner_texts() == SIZES
    assert card.locator("input[type=radio][value=yes]").is_checked()
    # With an order set, the buttons say what each does.
    assert page.get_by_role("button", name="Continue without ordering").is_visible()
    assert layout_problems(page) == []
    shoot(page, "flow-3-order-desktop")
    page.get_by_role("button", name="Continue with these orders").click()

    # Step 4: live progress, then the recommendation and the criteria charts
    page.wait_for_url(re.compile(r"/k$"))
    _wait_for_k(page)
    page.wait_for_selector(".chart-canvas .main-svg", timeout=30_000)
    # One chart per criterion, and one small map per method side by side.
    criteria, maps = page.locator(".criteria-table tbody tr").count(), page.locator(".method-map").count()
    assert maps == 5
    assert every_chart_drawn(page) == criteria + maps
    recommended = int(page.locator(".big-number").inner_text())
    assert 2 <= recommended <= 10
    assert page.locator(".rec-reason").inner_text().strip()
    shoot(page, "flow-4-choose-k-desktop")

    # Choose another k than recommended: it is fitted, then the results open
    other = 3 if recommended != 3 else 4
    page.select_option("#choose-k", str(other))
    page.get_by_role("button", name="Show results").click()
    page.wait_for_url(re.compile(r"/results$"), timeout=120_000)
    assert page.get_by_role("heading", name=f"{other} clusters in shop customers.xlsx").is_visible()
    assert page.locator("article.cluster-card").count() == other
    assert page.get_by_text("Clusters against the known groups (segment)").is_visible()
    page.locator("#cluster-1").scroll_into_view_if_needed()
    page.wait_for_selector("#cluster-1 .chart-canvas .main-svg", timeout=30_000)
    page.mouse.wheel(0, 20_000)
    page.wait_for_timeout(400)
    assert every_chart_drawn(page) > other * 2  # the heatmap, sizes, map and each card's charts
    assert layout_problems(page) == []
    shoot(page, "flow-5-results-desktop")

    # Each download names its file once; `code` in a description is shown as code.
    links = page.locator("a.download-link")
    assert links.count() == 5
    for i in range(links.count()):
        text = links.nth(i).inner_text()
        name = links.nth(i).locator(".download-name").inner_text()
        assert text.count(name) == 1, text
        assert "`" not in text
    assert page.locator(".downloads code", has_text="clusterlab assign").is_visible()

    # The workbook: every row in order, the original columns unchanged, a Cluster column
    with page.expect_download() as download_info:
        page.locator("a.download-link", has_text="Workbook").click()
    workbook_path = tmp_path / "downloaded.xlsx"
    download_info.value.save_as(workbook_path)
    sheet = load_workbook(workbook_path, read_only=True)["Clustered Data"]
    rows = list(sheet.iter_rows(values_only=True))
    header, body = list(rows[0]), rows[1:]
    assert header == [*frame.columns, "Cluster", "Cluster name", "Distance", "Outlier"]
    assert len(body) == len(frame)
    got = pd.DataFrame([r[: len(frame.columns)] for r in body], columns=list(frame.columns))
    pd.testing.assert_frame_equal(got, frame, check_dtype=False)
    clusters = [r[len(frame.columns)] for r in body]
    assert set(clusters) == set(range(1, other + 1))

    # The cards carry the core's names and descriptions, as report.html and the workbook do.
    names = [n.split(" · ", 1)[1] for n in page.locator("article.cluster-card h3").all_inner_texts()]
    summary = json.loads(context.request.get(run_url + "/files/summary.json").text())
    assert names == [c["name"] for c in summary["clusters"]]

    # report.html opens in a new tab: its inline scripts run under its own sandboxed CSP, the charts
    # draw, nothing errors and nothing is fetched but the app's own Plotly.
    with context.expect_page() as opened:
        page.get_by_role("link", name="Open the report").click()
    report = console_errors.watch(opened.value)
    fetched: list[str] = []
    report.on("request", lambda r: fetched.append(r.url) if "/report" not in r.url else None)
    report.wait_for_load_state()
    deadline = time.monotonic() + 60
    while report.evaluate("document.body.dataset.chartsDrawn") != "all":
        assert time.monotonic() < deadline, "report.html did not draw its charts"
        report.wait_for_timeout(100)
    # Every chart drawn inside the app too, where the report runs sandboxed (no WebGL there: the map
    # once showed "WebGL is not supported by your browser" in the app and drew in the download).
    assert every_chart_drawn(report) > 5
    assert "WebGL" not in report.locator("body").inner_text()
    assert report.locator(".card h3").first.inner_text().startswith("Cluster 1 · " + names[0])
    assert set(fetched) <= {server.url + "/static-lib/plotly.min.js"}  # perhaps from the cache
    report.screenshot(path=str(ARTIFACTS / "flow-5-report-tab-desktop.png"))
    report.close()

    # The same pages at phone width (same browser, same cookie)
    page.set_viewport_size(PHONE)
    for step, path in (
        ("1-upload", "/"),
        ("2-columns", "/columns"),
        ("3-order", "/order"),
        ("4-choose-k", "/k"),
        ("5-results", "/results"),
    ):
        page.goto(server.url + path if path == "/" else run_url + path)
        if step in ("4-choose-k", "5-results"):  # drawn for a phone: charts.js's phone variants
            assert every_chart_drawn(page) > 5
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], (
            f"{step} scrolls sideways"
        )
        assert layout_problems(page) == [], step
        shoot(page, f"flow-{step}-phone")
        if step == "3-order":  # the buttons keep their distance from the last card
            gap = page.evaluate(
                "document.querySelector('.order-actions').getBoundingClientRect().top"
                " - document.querySelector('.order-grid').getBoundingClientRect().bottom"
            )
            assert gap >= 12
        if step == "4-choose-k":  # every criterion's pick is on screen, not behind a scroll
            for box in [b.bounding_box() for b in page.locator(".criterion-best").all()]:
                assert box is not None
                assert box["x"] + box["width"] <= PHONE["width"]
        if step == "5-results":  # three known groups fit beside the clusters
            headers = page.locator(".contingency thead th").all()
            assert [h.inner_text() for h in headers][1:4] == ["segment 1", "segment 2", "segment 3"]
            scroller = page.locator(".contingency").locator("xpath=..")
            assert "is-scrollable" not in (scroller.get_attribute("class") or "")
            box, frame = headers[-1].bounding_box(), scroller.bounding_box()
            assert box is not None
            assert frame is not None
            assert box["x"] + box["width"] <= frame["x"] + frame["width"] + 1
            # The outliers table is wider than a phone: it scrolls in its box, and says so.
            outliers = page.locator(".outliers-table").locator("xpath=..")
            assert "is-scrollable" in (outliers.get_attribute("class") or "")
            hint = outliers.locator("xpath=preceding-sibling::*[1]")
            assert hint.get_attribute("class") == "scroll-hint"
            assert hint.is_visible()
            assert "Scroll sideways" in hint.inner_text()
    page.goto(server.url + "/runs")
    assert layout_problems(page) == []
    shoot(page, "flow-6-my-runs-phone")
    page.set_viewport_size(DESKTOP)
    page.goto(server.url + "/runs")
    assert page.locator("table.runs-table tbody tr").count() == 1
    shoot(page, "flow-6-my-runs-desktop")
    assert console_errors == []
    context.close()
