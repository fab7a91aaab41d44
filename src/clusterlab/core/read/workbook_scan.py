"""How far a workbook's sheets reach and how much text their cells hold, found without parsing them.

calamine, the .xlsx reader, puts a sheet's cells in one dense grid from the first cell to the last
(32 bytes a cell before any value reaches Python) and copies a shared string into every cell that
uses it. So a file of a few hundred bytes naming cell XFD1048576 asks for 17 billion cells (calamine
aborts the whole process on the 549 GB allocation), and one long shared string used by a thousand
cells asks for a thousand copies; neither shows in the archive's sizes. These functions stream a
sheet's XML once, a few MB at a time, and find with regular expressions that match only what matters:

- the last row: the largest ``<row r="...">``, plus one per row without ``r`` (calamine puts such a
  row after the one before);
- the last column: the largest column of any cell reference, plus, when some cells have no ``r``,
  the most such cells in one row (calamine puts each after the cell before);
- the cells that use a shared string (``t="s"``) and, when asked, which string each uses.

The regular expressions accept what calamine accepts (either quote, spaces around ``=``, a namespace
prefix); anything they misread only makes the reach larger, never smaller.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

import numpy as np

__all__ = ["SheetReach", "column_letters", "shared_string_sizes", "shared_text_bytes", "sheet_reach"]

CHUNK = 8 * 1024 * 1024
LONGEST_TAG = 1024 * 1024  # a tag (or text without tags) longer than this is not from a spreadsheet


@dataclass(frozen=True)
class _Patterns:
    """The regular expressions of a scan: for elements without a namespace prefix, as spreadsheet
    writers write them (fast: each starts with a literal), or with any prefix (slower)."""

    row_ref: re.Pattern[bytes]
    row_without_ref: re.Pattern[bytes]  # a row whose first attribute is not r (no r, or r elsewhere)
    cell_without_ref: re.Pattern[bytes]
    row_start: re.Pattern[bytes]
    string_index: re.Pattern[bytes]

    @classmethod
    def make(cls, prefix: bytes) -> _Patterns:
        return cls(
            row_ref=re.compile(prefix + rb"row\b[^>]*?\sr" + _EQUALS + rb"(\d+)"),
            row_without_ref=re.compile(prefix + rb"row(?:[>/]|\s(?!\s*r\s*=))"),
            cell_without_ref=re.compile(prefix + rb"c(?:[>/]|\s(?!\s*r\s*=))"),
            row_start=re.compile(prefix + rb"row\b"),
            string_index=re.compile(_STRING_TYPE + rb"[^>]*>\s*" + prefix + rb"v>\s*(\d+)\s*<"),
        )


_EQUALS = rb"\s*=\s*[\"']"  # XML allows spaces around = and either quote
_STRING_TYPE = rb"t" + _EQUALS + rb"s[\"']"
_STRING_CELL = re.compile(_STRING_TYPE)
_WRITTEN = _Patterns.make(b"<")
_ANY = _Patterns.make(rb"<(?:[\w.-]+:)?")
_PREFIXED = re.compile(rb":(?:row|c|v|si)[\s>/]")  # an element with a namespace prefix
_SHARED_STRING = re.compile(rb"<(?:[\w.-]+:)?si[\s>/]")


def _patterns(chunk: bytes) -> _Patterns:
    return _ANY if _PREFIXED.search(chunk) else _WRITTEN


@dataclass
class SheetReach:
    """The grid a sheet asks of its reader. ``complete`` is False when the scan stopped early, once
    the grid passed the limit it was given: the sheet reaches at least this far."""

    rows: int = 0
    columns: int = 0
    string_cells: int = 0
    complete: bool = True

    @property
    def cells(self) -> int:
        return self.rows * self.columns


def column_number(letters: bytes | str) -> int:
    """``"A"`` -> 1, ``"XFD"`` -> 16384."""
    number = 0
    for letter in letters.decode() if isinstance(letters, bytes) else letters:
        number = number * 26 + ord(letter) - 64
    return number


def column_letters(number: int) -> str:
    """16384 -> ``"XFD"``."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _later_columns(number: int) -> re.Pattern[bytes]:
    """A cell reference whose column comes after column ``number`` (letters compared as Excel does)."""
    letters = column_letters(number)
    later = [rb"[A-Z]{%d,}" % (len(letters) + 1)] if number else [rb"[A-Z]+"]
    for i, letter in enumerate(letters):
        if letter != "Z":
            rest = rb"[A-Z]{%d}" % (len(letters) - i - 1)
            later.append(letters[:i].encode() + rb"[%c-Z]" % (ord(letter) + 1) + rest)
    return re.compile(rb"r" + _EQUALS + rb"(" + b"|".join(later) + rb")\d")


