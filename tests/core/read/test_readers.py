"""Reading files: formats, header repair, dialects, and the errors users meet."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from clusterlab.core import InputError, read_table
from clusterlab.core.read.readers import repair_header, table_from_frame


def test_csv_keeps_values_order_and_leading_zeros(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text("id,zip,age,name\n0003,01234,31,Ann\n0001,99999,45,Bob\n0002,00501,28,Cid\n")
    frame = read_table(path).frame
    assert frame["id"].tolist() == ["0003", "0001", "0002"]  # codes keep their zeros, rows their order
    assert frame["zip"].tolist() == ["01234", "99999", "00501"]
    assert frame["age"].tolist() == [31, 45, 28]
    assert pd.api.types.is_numeric_dtype(frame["age"])


@pytest.mark.parametrize(
    ("text", "delimiter"),
    [
        ("a;b;c\n1;2;3\n4;5;6\n", ";"),
        ("a\tb\tc\n1\t2\t3\n", "\t"),
        ("a|b|c\n1|2|3\n", "|"),
        ("a,b,c\n1,2,3\n", ","),
    ],
)
def test_delimiter_is_sniffed(tmp_path: Path, text: str, delimiter: str) -> None:
    path = tmp_path / "d.txt"
    path.write_text(text)
    table = read_table(path)
    assert table.csv_format is not None
    assert table.csv_format.delimiter == delimiter
    assert list(table.frame.columns) == ["a", "b", "c"]
    assert table.frame["c"].iloc[0] == 3


def test_semicolon_file_with_decimal_commas_in_cp1252(tmp_path: Path) -> None:
    path = tmp_path / "de.csv"
    path.write_bytes("Stadt;Umsatz;Menge\nKöln;1,5;3\nMünchen;2,25;4\n".encode("cp1252"))
    table = read_table(path)
    assert table.csv_format is not None
    assert (table.csv_format.encoding, table.csv_format.decimal) == ("cp1252", ",")
    assert table.frame["Stadt"].tolist() == ["Köln", "München"]
    assert table.frame["Umsatz"].tolist() == [1.5, 2.25]


def test_utf8_bom_is_not_part_of_the_first_header(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes("\ufeffname,x\nÅsa,1\nÉmile,2\n".encode())
    table = read_table(path)
    assert list(table.frame.columns) == ["name", "x"]
    assert table.csv_format is not None
    assert table.csv_format.encoding == "utf-8-sig"


def test_blank_and_duplicate_headers_are_repaired_and_reported(tmp_path: Path) -> None:
    path = tmp_path / "h.csv"
    path.write_text("name,,name,score\nA,1,x,3\nB,2,y,4\n")
    table = read_table(path)
    assert list(table.frame.columns) == ["name", "column_2", "name_2", "score"]
    messages = " ".join(n.message for n in table.notes)
    assert "column_2" in messages
    assert "'name_2'" in messages


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (["a", "a", "a"], ["a", "a_2", "a_3"]),
        (["a", "a_2", "a"], ["a", "a_2", "a_3"]),  # the generated name must not collide with a real one
        ([None, " ", "x"], ["column_1", "column_2", "x"]),
        ([1.0, 2.5, "Unnamed: 2"], ["1", "2.5", "column_3"]),
    ],
)
def test_repair_header_table(cells: list[object], expected: list[str]) -> None:
    assert repair_header(cells)[0] == expected


def test_excel_picks_first_non_empty_sheet_and_named_sheet(tmp_path: Path) -> None:
    path = tmp_path / "book.xlsx"
    with pd.ExcelWriter(path, engine="xlsxwriter") as writer:
        pd.DataFrame().to_excel(writer, sheet_name="Cover", index=False)
        pd.DataFrame({"x": [1, 2], "y": ["a", "b"]}).to_excel(writer, sheet_name="Data", index=False)
        pd.DataFrame({"z": [9]}).to_excel(writer, sheet_name="Other", index=False)
    table = read_table(path)
    assert table.sheet == "Data"
    # The other sheets are named, so a user whose data is on 'Other' learns it was not read.
    assert [n.message for n in table.notes] == [
        "The workbook has 3 sheets ('Cover', 'Data', 'Other'); 'Data', the first with data, was read "
        "(choose another with {sheet})."  # the control the CLI calls --sheet, the web its Sheet menu
    ]
    named = read_table(path, sheet="Other")
    assert named.frame["z"].tolist() == [9]
    assert named.notes == []
    with pytest.raises(InputError, match=r"no sheet named 'Nope'; its sheets are 'Cover', 'Data', 'Other'"):
        read_table(path, sheet="Nope")


def test_excel_text_cells_holding_numbers_become_numbers(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    pd.DataFrame({"v": ["1.5", "2", "3.25"], "code": ["007", "010", "011"]}).to_excel(path, index=False)
    frame = read_table(path).frame
    assert frame["v"].tolist() == [1.5, 2.0, 3.25]
    assert frame["code"].tolist() == ["007", "010", "011"]


def test_parquet_round_trip(tmp_path: Path) -> None:
    frame = pd.DataFrame({"a": [1.0, np.nan, 3.0], "b": ["x", "y", None]})
    path = tmp_path / "p.parquet"
    frame.to_parquet(path)
    out = read_table(path).frame
    assert out["a"].isna().tolist() == [False, True, False]
    assert out["b"].tolist()[:2] == ["x", "y"]


def test_parquet_list_and_record_cells_become_text(tmp_path: Path) -> None:
    # A list column was an internal error (unhashable type) in role detection.
    frame = pd.DataFrame(
        {"tags": [[1, 2], [3], None], "meta": [{"a": 1}, {"a": 2}, {"a": 3}], "x": [1.0, 2, 3]}
    )
    path = tmp_path / "nested.parquet"
    frame.to_parquet(path)
    table = read_table(path)
    assert table.frame["tags"].tolist()[:2] == ["[1, 2]", "[3]"]
    assert pd.isna(table.frame["tags"][2])
    assert table.frame["meta"].tolist() == ["{'a': 1}", "{'a': 2}", "{'a': 3}"]
    assert [n.column for n in table.notes] == ["tags", "meta"]
    assert "holds lists or records; they were read as text" in table.notes[0].message


def test_completely_empty_rows_are_skipped_with_their_row_numbers(tmp_path: Path) -> None:
    path = tmp_path / "gaps.csv"
    path.write_text("a,b\n1,2\n,\n3,4\n")
    table = read_table(path)
    assert table.frame["a"].tolist() == [1, 3]
    assert any("spreadsheet rows 3" in n.message for n in table.notes)


def _zip(path: Path, members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.csv", b"", r"'empty.csv' is empty \(0 bytes\)"),
        ("header.csv", b"a,b,c\n", r"'header.csv' has a header row but no data rows"),
        ("notes.pdf", b"%PDF-1.4", r"unsupported extension '.pdf'; use one of"),
        (
            "fake.xlsx",
            b"a,b\n1,2\n",
            r"'fake.xlsx' is not a valid .xlsx file \(zip header missing\); it looks like plain text",
        ),
        ("fake.parquet", b"a,b\n1,2\n", r"not a valid .parquet file \(PAR1 header missing\)"),
        ("page.xls", b"<html><table><tr><td>1</td></tr></table></html>", r"looks like an HTML page"),
        (
            "bin.csv",
            b"PK\x03\x04\x00\x00binary",
            r"'bin.csv' is not a text file; it looks like a zip archive",
        ),
        ("blank.csv", b"\n\n\n", r"holds no data"),
        ("ragged.csv", b"a,b\n1,2\n3,4,5,6\n", r"could not be split into columns"),
    ],
)
def test_bad_files_get_one_clear_message(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        read_table(path)


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"'nope.csv' does not exist"):
        read_table(tmp_path / "nope.csv")
    (tmp_path / "dir.csv").mkdir()
    with pytest.raises(InputError, match=r"is a folder"):
        read_table(tmp_path / "dir.csv")


def test_password_protected_workbook_is_recognised(tmp_path: Path) -> None:
    # An encrypted .xlsx is an OLE container with an "EncryptionInfo" stream (name stored as UTF-16).
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500 + "EncryptionInfo".encode("utf-16-le")
    path = tmp_path / "secret.xlsx"
    path.write_bytes(header + b"\x00" * 1000)
    with pytest.raises(InputError, match=r"password-protected workbook; save a copy without a password"):
        read_table(path)


def test_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = _zip(tmp_path / "photos.xlsx", {"a.txt": b"hello"})
    with pytest.raises(InputError, match=r"zip archive but not an Excel workbook"):
        read_table(path)


def test_display_name_is_used_in_messages(tmp_path: Path) -> None:
    path = tmp_path / "upload-7f3a"
    path.write_bytes(b"")
    with pytest.raises(InputError, match=r"File 'sales Q3.csv' is empty"):
        read_table(path, name="sales Q3.csv")


def test_dataframe_input_gets_the_same_header_repair() -> None:
    frame = pd.DataFrame([[1, 2, 3]], columns=["x", "x", ""])
    table = table_from_frame(frame)
    assert list(table.frame.columns) == ["x", "x_2", "column_3"]


def test_tsv_extension_prefers_tab(tmp_path: Path) -> None:
    path = tmp_path / "t.tsv"
    path.write_text("a,b\tc\n1,2\t3\n")  # commas inside tab-separated cells
    assert list(read_table(path).frame.columns) == ["a,b", "c"]


def test_csv_quoted_fields_and_newlines(tmp_path: Path) -> None:
    buffer = io.StringIO()
    pd.DataFrame({"note": ['said "hi"\nthen left', "plain"], "n": [1, 2]}).to_csv(buffer, index=False)
    path = tmp_path / "q.csv"
    path.write_text(buffer.getvalue())
    assert read_table(path).frame["note"].tolist() == ['said "hi"\nthen left', "plain"]
