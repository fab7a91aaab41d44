"""The recommendation across methods: each toy set is made for one method, with a fixed seed.

Every set is standardised first, as the estimator's encoding does, and goes through K-Means' own
sweep and recommendation before the methods are compared, as in a run with ``method="auto"``.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from sklearn.cluster import HDBSCAN, KMeans
from sklearn.datasets import make_blobs, make_moons
from sklearn.metrics import adjusted_rand_score

from clusterlab.core.choose_k import Recommendation, method_candidates, recommend, sweep_k
from clusterlab.core.choose_k.density_validity import density_validity, mutual_reachability
from clusterlab.core.choose_k.method_choice import (
    Candidate,
    MethodChoice,
    choose_method,
    decide,
    elongation,
    min_cluster_size,
)


def _standard(X: np.ndarray) -> np.ndarray:
    return (X - X.mean(axis=0)) / X.std(axis=0)


def elongated(seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Four long thin groups (axes 3 : 0.4) at different angles, side by side: K-Means cuts across them."""
    rng = np.random.default_rng(seed)
    parts, truth = [], []
    for i, (x, y, angle) in enumerate([(0, 0, 0.3), (6, 0, -0.3), (0, 6, 1.2), (6, 6, 2.0)]):
        c, s = np.cos(angle), np.sin(angle)
        parts.append(rng.normal(size=(120, 2)) * [3.0, 0.4] @ np.array([[c, s], [-s, c]]) + [x, y])
        truth += [i] * 120
    return _standard(np.vstack(parts)), np.array(truth)


def moons_and_blob(seed: int) -> tuple[np.ndarray, np.ndarray]:
    X, y = make_moons(300, noise=0.06, random_state=seed)
    blob = np.random.default_rng(seed).normal([3.2, 1.5], 0.2, size=(120, 2))
    return _standard(np.vstack([X, blob])), np.concatenate([y, np.full(120, 2)])


def round_blobs(seed: int) -> tuple[np.ndarray, np.ndarray]:
    X, y = make_blobs(400, centers=4, cluster_std=0.6, random_state=seed)
    return _standard(X), y


def one_cloud(seed: int) -> tuple[np.ndarray, np.ndarray]:
    return _standard(np.random.default_rng(seed).normal(size=(400, 2))), np.zeros(400, dtype=int)


def _mixture_ari(X: np.ndarray, truth: np.ndarray, seed: int) -> float:
    from sklearn.mixture import GaussianMixture

    return float(adjusted_rand_score(truth, GaussianMixture(4, random_state=seed).fit_predict(X)))


def _choose(X: np.ndarray, seed: int) -> MethodChoice:
    sweep = sweep_k(X, range(2, 9), seed=seed)
    return choose_method(X, recommend(sweep), {k: fit.labels for k, fit in sweep.fits.items()}, seed)


@pytest.mark.parametrize("seed", [0, 1])
def test_elongated_groups_get_a_mixture(seed: int) -> None:
    X, truth = elongated(seed)
    choice = _choose(X, seed)
    assert (choice.method, choice.k) == ("gmm", 4)
    assert _mixture_ari(X, truth, seed) > 0.8  # the groups touch where they cross
    assert choice.reason.startswith("The groups are elongated: a Gaussian mixture with 4 components")
    mixture = next(c for c in choice.candidates if c.method == "gmm")
    assert mixture.elongation is not None
    assert mixture.elongation > 5  # the made axis ratio is 7.5
    kmeans = next(c for c in choice.candidates if c.method == "kmeans")
    assert kmeans.k != 4  # the case the mixture is for: K-Means alone would miss the groups


@pytest.mark.parametrize("seed", [0, 1])
def test_moons_beside_a_blob_get_a_density_method(seed: int) -> None:
    X, truth = moons_and_blob(seed)
    choice = _choose(X, seed)
    assert (choice.method, choice.k) == ("hdbscan", 3)
    assert "density method (HDBSCAN) finds 3 clusters" in choice.reason
    density = next(c for c in choice.candidates if c.method == "hdbscan")
    # K-Means cannot draw 3 clusters without cutting a moon: its partition is far less valid.
    assert density.validity is not None
    assert density.kmeans_validity is not None
    assert density.validity > density.kmeans_validity + 0.2
    assert density.min_cluster_share is not None
    size = min_cluster_size(density.min_cluster_share, len(X))
    assert (
        adjusted_rand_score(
            truth, HDBSCAN(min_cluster_size=size, min_samples=min(size, 10), copy=True).fit_predict(X)
        )
        > 0.95
    )


@pytest.mark.parametrize("seed", [0, 1])
def test_round_blobs_keep_kmeans(seed: int) -> None:
    X, _ = round_blobs(seed)
    choice = _choose(X, seed)
    assert (choice.method, choice.k, choice.confidence) == ("kmeans", 4, "strong")
    assert choice.alternatives == []


@pytest.mark.parametrize("seed", [0, 1])
def test_one_cloud_has_no_structure(seed: int) -> None:
    X, _ = one_cloud(seed)
    choice = _choose(X, seed)
    assert choice.method == "kmeans"
    assert choice.confidence == "weak"
    assert choice.reason.startswith("No clear cluster structure")
    mixture = next(c for c in choice.candidates if c.method == "gmm")
    assert mixture.k == 1  # ICL: one component describes one cloud best


def test_the_choice_is_reproducible_with_the_seed() -> None:
    X, _ = moons_and_blob(3)
    first, second = _choose(X, 3), _choose(X, 3)
    assert first.to_dict() == second.to_dict()


def test_density_validity_prefers_the_partition_along_the_gaps() -> None:
    X, truth = moons_and_blob(0)
    mr = mutual_reachability(X)
    across = (X[:, 0] > np.median(X[:, 0])).astype(int)  # a straight cut through both moons
    assert density_validity(mr, truth) > 0.5
    assert density_validity(mr, across) < 0
    assert np.isnan(density_validity(mr, np.zeros(len(X), dtype=int)))  # one cluster: undefined


