"""The distance histogram: the anomaly-detection picture (issue 15), threshold drawn, flagged rows in red."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import clusterlab
from clusterlab.report.charts.distance_figures import distance_histogram_figure


@pytest.fixture(scope="module")
def one_cluster() -> clusterlab.ClusterResult:
    rng = np.random.default_rng(7)
    frame = pd.DataFrame(rng.normal(size=(200, 2)), columns=["x", "y"])
    frame.loc[[10, 50], ["x", "y"]] = [[9.0, 9.0], [-8.0, 8.5]]  # two planted anomalies
    return clusterlab.cluster(frame, k=1, resamples=0, outlier_rule="percentile", outlier_percentile=95)


def test_k_1_draws_the_distances_against_the_one_threshold(one_cluster: clusterlab.ClusterResult) -> None:
    fig = distance_histogram_figure(one_cluster)
    ordinary, flagged = fig.data
    # Every clustered row is counted once, in the red bars exactly when it is flagged.
    assert sum(ordinary.y) + sum(flagged.y) == 200
    assert sum(flagged.y) == one_cluster.outliers.count == 10  # 5% of 200 under the percentile rule
    threshold = float(one_cluster.outliers.thresholds[0])
    (line,) = fig.layout.shapes
    assert line.x0 == pytest.approx(threshold)
    assert fig.layout.xaxis.title.text == "Distance to the centre"
    # The planted rows sit in the last bars, past the line; no ordinary row lies beyond the threshold.
    xs, counts = np.asarray(flagged.x), np.asarray(flagged.y)
    assert xs[counts > 0].max() > 2 * threshold
    assert np.asarray(ordinary.x)[np.asarray(ordinary.y) > 0].max() <= threshold + ordinary.width
    assert "10 rows flagged" in fig.layout.title.text


def test_several_clusters_share_one_line_at_1(blob_table) -> None:
    frame, _ = blob_table
    result = clusterlab.cluster(frame, k=3, resamples=0, outlier_rule="percentile")
    fig = distance_histogram_figure(result)
    assert fig.layout.shapes[0].x0 == 1.0
    assert "÷ the cluster's threshold" in fig.layout.xaxis.title.text
    ordinary, flagged = fig.data
    assert sum(ordinary.y) + sum(flagged.y) == len(frame)
    assert sum(flagged.y) == result.outliers.count


def test_the_report_and_the_results_page_show_it(one_cluster: clusterlab.ClusterResult, tmp_path) -> None:
    page = one_cluster.to_html(tmp_path / "report.html").read_text(encoding="utf-8")
    assert "Distances to the centre: 10 rows flagged" in page
    assert "the dashed line is the threshold" in page


def test_the_notebook_function_returns_the_same_figure(one_cluster: clusterlab.ClusterResult) -> None:
    from clusterlab import learn

    fig = learn.distances(one_cluster)
    assert [trace.name for trace in fig.data] == ["Rows", "Outliers"]
    assert sum(fig.data[1].y) == 10
