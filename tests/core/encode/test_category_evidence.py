"""Category weights learned from the data (``category_weight="auto"``): both ways a fixed weight fails.

(a) one unrelated category must not cut the rows into its levels; (b) groups carried only by
category columns (the numbers pure noise) must be found. Plus: a fixed weight still applies when
given, all-numeric tables are untouched, and the learned weights are reproducible and said.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score
from tests.conftest import make_mixed_table

from clusterlab.core import Preprocessor, Settings, detect_roles
from clusterlab.core.encode.category_evidence import Block, category_evidence, floor_weight


def _fit(frame: pd.DataFrame, **settings: object) -> tuple[Preprocessor, np.ndarray]:
    roles, _ = detect_roles(frame)
    pre = Preprocessor(roles, Settings.parse(settings))
    return pre, pre.fit_transform(frame)


def _kmeans(matrix: np.ndarray, k: int) -> np.ndarray:
    return KMeans(k, n_init=10, random_state=0).fit_predict(matrix)


def _blobs_and_colour(n: int = 600) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Three round blobs in two numeric columns; 'colour', three uniform levels independent of them."""
    rng = np.random.default_rng(3)
    blob = rng.integers(0, 3, n)
    centres = np.array([[0.0, 0.0], [6.0, 0.0], [3.0, 5.2]])
    frame = pd.DataFrame(centres[blob] + rng.normal(size=(n, 2)), columns=["x", "y"])
    colour = rng.integers(0, 3, n)
    frame["colour"] = np.array(["red", "green", "blue"])[colour]
    return frame, blob, colour


def _groups_in_categories(n: int = 800, keep: float = 0.8) -> tuple[pd.DataFrame, np.ndarray]:
    """Four groups carried only by five category columns (each shows the group's level in 80% of
    rows, a random level otherwise); the four numeric columns are pure noise."""
    rng = np.random.default_rng(11)
    group = rng.integers(0, 4, n)
    frame = pd.DataFrame(rng.normal(size=(n, 4)), columns=["age", "income", "visits", "spend"])
    for j in range(5):
        level = np.where(rng.random(n) < keep, group, rng.integers(0, 4, n))
        frame[f"answer{j}"] = np.array(["A", "B", "C", "D"])[level]
    return frame, group


def test_an_unrelated_category_keeps_the_floor_weight_and_does_not_cut_the_rows() -> None:
    frame, blob, colour = _blobs_and_colour()
    pre, matrix = _fit(frame)
    [found] = pre.category_evidence_
    # Three near-equal levels: Huang's half a standard deviation per mismatch is a weight of about 1/6.
    assert (found.column, found.agreement) == ("colour", {})
    assert found.weight == found.floor == pytest.approx(1 / 6, abs=0.005)
    labels = _kmeans(matrix, 3)
    assert adjusted_rand_score(blob, labels) > 0.95
    assert abs(adjusted_rand_score(colour, labels)) < 0.05


def test_an_unrelated_category_does_not_raise_the_recommended_k() -> None:
    from clusterlab.core import ClusterLab

    frame, blob, _ = _blobs_and_colour(300)
    model = ClusterLab(k="auto", settings={"seed": 1, "resamples": 0}).fit(frame)
    assert model.recommendation_.k == 3
    assert adjusted_rand_score(blob, model.labels_) > 0.95


def test_groups_carried_by_categories_are_found() -> None:
    frame, group = _groups_in_categories()
    pre, matrix = _fit(frame)
    assert [e.weight for e in pre.category_evidence_] == [1.0] * 5
    assert set(pre.category_evidence_[0].agreement) == {"answer1", "answer2", "answer3", "answer4"}
    assert adjusted_rand_score(group, _kmeans(matrix, 4)) >= 0.9
    # Huang's weight on its own (about 0.2 here) hides them: the noise in the numbers decides.
    _, low = _fit(frame, category_weight=0.2)
    assert adjusted_rand_score(group, _kmeans(low, 4)) < 0.3


def test_a_category_that_agrees_with_the_numbers_weighs_more_than_one_that_does_not() -> None:
    rng = np.random.default_rng(5)
    n = 1000
    group = rng.integers(0, 3, n)
    frame = pd.DataFrame({"income": group * 2.0 + rng.normal(size=n), "age": rng.normal(size=n)})
    frame["plan"] = np.array(["basic", "plus", "gold"])[
        np.where(rng.random(n) < 0.3, rng.integers(0, 3, n), group)
    ]
    frame["region"] = rng.choice(["N", "S", "E", "W"], n)
    pre, _ = _fit(frame)
    weights = {e.column: e.weight for e in pre.category_evidence_}
    assert weights["region"] == pytest.approx(0.19, abs=0.01)  # four levels: 0.5 * (1 - 1/4) / 2
    assert weights["plan"] > 2 * weights["region"]
    assert list(pre.category_evidence_[0].agreement) == ["income"]  # not 'age', not 'region'


