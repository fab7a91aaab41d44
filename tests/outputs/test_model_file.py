"""model.json: plain JSON, validated on load, and faithful."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from clusterlab.core import ClusterLab, ModelError
from clusterlab.outputs import load_model, save_model


@pytest.fixture
def fitted(mixed_table: pd.DataFrame) -> ClusterLab:
    return ClusterLab(k=3, label="truth", ordinal={"plan": ["Basic", "Plus", "Premium"]}).fit(mixed_table)


def test_round_trip_predicts_identically(
    fitted: ClusterLab, mixed_table: pd.DataFrame, tmp_path: Path
) -> None:
    path = save_model(fitted, tmp_path / "model.json")
    loaded = load_model(path)
    assert np.array_equal(loaded.predict(mixed_table), fitted.labels_)
    assert loaded.k_ == 3
    assert loaded.recommendation_.k == fitted.recommendation_.k
    assert [c.role for c in loaded.roles_] == [c.role for c in fitted.roles_]


def test_model_file_is_plain_json_without_code(fitted: ClusterLab, tmp_path: Path) -> None:
    text = save_model(fitted, tmp_path / "model.json").read_text()
    data = json.loads(text)
    assert data["format"] == "clusterlab-model"
    assert data["format_version"] == 1
    assert "pickle" not in text
    assert "__reduce__" not in text


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", r"Model file 'bad.json' is not valid JSON"),
        ('{"a": 1}', r"'bad.json' is not a ClusterLab model"),
        (
            '{"format": "clusterlab-model", "format_version": 99}',
            r"format version 99; this ClusterLab reads version 1",
        ),
        ('{"format": "clusterlab-model", "format_version": 1}', r"Model 'bad.json' is damaged or incomplete"),
    ],
)
def test_bad_model_files(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(ModelError, match=message):
        load_model(path)


def test_inconsistent_centres_are_caught(fitted: ClusterLab, tmp_path: Path) -> None:
    path = save_model(fitted, tmp_path / "m.json")
    data = json.loads(path.read_text())
    data["centers"] = data["centers"][:2]
    path.write_text(json.dumps(data))
    with pytest.raises(ModelError, match=r"inconsistent: 2 centres for k=3"):
        load_model(path)


def test_missing_model_file(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match=r"Model file 'none.json' does not exist"):
        load_model(tmp_path / "none.json")


@pytest.mark.parametrize(
    ("method", "options"),
    [
        ("kmeans", {}),
        ("gmm", {}),
        ("hierarchical", {"linkage": "average"}),
        ("hdbscan", {}),
        ("kmedoids", {"distance": "gower"}),
        ("kmedoids", {"distance": "euclidean"}),
        ("latentclass", {}),
    ],
)
def test_assign_reproduces_the_training_labels_of_every_method(
    method: str, options: dict[str, str], mixed_table: pd.DataFrame, tmp_path: Path
) -> None:
    k = "auto" if method == "hdbscan" else 3
    model = ClusterLab(k=k, method=method, settings=options, label="truth").fit(mixed_table)
    loaded = load_model(save_model(model, tmp_path / "model.json"))
    assert loaded.method_.name == method
    assert loaded.method_.settings() == model.method_.settings()
    assert np.array_equal(loaded.predict(mixed_table), model.labels_)
    if model.probabilities_ is not None:
        matrix = loaded.transform(mixed_table)
        assert np.allclose(loaded.assign_probabilities(matrix), model.probabilities_)


def test_a_model_file_without_method_state_is_kmeans_by_nearest_centre(
    fitted: ClusterLab, mixed_table: pd.DataFrame, tmp_path: Path
) -> None:
    path = save_model(fitted, tmp_path / "model.json")
    data = json.loads(path.read_text())
    for key in ("method", "method_state", "cluster_order"):
        data.pop(key)
    data["algorithm"] = "kmeans"  # what older files carry
    path.write_text(json.dumps(data))
    assert np.array_equal(load_model(path).predict(mixed_table), fitted.labels_)
