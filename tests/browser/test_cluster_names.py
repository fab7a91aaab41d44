"""In the browser: a text run's cards show their words and examples, and a cluster renamed on the
results page (HTMX form) comes back named, marked not useful, with its note, in the page and report."""

from __future__ import annotations

import re
import time

import pytest

from .conftest import DESKTOP, PHONE, layout_problems

pytestmark = pytest.mark.browser


def _finished(context, url: str, run_id: str) -> None:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        status = context.request.get(f"{url}/api/runs/{run_id}").json()["status"]
        if status not in ("reading", "queued", "running"):
            assert status == "done", status
            return
        time.sleep(0.3)
    raise AssertionError("the run did not finish")


def test_rename_a_cluster_on_the_results_page(browser, server, shoot, console_errors) -> None:
    context = browser.new_context(viewport=DESKTOP)
    page = console_errors.watch(context.new_page())
    # The API shares the page's cookie, so the run belongs to this browser.
    run = context.request.post(
        server.url + "/api/runs", multipart={"sample": "reviews", "resamples": "0", "label": "topic"}
    ).json()
    _finished(context, server.url, run["id"])
    results = f"{server.url}/runs/{run['id']}/results"
    page.goto(results)
    card = page.locator("#cluster-1")
    assert card.locator(".text-words .word").count() >= 3  # words of the review column
    assert card.locator(".examples li").count() == 3
    suggested = card.locator("h3").inner_text()
    shoot(page, "names-before")

    card.locator("summary", has_text="Name this cluster").click()
    card.get_by_label("Name").fill("Unhappy with support")
    card.get_by_label("Not useful").check()
    card.get_by_label("Note").fill("ask the support team")
    card.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/results$"), timeout=120_000)
    page.wait_for_selector("#cluster-1 h3:has-text('Unhappy with support')", timeout=60_000)
    card = page.locator("#cluster-1")
    assert "Marked not useful" in card.inner_text()
    assert "ask the support team" in card.inner_text()
    assert suggested.split("· ", 1)[1] in card.locator(".user-verdict").inner_text()  # the suggested name
    shoot(page, "names-after")
    report = context.request.get(f"{server.url}/runs/{run['id']}/report").text()
    assert "Unhappy with support" in report
    assert "ask the support team" in report

    page.set_viewport_size(PHONE)
    page.reload()
    page.locator("#cluster-1 summary", has_text="Name this cluster").click()
    assert layout_problems(page) == []
    shoot(page, "names-phone")
    assert console_errors == []
    context.close()
