"""What a file really is, and whether it is safe to open.

Checks the first bytes against the format the extension claims (an .xlsx is a zip, a .parquet starts
with ``PAR1``...), recognises password-protected workbooks, and refuses zip bombs and XML entity
bombs before any parser sees the file. Every refusal says what the file looks like and what to do.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from ..errors import InputError

__all__ = ["MAX_UNCOMPRESSED_BYTES", "MAX_ZIP_RATIO", "check_file", "sniff_kind"]

# An .xlsx of a million rows by 30 columns unpacks to about 1.5 GB of XML; beyond this we refuse.
MAX_UNCOMPRESSED_BYTES = 4 * 1024**3
# Real sheets compress 5-30x (sparse or repetitive ones up to a few hundred); bombs compress >1000x.
MAX_ZIP_RATIO = 500

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
_PARQUET = b"PAR1"


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


def check_file(path: Path, fmt: str, name: str | None = None) -> None:
    """Raise :class:`InputError` unless ``path`` is a non-empty, safe file of format ``fmt``.

    ``fmt`` is the reader's format name: 'xlsx', 'xls', 'csv' or 'parquet'; ``name`` is the name to
    show (an upload's original name; by default the file's own).
    """
    name = name or path.name
    if not path.exists():
        raise InputError(f"File '{name}' does not exist.", detail={"file": str(path)})
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
    if kind == expected:
        if kind == "zip":
            _check_zip(path, name)
        return
    if fmt == "xls" and kind == "zip":
        return  # an .xlsx saved as .xls: calamine reads both, no reason to refuse
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


def _check_zip(path: Path, name: str) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            total = sum(m.file_size for m in members)
            if total > MAX_UNCOMPRESSED_BYTES:
                raise InputError(
                    f"File '{name}' unpacks to {total / 1024**3:.1f} GB, above the "
                    f"{MAX_UNCOMPRESSED_BYTES / 1024**3:.0f} GB limit; split it or save it as CSV or Parquet.",
                    detail={"file": name, "uncompressed_bytes": total},
                )
            for member in members:
                ratio = member.file_size / max(member.compress_size, 1)
                if member.file_size > 10 * 1024**2 and ratio > MAX_ZIP_RATIO:
                    raise InputError(
                        f"File '{name}' looks like a zip bomb: '{member.filename}' expands {ratio:.0f}x "
                        f"(limit {MAX_ZIP_RATIO}x). Re-save the workbook from Excel, or export it as CSV.",
                        detail={"file": name, "member": member.filename, "ratio": round(ratio)},
                    )
            names = {m.filename for m in members}
            if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
                raise InputError(
                    f"File '{name}' is a zip archive but not an Excel workbook (no xl/ folder inside).",
                    detail={"file": name},
                )
            for member in members:
                if member.filename.endswith((".xml", ".rels")):
                    with archive.open(member) as part:
                        head = part.read(4096)
                    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                        raise InputError(
                            f"File '{name}' contains XML entity declarations in '{member.filename}', which "
                            "Excel never writes; it was refused as a possible XML bomb.",
                            detail={"file": name, "member": member.filename},
                        )
    except zipfile.BadZipFile:
        raise InputError(
            f"File '{name}' is not a valid .xlsx (the zip archive is damaged or cut short).",
            detail={"file": name},
        ) from None