def test_noise_counts_against_validity() -> None:
    X, truth = moons_and_blob(0)
    mr = mutual_reachability(X)
    half_noise = truth.copy()
    half_noise[::2] = -1
    assert density_validity(mr, half_noise) < density_validity(mr, truth)


def test_elongation_measures_axes_and_volumes() -> None:
    ratio, unequal = elongation(np.array([np.diag([9.0, 1.0]), np.diag([4.0, 4.0]), np.diag([1.0, 1.0])]))
    assert ratio == pytest.approx(1.0)  # axis ratios 3, 1, 1
    assert unequal == pytest.approx(2.0)  # geometric-mean axes sqrt(3), 2, 1


def test_the_estimator_with_method_auto_names_the_method_it_fitted() -> None:
    import pandas as pd

    from clusterlab.core import ClusterLab
    from clusterlab.core.methods import METHODS

    if "hdbscan" not in METHODS:
        pytest.skip("HDBSCAN is not registered in this build")
    X, truth = moons_and_blob(0)
    model = ClusterLab(method="auto", settings={"seed": 0}).fit(pd.DataFrame(X, columns=["a", "b"]))
    rec = model.recommendation_
    assert (rec.method, model.method_.name) == ("hdbscan", "hdbscan")
    # K-Means' own answer is kept beside the recommendation: 3 clusters that cut a moon (its 2, the
    # moons together and the blob, split through gaps that a moon's bend puts in every projection).
    assert rec.kmeans_k == 3
    assert rec.kmeans_k is not None
    assert adjusted_rand_score(truth, model.sweep_.fits[rec.kmeans_k].labels) < 0.9
    assert {m["method"] for m in rec.methods} == {"kmeans", "hdbscan", "gmm"}
    assert model.k_ == rec.k == 3
    assert adjusted_rand_score(truth, model.labels_) > 0.95


def test_the_sample_note_names_the_method_auto_chose(monkeypatch: pytest.MonkeyPatch) -> None:
    import pandas as pd

    from clusterlab.core import ClusterLab, estimator

    monkeypatch.setattr(estimator, "SWEEP_ROWS", 300)  # k chosen on a sample of the 420 rows
    X, _ = moons_and_blob(0)
    model = ClusterLab(method="auto", settings={"seed": 0}).fit(pd.DataFrame(X, columns=["a", "b"]))
    assert model.method_.name == "hdbscan"
    said = [n.message for n in model.notes_ if "seeded sample of 300" in n.message]
    assert said == [
        "k was chosen on a seeded sample of 300 of the 420 rows; the final HDBSCAN fit uses every row."
    ]


def test_a_density_fit_on_every_row_that_finds_another_k_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    """The density method is judged on a sample and fitted again on every row, where it finds its own
    number of clusters: when that differs from the number judged, the shown k is the fit's and a note
    says so (here the judged number is made up: 5 where HDBSCAN finds the 3 groups)."""
    import pandas as pd

    from clusterlab.core import ClusterLab, estimator

    density = Candidate("hdbscan", 5, stability=0.9, min_cluster_share=0.05)
    made_up = MethodChoice("hdbscan", 5, "moderate", "Density's 5.", [density], [])
    monkeypatch.setattr(estimator, "choose_method", lambda *args, **kwargs: made_up)
    X, _ = moons_and_blob(0)
    model = ClusterLab(method="auto", settings={"seed": 0}).fit(pd.DataFrame(X, columns=["a", "b"]))
    assert (model.method_.name, model.k_, model.recommendation_.k) == ("hdbscan", 3, 3)
    said = [n.text() for n in model.notes_ if "fitted on all" in n.message]
    assert said == [
        "The recommendation judged HDBSCAN's 5 clusters on a seeded sample of the rows; fitted on all "
        "420 rows it finds 3, which are the clusters shown. Set k to 5 for K-Means with that many."
    ]


def test_the_estimator_keeps_kmeans_on_round_blobs() -> None:
    import pandas as pd

    from clusterlab.core import ClusterLab

    X, truth = round_blobs(0)
    model = ClusterLab(method="auto", settings={"seed": 0}).fit(pd.DataFrame(X, columns=["a", "b"]))
    assert (model.recommendation_.method, model.method_.name, model.k_) == ("kmeans", "kmeans", 4)
    assert model.recommendation_.kmeans_k == 4
    assert adjusted_rand_score(truth, model.labels_) > 0.95


def test_a_mixture_may_not_join_round_groups_across_valleys() -> None:
    """Five round groups in three numbers beside a count and a rating unrelated to them (``make
    bench-families``' few_values, seed 2): every boundary of K-Means' 5 is a valley, but the count and
    the rating leave two of its clusters invalid by DBCV. A mixture of 4 bell-shaped components joins
    two of the groups, reproducibly (98%): it won, "strong", before the mixture was held to the
    valleys alone."""
    import pandas as pd

    from clusterlab.core import ClusterLab

    rng = np.random.default_rng(2)
    k = int(rng.integers(3, 6))
    X, truth = make_blobs(1000, centers=k, n_features=3, center_box=(-10, 10), random_state=2)
    frame = pd.DataFrame(X, columns=["x0", "x1", "x2"])
    frame["children"] = rng.integers(0, 4, 1000)
    frame["rating"] = rng.integers(1, 6, 1000)
    model = ClusterLab(k="auto", settings={"seed": 42}).fit(frame)
    mixture = next(c for c in model.recommendation_.methods if c["method"] == "gmm")
    assert (mixture["k"], mixture["merges"]) == (4, True)  # the mixture still joins two groups
    assert (model.recommendation_.method, model.k_) == ("kmeans", 5)
    assert adjusted_rand_score(truth, model.labels_) > 0.9


