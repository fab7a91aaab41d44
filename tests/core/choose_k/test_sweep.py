"""The k sweep and its criteria: table shape, progress, executors, the lean ARI, valleys, stability."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score, silhouette_score
from tests.conftest import make_blob_table

from clusterlab.core.choose_k.criteria import (
    CRITERIA,
    adjusted_rand,
    neighbour_pairs,
    sample_distances,
    silhouette_from_distances,
    valley_pvalues,
)
from clusterlab.core.choose_k.sweep import sweep_k
from clusterlab.core.progress import ProgressEvent


@pytest.fixture
def three_blobs(blob_table: tuple[pd.DataFrame, np.ndarray]) -> np.ndarray:
    return blob_table[0].to_numpy()


def test_table_has_one_row_per_k_and_a_column_per_scored_criterion(three_blobs: np.ndarray) -> None:
    sweep = sweep_k(three_blobs, [2, 3, 4, 5], resamples=3)
    table = sweep.table
    assert table["k"].tolist() == [2, 3, 4, 5]
    scored = {c.name for c in CRITERIA.values() if c.score is not None}
    assert scored <= set(table.columns)
    assert {"fit_seconds", "n_iter"} <= set(table.columns)
    assert sweep.silhouette_exact
    assert table.set_index("k")["silhouette"].idxmax() == 3


def test_progress_counts_every_k(three_blobs: np.ndarray) -> None:
    events: list[ProgressEvent] = []
    sweep_k(three_blobs, [2, 3, 4], resamples=2, progress=events.append)
    assert {e.stage for e in events} == {"sweep"}
    assert [e.done for e in events] == [0, 1, 2, 3]
    assert all(e.total == 3 for e in events)


def test_executor_gives_the_same_table(three_blobs: np.ndarray) -> None:
    here = sweep_k(three_blobs, [2, 3, 4], resamples=3).table
    with ThreadPoolExecutor(2) as pool:
        there = sweep_k(three_blobs, [2, 3, 4], resamples=3, executor=pool).table
    columns = [c for c in here.columns if c != "fit_seconds"]
    # One OpenMP thread on the executor sums in another order: equal up to rounding.
    pd.testing.assert_frame_equal(here[columns], there[columns], rtol=1e-6)


def test_silhouette_on_a_sample_when_rows_exceed_the_sample() -> None:
    X = make_blob_table(300, [(0, 0), (6, 0)], cluster_std=0.5)[0].to_numpy()
    sweep = sweep_k(X, [2, 3], sample_size=200, resamples=2)
    assert sweep.sample_size == 200
    assert not sweep.silhouette_exact


@pytest.mark.parametrize(("offset", "scale", "k"), [(0.0, 1.0, 2), (1e6, 50.0, 5), (-3.0, 1e-3, 9)])
def test_silhouette_from_float32_distances_matches_scikit_learn(
    rng: np.random.Generator, offset: float, scale: float, k: int
) -> None:
    # Far from the origin and at very different scales: float32 distances must still give
    # scikit-learn's float64 silhouette (a singleton cluster included: it scores 0 in both).
    X = offset + scale * np.r_[rng.normal(size=(799, 6)), [[40.0] * 6]]
    labels = np.r_[rng.integers(0, k - 1, 799), k - 1]
    labels[:400] = np.minimum(labels[:400], 1)
    X[:400] += 3 * scale * labels[:400, None]
    got = silhouette_from_distances(sample_distances(X), labels)
    assert got == pytest.approx(silhouette_score(X, labels), abs=1e-5)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_adjusted_rand_matches_scikit_learn(seed: int) -> None:
    rng = np.random.default_rng(seed)
    a = rng.integers(0, 5, 500)
    b = np.where(rng.random(500) < 0.6, a, rng.integers(0, 7, 500))
    assert adjusted_rand(a, b) == pytest.approx(adjusted_rand_score(a, b))


def test_adjusted_rand_of_identical_partitions_is_one() -> None:
    assert adjusted_rand(np.array([0, 0, 1, 2]), np.array([2, 2, 0, 1])) == 1.0
    assert adjusted_rand(np.zeros(5, dtype=int), np.zeros(5, dtype=int)) == 1.0


def test_neighbour_pairs_by_hand() -> None:
    centres = np.array([[0.0, 0.0], [1.0, 0.0], [10.0, 0.0], [12.0, 0.0]])
    assert neighbour_pairs(centres) == [(0, 1), (2, 3)]


def test_valley_between_two_blobs_but_not_inside_one(rng: np.random.Generator) -> None:
    frame, labels = make_blob_table(200, [(0, 0), (6, 0)])
    two = frame.to_numpy()
    centres = np.array([two[:200].mean(0), two[200:].mean(0)])
    assert valley_pvalues(two, labels, centres, seed=0)[0] < 0.01
    one = rng.normal(0, 1, size=(400, 2))
    halves = (one[:, 0] > 0).astype(int)
    centres = np.array([one[halves == 0].mean(0), one[halves == 1].mean(0)])
    assert valley_pvalues(one, halves, centres, seed=0)[0] > 0.05


def test_stability_is_high_for_real_clusters_and_lower_for_splitting_a_blob(three_blobs: np.ndarray) -> None:
    table = sweep_k(three_blobs, [3, 6], resamples=6).table.set_index("k")
    assert table.loc[3, "stability"] > 0.95
    assert table.loc[6, "stability"] < table.loc[3, "stability"]


def test_stability_off_with_fewer_than_two_resamples(three_blobs: np.ndarray) -> None:
    table = sweep_k(three_blobs, [2, 3], resamples=0).table
    assert table["stability"].isna().all()
