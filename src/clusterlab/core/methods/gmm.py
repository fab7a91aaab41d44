"""Gaussian mixture: elliptical clusters of any shape, size and direction, with membership probabilities.

scikit-learn's ``GaussianMixture``. The covariance type is chosen from the data (setting
``covariance``, default "auto"): at the given k, one fit of each of "full", "diag", "tied" and
"spherical" on at most :data:`COVARIANCE_ROWS` seeded rows, and the type with the lowest BIC wins
(BIC charges each type for its parameters, so "full" wins only when elongated or tilted groups pay
for them). The chosen type is then fitted on every row with ``n_init`` starts.

A row's probability is its membership of the cluster it is assigned to (the largest of its
memberships). Below :data:`CLEAR_PROBABILITY` the row is more likely outside its cluster than in it:
it has no clear home, and the outputs flag it.

EM costs many passes over the rows, and the search for k fits every k several times (restarts and
resampled fits: about a hundred fits), so k is searched on a seeded sample of :data:`SEARCH_ROWS`
rows; above :data:`MAX_ROWS` rows a fit is made on a seeded sample of that many and extended by
``predict``; the final fit then runs EM on every row from the sample's mixture (one start: the
sample's starts already chose it), as K-Means' final fit does. Every fit runs on one thread: EM's
matrix products are small, and on a busy machine BLAS threads wait for each other (a mixture of
2,000 rows, three starts: 3.6 s with two threads, 0.16 s with one, measured on this 2-core machine).
"""

from __future__ import annotations

import warnings
from typing import Any, ClassVar

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import GaussianMixture

from .contract import Fitted, Method, seeded_rows
from .threads import one_thread

__all__ = [
    "CLEAR_PROBABILITY",
    "COVARIANCE_ROWS",
    "COVARIANCE_TYPES",
    "MAX_ROWS",
    "SEARCH_ROWS",
    "SPURIOUS_STARTS",
    "MixtureFit",
    "MixtureMethod",
    "collapsed",
]

COVARIANCE_TYPES = ("full", "diag", "tied", "spherical")
MAX_ROWS = 20_000
SEARCH_ROWS = 5000  # rows k is searched on (docs/speed.md, "Other methods")
COVARIANCE_ROWS = 5000  # rows the covariance type is chosen on (BIC differences settle long before)
CLEAR_PROBABILITY = 0.5  # below this a row is more likely outside its cluster than in it
_REG = 1e-6  # scikit-learn's default covariance regularisation, kept in the state for predict
SPURIOUS_STARTS = 4  # starts tried beyond n_init when the best one is degenerate (see _fit)


