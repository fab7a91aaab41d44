"""Hierarchical clustering: linkages, the cluster tree, and the sample extended to every row."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.cluster.hierarchy import cut_tree, linkage
from sklearn.datasets import make_blobs
from sklearn.metrics import adjusted_rand_score

from clusterlab.core.methods.hierarchical import TreeFit, TreeMethod, cluster_tree, cut
from clusterlab.core.methods.kmeans import KMeansMethod


def test_single_linkage_follows_the_moons(moons_and_blob: tuple[np.ndarray, np.ndarray]) -> None:
    X, truth = moons_and_blob
    fitted = TreeMethod(linkage="single").fit(X, 3, seed=0, n_init=1)
    assert adjusted_rand_score(truth, fitted.labels) >= 0.95
    # The set made against K-Means: it cuts across the moons.
    assert adjusted_rand_score(truth, KMeansMethod().fit(X, 3, seed=0, n_init=10).labels) < 0.8


@pytest.mark.parametrize("method", ["ward", "average", "complete"])
def test_compact_linkages_recover_round_groups(method: str) -> None:
    X, truth = make_blobs([60, 100, 40], centers=[[0, 0], [8, 0], [4, 7]], cluster_std=1.0, random_state=4)
    assert adjusted_rand_score(truth, TreeMethod(linkage=method).fit(X, 3, seed=0, n_init=1).labels) >= 0.95


def test_the_cluster_tree_has_the_clusters_as_leaves() -> None:
    X = np.array([[0.0], [1.0], [10.0], [11.0], [30.0]])
    fitted = TreeMethod(linkage="single").fit(X, 3, seed=0, n_init=1)
    assert isinstance(fitted, TreeFit)
    # Two merges join three clusters: {0,1} with {10,11} at height 9, then that with {30} at 19.
    assert fitted.tree[:, 2].tolist() == [9.0, 19.0]
    assert fitted.tree[:, 3].tolist() == [4.0, 5.0]
    assert cluster_tree(linkage(X, "single"), fitted.labels).shape == (2, 4)


@pytest.mark.parametrize("method", ["ward", "average", "complete", "single"])
def test_the_cut_is_scipys_cut_tree_ties_included(method: str, rng: np.random.Generator) -> None:
    # Rounded values: many rows repeat, so many merges tie in height, where the order of the merges
    # decides which rows go together.
    X = np.round(rng.normal(size=(300, 2)) * 2)
    merges = linkage(X, method)
    assert (np.diff(merges[:, 2]) == 0).any()
    for k in (1, 2, 3, 7, 40, 300):
        assert adjusted_rand_score(cut_tree(merges, n_clusters=k).ravel(), cut(merges, k)) == 1.0
        assert len(np.unique(cut(merges, k))) == k


def test_large_tables_are_fitted_on_a_sample_and_extended(
    monkeypatch: pytest.MonkeyPatch, rng: np.random.Generator
) -> None:
    monkeypatch.setattr(TreeMethod, "max_rows", 120)
    X, truth = make_blobs(600, centers=[[0, 0], [10, 0], [5, 9]], cluster_std=1.0, random_state=5)
    fitted = TreeMethod().fit(X, 3, seed=1, n_init=1)
    assert len(fitted.labels) == 600
    assert adjusted_rand_score(truth, fitted.labels) >= 0.95
    assert isinstance(fitted, TreeFit)
    assert len(fitted.rows) == 120
    # Every row, sampled or not, is predicted as it was labelled: assign reproduces training.
    assert np.array_equal(fitted.predict(X), fitted.labels)
    assert (fitted.labels[fitted.representatives] == np.arange(3)).all()


def test_an_unknown_linkage_is_refused() -> None:
    with pytest.raises(ValueError, match="linkage must be one of ward, average, complete, single"):
        TreeMethod(linkage="centroid").fit(np.eye(4), 2, seed=0, n_init=1)
