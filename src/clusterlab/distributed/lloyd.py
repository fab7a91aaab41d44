"""Lloyd iterations as map-reduce steps: per-partition partial sums, then one global update.

K-Means' Lloyd iteration is a sum over rows: assign each row to its nearest centre, then move each
centre to the mean of its rows. Means of disjoint parts combine exactly through their sums and
counts, so every partition (a Dask task, a file part) computes :func:`partial_sums` on its own rows,
the sums are added (:func:`combine`), and :func:`update_centres` divides once. The result is the
same iteration scikit-learn's Lloyd runs on the whole matrix, up to floating-point rounding.
:func:`refine` repeats the step until the centres stop moving; it is given the map step as a
function, so where the partitions live (Dask workers, a list of arrays) is the caller's business.

Pure numpy, no Dask: tested on its own, and cheap to ship to workers.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from ..core.progress import ProgressCallback, emit

__all__ = ["Refined", "assign", "combine", "partial_sums", "refine", "scaled_tolerance", "update_centres"]

PartialSums = tuple[np.ndarray, np.ndarray, float]

CHUNK_ROWS = 65_536  # rows per distance block: k x 64K floats stay in the CPU cache's reach


def assign(X: np.ndarray, centres: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Nearest centre (0..k-1) of each row and the squared distance to it.

    >>> assign(np.array([[0.0], [9.0]]), np.array([[1.0], [10.0]]))[0].tolist()
    [0, 1]
    """
    X = np.asarray(X)
    c = np.asarray(centres, dtype=X.dtype if X.dtype == np.float32 else np.float64)
    c2 = (c.astype(np.float64) ** 2).sum(axis=1)
    labels = np.empty(len(X), dtype=np.int32)
    best = np.empty(len(X), dtype=np.float64)
    for start in range(0, len(X), CHUNK_ROWS):
        part = X[start : start + CHUNK_ROWS]
        # |x - c|^2 = |x|^2 - 2 x.c + |c|^2; |x|^2 is the same for every centre, so the argmin needs
        # only the last two terms, and the distance adds it back once.
        scores = c2[None, :] - 2.0 * (part @ c.T)
        labels[start : start + len(part)] = scores.argmin(axis=1)
        x2 = np.einsum("ij,ij->i", part, part, dtype=np.float64)
        near = scores[np.arange(len(part)), labels[start : start + len(part)]]
        best[start : start + len(part)] = np.maximum(x2 + near, 0.0)
    return labels, best


