"""HDBSCAN: k found, noise kept in place, predict within reach."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from clusterlab.core import InputError
from clusterlab.core.methods import NOISE
from clusterlab.core.methods.density import DensityMethod, min_cluster_size_for


@pytest.fixture
def with_noise(
    moons_and_blob: tuple[np.ndarray, np.ndarray], rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    X, truth = moons_and_blob
    scattered = rng.uniform([-1.5, -1.0], [4.0, 3.0], size=(12, 2))
    return np.r_[X, scattered], np.r_[truth, np.full(12, NOISE)]


def test_finds_the_moons_and_the_blob_without_k(with_noise: tuple[np.ndarray, np.ndarray]) -> None:
    X, truth = with_noise
    fitted = DensityMethod().fit(X, None, seed=0, n_init=1)
    assert fitted.k == 3
    grouped = truth >= 0
    assert adjusted_rand_score(truth[grouped], fitted.labels[grouped]) >= 0.95
    # Most scattered rows are noise, and noise rows stay where they were, never dropped.
    assert len(fitted.labels) == len(X)
    assert (fitted.labels[~grouped] == NOISE).mean() >= 0.5


def test_noise_rows_keep_their_place_when_rows_are_shuffled(
    with_noise: tuple[np.ndarray, np.ndarray],
) -> None:
    X, _ = with_noise
    order = np.random.default_rng(1).permutation(len(X))
    first = DensityMethod().fit(X, None, seed=0, n_init=1).labels
    shuffled = DensityMethod().fit(X[order], None, seed=0, n_init=1).labels
    # HDBSCAN breaks ties between equally dense rows by position, so a border row may switch.
    assert ((shuffled == NOISE) != (first[order] == NOISE)).sum() <= 2
    assert adjusted_rand_score(first[order], shuffled) >= 0.99


def test_new_rows_join_a_cluster_only_within_its_reach(with_noise: tuple[np.ndarray, np.ndarray]) -> None:
    X, _ = with_noise
    fitted = DensityMethod().fit(X, None, seed=0, n_init=1)
    blob = fitted.labels[-13]  # a row of the blob
    assert fitted.predict(np.array([[3.0, 2.0], [30.0, 30.0]])).tolist() == [blob, NOISE]


def test_the_smallest_cluster_is_a_share_of_the_rows() -> None:
    assert [min_cluster_size_for(n) for n in (100, 499, 501, 20_000)] == [5, 5, 5, 200]
    assert DensityMethod(min_cluster_size=40).size_for(10_000) == 40


def test_no_cluster_at_all_says_what_to_change(rng: np.random.Generator) -> None:
    with pytest.raises(InputError, match=r"every one of the 30 rows is noise\. Lower .*min_cluster_size"):
        DensityMethod(min_cluster_size=25).fit(rng.uniform(size=(30, 2)), None, seed=0, n_init=1)
