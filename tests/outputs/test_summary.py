"""summary.json's parts: the functions the local and the partitioned summaries share."""

from __future__ import annotations

import pytest
from tests.conftest import make_blob_table, make_mixed_table

from clusterlab.core import cluster
from clusterlab.core.clustering import Clustering
from clusterlab.core.estimator import ClusterLab
from clusterlab.core.methods.gmm import MixtureMethod
from clusterlab.outputs.summary import k_choice_summary, run_summary, settings_summary, size_summary
from clusterlab.outputs.text_files import clean_json


@pytest.fixture(scope="module")
def result() -> Clustering:
    return cluster(make_mixed_table(), label="truth", k_max=4, resamples=0)


def test_size_summary_by_hand() -> None:
    assert size_summary([1, 2, 4], [6, 3, 1], 10) == [
        {"cluster": 1, "rows": 6, "share": 0.6},
        {"cluster": 2, "rows": 3, "share": 0.3},
        {"cluster": 4, "rows": 1, "share": 0.1},  # an assign may leave cluster 3 without rows
    ]
    assert size_summary([], [], 0) == []


def test_run_summary_is_built_from_the_shared_parts(result: Clustering) -> None:
    summary = run_summary(result)
    choice = k_choice_summary(result.model)
    assert {key: summary[key] for key in choice} == clean_json(choice)
    assert sum(s["rows"] for s in summary["cluster_sizes"]) == summary["n_rows_clustered"]
    assert sum(s["share"] for s in summary["cluster_sizes"]) == pytest.approx(1.0)
    assert summary["settings"]["label"] == "truth"


def test_a_sweep_on_a_sample_is_never_exact(result: Clustering) -> None:
    assert k_choice_summary(result.model)["silhouette_sample"]["exact"] is True  # 180 rows, all of them
    assert k_choice_summary(result.model, exact=False)["silhouette_sample"]["exact"] is False


def test_settings_summary_adds_the_column_choices_only_with_a_model(result: Clustering) -> None:
    alone = settings_summary(result.settings)
    with_model = settings_summary(result.settings, result.model)
    assert alone == result.settings.to_dict()
    assert with_model == {
        **alone,
        "algorithm": "kmeans",
        "roles": {},
        "exclude": [],
        "ordinal": {},
        "label": "truth",
    }


@pytest.mark.parametrize(("distance", "used"), [("auto", "gower"), ("euclidean", "euclidean")])
def test_kmedoids_says_the_distance_it_used(distance: str, used: str) -> None:
    # The mixed table has categories: "auto" resolves to Gower, and summary.json says so.
    done = cluster(make_mixed_table(), label="truth", k=3, method="kmedoids", distance=distance, resamples=0)
    method = run_summary(done)["method"]
    assert (method["settings"], method["distance"]) == ({"distance": distance}, used)


def test_a_silhouette_on_a_methods_search_sample_is_not_exact(monkeypatch: pytest.MonkeyPatch) -> None:
    # Exact on the 100 rows the sweep saw, but not on the 180 rows clustered.
    monkeypatch.setattr(MixtureMethod, "search_rows", 100)
    frame, _ = make_blob_table(n_per_cluster=60)
    model = ClusterLab(method="gmm", settings={"resamples": 2, "k_max": 4}).fit(frame)
    assert k_choice_summary(model)["silhouette_sample"] == {"rows": 100, "exact": False}
