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


def until(page, expression: str, timeout: float = 20) -> None:
    """Wait until ``expression`` is true on ``page`` (polled: the pages' CSP forbids wait_for_function's
    evaluated strings)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"never true: {expression}"
        page.wait_for_timeout(100)


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


def test_your_data_says_what_to_check_offers_codes_and_counts_what_is_used(
    browser, server, tmp_path: Path, console_errors, shoot
) -> None:
    table = make_customers()
    table.loc[40, "income"] = 9_899_999.0  # a typo far outside the rest, in the 41st row
    source = tmp_path / "customers.csv"
    table.to_csv(source, index=False)
    context = browser.new_context(viewport=DESKTOP)
    page = console_errors.watch(context.new_page())
    page.goto(server.url + "/")
    page.set_input_files("#file", str(source))
    page.wait_for_selector("table.columns-table", timeout=60_000)
    run_url = page.url.rsplit("/", 1)[0]

    def row(name: str):
        return page.locator("tr.column-row", has=page.locator("th", has_text=name))

    # The far-out cell is said in its row, and the top of the page links to that row.
    assert "far outside the rest (row 41: 9,899,999)" in row("income").inner_text()
    page.locator("#data-problems a", has_text="income").click()
    assert page.url.endswith("#col-0")
    used = page.locator("#used-count")
    assert used.inner_text() == "5 of 5 used"

    # 'store' (codes 1, 2, 3) is offered as a category with its evidence; one click makes it one.
    assert "3 different whole numbers, 1 to 3" in row("store").inner_text()
    row("store").get_by_role("button", name="Treat as category").click()
    until(page, "document.querySelector('select[name=role_2]').value === 'categorical'")
    assert "your choice" in row("store").inner_text()
    assert used.inner_text() == "5 of 5 used"
    # Leaving a column out: the count follows at once.
    page.select_option("#role-1", "excluded")
    until(page, "document.querySelector('#used-count').textContent.trim() === '4 of 5 used'")
    page.select_option("#role-1", "numeric")
    until(page, "document.querySelector('#used-count').textContent.trim() === '5 of 5 used'")
    shoot(page, "path-columns-desktop")

    # The Options are there before the first sweep, grouped by what they decide, with plain words;
    # the far-out note's "in Options" opens them.
    assert page.locator("#options").get_attribute("open") is None
    row("income").get_by_role("link", name="Options").click()
    until(page, "document.querySelector('#options').open")
    legends = page.locator("#options legend").all_text_contents()
    assert legends == [
        "How many clusters to try",
        "How to cluster",
        "How the columns are treated",
        "Outliers",
        "Reproducibility and speed",
    ]
    options_text = page.locator("#options").inner_text()
    labels = " | ".join(page.locator("#options label").all_text_contents())
    for developer_words in ("'balanced'", "A few values", "k_min", "Advanced"):
        assert developer_words not in labels
    assert "Advanced" not in options_text
    assert "Default: count them as the limit." in options_text
    page.fill("#opt-k_max", "6")
    page.locator("#columns-form .form-actions button[type=submit]").click()
    page.wait_for_url(re.compile(r"/order$"))
    page.locator(".order-actions button.primary").click()
    page.wait_for_selector(".recommendation", timeout=120_000)
    assert context.request.get(run_url.replace("/runs/", "/api/runs/")).json()["settings"]["k_max"] == 6
    assert "1 changed" in page.locator("#options-title").locator("xpath=..").inner_text()

    # On a phone the step fits its window.
    page.set_viewport_size(PHONE)
    page.goto(run_url + "/columns")
    assert layout_problems(page) == []
    shoot(page, "path-columns-phone")
    assert console_errors == []
    context.close()
