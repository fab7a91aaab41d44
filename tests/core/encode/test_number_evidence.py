"""Number columns nothing else depends on (``number_weight="auto"``): weighed down, and only then.

(a) Pure-noise numbers beside groups (carried by other numbers or by categories) weigh 0.125 and stop
blurring the groups; (b) every column of a structure that shows only jointly (a ring, a shell)
keeps weight 1; (c) a table without structure, and one whose evidence is ambiguous, is untouched;
(d) a column with two peaks of its own keeps its weight; (e) ``keep`` turns it off, the weights are
said and survive model.json.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score

from clusterlab.core import ClusterLab, Preprocessor, Settings, detect_roles
from clusterlab.core.encode.category_evidence import Block
from clusterlab.core.encode.number_evidence import UNRELATED_WEIGHT, number_evidence


def _fit(frame: pd.DataFrame, **settings: object) -> tuple[Preprocessor, np.ndarray]:
    roles, _ = detect_roles(frame)
    pre = Preprocessor(roles, Settings.parse({"pca_variance": 1.0, **settings}))
    return pre, pre.fit_transform(frame)


def _weights(pre: Preprocessor) -> dict[str, float]:
    return {e.column: e.weight for e in pre.number_evidence_}


def _blobs_and_noise(seed: int = 2, n: int = 900) -> tuple[pd.DataFrame, np.ndarray]:
    """Four round groups in three numbers, and two numbers of pure noise on the same scale."""
    rng = np.random.default_rng(seed)
    group = rng.integers(0, 4, n)
    centres = rng.uniform(-5, 5, size=(4, 3))
    signal = centres[group] + rng.normal(size=(n, 3))
    noise = rng.normal(size=(n, 2)) * signal.std()
    frame = pd.DataFrame(np.column_stack([signal, noise]), columns=["a", "b", "c", "noise1", "noise2"])
    return frame, group


def _groups_in_categories(seed: int = 0, n: int = 1200) -> tuple[pd.DataFrame, np.ndarray]:
    """Four groups carried by five category columns (each group its own level shares), two noise numbers."""
    rng = np.random.default_rng(seed)
    group = rng.integers(0, 4, n)
    frame = pd.DataFrame({"age": rng.normal(40, 10, n), "income": rng.normal(50, 15, n)})
    for j in range(5):
        shares = rng.dirichlet(np.ones(4) * 0.3, size=4)
        frame[f"answer{j}"] = np.array(["A", "B", "C", "D"])[[rng.choice(4, p=shares[g]) for g in group]]
    return frame, group


def test_noise_numbers_beside_numeric_groups_weigh_an_eighth_and_the_groups_are_found() -> None:
    frame, group = _blobs_and_noise()
    pre, matrix = _fit(frame)
    assert _weights(pre) == {
        "a": 1.0,
        "b": 1.0,
        "c": 1.0,
        "noise1": UNRELATED_WEIGHT,
        "noise2": UNRELATED_WEIGHT,
    }
    _, kept = _fit(frame, number_weight="keep")
    learned = adjusted_rand_score(group, KMeans(4, n_init=10, random_state=0).fit_predict(matrix))
    plain = adjusted_rand_score(group, KMeans(4, n_init=10, random_state=0).fit_predict(kept))
    assert learned > 0.9
    assert learned > plain + 0.2  # measured: 0.92 against 0.64


def test_noise_numbers_beside_groups_in_categories_stop_blurring_them() -> None:
    frame, group = _groups_in_categories()
    pre, matrix = _fit(frame)
    assert _weights(pre) == {"age": UNRELATED_WEIGHT, "income": UNRELATED_WEIGHT}
    _, kept = _fit(frame, number_weight="keep")
    learned = adjusted_rand_score(group, KMeans(4, n_init=10, random_state=0).fit_predict(matrix))
    plain = adjusted_rand_score(group, KMeans(4, n_init=10, random_state=0).fit_predict(kept))
    assert learned > plain + 0.1  # measured: 0.66 against 0.47


def test_the_columns_of_a_ring_keep_their_weight_though_each_alone_looks_like_noise() -> None:
    """Two rings around one centre: each column alone is one smooth hump and predicts nothing of the
    other on average, yet the rows depend on both (shuffling either tears the rings)."""
    rng = np.random.default_rng(2)
    radius = np.repeat([1.0, 3.0], 500) + rng.normal(0, 0.1, 1000)
    angle = rng.uniform(0, 2 * np.pi, 1000)
    frame = pd.DataFrame(
        {"x": radius * np.cos(angle), "y": radius * np.sin(angle), "z": rng.normal(size=1000)}
    )
    pre, _ = _fit(frame)
    found = {e.column: e for e in pre.number_evidence_}
    assert found["x"].change >= 10
    assert found["y"].change >= 10
    assert found["z"].weight == UNRELATED_WEIGHT
    assert found["x"].weight == found["y"].weight == 1.0


@pytest.mark.parametrize("draw", ["normal", "uniform", "gamma"])
def test_a_table_without_structure_keeps_every_weight(draw: str) -> None:
    rng = np.random.default_rng(7)
    values = getattr(rng, draw)(size=(800, 5)) if draw != "gamma" else rng.gamma(2.0, size=(800, 5))
    frame = pd.DataFrame(values, columns=list("abcde"))
    frame["colour"] = rng.choice(["red", "green", "blue"], 800)
    pre, _ = _fit(frame)
    assert set(_weights(pre).values()) == {1.0}


def test_ambiguous_evidence_leaves_every_number_at_one() -> None:
    """A column that the rest depends on weakly (neither clearly nor not at all) stops the weighing:
    a half-detected structure would be squashed along the columns weighed down."""
    rng = np.random.default_rng(5)
    n = 600
    group = rng.integers(0, 3, n)
    a = group * 6.0 + rng.normal(size=n)
    weak = 0.05 * a + rng.normal(size=n)  # depends on a, but only a little (change about 8)
    frame = pd.DataFrame(
        {"a": a, "b": group * 6.0 + rng.normal(size=n), "weak": weak, "noise": rng.normal(size=n)}
    )
    pre, _ = _fit(frame)
    found = {e.column: e for e in pre.number_evidence_}
    assert not found["weak"].unrelated
    assert not found["weak"].clear
    assert set(_weights(pre).values()) == {1.0}


def test_a_column_with_two_peaks_of_its_own_keeps_its_weight() -> None:
    """Groups may show in one column only: nothing else depends on it, but its own two peaks count."""
    rng = np.random.default_rng(8)
    n = 800
    frame = pd.DataFrame(
        {
            "two_peaks": np.repeat([0.0, 6.0], n // 2) + rng.normal(size=n),
            "noise": rng.normal(size=n),
            "other": rng.normal(size=n),
        }
    )
    pre, _ = _fit(frame)
    weights = _weights(pre)
    assert weights["two_peaks"] == 1.0
    assert weights["noise"] == weights["other"] == UNRELATED_WEIGHT


def test_keep_counts_every_number_one_and_says_nothing() -> None:
    frame, _ = _blobs_and_noise()
    pre, _ = _fit(frame, number_weight="keep")
    assert pre.number_evidence_ == []
    assert not any("depends on" in n.message for n in pre.notes_)
    assert not any(c["step"] == "number weight" for c in pre.choices_)


def test_the_weights_are_said_in_a_note_and_in_the_choices() -> None:
    frame, _ = _blobs_and_noise()
    pre, _ = _fit(frame)
    [note] = [n.message for n in pre.notes_ if "depends on" in n.message]
    assert "'noise1', 'noise2'" in note
    assert "0.125" in note
    assert '{number_weight="keep"}' in note
    [choice] = [c for c in pre.choices_ if c["step"] == "number weight"]
    assert choice["setting"] == "number_weight"
    assert choice["detail"]["columns"] == ["noise1", "noise2"]
    assert choice["detail"]["weights"]["a"] == 1.0


def test_assign_weighs_new_rows_as_the_fit_did(tmp_path: object) -> None:
    frame, _ = _blobs_and_noise()
    model = ClusterLab(k=4, method="kmeans", settings={"seed": 0}).fit(frame)
    state = model.preprocessor_.to_state()
    restored = Preprocessor.from_state(state, model.roles_, model.settings_)
    np.testing.assert_allclose(
        restored.transform(frame.head(50)), model.preprocessor_.transform(frame.head(50))
    )
    np.testing.assert_array_equal(model.predict(frame.head(200)), model.labels_[:200])


def test_the_weights_are_reproducible_with_the_seed() -> None:
    frame, _ = _blobs_and_noise(seed=3, n=2500)
    first, _ = _fit(frame, seed=5)
    second, _ = _fit(frame, seed=5)
    assert first.number_evidence_ == second.number_evidence_


def test_only_plain_number_columns_are_tested() -> None:
    rng = np.random.default_rng(0)
    unit = rng.normal(size=(300, 4))
    blocks = [
        Block("x", "numeric", 0, 1),
        Block("y", "numeric", 1, 2),
        Block("children", "numeric", 2, 3),
        Block("plan", "binary", 3, 4),
    ]
    found = number_evidence(unit, blocks, frozenset({"children"}), False, 0)
    assert [e.column for e in found] == ["x", "y"]


def test_rounded_noise_is_not_taken_for_two_peaks() -> None:
    """Ages in whole years and scores to one decimal are full of ties, which the dip test alone reads
    as peaks (p 0.02 for normal ages on 900 rows): spread over their rounding step, they have one."""
    rng = np.random.default_rng(3)
    n = 900
    group = rng.integers(0, 3, n)
    frame = pd.DataFrame(
        {
            "age": rng.normal(42, 12, n).round(0),
            "spend": np.array([200.0, 800.0, 2000.0])[group] * rng.lognormal(0, 0.25, n),
            "visits": np.array([2.0, 8.0, 20.0])[group] + rng.normal(0, 2, n),
            "score": rng.normal(70, 10, n).round(1),
        }
    )
    pre, _ = _fit(frame)
    found = {e.column: e for e in pre.number_evidence_}
    assert found["age"].dip > 0.05
    assert _weights(pre) == {"age": UNRELATED_WEIGHT, "spend": 1.0, "visits": 1.0, "score": UNRELATED_WEIGHT}


def test_one_unrelated_column_is_named_in_the_singular() -> None:
    frame, _ = _blobs_and_noise()
    pre, _ = _fit(frame.drop(columns="noise2"))
    [note] = [n.message for n in pre.notes_ if "depends on" in n.message]
    assert note.startswith(
        "A number column that nothing else in the table depends on was weighted 0.125 of a number column: "
        "'noise1' (shuffling it among the rows"
    )


@pytest.mark.parametrize(
    ("first_dip", "weighed"),
    [
        (0.0, True),  # real peaks: the rest is weighed down
        (0.0002, True),  # below 0.001 over the 4 columns tested
        (0.0009, False),  # below 0.001, but one of four uniform columns gets there by chance
    ],
)
def test_two_peaks_count_at_a_level_corrected_for_the_columns_tested(
    monkeypatch: pytest.MonkeyPatch, first_dip: float, weighed: bool
) -> None:
    from clusterlab.core.encode import number_evidence as module

    dips = iter([first_dip, 0.5, 0.5, 0.5])
    monkeypatch.setattr(module, "_dip", lambda part, rng: next(dips))
    unit = np.random.default_rng(0).uniform(size=(300, 4))
    blocks = [Block(f"c{i}", "numeric", i, i + 1) for i in range(4)]
    found = number_evidence(unit, blocks, frozenset(), False, 0)
    assert ({e.weight for e in found} == {1.0, UNRELATED_WEIGHT}) == weighed


def test_a_column_constant_in_the_sample_changes_nothing() -> None:
    from clusterlab.core.encode.number_evidence import _change
    from clusterlab.core.methods.pairwise import sample_distances

    rng = np.random.default_rng(0)
    S = np.column_stack([rng.normal(size=200), np.ones(200)]).astype(np.float32)
    change, moved = _change(sample_distances(S) ** 2, S[:, 1:], rng)
    assert (change, moved) == (0.0, 0.0)
