"""The methods side by side in report.html and for the pages (report/method_content.py and
report/charts/method_figures.py), and noise and membership on the map and in the cards."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_moons

import clusterlab
from clusterlab.core.choose_k.method_comparison import MethodComparison, MethodOnSample
from clusterlab.outputs.palette import cluster_colour
from clusterlab.report import content, method_content
from clusterlab.report.charts import figures
from clusterlab.report.charts.figures import NOISE_COLOUR
from clusterlab.report.charts.method_figures import method_map_specs, sample_positions


def _moons_frame() -> pd.DataFrame:
    """Two moons beside a round blob, and three far-off rows HDBSCAN leaves as noise."""
    X, _ = make_moons(300, noise=0.06, random_state=3)
    blob = np.random.default_rng(3).normal([3.2, 1.5], 0.2, size=(120, 2))
    X = np.vstack([X, blob, [[6.0, -3.0], [-4.0, 4.0], [6.0, 4.0]]])
    return pd.DataFrame({"a": X[:, 0], "b": X[:, 1]})


@pytest.fixture(scope="module")
def density() -> clusterlab.ClusterResult:
    return clusterlab.cluster(_moons_frame(), method="hdbscan", seed=3, resamples=0)


@pytest.fixture(scope="module")
def mixture() -> clusterlab.ClusterResult:
    """Three overlapping round groups: a mixture leaves rows between them without a clear home (under
    0.5 for their own component, which takes three components to happen)."""
    rng = np.random.default_rng(5)
    X = np.vstack([rng.normal(centre, 1, (100, 2)) for centre in ([0, 0], [2, 0], [1, 1.7])])
    return clusterlab.cluster(pd.DataFrame(X, columns=["a", "b"]), method="gmm", k=3, seed=5, resamples=0)


def test_the_comparison_for_a_page(density: clusterlab.ClusterResult) -> None:
    said = method_content.method_comparison(density)
    assert said is not None
    assert [m["method"] for m in said["methods"]] == ["hdbscan", "kmeans", "gmm", "hierarchical", "kmedoids"]
    assert [m["chosen"] for m in said["methods"]] == [True, False, False, False, False]
    assert said["used"] == "Used: HDBSCAN, the method this run was asked for."
    assert said["reason"] == ""  # the reason sentence is auto's; a method asked for needs none
    assert "noise" in said["methods"][0]["facts"]
    assert "k = 3 (found)" in said["methods"][0]["facts"]
    table = said["agreement"]
    assert table["names"] == ["HDBSCAN", "K-Means", "Mixture", "Ward", "K-Medoids"]
    assert [cell["self"] for cell in table["rows"][2]["cells"]] == [False, False, True, False, False]
    assert all(row["cells"][i]["text"] == "1.00" for i, row in enumerate(table["rows"]))
    assert said["sample"].startswith(f"The same {len(density.model.method_comparison_.rows):,} rows")


def _comparison(agreement: list[list[float]]) -> MethodComparison:
    names = ["kmeans", "gmm", "hierarchical", "hdbscan", "kmedoids"][: len(agreement)]
    methods = [MethodOnSample(n, n, 2, np.array([1, 2]), chosen=i == 0) for i, n in enumerate(names)]
    return MethodComparison(2, names[0], np.arange(2), methods, np.array(agreement))


@pytest.mark.parametrize(
    ("agreement", "expected"),
    [
        (
            [[1, 0.9, 0.3], [0.9, 1, 0.2], [0.3, 0.2, 1]],
            "K-Means and Mixture draw nearly the same clusters (ARI 0.90). Ward draws other clusters.",
        ),
        (
            [[1, 0.5, 0.3], [0.5, 1, 0.85], [0.3, 0.85, 1]],
            "No other method draws nearly the same clusters as K-Means (ARI at most 0.50). "
            "Mixture and Ward draw nearly the same clusters (ARI 0.85).",
        ),
        (
            [[1, 0.95, 0.81], [0.95, 1, 0.9], [0.81, 0.9, 1]],
            "K-Means, Mixture and Ward draw nearly the same clusters (ARI 0.81 to 0.95).",
        ),
        (  # a chain is no group: Ward agrees with the mixture, not with K-Means
            [[1, 0.9, 0.5], [0.9, 1, 0.85], [0.5, 0.85, 1]],
            "K-Means and Mixture draw nearly the same clusters (ARI 0.90).",
        ),
    ],
)
def test_which_methods_agree_in_words(agreement: list[list[float]], expected: str) -> None:
    said = method_content._agree(_comparison(agreement), ["K-Means", "Mixture", "Ward"])
    assert said == expected + " ARI: 1 = the same clusters, 0 = no more alike than chance."


def test_one_small_map_per_method_in_the_runs_colours(density: clusterlab.ClusterResult) -> None:
    specs = method_map_specs(density)
    comparison = density.model.method_comparison_
    assert len(specs) == len(comparison.methods) == 5
    rows = sample_positions(density)
    assert rows is not None
    assert len(rows) == len(comparison.rows)
    # The used method's map is the results' clusters on the same rows.
    assert np.asarray(density.clusters)[rows].tolist() == comparison.methods[0].labels.tolist()
    for spec, method in zip(specs, comparison.methods, strict=True):
        assert sum(
            len(t["customdata"]) if isinstance(t["customdata"], list) else 0 for t in spec["data"]
        ) in (
            0,
            len(rows),
        )
        for trace in spec["data"]:
            number = 0 if trace["name"] == "Noise" else int(trace["name"].split()[-1])
            colour = NOISE_COLOUR if number == 0 else cluster_colour(number)
            assert trace["marker"]["color"] == colour
        assert spec["layout"]["title"]["text"].startswith(method.title)
    assert {t["name"] for t in specs[0]["data"]} >= {"Noise"}  # the far-off rows, grey


def test_no_comparison_with_one_cluster() -> None:
    frame = _moons_frame()
    result = clusterlab.cluster(frame, k=1, method="kmeans", resamples=0)
    assert method_content.method_comparison(result) is None
    assert method_map_specs(result) == []
    assert result.summary()["method_comparison"] is None


def test_report_html_shows_the_methods_side_by_side(density: clusterlab.ClusterResult, tmp_path) -> None:
    html = density.to_html(tmp_path / "report.html").read_text(encoding="utf-8")
    section = html[html.index('<section id="methods">') : html.index('<section id="clusters">')]
    assert "Methods side by side" in section
    assert 'href="#methods"' in html
    assert len(re.findall(r'<figure class="method-map', section)) == 5
    assert section.count('<tr><th scope="row">') == 5
    assert "Used: HDBSCAN" in section


def test_summary_has_the_comparison_without_labels(density: clusterlab.ClusterResult) -> None:
    summary = density.summary()["method_comparison"]
    assert summary["chosen"] == "hdbscan"
    assert summary["k"] == density.k
    assert next(m["method"] for m in summary["methods"]) == "hdbscan"
    assert "labels" not in summary["methods"][0]
    assert "rows" not in summary
    assert len(summary["agreement"]) == 5


def test_cards_count_the_noise_rows_nearest_them(density: clusterlab.ClusterResult) -> None:
    cards = content.cluster_cards(density)
    assert sum(c["noise_near"] for c in cards) == density.noise_count >= 3


def test_the_map_shows_membership_for_a_mixture(mixture: clusterlab.ClusterResult) -> None:
    spec = figures.cluster_map_spec(mixture)
    members = [t for t in spec["data"] if t["name"] not in ("Centres",)]
    assert all("membership" in t["hovertemplate"] for t in members)
    cards = content.cluster_cards(mixture)
    unclear = sum(c["unclear"] for c in cards)
    assert unclear > 0  # overlapping groups: some rows sit between them
    # ...and fade on the map: opacity grows with membership.
    drawn = figures.cluster_map_figure(mixture).data
    opacity = np.concatenate([np.atleast_1d(t.marker.opacity) for t in drawn if t.name != "Centres"])
    assert opacity.min() < 0.4 < opacity.max()
    assert "faint points have no clear home" in spec["layout"]["title"]["text"]


def test_the_map_of_a_density_method_shows_noise_in_grey(density: clusterlab.ClusterResult) -> None:
    spec = figures.cluster_map_spec(density)
    noise = [t for t in spec["data"] if t["name"] == "Noise"]
    assert len(noise) == 1
    assert noise[0]["marker"]["color"] == NOISE_COLOUR
