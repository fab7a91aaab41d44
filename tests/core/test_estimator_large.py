"""Large tables: k chosen on a seeded sample (each method's own size), every row in the final fit,
float32 matrix."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score
from tests.conftest import make_blob_table, make_mixed_table

from clusterlab.core import estimator
from clusterlab.core.choose_k.criteria import adjusted_rand
from clusterlab.core.estimator import ClusterLab
from clusterlab.core.methods.gmm import MixtureMethod
from clusterlab.core.methods.hierarchical import TreeMethod
from clusterlab.core.methods.kmedoids import MedoidMethod


def test_sampled_sweep_gives_the_same_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    frame = make_mixed_table(n_per_cluster=400).drop(columns="truth")
    settings = {"resamples": 3}
    full = ClusterLab(settings=settings).fit(frame)
    monkeypatch.setattr(estimator, "SWEEP_ROWS", 500)
    sampled = ClusterLab(settings=settings)
    embedding = sampled.fit_transform(frame)
    assert sampled.k_ == full.k_ == 3
    assert adjusted_rand(sampled.labels_ - 1, full.labels_ - 1) >= 0.99
    assert len(sampled.labels_) == len(frame)  # every row clustered
    assert sampled.sweep_.n_rows == 500
    assert embedding.dtype == np.float32
    assert embedding.shape[0] == len(frame)
    assert not hasattr(sampled, "embedding_")  # the estimator does not keep the training matrix
    assert any("seeded sample of 500 of the 1,200 rows" in n.message for n in sampled.notes_)
    assert not any("seeded sample" in n.message for n in full.notes_)


@pytest.mark.parametrize(
    ("method", "cls", "max_rows", "final"),
    [
        ("gmm", MixtureMethod, None, "the final Gaussian mixture fit uses every row."),
        ("kmedoids", MedoidMethod, None, "the final K-Medoids fit uses every row."),
        (
            "hierarchical",
            TreeMethod,
            600,
            "the final Hierarchical fit is made on a seeded sample of 600 rows and extended to every row.",
        ),
    ],
)
def test_a_slow_method_searches_k_on_its_own_sample(
    monkeypatch: pytest.MonkeyPatch, method: str, cls: type, max_rows: int | None, final: str
) -> None:
    frame, truth = make_blob_table(n_per_cluster=400, centres=3, shuffle=True)
    monkeypatch.setattr(cls, "search_rows", 300)
    if max_rows is not None:
        monkeypatch.setattr(cls, "max_rows", max_rows)
    model = ClusterLab(method=method, settings={"resamples": 3}).fit(frame)
    # The sweep, its restarts and resampled fits saw the method's sample, not the 200,000 K-Means may.
    assert model.sweep_.n_rows == 300
    notes = [n.message for n in model.notes_ if n.stage == "sweep"]
    assert f"k was chosen on a seeded sample of 300 of the 1,200 rows; {final}" in notes
    # The final fit covers every row, in input order: each row's label is its own prediction.
    assert model.k_ == 3
    assert len(model.labels_) == len(frame)
    assert (model.labels_ >= 1).all()
    assert np.array_equal(model.predict(frame), model.labels_)
    assert adjusted_rand_score(truth, model.labels_) >= 0.95


# K-Means' labels on this table before methods had their own search sample (commit 1d4cbcc), as the
# ARI against the known groups: any change of the sample, the restarts or the final fit moves it.
KMEANS_ARI_BEFORE = {"every row": 0.9365225038637791, "sampled": 0.9386790376899893}


@pytest.mark.parametrize("sweep_rows", ["every row", "sampled"])
def test_kmeans_labels_are_unchanged(monkeypatch: pytest.MonkeyPatch, sweep_rows: str) -> None:
    frame, truth = make_blob_table(n_per_cluster=300, centres=4, n_features=3, cluster_std=3.0, shuffle=True)
    if sweep_rows == "sampled":  # k chosen on a sample, the final fit started from it
        monkeypatch.setattr(estimator, "SWEEP_ROWS", 500)
    # number_weight "keep": the matrix as it was then (x2 carries nothing of the groups here, and is
    # weighed down since; that changes the matrix, not K-Means' path through it).
    model = ClusterLab(method="kmeans", settings={"resamples": 3, "number_weight": "keep"}).fit(frame)
    assert model.k_ == 4
    assert model.sweep_.n_rows == (500 if sweep_rows == "sampled" else 1200)
    assert adjusted_rand_score(truth, model.labels_) == pytest.approx(
        KMEANS_ARI_BEFORE[sweep_rows], abs=1e-12
    )
