"""Every clustering method through the web flow: upload, choose the method in the options form, results."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_blobs

pytestmark = pytest.mark.browser

TITLES = {
    "kmeans": "K-Means",
    "gmm": "Gaussian mixture",
    "hierarchical": "Hierarchical",
    "hdbscan": "HDBSCAN",
    "kmedoids": "K-Medoids",
}


def _groups_table(path: Path) -> Path:
    """Three well-separated groups in two numbers, a few scattered rows, and an id column."""
    X, _ = make_blobs([60, 50, 40], centers=[[0, 0], [8, 0], [4, 7]], cluster_std=0.8, random_state=3)
    X = np.r_[X, [[20.0, 20.0], [-12.0, 15.0], [18.0, -10.0]]]
    frame = pd.DataFrame({"id": [f"R{i:03d}" for i in range(len(X))], "width": X[:, 0], "height": X[:, 1]})
    frame.to_csv(path, index=False)
    return path


@pytest.mark.parametrize("method", list(TITLES))
def test_every_method_through_the_web_flow(
    browser, server, tmp_path: Path, console_errors, method: str
) -> None:
    source = _groups_table(tmp_path / "groups.csv")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = console_errors.watch(context.new_page())
    page.goto(server.url + "/")
    page.set_input_files("#file", str(source))
    page.wait_for_selector("table.columns-table", timeout=60_000)
    page.get_by_role("button", name="Continue").first.click()
    page.wait_for_url(re.compile(r"/k$"), timeout=60_000)
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
