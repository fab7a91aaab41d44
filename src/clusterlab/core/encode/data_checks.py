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
            # Read once (text such as "1,5" too); the encoder then fits on the numbers themselves.
            numbers = pd.Series(
                parse_numbers(values, info.decimal).values, index=values.index, name=info.name
            )
            notes += _sentinel_notes(info, numbers.to_numpy())
            encoder = NumericEncoder(info.name, ".", heavy_tails, "clip").fit(numbers.to_frame())
            notes += [_checked(n) for n in encoder.far_out_notes()]
        elif info.role == "categorical":
            notes += _numbers_as_text(info, values)
        notes += _empty_notes(info)
    return notes


def _checked(note: Note) -> Note:
    return Note("check", note.message, note.column, note.count, note.level)


def _sentinel_notes(info: ColumnInfo, numbers: np.ndarray) -> list[Note]:
    numbers = numbers[np.isfinite(numbers)]
    out = []
    for code in SENTINELS:
        hits = int((numbers == code).sum())
        if hits < 2:
            continue
        rest = numbers[numbers != code]
        if rest.size < 5 or not _apart(code, rest):
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


def _apart(code: float, rest: np.ndarray) -> bool:
    """-1 (or -99...) where every other value is 0 or more; 99 (or 999...) above all other values by a
    gap of at least a tenth of their range, so that the top of 0, 1, ..., 99 is not taken for a code."""
    low, high = float(rest.min()), float(rest.max())
    if code < 0:
        return low >= 0
    return code - high >= 0.1 * max(high - low, 1.0)


def _numbers_as_text(info: ColumnInfo, values: pd.Series) -> list[Note]:
    """A category column that is mostly numbers: a few words among them made it a category."""
    present = values.dropna()
    if not (pd.api.types.is_string_dtype(values) or pd.api.types.is_object_dtype(values)) or present.empty:
        return []
    # Each distinct value read once: a category repeats a few values over many rows.
    counts = present.astype(str).value_counts()
    parsed = parse_numbers(pd.Series(counts.index, dtype=object))
    is_number = np.isfinite(parsed.values)
    n_numbers, n_present = int(counts.to_numpy()[is_number].sum()), int(counts.sum())
    if n_numbers < 0.5 * n_present:
        return []
    n_other = n_present - n_numbers
    others = ", ".join(repr(e) for e in counts.index[~is_number][:3])
    return [
        Note(
            "check",
            f"Column '{info.name}' holds numbers stored as text: {n_numbers} of "
            f"{n_present} cells are numbers, {n_other} are not (e.g. {others}), so it is read "
            f"as a category. To cluster on it as numbers (the others become empty cells), use "
            f"{Control('roles', {info.name: 'numeric'})}.",
            column=info.name,
            count=n_other,
            level="warning",
        )
    ]


def _empty_notes(info: ColumnInfo) -> list[Note]:
    if info.share_missing < MANY_EMPTY:
        return []
    filled = (
        "the mean of the rows most like theirs in the other columns"
        if info.role == "numeric"
        else "a value of their own, '(missing)'"
    )
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
