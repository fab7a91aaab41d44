"""An .xlsx from sheets of titled blocks (tables), with native charts, safely.

Every text cell is written as text (xlsxwriter's ``strings_to_formulas`` and ``strings_to_urls`` are
off), headers included, so a cell such as ``=cmd|' /C calc'!A0`` stays the exact value and never
runs. Chart titles and series names cannot be marked as text (xlsxwriter reads one that starts with
``=`` as a reference), so such a name starts with an invisible zero-width space instead. Big data
sheets are streamed in a column at a time (:mod:`.sheet_stream`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .sheet_stream import can_fill, fill_sheet

__all__ = ["EXCEL_MAX_ROWS", "Block", "ChartSpec", "write_workbook"]

EXCEL_MAX_ROWS = 1_048_575  # one row is the header
FILL_ROWS = 5_000  # data blocks longer than this are streamed in by .sheet_stream
_WORKBOOK_OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "nan_inf_to_errors": True,
}

Block = tuple[str | None, pd.DataFrame]


def write_workbook(path: Path, sheets: Iterable[tuple[str, list[Block], dict[str, Any]]]) -> Path:
    """Write sheets ``(name, blocks, options)``; each block is ``(title or None, frame)``, stacked with a
    blank row between. Options: ``percent`` (columns shown as percentages), ``formats`` (column ->
    Excel number format, e.g. ``{"Effect (SD)": "+0.00;-0.00;0.00"}``), ``freeze`` (keep the first
    header visible, default True), ``filter`` (an autofilter on the first block), ``wrap`` (columns
    whose text wraps), ``charts`` (native Excel charts, see :class:`ChartSpec`), ``row_formats``
    (block index -> ``(columns, formats)``: the numbers of those columns get an Excel number format
    per row, or None for the usual one; a profile table holds a row per data column, each with its
    own decimals)."""
    import xlsxwriter

    sheets = list(sheets)
    workbook = xlsxwriter.Workbook(str(path), _WORKBOOK_OPTIONS)
    formats = {
        "header": workbook.add_format(
            {"bold": True, "bg_color": "#E8EEF7", "border": 1, "text_wrap": True, "valign": "top"}
        ),
        "date": workbook.add_format({"num_format": "yyyy-mm-dd"}),
        "datetime": workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"}),
        "percent": workbook.add_format({"num_format": "0.0%"}),
        "number": workbook.add_format({"num_format": "General"}),
        "title": workbook.add_format({"bold": True, "font_size": 12}),
    }
    for column, number_format in {f for _, _, options in sheets for f in options.get("formats", {}).items()}:
        formats[f"custom:{column}"] = workbook.add_format({"num_format": number_format})
    for number_format in {
        f
        for _, _, options in sheets
        for _, rows in options.get("row_formats", {}).values()
        for f in rows
        if f
    }:
        formats[f"row:{number_format}"] = workbook.add_format({"num_format": number_format})
    fills: list[tuple[int, int, pd.DataFrame, dict[int, int]]] = []  # big data sheets, see .sheet_stream
    try:
        for number, (name, blocks, options) in enumerate(sheets, start=1):
            sheet = workbook.add_worksheet(name[:31])
            row, widths = 0, dict[int, float]()
            places: list[tuple[int, pd.DataFrame]] = []  # header row of each block
            for index, (title, frame) in enumerate(blocks):
                if title:
                    sheet.write_string(row, 0, title, formats["title"])
                    row += 1
                if index == 0 and options.get("freeze", True):
                    sheet.freeze_panes(row + 1, 0)
                if index == 0 and options.get("filter") and len(frame):
                    sheet.autofilter(row, 0, row + len(frame), max(frame.shape[1] - 1, 0))
                custom = {c: formats[f"custom:{c}"] for c in options.get("formats", {})}
                percent = set(options.get("percent", ()))
                if len(blocks) == 1 and len(frame) > FILL_ROWS and can_fill(frame):
                    # Header here, rows streamed in after closing (.sheet_stream): 20x faster, flat memory.
                    _write_block(sheet, formats, row, frame.iloc[:0], percent, widths, custom)
                    for j in range(frame.shape[1]):
                        widths[j] = max(widths[j], _width("", _cells(frame.iloc[:200, j])[0]))
                    # The streamed rows are XML written after xlsxwriter closes the file, so each cell
                    # names its style by index (s="3"). Only the Format knows that index, and only
                    # through this private method (xlsxwriter has no public getter); calling it
                    # also registers the format, so it is in styles.xml even if no cell written
                    # by xlsxwriter uses it. tests/outputs/test_sheet_stream.py reads a streamed
                    # cell's number format back, so a change in xlsxwriter fails a test.
                    styles = {
                        j: (
                            formats["percent"] if c in percent else custom.get(c, formats["number"])
                        )._get_xf_index()
                        for j, c in enumerate(frame.columns)
                    }
                    fills.append((number, row, frame, styles))
                else:
                    columns, rows = options.get("row_formats", {}).get(index, ((), ()))
                    by_row = (set(columns), [formats[f"row:{f}"] if f else None for f in rows])
                    _write_block(sheet, formats, row, frame, percent, widths, custom, by_row)
                places.append((row, frame))
                row += len(frame) + 2
            for j, width in widths.items():
                sheet.set_column(j, j, width)
            last_column = max((f.shape[1] for _, f in places), default=0)
            for spec in options.get("charts", ()):
                _add_chart(workbook, sheet, sheet.get_name(), places, last_column, spec)
    finally:
        workbook.close()
    for number, top, frame, styles in fills:
        fill_sheet(path, number, frame, top, styles)
    return path


ChartSpec = dict[str, Any]
"""A native chart: ``block`` (index of the block holding the data), ``categories`` and ``values``
(column names in it), ``type`` ("column", "bar", "line"; default "column"), ``title``, ``x_title``,
``y_title``, ``y_min`` (where the value axis starts; Excel's own choice zooms in on values
close together), ``colours`` (one per point, optional). It is placed beside the widest block, level with
the data block, so it never covers a cell."""


def _add_chart(
    workbook: Any,
    sheet: Any,
    sheet_name: str,
    places: list[tuple[int, pd.DataFrame]],
    last_column: int,
    spec: ChartSpec,
) -> None:
    top, frame = places[spec.get("block", 0)]
    if not len(frame):
        return
    columns = list(frame.columns)
    cat, val = columns.index(spec["categories"]), columns.index(spec["values"])
    first, last = top + 1, top + len(frame)
    chart = workbook.add_chart({"type": spec.get("type", "column")})
    series: dict[str, Any] = {
        "name": _chart_text(spec.get("series_name", spec["values"])),
        "categories": [sheet_name, first, cat, last, cat],
        "values": [sheet_name, first, val, last, val],
    }
    if spec.get("colours"):
        series["points"] = [{"fill": {"color": c}} for c in spec["colours"]]
    if spec.get("labels", True) and spec.get("type", "column") != "line":
        series["data_labels"] = {"value": True}
    if spec.get("type") == "line":
        series["marker"] = {"type": "circle", "size": 6}
    chart.add_series(series)
    chart.set_title({"name": _chart_text(spec.get("title", spec["values"])), "name_font": {"size": 12}})
    chart.set_legend({"none": True})
    chart.set_x_axis({"name": _chart_text(spec.get("x_title", spec["categories"]))})
    y_axis: dict[str, Any] = {
        "name": _chart_text(spec.get("y_title", spec["values"])),
        "major_gridlines": {"visible": True},
    }
    if "y_min" in spec:
        y_axis["min"] = spec["y_min"]
    chart.set_y_axis(y_axis)
    chart.set_size({"width": 520, "height": 300})
    sheet.insert_chart(max(top - 1, 0), last_column + 1, chart)


def _chart_text(text: Any) -> str:
    """A chart's title or series name as text, never a reference (see the module's docstring)."""
    return "\u200b" + text if str(text).startswith("=") else str(text)


def _write_block(
    sheet: Any,
    formats: dict[str, Any],
    top: int,
    frame: pd.DataFrame,
    percent: set[str],
    widths: dict[int, float],
    custom: dict[str, Any] | None = None,
    by_row: tuple[set[str], list[Any]] = (set(), []),
) -> None:
    """One block's header and cells; ``by_row``: columns, and a format per row (or None) for their
    numbers."""
    custom = custom or {}
    for j, column in enumerate(frame.columns):
        sheet.write_string(top, j, str(column), formats["header"])
        cells, kind = _cells(frame.iloc[:, j])
        fmt = (
            formats["percent"]
            if column in percent
            else custom[column]
            if column in custom
            else formats.get(kind or "")
        )
        rows = by_row[1] if column in by_row[0] else []
        for i, value in enumerate(cells, start=top + 1):
            if value is None:
                continue
            if isinstance(value, str):
                sheet.write_string(i, j, value)
            elif isinstance(value, bool):
                sheet.write_boolean(i, j, value)
            elif isinstance(value, datetime | date):
                sheet.write_datetime(i, j, value, fmt)
            else:
                mine = rows[i - top - 1] if i - top - 1 < len(rows) else None
                sheet.write_number(i, j, value, mine or fmt)
        widths[j] = max(widths.get(j, 0.0), _width(str(column), cells))


def _cells(values: pd.Series) -> tuple[list[Any], str | None]:
    """Python values for xlsxwriter: None for empty cells, naive datetimes, plain numbers."""
    if pd.api.types.is_datetime64_any_dtype(values):
        if getattr(values.dt, "tz", None) is not None:
            values = values.dt.tz_localize(None)
        has_time = bool((values.dropna().dt.normalize() != values.dropna()).any())
        return [None if pd.isna(v) else v.to_pydatetime() for v in values], "datetime" if has_time else "date"
    if pd.api.types.is_bool_dtype(values):
        return [None if pd.isna(v) else bool(v) for v in values], None
    if pd.api.types.is_numeric_dtype(values):
        array = values.to_numpy(dtype=float, na_value=np.nan)
        return [None if not math.isfinite(v) else v for v in array.tolist()], "number"
    out: list[Any] = []
    for v in values.tolist():
        if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NaT or v is pd.NA:
            out.append(None)
        elif isinstance(v, pd.Timestamp):
            out.append(v.tz_localize(None).to_pydatetime() if v.tzinfo else v.to_pydatetime())
        elif isinstance(v, datetime | date | bool | int | float):
            out.append(v)
        elif isinstance(v, np.generic):
            out.append(v.item())
        else:
            out.append(str(v))
    return out, None


def _width(header: str, cells: list[Any]) -> float:
    sample = [len(str(c)) for c in cells[:200] if c is not None]
    longest = max([len(header), *sample]) if sample else len(header)
    return float(min(max(longest + 2, 8), 60))
