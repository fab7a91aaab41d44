"""K-Medoids: real rows as centres, robust to extreme rows, sampled when the matrix would be big."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from clusterlab.core.methods.kmedoids import MedoidMethod


def test_medoids_are_real_rows_and_the_groups_are_found(
    blobs_with_extremes: tuple[np.ndarray, np.ndarray],
) -> None:
    X, truth = blobs_with_extremes
    fitted = MedoidMethod().fit(X, 3, seed=0, n_init=2)
    assert adjusted_rand_score(truth, fitted.labels) >= 0.95
    assert np.array_equal(X[fitted.representatives], fitted.centers)
    # The extreme rows do not drag a medoid out of its group, as they would a mean.
    for c in range(3):
        members = X[fitted.labels == c]
        assert np.linalg.norm(fitted.centers[c] - np.median(members, axis=0)) < 1.0


def test_above_the_limit_a_sample_is_used(
    monkeypatch: pytest.MonkeyPatch, blobs_with_extremes: tuple[np.ndarray, np.ndarray]
) -> None:
    monkeypatch.setattr(MedoidMethod, "max_rows", 100)
    X, truth = blobs_with_extremes
    fitted = MedoidMethod().fit(X, 3, seed=0, n_init=1)
    assert len(fitted.labels) == len(X)
    assert adjusted_rand_score(truth, fitted.labels) >= 0.95
    assert np.array_equal(X[fitted.representatives], fitted.centers)
    assert np.array_equal(fitted.predict(X), fitted.labels)
