"""Empty number cells are filled from the rows most like theirs (core/encode/neighbour_fill.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

from clusterlab import ClusterLab
from clusterlab.core import Preprocessor, Settings, detect_roles
from clusterlab.core.encode.neighbour_fill import MIN_REFERENCE, NeighbourFill


def _groups_with_gaps(seed: int = 0, share: float = 0.1) -> tuple[pd.DataFrame, pd.DataFrame, np.ndarray]:
    """Three round groups in three numbers, 10 apart; ``share`` of the cells emptied at random."""
    rng = np.random.default_rng(seed)
    truth = np.repeat([0, 1, 2], 200)
    centres = np.array([[0.0, 0.0, 0.0], [10.0, 0.0, 10.0], [0.0, 10.0, 10.0]])
    full = pd.DataFrame(centres[truth] + rng.normal(size=(600, 3)), columns=["a", "b", "c"])
    return full, full.mask(rng.random(full.shape) < share), truth


def test_a_filled_cell_takes_its_own_groups_value_not_the_middle() -> None:
    full, gappy, _ = _groups_with_gaps()
    pre = Preprocessor(detect_roles(gappy)[0], Settings.parse({"pca_variance": 1.0}))
    matrix = pre.fit_transform(gappy)
    complete = Preprocessor(detect_roles(full)[0], Settings.parse({"pca_variance": 1.0}))
    reference = complete.fit_transform(full)
    empty = gappy.isna().to_numpy()
    # Scaled units (each column's SD about 4.8): a group's spread is about 0.2 there, and a filled cell
    # lies near its row's own value (0.30 off on average, the two fits' scales differing a little);
    # the column's median would miss it by 0.72 on average.
    gap = np.abs(matrix[empty] - reference[empty])
    median_gap = np.abs(np.median(reference, axis=0)[np.nonzero(empty)[1]] - reference[empty])
    assert np.median(gap) < 0.3
    assert gap.mean() < median_gap.mean() / 2


def test_clusters_of_a_table_with_gaps_are_those_of_the_complete_table() -> None:
    # 15% of the cells empty: 39% of the rows miss one or more of their three numbers (complete table:
    # ARI 1.00; filled with the median: 0.68).
    _, gappy, truth = _groups_with_gaps(1, share=0.15)
    model = ClusterLab(k=3, settings={"seed": 0, "method": "kmeans"}).fit(gappy)
    assert adjusted_rand_score(truth, model.labels_) > 0.88
    assert any("filled from the rows most like theirs" in n.message for n in model.notes_)
    filled = [c for c in model.preprocessor_.choices_ if c["step"] == "fill"]  # summary.json "preprocessing"
    assert {c["column"] for c in filled} == {"a", "b", "c"}
    assert sum(c["detail"]["cells"] for c in filled) == int(gappy.isna().sum().sum())
    # The median, which the fill replaces, puts a row with one empty cell between the groups.
    median = gappy.fillna(gappy.median())
    plain = ClusterLab(k=3, settings={"seed": 0, "method": "kmeans"}).fit(median)
    assert adjusted_rand_score(truth, model.labels_) > adjusted_rand_score(truth, plain.labels_) + 0.15


def test_a_complete_table_is_unchanged() -> None:
    full, _, _ = _groups_with_gaps()
    pre = Preprocessor(detect_roles(full)[0], Settings.parse({}))
    matrix = pre.fit_transform(full)
    assert pre.fill_ is None
    assert pre.to_state()["fill"] is None
    assert np.allclose(matrix, pre.pipeline_.transform(full))


def test_the_fill_round_trips_through_the_model_state_for_new_rows() -> None:
    _, gappy, _ = _groups_with_gaps()
    roles = detect_roles(gappy)[0]
    settings = Settings.parse({})
    pre = Preprocessor(roles, settings)
    matrix = pre.fit_transform(gappy)
    restored = Preprocessor.from_state(pre.to_state(), roles, settings)
    assert restored.fill_ is not None
    assert np.allclose(restored.transform(gappy), matrix)
    assert np.allclose(pre.transform(gappy), matrix)  # transform repeats what fitting did


def test_too_few_complete_rows_keep_the_median() -> None:
    rng = np.random.default_rng(2)
    frame = pd.DataFrame(rng.normal(size=(60, 3)), columns=["a", "b", "c"])
    frame = frame.mask(rng.random(frame.shape) < 0.5)  # about 1 row in 8 complete
    assert (~frame.isna().any(axis=1)).sum() < MIN_REFERENCE
    model = ClusterLab(k=2, settings={"seed": 0, "method": "kmeans"}).fit(frame)
    assert model.preprocessor_.fill_ is None
    assert any("filled with the median" in n.message for n in model.notes_)


@pytest.mark.parametrize("block_rows", [1, 3, 1000])
def test_filling_in_blocks_gives_the_same_cells(block_rows: int, monkeypatch: pytest.MonkeyPatch) -> None:
    from clusterlab.core.encode import neighbour_fill

    rng = np.random.default_rng(3)
    reference = rng.normal(size=(50, 4))
    matrix = rng.normal(size=(40, 4))
    empty = rng.random((40, 4)) < 0.3
    whole = NeighbourFill(reference).fill(matrix, empty)
    monkeypatch.setattr(neighbour_fill, "_BLOCK", block_rows)
    assert np.allclose(NeighbourFill(reference).fill(matrix, empty), whole)
    assert np.array_equal(whole[~empty], matrix[~empty])  # only the empty cells change
