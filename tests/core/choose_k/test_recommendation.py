"""The recommendation rule: known k on toy data, honesty about no structure, the adaptive range."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from tests.conftest import make_blob_table

from clusterlab.core import ClusterLab
from clusterlab.core.choose_k.k_range import extension_bound, sweep_and_recommend
from clusterlab.core.choose_k.recommendation import (
    Recommendation,
    find_admissible,
    finest_nested,
    gate_by_valleys,
    judge_confidence,
    judge_structure,
    name_favourites,
    pick_winner,
    recommend,
    share_naming,
)
from clusterlab.core.choose_k.sweep import KSweep, sweep_k
from clusterlab.core.progress import ProgressEvent


def blobs(k: int, per: int = 40, dims: int = 2, spread: float = 0.4) -> np.ndarray:
    """k round blobs on a circle of radius 10 (well separated for k up to ~20)."""
    return make_blob_table(per, k, n_features=dims, cluster_std=spread)[0].to_numpy()


@pytest.mark.parametrize("k", [3, 5])
def test_separated_blobs_give_their_k_with_strong_confidence(k: int) -> None:
    rec = recommend(sweep_k(blobs(k), range(2, 9), resamples=6))
    assert rec.k == k
    assert rec.confidence == "strong"
    assert rec.structure == "clear"
    assert k in rec.admissible
    assert f"point to {k} clusters" in rec.reason


def test_uniform_noise_has_no_structure(rng: np.random.Generator) -> None:
    rec = recommend(sweep_k(rng.random((400, 4)), range(2, 9), resamples=6))
    assert rec.structure == "none"
    assert rec.confidence == "weak"
    assert rec.reason.startswith("No clear cluster structure")


@pytest.mark.parametrize(("seed", "rows"), [(5056, 1922), (5057, 569)])
def test_a_chance_gap_elsewhere_does_not_give_a_uniform_square_structure(seed: int, rows: int) -> None:
    # A uniform square: K-Means' 4 quadrants are what 5 of 6 criteria name (silhouette 0.41), and on
    # these draws a dip test finds a "gap" at k = 2 by chance (p < 0.05 fails one uniform table in
    # twenty). That gap is not the 4 quadrants': no structure, weak, as on any other square.
    rng = np.random.default_rng(seed)
    rng.integers(200, 3000), rng.integers(2, 5)  # the draw the benchmark of such tables made first
    frame = pd.DataFrame(rng.uniform(size=(rows, 2)), columns=["x", "y"])
    model = ClusterLab(k="auto", settings={"seed": 0}).fit(frame)
    rec = model.recommendation_
    assert (rec.method, rec.k, rec.admissible) == ("kmeans", 4, [2])
    assert rec.structure == "none"
    assert rec.confidence == "weak"
    assert rec.reason.startswith("No clear cluster structure: some of the 4 clusters touch without a gap")


def test_one_gaussian_cloud_has_no_structure(rng: np.random.Generator) -> None:
    rec = recommend(sweep_k(rng.normal(size=(400, 3)), range(2, 9), resamples=6))
    assert rec.structure == "none"
    assert rec.confidence == "weak"


@pytest.mark.parametrize("n_rows", [50, 200])
def test_one_normal_column_has_no_structure(rng: np.random.Generator, n_rows: int) -> None:
    # K-Means cuts a single bell curve into segments whose silhouette is 0.55-0.65 at every k: a
    # "reasonable" silhouette must not turn noise into structure when no partition has a valley.
    rec = recommend(sweep_k(rng.normal(size=(n_rows, 1)), range(2, 11), resamples=6))
    assert rec.admissible == []
    assert rec.silhouette is not None
    assert rec.silhouette > 0.5
    assert rec.structure == "none"
    assert rec.confidence == "weak"
    assert "short of the 0.7" in rec.reason


def test_votes_name_a_k_in_range_and_agreement_matches() -> None:
    rec = recommend(sweep_k(blobs(4), range(2, 8), resamples=4))
    assert set(rec.votes) >= {
        "silhouette",
        "calinski_harabasz",
        "davies_bouldin",
        "elbow",
        "stability",
        "valleys",
    }
    named = [v for v in rec.votes.values() if v is not None]
    assert all(2 <= v <= 7 for v in named)
    assert rec.agreement == pytest.approx(sum(v == rec.k for v in named) / len(named), abs=1e-3)
    assert rec.k_range == [2, 7]


def test_to_dict_round_trips() -> None:
    rec = recommend(sweep_k(blobs(3), range(2, 6), resamples=4))
    again = Recommendation(**rec.to_dict())
    assert again == rec
    assert {"k", "confidence", "structure", "reason", "votes"} <= set(rec.to_dict())


def test_only_admissible_k_can_win() -> None:
    # Hand-made table: silhouette, CH and DB like k=5, but only k=3 has a valley at every boundary.
    table = pd.DataFrame(
        {
            "k": [2, 3, 4, 5],
            "inertia": [100.0, 60.0, 40.0, 30.0],
            "silhouette": [0.40, 0.55, 0.50, 0.60],
            "calinski_harabasz": [10.0, 20.0, 25.0, 30.0],
            "davies_bouldin": [1.0, 0.8, 0.9, 0.7],
            "stability": [0.7, 0.95, 0.6, 0.9],
            "valleys": [0.0, 1.0, 0.5, 0.8],
        }
    )
    rec = recommend(KSweep(table, 100, 100))
    assert rec.k == 3
    assert rec.admissible == [3]
    assert rec.structure == "clear"  # admissible and silhouette 0.55


def test_a_majority_with_stability_wins_over_the_valley_gate_but_is_not_clear() -> None:
    # Silhouette, Davies-Bouldin and stability (3 of 5 voters) name k=4, where one boundary is not a
    # valley; only k=2 is admissible. A majority outweighs one failed dip test, but k=4 is not "clear".
    table = pd.DataFrame(
        {
            "k": [2, 3, 4, 5],
            "inertia": [100.0, 60.0, 40.0, 35.0],
            "silhouette": [0.40, 0.45, 0.60, 0.50],
            "calinski_harabasz": [10.0, 20.0, 25.0, 30.0],
            "davies_bouldin": [1.0, 0.9, 0.6, 0.8],
            "stability": [0.7, 0.8, 0.95, 0.6],
            "valleys": [1.0, 0.5, 0.67, 0.5],
        }
    )
    rec = recommend(KSweep(table, 100, 100))
    assert rec.votes["valleys"] == 2
    assert rec.k == 4
    assert rec.admissible == [2]
    # A boundary without a valley and a silhouette of 0.6, short of the strong 0.7: no structure.
    assert rec.structure == "none"
    assert rec.confidence == "weak"
    assert rec.agreement == pytest.approx(3 / 5, abs=1e-3)
    assert "some of the 4 clusters touch without a gap between them" in rec.reason
    assert "only the split into 2 clusters runs through gaps" in rec.reason
    # Only a strong silhouette outweighs the failed dip test: then "weak", never "clear".
    strong = recommend(KSweep(table.assign(silhouette=[0.40, 0.45, 0.72, 0.50]), 100, 100))
    assert (strong.k, strong.structure) == (4, "weak")


def test_an_even_split_does_not_lift_the_valley_gate() -> None:
    # Silhouette, elbow and stability name k=4: half of the six voters, not more. The gate holds and
    # the admissible k=3 (Davies-Bouldin and valleys) wins, although 4 is reproduced (0.95) and two
    # of its three boundaries are valleys: four overlapping blobs cut into 5 look the same
    # (docs/recommendation.md, *Why an even split does not lift it*).
    table = pd.DataFrame(
        {
            "k": [2, 3, 4, 5, 6],
            "inertia": [100.0, 95.0, 20.0, 18.0, 17.0],
            "silhouette": [0.40, 0.45, 0.60, 0.50, 0.30],
            "calinski_harabasz": [10.0, 20.0, 25.0, 30.0, 31.0],
            "davies_bouldin": [1.0, 0.6, 0.8, 0.9, 0.9],
            "stability": [0.7, 0.8, 0.95, 0.6, 0.5],
            "valleys": [0.5, 1.0, 0.67, 0.5, 0.5],
        }
    )
    rec = recommend(KSweep(table, 100, 100))
    assert list(rec.votes.values()).count(4) == 3
    assert rec.k == 3
    assert rec.admissible == [3]


def test_without_any_valley_the_plurality_wins_and_structure_is_not_clear() -> None:
    table = pd.DataFrame(
        {
            "k": [2, 3, 4],
            "inertia": [100.0, 80.0, 70.0],
            "silhouette": [0.65, 0.30, 0.28],
            "calinski_harabasz": [50.0, 40.0, 30.0],
            "davies_bouldin": [0.9, 1.2, 1.3],
            "stability": [0.95, 0.7, 0.6],
            "valleys": [0.0, 0.5, 0.0],
        }
    )
    rec = recommend(KSweep(table, 100, 100))
    assert rec.k == 2
    assert rec.admissible == []
    assert rec.structure == "none"  # one continuous cloud, silhouette below the strong 0.7
    assert rec.confidence == "weak"


def test_same_seed_same_recommendation() -> None:
    X = blobs(4, spread=1.5)
    first = recommend(sweep_k(X, range(2, 8), seed=7, resamples=4))
    again = recommend(sweep_k(X, range(2, 8), seed=7, resamples=4))
    assert first == again


def test_range_extends_when_the_answer_sits_at_the_top() -> None:
    X = blobs(14, per=30, spread=0.3)
    events: list[ProgressEvent] = []
    sweep, rec, notes = sweep_and_recommend(X, range(2, 11), bound=30, resamples=3, progress=events.append)
    assert rec.k == 14
    assert max(sweep.ks) >= 14
    assert rec.k_range[1] > 10
    assert any("extended" in n.message for n in notes)
    # The progress says so while it happens (the page promised 2..10): every message past k = 10.
    beyond = "(range extended past 10: the criteria still improved there)"
    assert events[0].message == "trying k = 2..10"
    assert next(m for m in (e.message for e in events) if beyond in m).startswith("trying k = 11..")
    assert all(beyond in e.message for e in events if e.message.startswith(("k = 11", "k = 12", "k = 13")))
    assert not any(beyond in e.message for e in events if e.message.startswith(("k = 2:", "k = 10:")))


def test_range_stays_when_bound_is_the_top() -> None:
    X = blobs(14, per=30, spread=0.3)
    sweep, rec, notes = sweep_and_recommend(X, range(2, 11), bound=10, resamples=3)
    assert max(sweep.ks) == 10
    assert rec.k <= 10
    assert notes == []


@pytest.mark.parametrize(
    ("n_rows", "top", "limit", "distinct", "expected"),
    [
        (10_000, 10, 30, 10_000, 30),  # the limit
        (150, 10, 30, 150, 15),  # ten rows per cluster
        (10_000, 10, 30, 12, 11),  # distinct rows
        (50, 10, 30, 50, 10),  # never below the range asked for
    ],
)
def test_extension_bound(n_rows: int, top: int, limit: int, distinct: int, expected: int) -> None:
    assert extension_bound(n_rows, top, limit, distinct) == expected


@pytest.mark.slow
def test_estimator_reports_the_extension() -> None:
    frame = pd.DataFrame(blobs(12, per=25, spread=0.3), columns=["a", "b"])
    model = ClusterLab(settings={"resamples": 3, "pca_variance": 1.0}).fit(frame)
    assert model.k_ == 12
    assert any("extended" in n.message for n in model.notes_)
    fixed = ClusterLab(settings={"resamples": 3, "k_limit": 10, "pca_variance": 1.0}).fit(frame)
    assert max(fixed.sweep_.ks) == 10


def _table(**columns: list[float]) -> KSweep:
    frame = pd.DataFrame(columns)
    return KSweep(frame, 100, 100)


def test_scattered_votes_are_called_a_disagreement() -> None:
    # Six criteria name five different k; k=2 and k=6 are admissible, each named once (Calinski-
    # Harabasz, valleys), and the tie goes to the more reproducible 2. "1 of 6 criteria point to 2" would hide the scatter.
    sweep = _table(
        k=[2, 3, 4, 5, 6],
        inertia=[100.0, 50.0, 40.0, 35.0, 33.0],
        silhouette=[0.30, 0.31, 0.35, 0.32, 0.33],
        calinski_harabasz=[50.0, 40.0, 45.0, 46.0, 47.0],
        davies_bouldin=[1.2, 1.1, 1.2, 0.9, 1.0],
        stability=[0.70, 0.75, 0.62, 0.65, 0.66],
        valleys=[1.0, 0.5, 0.5, 0.8, 1.0],
    )
    rec = recommend(sweep)
    assert rec.k == 2
    assert sorted(v for v in rec.votes.values() if v is not None) == [2, 3, 3, 4, 5, 6]
    assert rec.reason.startswith("The criteria disagree, naming 2, 3, 4, 5 and 6 clusters; ")
    assert (
        "whose every boundary runs through a gap in the data (2 and 6), 2 is the one resampled fits reproduce best"
        in rec.reason
    )
    assert "criteria point to" not in rec.reason


def test_a_reproducible_split_with_a_diluted_silhouette_suggests_leaving_columns_out() -> None:
    sweep = _table(
        k=[2, 3, 4],
        inertia=[100.0, 95.0, 90.0],
        silhouette=[0.17, 0.09, 0.04],
        calinski_harabasz=[53.0, 29.0, 21.0],
        davies_bouldin=[2.1, 3.8, 4.6],
        stability=[1.0, 0.66, 0.47],
        valleys=[1.0, 1.0, 0.5],
    )
    rec = recommend(sweep)
    assert (rec.k, rec.structure) == (2, "none")  # the verdict stays: the silhouette is below 0.25
    assert rec.reason.startswith("No clear cluster structure")
    assert rec.reason.endswith("leaving them out may show a clearer structure.")
    noise = recommend(_table(**{**sweep.table.to_dict("list"), "stability": [0.5, 0.4, 0.3]}))
    assert "leaving them out" not in noise.reason  # not reproducible: no such hint


# --- the steps, one at a time, on tiny score tables ---------------------------------------------------
def scores(**columns: list[float]) -> pd.DataFrame:
    """A sweep's score table for k = 2, 3... indexed by k, as recommend() reads it."""
    ks = list(range(2, 2 + len(next(iter(columns.values())))))
    return _table(k=ks, **columns).table.set_index("k", drop=False)


