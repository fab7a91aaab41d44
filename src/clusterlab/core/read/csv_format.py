"""How a delimited text file is written: its encoding, delimiter and decimal mark.

Spreadsheet exports vary by locale: Excel in Germany writes ``;``-separated files with decimal
commas in cp1252; elsewhere files are UTF-8 with a BOM, tab-separated, or pipe-separated. We decide
each from the data rather than asking the user.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

__all__ = ["CsvFormat", "detect_csv_format"]

DELIMITERS = (",", ";", "\t", "|")
_SAMPLE_LINES = 200
_DECIMAL_COMMA_CELL = re.compile(r"^\s*[+-]?\d+,\d+\s*$")
_DECIMAL_POINT_CELL = re.compile(r"^\s*[+-]?\d+\.\d+\s*$")


@dataclass(frozen=True)
class CsvFormat:
    encoding: str
    delimiter: str
    decimal: str

    def describe(self) -> str:
        names = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
        mark = "decimal comma" if self.decimal == "," else "decimal point"
        return f"{self.encoding}, {names[self.delimiter]}-separated, {mark}"


def decode(raw: bytes) -> tuple[str, str]:
    """Decode bytes as UTF-8 (with or without BOM), then cp1252, then latin-1 (which never fails)."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16"), "utf-16"
    for encoding in ("utf-8", "cp1252"):
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1"), "latin-1"


def detect_csv_format(text: str, preferred: str | None = None, encoding: str = "utf-8") -> CsvFormat:
    """Pick the delimiter whose field count is steadiest over the first lines, and the decimal mark.

    ``preferred`` (tab for .tsv) wins whenever it splits the header into more than one field.
    """
    lines = [line for line in text.splitlines()[:_SAMPLE_LINES] if line.strip()]
    best, best_score = ",", (-1.0, 0)
    for delimiter in DELIMITERS:
        counts = [len(row) for row in csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter)]
        if not counts or counts[0] < 2:
            continue
        if delimiter == preferred:
            best = delimiter
            break
        steady = sum(c == counts[0] for c in counts) / len(counts)
        score = (steady, counts[0])
        if score > best_score:
            best, best_score = delimiter, score
    return CsvFormat(encoding, best, _decimal_mark(lines, best))


def _decimal_mark(lines: list[str], delimiter: str) -> str:
    # With a comma delimiter a decimal comma would need quotes on every number: not worth guessing.
    if delimiter == ",":
        return "."
    comma = point = 0
    for row in csv.reader(io.StringIO("\n".join(lines[1:])), delimiter=delimiter):
        for cell in row:
            comma += bool(_DECIMAL_COMMA_CELL.match(cell))
            point += bool(_DECIMAL_POINT_CELL.match(cell))
    return "," if comma > point else "."
