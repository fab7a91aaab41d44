"""What the result pages are built from: the shared content and charts, and the downloads save() wrote."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from clusterlab.web.downloads import file_entries
from clusterlab.web.views import CARD_CHARTS, build_view


def test_downloads_follow_save_in_a_stable_order_and_keep_unknown_outputs(tmp_path: Path) -> None:
    files = {}
    for key, name in (
        ("summary", "summary.json"),
        ("csv", "clustered.csv"),
        ("future", "extra.parquet"),
        ("report", "report.html"),
        ("xlsx", "clustered.xlsx"),
        ("model", "model.json"),
    ):
        files[key] = tmp_path / name
        files[key].write_bytes(b"x" * 10)
    entries = file_entries(files)
    assert [e["name"] for e in entries] == [
        "clustered.xlsx",
        "clustered.csv",
        "report.html",  # issue #4's report appears as soon as save() writes it
        "model.json",
        "summary.json",
        "extra.parquet",  # an output nobody told the web app about is still offered
    ]
    assert entries[2]["title"] == "Report"
    assert entries[-1]["title"] == "extra.parquet"
    assert all(e["bytes"] == 10 for e in entries)


@pytest.fixture(scope="module")
def shop() -> Any:
    """Three groups of customers with a known label and one typo, clustered as the worker does."""
    import numpy as np
    import pandas as pd

    import clusterlab

    rng = np.random.default_rng(3)
    group = np.repeat([0, 1, 2], 60)
    frame = pd.DataFrame(
        {
            "customer": [f"C{i:03d}" for i in range(180)],
            "income": rng.normal([30_000, 70_000, 150_000], 4_000, (60, 3)).T.ravel().round(),
            "age": rng.normal(25 + 15 * group, 3).round(),
            "plan": np.array(["Basic", "Plus", "Premium"])[group],
            "truth": np.array(["g1", "g2", "g3"])[group],
        }
    )
    frame.loc[17, "income"] = 9_899_999.0
    return clusterlab.cluster(frame, k=4, k_max=5, label="truth")


@pytest.fixture(scope="module")
def saved(shop: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return shop.save(tmp_path_factory.mktemp("files"))


@pytest.fixture(scope="module")
def view(shop: Any, saved: dict[str, Path]) -> dict[str, Any]:
    built = build_view(shop, saved)
    # view.json is read back from disk by every page: what the pages see is the JSON round trip.
    return json.loads(json.dumps(built, allow_nan=True))


def test_cards_say_what_the_report_and_workbook_say(
    shop: Any, view: dict[str, Any], saved: dict[str, Path]
) -> None:
    from openpyxl import load_workbook

    cards = view["clusters"]
    assert [c["cluster"] for c in cards] == [d.cluster for d in shop.descriptions]
    assert [c["name"] for c in cards] == [d.name for d in shop.descriptions]
    assert [c["traits"] for c in cards] == [d.traits for d in shop.descriptions]
    for card, d in zip(cards, shop.descriptions, strict=True):
        assert [f["text"] for f in card["features"]] == [t.text for t in d.distinguishing]
    sheet = load_workbook(saved["xlsx"], read_only=True)["Cluster Profiles"]
    cells = {str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None}
    assert {c["name"] for c in cards} <= cells
    assert {c["traits"] for c in cards} <= cells
    report = saved["report"].read_text(encoding="utf-8")
    for card in cards:
        assert f"Cluster {card['cluster']} · {card['name']}" in report


def test_outliers_are_the_cores_flag(shop: Any, view: dict[str, Any]) -> None:
    out = view["outliers"]
    assert out["count"] == int(shop.outliers.flag.sum()) > 0
    assert out["rule"] == "fence"
    assert out["rule_text"] == shop.outliers.rule.text
    listed = [r["row"] for r in out["rows"]]
    assert all(shop.outliers.flag[row - 1] for row in listed)
    assert listed[0] == 18  # the typo: a cluster of its own, too small to be a group
    assert out["rows"][0]["ratio"] is None
    assert [c["tiny_rows"] for c in view["clusters"] if c["tiny_rows"]] == [[18]]
    assert out["rows"][0]["unusual"].startswith("income 9,899,999 (+")
    assert sum(b["count"] for b in out["by_cluster"]) == out["count"]
    assert [c["outliers"] for c in view["clusters"]] == [b["count"] for b in out["by_cluster"]]


def test_charts_come_from_the_shared_figures_and_stay_small(view: dict[str, Any]) -> None:
    from clusterlab.core.choose_k.criteria import CRITERIA

    scored = [c for c in CRITERIA.values() if c.score is not None]
    assert len(view["k_charts"]) == len(scored) + 1
    assert view["k_charts"][-1]["layout"]["title"]["text"] == "Fit time per k"
    assert all(t["type"] == "scatter" for t in view["map_chart"]["data"])  # SVG, no WebGL needed
    for card in view["clusters"]:
        assert 1 <= len(card["charts"]) <= CARD_CHARTS
        for spec in card["charts"]:
            assert "template" not in spec["layout"]
            assert len(json.dumps(spec)) < 12_000
    kinds = {t["type"] for card in view["clusters"] for spec in card["charts"] for t in spec["data"]}
    assert kinds == {"bar", "pie"}  # histograms of numbers, pie pairs of categories


def test_agreement_and_criteria_come_from_the_shared_content(shop: Any, view: dict[str, Any]) -> None:
    ev = view["evaluation"]
    assert ev["label"] == "truth"
    assert ev["metrics"][0][1] == pytest.approx(shop.evaluation.ari)
    assert ev["verdict"] == "close"
    votes = {c["name"]: c["best_k"] for c in view["criteria"] if c["votes"]}
    assert votes == {k: v for k, v in shop.recommendation.votes.items()}
    assert view["files"][2]["name"] == "report.html"


def test_download_descriptions_do_not_repeat_the_file_name(tmp_path: Path) -> None:
    from clusterlab.web.downloads import FILE_TITLES, titled

    for key, (title, description) in FILE_TITLES.items():
        assert not any(
            name in description for name in ("report.html", "model.json", "summary.json", "clustered")
        ), key
        assert title
        assert description
    # A result saved with yesterday's wording reads like a new one; an unknown output keeps its own.
    old = [
        {
            "key": "report",
            "name": "report.html",
            "title": "Report",
            "description": "report.html: every cluster",
        },
        {"key": "future", "name": "extra.parquet", "title": "extra.parquet", "description": "kept"},
    ]
    assert [e["description"] for e in titled(old)] == [FILE_TITLES["report"][1], "kept"]


def test_numbers_read_like_the_rest_of_the_pages(shop: Any, view: dict[str, Any]) -> None:
    import re

    from clusterlab.core.formatting import format_share

    # Silhouette and stability to two decimals, whatever their size.
    for row in view["k_table"]:
        for name in ("silhouette", "stability"):
            assert re.fullmatch(r"-?\d\.\d\d", row[name]), row
    # Shares as format_share writes them: whole percents, one decimal under 1%.
    bars = view["sizes_chart"]["data"][0]
    assert bars["text"] == [format_share(float(s)) for s in shop.profiles.sizes["share"]]
    pies = [
        t for card in view["clusters"] for spec in card["charts"] for t in spec["data"] if t["type"] == "pie"
    ]
    assert pies
    for pie in pies:
        shares = re.findall(r"[\d.]+%", " ".join(pie["text"]))
        assert shares
        assert all(re.fullmatch(r"[1-9]\d*%|0\.\d%", share) for share in shares), shares
        assert "percent" not in pie["textinfo"]  # not Plotly's own "23.4%"
    # Effects in SD with one decimal, as in every table.
    hover = view["heatmap_chart"]["data"][0]["hovertemplate"]
    assert ":+.1f} SD" in hover
    assert ".2f" not in hover
