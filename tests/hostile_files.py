"""Hostile and malformed files, made at test time: zip bombs, XML bombs, lying workbooks, fakes.

Nothing big is committed, and nothing big is written: :func:`write_zip` deflates a repeated block once
and repeats its compressed bytes (each copy made from a fresh compressor and ended with a full flush,
so it refers to nothing before it), with the CRC-32 of the whole computed by zlib's ``crc32_combine``
arithmetic. A workbook whose sheet inflates to 1.5 GB is a few MB on disk and takes milliseconds to
make, and it is structurally valid: a reader that does not refuse it inflates all of it.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from clusterlab.core.read.workbook_scan import column_letters

__all__ = [
    "Repeated",
    "far_cell_workbook",
    "minimal_workbook",
    "shared_strings_bomb",
    "workbook",
    "write_zip",
    "xml_bomb_workbook",
    "zip_bomb",
]

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"


@dataclass(frozen=True)
class Repeated:
    """A member's content: ``head``, then ``body`` ``count`` times, then ``tail``."""

    head: bytes
    body: bytes
    count: int
    tail: bytes

    @property
    def size(self) -> int:
        return len(self.head) + len(self.body) * self.count + len(self.tail)


def _gf2_times(matrix: list[int], vector: int) -> int:
    total, i = 0, 0
    while vector:
        if vector & 1:
            total ^= matrix[i]
        vector >>= 1
        i += 1
    return total


def _gf2_square(matrix: list[int]) -> list[int]:
    return [_gf2_times(matrix, matrix[n]) for n in range(32)]


def crc32_combine(crc1: int, crc2: int, len2: int) -> int:
    """The CRC-32 of A + B from crc(A), crc(B) and len(B), as zlib's ``crc32_combine``."""
    if len2 == 0:
        return crc1
    operator = [0xEDB88320] + [1 << (n - 1) for n in range(1, 32)]  # appends one zero bit
    for _ in range(3):
        operator = _gf2_square(operator)  # two, four, eight zero bits: one zero byte
    while len2:  # append len2 zero bytes to crc1: the operator squared for each bit of len2
        if len2 & 1:
            crc1 = _gf2_times(operator, crc1)
        len2 >>= 1
        operator = _gf2_square(operator)
    return crc1 ^ crc2


def _crc_repeated(block: bytes, count: int) -> int:
    """crc32(block * count) without making it, by doubling."""
    result, result_len = 0, 0
    power, power_len = zlib.crc32(block), len(block)
    while count:
        if count & 1:
            result = crc32_combine(result, power, power_len)
            result_len += power_len
        count >>= 1
        if count:
            power = crc32_combine(power, power, power_len)
            power_len *= 2
    return result


def _deflated(data: bytes, *, last: bool) -> bytes:
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush(zlib.Z_FINISH if last else zlib.Z_FULL_FLUSH)


def _member(content: bytes | Repeated) -> tuple[list[tuple[bytes, int]], int, int]:
    """(pieces of compressed bytes with a repeat count, CRC-32, uncompressed size)."""
    if isinstance(content, bytes):
        return [(_deflated(content, last=True), 1)], zlib.crc32(content), len(content)
    crc = zlib.crc32(content.head)
    crc = crc32_combine(crc, _crc_repeated(content.body, content.count), len(content.body) * content.count)
    crc = crc32_combine(crc, zlib.crc32(content.tail), len(content.tail))
    pieces = [
        (_deflated(content.head, last=False), 1),
        (_deflated(content.body, last=False), content.count),
        (_deflated(content.tail, last=True), 1),
    ]
    return pieces, crc, content.size


def write_zip(path: Path, members: Mapping[str, bytes | Repeated]) -> Path:
    """A zip archive (deflated members, no zip64: every member under 4 GiB) of ``members``."""
    central = []
    with path.open("wb") as out:
        for name, content in members.items():
            pieces, crc, size = _member(content)
            packed = sum(len(piece) * count for piece, count in pieces)
            if max(size, packed) >= 2**32:
                raise ValueError("write_zip makes no zip64 archives")
            encoded = name.encode()
            offset = out.tell()
            out.write(
                struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 33, crc, packed, size, len(encoded), 0)
            )
            out.write(encoded)
            for piece, count in pieces:
                for _ in range(count):
                    out.write(piece)
            central.append(
                struct.pack(
                    "<4s6H3L5H2L",
                    b"PK\x01\x02",
                    20,
                    20,
                    0,
                    8,
                    0,
                    33,
                    crc,
                    packed,
                    size,
                    len(encoded),
                    0,
                    0,
                    0,
                    0,
                    0,
                    offset,
                )
                + encoded
            )
        start = out.tell()
        for entry in central:
            out.write(entry)
        out.write(
            struct.pack(
                "<4s4H2LH", b"PK\x05\x06", 0, 0, len(central), len(central), out.tell() - start, start, 0
            )
        )
    return path


