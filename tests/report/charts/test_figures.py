"""The chart functions the report, notebooks and the web app share: contract, content and size."""

from __future__ import annotations

import inspect
import re

import numpy as np
import pytest
from tests.conftest import make_blob_table

import clusterlab
from clusterlab.report.charts import figures

go = pytest.importorskip("plotly.graph_objects")


@pytest.fixture(scope="module")
def big() -> clusterlab.ClusterResult:
    """20,000 rows: enough to show that charts do not grow with the rows."""
    centres = [(0.0, 0.0), (5.0, -3.0), (10.0, -6.0)]
    frame, group = make_blob_table([6667, 6667, 6666], centres, seed=5, columns=["x", "y"], shuffle=True)
    rng = np.random.default_rng(5)
    frame["colour"] = np.where(group == 0, "red", np.where(rng.random(len(frame)) < 0.5, "blue", "green"))
    frame.loc[:29, "y"] = 1e7  # a few data-entry errors must not flatten the histogram
    return clusterlab.cluster(frame, k=3, k_max=3, silhouette_sample=1000)


def _points(fig) -> int:
    return sum(len(t.x) if getattr(t, "x", None) is not None else len(t.values or ()) for t in fig.data)


def test_contract_names_and_signatures_are_stable() -> None:
    expected = {
        "k_selection_figure": ["result"],
        "cluster_map_figure": ["result", "max_points"],
        "cluster_sizes_figure": ["result"],
        "numeric_profile_figure": ["result", "column", "cluster"],
        "category_profile_figure": ["result", "column", "cluster"],
    }
    for name, params in expected.items():
        assert list(inspect.signature(getattr(figures, name)).parameters) == params
    assert inspect.signature(figures.cluster_map_figure).parameters["max_points"].default == 5000


def test_every_figure_has_a_title_and_axis_labels(big: clusterlab.ClusterResult) -> None:
    for fig in (
        figures.k_selection_figure(big),
        figures.cluster_map_figure(big),
        figures.cluster_sizes_figure(big),
        figures.numeric_profile_figure(big, "x"),
        figures.numeric_profile_figure(big, "x", cluster=1),
        figures.category_profile_figure(big, "colour"),
        figures.category_profile_figure(big, "colour", cluster=2),
    ):
        assert fig.layout.title.text
        titled = [a for a in fig.layout if a.startswith("xaxis") and fig.layout[a].title.text]
        assert titled, fig.layout.title.text


def test_histograms_send_bins_not_rows(big: clusterlab.ClusterResult) -> None:
    one = figures.numeric_profile_figure(big, "y", cluster=1)
    every = figures.numeric_profile_figure(big, "y")
    assert all(len(t.x) <= 30 for t in one.data)
    assert _points(every) <= 30 * 2 * 3
    titles = " ".join(every.layout[a].title.text or "" for a in every.layout if a.startswith("xaxis"))
    assert "above" in titles  # the capped far-out values are reported
    bins = np.asarray(one.data[0].x)
    assert bins.max() < 100  # the typo did not stretch the axis to ten million


def test_map_is_a_sample_that_keeps_every_cluster(big: clusterlab.ClusterResult) -> None:
    fig = figures.cluster_map_figure(big, max_points=600)
    drawn = sum(len(t.x) for t in fig.data if t.name != "Centres")
    assert drawn <= 600 + 3 * figures.MAP_MIN_PER_CLUSTER
    assert f"({drawn:,} of 20,000 rows shown)" in fig.layout.title.text  # the title says how many are drawn
    clusters_drawn = {t.legendgroup for t in fig.data if t.name != "Centres"}
    assert clusters_drawn == {"1", "2", "3"}


def test_map_sample_is_seeded() -> None:
    clusters = np.repeat([1, 2, 3], [5000, 3000, 10])
    a = figures._map_rows(clusters, 1000)
    b = figures._map_rows(clusters, 1000)
    assert np.array_equal(a, b)
    assert (clusters[a] == 3).sum() == 10  # the tiny cluster is kept whole


