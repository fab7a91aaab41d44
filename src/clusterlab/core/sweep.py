"""The k sweep: fit the algorithm for every k in a range and score each fit with every criterion.

Fits are independent, so they can run on an ``concurrent.futures.Executor`` (a process pool, or a
Dask client's executor); by default they run here, where scikit-learn already uses every core.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .algorithms import get_algorithm
from .criteria import CRITERIA, FitRecord, SweepContext
from .progress import ProgressCallback, emit

__all__ = ["KSweep", "fit_one", "sweep_k"]


@dataclass
class KSweep:
    """Scores per k (``table``: one row per k, a column per criterion plus fit seconds) and the fits."""

    table: pd.DataFrame
    sample_size: int
    n_rows: int
    fits: dict[int, FitRecord] = field(default_factory=dict, repr=False)

    @property
    def ks(self) -> list[int]:
        return self.table["k"].astype(int).tolist()

    @property
    def silhouette_exact(self) -> bool:
        return self.sample_size >= self.n_rows


def fit_one(X: np.ndarray, k: int, seed: int, algorithm: str = "kmeans", n_init: int = 3) -> FitRecord:
    """Fit one k; a module-level function so process pools and Dask can ship it."""
    start = time.perf_counter()
    model = get_algorithm(algorithm).make(k, seed, n_init).fit(X)
    return FitRecord(
        k,
        np.asarray(model.labels_, dtype=np.int32),
        np.asarray(model.cluster_centers_),
        float(model.inertia_),
        int(model.n_iter_),
        time.perf_counter() - start,
    )


def sweep_k(
    X: np.ndarray,
    ks: Sequence[int],
    *,
    seed: int = 42,
    algorithm: str = "kmeans",
    n_init: int = 3,
    sample_size: int = 5000,
    executor: Executor | None = None,
    progress: ProgressCallback | None = None,
) -> KSweep:
    """Fit every k in ``ks`` and score each fit.

    Parameters
    ----------
    X : ndarray of shape (n_rows, n_features)
    ks : the k values to try (each at most the number of rows).
    sample_size : rows used for quadratic criteria (silhouette); all rows when there are fewer.
    executor : run the fits there instead of one after another here.

    Examples
    --------
    >>> X = np.r_[np.zeros((20, 2)), np.ones((20, 2)) * 10] + np.random.default_rng(0).normal(size=(40, 2))
    >>> sweep_k(X, [2, 3, 4]).table["silhouette"].idxmax()
    0
    """
    n = X.shape[0]
    rng = np.random.default_rng(seed)
    sample = np.arange(n) if n <= sample_size else np.sort(rng.choice(n, size=sample_size, replace=False))
    context = SweepContext(X, sample, seed)
    scored = [c for c in CRITERIA.values() if c.score is not None]
    rows, fits = [], {}
    total = len(ks)
    emit(progress, "sweep", f"trying k = {ks[0]}..{ks[-1]}", 0, total)
    if executor is None:
        results = (fit_one(X, k, seed, algorithm, n_init) for k in ks)
    else:
        futures = [executor.submit(fit_one, X, k, seed, algorithm, n_init) for k in ks]
        results = (f.result() for f in futures)
    for done, fit in enumerate(results, start=1):
        row = {
            "k": fit.k,
            **{c.name: c.score(context, fit) for c in scored},  # type: ignore[misc]
            "fit_seconds": round(fit.seconds, 4),
            "n_iter": fit.n_iter,
        }
        rows.append(row)
        fits[fit.k] = fit
        emit(
            progress,
            "sweep",
            f"k = {fit.k}: silhouette {row.get('silhouette', float('nan')):.3f}",
            done,
            total,
        )
    return KSweep(pd.DataFrame(rows), len(sample), n, fits)
