"""clustered.csv and the JSON files (summary.json, model.json), written safely, and the output folder.

Formula injection (OWASP "CSV injection"): a cell whose text begins with ``=``, ``+``, ``-``, ``@``,
tab or carriage return can run as a formula when a spreadsheet opens the file. A CSV has no way to
mark a cell as text, so such cells get a leading apostrophe, as OWASP advises, and so does the header
row: a column named ``=cmd|' /C calc'!A0`` is a cell like any other to the spreadsheet. (The workbook
writes every text cell, headers included, as text instead: :mod:`.excel_writer`.)

summary.json and model.json keep names exactly: JSON is data that no spreadsheet evaluates, and a
program reading them must find the columns under their real names.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..core.clustering import Clustering, free_column_name
from ..core.errors import Control, InputError

__all__ = [
    "FORMULA_TRIGGERS",
    "NAME_COLUMN",
    "clean_json",
    "neutralize_formulas",
    "neutralize_text",
    "output_folder",
    "with_names",
    "write_csv",
    "write_json",
]

NAME_COLUMN = "Cluster name"  # beside Cluster in clustered.csv and the workbook
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralize_formulas(values: pd.Series) -> pd.Series:
    """Prefix text cells that a spreadsheet would run as a formula with an apostrophe.

    >>> neutralize_formulas(pd.Series(["=1+1", "ok", "-x", None, 5], dtype=object)).tolist()
    ["'=1+1", 'ok', "'-x", None, 5]
    """
    if not (pd.api.types.is_string_dtype(values) or pd.api.types.is_object_dtype(values)):
        return values
    if isinstance(values.dtype, pd.StringDtype) or pd.api.types.infer_dtype(values, skipna=True) == "string":
        # Text only: one vectorised test (a million cells in milliseconds, not a call per cell).
        risky = values.str.startswith(FORMULA_TRIGGERS, na=False).astype(bool)
    else:
        risky = values.map(
            lambda v: isinstance(v, str) and v.startswith(FORMULA_TRIGGERS), na_action="ignore"
        )
        risky = risky.fillna(False).astype(bool)
    if not risky.any():
        return values
    out = values.astype(object).copy()
    out[risky] = "'" + values[risky].astype(str)
    return out


def neutralize_text(value: Any) -> Any:
    """One value as :func:`neutralize_formulas` writes it.

    >>> neutralize_text("=cmd|' /C calc'!A0"), neutralize_text("age"), neutralize_text(3)
    ("'=cmd|' /C calc'!A0", 'age', 3)
    """
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS) else value


def with_names(result: Clustering) -> pd.DataFrame:
    """The user's table with the added columns (``result.data``) and each row's cluster name beside
    its number (yours when you renamed it), for reading and filtering by name in clustered.csv and
    the workbook. Programs can keep to the number: a name is words that a change of columns, or a
    rename, may reword."""
    data = result.data
    names = {d.cluster: d.name for d in result.descriptions}
    column = free_column_name(NAME_COLUMN, data.columns)
    named = pd.Series([names.get(c) for c in result.clusters.tolist()], index=data.index, dtype=object)
    data.insert(data.columns.get_loc(result.cluster_column) + 1, column, named)
    return data


def write_csv(frame: pd.DataFrame, path: Path) -> Path:
    """UTF-8 with a BOM (so Excel shows accents right), formula triggers neutralized in cells and headers."""
    safe = frame.apply(neutralize_formulas)
    safe.columns = [neutralize_text(name) for name in safe.columns]
    # CRLF (RFC 4180): the csv writer then quotes any cell holding \r or \n, so rows never split.
    safe.to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\r\n")
    return path


def write_json(data: Any, path: Path) -> Path:
    path.write_text(
        json.dumps(clean_json(data), indent=2, allow_nan=False, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return path


def clean_json(value: Any) -> Any:
    """NaN and infinities become null; numpy scalars become Python numbers."""
    if isinstance(value, dict):
        return {str(k): clean_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean_json(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def output_folder(path: str | Path) -> Path:
    """Create the folder the outputs go to, or raise :class:`InputError` saying why it cannot be.

    Called before clustering too (by the CLI), so a long run does not end on an unwritable folder.
    """
    out = Path(path)
    if "\x00" in str(out):
        raise InputError(
            f"Cannot write the outputs to {str(out)!r}: a folder name cannot hold a NUL character; give "
            f"another with {Control('out')}.",
            detail={"path": repr(str(out))},
        )
    if out.exists() and not out.is_dir():
        raise InputError(
            f"Cannot write the outputs to '{out}': it is a file, not a folder; give a folder with {Control('out')}.",
            detail={"path": str(out)},
        )
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise InputError(
            f"Cannot create the output folder '{out}' ({err.strerror or err}); give another with {Control('out')}.",
            detail={"path": str(out)},
        ) from None
    return out
