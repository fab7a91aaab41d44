"""Large data sheets in clustered.xlsx, written a column at a time instead of a cell at a time.

xlsxwriter costs about 15 microseconds per cell (a Python call, then XML); the data sheet of 100,000
rows x 16 columns is 1.6 million cells: 25 s, and a million rows take minutes and gigabytes. Here the
sheet's rows are made as text with pandas' vectorised string operations, a column at a time, and
streamed into the finished workbook in blocks of rows (:func:`fill_sheet`), while xlsxwriter still
writes everything else (header, formats, filter, frozen header, other sheets and charts).

Cells are the same as xlsxwriter would write: numbers as numbers (with the column's number format),
yes/no as booleans, text as inline text (never a formula), empty and non-finite cells empty. Columns
this module cannot write exactly (dates, mixed types, control characters, over-long text) make
:func:`can_fill` say no, and the usual cell-by-cell writer runs.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["BLOCK_ROWS", "can_fill", "fill_sheet"]

BLOCK_ROWS = 50_000  # rows made and streamed at a time: bounded memory on a million rows
MAX_TEXT = 32_767  # Excel's longest cell text
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _kind(values: pd.Series) -> str | None:
    if pd.api.types.is_bool_dtype(values):
        return "bool"
    if pd.api.types.is_numeric_dtype(values):
        return "number"
    if isinstance(values.dtype, pd.CategoricalDtype):
        values = values.astype(object)
    if not (
        isinstance(values.dtype, pd.StringDtype)
        or pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty")
    ):
        return None  # dates, mixed numbers and text, other objects: the cell-by-cell writer
    text = values.dropna().astype(str)
    if len(text) and (text.str.len().max() > MAX_TEXT or text.str.contains(_CONTROL).any()):
        return None
    return "text"


def can_fill(frame: pd.DataFrame) -> bool:
    """Whether every column can be written here exactly (numbers, booleans, plain text)."""
    return all(_kind(frame.iloc[:, j]) is not None for j in range(frame.shape[1]))


def _letters(j: int) -> str:
    name = ""
    j += 1
    while j:
        j, rest = divmod(j - 1, 26)
        name = chr(65 + rest) + name
    return name


def _column_xml(values: pd.Series, letter: str, rows: pd.Series, style: int | None) -> pd.Series:
    kind = _kind(values)
    start = '<c r="' + letter + rows
    if kind == "bool":
        present = values.notna().to_numpy()
        flags = np.where(values.fillna(False).astype(bool).to_numpy(), "1", "0")
        cells = start + pd.Series(np.where(present, '" t="b"><v>' + flags + "</v></c>", ""), index=rows.index)
        return cells.where(present, "")
    if kind == "number":
        numbers = values.to_numpy(dtype=float, na_value=np.nan)
        finite = np.isfinite(numbers)
        whole = pd.api.types.is_integer_dtype(values)
        # Integers as integers; floats as Python's shortest round-trip text (xlsxwriter writes 16 digits).
        text = (values.astype("Int64") if whole else pd.Series(numbers)).astype(str)
        text.index = rows.index
        styled = f'" s="{style}"><v>' if style else '"><v>'
        cells = start + styled + text.astype(str) + "</v></c>"
        return cells.where(finite, "")
    text = values.astype(object).where(values.notna(), None)
    present = text.notna().to_numpy()
    escaped = (
        text[present]
        .astype(str)
        .str.replace("&", "&amp;", regex=False)
        .str.replace("<", "&lt;", regex=False)
        .str.replace(">", "&gt;", regex=False)
    )
    body = pd.Series("", index=rows.index, dtype=object)
    body[present] = '" t="inlineStr"><is><t xml:space="preserve">' + escaped + "</t></is></c>"
    return (start + body).where(present, "")


def _rows_xml(frame: pd.DataFrame, first_row: int, styles: dict[int, int]) -> str:
    rows = pd.Series(
        np.arange(first_row, first_row + len(frame)).astype(str), index=frame.index, dtype=object
    )
    line = '<row r="' + rows + '">'
    for j in range(frame.shape[1]):
        line = line + _column_xml(frame.iloc[:, j], _letters(j), rows, styles.get(j))
    return "".join((line + "</row>").tolist())


def fill_sheet(path: Path, sheet_number: int, frame: pd.DataFrame, top: int, styles: dict[int, int]) -> None:
    """Stream ``frame``'s rows (without its header) into sheet ``sheet_number`` (1-based) of the
    finished workbook at ``path``, below the header row written at ``top`` (0-based).

    ``styles`` maps a column position to the workbook's cell format index for its numbers.
    """
    name = f"xl/worksheets/sheet{sheet_number}.xml"
    temporary = path.with_suffix(".filling")
    with (
        zipfile.ZipFile(path) as source,
        zipfile.ZipFile(
            # Level 1: the rows compress well anyway, and the default level costs three times the time.
            temporary,
            "w",
            zipfile.ZIP_DEFLATED,
            compresslevel=1,
        ) as target,
    ):
        for item in source.infolist():
            if item.filename != name:
                target.writestr(item, source.read(item.filename))
                continue
            xml = source.read(name).decode("utf-8")
            last = f"{_letters(frame.shape[1] - 1)}{top + 1 + len(frame)}"
            xml = re.sub(r'<dimension ref="[^"]*"/>', f'<dimension ref="A1:{last}"/>', xml, count=1)
            head, tail = xml.split("</sheetData>", 1)
            with target.open(name, "w", force_zip64=len(frame) * frame.shape[1] > 20_000_000) as out:
                out.write(head.encode("utf-8"))
                for start in range(0, len(frame), BLOCK_ROWS):
                    block = frame.iloc[start : start + BLOCK_ROWS]
                    out.write(_rows_xml(block, top + 2 + start, styles).encode("utf-8"))
                out.write(("</sheetData>" + tail).encode("utf-8"))
    shutil.move(temporary, path)