@pytest.mark.parametrize("weight", [0.25, 0.5, 1.0])
def test_a_fixed_weight_applies_to_every_category_whatever_agrees_with_it(weight: float) -> None:
    frame, _ = _groups_in_categories(300)
    frame["region"] = np.random.default_rng(0).choice(["N", "S"], len(frame))
    pre, matrix = _fit(frame, category_weight=weight, pca_variance=1.0)
    assert pre.category_evidence_ == []
    for column in ("answer0", "region"):
        block = [i for i, name in enumerate(pre.encoded_names_) if name.startswith(f"{column}=")]
        assert matrix[:, block].var(axis=0).sum() == pytest.approx(weight)


def test_all_numeric_tables_are_identical_whatever_the_category_weight() -> None:
    rng = np.random.default_rng(2)
    frame = pd.DataFrame(rng.normal(size=(400, 3)), columns=["a", "b", "c"])
    frame["spend"] = np.exp(rng.normal(size=400))
    pre, learned = _fit(frame)
    _, fixed = _fit(frame, category_weight=0.5)
    np.testing.assert_array_equal(learned, fixed)
    assert pre.category_evidence_ == []
    assert not any(c["step"] == "category weight" for c in pre.choices_)


def test_learned_weights_are_said_in_a_note_and_in_the_choices() -> None:
    frame, _ = _groups_in_categories(400)
    frame["region"] = np.random.default_rng(0).choice(["N", "S", "E"], len(frame))
    pre, _ = _fit(frame)
    [note] = [n for n in pre.notes_ if n.message.startswith("Category")]
    assert "'answer0' 1.00 (agrees with 'answer" in note.message
    assert "'region' 0.17 (no other column agrees with it: alone, such a column would cut" in note.message
    [choice] = [c for c in pre.choices_ if c["step"] == "category weight"]
    assert choice["detail"]["weight"] == "auto"
    assert choice["detail"]["weights"]["region"] == choice["detail"]["floors"]["region"] < 0.2
    assert choice["detail"]["agreement"]["region"] == {}


def test_large_tables_learn_on_a_seeded_sample_and_the_model_file_keeps_the_weights() -> None:
    frame, _ = _groups_in_categories(12_000, keep=0.6)
    first, matrix = _fit(frame, seed=4)
    again, _ = _fit(frame, seed=4)
    assert [e.weight for e in first.category_evidence_] == [e.weight for e in again.category_evidence_]
    restored = Preprocessor.from_state(first.to_state(), first.roles, first.settings)
    np.testing.assert_allclose(restored.transform(frame.head(50)), matrix[:50])


def test_chance_agreement_does_not_count() -> None:
    # Two independent 4-level columns on 300 rows: their sample association is not zero, but the
    # chi-square gate (p < 0.001) leaves it out, so both keep their floor weight.
    rng = np.random.default_rng(8)
    codes = rng.integers(0, 4, size=(300, 2))
    raw = np.hstack([np.eye(4)[codes[:, 0]], np.eye(4)[codes[:, 1]]])
    unit = (raw - raw.mean(axis=0)) / np.sqrt(raw.var(axis=0).sum() / 2)
    found = category_evidence(raw, unit, [Block("a", "categorical", 0, 4), Block("b", "categorical", 4, 8)])
    assert [e.agreement for e in found] == [{}, {}]
    assert [e.weight for e in found] == [e.floor for e in found]


def test_a_copy_of_a_category_fully_agrees_with_it() -> None:
    # Hand-computed: 'b' is 'a' under other names, so a's levels explain all of b's variance
    # (Goodman-Kruskal tau 1): the strength is 1 and the weight the ceiling, 1.
    codes = np.tile([0, 1, 2], 40)
    raw = np.hstack([np.eye(3)[codes], np.eye(3)[codes]])
    unit = raw - raw.mean(axis=0)
    found = category_evidence(raw, unit, [Block("a", "categorical", 0, 3), Block("b", "categorical", 3, 6)])
    assert found[0].agreement == {"b": pytest.approx(1.0)}
    assert found[0].weight == pytest.approx(1.0)


def test_the_floor_is_huangs_mismatch_cost() -> None:
    # Hand-computed: gamma 0.5 per mismatch; w = 0.5 * (1 - sum of squared shares) / 2.
    assert floor_weight(np.array([50, 50])) == pytest.approx(0.125)
    assert floor_weight(np.array([90, 10])) == pytest.approx(0.5 * (1 - 0.81 - 0.01) / 2)
    assert floor_weight(np.array([1] * 10)) == pytest.approx(0.225)


def test_a_rare_level_is_not_put_further_away_than_a_balanced_yes_no_at_full_weight() -> None:
    # 'flag' is set on 1% of rows and agrees fully with 'twin' (a copy): uncapped it would weigh 1,
    # putting its rows about ten standard deviations away; capped, a mismatch costs 4, a weight of
    # 4 * (1 - 0.99² - 0.01²) / 2 = 0.0396.
    flag = np.zeros(1000)
    flag[:10] = 1.0
    raw = np.column_stack([flag, flag])
    unit = (raw - raw.mean(axis=0)) / raw.std(axis=0)
    found = category_evidence(raw, unit, [Block("flag", "binary", 0, 1), Block("twin", "binary", 1, 2)])
    assert found[0].weight == pytest.approx(4 * (1 - 0.99**2 - 0.01**2) / 2)


