"""Data checks: what is worth fixing in a table before it is clustered, said while it can still be fixed.

"Your data" shows these before any sweep runs: cells far outside the rest of their column (the very
cells the numeric encoder would clip, found by the same encoder: :meth:`NumericEncoder.far_out_notes`),
codes such as 999 or -1 that stand for "no value", numbers stored as text among words, and columns
with many empty cells. Each is a :class:`~clusterlab.core.errors.Note` (stage "check") naming its
column, how many cells, and the control that changes what happens to them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import Control, Note
from ..formatting import format_number
from ..read.number_text import parse_numbers
from ..roles.column_roles import ColumnInfo, Roles
from .numeric_encoder import NumericEncoder

__all__ = ["MANY_EMPTY", "SENTINELS", "data_checks"]

# Values people type for "unknown" in a number column. One counts as such a code only where it is
# repeated and lies beyond every other value of the column (-1 among non-negative amounts, 999 above
# ages that stop at 90), so a real 99 among values up to 120 is never taken for one.
SENTINELS = (-1.0, -9.0, -99.0, -999.0, -9999.0, 99.0, 999.0, 9999.0, 99999.0)
MANY_EMPTY = 0.05  # a column used with at least this share of empty cells is named


def data_checks(frame: pd.DataFrame, roles: Roles, *, heavy_tails: str = "log") -> list[Note]:
    """The data problems of the columns the clustering would use, column by column, in file order."""
    notes: list[Note] = []
    for info in roles:
        if not info.is_feature:
            continue
        values = frame[info.name]
        if info.role == "numeric":
            notes += _sentinel_notes(info, values)
            encoder = NumericEncoder(info.name, info.decimal, heavy_tails, "clip").fit(values.to_frame())
            notes += [_checked(n) for n in encoder.far_out_notes()]
        elif info.role == "categorical":
            notes += _numbers_as_text(info, values)
        notes += _empty_notes(info)
    return notes


def _checked(note: Note) -> Note:
    return Note("check", note.message, note.column, note.count, note.level)


def _sentinel_notes(info: ColumnInfo, values: pd.Series) -> list[Note]:
    numbers = parse_numbers(values, info.decimal).values
    numbers = numbers[np.isfinite(numbers)]
    out = []
    for code in SENTINELS:
        hits = int((numbers == code).sum())
        rest = numbers[numbers != code]
        if hits < 2 or rest.size < 5:
            continue
        beyond = rest.min() >= 0 if code < 0 else rest.max() < code
        if not beyond:
            continue
        shown = format_number(code)
        out.append(
            Note(
                "check",
                f"Column '{info.name}' has {hits} cells of {shown}, beyond all its other values "
                f"({format_number(rest.min())} to {format_number(rest.max())}): a code for 'unknown'? If so, "
                f"empty those cells in your file; as they are, they count as the number {shown}.",
                column=info.name,
                count=hits,
                level="warning",
            )
        )
    return out


def _numbers_as_text(info: ColumnInfo, values: pd.Series) -> list[Note]:
    """A category column that is mostly numbers: a few words among them made it a category."""
    present = values.dropna()
    if not (pd.api.types.is_string_dtype(values) or pd.api.types.is_object_dtype(values)) or present.empty:
        return []
    parsed = parse_numbers(present)
    if parsed.share_parsed < 0.5:
        return []
    others = ", ".join(repr(e) for e in parsed.failed_examples)
    return [
        Note(
            "check",
            f"Column '{info.name}' holds numbers stored as text: {parsed.n_present - parsed.n_failed} of "
            f"{parsed.n_present} cells are numbers, {parsed.n_failed} are not (e.g. {others}), so it is read "
            f"as a category. To cluster on it as numbers (the others become empty cells), use "
            f"{Control('roles', {info.name: 'numeric'})}.",
            column=info.name,
            count=parsed.n_failed,
            level="warning",
        )
    ]


def _empty_notes(info: ColumnInfo) -> list[Note]:
    if info.share_missing < MANY_EMPTY:
        return []
    filled = "the median" if info.role == "numeric" else "a value of their own, '(missing)'"
    return [
        Note(
            "check",
            f"Column '{info.name}' has {info.n_missing:,} empty cells ({info.share_missing:.0%}): they get "
            f"{filled}, or the rows with any get no cluster with {Control('impute', 'none')}; or leave the "
            f"column out with {Control('roles', {info.name: 'excluded'})}.",
            column=info.name,
            count=info.n_missing,
            level="warning" if info.share_missing >= 0.2 else "info",
        )
    ]
