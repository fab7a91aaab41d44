"""The five methods side by side: hand-checkable toy sets, the agreement matrix's invariants, row order
and the estimator's ``method_comparison_``."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_moons
from sklearn.metrics import adjusted_rand_score

from clusterlab.core.choose_k.method_comparison import (
    SAMPLE_ROWS,
    MethodComparison,
    compare_methods,
    matched_numbers,
)
from clusterlab.core.estimator import ClusterLab
from clusterlab.core.settings import Settings

SEED = 3


def moons_and_blob() -> tuple[np.ndarray, np.ndarray]:
    """Two moons beside a round blob, standardised: density finds the three, K-Means cuts a moon."""
    X, y = make_moons(300, noise=0.06, random_state=SEED)
    blob = np.random.default_rng(SEED).normal([3.2, 1.5], 0.2, size=(120, 2))
    X = np.vstack([X, blob])
    return (X - X.mean(axis=0)) / X.std(axis=0), np.concatenate([y, np.full(120, 2)]) + 1


def by_name(comparison: MethodComparison) -> dict[str, np.ndarray]:
    return {m.method: m.labels for m in comparison.methods}


@pytest.fixture(scope="module")
def moons() -> tuple[np.ndarray, np.ndarray, MethodComparison]:
    X, truth = moons_and_blob()
    # The run's method is K-Means with the truth's k; its "final labels" are K-Means' own.
    from sklearn.cluster import KMeans

    numbers = KMeans(3, n_init=3, random_state=SEED).fit_predict(X) + 1
    comparison = compare_methods(X, numbers, "kmeans", Settings.parse({"seed": SEED}))
    assert comparison is not None
    return X, truth, comparison


def test_density_recovers_moons_and_kmeans_does_not(
    moons: tuple[np.ndarray, np.ndarray, MethodComparison],
) -> None:
    _, truth, comparison = moons
    labels = by_name(comparison)
    truth = truth[comparison.rows]
    kept = labels["hdbscan"] > 0
    assert adjusted_rand_score(truth[kept], labels["hdbscan"][kept]) > 0.95
    assert adjusted_rand_score(truth, labels["kmeans"]) < 0.8
    hdbscan = next(m for m in comparison.methods if m.method == "hdbscan")
    assert hdbscan.k == 3
    assert hdbscan.noise < 0.05


def test_every_method_at_the_runs_k_but_hdbscan(
    moons: tuple[np.ndarray, np.ndarray, MethodComparison],
) -> None:
    _, _, comparison = moons
    assert [m.method for m in comparison.methods] == ["kmeans", "gmm", "hierarchical", "hdbscan", "kmedoids"]
    assert [m.chosen for m in comparison.methods] == [True, False, False, False, False]
    for m in comparison.methods:
        assert len(m.labels) == len(comparison.rows)
        if m.method != "hdbscan":
            assert m.k == 3
            assert m.noise == 0.0
            assert set(m.labels.tolist()) == {1, 2, 3}
        assert m.silhouette is not None
        assert -1 <= m.silhouette <= 1


def test_agreement_is_symmetric_with_one_on_the_diagonal(
    moons: tuple[np.ndarray, np.ndarray, MethodComparison],
) -> None:
    _, _, comparison = moons
    a = comparison.agreement
    assert a.shape == (5, 5)
    np.testing.assert_allclose(a, a.T)
    np.testing.assert_allclose(np.diag(a), 1.0)
    labels = by_name(comparison)
    assert a[0, 1] == pytest.approx(adjusted_rand_score(labels["kmeans"], labels["gmm"]))
    # K-Means and K-Medoids cut the moons alike; HDBSCAN's three groups are another answer than the
    # convex methods' (Ward's tree may come close to either: 0.80 against HDBSCAN's with scikit-learn 1.9).
    agreeing = comparison.agreeing()
    assert ("kmeans", "kmedoids") in agreeing
    assert not {("kmeans", "hdbscan"), ("gmm", "hdbscan"), ("hdbscan", "kmedoids")} & set(agreeing)


def test_labels_are_matched_to_the_runs_numbering(
    moons: tuple[np.ndarray, np.ndarray, MethodComparison],
) -> None:
    _, _, comparison = moons
    labels = by_name(comparison)
    # The same group has the same number: most rows of K-Means' cluster c carry c under K-Medoids too.
    same = np.mean(labels["kmeans"] == labels["kmedoids"])
    assert same > 0.9


def test_row_order_shuffled_rows_give_the_same_comparison() -> None:
    X, truth = moons_and_blob()
    order = np.random.default_rng(SEED).permutation(len(X))
    settings = Settings.parse({"seed": SEED})
    a = compare_methods(X, truth, "hdbscan", settings)
    b = compare_methods(X[order], truth[order], "hdbscan", settings)
    assert a is not None
    assert b is not None
    # Under 1,500 rows every row is in the sample, in input order: row i of b is row order[i] of a.
    assert a.rows.tolist() == list(range(len(X)))
    for ma, mb in zip(a.methods, b.methods, strict=True):
        assert ma.method == mb.method
        assert adjusted_rand_score(ma.labels[order], mb.labels) > 0.9


def test_seeded_sample_of_at_most_sample_rows(rng: np.random.Generator) -> None:
    X = np.r_[rng.normal(0, 1, (2000, 3)), rng.normal(8, 1, (1000, 3))]
    numbers = np.repeat([1, 2], [2000, 1000])
    settings = Settings.parse({"seed": 5})
    a = compare_methods(X, numbers, "kmeans", settings)
    b = compare_methods(X, numbers, "kmeans", settings)
    assert a is not None
    assert b is not None
    assert len(a.rows) == SAMPLE_ROWS
    assert np.all(np.diff(a.rows) > 0)
    assert a.rows.tolist() == b.rows.tolist()
    assert [m.labels.tolist() for m in a.methods] == [m.labels.tolist() for m in b.methods]
    # The run's own labels are its final labels on the sample rows, unchanged.
    assert a.methods[0].labels.tolist() == numbers[a.rows].tolist()


@pytest.mark.parametrize(
    ("n_rows", "k"),
    [(19, 2), (100, 1)],
)
def test_none_for_too_few_rows_or_one_cluster(n_rows: int, k: int, rng: np.random.Generator) -> None:
    X = rng.normal(size=(n_rows, 2))
    numbers = np.arange(n_rows) % k + 1
    assert compare_methods(X, numbers, "kmeans", Settings.parse({})) is None


def test_matched_numbers_by_hand() -> None:
    # Label 1 shares two rows with number 1, label 0 two with number 2; label 2 has no partner: 3.
    assert matched_numbers(np.array([1, 1, 0, 0, -1, 2]), np.array([1, 1, 2, 2, 2, 0])).tolist() == [
        1,
        1,
        2,
        2,
        0,
        3,
    ]
    assert matched_numbers(np.array([-1, -1]), np.array([1, 2])).tolist() == [0, 0]


def test_to_dict_is_json_ready_and_summary_form_has_no_labels(
    moons: tuple[np.ndarray, np.ndarray, MethodComparison],
) -> None:
    import json

    _, _, comparison = moons
    full = json.loads(json.dumps(comparison.to_dict()))
    assert len(full["rows"]) == len(comparison.rows)
    assert len(full["methods"][0]["labels"]) == len(comparison.rows)
    short = comparison.to_dict(labels=False)
    assert "rows" not in short
    assert all("labels" not in m for m in short["methods"])
    assert short["sample_rows"] == len(comparison.rows)
    assert short["chosen"] == "kmeans"


def test_the_estimator_keeps_it_and_reuses_what_the_run_measured() -> None:
    X, _ = moons_and_blob()
    frame = pd.DataFrame(X, columns=["a", "b"])
    model = ClusterLab(k=3, method="kmeans", settings={"seed": SEED}).fit(frame)
    comparison = model.method_comparison_
    assert comparison is not None
    assert comparison.chosen == "kmeans"
    assert comparison.k == 3
    kmeans = comparison.methods[0]
    # K-Means' reproducibility is the sweep's stability at k = 3, not a new measure.
    at_3 = model.sweep_.table.set_index("k").loc[3, "stability"]
    assert kmeans.stability == pytest.approx(round(float(at_3), 3))
    clustered = np.flatnonzero(model.labels_ >= 0)
    assert kmeans.labels.tolist() == model.labels_[clustered[comparison.rows]].tolist()
    assert "compare" in model.timings_


def test_a_method_that_cannot_fit_leaves_its_rows_unclustered(monkeypatch: pytest.MonkeyPatch) -> None:
    from clusterlab.core.methods.kmedoids import MedoidMethod

    def refuse(*args: object, **kwargs: object) -> None:
        raise ValueError("too few distinct rows")

    monkeypatch.setattr(MedoidMethod, "fit", refuse)
    X, truth = moons_and_blob()
    comparison = compare_methods(X, truth, "kmeans", Settings.parse({"seed": SEED}))
    assert comparison is not None
    kmedoids = by_name(comparison)["kmedoids"]
    assert (kmedoids == 0).all()
    assert next(m for m in comparison.methods if m.method == "kmedoids").noise == 1.0
