"""The map-reduce Lloyd step: hand-computed toys, and the same iterations as scikit-learn's Lloyd."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.cluster import KMeans

from clusterlab.core.choose_k.criteria import adjusted_rand
from clusterlab.distributed.lloyd import assign, combine, partial_sums, update_centres


def test_partial_sums_by_hand() -> None:
    X = np.array([[0.0, 0.0], [2.0, 0.0], [10.0, 1.0], [12.0, 1.0]])
    centres = np.array([[1.0, 0.0], [11.0, 0.0]])
    sums, counts, inertia = partial_sums(X, centres)
    assert sums.tolist() == [[2.0, 0.0], [22.0, 2.0]]
    assert counts.tolist() == [2, 2]
    assert inertia == pytest.approx(1 + 1 + 2 + 2)  # (1+0), (1+0), (1+1), (1+1)


def test_split_partitions_add_up_to_the_whole() -> None:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(1000, 3))
    centres = X[:4]
    whole = partial_sums(X, centres)
    parts = combine(partial_sums(X[a:b], centres) for a, b in [(0, 100), (100, 650), (650, 1000)])
    np.testing.assert_allclose(parts[0], whole[0])
    assert parts[1].tolist() == whole[1].tolist()
    assert parts[2] == pytest.approx(whole[2])


def test_empty_centre_keeps_its_place() -> None:
    moved = update_centres(np.array([[4.0], [0.0]]), np.array([2, 0]), np.array([[1.0], [7.0]]))
    assert moved.ravel().tolist() == [2.0, 7.0]


def test_combine_of_nothing_is_an_error() -> None:
    with pytest.raises(ValueError, match="No partitions"):
        combine([])


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_iterations_match_scikit_learn_lloyd(dtype: type) -> None:
    rng = np.random.default_rng(1)
    centres_true = rng.normal(0, 5, size=(6, 4))
    X = (centres_true[rng.integers(0, 6, 150_000)] + rng.normal(size=(150_000, 4))).astype(dtype)
    init = X[rng.choice(len(X), 6, replace=False)].astype(np.float64)
    reference = KMeans(6, init=init, n_init=1, max_iter=5, tol=0.0, algorithm="lloyd").fit(X)
    centres = init
    for _ in range(int(reference.n_iter_)):
        sums, counts, _ = combine(partial_sums(X[a : a + 50_000], centres) for a in range(0, len(X), 50_000))
        centres = update_centres(sums, counts, centres)
    np.testing.assert_allclose(centres, reference.cluster_centers_, rtol=1e-3, atol=1e-3)
    labels, _ = assign(X, centres)
    assert adjusted_rand(labels, reference.labels_) == pytest.approx(1.0)
