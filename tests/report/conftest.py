"""Fixtures shared by the report tests."""

from __future__ import annotations

import pytest
from tests.conftest import make_blob_table

import clusterlab


@pytest.fixture(scope="session")
def extended() -> clusterlab.ClusterResult:
    """Six tight blobs swept with k_max=3: the criteria still improve at 3, so the range grows
    (to at most k_limit=8)."""
    centres = [(x, y) for x in range(0, 30, 10) for y in range(0, 20, 10)]
    frame, _ = make_blob_table(20, centres, cluster_std=0.6, seed=3, columns=["a", "b"])
    return clusterlab.cluster(frame, k_max=3, k_limit=8, resamples=0)
