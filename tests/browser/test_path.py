"""Issue 14, "smooth the path": what a new user tripped over, each checked where it happened.

Step 2 warns about the data while the user can still act, the Options are there before the first
sweep, the k menu shows the k on screen after Back, no page speaks the command line, the in-app
report links the app's Plotly, and the results put the clusters before the downloads on a phone.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from .conftest import DESKTOP, PHONE, layout_problems

pytestmark = pytest.mark.browser

# " --outliers keep", "(--role ...)": a flag of the command line, which a web page must not show.
CLI_FLAG = re.compile(r"(?:^|[\s(\"'“‘])--[a-z][a-z-]+")


# Every text a reader can come to (closed disclosures too), but no script's or style's.
_TEXT = """() => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
    acceptNode: (n) => n.parentElement.closest('script, style') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
  });
  const parts = [];
  while (walker.nextNode()) { parts.push(walker.currentNode.nodeValue); }
  return parts.join(' ');
}"""


def cli_words(page) -> list[str]:
    """The command-line flags a page shows (its whole text, closed disclosures included)."""
    text = page.evaluate(_TEXT)
    return sorted({m.group(0).strip(" (\"'“‘") for m in CLI_FLAG.finditer(text)})


def make_customers(n: int = 180, seed: int = 3) -> pd.DataFrame:
    """Three groups of customers, a store code 1/2/3 (a category written as numbers) and a date."""
    rng = np.random.default_rng(seed)
    group = np.repeat([0, 1, 2], n // 3)
    return pd.DataFrame(
        {
            "income": rng.normal([30, 60, 110], 6, (n // 3, 3)).T.ravel().round(1),
            "visits": rng.normal([4, 9, 2], 1.2, (n // 3, 3)).T.ravel().round(1),
            "store": rng.integers(1, 4, n),
            "joined": pd.date_range("2021-01-13", periods=n, freq="3D").strftime("%d/%m/%Y"),
            "plan": np.where(group == 2, "Premium", rng.choice(["Basic", "Plus"], n)),
        }
    )


def test_choose_k_after_back_and_no_page_speaks_the_command_line(
    browser, server, tmp_path: Path, console_errors, every_chart_drawn
) -> None:
    source = tmp_path / "customers.csv"
    make_customers().to_csv(source, index=False)
    context = browser.new_context(viewport=DESKTOP)
    page = console_errors.watch(context.new_page())
    page.goto(server.url + "/")
    assert cli_words(page) == []
    page.set_input_files("#file", str(source))
    page.wait_for_selector("table.columns-table", timeout=60_000)
    run_url = page.url.rsplit("/", 1)[0]
    assert cli_words(page) == []
    page.locator("#columns-form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/order$"))  # 'plan' has three values
    assert cli_words(page) == []
    page.locator(".order-actions button.primary").click()
    page.wait_for_selector(".recommendation", timeout=120_000)
    assert cli_words(page) == []
    recommended = int(page.locator(".big-number").inner_text())
    other = 4 if recommended != 4 else 5

    # Another k: fitted, then its results; Back returns to "choose k", whose menu must say the k shown.
    page.select_option("#choose-k", str(other))
    page.get_by_role("button", name="Show results").click()
    page.wait_for_url(re.compile(r"/results$"), timeout=120_000)
    assert page.get_by_role("heading", name=f"{other} clusters in customers.csv").is_visible()
    assert cli_words(page) == []
    page.go_back()
    page.wait_for_selector(".recommendation")
    assert page.locator("#choose-k").input_value() == str(other)
    assert page.locator("#choose-k option:checked").inner_text() == f"k = {other}"

    # The report inside the app: Plotly comes from the app (cached), not inlined; the download keeps it.
    page.goto(run_url + "/results")
    fetched: list[str] = []
    with context.expect_page() as opened:
        page.get_by_role("link", name="Open the report").click()
    report = console_errors.watch(opened.value)
    report.on("request", lambda r: fetched.append(r.url) if not r.url.endswith("/report") else None)
    report.wait_for_load_state()
    deadline = time.monotonic() + 60
    while report.evaluate("document.body.dataset.chartsDrawn") != "all":
        assert time.monotonic() < deadline, "the report did not draw its charts"
        report.wait_for_timeout(100)
    assert every_chart_drawn(report) > 5
    assert set(fetched) <= {server.url + "/static-lib/plotly.min.js"}  # perhaps from the cache
    assert report.evaluate("[...document.scripts].map(s => s.getAttribute('src')).filter(Boolean)") == [
        "/static-lib/plotly.min.js"
    ]
    in_app = context.request.get(run_url + "/report")
    download = context.request.get(run_url + "/files/report.html")
    assert len(in_app.body()) < 1_000_000 < 3_000_000 < len(download.body())
    report.close()

    # At phone width: the clusters come before the downloads, and no chart's toolbar covers its title.
    page.set_viewport_size(PHONE)
    page.goto(run_url + "/results")
    every_chart_drawn(page)
    glance = page.locator("#glance-title").bounding_box()
    downloads = page.locator("#downloads-title").bounding_box()
    assert glance is not None
    assert downloads is not None
    assert glance["y"] < downloads["y"]
    assert page.locator(".modebar").first.is_hidden()
    assert layout_problems(page) == []
    for path in ("/columns", "/k", "/results"):
        page.goto(run_url + path)
        assert cli_words(page) == [], path
    page.goto(server.url + "/runs")
    assert cli_words(page) == []
    assert console_errors == []
    context.close()
