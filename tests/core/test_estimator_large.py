"""Large tables: k chosen on a seeded sample, every row in the final fit, float32 matrix."""

from __future__ import annotations

import numpy as np
import pytest
from tests.conftest import make_mixed_table

from clusterlab.core import estimator
from clusterlab.core.choose_k.criteria import adjusted_rand
from clusterlab.core.estimator import ClusterLab


def test_sampled_sweep_gives_the_same_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    frame = make_mixed_table(n_per_cluster=400).drop(columns="truth")
    settings = {"resamples": 3}
    full = ClusterLab(settings=settings).fit(frame)
    monkeypatch.setattr(estimator, "SWEEP_ROWS", 500)
    sampled = ClusterLab(settings=settings)
    embedding = sampled.fit_transform(frame)
    assert sampled.k_ == full.k_ == 3
    assert adjusted_rand(sampled.labels_ - 1, full.labels_ - 1) >= 0.99
    assert len(sampled.labels_) == len(frame)  # every row clustered
    assert sampled.sweep_.n_rows == 500
    assert embedding.dtype == np.float32
    assert embedding.shape[0] == len(frame)
    assert not hasattr(sampled, "embedding_")  # the estimator does not keep the training matrix
    assert any("seeded sample of 500 of the 1,200 rows" in n.message for n in sampled.notes_)
    assert not any("seeded sample" in n.message for n in full.notes_)
