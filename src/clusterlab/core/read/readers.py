"""Reading spreadsheets into a :class:`Table`: a registry of readers keyed by file extension.

Every reader returns the header row and the data separately so that header problems are repaired
the same way for every format (blank headers become ``column_7``, duplicates ``name_2``) and
reported as notes rather than failing. Built-in readers register exactly as a plug-in would::

    @register_reader("feather", extensions=(".feather",))
    def read_feather(path, sheet, name): ...

A reader gets the file, the sheet asked for (or None) and the name to use in messages: the user's
own file name, which in the web app is not the stored file's.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import Control, InputError, Note
from .csv_format import CsvFormat, decode, detect_csv_format
from .file_check import check_file
from .number_text import plain_number_column

__all__ = [
    "READERS",
    "RawTable",
    "Table",
    "read_table",
    "register_reader",
    "repair_header",
    "table_from_frame",
]


@dataclass
class RawTable:
    """What a format reader hands back: header cells, data with positional columns, and facts."""

    header: list[Any]
    data: pd.DataFrame
    sheet: str | None = None
    csv_format: CsvFormat | None = None
    notes: list[Note] = field(default_factory=list)


@dataclass
class Table:
    """A read spreadsheet: ``frame`` keeps the user's values, row order and (repaired) column names."""

    frame: pd.DataFrame
    name: str
    format: str
    sheet: str | None = None
    csv_format: CsvFormat | None = None
    notes: list[Note] = field(default_factory=list)

    @property
    def n_rows(self) -> int:
        return len(self.frame)

    def describe(self) -> str:
        where = f", sheet '{self.sheet}'" if self.sheet else ""
        how = f" ({self.csv_format.describe()})" if self.csv_format else ""
        return f"{self.name}{where}: {self.n_rows} rows x {self.frame.shape[1]} columns{how}"


Reader = Callable[[Path, str | None, str], RawTable]


@dataclass(frozen=True)
class _ReaderEntry:
    format: str
    reader: Reader


READERS: dict[str, _ReaderEntry] = {}


def register_reader(fmt: str, *, extensions: tuple[str, ...]) -> Callable[[Reader], Reader]:
    """Register ``reader(path, sheet, name) -> RawTable`` for the given extensions (lower case, with dot)."""

    def decorate(reader: Reader) -> Reader:
        for ext in extensions:
            READERS[ext.lower()] = _ReaderEntry(fmt, reader)
        return reader

    return decorate


def read_table(path: str | Path, *, sheet: str | None = None, name: str | None = None) -> Table:
    """Read a spreadsheet file (.xlsx, .xls, .csv, .tsv, .txt, .parquet) into a :class:`Table`.

    Parameters
    ----------
    path : str or Path
        The file. Its extension picks the reader; its first bytes must agree.
    sheet : str, optional
        Excel sheet name. By default the first sheet holding data is read.
    name : str, optional
        The name to use in messages (the original upload name in the web app).

    Examples
    --------
    >>> table = read_table(sample_path("customers"))  # doctest: +SKIP
    >>> table.frame.shape  # doctest: +SKIP
    (600, 10)
    """
    path = Path(path)
    display = name or path.name
    if "\x00" not in str(path) and path.is_dir():  # check_file words a NUL in the name
        raise InputError(
            f"'{display}' is a folder, not a file; give a spreadsheet file (a folder of Parquet or CSV "
            f"parts is read with {Control('engine', 'dask')}).",
            detail={"file": display},
        )
    ext = Path(display).suffix.lower() or path.suffix.lower()
    entry = READERS.get(ext)
    if entry is None:
        known = ", ".join(sorted(READERS))
        raise InputError(
            f"File '{display}' has an unsupported extension '{ext or '(none)'}'; use one of {known}.",
            detail={"file": display, "extension": ext},
        )
    check_file(path, entry.format, display)
    raw = entry.reader(path, sheet, display)
    columns, notes = repair_header(raw.header)
    if raw.data.shape[1] > len(columns):  # more cells in data rows than in the header
        extra = raw.data.shape[1] - len(columns)
        columns += [f"column_{len(columns) + i + 1}" for i in range(extra)]
        notes.append(
            Note(
                "read",
                f"Data rows have {extra} more cells than the header; those columns were named column_N.",
                count=extra,
                level="warning",
            )
        )
    frame, blank_note = _drop_blank_rows(raw.data.set_axis(columns, axis=1))
    _check_not_empty(frame, display)
    frame = _numbers_from_text(frame)
    notes = raw.notes + notes + ([blank_note] if blank_note else [])
    return Table(frame, display, entry.format, raw.sheet, raw.csv_format, notes)


def table_from_frame(frame: pd.DataFrame, name: str = "data") -> Table:
    """Wrap an in-memory DataFrame (library use) with the same header repair and checks as files."""
    columns, notes = repair_header(list(frame.columns))
    frame = frame.set_axis(columns, axis=1).reset_index(drop=True)
    _check_not_empty(frame, name)
    return Table(_numbers_from_text(frame), name, "dataframe", notes=notes)


