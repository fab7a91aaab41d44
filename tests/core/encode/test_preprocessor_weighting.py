"""Block weighting: a many-level category must not outweigh a numeric column."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score
from tests.conftest import make_blob_table

from clusterlab.core import Preprocessor, Settings, detect_roles


def _table(rng: np.random.Generator, n: int = 400) -> tuple[pd.DataFrame, np.ndarray]:
    """Two groups in one numeric column; a 10-level category that is pure noise."""
    frame, truth = make_blob_table(n // 2, [[0.0], [3.0]], cluster_std=0.6, columns=["amount"], shuffle=True)
    frame["colour"] = rng.choice([f"c{i}" for i in range(10)], n)
    return frame, truth


def _matrix(frame: pd.DataFrame, **settings: object) -> tuple[Preprocessor, np.ndarray]:
    roles, _ = detect_roles(frame)
    pre = Preprocessor(roles, Settings.parse({"pca_variance": 1.0, **settings}))
    return pre, pre.fit_transform(frame)


def test_each_block_has_the_variance_of_one_column(rng: np.random.Generator) -> None:
    frame, _ = _table(rng)
    pre, matrix = _matrix(frame, category_weight=1.0)
    names = pre.encoded_names_
    colour = [i for i, name in enumerate(names) if name.startswith("colour=")]
    amount = names.index("amount")
    assert len(colour) == 10
    assert matrix[:, colour].var(axis=0).sum() == pytest.approx(1.0, rel=1e-6)
    assert matrix[:, amount].var() == pytest.approx(1.0, rel=1e-6)


def test_a_ten_level_category_does_not_dominate_a_numeric_column(rng: np.random.Generator) -> None:
    frame, truth = _table(rng)
    _, balanced = _matrix(frame)
    found = KMeans(2, n_init=10, random_state=0).fit_predict(balanced)
    assert adjusted_rand_score(truth, found) > 0.9
    _, unweighted = _matrix(frame, weighting="none", category_weight=1.0)
    # Without weighting the ten one-hot columns carry ten times the variance of 'amount'.
    names = _matrix(frame, weighting="none")[0].encoded_names_
    colour = [i for i, name in enumerate(names) if name.startswith("colour=")]
    assert unweighted[:, colour].var(axis=0).sum() == pytest.approx(10.0, rel=1e-6)


def test_rare_levels_are_not_blown_up(rng: np.random.Generator) -> None:
    n = 500
    frame = pd.DataFrame(
        {
            "x": rng.normal(size=n),
            "plan": np.where(rng.random(n) < 0.02, "rare", rng.choice(["a", "b", "c"], n)),
        }
    )
    frame.loc[0, "plan"] = "rare"
    pre, matrix = _matrix(frame, min_category_share=0.0)
    rare = pre.encoded_names_.index("plan=rare")
    # Standardising the rare indicator on its own would put its rows about 7 sd away.
    assert np.abs(matrix[:, rare]).max() < 1.5


def test_weighting_is_reported_and_switchable(rng: np.random.Generator) -> None:
    frame, _ = _table(rng)
    pre, _ = _matrix(frame)
    assert any(c["step"] == "weighting" and c["detail"]["columns"] == {"colour": 10} for c in pre.choices_)
    assert any("counts as one column" in n.message for n in pre.notes_)
    off, _ = _matrix(frame, weighting="none")
    assert not any(c["step"] == "weighting" for c in off.choices_)


def test_state_round_trip_transforms_identically(rng: np.random.Generator) -> None:
    frame, _ = _table(rng)
    pre, matrix = _matrix(frame)
    restored = Preprocessor.from_state(pre.to_state(), pre.roles, pre.settings)
    np.testing.assert_allclose(restored.transform(frame), matrix)
    assert restored.choices_ == pre.choices_


def test_a_fixed_category_weight_is_reported_and_switchable(rng: np.random.Generator) -> None:
    frame, _ = _table(rng)
    pre, _ = _matrix(frame, category_weight=0.5)
    assert any(
        c["step"] == "category weight" and c["detail"] == {"weight": 0.5, "columns": ["colour"]}
        for c in pre.choices_
    )
    assert any(
        "Category and yes/no columns count as 0.5 of a numeric column" in n.message for n in pre.notes_
    )
    full, _ = _matrix(frame, category_weight=1.0)
    assert not any(c["step"] == "category weight" for c in full.choices_)


def test_the_notes_name_five_weighted_columns_and_come_in_the_order_of_the_steps(
    rng: np.random.Generator,
) -> None:
    n = 300
    frame = pd.DataFrame(
        {"amount": rng.normal(size=n), **{f"cat{i}": rng.choice(["a", "b", "c"], n) for i in range(6)}}
    )
    roles, _ = detect_roles(frame)
    pre = Preprocessor(roles, Settings()).fit(frame)
    messages = [n.message for n in pre.notes_]
    assert [m.split(" ")[0] for m in messages] == ["Columns", "Category", "PCA"]
    assert "'cat0' (3), 'cat1' (3), 'cat2' (3), 'cat3' (3), 'cat4' (3) ... (turn off" in messages[0]
    assert (
        "'cat0', 'cat1', 'cat2', 'cat3', 'cat4' ... 0.16 to 0.17 (no other column agrees with them"
        in messages[1]
    )
    assert messages[2].startswith(f"PCA kept {pre.n_components_} of 19 encoded columns (95% of the variance)")
    assert [c["step"] for c in pre.choices_ if c["column"] is None] == ["weighting", "category weight"]
