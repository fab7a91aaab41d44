"""Euclidean distances between every pair of rows, in float32: the silhouette's sample matrix and
K-Medoids' input share it."""

from __future__ import annotations

import numpy as np

__all__ = ["sample_distances"]


def sample_distances(X: np.ndarray) -> np.ndarray:
    """Euclidean distances between all rows of ``X`` (float32, zero diagonal).

    float32 halves the memory and the time of this matrix and of every k's sums over it (the sums
    are memory-bound): 5,000 rows take 100 MB. The rows are centred first, so the squared norms in
    ``|a|^2 + |b|^2 - 2 a.b`` stay small and the distances agree with float64 to about 1e-6 of
    their size; the silhouette then agrees with scikit-learn's to about 1e-6 (tested).
    """
    X = np.asarray(X, dtype=np.float64)
    X = (X - X.mean(axis=0)).astype(np.float32)
    squares = np.einsum("ij,ij->i", X, X)
    out = X @ X.T
    out *= -2.0
    out += squares[:, None]
    out += squares[None, :]
    np.maximum(out, 0.0, out=out)
    np.fill_diagonal(out, 0.0)
    return np.sqrt(out, out=out)