def _chunks(stream: IO[bytes]) -> Iterator[bytes]:
    """All of the stream, in pieces that end before a tag starts, so that no tag is cut in two."""
    carry = b""
    while block := stream.read(CHUNK):
        data = carry + block
        cut = data.rfind(b"<")
        carry = data[cut:] if cut > 0 else b""
        if len(carry) > LONGEST_TAG:
            if b">" not in carry:
                raise ValueError(f"a tag longer than {LONGEST_TAG // 1024**2} MB")
            carry = b""  # a tag, then text: nothing more to wait for
        yield data[: len(data) - len(carry)]
    if carry:
        yield carry


def sheet_reach(stream: IO[bytes], cell_limit: int) -> SheetReach:
    """The rows, columns and shared-string cells of one sheet's XML; stops once rows x columns passes
    ``cell_limit`` (then ``complete`` is False)."""
    reach = SheetReach()
    last_row = rows_without_ref = last_column = widest_unreferenced = in_row = 0
    for chunk in _chunks(stream):
        find = _patterns(chunk)
        refs = find.row_ref.findall(chunk)
        if refs:
            last_row = max(last_row, max(map(int, refs)))
        rows_without_ref += len(find.row_without_ref.findall(chunk))
        columns = _later_columns(last_column).findall(chunk)
        if columns:
            last_column = max(last_column, max(map(column_number, columns)))
        if find.cell_without_ref.search(chunk):
            # Rare (Excel always writes r): count them row by row, the count of the row a chunk ends
            # in carried into the next.
            counts = _unreferenced_per_row(chunk, find)
            widest_unreferenced = max(widest_unreferenced, in_row + int(counts[0]), int(counts.max()))
            in_row = int(counts[-1]) if len(counts) > 1 else in_row + int(counts[0])
        elif find.row_start.search(chunk):
            in_row = 0
        reach.string_cells += len(_STRING_CELL.findall(chunk))
        reach.rows = last_row + rows_without_ref
        reach.columns = last_column + widest_unreferenced
        if reach.cells > cell_limit:
            reach.complete = False
            break
    return reach


_WHITESPACE = np.frombuffer(b" \t\r\n", dtype=np.uint8)


def _unreferenced_per_row(chunk: bytes, find: _Patterns) -> np.ndarray:
    """Cells without r in each row of the chunk; the first count is the row the chunk starts in."""
    if find is _WRITTEN:  # found byte by byte with numpy: no match object for each of millions of cells
        data = np.frombuffer(chunk + b"\0\0\0\0", dtype=np.uint8)
        tags = np.flatnonzero(data[:-4] == ord("<"))
        first, second, third, fourth = (data[tags + i] for i in (1, 2, 3, 4))
        spaced = np.isin(second, _WHITESPACE)
        cells = (first == ord("c")) & (spaced | (second == ord(">")) | (second == ord("/")))
        referenced = spaced & (third == ord("r")) & ((fourth == ord("=")) | np.isin(fourth, _WHITESPACE))
        rows = (first == ord("r")) & (second == ord("o")) & (third == ord("w")) & ~np.isin(fourth, _NAME)
        row_starts, unreferenced = tags[rows], tags[cells & ~referenced]
    else:
        row_starts = np.asarray([m.start() for m in find.row_start.finditer(chunk)], dtype=np.int64)
        unreferenced = np.asarray([m.start() for m in find.cell_without_ref.finditer(chunk)], dtype=np.int64)
    row_of = np.searchsorted(row_starts, unreferenced, side="right")  # 0: the row carried in
    return np.bincount(row_of, minlength=len(row_starts) + 1)


_NAME = np.frombuffer(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-.:", dtype=np.uint8)


def shared_string_sizes(stream: IO[bytes]) -> np.ndarray:
    """The bytes of XML each shared string takes, in order: at least the text a cell copies."""
    starts: list[np.ndarray] = []
    offset = 0
    for chunk in _chunks(stream):
        found = [m.start() for m in _SHARED_STRING.finditer(chunk)]
        starts.append(np.asarray(found, dtype=np.int64) + offset)
        offset += len(chunk)
    positions = np.concatenate([*starts, np.asarray([offset], dtype=np.int64)])
    return np.diff(positions)


def shared_text_bytes(stream: IO[bytes], sizes: np.ndarray, string_cells: int) -> int:
    """The text one sheet's cells hold once each copies its shared string in: the exact count, with
    any string cell whose index cannot be read counted as using the longest string."""
    used = np.zeros(len(sizes) + 1, dtype=np.int64)  # the last slot: indices past the table
    matched = 0
    for chunk in _chunks(stream):
        indices = np.asarray(_patterns(chunk).string_index.findall(chunk), dtype=np.int64)
        matched += len(indices)
        used += np.bincount(np.minimum(indices, len(sizes)), minlength=len(sizes) + 1)
    longest = int(sizes.max()) if len(sizes) else 0
    return int(used[:-1] @ sizes) + max(string_cells - matched, 0) * longest