def test_find_admissible_needs_a_valley_at_every_boundary() -> None:
    assert find_admissible(scores(valleys=[1.0, 0.99, 1.0, 0.0])) == [2, 4]
    assert find_admissible(scores(silhouette=[0.5, 0.6])) == []  # no dip tests: nothing admissible


@pytest.mark.parametrize(
    ("votes", "gate"),
    [
        ({"silhouette": 4, "davies_bouldin": 4, "stability": 4, "elbow": 3, "valleys": 2}, []),
        (
            {"silhouette": 4, "davies_bouldin": 4, "stability": 3, "elbow": 4, "valleys": 2},
            [2],
        ),  # not stability
        ({"silhouette": 4, "stability": 4, "elbow": 3, "valleys": 2}, [2]),  # half, not more
        ({"silhouette": 4, "stability": 4, "elbow": None, "valleys": 2}, []),  # 2 of 3 that name a k
    ],
)
def test_gate_by_valleys_lifts_only_for_a_majority_with_stability(
    votes: dict[str, int | None], gate: list[int]
) -> None:
    assert gate_by_valleys(votes, [2]) == gate


def test_pick_winner_counts_votes_inside_the_gate() -> None:
    table = scores(silhouette=[0.5, 0.6, 0.7], stability=[0.9, 0.9, 0.9])
    votes = {"silhouette": 4, "calinski_harabasz": 4, "elbow": 4, "davies_bouldin": 3, "valleys": 3}
    assert pick_winner(votes, [3], [3], table) == (3, "votes")
    assert pick_winner(votes, [3], [], table) == (4, "votes")


