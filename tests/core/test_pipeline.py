"""cluster() and assign() end to end: every row kept, outputs complete, new data reported."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

from clusterlab import assign, cluster
from clusterlab.core import ModelError, ProgressEvent
from clusterlab.samples import SAMPLES, sample_path


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".parquet", ".tsv"])
def test_every_format_gives_the_same_clusters(
    mixed_table: pd.DataFrame, write_table: Callable[..., Path], suffix: str
) -> None:
    result = cluster(write_table(mixed_table, f"data{suffix}"), k=3, label="truth")
    assert len(result.labels) == len(mixed_table)
    # 0.92: 'plan' weighs 0.99 (the numbers explain 83% of it) and its 10% strays pull a few rows.
    assert adjusted_rand_score(mixed_table["truth"], result.labels) > 0.9
    assert result.data["customer_id"].tolist() == mixed_table["customer_id"].tolist()  # order and values kept


def test_outputs_are_complete_and_data_unchanged(
    mixed_table: pd.DataFrame, write_table: Callable[..., Path], tmp_path: Path
) -> None:
    events: list[ProgressEvent] = []
    result = cluster(write_table(mixed_table, "in.xlsx"), label="truth", progress=events.append)
    written = result.save(tmp_path / "out", progress=events.append)
    assert {"csv", "xlsx", "model", "summary"} <= set(written)

    sheets = pd.read_excel(written["xlsx"], sheet_name=None, engine="calamine")
    assert {"Clustered Data", "Cluster Profiles", "K Selection", "Columns", "Settings"} <= set(sheets)
    data = sheets["Clustered Data"]
    assert list(data.columns) == [*mixed_table.columns, "Cluster", "Cluster name", "Distance", "Outlier"]
    pd.testing.assert_frame_equal(data[mixed_table.columns], mixed_table, check_dtype=False)
    assert set(data["Cluster"]) == set(range(1, result.k + 1))
    names = {d.cluster: d.name for d in result.descriptions}
    assert data["Cluster name"].tolist() == [names[c] for c in data["Cluster"]]

    csv = pd.read_csv(written["csv"], encoding="utf-8-sig")
    assert csv["Cluster"].tolist() == data["Cluster"].tolist()

    summary = json.loads(written["summary"].read_text())
    for key in (
        "n_rows",
        "columns",
        "recommended_k",
        "k",
        "k_selection",
        "cluster_sizes",
        "timings",
        "settings",
        "versions",
        "evaluation",
    ):
        assert key in summary, key
    assert summary["n_rows"] == len(mixed_table)
    assert sum(s["rows"] for s in summary["cluster_sizes"]) == len(mixed_table)
    assert [row["k"] for row in summary["k_selection"]][:9] == list(range(2, 11))
    assert {"silhouette", "calinski_harabasz", "davies_bouldin", "inertia", "fit_seconds"} <= set(
        summary["k_selection"][0]
    )
    assert {c["name"]: c["role"] for c in summary["columns"]}["customer_id"] == "identifier"
    assert {"read", "roles", "encode", "sweep", "fit", "profile", "write"} <= set(summary["timings"])
    stages = [e.stage for e in events]
    assert stages[0] == "read"
    assert stages[-1] == "write"
    sweeps = [e.message for e in events if e.stage == "sweep"]
    comparing = [m for m in sweeps if m.startswith("comparing K-Means")]
    assert len(sweeps) - len(comparing) == 10  # the sweep's start and each k
    # Method "auto" compares methods only when K-Means' own answer is not strong.
    assert len(comparing) == (0 if result.recommendation.confidence == "strong" else 1)
    assert all(0.0 <= e.fraction <= 1.0 for e in events)


def test_existing_cluster_column_is_not_overwritten(mixed_table: pd.DataFrame) -> None:
    frame = mixed_table.assign(Cluster="old")
    result = cluster(frame, k=3, exclude=["Cluster"])
    assert result.cluster_column == "Cluster_2"
    assert result.data["Cluster"].eq("old").all()


def test_assign_reproduces_training_labels_and_reports_mismatches(
    mixed_table: pd.DataFrame, write_table: Callable[..., Path], tmp_path: Path
) -> None:
    result = cluster(mixed_table, k=3, label="truth")
    model_path = result.save_model(tmp_path / "model.json")
    again = assign(model_path, write_table(mixed_table, "same.csv"))
    assert np.array_equal(again.clusters, result.clusters)
    assert again.evaluation is not None
    assert again.evaluation.ari == pytest.approx(result.evaluation.ari)

    new = mixed_table.drop(columns=["age"]).assign(region="Mars", notes="extra").head(30)
    later = assign(model_path, write_table(new, "new.xlsx"))
    messages = " ".join(n.message for n in later.notes)
    assert "'age'" in messages
    assert "missing from the new file" in messages
    assert "Column 'region' has 1 value(s) not seen in training: 'Mars' (30 rows)" in messages
    assert "'notes'" in messages
    assert "not seen in training are kept" in messages
    assert len(later.labels) == 30
    assert later.labels.notna().all()


def test_assign_with_no_usable_columns(mixed_table: pd.DataFrame, tmp_path: Path) -> None:
    model_path = cluster(mixed_table, k=3).save_model(tmp_path / "m.json")
    with pytest.raises(ModelError, match=r"None of the \d+ columns the model uses are in 'data'"):
        assign(model_path, pd.DataFrame({"other": [1, 2, 3]}))


@pytest.mark.parametrize(
    ("name", "true_k", "min_ari"), [("customers", 4, 0.8), ("iris", 3, 0.6), ("wine", 3, 0.85)]
)
def test_bundled_samples_recover_their_groups(name: str, true_k: int, min_ari: float) -> None:
    sample = SAMPLES[name]
    result = cluster(sample_path(name), k=true_k, label=sample.label, ordinal=sample.ordinal)
    assert result.evaluation is not None
    assert result.evaluation.ari > min_ari
    assert 2 <= result.recommended_k <= 10


def test_library_docstring_example() -> None:
    from sklearn.datasets import load_iris

    result = cluster(load_iris(as_frame=True).frame, k=3, label="target")
    assert result.k == 3
    assert round(result.evaluation.ari, 2) == 0.62


def test_noise_rows_stay_in_place_as_cluster_0(rng: np.random.Generator) -> None:
    from sklearn.datasets import make_moons

    X, _ = make_moons(300, noise=0.05, random_state=0)
    scattered = np.array([[-3.0, 3.0], [4.0, -2.5], [0.5, 4.0]])
    frame = pd.DataFrame(np.r_[X[:150], scattered, X[150:]], columns=["a", "b"])
    result = cluster(frame, method="hdbscan")
    data = result.data
    assert len(data) == 303
    assert data.loc[150:152, "Cluster"].tolist() == [0, 0, 0]
    assert data.loc[150:152, "Outlier"].isna().all()  # not an outlier of any cluster: in none
    assert result.noise_count == (data["Cluster"] == 0).sum() >= 3
    assert any("Noise" in n.message and n.count == result.noise_count for n in result.notes)
    assert result.k == 2


def test_a_mixture_exports_each_rows_probability(rng: np.random.Generator) -> None:
    frame = pd.DataFrame(np.r_[rng.normal(0, 1, (80, 2)), rng.normal(6, 1, (80, 2))], columns=["a", "b"])
    data = cluster(frame, k=2, method="gmm").data
    assert data.columns[-1] == "Cluster probability"
    assert data["Cluster probability"].between(0.5, 1.0).all()