def test_k_selection_marks_each_criterion_pick(big: clusterlab.ClusterResult) -> None:
    fig = figures.k_selection_figure(big)
    stars = [t for t in fig.data if getattr(t.marker, "symbol", None) == "star"]
    assert stars
    assert "recommended" in fig.layout.title.text


def test_effect_heatmap_has_a_cell_per_cluster_and_column(big: clusterlab.ClusterResult) -> None:
    fig = figures.effect_heatmap_figure(big)
    heat = fig.data[0]
    assert np.asarray(heat.z).shape == (3, 3)
    assert next(iter(heat.y)).startswith("1 · ")


def test_cluster_cards_figures(big: clusterlab.ClusterResult) -> None:
    hist = figures.cluster_profile_figure(big, 1)
    pies = figures.category_pies_figure(big, 1)
    assert len(hist.data) == 2 * 2  # x and y, each the cluster over all rows
    assert sum(isinstance(t, go.Pie) for t in pies.data) == 2


def test_one_small_chart_per_criterion_draws_what_the_grid_draws(big: clusterlab.ClusterResult) -> None:
    from clusterlab.core.choose_k.criteria import CRITERIA

    small = figures.criterion_figures(big)
    scored = [c for c in CRITERIA.values() if c.name in big.k_scores.columns]
    assert len(small) == len(scored) + 1  # and the fit time
    assert small[-1].layout.title.text == "Fit time per k"
    grid = figures.k_selection_figure(big)
    for criterion, fig in zip(scored, small, strict=False):
        assert fig.layout.title.text in [a.text for a in grid.layout.annotations]
        assert fig.layout.xaxis.title.text == "k (clusters)"
        line = fig.data[0]
        same = next(t for t in grid.data if t.name == criterion.title and t.mode == "lines+markers")
        assert np.allclose(np.asarray(line.y, dtype=float), np.asarray(same.y, dtype=float), equal_nan=True)
        assert fig.layout.shapes[0].x0 == big.recommended_k  # the dotted line at the recommended k
    silhouette = figures.criterion_figure(big, "silhouette")
    assert "higher is better" in silhouette.layout.title.text
    stars = [t for t in silhouette.data if getattr(t.marker, "symbol", None) == "star"]
    assert [t.x[0] for t in stars] == [big.recommendation.votes["silhouette"]]
    with pytest.raises(ValueError, match="No criterion 'gap' in the sweep; charted are: inertia"):
        figures.criterion_figure(big, "gap")


def test_a_chosen_k_is_marked_beside_the_recommended_one(big: clusterlab.ClusterResult) -> None:
    frame = big.table.frame.head(600)
    other = clusterlab.cluster(frame, k=2, k_min=2, k_max=4, silhouette_sample=300)
    marks = [s.x0 for s in figures.criterion_figure(other, "silhouette").layout.shapes if s.type == "line"]
    assert marks == ([other.recommended_k] if other.recommended_k == 2 else [other.recommended_k, 2])


def test_a_single_pie_pair_fills_its_chart_and_is_titled_by_the_column(big: clusterlab.ClusterResult) -> None:
    fig = figures.category_pies_figure(big, 2, ["colour"])
    pies = [t for t in fig.data if isinstance(t, go.Pie)]
    assert len(pies) == 2
    assert fig.layout.title.text == "colour"
    assert max(pies[1].domain.x) > 0.9  # the whole width, not a third of it
    shares = big.profiles.categories.query("column == 'colour' and Cluster == 2")
    assert sorted(pies[0].values) == sorted(shares.loc[shares["count"] > 0, "count"].tolist())


def test_specs_drop_the_width_and_optionally_the_template(big: clusterlab.ClusterResult) -> None:
    from clusterlab.report.charts.theme import figure_spec

    fig = figures.numeric_profile_figure(big, "x", cluster=1)
    fig.update_layout(width=900)
    with_template = figure_spec(fig)
    bare = figure_spec(fig, template=False)
    assert "width" not in with_template["layout"]
    assert "template" in with_template["layout"]
    assert "template" not in bare["layout"]
    assert len(str(bare)) < 6_000  # bins, not 20,000 rows


