"""What the report and the web pages say (report/content.py): numbers, names, warnings, settings."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

import clusterlab
from clusterlab.report import content
from clusterlab.report.content import NumberFormat


@pytest.fixture(scope="module")
def typo() -> clusterlab.ClusterResult:
    """Two groups on three scales, one mistyped value (row 172) and a few empty cells."""
    rng = np.random.default_rng(31)
    n = 150
    group = np.repeat([0, 1], n)
    frame = pd.DataFrame(
        {
            "colour_intensity": rng.normal(3 + 4 * group, 1.0).round(2),
            "alcohol_level": rng.normal(12.3 + 1.2 * group, 0.4).round(1),
            "proline": rng.normal(500 + 600 * group, 80).round(0),
            "shop": np.where(rng.random(2 * n) < 0.8, np.where(group == 0, "North", "South"), "East"),
        }
    )
    frame.loc[171, "colour_intensity"] = 9_899_999.0
    frame.loc[[5, 6, 7], "alcohol_level"] = np.nan
    return clusterlab.cluster(frame, k=2, k_max=3, seed=7)


@pytest.mark.parametrize(
    ("magnitude", "values", "expected"),
    [
        (2.36, [3, 2.034, -0.001], ["3.00", "2.03", "0.00"]),  # "3" beside "2.03" was the bug
        (13.0, [13, 12.34], ["13.0", "12.3"]),
        (750, [1097.4, 510.2], ["1,097", "510"]),
        (0.04, [0.0412, 0.1], ["0.0412", "0.1000"]),
        (5.0, [9_899_999.0, float("nan")], ["9,899,999", "–"]),  # a typo gets no decimals
        (0.0, [1.5], ["1.50"]),
    ],
)
def test_a_column_has_one_set_of_decimals(magnitude: float, values: list[float], expected: list[str]) -> None:
    show = NumberFormat(magnitude)
    assert [show(v) for v in values] == expected


def _decimals(text: str) -> int:
    return len(text.split(".")[1]) if "." in text else 0


def test_statistics_and_features_round_each_column_alike(typo: clusterlab.ClusterResult) -> None:
    for card in content.cluster_cards(typo):
        for row in card["stats"]:
            cells = [
                t
                for pair in row["cells"]
                for t in pair
                if t != "–" and abs(float(t.replace(",", ""))) < 10_000
            ]
            assert len({_decimals(t) for t in cells}) == 1, (row["column"], cells)
        for f in card["features"]:
            if f["kind"] == "numeric":
                assert _decimals(f["cluster_text"]) == _decimals(f["overall_text"]), f
            else:
                assert re.fullmatch(r"\d+(\.\d)?%", f["cluster_text"]), f  # shares in whole percents
    names = [r["name"] for r in content.cluster_cards(typo)[0]["stats"]]
    assert "alcohol level" in names
    assert "alcohol_level" not in names


def test_data_warnings_name_the_far_out_value_and_leave_out_choices(typo: clusterlab.ClusterResult) -> None:
    warnings = [w["message"] for w in content.data_warnings(typo)]
    assert any("row 172: 9,899,999" in m for m in warnings), warnings
    assert any("empty cell" in m for m in warnings), warnings
    assert not any(m.startswith("PCA kept") for m in warnings)  # a choice of the run, not a data problem
    assert any(n.message.startswith("PCA kept") for n in typo.notes)


def test_settings_changes_are_the_non_defaults_and_the_choices_made(typo: clusterlab.ClusterResult) -> None:
    changed = {name: value for name, value, _ in content.settings_changes(typo)}
    assert changed == {"k": "2", "k_max": "3", "seed": "7"}
    assert len(content.settings_rows(typo)) > 20  # the full list is still there
    frame = typo.table.frame.drop(columns="shop").head(120)
    other = clusterlab.cluster(frame, exclude=["proline"], k_max=3)
    assert {name for name, _, _ in content.settings_changes(other)} == {"k_max", "exclude"}


def test_k_range_says_when_the_sweep_went_past_k_max(extended: clusterlab.ClusterResult) -> None:
    k_range = content.k_range(extended)
    top = k_range["tried"][1]
    assert k_range["extended"]
    assert top > 3
    assert k_range["ks"] == list(range(2, top + 1))
    assert (
        k_range["text"] == f"k tried: 2..{top} (extended from 2..3 because the criteria still improved at 3)"
    )
    frame = extended.table.frame.head(60)
    assert content.k_range(clusterlab.cluster(frame, k=2, k_max=5, resamples=0))["text"] == "k tried: 2..5"


def test_outliers_say_what_is_unusual_about_most_rows(typo: clusterlab.ClusterResult) -> None:
    table = content.outlier_table(typo)
    assert table["rows"]
    assert table["unusual_shown"]
    said = [r["unusual"] for r in table["rows"]]
    assert sum(bool(s) for s in said) > len(said) / 2, said
    first = table["rows"][0]
    assert first["row"] == 172
    assert first["ratio"] is None
    assert not first["tiny"]
    assert first["unusual"].startswith("colour intensity 9,899,999 (+")
    assert table["names"][:2] == ["colour intensity", "alcohol level"]
    assert table["columns"][:2] == ["colour_intensity", "alcohol_level"]  # the headers, for a title


def test_a_cards_number_levels_are_listed_by_value() -> None:
    # Issue 14: a whole-number column turned into a category listed 1, 4, 0 (commonest first).
    rng = np.random.default_rng(2)
    frame = pd.DataFrame(
        {
            "spend": np.r_[rng.normal(10, 1, 100), rng.normal(30, 1, 100)],
            "kids": rng.choice([1.0, 4.0, 0.0], 200, p=[0.6, 0.3, 0.1]),
        }
    )
    result = clusterlab.cluster(frame, k=2, roles={"kids": "categorical"}, resamples=0)
    for card in content.cluster_cards(result):
        (kids,) = [s for s in card["shares"] if s["column"] == "kids"]
        assert [level["level"] for level in kids["levels"]] == ["0", "1", "4"]


def test_how_it_was_done_gives_this_runs_numbers(typo: clusterlab.ClusterResult) -> None:
    steps = content.how_it_was_done(typo)
    assert [s["step"] for s in steps] == ["Read", "Roles", "Encode", "Sweep k", "Fit", "Explain"]
    text = {s["step"]: s["text"] for s in steps}
    assert text["Read"].startswith("300 rows and 4 columns")
    assert text["Roles"].startswith("4 columns used: 3 numbers, 1 categories")
    assert text["Encode"].startswith("Numbers scaled, categories one-hot:")
    tried = content.k_range(typo)["tried"]
    assert text["Sweep k"].startswith(f"k = {tried[0]}..{tried[1]} tried")
    if tried[1] > 3:  # k_max=3, extended: the sentence says why
        assert "(extended from 2..3 because the criteria still improved at 3)" in text["Sweep k"]
    # k = 2 was asked for: the sentence says whether the criteria agreed, and which named it.
    rec = typo.recommendation
    if rec.k == 2:
        assert "named by" in text["Sweep k"]
    else:
        assert f"You chose k = 2; the criteria recommended {rec.k}" in text["Sweep k"]
    assert text["Fit"].startswith(
        "K-Means (Lloyd's algorithm) from k-means++ starts, k = 2, the best of 10 starts"
    )
    assert f"({int(typo.outliers.flag.sum()):,} rows)" in text["Explain"]


def test_report_html_has_how_this_was_done(typo: clusterlab.ClusterResult, tmp_path) -> None:
    page = typo.to_html(tmp_path / "report.html").read_text(encoding="utf-8")
    assert '<section id="how">' in page
    assert "<b>Sweep k.</b> k = 2.." in page
    assert "<b>Read.</b> 300 rows and 4 columns" in page


def test_how_it_was_done_names_another_method_without_starts() -> None:
    frame = pd.DataFrame(
        {
            "x": np.r_[np.zeros(30), np.ones(30) * 8] + np.random.default_rng(3).normal(size=60),
            "y": np.random.default_rng(4).normal(size=60),
        }
    )
    result = clusterlab.cluster(frame, k=2, method="hierarchical")
    fit = {s["step"]: s["text"] for s in content.how_it_was_done(result)}["Fit"]
    assert fit.startswith("Hierarchical, k = 2; 60 rows clustered")
