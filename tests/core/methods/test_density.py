"""HDBSCAN: k found, noise kept in place, predict within reach."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

from clusterlab import ClusterLab
from clusterlab.core import InputError, Preprocessor, Settings, detect_roles
from clusterlab.core.methods import NOISE, fitted_from_state
from clusterlab.core.methods.density import DensityMethod, min_cluster_size_for


@pytest.fixture
def with_noise(
    moons_and_blob: tuple[np.ndarray, np.ndarray], rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    X, truth = moons_and_blob
    scattered = rng.uniform([-1.5, -1.0], [4.0, 3.0], size=(12, 2))
    return np.r_[X, scattered], np.r_[truth, np.full(12, NOISE)]


def test_finds_the_moons_and_the_blob_without_k(with_noise: tuple[np.ndarray, np.ndarray]) -> None:
    X, truth = with_noise
    fitted = DensityMethod().fit(X, None, seed=0, n_init=1)
    assert fitted.k == 3
    grouped = truth >= 0
    assert adjusted_rand_score(truth[grouped], fitted.labels[grouped]) >= 0.95
    # Most scattered rows are noise, and noise rows stay where they were, never dropped.
    assert len(fitted.labels) == len(X)
    assert (fitted.labels[~grouped] == NOISE).mean() >= 0.5


def test_noise_rows_keep_their_place_when_rows_are_shuffled(
    with_noise: tuple[np.ndarray, np.ndarray],
) -> None:
    X, _ = with_noise
    order = np.random.default_rng(1).permutation(len(X))
    first = DensityMethod().fit(X, None, seed=0, n_init=1).labels
    shuffled = DensityMethod().fit(X[order], None, seed=0, n_init=1).labels
    # HDBSCAN breaks ties between equally dense rows by position, so a border row may switch.
    assert ((shuffled == NOISE) != (first[order] == NOISE)).sum() <= 2
    assert adjusted_rand_score(first[order], shuffled) >= 0.99


def test_new_rows_join_a_cluster_only_within_its_reach(with_noise: tuple[np.ndarray, np.ndarray]) -> None:
    X, _ = with_noise
    fitted = DensityMethod().fit(X, None, seed=0, n_init=1)
    blob = fitted.labels[-13]  # a row of the blob
    assert fitted.predict(np.array([[3.0, 2.0], [30.0, 30.0]])).tolist() == [blob, NOISE]


def test_the_smallest_cluster_is_a_share_of_the_rows() -> None:
    assert [min_cluster_size_for(n) for n in (100, 499, 501, 20_000)] == [5, 5, 5, 200]
    assert DensityMethod(min_cluster_size=40).size_for(10_000) == 40


def test_no_cluster_at_all_says_what_to_change(rng: np.random.Generator) -> None:
    with pytest.raises(InputError, match=r"every one of the 30 rows is noise\. Lower .*min_cluster_size"):
        DensityMethod(min_cluster_size=25).fit(rng.uniform(size=(30, 2)), None, seed=0, n_init=1)


# --- density is measured in the numbers on a table that also has categories ---------------------------
def _moons_with_categories(seed: int = 0) -> tuple[pd.DataFrame, np.ndarray]:
    """Two moons in 'a' and 'b', and a yes/no and a three-level colour unrelated to them: every
    combination of levels is an island of its own in the encoded matrix."""
    from sklearn.datasets import make_moons

    X, truth = make_moons(800, noise=0.06, random_state=seed)
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(X, columns=["a", "b"])
    frame["member"] = rng.choice(["yes", "no"], 800)
    frame["colour"] = rng.choice(["red", "green", "blue"], 800)
    return frame, truth


@pytest.mark.parametrize("weight", ["auto", 0.5])
def test_unrelated_categories_do_not_cut_the_shapes_into_their_levels(weight: object) -> None:
    # Measured in every encoded column, HDBSCAN found 4 to 11 clusters here (ARI 0.13 to 0.50), the
    # moons cut by the levels; measured in the numbers it finds the two moons, through PCA or not.
    frame, truth = _moons_with_categories()
    for method in ("hdbscan", "auto"):
        model = ClusterLab(method=method, settings={"seed": 0, "category_weight": weight}).fit(frame)
        assert model.method_.name == "hdbscan"
        assert adjusted_rand_score(truth, model.labels_) > 0.95


def test_the_numbers_map_selects_or_rebuilds_the_number_columns() -> None:
    frame, _ = _moons_with_categories()
    plain = Preprocessor(detect_roles(frame)[0], Settings.parse({"pca_variance": 1.0, "category_weight": 1}))
    matrix = plain.fit_transform(frame)
    shape = plain.shape_projection()
    assert shape is not None
    assert "reduce" not in plain.pipeline_.named_steps
    assert np.array_equal(matrix @ shape, matrix[:, :2])  # 'a' and 'b' come first: selected as they are
    reduced = Preprocessor(
        detect_roles(frame)[0], Settings.parse({"pca_variance": 0.95, "category_weight": 1})
    )
    through = reduced.fit_transform(frame)
    assert "reduce" in reduced.pipeline_.named_steps
    rebuilt = through @ reduced.shape_projection()
    centred = matrix[:, :2] - matrix[:, :2].mean(axis=0)
    assert np.allclose(rebuilt - rebuilt.mean(axis=0), centred, atol=0.35)  # what PCA kept of them
    numbers_only = frame[["a", "b"]]
    alone = Preprocessor(detect_roles(numbers_only)[0], Settings.parse({}))
    alone.fit_transform(numbers_only)
    assert alone.shape_projection() is None  # one kind of column: density in the whole matrix


def test_the_numbers_map_is_kept_in_the_model_and_assign_reproduces_the_labels() -> None:
    frame, _ = _moons_with_categories()
    model = ClusterLab(method="hdbscan", settings={"seed": 0}).fit(frame)
    state = model.fitted_.to_state()
    assert state["shape"] is not None
    restored = fitted_from_state(state)
    assert np.array_equal(restored.predict(model.transform(frame)), model.fitted_.labels)
    # A file written before the map measured density in the whole matrix.
    old = {**state, "shape": None}
    assert fitted_from_state(old).shape is None  # type: ignore[attr-defined]
