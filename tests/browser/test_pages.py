"""Browser checks beyond the main flow: a wide table, bad files, two users, a server restart."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from .conftest import DESKTOP, PHONE, layout_problems

pytestmark = pytest.mark.browser


def _no_sideways_scroll(page) -> None:
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{page.url} scrolls sideways"
    assert layout_problems(page) == [], page.url


def make_wide_table(n_rows: int = 240, n_cols: int = 50, seed: int = 5) -> pd.DataFrame:
    """50 columns with long names: mostly numbers, some categories, two groups hidden in the first ten."""
    rng = np.random.default_rng(seed)
    group = rng.integers(0, 2, n_rows)
    data = {}
    for i in range(n_cols):
        name = f"Average monthly spend on product category number {i + 1} during the last fiscal year (EUR)"
        if i % 7 == 6:
            name = f"Preferred delivery option for region {i + 1} as chosen in the customer survey"
            data[name] = rng.choice(["Standard", "Express", "Pick-up point", "Locker"], n_rows)
        else:
            data[name] = (rng.normal(100 + 80 * group * (i < 10), 15, n_rows)).round(2)
    table = pd.DataFrame(data)
    # Two typos far outside their columns: their rows are outliers whatever the rule, so the results
    # page has an outlier table whose long headers must stay distinct.
    table.iloc[3, 1], table.iloc[17, 2] = 99_999.0, 88_888.0
    return table


def _upload(page, path: Path) -> None:
    page.set_input_files("#file", str(path))


def test_fifty_long_named_columns_look_right(browser, server, tmp_path: Path, shoot, console_errors) -> None:
    source = tmp_path / "wide survey export with a rather long file name.csv"
    make_wide_table().to_csv(source, index=False)
    context = browser.new_context(viewport=DESKTOP)
    page = console_errors.watch(context.new_page())
    page.goto(server.url + "/")
    _upload(page, source)
    page.wait_for_selector("table.columns-table", timeout=60_000)
    assert page.locator("tr.column-row").count() == 50
    _no_sideways_scroll(page)
    # The first rows: each header shows where its name differs from the others, the full name on hover.
    headers = page.locator(".preview-table thead th")
    labels = headers.all_inner_texts()
    assert len(set(labels)) == 50
    assert labels[4] == "…number 5 during…"
    assert headers.nth(4).get_attribute("title") == make_wide_table().columns[4]
    assert (
        page.locator(".preview-table").locator("xpath=..").get_attribute("class").count("is-scrollable") == 1
    )
    shoot(page, "wide-2-columns-desktop")
    run_url = page.url.rsplit("/", 1)[0]
    page.get_by_role("button", name="Continue").first.click()
    page.wait_for_url(re.compile(r"/order$"))
    # Seven cards of 'Preferred delivery option for region N ...': seven different names, counts on one line.
    names = page.locator(".order-card legend .order-name").all_inner_texts()
    assert len(names) == 7
    assert len(set(names)) == 7
    assert names[0] == "…region 7 as…"
    for count in page.locator(".order-card legend .order-count").all():
        box = count.bounding_box()
        assert box is not None
        assert box["height"] < 24, "the value count wraps"
    _no_sideways_scroll(page)
    shoot(page, "wide-3-order-desktop")
    assert page.get_by_role("button", name="Continue with these orders").count() == 0  # nothing ordered
    page.get_by_role("button", name="Continue without ordering").first.click()  # at the top of the page
    page.wait_for_selector(".recommendation", timeout=120_000)
    page.get_by_role("button", name="Show results").click()
    page.wait_for_url(re.compile(r"/results$"), timeout=60_000)
    _no_sideways_scroll(page)
    outlier_headers = page.locator(".outliers-table thead th[title]").all_inner_texts()
    assert len(outlier_headers) == len(set(outlier_headers)) > 1
    shoot(page, "wide-5-results-desktop")
    page.set_viewport_size(PHONE)
    for step in ("columns", "order", "k", "results"):
        page.goto(f"{run_url}/{step}")
        _no_sideways_scroll(page)
        shoot(page, f"wide-{step}-phone")
    assert "Tap or hover a cell" in page.locator("#glance-title").locator("xpath=..").inner_text()
    assert console_errors == []
    context.close()


def test_bad_files_show_their_message(browser, server_factory, tmp_path: Path, shoot, console_errors) -> None:
    server = server_factory(upload_limit_mb="1")
    context = browser.new_context(viewport=DESKTOP)
    page = console_errors.watch(context.new_page())
    page.goto(server.url + "/")
    assert page.get_by_text("up to 1 MB").is_visible()

    big = tmp_path / "big export.csv"
    big.write_bytes(b"a,b\n" + b"1,2\n" * 400_000)  # 1.6 MB: refused before it is sent
    _upload(page, big)
    message = page.locator(".client-error")
    message.wait_for(timeout=5_000)
    assert "1.5 MB: this server accepts files up to 1 MB" in message.inner_text()
    assert page.url == server.url + "/"
    # It reads as an error: the name in the error colour, not the success one; the button offers to
    # choose another.
    assert page.get_by_role("button", name="Choose a file", exact=True).is_enabled()
    chosen = page.locator("#chosen-file")
    assert "too large" in chosen.inner_text()
    assert chosen.evaluate("e => getComputedStyle(e).color") == "rgb(168, 32, 26)"  # --bad, not --ok's green
    assert "is-invalid" in (page.locator("#dropzone").get_attribute("class") or "")
    shoot(page, "bad-file-too-large-desktop")

    fake = tmp_path / "budget.xlsx"
    fake.write_text("name,amount\nrent,1200\n", encoding="utf-8")
    _upload(page, fake)
    alert = page.locator("#flash .alert-error")
    alert.wait_for(timeout=20_000)
    assert "budget.xlsx" in alert.inner_text()
    assert "plain text" in alert.inner_text()
    assert page.url == server.url + "/"  # no run was made
    assert page.locator(".client-error").is_hidden()  # the size message left with the big file
    page.wait_for_timeout(100)
    assert page.locator("#file").evaluate("input => input.files.length") == 0  # the refused file is gone
    assert page.get_by_role("button", name="Choose a file", exact=True).is_enabled()
    shoot(page, "bad-file-upload-desktop")

    letter = tmp_path / "letter.docx"
    letter.write_bytes(b"PK\x03\x04 not a spreadsheet")
    _upload(page, letter)
    page.locator("#flash .alert-error", has_text="letter.docx").wait_for(timeout=20_000)
    assert ".csv" in page.locator("#flash .alert-error").inner_text()

    header_only = tmp_path / "empty table.csv"
    header_only.write_text("a,b,c\n", encoding="utf-8")
    _upload(page, header_only)
    page.locator(".alert-error", has_text="no data rows").wait_for(timeout=60_000)
    assert re.search(r"/columns$", page.url)
    shoot(page, "bad-file-read-desktop")
    page.set_viewport_size(PHONE)
    _no_sideways_scroll(page)
    shoot(page, "bad-file-read-phone")
    # The browser logs the 400 of the refused upload; nothing else may fail.
    assert [e for e in console_errors if "400" not in e] == []
    context.close()


def test_two_browsers_do_not_see_each_others_runs(browser, server, shoot) -> None:
    alice = browser.new_context(viewport=DESKTOP)
    bob = browser.new_context(viewport=DESKTOP)
    page_a, page_b = alice.new_page(), bob.new_page()
    page_a.goto(server.url + "/")
    page_a.get_by_role("button", name="Try the Iris flowers sample").click()
    page_a.wait_for_selector("table.columns-table", timeout=60_000)
    run_url = page_a.url
    run_id = run_url.split("/")[-2]

    page_b.goto(run_url)
    assert page_b.get_by_role("heading", name="Not found").is_visible()
    assert "another browser" in page_b.locator(".lead").inner_text()
    assert page_b.locator("main").get_by_text("Not found").count() == 1  # no label repeating the heading
    assert (
        page_b.locator(".error-card").evaluate("e => getComputedStyle(e).borderLeftColor")
        == "rgb(168, 32, 26)"
    )
    shoot(page_b, "isolation-other-users-run-desktop")
    page_b.goto(server.url + "/runs")
    assert page_b.get_by_text("No runs yet").is_visible()
    api = bob.request.get(f"{server.url}/api/runs/{run_id}")
    assert api.status == 404
    assert set(api.json()) == {"error", "detail"}

    page_a.goto(server.url + "/runs")
    assert page_a.locator("table.runs-table tbody tr").count() == 1
    alice.close()
    bob.close()


def test_runs_survive_a_server_restart(browser, server_factory, tmp_path: Path, shoot) -> None:
    data_dir = tmp_path / "kept"
    first = server_factory(data_dir)
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.goto(first.url + "/")
    page.get_by_role("button", name="Try the Iris flowers sample").click()
    page.wait_for_selector("table.columns-table", timeout=60_000)
    page.get_by_role("button", name="Continue").first.click()
    page.wait_for_selector(".recommendation", timeout=120_000)
    finished_url = page.url.rsplit("/", 1)[0]
    page.goto(first.url + "/")
    page.get_by_role("button", name="Try the Wine chemistry sample").click()
    page.wait_for_selector("table.columns-table", timeout=60_000)
    wine_id = page.url.split("/")[-2]
    first.stop()

    # As if the server had died while the wine run was clustering.
    with sqlite3.connect(data_dir / "runs.sqlite3") as db:
        db.execute(
            "UPDATE runs SET phase = 'running', job = 'cluster', attempt = attempt + 1 WHERE id = ?",
            (wine_id,),
        )

    second = server_factory(data_dir)
    # The same browser (cookies are per host, not per port): its runs are still its own.
    page.goto(second.url + "/runs")
    rows = page.locator("table.runs-table tbody tr")
    assert rows.count() == 2
    assert rows.filter(has_text="iris.csv").get_by_text("clusters").is_visible()
    interrupted = rows.filter(has_text="wine.csv")
    assert interrupted.get_by_text("Interrupted").is_visible()
    detail = interrupted.locator(".status-detail")
    assert "nothing you uploaded was lost" in detail.inner_text()
    assert detail.evaluate("e => e.scrollHeight <= e.clientHeight + 1"), "the status text is cut"
    shoot(page, "restart-my-runs-desktop")

    page.goto(second.url + finished_url.removeprefix(first.url) + "/results")
    assert page.get_by_role("heading", name=re.compile(r"\d+ clusters in iris.csv")).is_visible()

    page.goto(second.url + "/runs")
    interrupted.get_by_role("button", name="Start again").click()
    page.wait_for_selector(".recommendation", timeout=120_000)
    assert "/runs/" + wine_id in page.url
    context.close()
