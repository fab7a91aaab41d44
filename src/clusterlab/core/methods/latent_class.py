"""Latent class model: groups carried by the category columns, each its own shares of every level.

A finite mixture in which, within a cluster, the columns are independent: every category and
yes/no column follows the cluster's own shares of its levels, every number column a normal curve
with the cluster's own mean and spread (the latent class / latent profile model of survey research,
Lazarsfeld 1950; Vermunt & Magidson 2002). Fitted by EM from ``n_init`` starts, the first from
K-Means' clusters and the others random, the best likelihood kept; a class that no row is most
likely in is dropped. It is the model for groups that live in the categories: K-Means measures a category
as distances between one-hot corners, where every boundary between levels looks like a gap, while
this model asks only how often each level occurs in each group. A row's probability is its
membership of the cluster it is assigned to.

The method reads the levels back from the matrix: it is told which encoded columns make each user
column (:meth:`LatentClassMethod.with_encoding`) and, when PCA reduced the matrix, the map back to
the encoded columns. A category's present level is its only column above the column's mean (a
scaled one-hot column is positive for its level and negative elsewhere); a yes/no column's level is
its sign. Numbers, ordinals and text components are normal curves, so their scale does not matter:
the model learns each column's relevance itself (a column unrelated to the groups gets the same
curve in every cluster and moves no row).

EM passes over every row many times, so above :data:`MAX_ROWS` rows the fit is made on a seeded
sample and extended by ``predict``, and k is searched on :data:`SEARCH_ROWS` rows.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from .contract import Fitted, Method
from .encoding import Encoding
from .gower import GowerColumn

__all__ = ["MAX_ROWS", "SEARCH_ROWS", "LatentClassFit", "LatentClassMethod", "bic"]

MAX_ROWS = 20_000
SEARCH_ROWS = 5000
MAX_ITER = 300
TOL = 1e-5  # stop when the log-likelihood per row improves by less than this
SMOOTH = 0.01  # pseudo-count per level: a level never seen in a cluster is rare there, not impossible
VAR_FLOOR = 1e-3  # a number's spread in a cluster, at least this share of its spread over all rows


class LatentClassFit(Fitted):
    """Class sizes, each class's shares of every discrete column's levels and its mean and spread of
    every number; a row belongs to its most probable class."""

    method = "latentclass"

    def __init__(
        self,
        encoding: Encoding,
        priors: np.ndarray,
        shares: list[np.ndarray],
        means: np.ndarray,
        variances: np.ndarray,
    ) -> None:
        self.encoding = encoding
        self.priors = np.asarray(priors, dtype=np.float64)  # k
        self.shares = [np.asarray(s, dtype=np.float64) for s in shares]  # per column: levels x k
        self.means = np.asarray(means, dtype=np.float64)  # numbers x k
        self.variances = np.asarray(variances, dtype=np.float64)  # numbers x k
        self.log_likelihood = float("nan")

    def posteriors(self, X: np.ndarray) -> tuple[np.ndarray, float]:
        """Each row's class memberships and the log-likelihood of the rows."""
        codes, numbers = self.encoding.read(X)
        return _e_step(_one_hot(codes, self.encoding.levels(), len(numbers)), numbers, self)

    def predict(self, X: np.ndarray) -> np.ndarray:
        return np.asarray(self.posteriors(X)[0].argmax(axis=1), dtype=np.int64)

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        return np.asarray(self.posteriors(X)[0].max(axis=1))

    def keeping(self, kept: np.ndarray) -> LatentClassFit:
        """This fit with only the classes ``kept``. Dropping a class no row is most likely in (rows
        all alike leave classes with nothing to hold) changes no row's most likely class."""
        fitted = LatentClassFit(
            self.encoding,
            self.priors[kept] / self.priors[kept].sum(),
            [share[:, kept] for share in self.shares],
            self.means[:, kept],
            self.variances[:, kept],
        )
        fitted.log_likelihood = self.log_likelihood
        fitted.n_iter = self.n_iter
        return fitted

    def n_parameters(self) -> int:
        k = len(self.priors)
        return (k - 1) + k * sum(len(s) - 1 for s in self.shares) + 2 * k * self.means.shape[0]

    def state(self) -> dict[str, Any]:
        return {
            "encoding": self.encoding.to_state(),
            "priors": self.priors.tolist(),
            "shares": [s.tolist() for s in self.shares],
            "means": self.means.tolist(),
            "variances": self.variances.tolist(),
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> LatentClassFit:
        k = len(state["priors"])
        means = np.asarray(state["means"], dtype=np.float64).reshape(-1, k)
        variances = np.asarray(state["variances"], dtype=np.float64).reshape(-1, k)
        fitted = cls(
            Encoding.from_state(state["encoding"]),
            np.asarray(state["priors"]),
            [np.asarray(s) for s in state["shares"]],
            means,
            variances,
        )
        fitted.centers = np.asarray(state["centers"], dtype=np.float64)
        return fitted


def bic(fitted: LatentClassFit, n_rows: int) -> float:
    """Schwarz's criterion of a fit on ``n_rows`` rows: lower is better."""
    return -2.0 * fitted.log_likelihood + fitted.n_parameters() * np.log(n_rows)


class LatentClassMethod(Method):
    name = "latentclass"
    title = "Latent class model"
    description = (
        "Latent class model: groups that live in the category columns, each with its own shares of "
        "every category's levels and its own mean of every number; each row with a membership "
        "probability."
    )
    max_rows = MAX_ROWS
    search_rows = SEARCH_ROWS
    fitted: ClassVar[type[Fitted]] = LatentClassFit

    def __init__(self) -> None:
        self.encoding: Encoding | None = None

    def with_encoding(self, encoding: Encoding | None) -> Method:
        made = LatentClassMethod()
        made.encoding = encoding
        return made

    def fit_rows(self, X: np.ndarray, k: int | None, seed: int, n_init: int) -> Fitted:
        if k is None:
            raise ValueError("A latent class model needs k.")
        X = np.asarray(X, dtype=np.float64)
        encoding = self.encoding or Encoding(
            [GowerColumn(f"x{i}", "number", i, i + 1) for i in range(X.shape[1])]
        )
        codes, numbers = encoding.read(X)
        levels = encoding.levels()
        best: LatentClassFit | None = None
        for start in range(max(n_init, 1)):
            # The first start from K-Means' clusters of the matrix (random soft memberships put every
            # class at the overall mean, where normal curves settle in poor optima), the others random.
            first = _kmeans_start(X, k, seed) if start == 0 else None
            fitted = _em(codes, levels, numbers, k, np.random.default_rng([seed, start]), encoding, first)
            if best is None or fitted.log_likelihood > best.log_likelihood:
                best = fitted
        assert best is not None
        memberships, _ = best.posteriors(X)
        kept = np.unique(memberships.argmax(axis=1))
        if len(kept) < k:  # every class left has rows, and a centre
            best = best.keeping(kept)
            memberships, _ = best.posteriors(X)
        best.finish(X, memberships.argmax(axis=1))
        best.probabilities = memberships.max(axis=1)
        return best


def _one_hot(codes: list[np.ndarray], levels: list[int], n: int) -> np.ndarray:
    """Every discrete column's levels as 0/1 columns side by side (n x the sum of the levels)."""
    out = np.zeros((n, sum(levels)))
    start = 0
    for code, count in zip(codes, levels, strict=True):
        out[np.arange(n), start + np.minimum(code, count - 1)] = 1.0
        start += count
    return out


def _kmeans_start(X: np.ndarray, k: int, seed: int) -> np.ndarray:
    """Memberships from one K-Means fit of ``X``: 0.9 in a row's cluster, the rest shared."""
    import warnings

    from sklearn.cluster import KMeans
    from sklearn.exceptions import ConvergenceWarning

    with warnings.catch_warnings():  # rows all alike: fewer distinct clusters than k, EM copes
        warnings.simplefilter("ignore", ConvergenceWarning)
        labels = KMeans(k, n_init=1, random_state=seed).fit_predict(X)
    return np.eye(k)[labels] * 0.9 + 0.1 / k


def _em(
    codes: list[np.ndarray],
    levels: list[int],
    numbers: np.ndarray,
    k: int,
    rng: np.random.Generator,
    encoding: Encoding,
    start: np.ndarray | None = None,
) -> LatentClassFit:
    n = len(numbers)
    onehot = _one_hot(codes, levels, n)
    spread = numbers.var(axis=0) if numbers.shape[1] else np.zeros(0)
    floor = np.maximum(spread * VAR_FLOOR, 1e-12)
    # Random soft memberships unless given: every class starts with every row.
    R = rng.dirichlet(np.ones(k), size=n) if start is None else start
    last = -np.inf
    for iteration in range(1, MAX_ITER + 1):
        fitted = _m_step(R, onehot, levels, numbers, floor, encoding)
        R, log_likelihood = _e_step(onehot, numbers, fitted)
        fitted.log_likelihood = log_likelihood
        fitted.n_iter = iteration
        if log_likelihood - last < TOL * n:
            break
        last = log_likelihood
    return fitted


def _m_step(
    R: np.ndarray,
    onehot: np.ndarray,
    levels: list[int],
    numbers: np.ndarray,
    floor: np.ndarray,
    encoding: Encoding,
) -> LatentClassFit:
    weight = R.sum(axis=0)  # k
    priors = (weight + 1e-10) / (weight.sum() + 1e-10 * len(weight))
    counts = onehot.T @ R  # levels x k
    shares, start = [], 0
    for count in levels:
        shares.append((counts[start : start + count] + SMOOTH) / (weight + SMOOTH * count))
        start += count
    safe = np.maximum(weight, 1e-10)
    means = (numbers.T @ R) / safe
    variances = np.maximum(((numbers**2).T @ R) / safe - means**2, floor[:, None])
    return LatentClassFit(encoding, priors, shares, means, variances)


def _e_step(onehot: np.ndarray, numbers: np.ndarray, fitted: LatentClassFit) -> tuple[np.ndarray, float]:
    log_shares = np.log(np.vstack(fitted.shares)) if fitted.shares else np.zeros((0, len(fitted.priors)))
    return _memberships(onehot @ log_shares, numbers, fitted.priors, fitted.means, fitted.variances)


def _memberships(
    log_p: np.ndarray, numbers: np.ndarray, priors: np.ndarray, means: np.ndarray, variances: np.ndarray
) -> tuple[np.ndarray, float]:
    """Each row's class memberships from the log-likelihood of its discrete columns per class
    (``log_p``, n x k) plus its numbers' normal curves and the class sizes; and the total log-likelihood."""
    log_p = log_p + np.log(priors)
    if numbers.shape[1]:
        precision = 1.0 / variances  # numbers x k
        log_p -= 0.5 * (
            (numbers**2) @ precision
            - 2.0 * numbers @ (means * precision)
            + (means**2 * precision).sum(axis=0)
            + np.log(2.0 * np.pi * variances).sum(axis=0)
        )
    top = log_p.max(axis=1, keepdims=True)
    memberships = np.exp(log_p - top)
    total = memberships.sum(axis=1, keepdims=True)
    memberships /= total
    return memberships, float((top[:, 0] + np.log(total[:, 0])).sum())
