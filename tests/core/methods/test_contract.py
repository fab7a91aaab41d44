"""The method contract, checked on every registered method, and the registry."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score
from tests.conftest import make_blob_table

from clusterlab.core import SettingsError
from clusterlab.core.methods import (
    METHODS,
    NOISE,
    Fitted,
    Method,
    fitted_from_state,
    get_method,
    make_method,
    register_method,
)
from clusterlab.core.methods.contract import centers_of, nearest, representatives_of, within_of
from clusterlab.core.methods.kmeans import KMeansFit, KMeansMethod


@pytest.fixture
def blobs() -> tuple[np.ndarray, np.ndarray]:
    frame, truth = make_blob_table((60, 40, 30), centres=3, n_features=3, cluster_std=0.6, shuffle=True)
    return frame.to_numpy(), truth


@pytest.mark.parametrize("name", sorted(METHODS))
def test_every_method_keeps_the_contract(name: str, blobs: tuple[np.ndarray, np.ndarray]) -> None:
    X, truth = blobs
    method = make_method(name)
    fitted = method.fit(X, 3 if method.needs_k else None, seed=7, n_init=2)
    assert fitted.labels.shape == (len(X),)
    assert set(np.unique(fitted.labels)) <= {NOISE, *range(fitted.k)}
    assert fitted.centers.shape == (fitted.k, X.shape[1])
    # Each cluster's example row is one of its members.
    assert fitted.representatives.shape == (fitted.k,)
    assert (fitted.labels[fitted.representatives] == np.arange(fitted.k)).all()
    kept = fitted.labels >= 0
    expected = ((X[kept] - fitted.centers[fitted.labels[kept]]) ** 2).sum()
    assert fitted.within == pytest.approx(expected, rel=1e-6)
    if fitted.probabilities is not None:
        assert fitted.probabilities.shape == (len(X),)
        assert ((fitted.probabilities >= 0) & (fitted.probabilities <= 1 + 1e-9)).all()
    assert adjusted_rand_score(truth, fitted.labels) >= 0.95
    assert method.description.endswith(".")


@pytest.mark.parametrize("name", sorted(METHODS))
def test_state_is_plain_json_and_predicts_the_training_labels(
    name: str, blobs: tuple[np.ndarray, np.ndarray]
) -> None:
    X, _ = blobs
    method = make_method(name)
    fitted = method.fit(X, 3 if method.needs_k else None, seed=7, n_init=2)
    assert np.array_equal(fitted.predict(X), fitted.labels)
    state = json.loads(json.dumps(fitted.to_state(), allow_nan=False))
    loaded = fitted_from_state(state)
    assert type(loaded) is type(fitted)
    assert np.array_equal(loaded.predict(X), fitted.labels)


@pytest.mark.parametrize("name", sorted(METHODS))
def test_same_seed_same_labels(name: str, blobs: tuple[np.ndarray, np.ndarray]) -> None:
    X, _ = blobs
    method = make_method(name)
    k = 4 if method.needs_k else None  # 4 in 3 groups: the split depends on the seed, if anything
    first = method.fit(X, k, seed=3, n_init=1).labels
    assert np.array_equal(method.fit(X, k, seed=3, n_init=1).labels, first)


def test_hand_computed_centres_within_and_representatives() -> None:
    X = np.array([[0.0], [1.0], [10.0], [11.0], [12.0]])
    labels = np.array([0, 0, 1, 1, 1])
    centers = centers_of(X, labels, 2)
    assert centers.ravel().tolist() == [0.5, 11.0]
    assert within_of(X, labels, centers) == pytest.approx(0.25 + 0.25 + 1 + 0 + 1)
    # Cluster 0: a tie between rows 0 and 1, the first wins; cluster 1: row 3 is the centre itself.
    assert representatives_of(X, labels, centers).tolist() == [0, 3]
    # Noise rows are in no cluster: no centre, no within, never an example.
    noisy = np.array([0, 0, NOISE, 1, 1])
    assert centers_of(X, noisy, 2).ravel().tolist() == [0.5, 11.5]
    assert within_of(X, noisy, centers_of(X, noisy, 2)) == pytest.approx(0.25 * 4)
    assert nearest(np.array([[0.2], [10.9]]), centers)[0].tolist() == [0, 1]


def test_nearest_matches_every_distance_over_several_blocks(rng: np.random.Generator) -> None:
    # 45,000 rows to 3 points: three blocks of rows (at most 20,000 each).
    X, points = rng.normal(size=(45_000, 2)), np.array([[0.0, 0.0], [2.0, 0.0], [0.0, -3.0]])
    squared = ((X[:, None, :] - points[None, :, :]) ** 2).sum(axis=-1)
    index, distance = nearest(X, points)
    assert np.array_equal(index, squared.argmin(axis=1))
    assert np.allclose(distance, squared.min(axis=1))
    # A row on a point is at distance 0 exactly (the squared length is not subtracted out).
    assert nearest(points[[2, 0]], points)[1].tolist() == [0.0, 0.0]


def test_kmeans_is_scikit_learns_lloyd(blobs: tuple[np.ndarray, np.ndarray]) -> None:
    from sklearn.cluster import KMeans

    X, _ = blobs
    fitted = KMeansMethod().fit(X, 3, seed=5, n_init=4)
    reference = KMeans(3, init="k-means++", n_init=4, random_state=5, algorithm="lloyd").fit(X)
    assert np.array_equal(fitted.labels, reference.labels_)
    assert np.allclose(fitted.centers, reference.cluster_centers_)
    assert fitted.within == pytest.approx(reference.inertia_)


def test_kmeans_final_fit_starts_from_the_sample(blobs: tuple[np.ndarray, np.ndarray]) -> None:
    X, truth = blobs
    sample = X[::3]
    fitted = KMeansMethod().fit_final(X, 3, seed=5, n_init=4, sample=sample)
    assert fitted.labels.shape == (len(X),)
    assert adjusted_rand_score(truth, fitted.labels) == 1.0
    loaded = KMeansFit.from_state(fitted.to_state())
    assert np.array_equal(loaded.predict(X), fitted.labels)


class _EveryOther(Method):
    """A quadratic test double: clusters rows by the sign of their first column."""

    name = "sign"
    title = "Sign"
    description = "Rows by the sign of their first column."
    quadratic = True
    max_rows = 50

    def __init__(self) -> None:
        self.seen: list[int] = []

    class _Fit(Fitted):
        method = "sign"

        def predict(self, X: np.ndarray) -> np.ndarray:
            return (np.asarray(X)[:, 0] > 0).astype(np.int64)

        def state(self) -> dict[str, Any]:
            return {}

        @classmethod
        def from_state(cls, state: dict[str, Any]) -> Fitted:
            return cls()

    fitted = _Fit

    def fit_rows(self, X: np.ndarray, k: int | None, seed: int, n_init: int) -> Fitted:
        self.seen.append(len(X))
        out = self._Fit()
        out.finish(X, out.predict(X))
        return out


def test_a_quadratic_method_is_fitted_on_a_sample_and_extended(rng: np.random.Generator) -> None:
    X = rng.normal(size=(200, 2))
    method = _EveryOther()
    fitted = method.fit(X, 2, seed=1, n_init=1)
    assert method.seen == [50]
    assert method.quadratic
    assert np.array_equal(fitted.labels, (X[:, 0] > 0).astype(int))
    # Representatives are rows of the whole table, each a member of its cluster.
    assert (fitted.labels[fitted.representatives] == [0, 1]).all()
    assert fitted.within == pytest.approx(within_of(X, fitted.labels, fitted.centers))


def test_plug_ins_register_like_built_ins() -> None:
    try:
        register_method(_EveryOther)
        assert get_method("sign") is _EveryOther
        assert isinstance(make_method("sign"), _EveryOther)
    finally:
        METHODS.pop("sign", None)


def test_an_unknown_method_names_the_choices() -> None:
    with pytest.raises(SettingsError, match=r"method\}? must be one of kmeans.*; got 'kmean'"):
        get_method("kmean")
