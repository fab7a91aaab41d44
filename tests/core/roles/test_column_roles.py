"""Column roles: detection with evidence, and user choices that win."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from clusterlab.core import ColumnChoices, SettingsError, detect_roles


def _roles(frame: pd.DataFrame, **choices: object) -> dict[str, str]:
    roles, _ = detect_roles(frame, ColumnChoices(**choices))  # type: ignore[arg-type]
    return {c.name: c.role for c in roles}


def test_detection_table(rng: np.random.Generator) -> None:
    n = 60
    frame = pd.DataFrame(
        {
            "customer_id": [f"C{i:03d}" for i in range(n)],
            "row": np.arange(1, n + 1),
            "order_no": rng.permutation(np.arange(1000, 1000 + 3 * n, 3)),
            "income": rng.normal(50_000, 9_000, n),
            "income_text": [f"{v:,.0f}" for v in rng.integers(10_000, 90_000, n)],
            "share": [f"{v}%" for v in rng.integers(0, 100, n)],
            "yes_no": rng.choice(["Yes", "No"], n),
            "flag01": rng.choice([0, 1], n),
            "city": rng.choice(["Paris", "Lyon", "Nice", "Lille"], n),
            "same": "x",
            "empty": [None] * n,
            "joined": pd.date_range("2020-01-01", periods=n, freq="7D").strftime("%Y-%m-%d"),
            "stamp": pd.date_range("2021-01-01", periods=n, freq="D"),
            "comment": [
                f"the delivery took {i} days and the box was {'damaged' if i % 2 else 'fine'}"
                for i in range(n)
            ],
        }
    )
    assert _roles(frame) == {
        "customer_id": "identifier",
        "row": "identifier",
        "order_no": "identifier",
        "income": "numeric",
        "income_text": "numeric",
        "share": "numeric",
        "yes_no": "binary",
        "flag01": "binary",
        "city": "categorical",
        "same": "constant",
        "empty": "constant",
        "joined": "datetime",
        "stamp": "datetime",
        "comment": "text",
    }


def test_unique_measurements_are_not_identifiers(rng: np.random.Generator) -> None:
    # Exact incomes are often unique per row; only id-like names or runs 1..n make an identifier.
    frame = pd.DataFrame({"income": rng.permutation(np.arange(30_000, 30_000 + 50 * 137, 137))})
    assert _roles(frame) == {"income": "numeric"}


def test_evidence_is_kept() -> None:
    frame = pd.DataFrame({"plan": ["Basic", "Plus", None, "Basic", "Premium", " "]})
    info = detect_roles(frame)[0]["plan"]
    assert (info.n_distinct, info.n_missing, info.n_rows) == (3, 2, 6)
    assert info.examples == ["Basic", "Plus", "Premium"]
    assert info.share_missing == pytest.approx(2 / 6)


def test_numbers_in_text_with_a_few_words_are_numeric_and_reported() -> None:
    values = [str(v) for v in range(1, 100)] + ["unknown"]
    roles, notes = detect_roles(pd.DataFrame({"visits": values}))
    assert roles["visits"].role == "numeric"
    assert roles["visits"].n_unparsed == 1
    assert any("Column 'visits' has 1 value(s) that are not numbers" in n.message for n in notes)


def test_user_choices_win() -> None:
    frame = pd.DataFrame(
        {
            "region": [1, 2, 3, 1, 2, 3, 4, 1],
            "size": ["S", "M", "L", "XL", "S", "m", "L", None],
            "notes": ["a", "b", "c", "d", "e", "f", "g", "h"],
            "species": ["x", "y"] * 4,
        }
    )
    roles, _ = detect_roles(
        frame,
        ColumnChoices(
            roles={"region": "categorical"},
            exclude=("notes",),
            ordinal={"size": ["S", "M", "L", "XL"]},
            label="species",
        ),
    )
    assert {c.name: c.role for c in roles} == {
        "region": "categorical",
        "size": "ordinal",
        "notes": "excluded",
        "species": "label",
    }
    assert roles["size"].order == ["S", "M", "L", "XL"]
    assert all(c.user_set for c in roles)
    assert [c.name for c in roles.features] == ["region", "size"]
    assert roles.label is not None
    assert roles.label.name == "species"


@pytest.mark.parametrize(
    ("choices", "message"),
    [
        (
            {"exclude": ("Sise",)},
            r"Column 'Sise' given in exclude is not in the file. Did you mean 'size'\?",
        ),
        (
            {"label": "zzz"},
            r"Column 'zzz' given in label is not in the file. Columns are: 'size', 'n', 'city'",
        ),
        ({"roles": {"n": "numbr"}}, r"Role 'numbr' for column 'n' is unknown; use one of numeric"),
        (
            {"roles": {"size": "ordinal"}},
            r"Column 'size' is set to ordinal but has no order; give one with "
            r'ordinal=\{"size": \["low", "medium", "high"\]\}\.',
        ),
        (
            {"ordinal": {"size": ["S", "M"]}},
            r"Column 'size' has values not in the order you gave: 'L' \(2 rows\)",
        ),
        ({"roles": {"city": "numeric"}}, r"Column 'city' cannot be numeric: 4 of 4 values are not numbers"),
        ({"roles": {"city": "binary"}}, r"Column 'city' cannot be binary: it has 3 different values"),
        ({"roles": {"city": "datetime"}}, r"Column 'city' cannot be read as dates"),
    ],
)
def test_bad_choices_name_the_column_and_the_fix(choices: dict[str, object], message: str) -> None:
    frame = pd.DataFrame(
        {"size": ["S", "M", "L", "L"], "n": [1, 2, 3, 4], "city": ["Oslo", "Rome", "Oslo", "Lima"]}
    )
    with pytest.raises(SettingsError, match=message):
        detect_roles(frame, ColumnChoices(**choices))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Size=S,M,L", ("Size", ["S", "M", "L"])), (" Plan = Basic , Plus ", ("Plan", ["Basic", "Plus"]))],
)
def test_parse_ordinal(text: str, expected: tuple[str, list[str]]) -> None:
    assert ColumnChoices.parse_ordinal(text) == expected


@pytest.mark.parametrize("text", ["Size", "Size=S", "=a,b", "Size=S,S,M"])
def test_parse_ordinal_rejects(text: str) -> None:
    with pytest.raises(SettingsError, match=r"Ordinal order|lists a level twice"):
        ColumnChoices.parse_ordinal(text)


def test_numeric_codes_can_be_ordered() -> None:
    frame = pd.DataFrame({"rating": [1.0, 2.0, 3.0, 2.0, None, 3.0]})
    roles, _ = detect_roles(frame, ColumnChoices(ordinal={"rating": ["1", "2", "3"]}))
    assert roles["rating"].role == "ordinal"
    assert roles["rating"].order == ["1", "2", "3"]


def test_an_earlier_runs_output_columns_are_left_out(rng: np.random.Generator) -> None:
    # Clustering clustered.csv again must not cluster on the previous Cluster, Distance and Outlier.
    frame = pd.DataFrame(
        {
            "x": rng.normal(size=30),
            "Cluster": [1, 2, 3] * 10,
            "Distance": rng.random(30),
            "Outlier": [False] * 29 + [True],
        }
    )
    roles, notes = detect_roles(frame)
    assert [c.role for c in roles] == ["numeric", "excluded", "excluded", "excluded"]
    assert [c.name for c in roles.features] == ["x"]
    assert any(
        "'Cluster', 'Distance', 'Outlier' were added by an earlier ClusterLab run" in n.message for n in notes
    )
    # The user can still use one, and a lone column named Cluster is the user's own data.
    roles, _ = detect_roles(frame, ColumnChoices(roles={"Distance": "numeric"}))
    assert roles["Distance"].role == "numeric"
    assert detect_roles(frame[["x", "Cluster"]])[0]["Cluster"].role != "excluded"
    # With the names and memberships the outputs add beside the number (clustered.csv, the workbook).
    frame.insert(2, "Cluster name", ["Big", "Small", "Mid"] * 10)
    frame["Cluster probability"] = rng.random(30)
    roles, _ = detect_roles(frame)
    assert [c.name for c in roles.features] == ["x"]


def test_numbers_with_a_few_placeholder_marks_are_numeric(rng: np.random.Generator) -> None:
    # 90 numbers and 10 cells of '-' or '?' (94% numbers): was an 83-level category, losing the numbers.
    values = [f"{v:.2f}" for v in rng.normal(50, 10, 100)]
    for i in range(0, 100, 10):
        values[i] = "-" if i % 20 else "?"
    frame = pd.DataFrame({"score": pd.Series(values, dtype=object)})
    roles, notes = detect_roles(frame)
    assert roles["score"].role == "numeric"
    assert roles["score"].n_unparsed == 10
    assert any("'score' has 10 value(s) that are not numbers" in n.message for n in notes)
    # Real words among the numbers (many different ones) keep the column a category.
    words = [f"{v:.2f}" for v in rng.normal(50, 10, 90)] + [f"group {c}" for c in "abcdefghij"]
    assert detect_roles(pd.DataFrame({"w": pd.Series(words, dtype=object)}))[0]["w"].role != "numeric"


def test_day_first_dates_are_read_day_first_throughout() -> None:
    # 06/01/2021 is 6 January in a file whose other dates include 13/01/2021: reading the first
    # value month-first and falling back to per-value guessing misread 23 of these 60 dates.
    dates = pd.date_range("2021-01-01", periods=60, freq="5D")
    frame = pd.DataFrame({"d": pd.Series([d.strftime("%d/%m/%Y") for d in dates], dtype=object)})
    info = detect_roles(frame)[0]["d"]
    assert info.role == "datetime"
    assert info.date_format == "%d/%m/%Y"
    # Month-first files keep their format.
    us = pd.DataFrame({"d": pd.Series([d.strftime("%m/%d/%Y") for d in dates], dtype=object)})
    assert detect_roles(us)[0]["d"].date_format == "%m/%d/%Y"


def test_reasons_quote_numbers_and_count_different_values() -> None:
    # The reason quoted the first cells even when they were the unreadable ones ('inf'), and called
    # 29 different values in 30 rows "29 repeated values".
    numbers = pd.Series(["-", "?"] + [f"{v}.5" for v in range(28)], dtype=object)
    assert (
        detect_roles(pd.DataFrame({"n": numbers}))[0]["n"].reason
        == "numbers written as text (e.g. '0.5', '1.5')"
    )
    words = pd.Series([f"w{i}" for i in range(29)] + ["w0"], dtype=object)
    assert detect_roles(pd.DataFrame({"w": words}))[0]["w"].reason == "29 different values"


@pytest.mark.parametrize("fmt", ["%d/%m/%Y", "%m/%d/%Y", "%Y-%m-%d", "%Y-%m-%d %H:%M", "%d.%m.%Y"])
def test_dates_in_either_order_are_read_without_a_warning(fmt: str) -> None:
    # 13 January first: a value only one order fits. pandas warned "Parsing dates in %d/%m/%Y format
    # when dayfirst=False..." for every such date column (in the server's log for every upload).
    dates = pd.date_range("2021-01-13", periods=40, freq="5D")
    frame = pd.DataFrame({"d": pd.Series(dates.strftime(fmt), dtype=object)})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        info = detect_roles(frame)[0]["d"]
    assert (info.role, info.date_format) == ("datetime", fmt)


@pytest.mark.parametrize(
    ("values", "codes"),
    [
        ([1, 2, 3] * 20, "3 different whole numbers, 1 to 3"),  # Wholesale's Region
        (["1", "2", "3", "4"] * 10, "4 different whole numbers, 1 to 4"),  # the same, typed as text
        ([1.5, 2.5, 3.5] * 20, None),  # not whole numbers
        (list(range(12)) * 10, None),  # more values than codes usually have
        ([1, 2, 3, 4, 5, 6, 7], None),  # too few rows to tell
    ],
)
def test_a_few_whole_numbers_in_many_rows_stay_numbers_with_the_evidence_of_codes(values, codes) -> None:
    roles, _ = detect_roles(pd.DataFrame({"Region": values}))
    assert roles["Region"].role == "numeric"  # a default: counts and ratings look the same
    assert roles["Region"].codes == codes
    assert ("codes" in roles["Region"].to_dict()) == (codes is not None)
