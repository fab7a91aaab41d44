"""Distance to the centre and the Outlier flag: by hand, in the result, and as a setting."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests.conftest import make_blob_table

import clusterlab
from clusterlab.core.errors import SettingsError
from clusterlab.core.explain.outliers import (
    FarFence,
    PercentileRule,
    centre_distances,
    find_outliers,
    outlier_rule,
    outlier_thresholds,
)
from clusterlab.core.settings import Settings

WINE = Path("/work/shared/data/kmeans_engine/wine_chemicals_data.xlsx")  # the original engine's workbook


def test_distances_by_hand() -> None:
    matrix = np.array([[0.0, 0.0], [3.0, 4.0], [10.0, 10.0], [11.0, 10.0], [5.0, 5.0]])
    centres = np.array([[0.0, 0.0], [10.0, 10.0]])
    clusters = np.array([1, 1, 2, 2, -1])
    distance = centre_distances(matrix, centres, clusters)
    assert distance[:4] == pytest.approx([0.0, 5.0, 0.0, 1.0])
    assert np.isnan(distance[4])


def test_thresholds_are_per_cluster_percentiles() -> None:
    distances = np.r_[np.arange(1.0, 101.0), np.arange(1.0, 11.0)]
    clusters = np.r_[np.ones(100, dtype=int), np.full(10, 2)]
    thresholds = outlier_thresholds(distances, clusters, 2, PercentileRule(90))
    # numpy's linear percentile: position 0.9 * (n - 1) -> 90.1 of 1..100 and 9.1 of 1..10
    assert thresholds == pytest.approx([90.1, 9.1])


def test_thresholds_are_per_cluster_far_fences() -> None:
    distances = np.r_[np.arange(1.0, 101.0), np.arange(1.0, 11.0)]
    clusters = np.r_[np.ones(100, dtype=int), np.full(10, 2)]
    # 1..100: Q1 25.75, Q3 75.25, fence 75.25 + 3 x 49.5; 1..10: Q1 3.25, Q3 7.75, fence 7.75 + 3 x 4.5
    assert outlier_thresholds(distances, clusters, 2) == pytest.approx([223.75, 21.25])
    assert outlier_thresholds(distances, clusters, 2, FarFence()) == pytest.approx([223.75, 21.25])


def test_the_rule_comes_from_the_settings_and_says_itself() -> None:
    fence = outlier_rule(Settings())
    assert fence == FarFence()
    assert fence.text == "beyond their cluster's far fence (Q3 + 3 IQR of its distances to the centre)"
    percentile = outlier_rule(Settings(outlier_rule="percentile", outlier_percentile=97.5))
    assert percentile == PercentileRule(97.5)
    assert percentile.text == "beyond the 97.5th percentile of their cluster's distances to the centre"
    assert PercentileRule(92).short == "beyond the 92nd percentile"
    assert PercentileRule(93).to_dict() == {
        "name": "percentile",
        "percentile": 93,
        "text": PercentileRule(93).text,
    }
    assert FarFence().to_dict()["name"] == "fence"


def test_flag_is_strictly_beyond_the_threshold_of_the_rows_own_cluster() -> None:
    # Cluster 1: distances 0..9 on a line; cluster 2 is wide: distances 0..90.
    matrix = np.r_[np.c_[np.arange(10.0), np.zeros(10)], np.c_[np.arange(0.0, 100.0, 10.0), np.zeros(10)]]
    centres = np.array([[0.0, 0.0], [0.0, 0.0]])
    clusters = np.r_[np.ones(10, dtype=int), np.full(10, 2)]
    out = find_outliers(matrix, clusters, centres, PercentileRule(80))
    # 80th percentile: 7.2 in cluster 1, 72 in cluster 2, so 8, 9 and 80, 90 are outliers ...
    assert np.flatnonzero(out.flag).tolist() == [8, 9, 18, 19]
    # ... and a row at distance 50 is an outlier of cluster 1 but not of the wider cluster 2.
    again = find_outliers(
        np.array([[50.0, 0.0], [50.0, 0.0]]), np.array([1, 2]), centres, thresholds=out.thresholds
    )
    assert again.flag.tolist() == [True, False]


def test_identical_rows_are_never_outliers() -> None:
    for rule in (FarFence(), PercentileRule(95)):
        out = find_outliers(np.ones((6, 2)), np.ones(6, dtype=int), np.ones((1, 2)), rule)
        assert not out.flag.any()


def test_identical_rows_with_rounding_noise_are_not_outliers() -> None:
    # Identical input rows come out of scaling and PCA a few 1e-16 apart (seen on a CSV whose rows
    # repeat one text value): that noise must not make the "farthest" of them an outlier.
    noise = np.array([0.0, 5.6e-16, 2e-16, 6.8e-16, 1e-16, 3e-16])
    matrix = np.c_[0.1 + noise, np.full(6, 0.7)]
    out = find_outliers(matrix, np.ones(6, dtype=int), np.array([[0.1, 0.7]]))
    assert not out.flag.any()
    # A real step beyond the threshold is still an outlier.
    matrix[3, 0] = 0.2
    assert find_outliers(matrix, np.ones(6, dtype=int), np.array([[0.1, 0.7]])).flag.tolist() == [
        False,
        False,
        False,
        True,
        False,
        False,
    ]


def test_unclustered_rows_are_not_flagged() -> None:
    out = find_outliers(
        np.array([[0.0], [1.0], [100.0]]), np.array([1, 1, -1]), np.array([[0.0]]), PercentileRule(50)
    )
    assert out.flag.tolist() == [False, True, False]
    assert np.isnan(out.distance[2])


@pytest.fixture(scope="module")
def blobs() -> pd.DataFrame:
    frame, _ = make_blob_table(80, [(0.0, 0.0), (8.0, 8.0), (16.0, 16.0)], seed=7, columns=["a", "b"])
    frame.loc[5, ["a", "b"]] = [-4.5, -4.5]  # far from every centre but nearest to the first
    return frame


def test_result_exports_distance_and_outlier(blobs: pd.DataFrame) -> None:
    result = clusterlab.cluster(blobs, k=3, k_max=4)
    data = result.data
    assert list(data.columns) == ["a", "b", "Cluster", "Distance", "Outlier"]
    assert len(data) == len(blobs)
    assert bool(data.loc[5, "Outlier"]) is True
    summary = result.summary()["outliers"]
    assert summary["rule"] == {"name": "fence", "iqr": 3.0, "text": FarFence().text}
    assert summary["count"] == int(data["Outlier"].sum())
    assert summary["top"][0]["row"] == 6  # row 5 of the frame, 1-based
    assert {"cluster", "threshold", "count"} <= set(summary["by_cluster"][0])


@pytest.mark.parametrize(("n_features", "most"), [(2, 0.01), (5, 0.005)])
def test_clean_blobs_have_next_to_no_outliers(n_features: int, most: float) -> None:
    # The original rule flagged 5% of every cluster by construction; the far fence flags a row only
    # when it is unusual for its cluster (Gaussian distances: ~0.01% in 2-D, none in 5-D).
    frame, _ = make_blob_table(300, 3, n_features=n_features, seed=11)
    fence = clusterlab.cluster(frame, k=3, resamples=0)
    assert fence.data["Outlier"].mean() <= most
    old = clusterlab.cluster(frame, k=3, resamples=0, outlier_rule="percentile")
    assert 0.04 <= old.data["Outlier"].mean() <= 0.06  # about 5% of each cluster, however clean


def test_planted_outliers_are_flagged_by_the_fence() -> None:
    # Three clusters of 200 rows (SD 1) and six rows planted 6 SD from a centre, in every direction.
    frame, truth = make_blob_table(200, 3, seed=5, columns=["a", "b"])
    angles = np.linspace(0, 2 * np.pi, 6, endpoint=False)
    centres = frame.groupby(truth).mean().to_numpy()
    planted = centres[np.arange(6) % 3] + 6 * np.c_[np.cos(angles), np.sin(angles)]
    frame = pd.concat([frame, pd.DataFrame(planted, columns=["a", "b"])], ignore_index=True)
    result = clusterlab.cluster(frame, k=3, resamples=0)
    flagged = np.flatnonzero(result.outliers.flag)
    assert set(range(600, 606)) <= set(flagged.tolist())
    assert len(flagged) <= 6 + 6  # and hardly any other row


def test_old_rule_is_a_setting(blobs: pd.DataFrame) -> None:
    none = clusterlab.cluster(blobs, k=3, k_max=4, outlier_rule="percentile", outlier_percentile=100)
    assert not none.data["Outlier"].any()
    more = clusterlab.cluster(blobs, k=3, k_max=4, outlier_rule="percentile", outlier_percentile=80)
    assert more.data["Outlier"].mean() > 0.15
    assert more.summary()["outliers"]["rule"]["percentile"] == 80
    # The percentile is the percentile rule's: under the fence it changes nothing.
    fence = clusterlab.cluster(blobs, k=3, k_max=4, outlier_percentile=80)
    assert fence.outliers.count == clusterlab.cluster(blobs, k=3, k_max=4).outliers.count


@pytest.mark.parametrize("value", ["median", ""])
def test_outlier_rule_is_validated(value: str) -> None:
    if not value:
        assert Settings.parse({"outlier_rule": value}).outlier_rule == "fence"  # blank: the default
        return
    with pytest.raises(SettingsError, match="outlier_rule"):
        Settings.parse({"outlier_rule": value})


@pytest.mark.skipif(not WINE.exists(), reason="the shared workbooks are not on this machine")
def test_the_wine_workbooks_typo_is_still_an_outlier() -> None:
    result = clusterlab.cluster(WINE)
    assert 172 in result.outliers.far_out_rows  # Color_Intensity 9,899,999 for about 9.9
    assert bool(result.data["Outlier"].iloc[171]) is True
    assert result.outliers.count <= 0.02 * len(result.clusters)  # the percentile rule: 12 rows


@pytest.mark.parametrize("value", ["10", "101", "many"])
def test_outlier_percentile_is_validated(value: str) -> None:
    with pytest.raises(SettingsError, match="outlier_percentile"):
        Settings.parse({"outlier_percentile": value})


def test_added_columns_do_not_overwrite_the_users(blobs: pd.DataFrame) -> None:
    frame = blobs.assign(Distance="mine", Outlier="mine too")
    result = clusterlab.cluster(frame, k=3, k_max=4, roles={"Distance": "excluded", "Outlier": "excluded"})
    data = result.data
    assert data["Distance"].eq("mine").all()
    assert data["Outlier"].eq("mine too").all()
    assert {"Distance_2", "Outlier_2"} <= set(data.columns)
    assert result.summary()["outliers"]["outlier_column"] == "Outlier_2"


def test_rows_left_unclustered_have_empty_distance_and_flag() -> None:
    frame = pd.DataFrame(
        {"a": [1.0, 1.1, 1.2, 9.0, 9.1, 9.2, None], "b": [1.0, 1.0, 1.1, 5.0, 5.1, 5.0, 2.0]}
    )
    result = clusterlab.cluster(frame, k=2, impute="none")
    data = result.data
    assert pd.isna(data.loc[6, "Distance"])
    assert pd.isna(data.loc[6, "Outlier"])
    assert data["Outlier"].notna().sum() == 6


def test_a_cluster_too_small_to_be_a_group_is_all_outliers() -> None:
    # 300 rows around 0 and one typo far away: K-Means gives the typo its own centre (distance 0),
    # yet it is the most obvious outlier of all.
    matrix = np.r_[np.zeros((300, 1)), [[1000.0]]]
    clusters = np.r_[np.ones(300, dtype=int), 2]
    centres = np.array([[0.0], [1000.0]])
    for rule in (FarFence(), PercentileRule(95)):
        out = find_outliers(matrix, clusters, centres, rule)
        assert out.flag[-1]
        assert out.thresholds[1] == -1.0
        assert out.summary(clusters)["top"][0]["row"] == 301


def test_unusual_values_name_the_numbers_least_like_the_cluster() -> None:
    from clusterlab.core.explain.outliers import unusual_values
    from clusterlab.core.explain.profiles import profile_clusters
    from clusterlab.core.roles.column_roles import detect_roles

    # x: overall mean 6, SD sqrt(208 / 7) = 5.451 (no value beyond Tukey's fences, so nothing capped).
    # Row 4 (x = 10) sits in cluster 1, whose mean is (0 + 2 + 0 + 2 + 10) / 5 = 2.8:
    # effect (10 - 2.8) / 5.451 = +1.32. y is constant: no SD, never named. z is close for every row.
    frame = pd.DataFrame(
        {
            "x": [0.0, 2, 0, 2, 10, 12, 10, 12],
            "y": [1.0] * 8,
            "z": [5.0, 5, 5, 5, 5, 5, 6, 5],
            "name": list("abcdefgh"),
        }
    )
    clusters = np.array([1, 1, 1, 1, 1, 2, 2, 2])
    roles, _ = detect_roles(frame)
    profiles = profile_clusters(frame, pd.Series(clusters), roles)
    found = unusual_values(frame, roles, profiles, clusters, np.array([4, 0]))
    assert [u.column for u in found[4]] == ["x"]
    assert found[4][0].effect == pytest.approx(7.2 / np.sqrt(208 / 7))
    assert found[4][0].text == "x 10 (+1.3 SD)"
    assert found[0] == []  # row 0 is within 1 SD of its cluster on every column
    assert unusual_values(frame, roles, profiles, clusters, np.array([4]), minimum=2.0) == {4: []}


def test_unusual_values_show_a_typo_by_its_size() -> None:
    from clusterlab.core.explain.outliers import UnusualValue

    assert UnusualValue("b", 9_899_999.0, 9_899_994.2).text == "b 9,899,999 (+9,899,994 SD)"
    assert UnusualValue("age", 18.0, -2.345).text == "age 18 (-2.3 SD)"


def test_a_far_out_value_flags_its_row_however_near_the_clipping_put_it() -> None:
    # 9,899,999 for 9.9 in column 'b' of a row of the middle group: clipped to the fence for
    # clustering, the row lands inside its cluster, yet it is the row most worth checking.
    frame, _ = make_blob_table(100, [(0.0, 5.0), (8.0, 9.0)], seed=3, columns=["a", "b"])
    frame.loc[150, "b"] = 9_899_999.0
    result = clusterlab.cluster(frame, k=2, resamples=0)
    assert bool(result.data.loc[150, "Outlier"]) is True
    assert result.outliers.far_out_rows == [151]
    summary = result.summary()["outliers"]
    assert summary["far_out"] == 1
    assert summary["top"][0] == {**summary["top"][0], "row": 151, "far_out": True}  # listed first
    kept = clusterlab.cluster(frame, k=2, resamples=0, outliers="keep")  # no clipping, no such flag
    assert kept.outliers.far_out_rows == []


def test_assign_flags_new_far_out_values_by_the_training_fences(tmp_path) -> None:
    rng = np.random.default_rng(4)
    frame = pd.DataFrame({"a": rng.normal(0, 1, 300), "b": rng.normal(5, 1, 300)})
    frame.loc[7, "b"] = 1e6  # one far-out cell: the fences are learned and stored in model.json
    result = clusterlab.cluster(frame, k=2, resamples=0)
    result.save(tmp_path)
    new = pd.DataFrame({"a": [0.1, 0.2, -0.1], "b": [5.0, 2e6, 4.9]})
    assigned = clusterlab.assign(tmp_path / "model.json", new)
    assert assigned.data["Outlier"].tolist()[1] is True
    assert assigned.outliers.far_out_rows == [2]