def test_moons_beside_unrelated_categories_get_density_when_kmeans_counts_the_same() -> None:
    """Two noisy moons and two category columns unrelated to them (``make bench-families``'
    moons_categories, seed 1): K-Means' criteria name 2, and cut both moons; HDBSCAN's 2 are each
    valid but only 0.31 apart by DBCV, below the usual 1/3, and the categories leave the mixture no
    flat pieces to corroborate the curves. K-Means' own count does."""
    import pandas as pd

    from clusterlab.core import ClusterLab

    rng = np.random.default_rng(1)
    n, noise = int(rng.integers(400, 1500)), float(rng.uniform(0.04, 0.1))
    X, truth = make_moons(n_samples=n, noise=noise, random_state=1)
    frame = pd.DataFrame(X, columns=["x0", "x1"])
    frame["member"] = rng.choice(["yes", "no"], n)
    frame["colour"] = rng.choice(["red", "green", "blue"], n)
    model = ClusterLab(k="auto", settings={"seed": 0}).fit(frame)
    rec = model.recommendation_
    assert (rec.method, model.k_, rec.confidence, rec.kmeans_k) == ("hdbscan", 2, "moderate", 2)
    assert rec.reason.startswith("The groups are not round: K-Means' criteria name 2 clusters, and a density")
    assert adjusted_rand_score(truth, model.labels_) > 0.95


# --- the rule on hand-made evidence ---------------------------------------------------------------
def _kmeans_rec(k: int = 2, confidence: str = "moderate") -> Recommendation:
    return Recommendation(
        k=k, confidence=confidence, structure="weak", reason="K-Means' reason.", stability=0.9
    )


KM = Candidate("kmeans", 2, stability=0.9, validity=0.1)
DENSE = Candidate(
    "hdbscan", 3, stability=0.95, validity=0.6, agreement_with_kmeans=0.5, noise=0.05, kmeans_validity=-0.3
)
MIXED = Candidate(
    "gmm", 4, stability=0.9, validity=-0.2, agreement_with_kmeans=0.4, elongation=4.0, unequal=1.2
)

# Five groups, each valid, inside K-Means' two clusters; K-Means with five about as valid.
FINER = Candidate(
    "hdbscan",
    5,
    stability=0.95,
    validity=0.7,
    agreement_with_kmeans=0.6,
    noise=0.01,
    kmeans_validity=0.65,
    all_valid=True,
    refines=["kmeans", "gmm"],
)

# A small group split off a big one: density agrees with K-Means' answer at 0.97 and is less valid by
# DBCV than K-Means' own (the split-off group is nearer its neighbour than the groups were to each
# other), but every cluster is valid; K-Means with 5 does not draw them.
SMALL = replace(FINER, agreement_with_kmeans=0.97, validity=0.5, kmeans_validity=0.15)

# Two noisy moons (make_moons, noise 0.09): each moon valid, but only 1.1 to 1.4 times its widest inner gap away.
CURVED = Candidate(
    "hdbscan",
    2,
    stability=0.99,
    validity=0.16,
    agreement_with_kmeans=0.5,
    noise=0.01,
    kmeans_validity=-0.79,
    all_valid=True,
)


# Three spiral arms (sipu's spiral): each arm valid, DBCV 0.25 (a thin arm's widest inner gap is wide
# for its density), HDBSCAN's own refits agree only 50%, single linkage's cut into 3 draws the arms
# on resampled rows 98% alike; K-Means' own answer is 10 pieces (here 2, the rule's K-Means).
CHAINS = replace(CURVED, k=3, stability=0.5, validity=0.25, kmeans_validity=-0.88, chained=0.98)


