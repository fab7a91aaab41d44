"""Big data sheets streamed in column-wise read back exactly as the cell-by-cell writer's."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from clusterlab.outputs import excel_writer
from clusterlab.outputs.sheet_stream import can_fill


def _table(rows: int = 6000) -> pd.DataFrame:
    rng = np.random.default_rng(7)
    frame = pd.DataFrame(
        {
            "income": rng.normal(50_000, 9_000, rows).round(2),
            "age": rng.integers(18, 90, rows),
            "plan": pd.Series(rng.choice(["Basic", "Plus & more", "<Gold>"], rows), dtype="str"),
            "formula": pd.Series(["=1+1", "-x", "@a", "plain"] * (rows // 4), dtype=object),
            "Cluster": pd.array(rng.integers(1, 4, rows), dtype="Int64"),
            "Distance": rng.random(rows),
            "Outlier": pd.array(rng.random(rows) < 0.05, dtype="boolean"),
        }
    )
    frame.loc[3, ["income", "plan", "Cluster", "Outlier", "formula"]] = [np.nan, None, pd.NA, pd.NA, None]
    frame.loc[4, "Distance"] = np.inf
    return frame


def _write(path: Path, frame: pd.DataFrame) -> Path:
    sheets = [
        ("Clustered Data", [(None, frame)], {"filter": True, "formats": {"Distance": "0.000"}}),
        ("Small", [("Title", frame.head(5))], {}),
    ]
    return excel_writer.write_workbook(path, sheets)


def test_streamed_sheet_reads_back_like_cell_by_cell(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import openpyxl

    frame = _table()
    assert len(frame) > excel_writer.FILL_ROWS
    assert can_fill(frame)
    fast = _write(tmp_path / "fast.xlsx", frame)
    monkeypatch.setattr(excel_writer, "FILL_ROWS", 10**9)
    slow = _write(tmp_path / "slow.xlsx", frame)
    for engine in ("openpyxl", "calamine"):
        for sheet in ("Clustered Data", "Small"):
            pd.testing.assert_frame_equal(
                pd.read_excel(fast, sheet_name=sheet, engine=engine),
                pd.read_excel(slow, sheet_name=sheet, engine=engine),
            )
    data = openpyxl.load_workbook(fast)["Clustered Data"]
    assert data.dimensions == f"A1:G{len(frame) + 1}"
    assert data.auto_filter.ref == f"A1:G{len(frame) + 1}"
    assert data.freeze_panes == "A2"
    assert data["F2"].number_format == "0.000"
    assert data["D2"].value == "=1+1"
    assert data["D2"].data_type == "s"
    assert data["G5"].value is None
    assert data["F6"].value is None


@pytest.mark.parametrize(
    "column",
    [
        pd.Series(pd.to_datetime(["2024-01-01", "2024-02-01"])),
        pd.Series([1, "a"], dtype=object),
        pd.Series(["ok", "bell\x07"], dtype=object),
    ],
)
def test_columns_it_cannot_write_exactly_go_cell_by_cell(column: pd.Series) -> None:
    assert not can_fill(pd.DataFrame({"x": column}))
