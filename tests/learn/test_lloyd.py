"""Lloyd's iterations as the lesson records them: toy answers worked by hand, and invariants."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score

from clusterlab.learn.lloyd import distances, record_lloyd, restart_inertias, starting_centres
from clusterlab.learn.playground import blobs

# Two pairs of rows ten apart: the best two clusters are the pairs, inertia 4 x 0.5^2 = 1.
PAIRS = np.array([[0.0, 0.0], [0.0, 1.0], [10.0, 0.0], [10.0, 1.0]])


def test_a_good_start_finds_the_pairs() -> None:
    run = record_lloyd(PAIRS, 2, start="k-means++", seed=0)
    assert run.converged
    assert run.inertia == pytest.approx(1.0)
    assert adjusted_rand_score(run.labels, [0, 0, 1, 1]) == 1.0


def test_a_bad_start_gets_stuck_where_the_lesson_says() -> None:
    # Both centres start on the left pair, (0, 0) and (0, 1). The first assignment splits the rows by
    # height, the centres move to (5, 0) and (5, 1), and no row ever changes again: inertia 4 x 5^2.
    run = record_lloyd(PAIRS, 2, start="bad", seed=0)
    assert run.steps[0].centres.tolist() == [[0.0, 0.0], [0.0, 1.0]]
    assert run.steps[2].centres.tolist() == [[5.0, 0.0], [5.0, 1.0]]
    assert run.converged
    assert run.inertia == pytest.approx(100.0)
    assert adjusted_rand_score(run.labels, [0, 1, 0, 1]) == 1.0


@pytest.mark.parametrize("seed", [3, 8])
def test_steps_start_then_alternate_and_inertia_never_rises(seed: int) -> None:
    X = blobs(points=30, separation=2.0, clusters=4, seed=seed).X
    run = record_lloyd(X, 4, start="random", seed=seed)
    kinds = [s.kind for s in run.steps]
    assert kinds[0] == "start"
    assert kinds[1:] == ["assign", "move"] * ((len(kinds) - 1) // 2)
    assert (run.steps[0].labels == -1).all()
    inertia = [s.inertia for s in run.steps[1:]]
    assert all(b <= a + 1e-9 for a, b in itertools.pairwise(inertia))
    assert all(len(s.labels) == len(X) for s in run.steps)


def test_it_ends_where_scikit_learn_does_on_clear_blobs() -> None:
    X = blobs(points=40, separation=6.0, clusters=3, seed=1).X
    run = record_lloyd(X, 3, start="k-means++", seed=1)
    theirs = KMeans(3, n_init=5, random_state=1).fit(X)
    assert adjusted_rand_score(run.labels, theirs.labels_) == 1.0
    assert run.inertia == pytest.approx(theirs.inertia_)


def test_same_seed_same_steps_and_kmeanspp_starts_on_rows() -> None:
    X = blobs(points=20, seed=4).X
    a, b = record_lloyd(X, 3, seed=9), record_lloyd(X, 3, seed=9)
    assert [s.centres.tolist() for s in a.steps] == [s.centres.tolist() for s in b.steps]
    start = starting_centres(X, 3, "k-means++", np.random.default_rng(0))
    assert all(any(np.array_equal(c, x) for x in X) for c in start)


def test_distances_and_restarts_by_hand() -> None:
    d = distances(np.array([[0.0, 0.0], [3.0, 4.0]]), np.array([[0.0, 0.0], [3.0, 0.0]]))
    assert d.tolist() == [[0.0, 3.0], [5.0, 4.0]]
    assert min(restart_inertias(PAIRS, 2, starts=4)) == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("k", "start", "message"),
    [
        (0, "random", "choose k from 1 to 4"),
        (5, "random", "choose k from 1 to 4"),
        (2, "middle", "Unknown start 'middle'"),
    ],
)
def test_bad_arguments_say_the_fix(k: int, start: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        record_lloyd(PAIRS, k, start=start)
