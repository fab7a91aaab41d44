"""What a file really is, and whether it is safe to open.

Checks the first bytes against the format the extension claims (an .xlsx is a zip, a .parquet starts
and ends with ``PAR1``...), recognises password-protected workbooks, and refuses workbooks that would
cost more to read than any real one: zip bombs, XML entity bombs, sheets that reach too far, shared
strings copied into too many cells. Every refusal says what the file looks like, by how much it is
over, the limit, and what to do.

The limits, and the measurements behind them
--------------------------------------------
Measured on this project's 2-core test machine (python-calamine 0.9, pandas 3.1) with the six real
workbooks of the shared data, with workbooks pandas wrote through xlsxwriter and openpyxl (100,000 and
1,000,000 rows of ids, ages, incomes, scores, regions, plans, e-mails, dates, yes/no and counts; the
same with constant or 0/1 columns), and with the workbook of issue 13 (tests/hostile_files.py
``zip_bomb``: 4.7 MB holding one sheet of 1.5 GB of XML, 1,000,000 rows of 100 equal numbers).

- **Expansion** (:data:`MAX_ZIP_RATIO`). Sheet XML inflates 5-9 times in the real workbooks and 6-15
  times in the written ones (even 1,000,000 equal rows: 15, since every cell names its own address);
  the sparsest XML a spreadsheet writes, formatted empty rows, 30. The bomb inflates 323 times (the
  one of the issue 260). Refused above 100, for parts over 10 MB (a smaller part cannot cost much).
- **Size** (:data:`MAX_UNCOMPRESSED_BYTES`). Reading takes about 35 ms and 2.4 MB of memory per MB
  of sheet XML (411 MB of XML, 10 million cells: 14.5 s, 1.2 GB). A million rows by 30 columns is
  about 1.2 GB of XML; refused above 2 GB in all, which bounds the scan below to about 20 s.
- **Parts** (:data:`MAX_MEMBERS`). A workbook holds 9-10 parts, a few thousand with hundreds of
  sheets or pictures; refused above 10,000 (counted from the archive's last bytes, before its
  directory is read: a million entries would cost seconds and hundreds of MB).
- **Cells** (:data:`MAX_CELLS`). What reading costs is cells, not bytes: calamine fills a dense grid
  from the first cell to the last (32 bytes each, empty or not), then every cell becomes a Python
  object and a DataFrame cell: 75-100 bytes and 1.1-1.5 us per filled cell, 39 bytes per empty one
  (10 million cells: 11-15 s, 0.76-0.98 GB above the 0.23 GB of imports; the bomb's 100 million:
  95 s and 7.4 GB before failing). Refused above 30 million (a million rows by 30 columns): at most
  about 3 GB and 45 s to read. Counted from ``<dimension ref>`` first (the first KB of the sheet;
  it may lie, but when it claims too much it is refused at once), then from the XML itself
  (:mod:`.workbook_scan`, about 1.1 s per 100 MB of XML, 30% on top of the read): a few hundred
  bytes naming cell XFD1048576 would otherwise ask calamine for 17 billion cells, and it aborts the
  process.
- **Text** (:data:`MAX_TEXT_BYTES`). calamine copies a shared string into every cell that uses it,
  and Python copies it again: 200 cells using one 10 MB string asked for 3.8 GB, 1,000 aborted the
  process. Refused when the copies would pass 500 MB (a million rows with a 200-character comment
  each is 200 MB); counted as cells using strings times the longest string, and exactly (each
  cell's own string) only when that bound is over.

An old .xls (BIFF) is not compressed and holds at most 65,536 rows by 256 columns (16.8 million
cells), under the cell limit, so it needs no check of its own beyond its header.

A workbook within every limit is read in at most about 3 GB + 2 x 500 MB + 0.23 GB, about 4.3 GB,
the size to give a job's memory limit that should never refuse a workbook these checks let through
(the typical large one, a million rows by 10 columns, needs 1.2 GB). Uploads are smaller still: the
web app's 100 MB upload limit is about 15 million cells of ordinary data.
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from collections.abc import Iterable
from pathlib import Path
from xml.etree import ElementTree

from ..errors import InputError
from .file_path import check_path
from .workbook_scan import SheetReach, column_number, shared_string_sizes, shared_text_bytes, sheet_reach

__all__ = [
    "MAX_CELLS",
    "MAX_MEMBERS",
    "MAX_TEXT_BYTES",
    "MAX_UNCOMPRESSED_BYTES",
    "MAX_ZIP_RATIO",
    "check_file",
    "check_path",
    "sniff_kind",
]

MAX_UNCOMPRESSED_BYTES = 2_000_000_000
MAX_ZIP_RATIO = 100
RATIO_CHECKED_FROM = 10_000_000  # parts smaller than this cannot cost much, whatever their ratio
MAX_MEMBERS = 10_000
MAX_CELLS = 30_000_000
MAX_TEXT_BYTES = 500_000_000

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
_PARQUET = b"PAR1"
_SAVE_AS = "save the sheet you need as CSV or Parquet (File > Save As) and use that"


def sniff_kind(head: bytes) -> str:
    """Name the format the first bytes show: 'zip', 'ole', 'parquet', 'html', 'text', 'binary' or 'empty'."""
    if not head:
        return "empty"
    if head.startswith(_ZIP):
        return "zip"
    if head.startswith(_OLE):
        return "ole"
    if head.startswith(_PARQUET):
        return "parquet"
    lowered = head[:512].lstrip().lower()
    if lowered.startswith((b"<!doctype html", b"<html", b"<table")):
        return "html"
    if b"\x00" in head[:8192] and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "binary"
    return "text"


_LOOKS_LIKE = {
    "zip": "a zip archive (an .xlsx workbook?)",
    "ole": "an old-style Office file (.xls, or a password-protected workbook)",
    "parquet": "a Parquet file",
    "html": "an HTML page (some tools export 'Excel' files as HTML; open it in Excel and save as .xlsx)",
    "text": "plain text (CSV?)",
    "binary": "binary data",
}


def check_file(path: Path, fmt: str, name: str | None = None, *, scan_sheets: bool = True) -> None:
    """Raise :class:`InputError` unless ``path`` is a non-empty, safe file of format ``fmt``.

    ``fmt`` is the reader's format name: 'xlsx', 'xls', 'csv' or 'parquet'; ``name`` is the name to
    show (an upload's original name; by default the file's own). ``scan_sheets=False`` leaves out the
    one check that reads a workbook's XML (how far its sheets reach, how much text their cells hold),
    for a first look at an upload whose reading will check it.
    """
    name = name or path.name
    check_path(path, name)
    if path.is_dir():
        raise InputError(f"'{name}' is a folder, not a file.", detail={"file": str(path)})
    size = path.stat().st_size
    if size == 0:
        raise InputError(f"File '{name}' is empty (0 bytes).", detail={"file": name})
    with path.open("rb") as handle:
        head = handle.read(8192)
    kind = sniff_kind(head)
    expected = {"xlsx": "zip", "xls": "ole", "parquet": "parquet", "csv": "text"}[fmt]
    if fmt == "xlsx" and kind == "ole":
        if _is_encrypted_ole(path):
            raise InputError(
                f"File '{name}' is a password-protected workbook; save a copy without a password "
                "(File > Info > Protect Workbook) and try again.",
                detail={"file": name, "reason": "encrypted"},
            )
        raise InputError(
            f"File '{name}' is an old-style .xls workbook with an .xlsx name; rename it to .xls "
            "or save it as .xlsx.",
            detail={"file": name},
        )
    if kind == expected or (fmt == "xls" and kind == "zip"):  # an .xlsx saved as .xls: calamine reads both
        if kind == "zip":
            _check_zip(path, name, scan_sheets)
        elif kind == "parquet":
            _check_parquet_end(path, name)
        return
    what = "a text file" if fmt == "csv" else f"a valid .{_ext(name)} file ({_header_word(fmt)} missing)"
    raise InputError(
        f"File '{name}' is not {what}; it looks like {_LOOKS_LIKE.get(kind, 'something else')}.",
        detail={"file": name, "looks_like": kind},
    )


def _ext(name: str) -> str:
    return Path(name).suffix.lower().lstrip(".") or "?"


def _header_word(fmt: str) -> str:
    return {"xlsx": "zip header", "xls": "Office header", "parquet": "PAR1 header"}[fmt]


def _is_encrypted_ole(path: Path) -> bool:
    # Encrypted OOXML workbooks are OLE containers holding an "EncryptionInfo" stream (UTF-16 name).
    marker = "EncryptionInfo".encode("utf-16-le")
    with path.open("rb") as handle:
        return marker in handle.read(1024 * 1024)


def _check_parquet_end(path: Path, name: str) -> None:
    with path.open("rb") as handle:
        handle.seek(-min(4, path.stat().st_size), 2)
        if handle.read() != _PARQUET:
            raise InputError(
                f"File '{name}' is cut short or damaged: a Parquet file ends with 'PAR1' and this one does "
                "not. Copy or export it again.",
                detail={"file": name, "reason": "truncated"},
            )


def _size(n: float) -> str:
    """Bytes for people: '4.7 MB', '1.5 GB', '500 MB'."""
    unit = "bytes"
    for unit in ("bytes", "kB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            break
        n /= 1000
    text = f"{n:.0f}" if unit == "bytes" else f"{n:.1f}".removesuffix(".0")
    return f"{text} {unit}"


def _millions(cells: int) -> str:
    return f"{cells / 1e9:.1f} billion" if cells >= 1e9 else f"{cells / 1e6:.1f} million"


# --- workbooks ----------------------------------------------------------------------------------


def _check_zip(path: Path, name: str, scan_sheets: bool) -> None:
    _check_member_count(path, name)
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            sheets = _sheet_names(archive)
            _check_expansion(members, name, sheets)
            names = {m.filename for m in members}
            if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
                raise InputError(
                    f"File '{name}' is a zip archive but not an Excel workbook (no xl/ folder inside).",
                    detail={"file": name},
                )
            xml = [m for m in members if m.filename.endswith((".xml", ".rels"))]
            for member in xml:
                _check_prologue(archive, member, name)
            for member in xml:
                _check_dimension(archive, member, name, sheets)
            if scan_sheets:
                _check_reach(archive, xml, name, sheets)
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, RuntimeError, NotImplementedError) as err:
        raise InputError(
            f"File '{name}' is not a valid .xlsx: the zip archive is damaged or cut short ({_zip_reason(err)}). "
            "Open it in Excel and save it again, or copy it again.",
            detail={"file": name, "reason": "damaged"},
        ) from None


def _zip_reason(err: Exception) -> str:
    text = str(err).rstrip(".") or type(err).__name__
    return text[:1].lower() + text[1:]


def _check_member_count(path: Path, name: str) -> None:
    """Refuse an archive of too many parts from its end record, before zipfile reads the directory."""
    with path.open("rb") as handle:
        handle.seek(0, 2)
        end = handle.tell()
        handle.seek(max(0, end - 65_557))  # the end record (22 bytes) and a comment of up to 64 kB
        tail = handle.read()
    at = tail.rfind(b"PK\x05\x06")
    if at == -1 or len(tail) < at + 22:
        return  # zipfile says what is wrong
    (count,) = struct.unpack("<H", tail[at + 10 : at + 12])
    if count != 0xFFFF:  # zip64 keeps the count elsewhere: zipfile reads it, _check_expansion caps it
        _check_parts(count, name)


def _check_parts(count: int, name: str) -> None:
    if count > MAX_MEMBERS:
        raise InputError(
            f"File '{name}' holds {count:,} parts; a workbook holds a few dozen (a few thousand with "
            f"hundreds of sheets or pictures), and files of more than {MAX_MEMBERS:,} are refused. "
            f"Open it in Excel and {_SAVE_AS}.",
            detail={"file": name, "members": count, "limit": MAX_MEMBERS},
        )


def _check_expansion(members: list[zipfile.ZipInfo], name: str, sheets: dict[str, str]) -> None:
    _check_parts(len(members), name)
    total = sum(m.file_size for m in members)
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_CHECKED_FROM and ratio > MAX_ZIP_RATIO:
            raise InputError(
                f"File '{name}' expands too far to be a real workbook: {_part(member.filename, sheets)} "
                f"inflates from {_size(member.compress_size)} to {_size(member.file_size)}, {ratio:.0f} times; "
                f"real workbooks expand up to about 30 times, and more than {MAX_ZIP_RATIO} is refused. "
                f"If the file is genuine, open it in Excel and {_SAVE_AS}.",
                detail={
                    "file": name,
                    "member": member.filename,
                    "ratio": round(ratio),
                    "limit": MAX_ZIP_RATIO,
                    "uncompressed_bytes": member.file_size,
                },
            )
    if total > MAX_UNCOMPRESSED_BYTES:
        raise InputError(
            f"File '{name}' unpacks to {_size(total)}, above the {_size(MAX_UNCOMPRESSED_BYTES)} that can be "
            f"read (a million rows by 30 columns is about 1.2 GB); {_SAVE_AS}, or split it.",
            detail={"file": name, "uncompressed_bytes": total, "limit": MAX_UNCOMPRESSED_BYTES},
        )


def _part(member: str, sheets: dict[str, str]) -> str:
    return f"sheet '{sheets[member]}'" if member in sheets else f"its part '{member}'"


_PROLOGUE = 64 * 1024  # declarations, comments and processing instructions before the first element
_FIRST_ELEMENT = re.compile(rb"<[A-Za-z_]")


def _check_prologue(archive: zipfile.ZipFile, member: zipfile.ZipInfo, name: str) -> None:
    with archive.open(member) as part:
        head = part.read(_PROLOGUE)
    first = _FIRST_ELEMENT.search(head)
    prologue = head[: first.start()] if first else head
    if b"<!DOCTYPE" in prologue or b"<!ENTITY" in prologue or (first is None and len(head) == _PROLOGUE):
        raise InputError(
            f"File '{name}' contains XML entity declarations in '{member.filename}', which Excel never "
            f"writes; it was refused as a possible XML bomb. If the file is genuine, open it in Excel and {_SAVE_AS}.",
            detail={"file": name, "member": member.filename},
        )


_DIMENSION = re.compile(rb"<(?:[\w.-]+:)?dimension\s+ref\s*=\s*[\"']([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?[\"']")


def _check_dimension(
    archive: zipfile.ZipFile, member: zipfile.ZipInfo, name: str, sheets: dict[str, str]
) -> None:
    """The size a sheet says it has, from its first KB: refused at once when it claims too much."""
    if member.filename not in sheets and not member.filename.startswith("xl/worksheets/"):
        return
    with archive.open(member) as part:
        found = _DIMENSION.search(part.read(4096))
    if found is None:
        return
    first_col, first_row, last_col, last_row = found.groups()
    rows = int(last_row or first_row) - int(first_row) + 1
    columns = column_number(last_col or first_col) - column_number(first_col) + 1
    _check_cells(
        SheetReach(rows=rows, columns=columns), name, _part(member.filename, sheets), "says it spans"
    )


def _check_cells(reach: SheetReach, name: str, part: str, verb: str) -> None:
    if reach.cells <= MAX_CELLS:
        return
    at_least = "" if reach.complete else "at least "
    raise InputError(
        f"File '{name}' is too large to read: {part} {verb} {at_least}{reach.rows:,} rows by {reach.columns:,} "
        f"columns ({_millions(reach.cells)} cells); at most {MAX_CELLS // 10**6} million cells (a million rows "
        f"by 30 columns) are read. Delete the rows or columns you do not need, or {_SAVE_AS}.",
        detail={
            "file": name,
            "rows": reach.rows,
            "columns": reach.columns,
            "cells": reach.cells,
            "limit": MAX_CELLS,
        },
    )


def _check_reach(
    archive: zipfile.ZipFile, xml: Iterable[zipfile.ZipInfo], name: str, sheets: dict[str, str]
) -> None:
    """How far each sheet really reaches and how much text its cells hold, from its XML."""
    xml = list(xml)
    strings = [m for m in xml if m.filename.lower().endswith("sharedstrings.xml")]
    sizes = None
    for member in strings:
        with archive.open(member) as part:
            sizes = shared_string_sizes(part)
    for member in xml:
        if member in strings or member.filename.endswith(".rels"):
            continue
        with archive.open(member) as part:
            reach = sheet_reach(part, MAX_CELLS)
        where = _part(member.filename, sheets)
        _check_cells(reach, name, where, "reaches")
        if sizes is None or not len(sizes) or reach.string_cells * int(sizes.max()) <= MAX_TEXT_BYTES:
            continue
        with archive.open(member) as part:
            text = shared_text_bytes(part, sizes, reach.string_cells)
        if text > MAX_TEXT_BYTES:
            raise InputError(
                f"File '{name}' holds too much text to read: the {reach.string_cells:,} text cells of {where} "
                f"repeat its shared strings into {_size(text)} of text, above the {_size(MAX_TEXT_BYTES)} that "
                f"can be read. {_SAVE_AS[:1].upper() + _SAVE_AS[1:]}.",
                detail={"file": name, "text_bytes": text, "limit": MAX_TEXT_BYTES},
            )


def _sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name by part ('xl/worksheets/sheet1.xml' -> 'Sales'), for messages; empty when unclear."""
    try:
        workbook = archive.getinfo("xl/workbook.xml")
        relations = archive.getinfo("xl/_rels/workbook.xml.rels")
    except KeyError:
        return {}
    if workbook.file_size > 1024**2 or relations.file_size > 1024**2:
        return {}
    try:
        targets = {
            rel.get("Id"): rel.get("Target", "")
            for rel in ElementTree.fromstring(_without_doctype(archive.read(relations))).iter()
            if rel.get("Id")
        }
        names = {}
        for element in ElementTree.fromstring(_without_doctype(archive.read(workbook))).iter():
            if element.tag.rsplit("}", 1)[-1] != "sheet":
                continue
            rid = next((v for k, v in element.attrib.items() if k.rsplit("}", 1)[-1] == "id"), None)
            target = targets.get(rid, "")
            if target:
                part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
                names[part] = element.get("name", "?")
        return names
    except ElementTree.ParseError:
        return {}


def _without_doctype(data: bytes) -> bytes:
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise ElementTree.ParseError("declarations")  # checked and refused by _check_prologue
    return data