def test_heatmap_keeps_columns_whose_long_names_start_alike() -> None:
    from clusterlab.report.charts.theme import distinct_labels

    names = [f"Average monthly spend on product category number {i} during the last year" for i in (1, 2, 3)]
    frame, _ = make_blob_table(60, [(0.0, 0.0, 0.0), (3.0, 2.0, 1.0)], seed=8, columns=names)
    result = clusterlab.cluster(frame, k=2, k_max=2)
    heat = figures.effect_heatmap_figure(result)
    assert np.asarray(heat.data[0].z).shape == (2, 3)  # three columns, not one merged label
    ticks = list(heat.layout.xaxis.ticktext)
    assert len(set(ticks)) == 3
    assert sorted(ticks) == ["…number 1 during…", "…number 2 during…", "…number 3 during…"]
    assert distinct_labels(["a long name of a column", "age"], 10) == ["a long na…", "age"]


def test_heatmap_keeps_the_15_most_distinguishing_of_50_columns() -> None:
    from clusterlab.report.charts.cluster_figures import heatmap_columns
    from clusterlab.report.charts.spec import narrowed

    name = "Average monthly spend on product category number {} during the last fiscal year (EUR)"
    # Columns 3, 6, 9... (16 of them) follow the groups, ever more strongly; the other 34 are noise.
    strength = {i: 0.4 + 0.1 * i / 3 for i in range(3, 51, 3)}
    centres = [[strength.get(i, 0.0) * 3 if g == i % 3 else 0.0 for i in range(1, 51)] for g in range(3)]
    frame, _ = make_blob_table(80, centres, seed=12, columns=[name.format(i) for i in range(1, 51)])
    result = clusterlab.cluster(frame, k=3, k_max=3, resamples=0)
    shown, total = heatmap_columns(result)
    assert (len(shown), total) == (15, 50)
    assert set(shown) <= {name.format(i) for i in strength}  # no noise column took a place
    assert name.format(3) not in shown  # the weakest of the sixteen is left to the explorer
    fig = figures.effect_heatmap_figure(result)
    heat = fig.data[0]
    assert np.asarray(heat.z).shape == (3, 15)
    assert fig.layout.title.subtitle.text == "15 of 50 columns, the most distinguishing"
    ticks = list(fig.layout.xaxis.ticktext)
    assert len(set(ticks)) == 15
    assert all(len(t) <= 24 for t in ticks)
    assert {row[2] for row in np.asarray(heat.customdata)[0]} == {n for n in shown}  # full names on hover
    # On a phone: transposed, one row per column.
    phone = narrowed(figures.effect_heatmap_spec(result))
    assert np.asarray(phone["data"][0]["customdata"]).shape[:2] == (15, 3)
    assert phone["layout"]["yaxis"]["tickvals"] == list(range(15))
    html = __import__("clusterlab.report.report", fromlist=["render_report"]).render_report(result)
    assert "<b>15 of 50 columns, the most distinguishing</b>" in html


