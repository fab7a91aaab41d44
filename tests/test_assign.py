"""Reuse: `assign` with a saved model reproduces the run on the training file and writes the same outputs."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import clusterlab
from clusterlab.cli import main
from clusterlab.samples import SAMPLES


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, clusterlab.ClusterResult, Path]:
    sample = SAMPLES["customers"]
    out = tmp_path_factory.mktemp("run")
    result = clusterlab.cluster(sample.path, k=4, label=sample.label, ordinal=sample.ordinal, k_max=5)
    written = result.save(out)
    return sample.path, result, written["model"]


def test_assign_reproduces_the_labels_on_the_training_file(trained) -> None:
    path, result, model = trained
    again = clusterlab.assign(model, path)
    # The same centres in the same order, so the same cluster *numbers*, not just the same grouping:
    # that is the promise of reuse (cluster 3 next month is cluster 3 of this month).
    assert np.array_equal(again.clusters, result.clusters)
    assert again.kind == "assign"


def test_assign_reproduces_distances_and_outliers(trained) -> None:
    path, result, model = trained
    again = clusterlab.assign(model, path)
    assert np.allclose(again.outliers.distance, result.outliers.distance)
    assert np.array_equal(again.outliers.flag, result.outliers.flag)
    assert np.allclose(again.outliers.thresholds, result.model.outlier_thresholds_)


def test_assign_describes_the_clusters_the_same_way(trained) -> None:
    path, result, model = trained
    again = clusterlab.assign(model, path)
    assert [d.description for d in again.descriptions] == [d.description for d in result.descriptions]


def test_assign_writes_the_same_outputs(trained, tmp_path: Path) -> None:
    path, _, model = trained
    written = clusterlab.assign(model, path).save(tmp_path)
    assert set(written) == {"csv", "xlsx", "report", "summary"}
    summary = json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))
    assert summary["kind"] == "assign"
    assert len(summary["clusters"]) == 4
    assert "outliers" in summary
    data = pd.read_csv(tmp_path / "clustered.csv")
    assert {"Cluster", "Distance", "Outlier"} <= set(data.columns)


def test_new_file_with_a_missing_column_and_an_unseen_category(trained, tmp_path: Path) -> None:
    path, _result, model = trained
    frame = pd.read_csv(path).head(50).drop(columns=["visits_per_month"])
    frame.loc[0:4, "channel"] = "Carrier pigeon"
    new = tmp_path / "next_month.csv"
    frame.to_csv(new, index=False)
    again = clusterlab.assign(model, new)
    notes = " ".join(n.message for n in again.notes)
    assert "'visits_per_month'" in notes
    assert "Column 'channel' has 1 value(s) not seen in training: 'Carrier pigeon' (5 rows)" in notes
    assert len(again.data) == 50
    assert again.data["Cluster"].notna().all()


def test_cli_assign_to_a_folder_writes_the_report(trained, tmp_path: Path) -> None:
    path, _, model = trained
    out = io.StringIO()
    code = main(["assign", str(model), str(path), "--out", str(tmp_path / "assigned"), "-q"], out=out)
    assert code == 0
    assert (tmp_path / "assigned" / "report.html").is_file()
    text = out.getvalue()
    assert "Outliers:" in text
    assert "1. " in text  # each cluster in words


def test_cli_assign_to_an_html_file(trained, tmp_path: Path) -> None:
    path, _, model = trained
    code = main(["assign", str(model), str(path), "--out", str(tmp_path / "r.html"), "-q"], out=io.StringIO())
    assert code == 0
    assert "<html" in (tmp_path / "r.html").read_text(encoding="utf-8")[:200]


def test_model_without_outlier_thresholds_still_assigns(trained, tmp_path: Path) -> None:
    path, _, model = trained
    data = json.loads(Path(model).read_text(encoding="utf-8"))
    del data["outlier_thresholds"]  # as written by the first ClusterLab version
    old = tmp_path / "old_model.json"
    old.write_text(json.dumps(data), encoding="utf-8")
    again = clusterlab.assign(old, path)
    assert 0 < again.outliers.count < len(again.clusters)
    assert any("older ClusterLab" in n.message for n in again.notes)


def test_assign_says_what_it_filled_in_new_data(trained, tmp_path: Path) -> None:
    # Empty cells and values that cannot be read are filled as in training, and said so per column,
    # as a run says it: never a silent median.
    path, _result, model = trained
    frame = pd.read_csv(path, dtype=str).head(20)
    frame.loc[0:2, "age"] = "unknown"
    frame.loc[3, "age"] = None
    frame.loc[4:5, "plan"] = None
    frame.loc[6, "signup_date"] = "not a date"
    frame.loc[7, "newsletter"] = None
    new = tmp_path / "next_month.csv"
    frame.to_csv(new, index=False)
    notes = {(n.column, n.message) for n in clusterlab.assign(model, new).notes}
    messages = " ".join(m for _, m in notes)
    assert "Column 'age' has 3 value(s) that are not numbers (e.g. 'unknown')" in messages
    # The training table had empty number cells: new rows' are filled as its were, from neighbours.
    assert "Column 'age' has 1 empty cell(s); they were filled from the rows most like theirs" in messages
    assert "Column 'plan' has 2 empty cell(s); they were given the middle rank" in messages
    assert "Column 'signup_date' has 1 value(s) that are not dates (e.g. 'not a date')" in messages
    assert (
        "Column 'newsletter' has 1 empty cell(s); they were given the training's commoner value" in messages
    )
    assert all(column is not None for column, _ in notes if "empty cell" in _)


def test_new_file_without_the_label_column(trained, tmp_path: Path) -> None:
    # The model was trained with label='segment'; next month's file rarely has the known groups.
    path, result, model = trained
    frame = pd.read_csv(path).head(40).drop(columns=[SAMPLES["customers"].label])
    new = tmp_path / "unlabelled.csv"
    frame.to_csv(new, index=False)
    again = clusterlab.assign(model, new)
    assert again.evaluation is None
    assert np.array_equal(again.clusters, result.clusters[:40])
    written = again.save(tmp_path / "out")
    summary = json.loads(written["summary"].read_text(encoding="utf-8"))
    assert summary["n_rows"] == 40
    assert "evaluation" not in summary or summary["evaluation"] is None


def test_assign_with_a_fitted_model_leaves_its_result_intact() -> None:
    # assign() used to put the new rows' matrix into the model it was given, so the result that
    # model came from then failed (IndexError) or described the wrong rows.
    frame = pd.read_csv(SAMPLES["iris"].path)
    result = clusterlab.cluster(frame, k=3, k_max=4)
    new = clusterlab.assign(result.model, frame.head(10))
    assert len(new.data) == 10
    assert len(result.data) == 150
    assert result.embedding.shape[0] == 150
    assert np.array_equal(new.clusters, result.clusters[:10])


def test_a_model_from_before_the_outlier_rule_keeps_its_percentile_rule(tmp_path: Path) -> None:
    # Model files before the outlier_rule setting stored 95th-percentile thresholds, and no rule:
    # assign judges by those thresholds and says so by that rule, not by the far fence.
    sample = SAMPLES["iris"]
    result = clusterlab.cluster(sample.path, k=3, label=sample.label, outlier_rule="percentile")
    written = result.save(tmp_path / "run")
    data = json.loads(written["model"].read_text(encoding="utf-8"))
    del data["settings"]["outlier_rule"]
    old = tmp_path / "old_model.json"
    old.write_text(json.dumps(data), encoding="utf-8")
    again = clusterlab.assign(old, sample.path)
    assert again.settings.outlier_rule == "percentile"
    assert np.allclose(again.outliers.thresholds, result.model.outlier_thresholds_)
    assert np.array_equal(again.outliers.flag, result.outliers.flag)
    assert again.summary()["outliers"]["rule"]["name"] == "percentile"
