"""Gaussian mixture: elongated groups, the covariance type from the data, probabilities."""

from __future__ import annotations

import json

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from clusterlab.core.methods import fitted_from_state
from clusterlab.core.methods.gmm import CLEAR_PROBABILITY, MixtureMethod, choose_covariance
from clusterlab.core.methods.kmeans import KMeansMethod


def test_recovers_elongated_groups_where_kmeans_cannot(elongated: tuple[np.ndarray, np.ndarray]) -> None:
    X, truth = elongated
    fitted = MixtureMethod().fit(X, 4, seed=0, n_init=3)
    assert adjusted_rand_score(truth, fitted.labels) >= 0.95
    assert adjusted_rand_score(truth, KMeansMethod().fit(X, 4, seed=0, n_init=3).labels) < 0.8


def test_the_covariance_type_follows_the_data(
    elongated: tuple[np.ndarray, np.ndarray], rng: np.random.Generator
) -> None:
    X, _ = elongated
    assert choose_covariance(X, 4, seed=0) == "full"  # tilted ellipses pay for full covariances
    round_groups = np.concatenate([rng.normal(c, 0.5, size=(200, 3)) for c in (0, 5, 10)])
    assert choose_covariance(round_groups, 3, seed=0) == "spherical"


def test_probabilities_are_memberships_and_survive_the_state(
    elongated: tuple[np.ndarray, np.ndarray],
) -> None:
    X, _ = elongated
    fitted = MixtureMethod().fit(X, 4, seed=0, n_init=1)
    assert fitted.probabilities is not None
    # Far from every boundary a row's membership is near 1; halfway between two means it is not.
    assert np.median(fitted.probabilities) > 0.99
    middle = (fitted.centers[0] + fitted.centers[1]) / 2
    assert fitted.predict_proba(middle[None, :])[0] < 1.0
    loaded = fitted_from_state(json.loads(json.dumps(fitted.to_state())))
    assert np.allclose(loaded.predict_proba(X), fitted.probabilities)
    assert 0.0 < CLEAR_PROBABILITY < 1.0


def test_a_given_covariance_type_is_used(elongated: tuple[np.ndarray, np.ndarray]) -> None:
    X, _ = elongated
    state = MixtureMethod(covariance="diag").fit(X, 4, seed=0, n_init=1).to_state()
    assert state["covariance_type"] == "diag"
    assert np.asarray(state["covariances"]).shape == (4, 2)


def test_above_the_row_limit_em_runs_on_every_row_from_the_samples_mixture(
    monkeypatch: pytest.MonkeyPatch, elongated: tuple[np.ndarray, np.ndarray]
) -> None:
    monkeypatch.setattr(MixtureMethod, "max_rows", 400)
    X, truth = elongated
    sampled = MixtureMethod().fit(X, 4, seed=0, n_init=10)
    final = MixtureMethod().fit_final(X, 4, seed=0, n_init=10, sample=X[:400])
    for fitted in (sampled, final):
        assert len(fitted.labels) == len(X)
        assert adjusted_rand_score(truth, fitted.labels) >= 0.95
        assert np.array_equal(fitted.predict(X), fitted.labels)


def test_the_sweeps_resampled_fits_keep_each_ks_covariance_type(
    monkeypatch: pytest.MonkeyPatch, elongated: tuple[np.ndarray, np.ndarray]
) -> None:
    from clusterlab.core.choose_k.sweep import sweep_k
    from clusterlab.core.methods import gmm

    chosen: list[int] = []

    def counted(X: np.ndarray, k: int, seed: int) -> str:
        chosen.append(k)
        return choose_covariance(X, k, seed)

    monkeypatch.setattr(gmm, "choose_covariance", counted)
    X, _ = elongated
    sweep = sweep_k(X, [3, 4], method=MixtureMethod(), n_init=1, resamples=4)
    # Once per k, by that k's fit; the 4 resampled fits per k reuse its type instead of choosing again.
    assert chosen == [3, 4]
    assert sweep.table["stability"].notna().all()
    assert sweep.fits[4].resample_with is not None
    assert sweep.fits[4].resample_with.settings() == {"covariance": choose_covariance(X, 4, seed=42)}
    # A method with no choice of its own refits as it is.
    kmeans = KMeansMethod()
    assert kmeans.for_resamples(kmeans.fit(X, 2, seed=0)) is kmeans


def test_a_start_sitting_on_the_values_of_discrete_columns_is_not_kept() -> None:
    # Two moons beside a yes/no and a three-level colour unrelated to them, encoded as they are
    # weighted (0.15). Each combination of the two columns is a plane where a component's
    # likelihood grows without limit: the best of 10 starts puts its 6 components there.
    from sklearn.datasets import make_moons

    from clusterlab.core.methods.gmm import _em, collapsed

    rng = np.random.default_rng(0)
    moons, moon = make_moons(n_samples=800, noise=0.08, random_state=0)
    member, colour = rng.integers(0, 2, 800), rng.integers(0, 3, 800)
    X = np.c_[(moons - moons.mean(0)) / moons.std(0), 0.15 * member, 0.15 * np.eye(3)[colour]]
    combinations = member * 3 + colour
    best_likelihood = _em(X, 6, "full", 0, 10)
    assert collapsed(best_likelihood, X)
    assert adjusted_rand_score(combinations, best_likelihood.predict(X)) > 0.5  # the trap is real
    fitted = MixtureMethod(covariance="full").fit(X, 6, seed=0, n_init=10)
    assert adjusted_rand_score(combinations, fitted.labels) < 0.05  # not the columns' combinations
    assert adjusted_rand_score(moon, fitted.labels) > 0.2  # pieces of the moons (a mixture's view)
    assert not collapsed(fitted.model, X)  # the one-hot columns' sum is flat for every component alike
