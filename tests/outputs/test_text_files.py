"""Exports: formula injection never becomes a live formula; values and types survive."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd
import pytest

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