@pytest.mark.parametrize(
    ("stability", "silhouette", "expected"),
    [
        ([0.5, 0.9, 0.9], [0.9, 0.1, 0.1], (3, "stability")),  # 2 and 3 tie on votes; 3 is more stable
        ([0.9, 0.9, 0.9], [0.1, 0.6, 0.1], (3, "silhouette")),  # equally stable: the silhouette decides
        ([0.9, 0.9, 0.9], [0.6, 0.6, 0.1], (2, "silhouette")),  # all equal: the smaller k
        ([np.nan, 0.1, 0.9], [0.9, 0.1, 0.1], (3, "stability")),  # a missing stability ranks last
    ],
)
def test_pick_winner_breaks_ties_by_stability_then_silhouette_then_smaller_k(
    stability: list[float], silhouette: list[float], expected: tuple[int, str]
) -> None:
    votes = {"silhouette": 2, "elbow": 3}
    assert pick_winner(votes, [], [], scores(stability=stability, silhouette=silhouette)) == expected


@pytest.mark.parametrize(
    ("admissible", "stability", "expected"),
    [
        ([2, 3], [1.0, 0.99, 0.5], (3, "finer")),  # both apart and reproduced: the finer
        ([2, 3], [1.0, 0.7, 0.5], (2, "stability")),  # 3 not reproduced: the more stable
        ([2], [0.99, 1.0, 0.5], (3, "stability")),  # 2 alone is apart: no choice between two, stability
        ([2, 3], [0.7, 0.75, 0.5], (3, "stability")),  # neither reproduced
    ],
)
def test_pick_winner_tied_partitions_both_apart_and_reproduced_go_to_the_finer(
    admissible: list[int], stability: list[float], expected: tuple[int, str]
) -> None:
    votes = {"silhouette": 2, "davies_bouldin": 2, "elbow": 3, "valleys": 3}
    table = scores(stability=stability, silhouette=[0.7, 0.6, 0.2])
    assert pick_winner(votes, admissible, [], table) == expected


