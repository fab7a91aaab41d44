"""The k HDBSCAN found by itself: finding clusters is not evidence that they are there."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.datasets import make_moons

from clusterlab.core import ClusterLab


def test_dense_groups_separated_by_sparse_regions_are_a_clear_structure() -> None:
    X, _ = make_moons(400, noise=0.05, random_state=0)
    model = ClusterLab(method="hdbscan").fit(pd.DataFrame(X, columns=["a", "b"]))
    rec = model.recommendation_
    assert (rec.k, rec.confidence, rec.structure) == (2, "moderate", "clear")
    assert "Sparse regions separate them (density-based validity" in rec.reason


def test_clusters_found_in_one_random_cloud_are_only_a_partition() -> None:
    rng = np.random.default_rng(4)
    frame = pd.DataFrame(rng.normal(size=(600, 4)), columns=list("abcd"))
    model = ClusterLab(method="hdbscan", settings={"min_cluster_size": 10}).fit(frame)
    rec = model.recommendation_
    assert rec.k >= 2  # it does find some
    assert rec.confidence == "weak"
    assert rec.structure in ("weak", "none")
    assert "treat them as a partition rather than natural segments" in rec.reason