@pytest.mark.parametrize(
    ("density", "mixture", "method", "k"),
    [
        (DENSE, None, "hdbscan", 3),
        (replace(DENSE, noise=0.3), None, "kmeans", 2),  # too much noise
        (replace(DENSE, stability=0.7), None, "kmeans", 2),  # not reproducible
        (replace(DENSE, agreement_with_kmeans=0.9), None, "kmeans", 2),  # K-Means says the same
        (replace(DENSE, validity=0.3, kmeans_validity=-0.5), None, "kmeans", 2),  # below 1/3
        (replace(DENSE, kmeans_validity=0.5), None, "kmeans", 2),  # K-Means with 3 about as valid
        (None, MIXED, "gmm", 4),
        (None, replace(MIXED, elongation=1.5), "kmeans", 2),  # round and equal: K-Means' shape
        (None, replace(MIXED, elongation=1.5, unequal=5.0), "gmm", 4),  # unequal spreads
        (None, replace(MIXED, stability=0.75), "kmeans", 2),
        (None, replace(MIXED, agreement_with_kmeans=0.85), "kmeans", 2),
        (DENSE, MIXED, "hdbscan", 3),  # density first
        (FINER, None, "kmeans", 5),  # K-Means at density's k: round groups K-Means' criteria merged
        (replace(FINER, refines=[]), None, "kmeans", 2),  # its groups cut across K-Means' clusters
        (replace(FINER, all_valid=False), None, "kmeans", 2),  # a fragment is no group
        # K-Means with 5 draws them no better than its own 2: density's own 5 groups (_splits).
        (replace(FINER, validity=0.4, kmeans_validity=0.25), None, "hdbscan", 5),
        (SMALL, None, "hdbscan", 5),
        (replace(SMALL, all_valid=False), None, "kmeans", 2),  # a fragment is no group
        (replace(SMALL, noise=0.25), None, "kmeans", 2),  # too much noise
        (replace(SMALL, refines=[]), None, "kmeans", 2),  # its groups cut across K-Means' clusters
        (replace(SMALL, validity=0.3), None, "kmeans", 2),  # below 1/3
        (replace(SMALL, stability=0.7), None, "kmeans", 2),  # not reproducible
        (replace(SMALL, k=2), None, "kmeans", 2),  # not more clusters than K-Means'
        (replace(SMALL, valleys_in_numbers=False), None, "kmeans", 2),  # gaps between a category's levels
        (replace(FINER, valleys_in_numbers=False), None, "kmeans", 2),  # the same for K-Means at its k
        (replace(FINER, validity=0.3), None, "kmeans", 2),  # below 1/3
        (replace(FINER, stability=0.7), None, "kmeans", 2),  # not reproducible
        (FINER, replace(MIXED, k=3), "kmeans", 5),  # the mixture's components hold several groups
        (replace(FINER, refines=["kmeans"]), replace(MIXED, k=3, validity=0.6), "gmm", 3),  # they do not
        (replace(DENSE, agreement_with_kmeans=0.9), MIXED, "kmeans", 2),  # a credible density veto
        # Two noisy moons: density's valid 2 below 1/3, a mixture's 6 flat pieces tiling them.
        (CURVED, replace(MIXED, k=6, pieces=True), "hdbscan", 2),
        (CURVED, replace(MIXED, k=6, pieces=False), "gmm", 6),  # bell-shaped pieces: elongated groups
        # No mixture to say the groups are curved, but K-Means' own answer names 2 groups too: the
        # count is corroborated, and density's boundaries are the better ones (_corroborated).
        (CURVED, None, "hdbscan", 2),
        (replace(CURVED, k=3), None, "kmeans", 2),  # 3 where K-Means names 2: below 1/3, nothing else
        (replace(CURVED, all_valid=False), None, "kmeans", 2),  # corroborated, but a cluster not valid
        (replace(CURVED, stability=0.7), None, "kmeans", 2),  # corroborated, not reproducible
        (replace(CURVED, all_valid=False), replace(MIXED, k=6, pieces=True), "kmeans", 2),
        (replace(CURVED, kmeans_validity=0.0), replace(MIXED, k=6, pieces=True), "kmeans", 2),
        (replace(CURVED, stability=0.7), replace(MIXED, k=6, pieces=True), "kmeans", 2),
        # Chains (_chained): single linkage draws density's clusters, reproducibly.
        (CHAINS, None, "hdbscan", 3),
        (replace(CHAINS, chained=None), None, "kmeans", 2),  # single linkage draws other groups
        (replace(CHAINS, chained=0.7), None, "kmeans", 2),  # its chains do not come back
        (replace(CHAINS, all_valid=False), None, "kmeans", 2),  # a fragment is no group
        (replace(CHAINS, noise=0.3), None, "kmeans", 2),  # too much noise
        (replace(CHAINS, kmeans_validity=0.1), None, "kmeans", 2),  # K-Means' 3 about as valid
        (replace(CHAINS, agreement_with_kmeans=0.9), None, "kmeans", 2),  # K-Means says the same
        (replace(CHAINS, merges=True), None, "kmeans", 2),  # it only joins K-Means' clusters
        (replace(CHAINS, validity=0.5), None, "hdbscan", 3),  # above 1/3, HDBSCAN's refits 50%
        (replace(CHAINS, validity=0.5, merges=True), None, "kmeans", 2),
    ],
)
def test_the_rule(density: Candidate | None, mixture: Candidate | None, method: str, k: int) -> None:
    candidates = [c for c in (KM, density, mixture) if c is not None]
    choice = decide(_kmeans_rec(), KM, density, mixture, candidates)
    assert (choice.method, choice.k) == (method, k)


@pytest.mark.parametrize(
    ("density", "mixture", "opening"),
    [
        (DENSE, None, "The groups are not round: a density method (HDBSCAN) finds 3 clusters"),
        (CURVED, replace(MIXED, k=6, pieces=True), "The groups are curved:"),
        (CURVED, None, "The groups are not round: K-Means' criteria name 2 clusters"),
    ],
)
def test_every_density_answer_states_its_evidence_and_noise(
    density: Candidate, mixture: Candidate | None, opening: str
) -> None:
    """Each way density wins says what it rests on in the same words, the rows left as noise too."""
    density = replace(density, noise=0.04)
    candidates = [c for c in (KM, density, mixture) if c is not None]
    choice = decide(_kmeans_rec(), KM, density, mixture, candidates)
    assert choice.method == "hdbscan"
    assert choice.reason.startswith(opening)
    evidence = (
        f"(density-based validity {density.validity:.2f} against {density.kmeans_validity:.2f}; "
        f"resampled fits agree {density.stability:.0%}, 4% of rows left as noise)."
    )
    assert choice.reason.endswith(evidence)


@pytest.mark.parametrize(
    ("merges", "admissible", "valid", "method"),
    [
        (True, [2, 3, 4], True, "kmeans"),  # it only joins K-Means' clusters, which lie apart: K-Means
        (True, [2, 3], True, "hdbscan"),  # K-Means' 4 has a boundary without a valley: density may join
        # A K-Means cluster is not valid (a piece of a shell): density sees the shell as one group; a
        # mixture, convex like K-Means, has no such measure and may not join clusters across valleys.
        (True, [2, 3, 4], False, "hdbscan"),
        (False, [2, 3, 4], True, "hdbscan"),  # its clusters cut across K-Means': another shape
    ],
)
def test_density_may_not_only_join_kmeans_clusters_that_lie_apart(
    merges: bool, admissible: list[int], valid: bool, method: str
) -> None:
    km = replace(KM, k=4, all_valid=valid)
    density = replace(DENSE, merges=merges)
    rec = replace(_kmeans_rec(k=4), admissible=admissible)
    assert decide(rec, km, density, None, [km, density]).method == method
    mixture = replace(MIXED, k=3, merges=merges)  # the same for a mixture, but for the shell's pieces
    joins_valleys = merges and 4 in admissible
    assert decide(rec, km, None, mixture, [km, mixture]).method == ("kmeans" if joins_valleys else "gmm")