def partial_sums(X: np.ndarray, centres: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """The map step on one partition: per-centre sums of its rows, row counts and inertia.

    Returns ``(sums, counts, inertia)``: ``sums`` of shape (k, d) in float64, ``counts`` of shape (k,).
    Blocks of rows run on a small thread pool: numpy's matrix products and reductions release the
    GIL, so a partition uses every core, as scikit-learn's OpenMP kernel does.

    >>> sums, counts, inertia = partial_sums(np.array([[0.0], [2.0], [10.0]]), np.array([[1.0], [9.0]]))
    >>> sums.ravel().tolist(), counts.tolist(), inertia
    ([2.0, 10.0], [2, 1], 3.0)
    """
    X = np.asarray(X)
    if X.dtype != np.float32:
        X = X.astype(np.float64, copy=False)
    c = np.asarray(centres, dtype=X.dtype)
    # Scores -2 c.x + |c|^2 rank the centres like the squared distance (|x|^2 is the same for all).
    minus_2c = np.ascontiguousarray(-2.0 * c)
    c2 = (c.astype(np.float64) ** 2).sum(axis=1).astype(X.dtype)
    starts = range(0, len(X), CHUNK_ROWS)
    if len(starts) > 1:
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            parts = list(pool.map(lambda s: _block(X[s : s + CHUNK_ROWS], minus_2c, c2), starts))
    else:
        parts = [_block(X, minus_2c, c2)]
    return combine(parts)


def _block(part: np.ndarray, minus_2c: np.ndarray, c2: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    k = len(c2)
    scores = minus_2c @ part.T  # (k, rows): each centre's scores contiguous
    scores += c2[:, None]
    # argmin over a short axis, one centre at a time: k vectorised passes (numpy's own argmin over
    # the short axis is several times slower here).
    best = scores[0].copy()
    labels = np.zeros(len(part), dtype=np.intp)
    for j in range(1, k):
        np.copyto(labels, j, where=scores[j] < best)
        np.minimum(best, scores[j], out=best)
    # Sums per centre as one matrix product with the rows' one-hot labels (BLAS), in float64.
    onehot = np.zeros((k, len(part)), dtype=part.dtype)
    onehot[labels, np.arange(len(part))] = 1
    sums = (onehot @ part).astype(np.float64)
    counts = np.bincount(labels, minlength=k).astype(np.int64)
    # Inertia: the sum of |x|^2 plus the winning scores (the distance without the shared |x|^2).
    flat = part.ravel()
    inertia = float(np.dot(flat, flat)) + float(best.sum(dtype=np.float64))
    return sums, counts, max(inertia, 0.0)


def combine(
    parts: Iterable[tuple[np.ndarray, np.ndarray, float]],
) -> tuple[np.ndarray, np.ndarray, float]:
    """The reduce step: add the partial sums, counts and inertia of every partition."""
    total_sums, total_counts, total_inertia = None, None, 0.0
    for sums, counts, inertia in parts:
        total_sums = sums.copy() if total_sums is None else total_sums + sums
        total_counts = counts.copy() if total_counts is None else total_counts + counts
        total_inertia += inertia
    if total_sums is None or total_counts is None:
        raise ValueError("No partitions to combine.")
    return total_sums, total_counts, total_inertia


def update_centres(sums: np.ndarray, counts: np.ndarray, previous: np.ndarray) -> np.ndarray:
    """New centres: the mean of each centre's rows; a centre that lost every row stays where it was.

    >>> update_centres(np.array([[4.0], [0.0]]), np.array([2, 0]), np.array([[1.0], [7.0]])).ravel().tolist()
    [2.0, 7.0]
    """
    centres = np.asarray(previous, dtype=np.float64).copy()
    filled = counts > 0
    centres[filled] = sums[filled] / counts[filled, None]
    return centres


@dataclass
class Refined:
    """The outcome of :func:`refine`: the final centres, the rows and inertia at them, the number of
    iterations run and whether the centres stopped moving before ``max_iter``."""

    centres: np.ndarray
    counts: np.ndarray
    inertia: float
    iterations: int
    converged: bool


def refine(
    sums_at: Callable[[np.ndarray], Iterable[PartialSums]],
    centres: np.ndarray,
    tol: float,
    max_iter: int,
    progress: ProgressCallback | None = None,
) -> Refined:
    """Lloyd iterations from ``centres`` until they move less than ``tol`` or ``max_iter`` have run.

    Parameters
    ----------
    sums_at : callable
        The map step: given the centres, the :func:`partial_sums` of every partition.
    centres : ndarray of shape (k, d)
        The starting centres.
    tol : float
        Stop once the sum of the squared moves of the centres is at most this
        (:func:`scaled_tolerance` gives scikit-learn's).
    max_iter : int
        Most iterations.
    progress : callable, optional
        Told the move of each iteration.

    Returns
    -------
    Refined
        ``counts`` and ``inertia`` are those of the final centres: one more map step after the
        last move, since each iteration's are for the centres before it.

    Examples
    --------
    >>> parts = [np.array([[0.0], [2.0]]), np.array([[10.0], [12.0]])]
    >>> done = refine(lambda c: [partial_sums(p, c) for p in parts], np.array([[0.0], [10.0]]), 0.0, 10)
    >>> done.centres.ravel().tolist(), done.counts.tolist(), done.inertia, done.iterations
    ([1.0, 11.0], [2, 2], 4.0, 2)
    """
    centres = np.asarray(centres, dtype=np.float64)
    converged, iterations = False, 0
    for iterations in range(1, max_iter + 1):
        sums, counts, _ = combine(sums_at(centres))
        moved = update_centres(sums, counts, centres)
        shift = float(((moved - centres) ** 2).sum())
        centres = moved
        emit(progress, "fit", f"iteration {iterations}: centres moved {shift:.3g}", iterations, max_iter)
        if shift <= tol:
            converged = True
            break
    _, counts, inertia = combine(sums_at(centres))
    return Refined(centres, counts, inertia, iterations, converged)


def scaled_tolerance(X: np.ndarray, tol: float) -> float:
    """``tol`` as a share of the mean variance of the columns of ``X``, as scikit-learn's K-Means
    scales its tolerance (0 for no rows).

    >>> scaled_tolerance(np.array([[0.0, 0.0], [2.0, 4.0]]), 1e-4)
    0.00025
    """
    return tol * float(np.mean(np.var(X, axis=0))) if len(X) else 0.0
