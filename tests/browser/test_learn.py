"""The Learn section in a real browser, at 1280 and 390 px: every page and control, the K-Means
player (it advances and stops, step, back, pause, speed, the distance table's pages), the controls
changing the picture, a lesson on the browser's own run, and no console errors. Screenshots of each
page go to test-artifacts/browser/learn-*.png for people to look at."""

from __future__ import annotations

import re

import pytest

from .conftest import DESKTOP, PHONE, layout_problems

pytestmark = pytest.mark.browser

WIDTHS = {"desktop": DESKTOP, "phone": PHONE}


def _fits(page) -> None:
    assert layout_problems(page) == [], page.url


def _step(page) -> int:
    return int(page.locator("[data-lesson-steps]").get_attribute("data-step") or "0")


def _map_title(page) -> str:
    return page.locator("[data-role='map'] .gtitle").text_content() or ""


def _change(page, selector: str, value: str) -> None:
    """Set a control and wait for the lesson it asks for (HTMX swaps it in place)."""
    with page.expect_response(lambda r: "/learn/" in r.url):
        if selector.startswith("select"):
            page.locator(selector).select_option(value)
        else:
            page.locator(selector).fill(value)
            page.locator(selector).dispatch_event("change")
    page.wait_for_load_state("networkidle")


def _wait_drawn(page) -> None:
    # A changed number may send its form twice (its input, then its change): let both land first.
    page.wait_for_load_state("networkidle")
    page.wait_for_selector("[data-role='map'][data-ready] .gtitle", timeout=30_000)


@pytest.mark.parametrize("width", WIDTHS)
def test_learn_pages_and_controls(browser, server, shoot, console_errors, width: str) -> None:
    context = browser.new_context(viewport=WIDTHS[width])
    page = console_errors.watch(context.new_page())
    page.goto(server.url + "/")
    page.get_by_role("link", name="Learn").click()
    page.wait_for_url(re.compile(r"/learn$"))
    assert page.locator(".use-case").count() == 3
    assert page.locator("#case-segmentation button").count() == 1  # the customers sample, one click away
    _fits(page)
    shoot(page, f"learn-1-what-for-{width}")

    # K-Means step by step: the player.
    page.get_by_role("link", name=re.compile("K-Means step by step")).first.click()
    page.wait_for_url(re.compile(r"/learn/kmeans"))
    _wait_drawn(page)
    assert _step(page) == 0
    assert "Step 0" in _map_title(page)
    first_rows = page.locator("[data-role='rows'] tr").all_inner_texts()
    assert len(first_rows) == 10
    assert page.locator("[data-role='rows'] td.nearest").count() == 10  # one nearest centre per row
    page.get_by_role("button", name="Step ▶").click()
    assert _step(page) == 1
    page.wait_for_function(
        "() => document.querySelector(\"[data-role='map'] .gtitle\").textContent.includes('Step 1')"
    )
    assert "Assign" in _map_title(page)
    page.get_by_role("button", name="◀ Back").click()
    assert _step(page) == 0
    # The distance table's pages.
    page.get_by_role("button", name="Next rows ▶").click()
    assert page.locator("[data-role='page']").inner_text().startswith("Rows 11–20")
    assert page.locator("[data-role='rows'] tr").all_inner_texts() != first_rows
    # Play advances, and stops by itself at the last step; fastest speed.
    last = int(page.locator("[data-act='slider']").get_attribute("max") or "0")
    assert last >= 3
    page.locator("[data-act='speed']").select_option("4")
    page.get_by_role("button", name="Play").click()
    page.wait_for_function(
        "() => { const b = document.querySelector('[data-lesson-steps]');"
        f" return b.dataset.step === '{last}' && !b.dataset.playing; }}",
        timeout=30_000,
    )
    page.wait_for_timeout(600)
    assert _step(page) == last
    assert page.get_by_role("button", name="Pause").is_disabled()
    assert "settled" in page.locator("[data-role='status']").inner_text()
    # Pause stops it where it is.
    page.locator("[data-act='speed']").select_option("0.5")
    page.get_by_role("button", name="Play").click()  # from the end it starts over
    page.wait_for_function(
        "() => Number(document.querySelector('[data-lesson-steps]').dataset.step) >= 1", timeout=10_000
    )
    page.get_by_role("button", name="Pause").click()
    paused_at = _step(page)
    page.wait_for_timeout(2500)
    assert _step(page) == paused_at < last
    _fits(page)
    shoot(page, f"learn-2-kmeans-{width}")

    # A control changes the picture: a bad start (HTMX swaps the lesson, the address follows).
    title_before = _map_title(page)
    _change(page, "select[name='start']", "bad")
    page.wait_for_url(re.compile(r"start=bad"))
    _wait_drawn(page)
    assert _step(page) == 0
    page.get_by_role("button", name="Step ▶").click()
    page.get_by_role("button", name="Step ▶").click()
    page.wait_for_function(
        "() => document.querySelector(\"[data-role='map'] .gtitle\").textContent.includes('Step 2')"
    )
    assert _map_title(page) != title_before
    _change(page, "input[name='k']", "4")
    page.wait_for_url(re.compile(r"k=4"))
    _wait_drawn(page)
    assert page.locator(".distance-table thead th").count() == 2 + 4  # row, now in, four centres
    assert page.locator("#steps-title").inner_text().startswith("4 centres")
    shoot(page, f"learn-2-kmeans-bad-start-{width}")

    # How to choose k: the verdict follows the separation.
    page.get_by_role("link", name=re.compile("How to choose k")).first.click()
    page.wait_for_url(re.compile(r"/learn/choose-k"))
    assert page.locator("[data-role='confidence']").inner_text() == "Strong confidence"
    assert page.locator(".chart").count() >= 4
    shoot(page, f"learn-3-choose-k-{width}")
    _change(page, "input[name='separation']", "0.5")
    page.wait_for_url(re.compile(r"separation=0.5"))
    page.wait_for_selector("[data-role='structure']")
    assert page.locator("[data-role='confidence']").inner_text() != "Strong confidence"
    _fits(page)

    # Limits and alternatives: five methods and a dendrogram; the data set changes them.
    page.get_by_role("link", name=re.compile("Limits and alternatives")).first.click()
    page.wait_for_url(re.compile(r"/learn/limits"))
    assert page.locator(".learn-method").count() == 5
    page.wait_for_selector("#method-hdbscan .chart[data-ready] .gtitle", timeout=30_000)
    before = page.locator("#method-hdbscan .gtitle").text_content() or ""
    _change(page, "select[name='shape']", "moons")
    page.wait_for_url(re.compile(r"shape=moons"))
    _change(page, "input[name='k']", "2")
    page.wait_for_url(re.compile(r"k=2"))
    page.wait_for_selector("#method-kmeans .chart[data-ready] .gtitle", timeout=30_000)
    assert (page.locator("#method-kmeans .gtitle").text_content() or "").startswith("K-Means: 2 clusters")
    assert (page.locator("#method-hdbscan .gtitle").text_content() or "") != before
    _fits(page)
    shoot(page, f"learn-4-limits-{width}")

    page.get_by_role("link", name=re.compile("People decide")).first.click()
    page.wait_for_url(re.compile(r"/learn/people"))
    _fits(page)
    shoot(page, f"learn-5-people-{width}")
    assert console_errors == []


