"""Fixtures shared by the report tests."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import clusterlab


@pytest.fixture(scope="session")
def extended() -> clusterlab.ClusterResult:
    """Six tight blobs swept with k_max=3: the criteria still improve at 3, so the range grows
    (to at most k_limit=8)."""
    rng = np.random.default_rng(3)
    centres = np.array([[x, y] for x in range(0, 30, 10) for y in range(0, 20, 10)], dtype=float)
    points = np.vstack([rng.normal(c, 0.6, (20, 2)) for c in centres])
    return clusterlab.cluster(pd.DataFrame(points, columns=["a", "b"]), k_max=3, k_limit=8, resamples=0)
