"""The contract every clustering method keeps: a :class:`Method` fits, a :class:`Fitted` answers.

A method is a class with facts (``name``, ``title``, ``description``, ``needs_k``, ``quadratic``: its
cost grows with the square of the rows, ``max_rows``: above that many rows it is fitted on a
seeded sample and extended to every row by its own ``predict``, and ``search_rows``: how many rows
the search for k needs) and one verb, :meth:`Method.fit`. Its options (``linkage``,
``min_cluster_size``) are settings of the same names, listed in ``options`` and passed to
``__init__``: the settings table stays the one place they are described.

What a fit returns, :class:`Fitted`, is the same for every method:

* ``labels``: 0..k-1 per row in the method's own numbering, -1 for noise (rows with no cluster);
* ``centers`` (k x d): the mean of each cluster's members, or its medoid;
* ``representatives``: one row index per cluster (the medoid, or the member nearest the centre);
* ``probabilities``: each row's membership of its assigned cluster, or None;
* ``within``: the sum of squared distances of members to their centre (inertia, for the criteria);
* :meth:`Fitted.predict` for new rows, and :meth:`Fitted.to_state` / :func:`fitted_from_state`:
  plain JSON (no pickle) enough to predict after loading model.json.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import Any, ClassVar

import numpy as np

from .encoding import Encoding
from .gower import GowerColumn
from .threads import one_thread

__all__ = [
    "NOISE",
    "Fitted",
    "Method",
    "centers_of",
    "nearest",
    "representatives_of",
    "seeded_rows",
    "within_of",
]

NOISE = -1  # the label of a row no cluster claims (density methods)
_CHUNK = 20_000  # rows per block of a distance computation, so blocks stay a few tens of MB


class Fitted(ABC):
    """A fitted clustering of ``n`` rows (see the module docstring for each attribute)."""

    method: ClassVar[str]
    labels: np.ndarray
    centers: np.ndarray
    representatives: np.ndarray
    probabilities: np.ndarray | None = None
    within: float = float("nan")
    n_iter: int = 0

    @property
    def k(self) -> int:
        """Number of clusters (noise is not one)."""
        return len(self.centers)

    @abstractmethod
    def predict(self, X: np.ndarray) -> np.ndarray:
        """Labels 0..k-1 (or -1, noise) for rows in the space the method was fitted in."""

    def predict_proba(self, X: np.ndarray) -> np.ndarray | None:
        """Membership of each row's assigned cluster (None when the method has no probabilities)."""
        return None

    @abstractmethod
    def state(self) -> dict[str, Any]:
        """The method's own JSON-able state; :meth:`to_state` adds what every method keeps."""

    @classmethod
    @abstractmethod
    def from_state(cls, state: dict[str, Any]) -> Fitted:
        """Rebuild (enough to predict) from :meth:`to_state`'s output."""

    def to_state(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "centers": np.asarray(self.centers, dtype=float).tolist(),
            **self.state(),
        }

    def finish(self, X: np.ndarray, labels: np.ndarray, centers: np.ndarray | None = None) -> None:
        """Set ``labels``, ``centers`` (members' means unless given), ``representatives`` and
        ``within`` from the rows the labels belong to; the methods call it at the end of a fit."""
        self.labels = np.asarray(labels, dtype=np.int64)
        k = int(self.labels.max()) + 1 if (self.labels >= 0).any() else 0
        self.centers = centers_of(X, self.labels, k) if centers is None else np.asarray(centers, dtype=float)
        self.representatives = representatives_of(X, self.labels, self.centers)
        self.within = within_of(X, self.labels, self.centers)

    def extended(self, X: np.ndarray, rows: np.ndarray) -> Fitted:
        """This fit, made on ``X[rows]``, extended to every row of ``X`` by :meth:`predict`:
        labels, probabilities and within for all rows; representatives as rows of ``X``. The rows
        of the sample keep the labels the fit gave them (predict agrees on them for every method)."""
        labels = np.asarray(self.predict(X), dtype=np.int64)
        labels[rows] = self.labels
        probabilities = self.predict_proba(X)
        if probabilities is not None and self.probabilities is not None:
            probabilities[rows] = self.probabilities
        self.representatives = np.asarray(rows)[self.representatives]
        self.labels = labels
        self.probabilities = probabilities
        self.within = within_of(X, labels, self.centers)
        return self