@pytest.mark.parametrize(
    ("own", "other", "wins"),
    [
        (0.9, 0.79, False),  # K-Means' answer is reproducible: the absolute bar holds
        (0.39, 0.79, True),  # K-Means' answer is not: fairly stable and 0.2 more reproducible wins
        (0.5, 0.65, False),  # only 0.15 more
        (0.3, 0.55, False),  # 0.25 more, but below "fairly stable" (0.6)
    ],
)
def test_reproducible_is_judged_against_kmeans_answer_when_that_falls_short(
    own: float, other: float, wins: bool
) -> None:
    km = replace(KM, stability=own)
    for candidate, method in (
        (replace(MIXED, stability=other), "gmm"),
        (replace(DENSE, stability=other), "hdbscan"),
    ):
        density, mixture = (candidate, None) if method == "hdbscan" else (None, candidate)
        choice = decide(_kmeans_rec(), km, density, mixture, [km, candidate])
        assert (choice.method == method) is wins


def test_a_close_call_is_named_beside_kmeans() -> None:
    mixture = replace(MIXED, elongation=1.2, unequal=1.1)  # reproducible, different, but round
    choice = decide(_kmeans_rec(), KM, None, mixture, [KM, mixture])
    assert (choice.method, choice.alternatives) == ("kmeans", ["gmm"])
    assert choice.reason == (
        "K-Means' reason. Also worth a look: a Gaussian mixture finds 4 clusters that resampled fits "
        "reproduce 90%."
    )


def test_a_strong_kmeans_answer_is_not_second_guessed_by_a_density_method() -> None:
    X, _ = moons_and_blob(0)
    choice = choose_method(X, _kmeans_rec(2, "strong"), {2: np.zeros(len(X), dtype=int)}, 0)
    assert (choice.method, choice.k, choice.confidence) == ("kmeans", 2, "strong")
    assert [c.method for c in choice.candidates] == ["kmeans"]  # HDBSCAN was not fitted


@pytest.mark.parametrize("seed", [0, 1])
def test_a_strong_kmeans_answer_gives_way_to_markedly_elongated_groups(seed: int) -> None:
    """K-Means cuts long groups the same wrong way every time, so its criteria can be unanimous and
    its answer reproducible ("strong") and still wrong: a reproducible mixture of components four
    times as long as wide or more replaces it."""
    X, _ = elongated(seed)
    labels = {3: KMeans(3, n_init=10, random_state=seed).fit_predict(X)}
    choice = choose_method(X, _kmeans_rec(3, "strong"), labels, seed)
    assert (choice.method, choice.k) == ("gmm", 4)
    assert choice.reason.startswith("The groups are elongated: a Gaussian mixture with 4 components")
    assert [c.method for c in choice.candidates] == ["kmeans", "gmm"]


@pytest.mark.parametrize("seed", [0, 1])
def test_a_strong_kmeans_answer_on_round_blobs_stays(seed: int) -> None:
    X, _ = round_blobs(seed)
    labels = {4: KMeans(4, n_init=10, random_state=seed).fit_predict(X)}
    choice = choose_method(X, _kmeans_rec(4, "strong"), labels, seed)
    assert (choice.method, choice.k, choice.confidence) == ("kmeans", 4, "strong")


@pytest.mark.parametrize(
    ("change", "kept"),
    [
        ({}, "gmm"),
        ({"elongation": 3.9}, "kmeans"),  # elongated, not markedly: a strong K-Means answer stays
        ({"stability": 0.79}, "kmeans"),  # not reproducible enough
        ({"agreement_with_kmeans": 0.85}, "kmeans"),  # the same answer as K-Means'
        ({"collapsed": 0.25}, "kmeans"),  # components on a category's levels
    ],
)
def test_what_a_mixture_needs_to_replace_a_strong_answer(change: dict[str, float], kept: str) -> None:
    from clusterlab.core.choose_k.method_rule import _markedly_elongated

    km = Candidate("kmeans", 2, stability=1.0)
    assert ("gmm" if _markedly_elongated(replace(MIXED, **change), km) else "kmeans") == kept


@pytest.mark.parametrize(
    ("stability", "tails", "confidence"),
    [
        (0.95, -1.5, "strong"),  # reproducible, every component bell-shaped (cut off: lighter-tailed)
        (0.95, 2.9, "strong"),
        (0.95, None, "strong"),  # not measured: no evidence against
        (0.95, 3.0, "moderate"),  # one component three standard errors above a Gaussian's kurtosis
        (0.85, -1.5, "moderate"),  # not reproducible enough for strong
    ],
)
def test_a_mixture_is_strong_only_with_bell_shaped_components(
    stability: float, tails: float | None, confidence: str
) -> None:
    """A component drawn over two groups that cross comes back the same way in every resampled fit,
    so reproducibility alone does not make the mixture's count strong."""
    mixture = replace(MIXED, stability=stability, tails=tails)
    choice = decide(_kmeans_rec(), KM, None, mixture, [KM, mixture])
    assert (choice.method, choice.k, choice.confidence) == ("gmm", 4, confidence)
    crossing = "At least one component is far from bell-shaped (kurtosis 3 standard errors above"
    assert (crossing in choice.reason) == (tails == 3.0)


