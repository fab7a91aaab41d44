"""Stage 1, read: a spreadsheet file (or a DataFrame) into a :class:`Table`.

``readers`` (the registry, keyed by file extension, and the built-in readers), ``file_check`` (what a
file really is, and whether it is safe to open; ``workbook_scan`` measures a workbook's sheets without
inflating them), ``csv_format`` (encoding, delimiter, decimal mark) and ``number_text`` (numbers
written as text, shared with the roles and the encoders).

Names are imported when first used (:mod:`clusterlab._lazy`), so the CLI can check a path with
``file_check`` before pandas loads.
"""

from typing import TYPE_CHECKING

from ..._lazy import attach

if TYPE_CHECKING:
    from .file_check import check_file
    from .file_path import check_path
    from .readers import READERS, Table, read_table, register_reader, table_from_frame

__all__ = [
    "READERS",
    "Table",
    "check_file",
    "check_path",
    "read_table",
    "register_reader",
    "table_from_frame",
]

__getattr__, __dir__ = attach(__name__, __file__)