def repair_header(cells: list[Any]) -> tuple[list[str], list[Note]]:
    """Turn header cells into unique, non-blank column names, noting every change.

    >>> repair_header(["id", "", "id", None])[0]
    ['id', 'column_2', 'id_2', 'column_4']
    """
    names: list[str] = []
    notes: list[Note] = []
    blanks: list[str] = []
    for position, cell in enumerate(cells, start=1):
        text = "" if cell is None or (isinstance(cell, float) and pd.isna(cell)) else str(cell).strip()
        if isinstance(cell, float) and cell.is_integer():
            text = str(int(cell))
        if not text or text.startswith("Unnamed: "):
            text = f"column_{position}"
            blanks.append(text)
        names.append(text)
    if blanks:
        notes.append(
            Note(
                "read",
                f"{len(blanks)} column(s) had no header and were named "
                f"{', '.join(blanks[:5])}{'...' if len(blanks) > 5 else ''}.",
                count=len(blanks),
                level="warning",
            )
        )
    seen: dict[str, int] = {}
    taken = set(names)
    for i, text in enumerate(names):
        if text in seen:
            n = seen[text] + 1
            while f"{text}_{n}" in taken:
                n += 1
            seen[text] = n
            names[i] = f"{text}_{n}"
            taken.add(names[i])
            notes.append(
                Note(
                    "read",
                    f"Column name '{text}' appears more than once; "
                    f"the copy in position {i + 1} was renamed '{names[i]}'.",
                    column=names[i],
                    level="warning",
                )
            )
        else:
            seen[text] = 1
    return names, notes


def _drop_blank_rows(frame: pd.DataFrame) -> tuple[pd.DataFrame, Note | None]:
    """Rows with no value in any cell carry no data; skip them, but say so with their row numbers."""
    blank = frame.isna().all(axis=1)
    if not blank.any():
        return frame.reset_index(drop=True), None
    rows = (blank[blank].index + 2).tolist()  # spreadsheet row numbers: the header is row 1
    shown = ", ".join(map(str, rows[:8])) + ("..." if len(rows) > 8 else "")
    note = Note(
        "read",
        f"{len(rows)} completely empty row(s) were skipped (spreadsheet rows {shown}).",
        count=len(rows),
        level="warning",
    )
    return frame[~blank].reset_index(drop=True), note


def _check_not_empty(frame: pd.DataFrame, name: str) -> None:
    if frame.shape[1] == 0:
        raise InputError(f"File '{name}' has no columns.", detail={"file": name})
    if len(frame) == 0:
        raise InputError(
            f"File '{name}' has a header row but no data rows; add rows below the header.",
            detail={"file": name},
        )


def _numbers_from_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Columns of text that are exactly numbers become numbers (leading zeros keep them text)."""
    converted = {}
    for column in frame.columns:
        values = frame[column]
        if pd.api.types.is_string_dtype(values) or pd.api.types.is_object_dtype(values):
            numbers = plain_number_column(values)
            if numbers is not None:
                converted[column] = numbers
    return frame.assign(**converted) if converted else frame


# --- built-in readers ---------------------------------------------------------------------------


@register_reader("csv", extensions=(".csv", ".tsv", ".txt", ".tab"))
def read_delimited(path: Path, sheet: str | None, name: str) -> RawTable:
    text, encoding = decode(path.read_bytes())
    preferred = "\t" if path.suffix.lower() in (".tsv", ".tab") else None
    fmt = detect_csv_format(text, preferred=preferred, encoding=encoding)
    try:
        data = pd.read_csv(
            io.StringIO(text),
            sep=fmt.delimiter,
            header=None,
            dtype=str,
            skip_blank_lines=True,
            index_col=False,
        )
    except pd.errors.EmptyDataError:
        raise InputError(f"File '{name}' holds no data (only blank lines).", detail={"file": name}) from None
    except pd.errors.ParserError as err:
        raise _split_error(err, name, fmt.delimiter) from None
    header = data.iloc[0].tolist()
    body = data.iloc[1:].reset_index(drop=True).set_axis(range(data.shape[1]), axis=1)
    if fmt.decimal == ",":
        body = body.apply(_decimal_comma_column)
    return RawTable(header, body, csv_format=fmt)


def _decimal_comma_column(values: pd.Series) -> pd.Series:
    present = values.dropna()
    if present.empty or not present.str.fullmatch(r"\s*[+-]?\d+(?:,\d+)?\s*").all():
        return values
    return values.str.replace(",", ".", regex=False)


_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "bar"}


def _split_error(err: Exception, name: str, delimiter: str) -> InputError:
    """The parser's complaint in our words: which line, what is wrong with it, and the fix."""
    text = str(err)
    sep = _DELIMITER_NAMES.get(delimiter, repr(delimiter))
    if found := re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", text):
        expected, line, saw = map(int, found.groups())
        return InputError(
            f"File '{name}' could not be split into columns: line {line} has {saw} cells where the lines "
            f"above have {expected}. Give every line as many cells as the header; a value holding a {sep} "
            'must be in double quotes ("Smith, John").',
            detail={"file": name, "line": line, "cells": saw, "expected": expected},
        )
    if found := re.search(r"EOF inside string starting at row (\d+)", text):
        line = int(found.group(1)) + 1
        return InputError(
            f"File '{name}' could not be split into columns: a double quote opened on line {line} is never "
            'closed. Close it, or double a quote that belongs to the text ("a ""quoted"" word").',
            detail={"file": name, "line": line},
        )
    return InputError(
        f"File '{name}' could not be split into columns; check that every line has as many cells as the "
        f"header, separated by a {sep}, and that every double quote is closed.",
        detail={"file": name},
    )


