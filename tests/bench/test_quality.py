"""The quality benchmark's plumbing: it runs without the shared data and summarises by hand-checked rules."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repo root, where bench/ lives

from bench import quality


def test_missing_shared_data_falls_back_to_bundled_sets(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setenv("CLUSTERLAB_DATA", str(tmp_path / "nowhere"))
    assert quality.data_root() is None
    sets = quality.labelled_sets(None, {"iris"})
    assert [s.name for s in sets] == ["sklearn/iris"]
    assert "not found" in capsys.readouterr().err


def test_summary_counts_exact_and_within_one_hits() -> None:
    table = pd.DataFrame(
        {
            "dataset": ["a", "b", "c", "d"],
            "true_k": [3, 4, 2, 10],
            "k": [3, 5, 2, 6],
            "ari": [1.0, 0.8, 0.6, 0.2],
            "baseline_k": [2, 4, 3, 10],
            "baseline_ari": [0.5, 0.9, 0.1, 0.3],
        }
    )
    line = quality.summarise(table)
    assert line.startswith("ClusterLab: exact-k 2/4 (50%), within-one 3/4 (75%), median ARI 0.700")
    assert "baseline: exact-k 2/4 (50%), within-one 4/4 (100%), median ARI 0.400" in line
    table["method"] = ["kmeans", "hdbscan", "kmeans", "gmm"]
    assert quality.summarise(table).startswith("ClusterLab (kmeans 2, hdbscan 1, gmm 1): exact-k 2/4")


def test_ari_leaves_noise_points_out() -> None:
    truth = np.array([0, 1, 1, 2, 2])
    labels = np.array([7, 1, 1, 2, 2])
    assert quality.ari(labels, truth) == 1.0


def test_baseline_finds_two_obvious_groups(rng: np.random.Generator) -> None:
    X = np.concatenate([rng.normal(0, 0.3, (40, 2)), rng.normal(5, 0.3, (40, 2))])
    k, labels = quality.silhouette_baseline(X)
    assert k == 2
    assert len(np.unique(labels)) == 2


def test_every_family_makes_a_table_with_its_groups() -> None:
    from bench import families

    for name, make in families.FAMILIES.items():
        frame, truth, k = make(0)
        assert len(frame) == len(truth), name
        assert len(np.unique(truth[truth >= 0])) == k, name