def crossing_bars(seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Four long thin groups: two crossing at 30 degrees in an X, two apart."""
    rng = np.random.default_rng(seed)

    def bar(angle: float, centre: tuple[float, float]) -> np.ndarray:
        turn = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
        return (rng.normal(size=(300, 2)) * [4.0, 0.5]) @ turn.T + centre

    X = np.vstack([bar(0.5, (0, 0)), bar(1.0, (0, 0)), bar(0.2, (14, 4)), bar(1.6, (-12, 6))])
    return _standard(X), np.repeat(np.arange(4), 300)


@pytest.mark.parametrize("seed", [0, 1])
def test_a_mixture_over_crossing_groups_is_not_strong(seed: int) -> None:
    """The mixture draws the X as one component (3 for 4 groups) in every resampled fit; K-Means'
    strong answer gives way to it (it is better), but the count is not strong: the X's component is
    far from bell-shaped. Where the bars cross at a wide angle the mixture separates them, and its
    components are bell-shaped."""
    X, _ = crossing_bars(seed)
    labels = {2: KMeans(2, n_init=10, random_state=seed).fit_predict(X)}
    choice = choose_method(X, _kmeans_rec(2, "strong"), labels, seed)
    mixture = next(c for c in choice.candidates if c.method == "gmm")
    assert mixture.k == 3
    assert mixture.tails is not None
    assert mixture.tails >= 3.0
    assert (choice.method, choice.k, choice.confidence) == ("gmm", 3, "moderate")
    assert "far from bell-shaped" in choice.reason


def test_bell_shaped_components_are_not_heavy_tailed() -> None:
    X, truth = elongated(0)
    mixture, labels = method_candidates.mixture_candidate(X, None, np.zeros(len(X), dtype=int), 0)
    assert mixture is not None
    assert mixture.k == 4
    assert adjusted_rand_score(truth, labels) > 0.85
    assert mixture.tails is not None
    assert mixture.tails < 3.0


def test_a_mixture_collapsed_onto_discrete_values_is_shown_never_chosen() -> None:
    collapsed = replace(MIXED, collapsed=0.5)
    choice = decide(_kmeans_rec(), KM, None, collapsed, [KM, collapsed])
    assert (choice.method, choice.alternatives) == ("kmeans", [])


def test_components_on_a_category_level_are_collapsed() -> None:
    # Two groups in one number; a yes/no column that is constant within each group: every component
    # of a mixture sits on one of its values, flat in that direction.
    rng = np.random.default_rng(0)
    flag = np.repeat([0.0, 1.0], 300)
    X = np.column_stack([flag * 4 + rng.normal(size=600), rng.normal(size=600), flag])
    mixture, _ = method_candidates.mixture_candidate(X, mutual_reachability(X), (flag > 0).astype(int), 0)
    assert mixture is not None
    assert mixture.collapsed == 1.0


def test_a_given_k_is_fitted_with_the_method_auto_recommends() -> None:
    import pandas as pd

    from clusterlab.core import ClusterLab

    X, truth = elongated(0)
    frame = pd.DataFrame(X, columns=["a", "b"])
    model = ClusterLab(k=4, settings={"seed": 0}).fit(frame)
    assert (model.recommendation_.method, model.method_.name, model.k_) == ("gmm", "gmm", 4)
    kmeans = ClusterLab(k=4, method="kmeans", settings={"seed": 0}).fit(frame)
    assert adjusted_rand_score(truth, model.labels_) > 0.8  # the groups touch where they cross
    assert adjusted_rand_score(truth, model.labels_) > adjusted_rand_score(truth, kmeans.labels_) + 0.1


def test_a_given_k_uses_kmeans_when_auto_recommends_a_density_method() -> None:
    import pandas as pd

    from clusterlab.core import ClusterLab

    X, _ = moons_and_blob(0)
    model = ClusterLab(k=4, settings={"seed": 0}).fit(pd.DataFrame(X, columns=["a", "b"]))
    assert (model.recommendation_.method, model.method_.name, model.k_) == ("hdbscan", "kmeans", 4)
    assert any("with k = 4 asked for, K-Means was used" in n.message for n in model.notes_)


def test_refines_asks_each_fine_cluster_to_sit_in_one_coarse_cluster() -> None:
    fine = np.array([0] * 10 + [1] * 10 + [2] * 10 + [-1] * 5)
    coarse = np.array([0] * 20 + [1] * 10 + [0] * 5)  # noise rows do not count
    assert method_candidates.refines(fine, coarse)
    straddles = coarse.copy()
    straddles[:3] = 1  # 3 of 30 clustered rows outside their cluster's coarse cluster: 90% < 95%
    assert not method_candidates.refines(fine, straddles)


def unequal_round_groups(seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Three big tight round groups close together and five small sparse ones (1.5% of the rows
    each) far from them, after the sipu "unbalance" set: K-Means' criteria merge the small ones."""
    rng = np.random.default_rng(seed)
    big = [(15.0, 35.0), (18.0, 38.0), (21.0, 35.0)]
    small = [(44.0, 30.0), (44.0, 40.0), (49.0, 35.0), (54.0, 30.0), (54.0, 40.0)]
    X = np.vstack(
        [rng.normal(c, 0.3, size=(600, 2)) for c in big] + [rng.normal(c, 1.0, size=(30, 2)) for c in small]
    )
    return X, np.repeat(np.arange(8), [600] * 3 + [30] * 5)


def test_the_share_of_the_smallest_cluster_is_the_finest_with_every_cluster_valid() -> None:
    # At 5% of the rows the five small groups (1.5% each) cannot be clusters and join as one; at 1%
    # each is found, and each is farther from the others than its own widest gap.
    X, truth = unequal_round_groups(0)
    S = (X - X.mean(0)) / X.std(0)
    mr = mutual_reachability(S)
    density, labels = method_candidates.density_candidate(S, mr, np.zeros(len(S), dtype=int), 0)
    assert density is not None
    assert labels is not None
    assert (density.k, density.all_valid) == (8, True)
    assert adjusted_rand_score(truth, labels) > 0.95
    coarse = method_candidates.hdbscan_labels(S, 0.05)
    assert int(coarse.max()) + 1 < 8
    assert method_candidates.refines(labels, coarse)


def test_unequal_round_groups_get_kmeans_with_every_group() -> None:
    import pandas as pd

    from clusterlab.core import ClusterLab

    X, truth = unequal_round_groups(0)
    model = ClusterLab(method="auto", settings={"seed": 0}).fit(pd.DataFrame(X, columns=["a", "b"]))
    rec = model.recommendation_
    assert (rec.method, model.k_) == ("kmeans", 8), rec.reason
    # K-Means' criteria name fewer; its 8 split them through gaps and come back on resampled rows
    # (step 2b of the recommendation), which HDBSCAN's 8 groups confirm.
    assert "8 clusters split" in rec.reason
    assert adjusted_rand_score(truth, model.labels_) > 0.95


def small_groups_beside_big_ones() -> tuple[np.ndarray, np.ndarray]:
    """Six round groups of 101 to 1,408 rows in two numbers (unit spread, centres 6 to 12 apart):
    K-Means' criteria name 5, joining a small group to a big one; HDBSCAN finds all 6, each valid."""
    from sklearn.datasets import make_blobs

    sizes = [1408, 101, 965, 268, 129, 247]
    X, y = make_blobs(n_samples=sizes, n_features=2, center_box=(-12, 12), random_state=7)
    return X, y


def test_density_splitting_kmeans_clusters_through_gaps_is_the_answer() -> None:
    import pandas as pd

    from clusterlab.core import ClusterLab

    X, truth = small_groups_beside_big_ones()
    model = ClusterLab(method="auto", settings={"seed": 0}).fit(pd.DataFrame(X, columns=["a", "b"]))
    rec = model.recommendation_
    assert rec.kmeans_k == 5  # K-Means' own answer joins two groups
    assert (rec.method, model.k_, rec.confidence) == ("hdbscan", 6, "moderate"), rec.reason
    assert rec.reason.startswith("K-Means' 5 clusters join groups that lie apart: a density method")
    density = next(c for c in model.method_choice_.candidates if c.method == "hdbscan")
    assert density.agreement_with_kmeans is not None
    assert density.agreement_with_kmeans >= 0.8  # "the same answer" by ARI: a small group barely moves it
    assert density.stability is not None  # resampled although it agrees
    assert density.stability >= 0.8
    assert adjusted_rand_score(truth, model.labels_) > 0.95


# --- curved groups: a mixture's flat pieces tile density's groups ----------------------------------
def noisy_moons(seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Two moons with noise 0.09: they come within 1.1 to 1.4 times their widest inner gap of each other."""
    X, y = make_moons(1104, noise=0.09, random_state=seed)
    return _standard(X), y


def test_noisy_moons_get_a_density_method_through_the_mixture_pieces() -> None:
    X, truth = noisy_moons(5)
    choice = _choose(X, 5)
    mixture = next(c for c in choice.candidates if c.method == "gmm")
    density = next(c for c in choice.candidates if c.method == "hdbscan")
    assert density.validity is not None
    assert 0 < density.validity < 1 / 3
    assert mixture.k >= 4
    assert mixture.pieces
    assert mixture.flatness is not None
    assert mixture.flatness < -0.6
    assert (choice.method, choice.k, choice.confidence) == ("hdbscan", 2, "moderate")
    assert choice.reason.startswith("The groups are curved: a density method (HDBSCAN) finds 2 clusters")
    size = min_cluster_size(density.min_cluster_share or 0.01, len(X))
    labels = HDBSCAN(min_cluster_size=size, min_samples=min(size, 10), copy=True).fit_predict(X)
    assert adjusted_rand_score(truth, labels) > 0.95


@pytest.mark.parametrize("seed", [0, 1])
def test_elongated_groups_are_bell_shaped_along_their_length(seed: int) -> None:
    X, truth = elongated(seed)
    assert method_candidates.flatness(X, truth) > -0.6
    X, truth = noisy_moons(seed)
    pieces = KMeans(6, n_init=3, random_state=seed).fit_predict(X)  # three straight pieces per moon
    assert method_candidates.flatness(X, pieces) < -0.6


def test_pieces_asks_for_several_flat_clusters_inside_each_valid_density_group() -> None:
    from clusterlab.core.choose_k.method_rule import _pieces

    density_labels = np.repeat([0, 1], 30)
    three_each = np.repeat([0, 1, 2, 3, 4, 5], 10)
    across = np.tile(np.repeat([0, 1, 2], 10), 2)  # each cluster half in one group, half in the other
    mixture = Candidate("gmm", 6, flatness=-1.0)
    density = Candidate("hdbscan", 2, all_valid=True, noise=0.0)
    assert _pieces(mixture, three_each, density, density_labels)
    assert not _pieces(replace(mixture, k=3), across, density, density_labels)
    assert not _pieces(replace(mixture, flatness=-0.2), three_each, density, density_labels)
    assert not _pieces(mixture, three_each, replace(density, all_valid=False), density_labels)
    assert not _pieces(mixture, three_each, replace(density, noise=0.3), density_labels)
    assert not _pieces(replace(mixture, k=2), density_labels, density, density_labels)  # not more


def test_flatness_is_judged_among_the_numbers_of_many_values() -> None:
    """A count and a rating unrelated to the groups are flat in every group: measured with them, round
    groups would look like flat pieces; among the numbers of many values they are bells."""
    import pandas as pd

    from clusterlab.core import ClusterLab

    rng = np.random.default_rng(5)
    X, truth = make_blobs(1000, centers=5, n_features=3, center_box=(-10, 10), random_state=5)
    frame = pd.DataFrame(X, columns=["a", "b", "c"])
    frame["children"] = rng.integers(0, 4, 1000)
    frame["rating"] = rng.integers(1, 6, 1000)
    model = ClusterLab(k=5, settings={"seed": 0}).fit(frame)
    rows = np.asarray(model.transform(frame))
    measured = model._measured()
    assert measured is not None
    assert measured.shape == (rows.shape[1], 3)  # a, b and c
    assert method_candidates.flatness(rows, truth) < -0.6
    assert method_candidates.flatness(rows @ measured, truth) > -0.6
    only_numbers = ClusterLab(k=5, settings={"seed": 0}).fit(frame[["a", "b", "c"]])
    assert only_numbers._measured() is None  # every column is one: the rows themselves


@pytest.mark.parametrize(
    ("agreement", "flat", "method"),
    [
        (0.99, 0.2, "kmeans"),  # a mixture draws K-Means' clusters as bells: they are groups
        (0.99, -1.0, "hdbscan"),  # flat pieces cut alike (a shell): density may join them
        (0.6, 0.2, "hdbscan"),  # the mixture draws other clusters: no confirmation
    ],
)
def test_density_may_not_join_clusters_a_mixture_confirms(agreement: float, flat: float, method: str) -> None:
    """K-Means' 4 clusters: not every boundary a valley, some cluster not valid by DBCV (scattered
    rows, unrelated columns); density's 3 only join two of them."""
    km = replace(KM, k=4, all_valid=False)
    density = replace(DENSE, merges=True)
    mixture = Candidate("gmm", 4, agreement_with_kmeans=agreement, flatness=flat, elongation=1.2, unequal=1.1)
    rec = replace(_kmeans_rec(k=4), admissible=[2, 3])
    assert decide(rec, km, density, mixture, [km, density, mixture]).method == method
    assert decide(rec, km, density, None, [km, density]).method == "hdbscan"


def test_flatness_without_numbers_of_many_values_is_unknown() -> None:
    """Without such numbers (or clusters of 10 rows) a mixture is neither flat pieces nor a confirmation."""
    labels = np.repeat([0, 1], 20)
    assert np.isnan(method_candidates.flatness(np.zeros((40, 0)), labels))
    assert np.isnan(method_candidates.flatness(np.ones((8, 2)), np.arange(8)))
    from clusterlab.core.choose_k.method_rule import _confirmed

    agreeing = Candidate("gmm", 4, agreement_with_kmeans=0.99, flatness=float("nan"))
    assert not _confirmed(agreeing)
    assert _confirmed(replace(agreeing, flatness=0.1))


def test_valleys_in_numbers_ignores_gaps_between_levels() -> None:
    from clusterlab.core.choose_k.method_choice import _valleys_in_numbers

    # Two groups in a number of many values; a yes/no splits one of them. Density-like labels that
    # follow the yes/no have no valley among the number; labels that follow the groups do.
    rng = np.random.default_rng(0)
    number = np.r_[rng.normal(0, 1, 300), rng.normal(8, 1, 300)]
    flag = np.r_[rng.random(300) < 0.5, np.zeros(300, dtype=bool)].astype(float)
    S = np.column_stack([number, 5 * flag])
    measured = np.array([[1.0], [0.0]])  # the map onto the number
    groups = np.repeat([0, 1], 300)
    by_level = np.where(flag > 0, 2, groups)
    assert _valleys_in_numbers(S, measured, groups, 0)
    assert not _valleys_in_numbers(S, measured, by_level, 0)
    assert _valleys_in_numbers(S, None, by_level, 0)  # every column a measurement
    assert not _valleys_in_numbers(S, np.zeros((2, 0)), groups, 0)  # no number at all


# --- chains ----------------------------------------------------------------------------------------
def spiral_arms(seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Three arms of one turn each around a common centre (radius 3 to 15), 100 rows evenly spaced
    along each (about 0.6 apart, against 4 between arms), jittered by 0.1: sipu's spiral."""
    rng = np.random.default_rng(seed)
    fine = np.linspace(0, 2 * np.pi, 2000)
    radius = 3 + 12 * fine / (2 * np.pi)
    arc = np.concatenate([[0], np.cumsum(np.hypot(*np.diff(radius * [np.cos(fine), np.sin(fine)])))])
    theta = np.interp(np.linspace(0, arc[-1], 100), arc, fine)
    r = 3 + 12 * theta / (2 * np.pi)
    arms = [
        np.c_[r * np.cos(theta + 2 * np.pi * i / 3), r * np.sin(theta + 2 * np.pi * i / 3)] for i in range(3)
    ]
    return np.vstack(arms) + rng.normal(0, 0.1, (300, 2)), np.repeat(np.arange(3), 100)


@pytest.mark.parametrize("seed", [0, 1])
def test_spiral_arms_are_chains_for_a_density_method(seed: int) -> None:
    """K-Means' 3 cut across the arms; HDBSCAN finds the 3 arms but its own refits on resampled rows
    pick different pieces of them (about 15% alike); single linkage's cut into 3 draws the arms
    reproducibly, which is the evidence the answer rests on (_chained)."""
    import pandas as pd

    from clusterlab.core import ClusterLab

    X, truth = spiral_arms(seed)
    model = ClusterLab(k="auto", settings={"seed": 0}).fit(pd.DataFrame(X, columns=["x", "y"]))
    rec = model.recommendation_
    assert (rec.method, model.k_, rec.confidence) == ("hdbscan", 3, "moderate")
    assert rec.reason.startswith("The groups are chains: a density method (HDBSCAN) finds 3 clusters")
    density = next(c for c in rec.methods if c["method"] == "hdbscan")
    assert density["chained"] >= 0.8 > density["stability"]
    kept = model.labels_ > 0  # 0: noise
    assert kept.mean() > 0.9
    assert adjusted_rand_score(truth[kept], model.labels_[kept]) > 0.95


def test_single_linkage_chains_are_not_chance_gaps_in_a_cloud() -> None:
    """Split a Gaussian cloud in two halves, as a chance gap would: single linkage's longest link cuts
    off a stray row, not a half, so the halves are no chains (None); two lines are, reproducibly."""
    rng = np.random.default_rng(0)
    cloud = rng.normal(size=(400, 2))
    assert method_candidates.chain_stability(cloud, (cloud[:, 0] > 0).astype(int), 0, 0.8) is None
    t = rng.uniform(0, 4, 400)
    lines = np.c_[t, np.repeat([0.0, 1.0], 200)] + rng.normal(0, 0.05, (400, 2))
    stability = method_candidates.chain_stability(lines, np.repeat([0, 1], 200), 0, 0.8)
    assert stability is not None
    assert stability > 0.95


def test_a_chain_answer_states_its_evidence() -> None:
    density = replace(CHAINS, noise=0.04)
    choice = decide(_kmeans_rec(), KM, density, None, [KM, density])
    assert choice.method == "hdbscan"
    assert choice.reason.endswith(
        "single linkage, which joins the nearest rows first, draws the same 3 on resampled rows (they "
        "agree 98%), where K-Means' 3 clusters cut across them (density-based validity 0.25 against "
        "-0.88, 4% of rows left as noise)."
    )