def test_k_axes_tick_only_the_swept_ks(
    extended: clusterlab.ClusterResult, big: clusterlab.ClusterResult
) -> None:
    from clusterlab.report.charts.selection_figures import extension_note

    plain = clusterlab.cluster(clusterlab.sample_path("iris"), k_max=6, resamples=0)  # 2..6, not grown
    for result in (extended, big, plain):
        ks = sorted(int(k) for k in result.k_scores["k"])
        for fig in [*figures.criterion_figures(result), figures.k_selection_figure(result)]:
            axes = [fig.layout[a] for a in fig.layout if a.startswith("xaxis") and fig.layout[a].title.text]
            assert axes
            for axis in axes:
                assert set(axis.tickvals) <= set(ks)
                assert axis.tickvals[0] == ks[0]
                assert list(axis.range) == [ks[0] - 0.5, ks[-1] + 0.5]  # no k of 1 nor one past the last
    top = int(extended.k_scores["k"].max())
    assert top > 3
    assert extension_note(extended).startswith(f"k tried: 2..{top} (extended from 2..3 because")
    assert extension_note(plain) == ""
    assert sorted(plain.k_scores["k"]) == [2, 3, 4, 5, 6]
    silhouette = figures.criterion_figure(extended, "silhouette")
    shaded = [s for s in silhouette.layout.shapes if s.type == "rect"]
    assert [(s.x0, s.x1) for s in shaded] == [(3.5, top + 0.5)]
    assert silhouette.layout.annotations[0].text == "extended past k_max 3"
    assert not [s for s in figures.criterion_figure(plain, "silhouette").layout.shapes if s.type == "rect"]
    assert "extended from 2..3" in figures.k_selection_figure(extended).layout.title.subtitle.text


def test_criterion_axes_start_at_zero_and_say_when_a_line_is_flat() -> None:
    # Issue 14: silhouettes of 0.068 to 0.074 on an axis fitted to them drew flat noise as a peak.
    result = clusterlab.cluster(clusterlab.sample_path("iris"), k_max=6, resamples=0)
    result.model.sweep_.table["silhouette"] = [0.068, 0.071, 0.074, 0.07, 0.069]
    small = figures.criterion_figure(result, "silhouette")
    assert small.layout.yaxis.range[0] == 0
    assert small.layout.yaxis.range[1] > 0.074
    assert [a.text for a in small.layout.annotations] == ["flat: every k 0.068 to 0.074"]
    grid = figures.k_selection_figure(result)
    titles = [a.text for a in grid.layout.annotations]
    assert "Silhouette (higher is better) · flat: every k 0.068 to 0.074" in titles
    for name in ("calinski_harabasz", "davies_bouldin", "inertia"):  # each starts at 0, and none is flat
        fig = figures.criterion_figure(result, name)
        assert fig.layout.yaxis.range[0] == 0
        assert not fig.layout.annotations
    assert next(r for r in (grid.layout[a].range for a in grid.layout if a.startswith("yaxis")) if r)[0] == 0


def test_pies_name_their_slices_group_rare_values_and_never_use_a_cluster_colour() -> None:
    from clusterlab.report.charts.theme import LEVEL_COLOURS, PALETTE

    rng = np.random.default_rng(2)
    n = 400
    channel = rng.choice(
        ["Online", "Store", "Phone", "Fax", "Telex", "Pigeon"], n, p=[0.55, 0.37, 0.05, 0.01, 0.01, 0.01]
    )
    frame, _ = make_blob_table(n // 2, [[0.0], [4.0]], seed=2, columns=["x"])
    frame["channel"] = channel
    result = clusterlab.cluster(frame, k=2, k_max=2, resamples=0)
    fig = figures.category_pies_figure(result, 1, ["channel"])
    pies = [t for t in fig.data if isinstance(t, go.Pie)]
    assert len(pies) == 2
    assert pies[0].domain.x[1] <= pies[1].domain.x[0]
    assert (
        abs((pies[0].domain.x[1] - pies[0].domain.x[0]) - (pies[1].domain.x[1] - pies[1].domain.x[0])) < 1e-9
    )
    for pie in pies:
        labels = list(pie.labels)
        assert "other (3 values)" in labels
        assert "Fax" not in labels
        assert any(t.startswith("Online<br>") and t.endswith("%") for t in pie.text)  # named, whole percent
        assert all(not t or re.search(r"\d%$", t) for t in pie.text)
        assert not set(pie.marker.colors) & set(PALETTE)
        assert pie.legend == "legend"
        assert pie.showlegend is not False
    assert not set(LEVEL_COLOURS) & set(PALETTE)
    assert fig.layout.legend.y < 0.1  # one legend, under the pies
