"""What a result hands over: summary keys, the richer workbook, notebook display and plot methods."""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

import clusterlab
from clusterlab.core.errors import SettingsError
from clusterlab.core.explain.outliers import FarFence


@pytest.fixture(scope="module")
def result() -> clusterlab.ClusterResult:
    rng = np.random.default_rng(11)
    n = 60
    frame = pd.DataFrame(
        {
            "income": np.r_[rng.normal(30_000, 2_000, n), rng.normal(90_000, 5_000, n)].round(),
            "plan <b>": ["Basic"] * (n - 5) + ["Premium"] * 5 + ["Premium"] * (n - 5) + ["Basic"] * 5,
            "visits": np.r_[rng.normal(10, 1, n), rng.normal(3, 1, n)],
            "group": ["g1"] * n + ["g2"] * n,
        }
    )
    return clusterlab.cluster(frame, k=2, label="group", k_max=3)


def test_summary_has_clusters_and_outliers(result: clusterlab.ClusterResult) -> None:
    summary = result.summary()
    assert [c["cluster"] for c in summary["clusters"]] == [1, 2]
    first = summary["clusters"][0]
    assert {"cluster", "rows", "share", "name", "description", "distinguishing"} <= set(first)
    assert first["distinguishing"][0]["column"] in {"income", "visits", "plan <b>"}
    assert {"rule", "count"} <= set(summary["outliers"])
    for key in ("cluster_sizes", "k_selection", "recommendation", "evaluation", "columns"):
        assert key in summary  # the keys that were there before stay


def test_high_income_cluster_is_described_as_such(result: clusterlab.ClusterResult) -> None:
    rich = next(d for d in result.descriptions if "higher income" in d.traits)
    assert "Premium" in rich.traits
    assert rich.name.startswith("High income") or "Premium" in rich.name


def test_workbook_profiles_sheet_has_descriptions_features_and_a_native_chart(
    result: clusterlab.ClusterResult, tmp_path: Path
) -> None:
    path = result.to_excel(tmp_path / "out.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Clustered Data", "Cluster Profiles", "K Selection", "Columns", "Settings"]
    profiles = [
        [c for c in row if c is not None] for row in book["Cluster Profiles"].iter_rows(values_only=True)
    ]
    assert profiles[0] == [
        f"Clusters (Outliers: rows {FarFence().text}, or with a value far outside its column)"
    ]
    assert profiles[1] == ["Cluster", "Name", "Rows", "Share", "Outliers", "Description"]
    assert profiles[2][1] == result.descriptions[0].name
    assert any("What sets each cluster apart" in str(r[0]) for r in profiles if r)
    data_header = next(book["Clustered Data"].iter_rows(max_row=1, values_only=True))
    assert list(data_header)[-4:] == ["Cluster", "Cluster name", "Distance", "Outlier"]
    with zipfile.ZipFile(path) as z:
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
        assert len(charts) == 2  # cluster sizes, and silhouette by k
        sizes_chart = z.read(charts[0]).decode()
        assert "'Cluster Profiles'" in sizes_chart
        assert "<c:barChart>" in sizes_chart
        silhouette_chart = z.read(charts[1]).decode()
        assert "<c:lineChart>" in silhouette_chart
        assert '<c:min val="0.0"/>' in silhouette_chart  # from 0: Excel's own axis zooms in on a flat line


def test_repr_html_shows_names_and_escapes_user_text(result: clusterlab.ClusterResult) -> None:
    html = result._repr_html_()
    for d in result.descriptions:
        assert d.name.replace("<", "&lt;").replace(">", "&gt;") in html
    assert "<b>'" not in html
    assert "plan <b>" not in html
    assert "plan &lt;b&gt;" in html  # the user's column name is shown, escaped
    assert f"Recommended k = <b>{result.recommended_k}</b>" in html


def test_plot_methods_return_plotly_figures(result: clusterlab.ClusterResult) -> None:
    go = pytest.importorskip("plotly.graph_objects")
    figures = [
        result.plot_k_selection(),
        result.plot_map(),
        result.plot_sizes(),
        result.plot_profiles(),
        result.plot_profiles(column="income"),
        result.plot_profiles(column="income", cluster=2),
        result.plot_profiles(column="plan <b>"),
        result.plot_profiles(cluster=1),
    ]
    for fig in figures:
        assert isinstance(fig, go.Figure)
        assert fig.layout.title.text


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"column": "nope"}, "Column 'nope' has no profile"), ({"cluster": 9}, "no cluster 9")],
)
def test_plot_profiles_names_the_problem(result: clusterlab.ClusterResult, kwargs, message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        result.plot_profiles(**kwargs)


def test_save_writes_the_report(result: clusterlab.ClusterResult, tmp_path: Path) -> None:
    written = result.save(tmp_path)
    assert written["report"] == tmp_path / "report.html"
    assert set(written) == {"csv", "xlsx", "model", "report", "summary"}
