"""Gower's distance per user column, and K-Medoids measuring by it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

from clusterlab import ClusterLab
from clusterlab.core import Preprocessor, Settings, detect_roles
from clusterlab.core.methods import fitted_from_state
from clusterlab.core.methods.gower import GowerColumn, GowerSpace, uses_gower
from clusterlab.core.methods.kmedoids import MedoidFit, MedoidMethod
from clusterlab.core.roles.column_roles import ColumnChoices


def _three_rows() -> tuple[pd.DataFrame, np.ndarray]:
    """Three rows of a number, a category and a yes/no, and their Gower distances by hand:
    income range 40 - 10 = 30; each column counts 1/3.
    d(0, 1) = (|10 - 40| / 30 + 1 + 1) / 3 = 1;  d(0, 2) = (10 / 30 + 0 + 1) / 3 = 4 / 9;
    d(1, 2) = (20 / 30 + 1 + 0) / 3 = 5 / 9."""
    frame = pd.DataFrame(
        {"income": [10.0, 40.0, 20.0], "plan": ["Basic", "Plus", "Basic"], "member": ["Yes", "No", "No"]}
    )
    expected = np.array([[0, 1, 4 / 9], [1, 0, 5 / 9], [4 / 9, 5 / 9, 0]])
    return frame, expected


def _space(frame: pd.DataFrame, **settings: object) -> tuple[Preprocessor, np.ndarray, GowerSpace]:
    # Two levels in three rows would read as a yes/no: 'plan' is said to be a category.
    roles, _ = detect_roles(frame, ColumnChoices(roles={"plan": "categorical"}))
    given = {
        "method": "kmedoids",
        "distance": "auto",
        "heavy_tails": "keep",
        "category_weight": 1,
        **settings,
    }
    pre = Preprocessor(roles, Settings.parse(given))
    matrix = pre.fit_transform(frame)
    return pre, matrix, GowerSpace.learn(matrix, pre.gower_columns())


def test_gower_distance_of_three_rows_is_computed_per_user_column() -> None:
    frame, expected = _three_rows()
    pre, matrix, space = _space(frame)
    assert [(c.name, c.kind) for c in pre.gower_columns() or ()] == [
        ("income", "number"),
        ("plan", "category"),
        ("member", "flag"),
    ]
    assert np.allclose(space.pairwise(matrix), expected, atol=1e-6)
    assert np.allclose(space.to_points(matrix, matrix), expected)


def test_category_weights_are_the_weights_of_gowers_mean() -> None:
    frame, _ = _three_rows()
    pre, matrix, space = _space(frame, category_weight=0.5)
    assert [c.weight for c in pre.gower_columns() or ()] == [1.0, 0.5, 0.5]
    # Category and yes/no at weight 0.5 (income 1), a weighted mean: d(0, 1) = (1 + 0.5 + 0.5) / 2,
    # d(0, 2) = (1/3 + 0 + 0.5) / 2 = 5/12, d(1, 2) = (2/3 + 0.5 + 0) / 2 = 7/12.
    assert np.allclose(space.pairwise(matrix)[[0, 0, 1], [1, 2, 2]], [1.0, 5 / 12, 7 / 12], atol=1e-6)


def test_a_new_value_beyond_the_training_range_counts_as_the_range_end() -> None:
    X = np.array([[0.0], [10.0]])
    space = GowerSpace.learn(X, None)
    assert space.to_points(np.array([[25.0], [-5.0]]), X).tolist() == [[1.0, 0.0], [0.0, 1.0]]


def test_a_several_part_column_counts_once() -> None:
    # One number (column 0) and a date-like column of two parts (1:3): the parts share its weight.
    X = np.array([[0.0, 0.0, 0.0], [1.0, 1.0, 1.0], [0.0, 1.0, 0.0]])
    columns = (GowerColumn("x", "number", 0, 1), GowerColumn("when", "number", 1, 3))
    assert np.allclose(GowerSpace.learn(X, columns).pairwise(X)[0], [0.0, 1.0, 0.25])


@pytest.mark.parametrize(
    ("distance", "kinds", "gower"),
    [
        ("auto", ["number", "category"], True),
        ("auto", ["number", "flag"], True),
        ("auto", ["number", "number"], False),
        ("euclidean", ["category"], False),
        ("gower", ["number"], True),
    ],
)
def test_auto_is_gower_when_a_category_or_yes_no_is_used(
    distance: str, kinds: list[str], gower: bool
) -> None:
    assert uses_gower(distance, kinds) is gower


def _plan_carries_the_groups(n_per: int = 80, seed: int = 0) -> pd.DataFrame:
    """Three groups that 'plan' carries (its group's level in 99% of rows, a random one otherwise);
    'spend' (long-tailed) shifts a little with the group and 'age' is noise. Most of the evidence
    is in one category: Gower gives it a whole column's say, the encoded space far less."""
    rng = np.random.default_rng(seed)
    levels = np.array(["Basic", "Plus", "Premium"])
    group = np.repeat(np.arange(3), n_per)
    n = len(group)
    return pd.DataFrame(
        {
            "plan": levels[np.where(rng.random(n) < 0.99, group, rng.integers(0, 3, n))],
            "spend": np.exp(rng.normal(4 + 0.3 * group, 0.6)).round(2),
            "age": rng.normal(45, 12, n).round(0),
            "truth": group,
        }
    ).sample(frac=1.0, random_state=seed, ignore_index=True)


def test_kmedoids_by_gower_finds_groups_carried_by_a_category() -> None:
    frame = _plan_carries_the_groups()
    # "auto": Gower, since 'plan' is a category.
    model = ClusterLab(k=3, method="kmedoids", settings={"distance": "auto"}, label="truth").fit(frame)
    assert model.fitted_.distance == "gower"  # type: ignore[attr-defined]
    assert adjusted_rand_score(frame["truth"], model.labels_) >= 0.95
    # The encoded (Euclidean) space on the same rows misses them: why Gower is offered.
    euclid = ClusterLab(k=3, method="kmedoids", settings={"distance": "euclidean"}, label="truth").fit(frame)
    assert adjusted_rand_score(frame["truth"], euclid.labels_) < 0.6


def test_an_unrelated_category_does_not_cut_the_rows_with_learned_weights() -> None:
    # Three round blobs in two numbers and 'colour', three levels independent of them. Plain Gower
    # (every column weighs 1) splits the rows by colour; the learned weight (about 1/6) does not.
    rng = np.random.default_rng(3)
    blob = rng.integers(0, 3, 600)
    frame = pd.DataFrame(np.array([[0.0, 0.0], [6.0, 0.0], [3.0, 5.2]])[blob] + rng.normal(size=(600, 2)))
    frame.columns = ["x", "y"]
    frame["colour"] = np.array(["red", "green", "blue"])[rng.integers(0, 3, 600)]
    learned = ClusterLab(k=3, method="kmedoids", settings={"distance": "gower", "resamples": 0}).fit(frame)
    assert adjusted_rand_score(blob, learned.labels_) >= 0.95
    plain = {"distance": "gower", "resamples": 0, "category_weight": 1}
    assert (
        adjusted_rand_score(blob, ClusterLab(k=3, method="kmedoids", settings=plain).fit(frame).labels_) < 0.5
    )


def test_medoids_are_real_rows_and_gower_skips_pca_with_a_note() -> None:
    frame = _plan_carries_the_groups()
    model = ClusterLab(k=3, method="kmedoids", settings={"distance": "gower"}, label="truth").fit(frame)
    matrix = model.transform(frame)
    assert "reduce" not in model.preprocessor_.pipeline_.named_steps
    assert np.allclose(matrix[model.representatives_], model.cluster_centers_)
    assert any("Gower" in note.message and "PCA" in note.message for note in model.notes_)
    euclid = ClusterLab(k=3, method="kmedoids", settings={"distance": "euclidean"}).fit(frame)
    assert "reduce" in euclid.preprocessor_.pipeline_.named_steps
    assert not any("Gower" in note.message for note in euclid.notes_)


def test_the_state_round_trips_and_predicts_the_training_labels() -> None:
    frame = _plan_carries_the_groups()
    pre, matrix, _ = _space(frame.drop(columns="truth"))
    method = MedoidMethod().with_columns(pre.gower_columns())
    fitted = method.fit(matrix, 3, seed=0, n_init=2)
    restored = fitted_from_state(fitted.to_state())
    assert isinstance(restored, MedoidFit)
    assert restored.distance == "gower"
    assert np.array_equal(restored.predict(matrix), fitted.labels)


def test_a_state_from_before_the_distance_setting_stays_euclidean() -> None:
    old = {"method": "kmedoids", "centers": [[0.0, 0.0], [10.0, 0.0]]}  # no "distance": older files
    restored = fitted_from_state(old)
    assert isinstance(restored, MedoidFit)
    assert restored.distance == "euclidean"
    assert restored.predict(np.array([[4.0, 3.0], [6.0, -3.0]])).tolist() == [0, 1]


def test_above_the_limit_ranges_come_from_every_row(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(MedoidMethod, "max_rows", 60)
    frame = _plan_carries_the_groups()
    pre, matrix, space = _space(frame.drop(columns="truth"))
    fitted = MedoidMethod("gower").with_columns(pre.gower_columns()).fit(matrix, 3, seed=0, n_init=1)
    assert isinstance(fitted, MedoidFit)
    assert fitted.space is not None
    assert np.array_equal(fitted.space.low, space.low)
    assert np.array_equal(fitted.space.high, space.high)
    assert len(fitted.labels) == len(matrix)
    assert np.array_equal(fitted.predict(matrix), fitted.labels)
    assert adjusted_rand_score(frame["truth"], fitted.labels) >= 0.9


def test_an_unknown_distance_names_the_setting() -> None:
    from clusterlab.core import SettingsError

    with pytest.raises(
        SettingsError, match=r"^distance must be one of 'auto', 'euclidean', 'gower'; got 'manhattan'"
    ):
        Settings.parse({"distance": "manhattan"})


def test_the_sweeps_silhouette_measures_by_gowers_distance() -> None:
    from sklearn.metrics import silhouette_score

    frame = _plan_carries_the_groups()
    settings = {"distance": "gower", "resamples": 0, "k_min": 2, "k_max": 4}
    model = ClusterLab(k="auto", method="kmedoids", settings=settings, label="truth").fit(frame)
    matrix = model.transform(frame)
    gower = GowerSpace.learn(matrix, model.preprocessor_.gower_columns()).pairwise(matrix)
    table = model.sweep_.table.set_index("k")
    for k in (2, 3, 4):
        labels = model.sweep_.fits[k].labels
        expected = silhouette_score(gower, labels, metric="precomputed")
        assert table.loc[k, "silhouette"] == pytest.approx(expected, abs=1e-4)
        assert abs(expected - silhouette_score(matrix, labels)) > 0.01  # not the encoded space's
