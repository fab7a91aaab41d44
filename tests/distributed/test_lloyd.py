"""The map-reduce Lloyd step and its iterations: hand-computed toys, and the same iterations as scikit-learn's."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.cluster import KMeans
from tests.conftest import make_blob_table

from clusterlab.core.choose_k.criteria import adjusted_rand
from clusterlab.core.progress import ProgressEvent
from clusterlab.distributed.lloyd import (
    assign,
    combine,
    partial_sums,
    refine,
    scaled_tolerance,
    update_centres,
)


def test_partial_sums_by_hand() -> None:
    X = np.array([[0.0, 0.0], [2.0, 0.0], [10.0, 1.0], [12.0, 1.0]])
    centres = np.array([[1.0, 0.0], [11.0, 0.0]])
    sums, counts, inertia = partial_sums(X, centres)
    assert sums.tolist() == [[2.0, 0.0], [22.0, 2.0]]
    assert counts.tolist() == [2, 2]
    assert inertia == pytest.approx(1 + 1 + 2 + 2)  # (1+0), (1+0), (1+1), (1+1)


def test_split_partitions_add_up_to_the_whole() -> None:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(1000, 3))
    centres = X[:4]
    whole = partial_sums(X, centres)
    parts = combine(partial_sums(X[a:b], centres) for a, b in [(0, 100), (100, 650), (650, 1000)])
    np.testing.assert_allclose(parts[0], whole[0])
    assert parts[1].tolist() == whole[1].tolist()
    assert parts[2] == pytest.approx(whole[2])


def test_empty_centre_keeps_its_place() -> None:
    moved = update_centres(np.array([[4.0], [0.0]]), np.array([2, 0]), np.array([[1.0], [7.0]]))
    assert moved.ravel().tolist() == [2.0, 7.0]


def test_combine_of_nothing_is_an_error() -> None:
    with pytest.raises(ValueError, match="No partitions"):
        combine([])


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_iterations_match_scikit_learn_lloyd(dtype: type) -> None:
    X = make_blob_table(25_000, 6, n_features=4, seed=1, shuffle=True)[0].to_numpy().astype(dtype)
    rng = np.random.default_rng(1)
    init = X[rng.choice(len(X), 6, replace=False)].astype(np.float64)
    reference = KMeans(6, init=init, n_init=1, max_iter=5, tol=0.0, algorithm="lloyd").fit(X)
    centres = init
    for _ in range(int(reference.n_iter_)):
        sums, counts, _ = combine(partial_sums(X[a : a + 50_000], centres) for a in range(0, len(X), 50_000))
        centres = update_centres(sums, counts, centres)
    np.testing.assert_allclose(centres, reference.cluster_centers_, rtol=1e-3, atol=1e-3)
    labels, _ = assign(X, centres)
    assert adjusted_rand(labels, reference.labels_) == pytest.approx(1.0)


# Two partitions of one column: 0, 2, 4 and 10, 12. From centres 0 and 5 (4 is nearer 5):
# iteration 1 moves them to 1 = (0+2)/2 and 26/3 = (4+10+12)/3 (4 is now nearer 1), iteration 2 to
# 2 and 11, iteration 3 does not move them. Final inertia: 2² + 0² + 2² + 1² + 1² = 10.
PARTS = [np.array([[0.0], [2.0], [4.0]]), np.array([[10.0], [12.0]])]
START = np.array([[0.0], [5.0]])


def _sums_at(centres: np.ndarray) -> list[tuple[np.ndarray, np.ndarray, float]]:
    return [partial_sums(part, centres) for part in PARTS]


def test_refine_by_hand_until_the_centres_stop() -> None:
    events: list[ProgressEvent] = []
    done = refine(_sums_at, START, tol=0.0, max_iter=10, progress=events.append)
    assert done.centres.ravel().tolist() == [2.0, 11.0]
    assert done.counts.tolist() == [3, 2]
    assert done.inertia == pytest.approx(10.0)
    assert (done.iterations, done.converged) == (3, True)
    assert [e.message for e in events][:2] == [
        f"iteration 1: centres moved {1 + (26 / 3 - 5) ** 2:.3g}",
        f"iteration 2: centres moved {1 + (11 - 26 / 3) ** 2:.3g}",
    ]
    assert [(e.done, e.total) for e in events] == [(1, 10), (2, 10), (3, 10)]


def test_refine_stops_at_max_iter_or_tol_and_counts_at_the_final_centres() -> None:
    capped = refine(_sums_at, START, tol=0.0, max_iter=2)
    assert capped.centres.ravel().tolist() == [2.0, 11.0]
    assert (capped.iterations, capped.converged) == (2, False)
    # A loose tolerance stops after the first move; counts and inertia are at the moved centres
    # (1 and 26/3: 4 has joined the first), not at the starting ones.
    loose = refine(_sums_at, START, tol=100.0, max_iter=10)
    assert loose.centres.ravel() == pytest.approx([1.0, 26 / 3])
    assert (loose.iterations, loose.converged) == (1, True)
    assert loose.counts.tolist() == [3, 2]
    assert loose.inertia == pytest.approx(1 + 1 + 9 + (26 / 3 - 10) ** 2 + (26 / 3 - 12) ** 2)
    untouched = refine(_sums_at, START, tol=0.0, max_iter=0)
    assert untouched.centres.ravel().tolist() == [0.0, 5.0]
    assert (untouched.iterations, untouched.converged, untouched.counts.tolist()) == (0, False, [2, 3])


def test_scaled_tolerance_is_a_share_of_the_mean_variance() -> None:
    X = np.array([[0.0, 0.0], [2.0, 4.0]])  # variances 1 and 4
    assert scaled_tolerance(X, 1e-4) == pytest.approx(2.5e-4)
    assert scaled_tolerance(np.zeros((0, 2)), 1e-4) == 0.0