@register_reader("xlsx", extensions=(".xlsx", ".xlsm"))
def read_xlsx(path: Path, sheet: str | None, name: str) -> RawTable:
    return _read_workbook(path, sheet, name)


@register_reader("xls", extensions=(".xls",))
def read_xls(path: Path, sheet: str | None, name: str) -> RawTable:
    return _read_workbook(path, sheet, name)


def _read_workbook(path: Path, sheet: str | None, name: str) -> RawTable:
    import python_calamine as calamine

    try:
        workbook = calamine.CalamineWorkbook.from_path(str(path))
        names = list(workbook.sheet_names)
        if sheet is not None and sheet not in names:
            raise InputError(
                f"File '{name}' has no sheet named '{sheet}'; its sheets are "
                + ", ".join(f"'{n}'" for n in names)
                + f". Choose one of them with {Control('sheet')}.",
                detail={"file": name, "sheets": names},
            )
        candidates = [sheet] if sheet is not None else names
        for candidate in candidates:
            rows = workbook.get_sheet_by_name(candidate).to_python(skip_empty_area=True)
            while rows and all(cell in ("", None) for cell in rows[0]):
                rows.pop(0)  # leading blank rows above the header
            if rows:
                break
        else:
            target = f"Sheet '{sheet}'" if sheet else "Every sheet"
            raise InputError(f"{target} of '{name}' is empty.", detail={"file": name})
    except calamine.PasswordError:
        raise InputError(
            f"File '{name}' is password-protected; save a copy without a password.",
            detail={"file": name, "reason": "encrypted"},
        ) from None
    except (calamine.CalamineError, calamine.ZipError, calamine.XmlError, ValueError) as err:
        what = {"ZipError": "its zip archive is damaged", "XmlError": "part of it is not well-formed XML"}
        raise InputError(
            f"File '{name}' could not be read as a workbook ({what.get(type(err).__name__, 'it is damaged')}); "
            "open it in Excel and save it again as .xlsx.",
            detail={"file": name, "reason": str(err)[:300]},
        ) from None
    width = max(len(row) for row in rows)
    header = rows[0] + [""] * (width - len(rows[0]))
    body = pd.DataFrame(
        [row + [""] * (width - len(row)) for row in rows[1:]], columns=range(width), dtype=object
    )
    body = body.replace("", None).infer_objects()
    notes = []
    if sheet is None and len(names) > 1:
        listed = ", ".join(f"'{n}'" for n in names[:10]) + (", ..." if len(names) > 10 else "")
        notes.append(
            Note(
                "read",
                f"The workbook has {len(names)} sheets ({listed}); '{candidate}', the first with data, "
                f"was read (choose another with {Control('sheet')}).",
            )
        )
    return RawTable(header, body, sheet=candidate, notes=notes)


@register_reader("parquet", extensions=(".parquet", ".pq"))
def read_parquet(path: Path, sheet: str | None, name: str) -> RawTable:
    try:
        frame = pd.read_parquet(path)
    except Exception as err:  # pyarrow raises several unrelated types for damaged files
        raise InputError(
            f"File '{name}' could not be read as Parquet: it is damaged, or uses a feature pyarrow cannot "
            "read. Export it again (or save it as CSV).",
            detail={"file": name, "reason": f"{type(err).__name__}: {str(err)[:300]}"},
        ) from None
    header = list(frame.columns)
    notes = []
    for column in header:
        if pd.api.types.is_object_dtype(frame[column]) and frame[column].map(_is_nested).any():
            # Lists and records (Parquet's nested types) cannot be compared or counted as values.
            frame[column] = frame[column].map(_as_text)
            notes.append(
                Note(
                    "read",
                    f"Column '{column}' holds lists or records; they were read as text (e.g. "
                    f"{frame[column].dropna().iloc[0]!r}).",
                    column=str(column),
                )
            )
    return RawTable(header, frame.set_axis(range(frame.shape[1]), axis=1), notes=notes)


def _is_nested(value: Any) -> bool:
    return isinstance(value, list | tuple | dict | np.ndarray)


def _as_text(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, dict):
        value = {k: v.tolist() if isinstance(v, np.ndarray) else v for k, v in value.items()}
    return str(value) if _is_nested(value) else value
