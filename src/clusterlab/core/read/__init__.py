"""Stage 1, read: a spreadsheet file (or a DataFrame) into a :class:`Table`.

``readers`` (the registry, keyed by file extension, and the built-in readers), ``file_check`` (what a
file really is, and whether it is safe to open), ``csv_format`` (encoding, delimiter, decimal mark)
and ``number_text`` (numbers written as text, shared with the roles and the encoders).
"""

from .file_check import check_file
from .readers import READERS, Table, read_table, register_reader, table_from_frame

__all__ = ["READERS", "Table", "check_file", "read_table", "register_reader", "table_from_frame"]
