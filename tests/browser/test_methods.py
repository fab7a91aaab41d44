"""Every clustering method through the web flow: upload, choose the method in the options form, results."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_blobs

from .conftest import ARTIFACTS, DESKTOP, PHONE, layout_problems

pytestmark = pytest.mark.browser

TITLES = {
    "kmeans": "K-Means",
    "gmm": "Gaussian mixture",
    "hierarchical": "Hierarchical",
    "hdbscan": "HDBSCAN",
    "kmedoids": "K-Medoids",
    "latentclass": "Latent class model",
}


def _groups_table(path: Path) -> Path:
    """Three well-separated groups in two numbers, a few scattered rows, and an id column."""
    X, _ = make_blobs([60, 50, 40], centers=[[0, 0], [8, 0], [4, 7]], cluster_std=0.8, random_state=3)
    X = np.r_[X, [[20.0, 20.0], [-12.0, 15.0], [18.0, -10.0]]]
    frame = pd.DataFrame({"id": [f"R{i:03d}" for i in range(len(X))], "width": X[:, 0], "height": X[:, 1]})
    frame.to_csv(path, index=False)
    return path


def _upload_to_choose_k(page: Any, url: str, source: Path) -> None:
    """Upload ``source`` and continue with the roles as detected, to the choose-k step."""
    page.goto(url + "/")
    page.set_input_files("#file", str(source))
    page.wait_for_selector("table.columns-table", timeout=60_000)
    page.get_by_role("button", name="Continue").first.click()
    page.wait_for_url(re.compile(r"/k$"), timeout=60_000)


@pytest.mark.parametrize("method", list(TITLES))
def test_every_method_through_the_web_flow(
    browser, server, tmp_path: Path, console_errors, method: str
) -> None:
    source = _groups_table(tmp_path / "groups.csv")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = console_errors.watch(context.new_page())
    _upload_to_choose_k(page, server.url, source)
    page.wait_for_selector(".recommendation", timeout=120_000)

    # The options form comes from the settings table: the method is one of its selects.
    page.locator("#options-title").click()
    page.select_option("#opt-method", method)
    if method == "kmedoids":  # its own setting, from the same table: Gower's distance on the numbers
        page.select_option("#opt-distance", "gower")
    page.get_by_role("button", name="Run again with these options").click()
    page.wait_for_url(re.compile(r"/k$"), timeout=60_000)
    page.wait_for_selector("#running-title", state="detached", timeout=180_000)
    page.wait_for_selector(".recommendation", timeout=120_000)
    if method == "hdbscan":  # k is found, not chosen: the reason says so
        assert "HDBSCAN found" in page.locator(".rec-reason").inner_text()
    page.get_by_role("button", name="Show results").click()
    page.wait_for_url(re.compile(r"/results$"), timeout=120_000)

    facts = page.locator(".key-numbers")
    assert (
        facts.locator("dt", has_text="Method").locator("xpath=following-sibling::dd").inner_text()
        == TITLES[method]
    )
    assert page.locator("article.cluster-card").count() == 3
    if method == "hdbscan":
        noise = facts.locator("dt", has_text="Noise").locator("xpath=following-sibling::dd").inner_text()
        assert int(noise) >= 1  # the scattered rows, kept and counted
    if method == "gmm":
        assert facts.locator("dt", has_text="Without a clear home").count() == 1
    if method == "kmedoids":  # the note says the distance and words the way back as the form's control
        note = page.locator("ul.notes li", has_text="Gower's distance")
        assert note.count() == 1
        assert "Distance (K-Medoids)" in (note.text_content() or "")
    assert console_errors == []
    context.close()


@pytest.mark.parametrize(("viewport", "per_row"), [(DESKTOP, 3), (PHONE, 2)], ids=["desktop", "phone"])
def test_the_methods_side_by_side_on_the_choose_step(
    browser, server, tmp_path: Path, console_errors, shoot, viewport: dict[str, int], per_row: int
) -> None:
    source = _groups_table(tmp_path / "groups.csv")
    context = browser.new_context(viewport=viewport)
    page = console_errors.watch(context.new_page())
    _upload_to_choose_k(page, server.url, source)
    page.wait_for_selector("#methods", timeout=180_000)

    section = page.locator("#methods")
    section.scroll_into_view_if_needed()
    name = "desktop" if viewport is DESKTOP else "phone"
    shoot(page, f"methods-side-by-side-{name}")  # waits for every chart to be drawn
    section.screenshot(path=str(ARTIFACTS / f"methods-section-{name}.png"))  # the section alone, to look at
    maps = section.locator(".method-map")
    assert maps.count() == 5
    assert section.locator(".method-map.is-used").count() == 1
    # Every map is drawn (an SVG plot with points), with its facts under it.
    for i in range(5):
        assert maps.nth(i).locator(".main-svg").count() >= 1
        assert maps.nth(i).locator(".method-facts").inner_text().startswith("k = ")
    # Side by side: three maps a row on a wide screen, two on a phone.
    tops = [round(maps.nth(i).bounding_box()["y"]) for i in range(5)]
    assert tops[:per_row] == [tops[0]] * per_row
    assert tops[per_row] > tops[0]
    assert section.locator(".agreement-table tbody tr").count() == 5
    assert "draw" in section.locator(".methods-agree").inner_text()
    assert layout_problems(page) == []
    assert console_errors == []
    context.close()
