"""Plain words and short names from the effect sizes of a table known by construction."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from clusterlab.core.explain.description import describe_clusters, name_labels, readable_column
from clusterlab.core.explain.effects import cluster_effects
from clusterlab.core.explain.profiles import profile_clusters
from clusterlab.core.roles.column_roles import ColumnChoices, detect_roles


def describe_halves(frame: pd.DataFrame) -> list:
    """The first half of the rows as cluster 1, the second as cluster 2, described."""
    half = len(frame) // 2
    roles, _ = detect_roles(frame)
    clusters = pd.Series([1] * half + [2] * (len(frame) - half))
    return describe_clusters(profile_clusters(frame, clusters, roles))


def known_table() -> tuple[pd.DataFrame, pd.Series]:
    """As in test_distinction.py: income 90 / 55 / 35, Premium in 80 / 10 / 0 of 100 rows, a label."""
    n = 100
    plan = np.concatenate([["Premium"] * p + ["Basic"] * (n - p) for p in (80, 10, 0)])
    frame = pd.DataFrame(
        {
            "income": np.repeat([90.0, 55.0, 35.0], n),
            "plan": plan,
            "noise": np.tile([1.0, 2.0, 3.0, 4.0], 3 * n // 4),
            "truth": np.repeat(["a", "b", "c"], n),
        }
    )
    return frame, pd.Series(np.repeat([1, 2, 3], n))


@pytest.fixture(scope="module")
def described():
    frame, clusters = known_table()
    roles, _ = detect_roles(frame, ColumnChoices(label="truth"))
    return describe_clusters(profile_clusters(frame, clusters, roles))


def test_descriptions_read_as_designed(described) -> None:
    # income SD = 22.77: +30 -> +1.3 SD ("much"), -5 -> -0.2 ("slightly"), -25 -> -1.1 ("much").
    assert [d.description for d in described] == [
        "Cluster 1 (33% of rows): much higher income (+1.3 SD), mostly 'Premium' plan (80% vs 30% overall).",
        "Cluster 2 (33% of rows): almost all 'Basic' plan (90% vs 70% overall), "
        "slightly lower income (-0.2 SD).",
        "Cluster 3 (33% of rows): much lower income (-1.1 SD), all 'Basic' plan (100% vs 70% overall).",
    ]


def test_names_are_short_and_follow_the_strongest_features(described) -> None:
    assert [d.name for d in described] == ["High income, Premium", "Near average", "Low income, Basic"]


def test_distinguishing_features_carry_the_contract_keys(described) -> None:
    first = described[0].to_dict()
    assert {"cluster", "rows", "share", "name", "description", "distinguishing"} <= set(first)
    income, plan = first["distinguishing"]
    assert {"column", "kind", "effect", "text"} <= set(income)
    assert "level" not in income  # numbers have no level
    assert plan["level"] == "Premium"
    assert plan["kind"] == "category"
    assert income["text"] == "much higher income (+1.3 SD)"


@pytest.mark.parametrize(
    ("share_in_cluster", "phrase"),
    [(1.0, "all 'x' c"), (0.95, "almost all 'x' c"), (0.6, "mostly 'x' c"), (0.4, "more often 'x' c")],
)
def test_category_quantities(share_in_cluster: float, phrase: str) -> None:
    n = 100
    inside = int(share_in_cluster * n)
    frame = pd.DataFrame(
        {"c": ["x"] * inside + ["y"] * (n - inside) + ["x"] * 10 + ["y"] * 190, "v": np.zeros(3 * n)}
    )
    roles, _ = detect_roles(frame, ColumnChoices(roles={"v": "numeric"}))
    d = describe_clusters(profile_clusters(frame, pd.Series([1] * n + [2] * 2 * n), roles))
    assert d[0].traits.startswith(phrase)


def test_rarer_levels_read_as_less_often_or_no() -> None:
    # Three levels (not binary), so the negative effects are kept.
    c = ["a"] * 50 + ["b"] * 50 + ["c"] * 0 + ["a"] * 10 + ["b"] * 40 + ["c"] * 150
    frame = pd.DataFrame({"c": c})
    roles, _ = detect_roles(frame)
    d = describe_clusters(profile_clusters(frame, pd.Series([1] * 100 + [2] * 200), roles))
    texts = [t.text for t in d[0].distinguishing]
    assert "no 'c' c (0% vs 50% overall)" in texts
    texts = [t.text for t in d[1].distinguishing]
    assert any(t.startswith("less often 'a' c") for t in texts)


def test_age_reads_older_or_younger_and_units_leave_names() -> None:
    frame = pd.DataFrame(
        {
            "age": np.r_[np.linspace(20, 25, 50), np.linspace(60, 65, 50)],
            "annual_income_thousands": np.r_[np.linspace(10, 12, 50), np.linspace(90, 92, 50)],
        }
    )
    d = describe_halves(frame)
    assert "much younger (-1.0 SD)" in d[0].traits
    assert "much older (+1.0 SD)" in d[1].traits
    assert "annual income" in d[1].name
    assert "thousands" not in d[1].name
    # Sentence case: only the first part is capitalised.
    assert [x.name for x in d] == ["Low annual income, younger", "High annual income, older"]


def test_names_are_unique() -> None:
    # Two clusters with the same strongest features get told apart.
    frame = pd.DataFrame(
        {"x": [0.0] * 40 + [10.0] * 30 + [10.5] * 30, "y": [0.0] * 40 + [5.0] * 30 + [9.0] * 30}
    )
    roles, _ = detect_roles(frame)
    d = describe_clusters(profile_clusters(frame, pd.Series([1] * 40 + [2] * 30 + [3] * 30), roles))
    names = [x.name for x in d]
    assert len(set(names)) == len(names)


def test_a_cluster_like_the_whole_reads_as_average() -> None:
    frame = pd.DataFrame({"x": np.tile([1.0, 2.0], 50)})
    d = describe_halves(frame)
    assert [x.name for x in d] == ["Near average (1)", "Near average (2)"]  # unique, still honest
    assert d[0].traits == "close to the overall average in every column"


def test_a_single_row_cluster_says_so() -> None:
    frame = pd.DataFrame({"x": [1.0] * 20 + [50.0]})
    roles, _ = detect_roles(frame)
    d = describe_clusters(profile_clusters(frame, pd.Series([1] * 20 + [2]), roles))
    assert d[1].description.startswith("Cluster 2 (a single row):")


def test_readable_column() -> None:
    assert readable_column("Ash_Alcanity") == "Ash Alcanity"
    assert readable_column("  a__b ") == "a b"
    # CamelCase is split into words (issue 14: the heatmap showed "TotalPurchasesLastYear").
    assert readable_column("TotalPurchasesLastYear") == "Total purchases last year"
    assert readable_column("DebtToIncomeRatio") == "Debt to income ratio"
    assert readable_column("numberOfItems") == "number of items"
    assert readable_column("CustomerID") == "Customer ID"
    assert readable_column("XMLHttpRequest") == "XML http request"
    for kept in ("pH", "iPhone", "BALANCE_FREQUENCY", "OD280", "Annual Income (k$)"):
        assert readable_column(kept) == kept.replace("_", " ")


def test_name_labels_keep_what_a_camel_case_column_counts() -> None:
    # Issue 14 kin: "TotalPurchasesLastYear" split into words lost "year" as if a unit ("Total
    # purchases last"), and "Years with current employer" was cut at 24 characters.
    labels = name_labels(["TotalPurchasesLastYear", "YearsWithCurrentEmployer", "Age (years)"])
    assert list(labels.values()) == ["Total purchases last year", "Years with current employer", "Age"]


def test_number_codes_are_named_with_their_column_alike() -> None:
    # Issue 14: wholesale's Channel (codes 1 and 2) named one cluster "Channel, low..." (the "1"
    # read as "yes") beside "Channel 2, high...". A 0/1 column still reads as yes/no.
    n = 100
    frame = pd.DataFrame(
        {
            "Channel": np.r_[np.ones(n, dtype=int), np.full(n, 2)],
            "has_card": np.r_[np.ones(n, dtype=int), np.zeros(n, dtype=int)],
            "spend": np.r_[np.full(n, 10.0), np.full(n, 50.0)],
        }
    )
    first, second = describe_halves(frame)
    assert "Channel 1" in first.name
    assert "Channel 2" in second.name
    assert "Channel," not in first.name + second.name
    assert "all Channel 1 (100% vs 50% overall)" in first.traits
    assert "'1'" not in first.traits
    cards = describe_halves(frame.drop(columns="Channel"))
    assert cards[0].name.startswith("Has card")
    assert cards[1].name.startswith("No has card")


def test_effects_can_be_passed_in() -> None:
    frame, clusters = known_table()
    roles, _ = detect_roles(frame, ColumnChoices(label="truth"))
    profiles = profile_clusters(frame, clusters, roles)
    only_income = cluster_effects(profiles).query("column == 'income'")
    d = describe_clusters(profiles, only_income)
    assert all(t.column == "income" for x in d for t in x.distinguishing)


def test_dates_read_as_later_or_earlier() -> None:
    dates = pd.date_range("2019-01-01", periods=50, freq="7D").tolist()
    later = pd.date_range("2023-01-01", periods=50, freq="7D").tolist()
    frame = pd.DataFrame({"signup_date": dates + later, "x": np.tile([1.0, 2.0, 3.0, 4.0, 5.0], 20)})
    d = describe_halves(frame)
    assert d[1].traits.startswith("much later signup date (+")
    first = d[1].distinguishing[0]
    assert first.kind == "date"
    assert first.cluster_text.startswith("2023-")
    assert d[1].name == "Recent signup date"


@pytest.mark.parametrize(
    ("column", "name"),
    [
        ("visits_per_month", "High visits"),
        ("annual_income_thousands", "High annual income"),
        ("Annual Income (k$)", "High Annual Income"),
        ("spending_score", "High spending score"),
    ],
)
def test_names_leave_units_out(column: str, name: str) -> None:
    frame = pd.DataFrame({column: np.r_[np.linspace(0, 1, 50), np.linspace(9, 10, 50)]})
    d = describe_halves(frame)
    assert d[1].name == name


def test_a_missing_short_level_names_its_column() -> None:
    # 'No S' says nothing: a one- or two-character level is named with its column.
    # Cluster 2 holds M and L but no S (0% vs 25% overall: -0.58 SD).
    size = ["S"] * 25 + ["L"] * 25 + ["M"] * 25 + ["L"] * 25
    frame = pd.DataFrame({"Size": size, "x": np.tile(np.linspace(0, 1, 50), 2)})
    d = describe_halves(frame)
    assert d[1].name == "No Size S"


def test_long_column_names_are_shortened_where_they_differ() -> None:
    spend = [
        f"Average monthly spend on product category number {i} during the last fiscal year (EUR)"
        for i in (1, 5)
    ]
    frame = pd.DataFrame(
        {
            spend[0]: np.r_[np.linspace(0, 1, 50), np.linspace(9, 10, 50)],
            spend[1]: np.r_[np.linspace(0, 1, 50), np.linspace(7, 8, 50)],
        }
    )
    d = describe_halves(frame)
    assert d[1].name == "High …number 1 during… & …number 5 during…"
    assert spend[0] in d[1].traits  # the sentence keeps the whole name