def test_learn_on_your_own_run(browser, server, shoot, console_errors) -> None:
    context = browser.new_context(viewport=DESKTOP)
    page = console_errors.watch(context.new_page())
    page.goto(server.url + "/")
    page.get_by_role("button", name="Try the Iris flowers sample").click()
    page.wait_for_selector("table.columns-table", timeout=60_000)
    page.get_by_role("button", name="Continue").first.click()
    page.wait_for_selector(".recommendation", timeout=180_000)
    page.goto(server.url + "/learn/kmeans")
    with page.expect_response(lambda r: "/learn/" in r.url):
        page.locator("select[name='run']").select_option(index=1)
    page.wait_for_url(re.compile(r"run="))
    _wait_drawn(page)
    assert "iris" in page.locator("#steps-title").inner_text()
    assert page.locator("input[name='points']").count() == 0  # the playground's controls are gone
    page.get_by_role("button", name="Step ▶").click()
    assert _step(page) == 1
    shoot(page, "learn-2-kmeans-own-run-desktop")
    page.get_by_role("link", name=re.compile("How to choose k")).first.click()
    page.wait_for_url(re.compile(r"/learn/choose-k\?run="))
    assert "iris" in (page.locator(".recommendation .eyebrow").text_content() or "")
    shoot(page, "learn-3-choose-k-own-run-desktop")
    page.get_by_role("link", name=re.compile("Limits and alternatives")).first.click()
    page.wait_for_url(re.compile(r"/learn/limits\?run="))
    assert page.locator(".learn-method").count() == 5
    shoot(page, "learn-4-limits-own-run-desktop")
    assert console_errors == []
