"""clustered.xlsx as a reader meets it: each row's cluster name beside its number, and the profiles'
numbers with each column's decimals (issue 14, item 9), read back with openpyxl."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

import clusterlab
from clusterlab.outputs.number_formats import NumberFormat


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> tuple[clusterlab.ClusterResult, openpyxl.Workbook]:
    rng = np.random.default_rng(5)
    n = 40
    frame = pd.DataFrame(
        {
            "income": np.r_[rng.normal(30_000, 2_000, n), rng.normal(90_000, 5_000, n)].round(),
            "visits": np.r_[rng.normal(40, 1, n), rng.normal(20, 1, n)],
            "ratio": np.r_[rng.normal(0.2, 0.02, n), rng.normal(0.5, 0.02, n)],
            "plan": ["Basic"] * (n - 4) + ["Premium"] * 8 + ["Basic"] * (n - 4),
        }
    )
    frame.loc[3, "visits"] = np.nan  # left unclustered with impute none: no name
    result = clusterlab.cluster(frame, k=2, impute="none", resamples=0)
    path = result.to_excel(tmp_path_factory.mktemp("book") / "out.xlsx")
    return result, openpyxl.load_workbook(path)


def _block(sheet: openpyxl.worksheet.worksheet.Worksheet, title: str) -> list[tuple]:
    """The cells (with their number formats) of the block under ``title``, header first."""
    rows = list(sheet.iter_rows())
    start = next(i for i, r in enumerate(rows) if str(r[0].value).startswith(title)) + 1
    end = next((i for i in range(start, len(rows)) if rows[i][0].value is None), len(rows))
    width = sum(c.value is not None for c in rows[start])  # the sheet is as wide as its widest block
    return [r[:width] for r in rows[start:end]]


def test_the_data_sheet_names_each_rows_cluster_beside_its_number(book) -> None:
    result, workbook = book
    rows = list(workbook["Clustered Data"].iter_rows(values_only=True))
    header = list(rows[0])
    assert header[-4:] == ["Cluster", "Cluster name", "Distance", "Outlier"]
    names = {d.cluster: d.name for d in result.descriptions}
    assert len(set(names.values())) == 2
    number, name = header.index("Cluster"), header.index("Cluster name")
    for row in rows[1:]:
        assert row[name] == (names[row[number]] if row[number] is not None else None)
    assert rows[4][number] is None
    assert rows[4][name] is None
    # clustered.csv stays the data for programs: the number only (see outputs/workbook.py).
    assert "Cluster name" not in result.data.columns


def test_profile_numbers_have_their_columns_decimals(book) -> None:
    _, workbook = book
    sheet = workbook["Cluster Profiles"]
    numeric = _block(sheet, "Numeric columns")
    header = [c.value for c in numeric[0]]
    assert header[:3] == ["Column", "Statistic", "All"]
    formats = {(r[0].value, r[1].value): {c.number_format for c in r[2:]} for r in numeric[1:]}
    # income near 30,000-90,000: whole numbers; visits near 20-40: one decimal; ratio near 0.2-0.5:
    # three (three significant digits at the column's magnitude, as the report's cards write them).
    assert formats[("income", "mean")] == {"#,##0"}
    assert formats[("visits", "mean")] == {"#,##0.0"} == formats[("visits", "std")]
    assert formats[("ratio", "50%")] == {"#,##0.000"}
    assert formats[("visits", "count")] == {"#,##0"}  # a count is whole
    assert NumberFormat(0.45).excel == "#,##0.000"
    shares = _block(sheet, "Category shares")
    assert {c.number_format for r in shares[1:] for c in r[2:]} == {"0.0%"}
    assert [r[1].value for r in shares[1:]] == ["Basic", "Premium"]


def test_distinguishing_averages_have_their_columns_decimals_and_shares_are_percent(book) -> None:
    _, workbook = book
    features = _block(workbook["Cluster Profiles"], "What sets each cluster apart")
    header = [c.value for c in features[0]]
    column, here, overall, share = (
        header.index(h) for h in ("Column", "This cluster", "Overall", "This cluster %")
    )
    seen = set()
    for row in features[1:]:
        if row[column].value == "plan":
            assert row[here].value is None
            assert row[share].number_format == "0.0%"
            continue
        expected = {"income": "#,##0", "visits": "#,##0.0", "ratio": "#,##0.000"}[row[column].value]
        assert row[here].number_format == row[overall].number_format == expected
        seen.add(row[column].value)
    assert seen == {"income", "visits", "ratio"}


def test_a_streamed_data_sheet_names_each_rows_cluster_too(tmp_path: Path) -> None:
    # Over 5,000 rows the data sheet is streamed in a column at a time (.sheet_stream).
    from clusterlab.outputs.excel_writer import FILL_ROWS

    rng = np.random.default_rng(8)
    n = FILL_ROWS // 2 + 1
    frame = pd.DataFrame(
        {"x": np.r_[rng.normal(0, 1, n), rng.normal(10, 1, n)], "y": rng.normal(0, 1, 2 * n)}
    )
    result = clusterlab.cluster(frame, k=2, resamples=0)
    data = pd.read_excel(
        result.to_excel(tmp_path / "big.xlsx"), sheet_name="Clustered Data", engine="calamine"
    )
    assert len(data) > FILL_ROWS
    names = {d.cluster: d.name for d in result.descriptions}
    assert data["Cluster name"].tolist() == [names[c] for c in result.clusters.tolist()]
