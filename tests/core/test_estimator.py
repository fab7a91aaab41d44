"""The ClusterLab estimator: invariants, numbering, k handling, and the scikit-learn contract."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.metrics import adjusted_rand_score
from tests.conftest import make_blob_table

from clusterlab.core import ClusterLab, InputError, SettingsError
from clusterlab.core.estimator import order_by_size, relabel_by_size


def _blobs(sizes: tuple[int, ...] = (50, 30, 20)) -> tuple[pd.DataFrame, np.ndarray]:
    """Groups of different sizes (the largest first), far apart in columns a and b."""
    centres = [(0.0, 0.0), (10.0, 10.0), (0.0, 10.0), (10.0, 0.0)][: len(sizes)]
    return make_blob_table(sizes, centres, cluster_std=0.5, columns=["a", "b"])


def test_finds_known_groups_and_numbers_them_by_size() -> None:
    frame, truth = _blobs()
    model = ClusterLab(k=3).fit(frame)
    assert adjusted_rand_score(truth, model.labels_) == 1.0
    assert np.bincount(model.labels_)[1:].tolist() == [50, 30, 20]  # cluster 1 is the largest
    assert model.cluster_centers_.shape == (3, model.preprocessor_.n_components_)


def test_same_seed_same_labels_and_row_order_is_kept(mixed_table: pd.DataFrame) -> None:
    first = ClusterLab(k=3, label="truth").fit(mixed_table)
    second = ClusterLab(k=3, label="truth").fit(mixed_table)
    assert np.array_equal(first.labels_, second.labels_)
    assert len(first.labels_) == len(mixed_table)
    assert (
        adjusted_rand_score(mixed_table["truth"], first.labels_) > 0.9
    )  # plan weighs 0.99: its 10% strays pull a few rows


def test_shuffling_rows_shuffles_labels(mixed_table: pd.DataFrame) -> None:
    order = np.random.default_rng(3).permutation(len(mixed_table))
    labels = ClusterLab(k=3, label="truth").fit(mixed_table).labels_
    shuffled = ClusterLab(k=3, label="truth").fit(mixed_table.iloc[order].reset_index(drop=True)).labels_
    assert adjusted_rand_score(labels[order], shuffled) == 1.0


def test_predict_on_training_rows_reproduces_labels(mixed_table: pd.DataFrame) -> None:
    model = ClusterLab(k=3, label="truth").fit(mixed_table)
    assert np.array_equal(model.predict(mixed_table), model.labels_)


def test_auto_k_uses_the_recommendation() -> None:
    frame, _ = _blobs((40, 40, 40, 40))
    model = ClusterLab().fit(frame)
    assert model.k_ == model.recommendation_.k
    assert model.sweep_.ks == list(range(2, 11))


def test_few_distinct_rows_narrow_the_k_range() -> None:
    frame = pd.DataFrame({"a": ["x", "y", "z", "x", "y", "z"] * 5, "b": [1.0, 2.0, 3.0, 1.0, 2.0, 3.0] * 5})
    model = ClusterLab().fit(frame)
    assert model.sweep_.ks == [2, 3]
    assert any("narrowed to 2..3" in n.message and "3 distinct rows" in n.message for n in model.notes_)
    with pytest.raises(SettingsError, match=r"k=5 is more than the 3 distinct rows"):
        ClusterLab(k=5).fit(frame)


@pytest.mark.parametrize(
    ("frame", "message"),
    [
        (pd.DataFrame({"a": [1.0, 2.0]}), r"Only 2 row\(s\) can be clustered; at least 3 are needed"),
        (
            pd.DataFrame({"a": [1.0] * 5, "b": ["x"] * 5}),
            r"no columns to cluster \('a': constant, 'b': constant\)",
        ),
        # One row makes every column look constant; the row count is the real problem.
        (pd.DataFrame({"a": [1.0], "b": [2.0]}), r"Only 1 row\(s\) can be clustered; at least 3 are needed"),
        (
            pd.DataFrame({"a": [1.0, 1.0, 1.0, 5.0, np.nan], "b": [2.0, 2.0, 2.0, np.nan, 9.0]}),
            r"Every row has the same values in the columns used for clustering",
        ),
    ],
)
def test_degenerate_tables(frame: pd.DataFrame, message: str) -> None:
    with pytest.raises(InputError, match=message):
        ClusterLab(settings={"impute": "none"}).fit(frame)


def test_impute_none_leaves_incomplete_rows_unclustered() -> None:
    frame, _ = _blobs()
    frame.loc[[5, 17], "a"] = np.nan
    model = ClusterLab(k=3, settings={"impute": "none"}).fit(frame)
    assert model.labels_[[5, 17]].tolist() == [-1, -1]
    assert (np.delete(model.labels_, [5, 17]) > 0).all()
    assert any("2 row(s) have empty cells" in n.message for n in model.notes_)


def test_sklearn_contract(mixed_table: pd.DataFrame) -> None:
    model = ClusterLab(k=3, settings={"seed": 1}, exclude=["region"])
    assert model.get_params()["settings"] == {"seed": 1}
    fitted = model.fit(mixed_table)
    assert fitted is model
    assert clone(model).get_params()["exclude"] == ["region"]
    assert not hasattr(clone(model), "labels_")
    assert "region" not in model.feature_names_in_.tolist()
    assert model.n_features_in_ == len(model.feature_names_in_)


def test_numpy_input() -> None:
    X = make_blob_table(10, [(0.0, 0.0), (5.0, 5.0)], cluster_std=0.1)[0].to_numpy()
    assert sorted(set(ClusterLab(k=2).fit(X).labels_.tolist())) == [1, 2]


def test_relabel_by_size_breaks_ties_by_original_label() -> None:
    numbers, order = relabel_by_size(np.array([2, 2, 0, 0, 1]))
    assert numbers.tolist() == [2, 2, 1, 1, 3]
    assert order.tolist() == [0, 2, 1]


def test_order_by_size_numbers_from_counts_alone() -> None:
    # Sizes 5, 9, 5, 0 (cluster 3 lost every row): the 9 first, then the two 5s by label, the empty last.
    assert order_by_size(np.array([5, 9, 5, 0])).tolist() == [1, 0, 2, 3]
    labels = np.array([1, 1, 1, 0, 2, 2, 0, 3])
    assert order_by_size(np.bincount(labels)).tolist() == relabel_by_size(labels)[1].tolist()


def test_a_noise_category_does_not_split_clear_groups(mixed_table: pd.DataFrame) -> None:
    # 'region' is four equally common levels unrelated to the groups; at full weight its levels are
    # perfectly separated from each other and K-Means cut the data into category combinations.
    model = ClusterLab(label="truth", settings={"category_weight": 0.5}).fit(mixed_table)
    assert model.k_ == 3
    assert adjusted_rand_score(mixed_table["truth"], model.labels_) > 0.95
    # Learned weights keep 'region' at its floor too, and 'newsletter', which follows the groups only
    # loosely, near it (the numbers already draw what it shares with them): k = 3 as with 0.5.
    learned = ClusterLab(label="truth").fit(mixed_table)
    weights = {e.column: e.weight for e in learned.preprocessor_.category_evidence_}
    assert weights["region"] < 0.2
    assert weights["newsletter"] < 0.3
    assert learned.k_ == 3


def test_no_structure_does_not_grow_the_k_range(rng: np.random.Generator) -> None:
    frame = pd.DataFrame(rng.uniform(size=(400, 4)), columns=list("abcd"))
    model = ClusterLab().fit(frame)
    assert model.recommendation_.structure == "none"
    assert model.sweep_.ks == list(range(2, 11))
