"""Effect sizes: a table whose answer is known by construction, computed by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from clusterlab.core.explain.effects import SLIGHT, cluster_effects, effect_matrix
from clusterlab.core.explain.profiles import profile_clusters
from clusterlab.core.roles.column_roles import ColumnChoices, detect_roles

N = 100  # rows per cluster


def known_table() -> tuple[pd.DataFrame, pd.Series]:
    """Three clusters of 100 rows.

    income: 90 / 55 / 35 in clusters 1 / 2 / 3 (overall mean 60).
    plan:   Premium in 80 / 10 / 0 rows of each cluster, else Basic (overall 30% Premium).
    noise:  the same 1, 2, 3, 4 cycle in every cluster (no effect at all).
    truth:  the cluster itself, marked as the label (never a distinguishing feature).
    """
    income = np.repeat([90.0, 55.0, 35.0], N)
    plan = np.concatenate([["Premium"] * p + ["Basic"] * (N - p) for p in (80, 10, 0)])
    frame = pd.DataFrame(
        {
            "income": income,
            "plan": plan,
            "noise": np.tile([1.0, 2.0, 3.0, 4.0], 3 * N // 4),
            "truth": np.repeat(["a", "b", "c"], N),
        }
    )
    return frame, pd.Series(np.repeat([1, 2, 3], N))


@pytest.fixture(scope="module")
def effects() -> pd.DataFrame:
    frame, clusters = known_table()
    roles, _ = detect_roles(frame, ColumnChoices(label="truth"))
    return cluster_effects(profile_clusters(frame, clusters, roles))


def _effect(effects: pd.DataFrame, cluster: int, column: str) -> pd.Series:
    rows = effects[(effects["Cluster"] == cluster) & (effects["column"] == column)]
    assert len(rows) == 1, rows
    return rows.iloc[0]


# Hand computation. income: deviations from 60 are +30, -5, -25 for 100 rows each, so
# SD = sqrt(100 * (30² + 5² + 25²) / 299). plan: p(Premium) = 0.3, so the yardstick is sqrt(0.3 * 0.7).
INCOME_SD = math.sqrt(100 * (30**2 + 5**2 + 25**2) / 299)
PLAN_SD = math.sqrt(0.3 * 0.7)


@pytest.mark.parametrize(
    ("cluster", "expected"),
    [(1, 30 / INCOME_SD), (2, -5 / INCOME_SD), (3, -25 / INCOME_SD)],
)
def test_numeric_effect_is_the_standardised_difference_from_all_rows(
    effects: pd.DataFrame, cluster: int, expected: float
) -> None:
    row = _effect(effects, cluster, "income")
    assert row["effect"] == pytest.approx(expected)
    assert row["kind"] == "numeric"
    assert row["overall_value"] == pytest.approx(60.0)


@pytest.mark.parametrize(
    ("cluster", "level", "share", "expected"),
    [
        (1, "Premium", 0.8, (0.8 - 0.3) / PLAN_SD),
        (2, "Basic", 0.9, (0.9 - 0.7) / PLAN_SD),
        (3, "Basic", 1.0, (1.0 - 0.7) / PLAN_SD),
    ],
)
def test_category_effect_is_the_standardised_share_difference(
    effects: pd.DataFrame, cluster: int, level: str, share: float, expected: float
) -> None:
    row = _effect(effects, cluster, "plan")  # one row: the binary column's mirror level is dropped
    assert row["level"] == level
    assert row["cluster_value"] == pytest.approx(share)
    assert row["effect"] == pytest.approx(expected)
    assert row["lift"] == pytest.approx(share / (0.3 if level == "Premium" else 0.7))


def test_ranking_follows_absolute_effect(effects: pd.DataFrame) -> None:
    order = {c: effects[effects["Cluster"] == c]["column"].tolist() for c in (1, 2, 3)}
    assert order == {1: ["income", "plan"], 2: ["plan", "income"], 3: ["income", "plan"]}
    assert effects.groupby("Cluster")["rank"].apply(list).tolist() == [[1, 2], [1, 2], [1, 2]]


def test_columns_without_a_difference_and_the_label_are_left_out(effects: pd.DataFrame) -> None:
    assert "noise" not in set(effects["column"])
    assert "truth" not in set(effects["column"])
    assert (effects["effect"].abs() >= SLIGHT).all()


def test_minimum_zero_keeps_everything() -> None:
    frame, clusters = known_table()
    roles, _ = detect_roles(frame, ColumnChoices(label="truth"))
    every = cluster_effects(profile_clusters(frame, clusters, roles), minimum=0.0)
    noise = every[every["column"] == "noise"]
    assert len(noise) == 3
    assert noise["effect"].abs().max() == pytest.approx(0.0)


def test_effect_matrix_orders_columns_by_how_much_they_separate() -> None:
    frame, clusters = known_table()
    roles, _ = detect_roles(frame, ColumnChoices(label="truth"))
    every = cluster_effects(profile_clusters(frame, clusters, roles), minimum=0.0)
    best = effect_matrix(every)
    assert list(dict.fromkeys(best["column"])) == ["income", "plan", "noise"]
    assert len(best) == 9  # one row per cluster and column


def test_one_far_out_value_does_not_hide_a_real_difference() -> None:
    # Cluster 2 is clearly higher; one typo of 9,899,999 in cluster 1 would, with raw means and SDs,
    # turn cluster 2's effect into about -0.07 SD. Capped at Tukey's fences it stays clear.
    values = np.r_[np.linspace(2.0, 4.0, 99), 9_899_999.0, np.linspace(6.0, 8.0, 100)]
    frame = pd.DataFrame({"colour": values})
    roles, _ = detect_roles(frame)
    effects = cluster_effects(profile_clusters(frame, pd.Series([1] * 100 + [2] * 100), roles))
    row = _effect(effects, 2, "colour")
    assert row["effect"] > 0.8
    assert _effect(effects, 1, "colour")["clipped"] == 1
