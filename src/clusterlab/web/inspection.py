"""What reading an upload found, saved for the data overview and the ordering step.

``inspect-N/`` holds ``table.json`` (file facts and notes), ``columns.json`` (each column's detected
role with its evidence, and its values when there are few enough to order), ``preview.json`` (the
first rows as text) and ``table.parquet``, the parsed data, so a role change can be checked against
one column without reading the upload again.
"""

from __future__ import annotations

import json
import math
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from ..core.encode.column_encoder import level_keys
from ..core.encode.data_checks import data_checks
from ..core.errors import Note
from ..core.read.number_text import numbers_by_value
from ..core.read.readers import Table
from ..core.roles.column_roles import ColumnChoices, ColumnInfo, detect_roles
from .wording import page_words

__all__ = [
    "MAX_ORDER_LEVELS",
    "PREVIEW_ROWS",
    "check_column_choice",
    "load_column",
    "sheet_names",
    "write_inspection",
]

PREVIEW_ROWS = 8
MAX_ORDER_LEVELS = 30  # more values than this are not sensible to put in order by hand


def sheet_names(path: Path) -> list[str]:
    """The sheets of a workbook (empty for other formats or when they cannot be listed)."""
    if path.suffix.lower() not in (".xlsx", ".xlsm", ".xls"):
        return []
    try:
        import python_calamine as calamine

        return list(calamine.CalamineWorkbook.from_path(str(path)).sheet_names)
    except Exception:  # the reader reports a damaged workbook with a proper message
        return []


def write_inspection(table: Table, folder: Path, sheets: list[str]) -> dict[str, Any]:
    """Detect roles on ``table`` and write the inspection files into ``folder``; returns table facts."""
    roles, notes = detect_roles(table.frame)
    folder.mkdir(parents=True, exist_ok=True)
    frame = table.frame
    stringified = _write_cache(frame, folder / "table.parquet")
    # What is worth fixing, shown with each column while its role can still be changed.
    checks: dict[str, list[dict[str, Any]]] = {}
    for note in data_checks(frame, roles):
        entry = note.to_dict(page_words)
        checks.setdefault(str(note.column), []).append(
            entry | {"short": _short(entry["message"], note.column)}
        )
    columns = []
    for info in roles:
        entry = info.to_dict()
        if info.name in checks:
            entry["checks"] = checks[info.name]
        if 3 <= info.n_distinct <= MAX_ORDER_LEVELS:
            # As the core reads them (2.0 is '2', the level an order must name), numbers by value.
            counts = level_keys(frame[info.name]).dropna().value_counts()
            entry["levels"] = [[level, int(counts[level])] for level in numbers_by_value(counts.index)]
        columns.append(entry)
    facts = {
        "name": table.name,
        "format": table.format,
        "sheet": table.sheet,
        "sheets": sheets,
        "describe": table.describe(),
        "csv": table.csv_format.describe() if table.csv_format else None,
        "n_rows": int(table.n_rows),
        "n_cols": int(frame.shape[1]),
        "notes": [n.to_dict(page_words) for n in _ordered(table.notes + notes)],
        "stringified": stringified,
    }
    preview = {
        "columns": [str(c) for c in frame.columns],
        "rows": [[_cell(v) for v in row] for row in frame.head(PREVIEW_ROWS).itertuples(index=False)],
    }
    for name, data in (("columns.json", columns), ("table.json", facts), ("preview.json", preview)):
        (folder / name).write_text(json.dumps(data, ensure_ascii=False, default=str), encoding="utf-8")
    return facts


def load_column(folder: Path, column: str) -> pd.DataFrame:
    """One column of the parsed table, as a one-column frame."""
    return pd.read_parquet(folder / "table.parquet", columns=[column])


def check_column_choice(
    folder: Path, column: str, role: str, order: list[str] | None = None
) -> tuple[ColumnInfo, list[Note]]:
    """Apply one column's choice with the core's own rules; raises SettingsError when it does not fit."""
    frame = load_column(folder, column)
    if role == "excluded":
        choices = ColumnChoices(exclude=(column,))
    elif role == "label":
        choices = ColumnChoices(label=column)
    elif role == "ordinal":
        choices = ColumnChoices(ordinal={column: list(order or [])})
    else:
        choices = ColumnChoices(roles={column: role})
    roles, notes = detect_roles(frame, choices)
    return roles[column], notes


def _short(message: str, column: str | None) -> str:
    """A check's first words, for its row when many columns have one: "Column 'Frozen' has 1 value(s)
    far outside the rest (row 326: ...)..." is "1 value(s) far outside the rest"."""
    head = message.removeprefix(f"Column '{column}' ").removeprefix("has ").removeprefix("holds ")
    head = re.split(r" \(|: |, beyond", head, maxsplit=1)[0]
    return head[:1].upper() + head[1:]


def _ordered(notes: list[Note]) -> list[Note]:
    return sorted(notes, key=lambda n: n.level != "warning")


def _write_cache(frame: pd.DataFrame, path: Path) -> list[str]:
    """Write the parsed table as Parquet. Columns mixing numbers and text (common in hand-made
    workbooks) cannot be stored as one Parquet type; they are cached as text and named in the result.
    The clustering itself always reads the upload, so this never changes results."""
    import pyarrow as pa

    stringified = []
    fixed = {}
    for column in frame.columns:
        values = frame[column]
        if pd.api.types.is_object_dtype(values):
            try:
                pa.array(values, from_pandas=True)
            except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
                fixed[column] = values.map(str, na_action="ignore").astype("str")
                stringified.append(str(column))
    (frame.assign(**fixed) if fixed else frame).to_parquet(path, index=False)
    return stringified


def _cell(value: Any) -> str:
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, datetime | pd.Timestamp):
        return value.strftime("%Y-%m-%d") if value.hour == value.minute == value.second == 0 else str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else f"{value:.6g}"
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "…"