class Method(ABC):
    """A clustering method: its facts and its :meth:`fit`. Instances are picklable (plain options),
    so a process pool or Dask can ship them to the sweep's jobs."""

    name: ClassVar[str]
    title: ClassVar[str]  # for people: "K-Means", "Gaussian mixture"
    description: ClassVar[str]  # one line for users
    needs_k: ClassVar[bool] = True
    quadratic: ClassVar[bool] = False  # time or memory grow with the square of the rows
    # Above this many rows the method is fitted on a seeded sample and extended by its predict
    # (quadratic methods, and any method too slow to sweep on every row); None: every row.
    max_rows: ClassVar[int | None] = None
    # Rows the search for k fits on (every k's fit, restarts and resampled fits: about a hundred fits
    # in all); on a larger table k is chosen on a seeded sample of this many, and the final fit still
    # covers every row. None: the estimator's own bound (K-Means, cheap enough to search on 200,000).
    search_rows: ClassVar[int | None] = None
    options: ClassVar[tuple[str, ...]] = ()  # settings this method reads, passed to __init__
    fitted: ClassVar[type[Fitted]]

    @abstractmethod
    def fit_rows(self, X: np.ndarray, k: int | None, seed: int, n_init: int) -> Fitted:
        """Fit on every row of ``X`` (the caller keeps ``X`` within ``max_rows``)."""

    def fit(self, X: np.ndarray, k: int | None, seed: int, n_init: int = 1) -> Fitted:
        """Fit ``X`` with ``k`` clusters (None: the method finds k) reproducibly from ``seed``,
        keeping the best of ``n_init`` starts where the method has starts. Above ``max_rows`` rows
        the fit is made on a seeded sample and extended to every row by ``predict``."""
        if self.max_rows is not None and len(X) > self.max_rows:
            rows = seeded_rows(len(X), self.max_rows, seed)
            return self.fit_rows(X[rows], k, seed, n_init).extended(X, rows)
        return self.fit_rows(X, k, seed, n_init)

    def fit_final(self, X: np.ndarray, k: int | None, seed: int, n_init: int, sample: np.ndarray) -> Fitted:
        """The final fit on every row, given the rows k was chosen on (``sample``, ``X`` itself
        on smaller tables); a method may use it to start from (K-Means does)."""
        return self.fit(X, k, seed, n_init)

    def with_columns(self, columns: Sequence[GowerColumn] | None) -> Method:
        """This method told which encoded columns make each user column (None: the matrix was
        reduced, the columns are mixed). Most methods measure the matrix as it is and ignore it;
        K-Medoids' Gower distance needs it."""
        return self

    def with_encoding(self, encoding: Encoding | None) -> Method:
        """This method told where each user column is in the matrix, even through PCA
        (:class:`.encoding.Encoding`). Most methods measure the matrix as it is and ignore it; the
        latent class model reads each column's levels back with it."""
        return self

    def with_shape(self, shape: np.ndarray | None) -> Method:
        """This method told the linear map from the matrix to the columns where shapes live (the
        numbers', on a table that also has categories; None: the whole matrix). Most methods
        measure the whole matrix and ignore it; HDBSCAN measures density there."""
        return self

    def measured(self, X: np.ndarray) -> np.ndarray:
        """``X`` where this method measures rows: as it is, unless the method was given a shape
        (:meth:`with_shape`) it measures in."""
        return X

    def distances(self, X: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """The distances between the ``rows`` of ``X`` as this method measures rows (float32, zero
        diagonal): the sweep's silhouette judges each method's clusters by them. Euclidean in the
        matrix, unless the method measures otherwise (K-Medoids by Gower's distance)."""
        from .pairwise import sample_distances

        return sample_distances(X[rows])

    def for_resamples(self, fitted: Fitted) -> Method:
        """The method the stability check refits resampled rows with, given this k's fit: itself,
        or one with the choices the fit made fixed (a mixture's covariance type)."""
        return self

    def final_fit_words(self, n_rows: int) -> str:
        """How the final fit covers ``n_rows`` rows, completing "the final K-Means fit ..." in the
        note that says k was chosen on a sample."""
        if self.max_rows is None or n_rows <= self.max_rows:
            return "uses every row"
        return f"is made on a seeded sample of {self.max_rows:,} rows and extended to every row"

    def settings(self) -> dict[str, Any]:
        """The options this instance was made with, by setting name."""
        return {name: getattr(self, name) for name in self.options}


def seeded_rows(n: int, size: int, seed: int) -> np.ndarray:
    """``size`` of ``n`` row positions drawn with ``seed``, in input order."""
    return np.sort(np.random.default_rng([seed, n]).choice(n, size, replace=False))


def centers_of(X: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
    """Mean of each cluster's members (noise left out); a cluster without members gets NaN."""
    kept = labels >= 0
    sums = np.zeros((k, X.shape[1]))
    np.add.at(sums, labels[kept], X[kept])
    counts = np.bincount(labels[kept], minlength=k).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return sums / counts[:, None]


def within_of(X: np.ndarray, labels: np.ndarray, centers: np.ndarray) -> float:
    """Sum of squared distances of members to their cluster's centre (noise left out)."""
    kept = labels >= 0
    total = 0.0
    for start in range(0, len(X), _CHUNK):
        part, own = X[start : start + _CHUNK], labels[start : start + _CHUNK]
        mask = kept[start : start + _CHUNK]
        diff = part[mask] - centers[own[mask]]
        total += float(np.einsum("ij,ij->", diff, diff))
    return total


def representatives_of(X: np.ndarray, labels: np.ndarray, centers: np.ndarray) -> np.ndarray:
    """Per cluster, the member row nearest its centre (the first such row on ties; -1 for a cluster
    without members). One pass over the rows, so it costs little beside any fit."""
    out = np.full(len(centers), -1, dtype=np.int64)
    kept = np.flatnonzero(labels >= 0)
    if len(kept) == 0:
        return out
    own = labels[kept]
    distance = np.empty(len(kept))
    for start in range(0, len(kept), _CHUNK):
        rows = kept[start : start + _CHUNK]
        diff = X[rows] - centers[own[start : start + _CHUNK]]
        distance[start : start + _CHUNK] = np.einsum("ij,ij->i", diff, diff)
    best = np.full(len(centers), np.inf)
    np.minimum.at(best, own, distance)
    hits = np.flatnonzero(distance == best[own])[::-1]  # reversed: the first hit is written last
    out[own[hits]] = kept[hits]
    return out


def nearest(X: np.ndarray, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each row of ``X``, the index of the nearest of ``points`` and the squared distance."""
    X = np.asarray(X, dtype=np.float64)
    points = np.asarray(points, dtype=np.float64)
    index = np.empty(len(X), dtype=np.int64)
    dist = np.empty(len(X))
    p2 = np.einsum("ij,ij->i", points, points)
    # Blocks of at most 2,000,000 distances (16 MB): they stay in cache, where larger ones were
    # memory-bound (100,000 rows to 5,000 points: 5.4 s in blocks of 80 MB, 1.6 s in these). The
    # row's own squared length does not change which point is nearest: it is added for that one only.
    block = max(1, min(_CHUNK, 2_000_000 // max(len(points), 1)))
    with one_thread():  # small products: BLAS threads only wait for each other on a busy machine
        for start in range(0, len(X), block):
            part = X[start : start + block]
            d = part @ points.T
            d *= -2.0
            d += p2
            chosen = d.argmin(axis=1)
            diff = part - points[chosen]
            index[start : start + block] = chosen
            dist[start : start + block] = np.einsum("ij,ij->i", diff, diff)
    return index, dist
