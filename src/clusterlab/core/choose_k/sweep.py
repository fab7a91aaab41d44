"""The k sweep: fit the method for every k in a range and score each fit with every criterion.

Each k is one independent job (:func:`evaluate_k`: the fit, then every registered criterion,
including the resampled fits of the stability check), so jobs can run on a
``concurrent.futures.Executor`` (a process pool, or a Dask client's executor), each job then capped
at one OpenMP thread. Without one they run here, one after another, while scikit-learn's K-Means
spreads each fit over every core with OpenMP. A process pool must not use the "fork" start method
once K-Means has run in the parent: forking after OpenMP has started can hang the children (seen
here); use "spawn" or "forkserver".
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..methods import Method, make_method
from ..progress import ProgressCallback, emit
from .criteria import CRITERIA, FitRecord, SweepContext, one_openmp_thread

__all__ = ["KSweep", "evaluate_k", "fit_one", "sweep_k"]


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

    def extended(self, more: KSweep) -> KSweep:
        """This sweep plus the rows of ``more`` (new k values), sorted by k."""
        table = pd.concat([self.table, more.table], ignore_index=True)
        table = table.drop_duplicates("k", keep="last").sort_values("k").reset_index(drop=True)
        return KSweep(table, self.sample_size, self.n_rows, {**self.fits, **more.fits})


def fit_one(X: np.ndarray, k: int, seed: int, method: str | Method = "kmeans", n_init: int = 3) -> FitRecord:
    """Fit one k with ``method`` (a name or a :class:`Method`); a module-level function so process
    pools and Dask can ship it."""
    start = time.perf_counter()
    chosen = make_method(method)
    fitted = chosen.fit(X, k, seed, n_init)
    return FitRecord(
        k,
        np.asarray(fitted.labels, dtype=np.int32),
        np.asarray(fitted.centers),
        float(fitted.within),
        int(fitted.n_iter),
        time.perf_counter() - start,
        None if fitted.probabilities is None else np.asarray(fitted.probabilities),
        chosen.for_resamples(fitted),
    )


def evaluate_k(
    X: np.ndarray,
    sample: np.ndarray,
    k: int,
    seed: int,
    method: str | Method = "kmeans",
    n_init: int = 3,
    resamples: int = 10,
    one_thread: bool = False,
    cache: dict[str, Any] | None = None,
) -> tuple[FitRecord, dict[str, float]]:
    """Fit one k and score it with every registered criterion (one job of the sweep).

    ``one_thread`` caps OpenMP at one thread for the job: on an executor the jobs already run side by
    side, and K-Means' own threads on top would oversubscribe the cores (20x slower, measured).
    """
    if one_thread:
        with one_openmp_thread():
            return evaluate_k(X, sample, k, seed, method, n_init, resamples, cache=cache)
    fit = fit_one(X, k, seed, method, n_init)
    context = SweepContext(X, sample, seed, method, resamples, {} if cache is None else cache)
    scores = {c.name: c.score(context, fit) for c in CRITERIA.values() if c.score is not None}
    return fit, scores


def sweep_k(
    X: np.ndarray,
    ks: Sequence[int],
    *,
    seed: int = 42,
    method: str | Method = "kmeans",
    n_init: int = 3,
    sample_size: int = 5000,
    resamples: int = 10,
    executor: Executor | None = None,
    progress: ProgressCallback | None = None,
    done_before: int = 0,
    total: int | None = None,
    extends: int | None = None,
) -> KSweep:
    """Fit every k in ``ks`` and score each fit.

    Parameters
    ----------
    X : ndarray of shape (n_rows, n_features)
    ks : the k values to try (each at most the number of rows).
    sample_size : rows used for quadratic criteria (silhouette) and the valley test; all rows when fewer.
    resamples : resampled fits per k for the stability criterion (below 2 turns it off).
    executor : run the k jobs there (a process pool, a Dask executor) instead of one after another here.
    done_before, total : progress counts when this sweep extends an earlier one.
    extends : the top k of the range this sweep extends; its progress says the range grew past it.

    Examples
    --------
    >>> X = np.r_[np.zeros((20, 2)), np.ones((20, 2)) * 10] + np.random.default_rng(0).normal(size=(40, 2))
    >>> sweep_k(X, [2, 3, 4]).table["silhouette"].idxmax()
    0
    """
    n = X.shape[0]
    rng = np.random.default_rng(seed)
    sample = np.arange(n) if n <= sample_size else np.sort(rng.choice(n, size=sample_size, replace=False))
    rows, fits = [], {}
    total = total if total is not None else done_before + len(ks)
    # An extended range says so while it runs: the page promised k_min..k_max.
    beyond = f" (range extended past {extends}: the criteria still improved there)" if extends else ""
    emit(progress, "sweep", f"trying k = {ks[0]}..{ks[-1]}{beyond}", done_before, total)
    if executor is None:
        # Here, one k after another: every fit (resampled ones included) uses all cores via OpenMP.
        cache: dict[str, Any] = {}
        results = (evaluate_k(X, sample, k, seed, method, n_init, resamples, cache=cache) for k in ks)
    else:
        # On an executor the k jobs run side by side, each on one OpenMP thread.
        futures = [
            executor.submit(evaluate_k, X, sample, k, seed, method, n_init, resamples, True) for k in ks
        ]
        results = (f.result() for f in futures)
    for done, (fit, scores) in enumerate(results, start=done_before + 1):
        row = {"k": fit.k, **scores, "fit_seconds": round(fit.seconds, 4), "n_iter": fit.n_iter}
        rows.append(row)
        fits[fit.k] = fit
        emit(
            progress,
            "sweep",
            f"k = {fit.k}{beyond}: silhouette {row.get('silhouette', float('nan')):.2f}",
            done,
            total,
        )
    return KSweep(pd.DataFrame(rows), len(sample), n, fits)