class MixtureFit(Fitted):
    """Weights, means and covariances of the components; a row belongs to its most probable one."""

    method = "gmm"

    def __init__(self, model: GaussianMixture) -> None:
        self.model = model
        self.covariance_type = str(model.covariance_type)

    def predict(self, X: np.ndarray) -> np.ndarray:
        return np.asarray(self.model.predict(np.asarray(X, dtype=np.float64)), dtype=np.int64)

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        return np.asarray(self.model.predict_proba(np.asarray(X, dtype=np.float64)).max(axis=1))

    def state(self) -> dict[str, Any]:
        return {
            "covariance_type": self.covariance_type,
            "weights": self.model.weights_.tolist(),
            "means": self.model.means_.tolist(),
            "covariances": np.asarray(self.model.covariances_).tolist(),
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> MixtureFit:
        from sklearn.mixture._gaussian_mixture import _compute_precision_cholesky

        kind = str(state["covariance_type"])
        if kind not in COVARIANCE_TYPES:
            raise ValueError(f"unknown covariance type {kind!r}")
        weights = np.asarray(state["weights"], dtype=float)
        model = GaussianMixture(n_components=len(weights), covariance_type=kind)
        model.weights_ = weights
        model.means_ = np.asarray(state["means"], dtype=float)
        model.covariances_ = np.asarray(state["covariances"], dtype=float)
        model.precisions_cholesky_ = _compute_precision_cholesky(model.covariances_, kind)
        model.n_features_in_ = model.means_.shape[1]
        out = cls(model)
        out.centers = np.asarray(state["centers"], dtype=float)
        return out


class MixtureMethod(Method):
    name = "gmm"
    title = "Gaussian mixture"
    description = (
        "Gaussian mixture: elliptical clusters of any size, shape and direction, with each row's "
        "probability of belonging."
    )
    options = ("covariance",)
    max_rows = MAX_ROWS
    search_rows = SEARCH_ROWS
    fitted: ClassVar[type[Fitted]] = MixtureFit

    def __init__(self, covariance: str = "auto") -> None:
        self.covariance = covariance

    def fit_rows(self, X: np.ndarray, k: int | None, seed: int, n_init: int) -> Fitted:
        if k is None:
            raise ValueError("A Gaussian mixture needs k.")
        X = np.asarray(X, dtype=np.float64)
        with one_thread():
            kind = self.covariance if self.covariance != "auto" else choose_covariance(X, k, seed)
            return _finished(X, _fit(X, k, kind, seed, n_init))

    def fit_final(self, X: np.ndarray, k: int | None, seed: int, n_init: int, sample: np.ndarray) -> Fitted:
        """Above ``max_rows`` rows: the mixture of a seeded sample, then EM on every row from it."""
        if self.max_rows is None or len(X) <= self.max_rows:
            return self.fit_rows(X, k, seed, n_init)
        # The sample's mixture alone: labelling every row first (``fit``) would be thrown away.
        start = self.fit_rows(X[seeded_rows(len(X), self.max_rows, seed)], k, seed, n_init)
        assert isinstance(start, MixtureFit)
        first = start.model
        model = GaussianMixture(
            n_components=len(first.weights_),
            covariance_type=first.covariance_type,
            weights_init=first.weights_,
            means_init=first.means_,
            precisions_init=first.precisions_,
            random_state=seed,
            reg_covar=_REG,
        )
        with warnings.catch_warnings(), one_thread():
            warnings.simplefilter("ignore", ConvergenceWarning)
            model.fit(np.asarray(X, dtype=np.float64))
            return _finished(np.asarray(X, dtype=np.float64), model)

    def for_resamples(self, fitted: Fitted) -> Method:
        """The covariance type this k's fit chose, kept for the resampled fits: they measure how
        reproducible the partition is, and choosing the type again on every half cost four more
        fits each (60% of the sweep)."""
        if self.covariance != "auto" or not isinstance(fitted, MixtureFit):
            return self
        return MixtureMethod(covariance=fitted.covariance_type)

    def final_fit_words(self, n_rows: int) -> str:
        if self.max_rows is None or n_rows <= self.max_rows:
            return "uses every row"
        return f"starts from a seeded sample of {self.max_rows:,} rows and runs on every row"


def _finished(X: np.ndarray, model: GaussianMixture) -> MixtureFit:
    """The fit's labels, centres, examples and probabilities, without components no row is in."""
    model = _without_empty(model, np.bincount(model.predict(X), minlength=len(model.weights_)))
    fitted = MixtureFit(model)
    fitted.finish(X, model.predict(X))
    fitted.probabilities = fitted.predict_proba(X)
    fitted.n_iter = int(model.n_iter_)
    return fitted


def choose_covariance(X: np.ndarray, k: int, seed: int) -> str:
    """The covariance type with the lowest BIC at ``k`` (one start each, on a seeded sample)."""
    rows = X if len(X) <= COVARIANCE_ROWS else X[seeded_rows(len(X), COVARIANCE_ROWS, seed)]
    scores = {kind: _fit(rows, k, kind, seed, 1).bic(rows) for kind in COVARIANCE_TYPES}
    return min(COVARIANCE_TYPES, key=lambda kind: scores[kind])


def _fit(X: np.ndarray, k: int, kind: str, seed: int, n_init: int) -> GaussianMixture:
    """The best of ``n_init`` starts, unless it is degenerate (:func:`collapsed`): then the best of
    ``n_init`` further starts that are not, out of at most ``n_init + SPURIOUS_STARTS`` tried one by
    one (else the degenerate one after all).

    On one value of a discrete column (a yes/no, a category's level, a count) a component's spread
    in that direction falls to the covariance floor and the likelihood grows without limit, so the
    best likelihood is the wrong test there: such a start describes combinations of values, not
    groups (a spurious maximiser, in McLachlan and Peel's words). Two noisy moons beside a yes/no
    and a colour: the best of 10 starts put its 6 components on the 6 combinations of the two
    columns (ARI with the moons 0.01), where other starts follow the moons.
    """
    model = _em(X, k, kind, seed, n_init)
    if not collapsed(model, X):
        return model
    sound: list[GaussianMixture] = []
    for i in range(n_init + SPURIOUS_STARTS):  # one start at a time, until n_init are sound
        start = _em(X, k, kind, seed + 1 + i, 1)
        if not collapsed(start, X):
            sound.append(start)
            if len(sound) == n_init:
                break
    return max(sound, key=lambda start: float(start.lower_bound_)) if sound else model


def _em(X: np.ndarray, k: int, kind: str, seed: int, n_init: int) -> GaussianMixture:
    model = GaussianMixture(
        n_components=k, covariance_type=kind, n_init=n_init, random_state=seed, reg_covar=_REG
    )
    with warnings.catch_warnings():
        # A start that has not converged in 100 EM steps is still a usable mixture; the best start wins.
        warnings.simplefilter("ignore", ConvergenceWarning)
        return model.fit(X)


def collapsed(model: GaussianMixture, X: np.ndarray) -> bool:
    """Whether some component's spread in some direction is down to the covariance floor (twice
    ``reg_covar``, which EM adds to every variance) where the rows ``X`` themselves spread: it sits
    on one value of a discrete column. Directions in which no row varies (a category's one-hot
    columns always sum to one) squeeze every component alike and say nothing about one of them.

    >>> rng = np.random.default_rng(0)
    >>> cloud = rng.normal(size=(60, 2))
    >>> on_a_value = np.c_[rng.normal(5, 1, size=60), np.full(60, 5.0)]  # the second column one value
    >>> X = np.r_[cloud, on_a_value]
    >>> collapsed(_em(X, 2, "full", 0, 1), X), collapsed(_em(cloud, 2, "full", 0, 1), cloud)
    (True, False)
    >>> flat = np.c_[cloud, 1.0 - cloud[:, 0]]  # the rows do not vary along the first + third column
    >>> collapsed(_em(flat, 2, "full", 0, 1), flat)
    False
    """
    floor = 2.0 * float(model.reg_covar)
    spread = np.cov(np.asarray(X, dtype=float), rowvar=False).reshape(X.shape[1], X.shape[1])
    for values, axes in (np.linalg.eigh(c) for c in _full_covariances(model)):
        squeezed = axes[:, values <= floor]
        if squeezed.size and np.any(np.einsum("ij,ik,kj->j", squeezed, spread, squeezed) > 2.0 * floor):
            return True
    return False


def _full_covariances(model: GaussianMixture) -> np.ndarray:
    """Every component's covariance as a full matrix, whatever the covariance type."""
    covariances = np.asarray(model.covariances_, dtype=float)
    d = model.means_.shape[1]
    if model.covariance_type == "full":
        return covariances
    if model.covariance_type == "tied":
        return covariances[None, :, :]
    if model.covariance_type == "diag":
        return np.stack([np.diag(c) for c in covariances])
    return covariances[:, None, None] * np.eye(d)[None, :, :]  # spherical


def _without_empty(model: GaussianMixture, counts: np.ndarray) -> GaussianMixture:
    """The mixture without components no row is assigned to (a cluster needs members); the rows'
    assignments do not change, as no row's most probable component is dropped."""
    keep = counts > 0
    if keep.all():
        return model
    model.weights_ = model.weights_[keep] / model.weights_[keep].sum()
    model.means_ = model.means_[keep]
    if model.covariance_type != "tied":
        model.covariances_ = model.covariances_[keep]
        model.precisions_cholesky_ = model.precisions_cholesky_[keep]
        model.precisions_ = model.precisions_[keep]
    model.n_components = int(keep.sum())
    return model