def _workbook_members(
    sheet: bytes | Repeated, shared_strings: bytes | Repeated | None = None
) -> dict[str, bytes | Repeated]:
    overrides = (
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    )
    relations = f'<Relationship Id="rId1" Type="{REL_NS}/worksheet" Target="worksheets/sheet1.xml"/>'
    if shared_strings is not None:
        overrides += (
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sharedStrings+xml"/>'
        )
        relations += f'<Relationship Id="rId2" Type="{REL_NS}/sharedStrings" Target="sharedStrings.xml"/>'
    members: dict[str, bytes | Repeated] = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            f"{overrides}</Types>"
        ).encode(),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG_REL_NS}"><Relationship Id="rId1" '
            f'Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ).encode(),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}"><sheets>'
            '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ).encode(),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG_REL_NS}">{relations}</Relationships>'
        ).encode(),
        "xl/worksheets/sheet1.xml": sheet,
    }
    if shared_strings is not None:
        members["xl/sharedStrings.xml"] = shared_strings
    return members


def _sheet_head(dimension: str | None) -> bytes:
    ref = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN_NS}">{ref}<sheetData>'.encode()


_SHEET_TAIL = b"</sheetData></worksheet>"


def workbook(
    path: Path,
    sheet_data: bytes | Repeated,
    *,
    dimension: str | None = None,
    shared_strings: bytes | Repeated | None = None,
) -> Path:
    """An .xlsx of one sheet 'Sheet1' whose ``<sheetData>`` holds ``sheet_data`` (rows as XML)."""
    head = _sheet_head(dimension)
    if isinstance(sheet_data, Repeated):
        sheet: bytes | Repeated = Repeated(
            head + sheet_data.head, sheet_data.body, sheet_data.count, sheet_data.tail + _SHEET_TAIL
        )
    else:
        sheet = head + sheet_data + _SHEET_TAIL
    return write_zip(path, _workbook_members(sheet, shared_strings))


def minimal_workbook(path: Path, rows: list[list[object]], *, dimension: str | None = None) -> Path:
    """A small .xlsx written by hand (inline strings, numbers), with the ``<dimension>`` it is told."""
    body = []
    for r, row in enumerate(rows, start=1):
        cells = []
        for value in row:
            if isinstance(value, int | float):
                cells.append(f"<c><v>{value}</v></c>")
            else:
                text = str(value).replace("&", "&amp;").replace("<", "&lt;")
                cells.append(f'<c t="inlineStr"><is><t>{text}</t></is></c>')
        body.append(f'<row r="{r}">{"".join(cells)}</row>')
    return workbook(path, "".join(body).encode(), dimension=dimension)


def zip_bomb(path: Path, *, rows: int = 1_000_000, cells: int = 100, dimension: bool = True) -> Path:
    """A valid .xlsx whose one sheet is ``rows`` identical rows of ``cells`` numbers.

    The defaults make the workbook of issue 13: 4.7 MB that inflates to 1.5 GB of XML (323 times),
    100 million cells, in about 50 ms.
    """
    row = b"<row>" + b"<c><v>1</v></c>" * cells + b"</row>"
    per_block = min(rows, 1000)  # rows per compressed block: enough for deflate to find the repeats
    data = Repeated(b"", row * per_block, rows // per_block, row * (rows % per_block))
    return workbook(path, data, dimension=f"A1:{column_letters(cells)}{rows}" if dimension else None)


def far_cell_workbook(path: Path, last: str = "XFD1048576", *, dimension: str | None = None) -> Path:
    """A few hundred bytes: a header, one value, and one more value in cell ``last``."""
    row = int("".join(ch for ch in last if ch.isdigit()))
    data = (
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row><row r="2"><c r="A2"><v>1</v></c></row>'
        + f'<row r="{row}"><c r="{last}"><v>2</v></c></row>'.encode()
    )
    return workbook(path, data, dimension=dimension)


def shared_strings_bomb(path: Path, *, cells: int = 1000, length: int = 10_000_000) -> Path:
    """``cells`` cells that all use one shared string of ``length`` characters: a few hundred kB."""
    strings = Repeated(
        f'<?xml version="1.0"?><sst xmlns="{MAIN_NS}" count="{cells}" uniqueCount="1"><si><t>'.encode(),
        b"a" * 1000,
        length // 1000,
        b"</t></si></sst>",
    )
    data = b"".join(b'<row r="%d"><c r="A%d" t="s"><v>0</v></c></row>' % (r, r) for r in range(1, cells + 1))
    return workbook(path, data, shared_strings=strings)


def xml_bomb_workbook(path: Path, *, padding: int = 0) -> Path:
    """A workbook whose workbook.xml declares nested entities ("billion laughs"), after a comment of
    ``padding`` characters (a check that reads only the first KB would miss them)."""
    entities = '<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8)
    )
    members = _workbook_members(_sheet_head("A1:A2") + b"<row><c><v>1</v></c></row>" + _SHEET_TAIL)
    members["xl/workbook.xml"] = (
        f'<?xml version="1.0"?><!--{" " * padding}--><!DOCTYPE workbook [{entities}]><workbook xmlns="{MAIN_NS}" '
        f'xmlns:r="{REL_NS}"><sheets><sheet name="&i;" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ).encode()
    return write_zip(path, members)
