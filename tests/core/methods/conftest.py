"""Toy sets made for (and against) each method."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.datasets import make_blobs, make_moons


@pytest.fixture
def moons_and_blob() -> tuple[np.ndarray, np.ndarray]:
    """Two interleaved half-moons beside a round blob: non-convex groups (K-Means cuts across them)."""
    X, truth = make_moons(400, noise=0.05, random_state=0)
    blob, _ = make_blobs(150, centers=[[3.0, 2.0]], cluster_std=0.15, random_state=1)
    return np.r_[X, blob], np.r_[truth, np.full(150, 2)]


@pytest.fixture
def elongated() -> tuple[np.ndarray, np.ndarray]:
    """Four long, thin, tilted groups side by side, 3 apart across and about 8 long: elliptical, not
    round (K-Means cuts them crosswise)."""
    rng = np.random.default_rng(3)
    parts, truth = [], []
    for i in range(4):
        along = rng.normal(0, 2.0, 150)
        across = rng.normal(0, 0.2, 150)
        parts.append(np.c_[along * 0.8 - across * 0.6 - 1.8 * i, along * 0.6 + across * 0.8 + 2.4 * i])
        truth += [i] * 150
    return np.concatenate(parts), np.asarray(truth)


@pytest.fixture
def blobs_with_extremes() -> tuple[np.ndarray, np.ndarray]:
    """Three round groups and a few extreme rows in one of them (they pull a mean, not a medoid)."""
    X, truth = make_blobs([80, 80, 80], centers=[[0, 0], [6, 0], [3, 5]], cluster_std=0.7, random_state=2)
    X[:4] += [[40, 0], [0, 40], [-40, 0], [0, -40]]
    return X, truth
