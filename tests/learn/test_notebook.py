"""clusterlab.learn's notebook functions return Plotly figures (checked as specs: traces, frames,
axis titles), and the run sample the web saves round-trips."""

from __future__ import annotations

import json

import numpy as np
import pytest

import clusterlab
from clusterlab import learn
from clusterlab.learn.run_sample import RunSample, one_cluster_inertia, sweep_from_one

X = learn.blobs(points=25, separation=6.0, clusters=3, seed=2).X


def test_kmeans_steps_is_an_animation_with_a_frame_per_step() -> None:
    run = learn.record_lloyd(X, 3, start="bad", seed=2)
    fig = learn.kmeans_steps(X, 3, seed=2, start="bad")
    assert len(fig.frames) == len(run.steps)
    assert [t.name for t in fig.data] == ["Rows", "Centre paths", "Centres"]
    assert fig.layout.xaxis.title.text == "x"
    assert [b.label for b in fig.layout.updatemenus[0].buttons] == ["Play", "Pause"]
    assert len(fig.layout.sliders[0].steps) == len(run.steps)
    last = fig.frames[-1]
    assert list(last.data[0].marker.color) == run.labels.tolist()
    assert np.allclose(list(last.data[2].x), run.centres[:, 0])
    assert fig.frames[0].layout.title.text.startswith("Step 0 of")


def test_playground_and_restarts() -> None:
    fig = learn.playground(points=10, separation=3, k=2, seed=0, clusters=2)
    assert len(fig.data[0].x) == 20
    bars = learn.restarts(X, 3, starts=4)
    assert len(bars.data[0].y) == 4
    assert bars.layout.yaxis.title.text == "Final inertia"


def test_elbow_starts_at_one_cluster_and_marks_the_bend() -> None:
    fig = learn.elbow(X, kmax=6)
    assert list(fig.data[0].x) == [1, 2, 3, 4, 5, 6]
    assert fig.data[0].y[0] == pytest.approx(one_cluster_inertia(X))
    assert fig.layout.shapes[0].x0 == 3  # three clear blobs: the bend is at 3
    assert fig.layout.xaxis.title.text == "k (clusters)"


def test_elbow_and_criteria_of_a_result() -> None:
    result = clusterlab.cluster(clusterlab.sample_path("iris"), k="auto", label="species")
    fig = learn.elbow(result)
    assert next(iter(fig.data[0].x)) == 1
    assert list(fig.data[0].x)[1:] == result.k_scores["k"].tolist()
    curves = learn.criteria(result)
    assert [f.layout.yaxis.title.text for f in curves] == [
        "Silhouette",
        "Calinski-Harabasz",
        "Davies-Bouldin",
        "Stability",
    ]
    sample = RunSample.of(result)
    back = RunSample.from_json(json.loads(json.dumps(sample.to_json())))
    assert back is not None
    assert back.sweep["k"].tolist()[0] == 1
    assert len(back.rows) == len(back.X) == 150
    # The lesson's projection is the run's map: PCA's first two components.
    assert np.allclose(back.project(back.X), np.asarray(result.embedding)[back.rows - 1, :2], atol=1e-5)
    assert RunSample.from_json({"version": 0}) is None


def test_compare_methods_and_the_dendrogram() -> None:
    fig = learn.compare_methods(X, 3)
    assert [a.text for a in fig.layout.annotations] == [m.title for m in learn.METHODS.values()]
    assert {t.xaxis for t in fig.data} == {"x", "x2", "x3", "x4", "x5"}
    tree = learn.dendrogram(X, 3)
    assert tree.layout.yaxis.title.text == "Merge distance (Ward)"
    assert len(tree.layout.shapes) == 1  # the cut into 3 groups


def test_every_method_finds_clear_blobs() -> None:
    from sklearn.metrics import adjusted_rand_score

    truth = np.repeat(np.arange(3), 25)
    for name in learn.METHODS:
        labels = learn.methods.run_method(name, X, 3, seed=0)
        kept = labels >= 0
        assert adjusted_rand_score(truth[kept], labels[kept]) > 0.95, name


def test_sweep_from_one_by_hand() -> None:
    import pandas as pd

    table = pd.DataFrame({"k": [2, 3], "inertia": [4.0, 1.0]})
    out = sweep_from_one(table, np.array([[0.0], [2.0], [4.0]]))
    assert out["k"].tolist() == [1, 2, 3]
    assert out["inertia"].tolist() == [8.0, 4.0, 1.0]  # 4 + 0 + 4 around the mean 2


@pytest.mark.parametrize("shape", list(learn.SHAPES))
def test_every_shape_is_drawn(shape: str) -> None:
    data = learn.shaped(shape, points=30, seed=1)
    assert data.X.shape[1] == 2
    assert len(data.truth) == len(data.X)


def test_the_pages_shapes_are_the_playgrounds() -> None:
    from typing import get_args

    from clusterlab.web.pages.learn import Playground

    assert get_args(Playground.model_fields["shape"].annotation) == tuple(learn.SHAPES)
    assert get_args(Playground.model_fields["start"].annotation) == learn.STARTS


def test_a_run_without_a_sweep_still_has_its_one_cluster_row() -> None:
    import pandas as pd

    out = sweep_from_one(pd.DataFrame(), np.array([[0.0], [2.0]]))
    assert out.to_dict(orient="records") == [{"k": 1, "inertia": 2.0}]
