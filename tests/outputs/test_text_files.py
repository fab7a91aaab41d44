"""Exports: formula injection never becomes a live formula; values and types survive."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pandas as pd
import pytest

import clusterlab
from clusterlab.outputs.excel_writer import write_workbook
from clusterlab.outputs.text_files import neutralize_formulas, write_csv

DANGEROUS = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\tindent", "\rcr"]


def test_csv_prefixes_formula_triggers_in_text_but_not_numbers(tmp_path: Path) -> None:
    frame = pd.DataFrame({"text": [*DANGEROUS, "safe"], "n": [-1.5, 2, 3, 4, 5, 6, 7]})
    path = write_csv(frame, tmp_path / "out.csv")
    back = pd.read_csv(path, encoding="utf-8-sig", keep_default_na=False)
    assert back["text"].tolist()[:4] == ['\'=HYPERLINK("http://x","y")', "'+1+1", "'-2+3", "'@SUM(A1)"]
    assert back["text"].tolist()[-1] == "safe"
    assert back["text"].tolist()[4:6] == ["'\tindent", "'\rcr"]  # quoted, so the row does not split
    assert back["n"].tolist()[0] == -1.5  # numbers are numbers, never prefixed
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")


def test_workbook_writes_formula_text_as_text_cells(tmp_path: Path) -> None:
    frame = pd.DataFrame({"text": DANGEROUS[:4], "n": [1, 2, 3, 4]})
    path = write_workbook(tmp_path / "out.xlsx", [("Data", [(None, frame)], {})])
    with zipfile.ZipFile(path) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet  # no formula element anywhere
    back = pd.read_excel(path, engine="calamine")
    assert back["text"].tolist() == DANGEROUS[:4]  # the exact value, shown as text


def test_workbook_keeps_types_and_blanks(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {
            "when": pd.to_datetime(["2024-01-02", None, "2024-03-04"]).tz_localize("Europe/Paris"),
            "x": [1.5, float("nan"), 3.0],
            "flag": [True, False, True],
            "s": ["a", None, "0012"],
        }
    )
    path = write_workbook(tmp_path / "t.xlsx", [("Data", [("Title", frame)], {"filter": True})])
    back = pd.read_excel(path, engine="calamine", header=1)
    assert back["x"].isna().tolist() == [False, True, False]
    assert back["s"].tolist()[2] == "0012"
    assert back["when"].iloc[0] == pd.Timestamp("2024-01-02")


@pytest.mark.parametrize("values", [pd.Series([1, 2]), pd.Series(["ok", None], dtype=object)])
def test_neutralize_leaves_safe_columns_alone(values: pd.Series) -> None:
    assert neutralize_formulas(values).equals(values)


CALC = "=cmd|' /C calc'!A0"  # the header of issue 13


@pytest.fixture(scope="module")
def formula_headers(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, pd.DataFrame]:
    """Every output of a run whose headers (and one category's levels) are formulas."""
    frame = pd.DataFrame(
        {
            CALC: [1.0, 1.2, 0.9, 1.1, 9.0, 9.2, 8.8, 9.1] * 5,
            "+width": [2.0, 2.1, 1.9, 2.2, 7.0, 7.1, 6.9, 7.2] * 5,
            "@kind": ["=1+1", "-x", "=1+1", "-x"] * 10,
        }
    )
    out = tmp_path_factory.mktemp("formulas")
    clusterlab.cluster(frame, k=2, resamples=0).save(out)
    return out, frame


def test_csv_headers_are_neutralized_like_cells(formula_headers: tuple[Path, pd.DataFrame]) -> None:
    out, frame = formula_headers
    back = pd.read_csv(out / "clustered.csv", encoding="utf-8-sig")
    assert list(back.columns[:3]) == ["'" + CALC, "'+width", "'@kind"]
    assert back["'@kind"].tolist()[:2] == ["'=1+1", "'-x"]
    assert len(back) == len(frame)


def test_workbook_has_no_formula_in_any_sheet(formula_headers: tuple[Path, pd.DataFrame]) -> None:
    from openpyxl import load_workbook

    out, _ = formula_headers
    with zipfile.ZipFile(out / "clustered.xlsx") as archive:
        parts = {n: archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets/")}
    assert parts
    assert all("<f>" not in xml for xml in parts.values())  # no formula element in any sheet
    book = load_workbook(out / "clustered.xlsx", read_only=True)
    values = [c.value for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert CALC in values  # the header (Clustered Data) and the column's row (Columns), exactly
    assert "=1+1" in values


def test_chart_names_are_text_never_references(tmp_path: Path) -> None:
    frame = pd.DataFrame({"=k": [2, 3], "=score": [0.5, 0.6]})
    chart = {"categories": "=k", "values": "=score", "title": "=HYPERLINK(1)"}
    path = write_workbook(tmp_path / "c.xlsx", [("K", [(None, frame)], {"charts": [chart]})])
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("xl/charts/chart1.xml").decode()
    assert "\u200b=HYPERLINK(1)</a:t>" in xml  # a title shown as text
    assert "<c:f>HYPERLINK" not in xml
    assert "<c:f>score" not in xml


def test_summary_keeps_names_exactly(formula_headers: tuple[Path, pd.DataFrame]) -> None:
    # JSON is data, never evaluated: a program reading summary.json finds the real column names.
    out, _ = formula_headers
    summary = (out / "summary.json").read_text(encoding="utf-8")
    assert json.loads(summary)["columns"][0]["name"] == CALC