def test_a_tie_between_nested_partitions_says_why_the_finer_one_won() -> None:
    # Two far-apart bunches of two groups each: silhouette, Davies-Bouldin and stability name 2;
    # Calinski-Harabasz, the elbow and the valleys name 4; both come back on every resample.
    sweep = _table(
        k=[2, 3, 4, 5, 6, 7],
        inertia=[680.0, 387.0, 199.0, 166.0, 139.0, 125.0],
        silhouette=[0.686, 0.562, 0.660, 0.671, 0.681, 0.614],
        calinski_harabasz=[3404.0, 3462.0, 4891.0, 4460.0, 4281.0, 4001.0],
        davies_bouldin=[0.388, 0.666, 0.475, 0.540, 0.509, 0.639],
        stability=[1.0, 0.656, 0.993, 0.917, 0.864, 0.726],
        valleys=[1.0, 1.0, 1.0, 0.75, 0.6, 0.5],
    )
    rec = recommend(sweep)
    assert rec.k == 4
    assert "as many point to 2" in rec.reason
    assert "2 would join groups with a gap between them" in rec.reason


def unbalanced(seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Three big dense groups far apart (500 rows each) and three small ones (60 rows) near each other."""
    rng = np.random.default_rng(seed)
    centres = ([0, 0], [12, 0], [6, 10], [20, 10], [25, 10], [22.5, 14])
    sizes = [500, 500, 500, 60, 60, 60]
    X = np.vstack([rng.normal(c, 0.6, size=(n, 2)) for c, n in zip(centres, sizes, strict=True)])
    return X, np.repeat(np.arange(6), sizes)


def test_among_measurements_a_finer_reproduced_partition_through_gaps_refines_the_answer() -> None:
    from sklearn.metrics import adjusted_rand_score

    X, truth = unbalanced()
    sweep = sweep_k(X, range(2, 9), resamples=6, seed=0)
    coarse, fine = recommend(sweep), recommend(sweep, finer=lambda labels: True)
    # Most criteria see the three big groups and the small ones as one: 4, strong.
    assert (coarse.k, coarse.confidence) == (4, "strong")
    assert adjusted_rand_score(truth[truth >= 3], sweep.fits[4].labels[truth >= 3]) == pytest.approx(0.0)
    # The finer partition has a valley at every boundary and comes back on resampled rows.
    assert fine.k == 6
    assert adjusted_rand_score(truth, sweep.fits[6].labels) == pytest.approx(1.0)
    assert fine.confidence == "moderate"  # the criteria did not name it: never strong
    assert fine.structure == "clear"
    assert "point to 4 clusters, but 6 clusters split 1 of them further" in fine.reason


def test_the_estimator_refines_among_measurements_but_not_along_a_category() -> None:
    from sklearn.metrics import adjusted_rand_score

    X, truth = unbalanced()
    numbers = pd.DataFrame(X, columns=["a", "b"])
    model = ClusterLab(settings={"seed": 0, "method": "kmeans"}).fit(numbers)
    assert model.recommendation_.k == 6
    assert adjusted_rand_score(truth, model.labels_) == pytest.approx(1.0)
    # An unrelated colour: the dip test reads its levels as gaps, so every k up to 10 is admissible,
    # and K-Means' finer partitions cut the groups by colour. Among the numbers alone those cuts
    # are no valleys: the answer stays 4 (without the check it would be 10, ARI 0.64).
    colour = np.random.default_rng(1).choice(["red", "green", "blue"], len(X))
    model = ClusterLab(settings={"seed": 0, "method": "kmeans"}).fit(numbers.assign(colour=colour))
    assert model.recommendation_.k == 4
    assert adjusted_rand_score(truth, model.labels_) > 0.95
    unchecked = recommend(model.sweep_, finer=lambda labels: True)
    assert unchecked.k > 6
    assert adjusted_rand_score(truth, model.sweep_.fits[unchecked.k].labels) < 0.8


@pytest.mark.parametrize(
    ("admissible", "stability", "fine", "expected"),
    [
        ([2, 3, 4], [1.0, 0.9, 0.9], [0, 0, 2, 2, 1, 1, 3, 3], 4),  # the largest that nests
        ([2, 3, 4], [1.0, 0.9, 0.9], [0, 0, 1, 1, 1, 2, 2, 3], 3),  # 4 cuts across 2's clusters
        ([2, 3], [1.0, 0.9, 0.9], [0, 0, 2, 2, 1, 1, 3, 3], 3),  # 4 has a boundary without a valley
        ([2, 3, 4], [1.0, 0.79, 0.79], [0, 0, 2, 2, 1, 1, 3, 3], None),  # neither reproduced
        ([3, 4], [1.0, 0.9, 0.9], [0, 0, 2, 2, 1, 1, 3, 3], 4),  # the answer need not be admissible
    ],
)
def test_finest_nested_takes_the_largest_admissible_reproduced_refinement(
    admissible: list[int], stability: list[float], fine: list[int], expected: int | None
) -> None:
    labels = {
        2: np.array([0, 0, 0, 0, 1, 1, 1, 1]),
        3: np.array([0, 0, 2, 2, 1, 1, 1, 1]),
        4: np.array(fine),
    }
    table = pd.DataFrame({"stability": stability}, index=[2, 3, 4])
    assert finest_nested(2, admissible, table, labels) == expected


def test_finest_nested_asks_the_confirmation_of_each_candidate_largest_first() -> None:
    labels = {2: np.array([0, 0, 0, 0, 1, 1, 1, 1]), 3: np.array([0, 0, 2, 2, 1, 1, 1, 1])}
    labels[4] = np.array([0, 0, 2, 2, 1, 1, 3, 3])
    table = pd.DataFrame({"stability": [1.0, 0.9, 0.9]}, index=[2, 3, 4])
    asked: list[int] = []

    def confirm(fine: np.ndarray) -> bool:
        asked.append(int(fine.max()) + 1)
        return int(fine.max()) + 1 == 3

    assert finest_nested(2, [2, 3, 4], table, labels, confirm) == 3
    assert asked == [4, 3]
    assert finest_nested(2, [2, 3, 4], table, labels, lambda fine: False) is None


def test_refining_never_invents_structure_in_one_cloud(rng: np.random.Generator) -> None:
    for X in (rng.normal(size=(600, 3)), rng.random((600, 2))):
        rec = recommend(sweep_k(X, range(2, 9), resamples=6), finer=lambda labels: True)
        assert rec.structure == "none"
        assert rec.confidence == "weak"


def test_pick_winner_without_a_vote_in_the_gate_takes_the_largest_admissible_else_the_best_silhouette() -> (
    None
):
    table = scores(silhouette=[0.3, 0.2, 0.8, 0.4])
    votes = {"silhouette": 4, "elbow": None}
    assert pick_winner(votes, [2, 3], [2, 3], table) == (3, "valleys")
    assert pick_winner({"elbow": None}, [], [], table) == (4, "silhouette")
    assert pick_winner({"elbow": None}, [], [], scores(silhouette=[np.nan, np.nan])) == (2, "silhouette")


def test_share_naming_counts_only_criteria_that_name_a_k() -> None:
    assert share_naming({"silhouette": 3, "elbow": 3, "stability": 4, "valleys": None}, 3) == pytest.approx(
        2 / 3
    )
    assert share_naming({"silhouette": None}, 3) == 0.0


@pytest.mark.parametrize(
    ("k", "silhouette", "admissible", "valleys_scored", "structure"),
    [
        (3, 0.5, [3], True, "clear"),
        (3, 0.49, [3], True, "weak"),
        (3, 0.8, [2], True, "weak"),  # a gap somewhere, not at every boundary of k=3
        (3, 0.24, [3], True, "none"),
        (3, 0.69, [], True, "none"),  # no gap anywhere and short of a strong silhouette
        (3, 0.7, [], True, "weak"),
        (3, 0.6, [], False, "weak"),  # no dip tests: no valleys says nothing
        (3, np.nan, [3], True, "none"),  # a missing silhouette counts as 0
    ],
)
def test_judge_structure(
    k: int, silhouette: float, admissible: list[int], valleys_scored: bool, structure: str
) -> None:
    assert judge_structure(k, silhouette, admissible, valleys_scored) == structure


@pytest.mark.parametrize(
    ("structure", "agreement", "stability", "confidence"),
    [
        ("clear", 0.6, 0.8, "strong"),
        ("clear", 0.5, 0.8, "moderate"),  # half is not most
        ("clear", 0.6, 0.79, "moderate"),
        ("clear", 0.6, np.nan, "strong"),  # a missing stability does not count against
        ("weak", 1.0, 1.0, "moderate"),
        ("weak", 0.5, 0.59, "weak"),
        ("weak", 0.49, 0.9, "weak"),
        ("none", 1.0, 1.0, "weak"),
    ],
)
def test_judge_confidence(structure: str, agreement: float, stability: float, confidence: str) -> None:
    assert judge_confidence(structure, agreement, stability) == confidence


def test_name_favourites_asks_every_voting_criterion() -> None:
    votes = name_favourites(
        scores(silhouette=[0.3, 0.7, 0.5], calinski_harabasz=[10, 30, 20], davies_bouldin=[1, 0.5, 0.8])
    )
    assert {"silhouette": 3, "calinski_harabasz": 3, "davies_bouldin": 3}.items() <= votes.items()
    assert votes["stability"] is None  # not in the table: no opinion
    assert "inertia" not in votes  # scored in a sweep, but does not vote
