"""The limits lesson's data shows what the lesson says, with the methods it compares (ARI against the
groups each shape was drawn from)."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score as ari

from clusterlab.learn.methods import run_method
from clusterlab.learn.playground import shaped


def _score(shape: str, method: str, k: int, scale: bool = False) -> float:
    data = shaped(shape, seed=0)
    X = (data.X - data.X.mean(axis=0)) / data.X.std(axis=0) if scale else data.X
    return float(ari(data.truth, run_method(method, X, k, seed=0)))


def test_kmeans_cuts_across_stretched_groups_a_gaussian_mixture_follows_them() -> None:
    assert _score("stretched", "kmeans", 3) < 0.35
    assert _score("stretched", "gmm", 3) > 0.9


def test_density_finds_the_moons_kmeans_does_not() -> None:
    assert _score("moons", "kmeans", 2) < 0.5
    assert _score("moons", "hdbscan", 2) > 0.8


def test_medoids_resist_outliers_better_than_means() -> None:
    assert _score("outliers", "kmedoids", 3) > _score("outliers", "kmeans", 3) + 0.2


def test_unscaled_columns_hide_the_groups_and_scaling_brings_them_back() -> None:
    assert _score("scale", "kmeans", 2) < 0.1
    assert _score("scale", "kmeans", 2, scale=True) > 0.9


def test_hdbscan_leaves_the_far_rows_as_noise() -> None:
    data = shaped("outliers", seed=0)
    labels = run_method("hdbscan", data.X, 3)
    assert (labels[-6:] == -1).all()  # the six planted far rows
    assert np.linalg.norm(data.X[-6:] - data.X[:-6].mean(axis=0), axis=1).min() > 10


def test_an_unknown_method_names_the_choices() -> None:
    with pytest.raises(ValueError, match="Unknown method 'dbscan'; choose one of: kmeans, kmedoids"):
        run_method("dbscan", np.zeros((4, 2)), 2)


def test_matched_numbers_each_method_as_the_reference() -> None:
    from clusterlab.learn.methods import matched

    reference = np.array([0, 0, 1, 1, 2, 2])
    assert matched(np.array([2, 2, 0, 0, 1, 1]), reference).tolist() == reference.tolist()
    # A method with more clusters than the reference: the extra ones get the next numbers.
    assert matched(np.array([0, 0, 1, 1, 2, 3]), np.array([1, 1, 0, 0, 0, 0])).tolist() == [1, 1, 0, 0, 2, 3]
