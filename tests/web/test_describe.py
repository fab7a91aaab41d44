"""Cluster traits in words, from profiles with hand-computed answers."""

from __future__ import annotations

import pandas as pd

from clusterlab.core.profiles import ALL, Profiles
from clusterlab.web.describe import cluster_traits, headline


def _profiles() -> Profiles:
    numeric = pd.DataFrame(
        [
            # income: overall mean 50, std 10; cluster 1 mean 65 -> d = 1.5 ("much higher")
            {"Cluster": ALL, "column": "income", "mean": 50.0, "std": 10.0, "50%": 49.0},
            {"Cluster": 1, "column": "income", "mean": 65.0, "std": 5.0, "50%": 64.0},
            # age: d = -0.6 ("lower"); visits: d = 0.2 (not worth saying)
            {"Cluster": ALL, "column": "age", "mean": 40.0, "std": 5.0, "50%": 40.0},
            {"Cluster": 1, "column": "age", "mean": 37.0, "std": 5.0, "50%": 36.0},
            {"Cluster": ALL, "column": "visits", "mean": 4.0, "std": 2.0, "50%": 4.0},
            {"Cluster": 1, "column": "visits", "mean": 4.4, "std": 2.0, "50%": 4.0},
        ]
    )
    categories = pd.DataFrame(
        [
            {"Cluster": ALL, "column": "paid", "level": "Yes", "count": 50, "share": 0.5},
            {"Cluster": ALL, "column": "paid", "level": "No", "count": 50, "share": 0.5},
            {"Cluster": 1, "column": "paid", "level": "Yes", "count": 19, "share": 0.95},
            {"Cluster": 1, "column": "paid", "level": "No", "count": 1, "share": 0.05},
            {"Cluster": ALL, "column": "plan", "level": "Basic", "count": 60, "share": 0.6},
            {"Cluster": ALL, "column": "plan", "level": "Plus", "count": 30, "share": 0.3},
            {"Cluster": ALL, "column": "plan", "level": "Gold", "count": 10, "share": 0.1},
            {"Cluster": 1, "column": "plan", "level": "Basic", "count": 12, "share": 0.6},
            {"Cluster": 1, "column": "plan", "level": "Plus", "count": 2, "share": 0.1},
            {"Cluster": 1, "column": "plan", "level": "Gold", "count": 6, "share": 0.3},
        ]
    )
    return Profiles(pd.DataFrame({"Cluster": [1], "rows": [20], "share": [0.2]}), numeric, categories)


def test_traits_are_ranked_on_one_scale() -> None:
    traits = cluster_traits(_profiles(), 1)
    shorts = [t.short for t in traits]
    # paid Yes: (0.95 - 0.5) / sqrt(0.25) = 0.9; its mirror 'No' is not said again.
    # plan Gold: 0.2 / sqrt(0.09) = 0.667; plan Plus: -0.2 / sqrt(0.21) = 0.436 in size.
    assert shorts == [
        "much higher income",
        "almost all paid 'Yes'",
        "more often plan 'Gold'",
        "lower age",
        "less often plan 'Plus'",
    ]
    assert [round(t.strength, 3) for t in traits] == [1.5, 0.9, 0.667, 0.6, 0.436]
    assert traits[0].text == "much higher income: median 64 against 49 overall (mean 65 vs 50)"
    assert traits[1].text == "almost all paid 'Yes': 95% of its rows against 50% overall"


def test_headline_names_three_different_columns() -> None:
    traits = cluster_traits(_profiles(), 1)
    assert headline(traits) == "much higher income, almost all paid 'Yes' and more often plan 'Gold'"
    assert "no single column sets it apart" in headline([])


def test_skipped_columns_are_not_described() -> None:
    traits = cluster_traits(_profiles(), 1, skip=frozenset({"income", "paid"}))
    assert {t.column for t in traits} == {"plan", "age"}