@pytest.mark.parametrize("per_group", [60, 400])
def test_a_category_that_follows_clean_numeric_groups_loosely_does_not_split_them(per_group: int) -> None:
    """'newsletter' is Yes for 90%, 50% and 10% of three groups that income and age draw cleanly:
    it agrees with them, but what they do not explain of it is noise within each group. At the
    agreement's weight (about 1) it split the groups (k = 4 at 60 rows per group, up to 9 at 400)."""
    from clusterlab.core import ClusterLab

    frame = make_mixed_table(per_group)
    truth = frame.pop("truth")
    model = ClusterLab(k="auto", settings={"method": "kmeans", "seed": 0}).fit(frame)
    found = {e.column: e for e in model.preprocessor_.category_evidence_}
    assert found["newsletter"].capped
    assert found["newsletter"].weight < 0.3
    assert found["plan"].weight > 2 * found["region"].weight  # plan follows the groups closely
    assert model.recommendation_.k == 3
    assert adjusted_rand_score(truth, model.labels_) > 0.9


# --- numbers of few values ---------------------------------------------------------------------------
def _blobs_with(column: str, seed: int = 1) -> tuple[pd.DataFrame, np.ndarray]:
    """Four round groups in three numbers, and one number of four values: unrelated ('children',
    0 to 3 drawn at random) or following the groups ('tier', the group's tier in 9 rows of 10)."""
    from sklearn.datasets import make_blobs

    rng = np.random.default_rng(seed)
    X, y = make_blobs(800, centers=4, n_features=3, center_box=(-10, 10), random_state=seed)
    frame = pd.DataFrame(X, columns=["a", "b", "c"])
    if column == "children":
        frame["children"] = rng.integers(0, 4, len(frame))
    else:
        frame["tier"] = np.where(rng.random(len(frame)) < 0.9, y % 4, rng.integers(0, 4, len(frame)))
    return frame, y


def test_an_unrelated_number_of_few_values_weighs_as_an_unrelated_category() -> None:
    frame, truth = _blobs_with("children")
    pre, matrix = _fit(frame)
    [children] = [e for e in pre.category_evidence_ if e.column == "children"]
    assert children.agreement == {}
    assert children.weight == pytest.approx(children.floor)
    assert children.weight < 0.25
    assert adjusted_rand_score(truth, _kmeans(matrix, 4)) > 0.95


def test_an_unrelated_number_of_few_values_does_not_cut_the_groups_into_its_levels() -> None:
    from clusterlab.core import ClusterLab

    frame, truth = _blobs_with("children")
    model = ClusterLab(k="auto", settings={"seed": 0}).fit(frame)
    assert model.k_ == 4, model.recommendation_.reason
    assert adjusted_rand_score(truth, model.labels_) > 0.95


def test_a_number_of_few_values_that_follows_the_groups_keeps_its_weight() -> None:
    pre, _ = _fit(_blobs_with("tier")[0])
    [tier] = [e for e in pre.category_evidence_ if e.column == "tier"]
    assert tier.weight == pytest.approx(1.0)
    assert set(tier.agreement) >= {"a", "b"}
    [note] = [n for n in pre.notes_ if "weighted by" in n.message]
    assert note.message.startswith("Number columns of only a few values ('tier') were weighted by how far")
    frame = _blobs_with("tier")[0]
    frame["colour"] = np.random.default_rng(0).choice(["red", "blue"], len(frame))
    pre, _ = _fit(frame)
    [note] = [n for n in pre.notes_ if "weighted by" in n.message]
    assert note.message.startswith(
        "Category and yes/no columns, and number columns of only a few values ('tier'),"
    )


@pytest.mark.parametrize(("values", "levelled"), [(3, True), (10, True), (11, False)])
def test_numbers_of_three_to_ten_values_are_weighed_as_levels(values: int, levelled: bool) -> None:
    # The same columns the roles step offers to treat as categories ("codes rather than amounts?").
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(rng.normal(size=(400, 2)), columns=["a", "b"])
    frame["score"] = rng.integers(1, values + 1, 400)
    pre, _ = _fit(frame)
    assert any(e.column == "score" for e in pre.category_evidence_) is levelled
    assert (detect_roles(frame)[0]["score"].codes is not None) is levelled


def test_a_few_values_that_are_not_whole_numbers_stay_a_measurement() -> None:
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(rng.normal(size=(400, 2)), columns=["a", "b"])
    frame["dose"] = rng.choice([0.5, 1.25, 2.5], 400)
    pre, _ = _fit(frame)
    assert pre.category_evidence_ == []
