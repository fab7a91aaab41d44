"""The checks before a file is opened: bombs and workbooks too large to read are refused at once."""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import pytest
from tests.hostile_files import (
    Repeated,
    far_cell_workbook,
    minimal_workbook,
    shared_strings_bomb,
    workbook,
    write_zip,
    xml_bomb_workbook,
    zip_bomb,
)

from clusterlab.core.errors import InputError
from clusterlab.core.read import file_check
from clusterlab.core.read.file_check import check_file
from clusterlab.core.read.readers import read_table


def _refused(path: Path, message: str, *, within: float = 1.0) -> InputError:
    start = time.perf_counter()
    with pytest.raises(InputError, match=message) as caught:
        read_table(path)
    assert time.perf_counter() - start < within
    return caught.value


def test_the_zip_bomb_of_issue_13_is_refused_before_it_is_inflated(tmp_path: Path) -> None:
    path = zip_bomb(tmp_path / "bomb.xlsx")
    with zipfile.ZipFile(path) as archive:
        sheet = archive.getinfo("xl/worksheets/sheet1.xml")
    assert path.stat().st_size < 6_000_000  # as the issue's: a few MB...
    assert sheet.file_size > 1_500_000_000  # ...inflating to 1.5 GB
    err = _refused(
        path,
        r"File 'bomb\.xlsx' expands too far to be a real workbook: sheet 'Sheet1' inflates from 4\.7 MB "
        r"to 1\.5 GB, 323 times; real workbooks expand up to about 30 times, and more than 100 is refused\. "
        r"If the file is genuine, open it in Excel and save the sheet you need as CSV or Parquet",
        within=0.5,
    )
    assert err.detail == {
        "file": "bomb.xlsx",
        "member": "xl/worksheets/sheet1.xml",
        "ratio": 323,
        "limit": 100,
        "uncompressed_bytes": sheet.file_size,
    }


def test_a_bomb_under_the_ratio_is_refused_by_the_cells_it_claims(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(file_check, "MAX_ZIP_RATIO", 1000)
    _refused(
        zip_bomb(tmp_path / "bomb.xlsx"),
        r"sheet 'Sheet1' says it spans 1,000,000 rows by 100 columns \(100\.0 million cells\); at most 30 "
        r"million cells \(a million rows by 30 columns\) are read",
    )


def test_a_bomb_that_claims_nothing_is_refused_by_the_cells_it_holds(tmp_path: Path, monkeypatch) -> None:
    # No <dimension>, cells without addresses, and a ratio let through: the scan counts the cells,
    # and stops as soon as the sheet is over the limit.
    monkeypatch.setattr(file_check, "MAX_ZIP_RATIO", 1000)
    monkeypatch.setattr(file_check, "MAX_CELLS", 1_000_000)  # the same scan, over sooner
    _refused(
        zip_bomb(tmp_path / "bomb.xlsx", dimension=False),
        r"sheet 'Sheet1' reaches at least \d\d,\d{3} rows by 100 columns \(\d\.\d million cells\); at most 1 "
        r"million cells",
    )


@pytest.mark.parametrize("claimed", [None, "A1:B3"])
def test_a_far_cell_is_refused_whatever_the_sheet_claims(tmp_path: Path, claimed: str | None) -> None:
    # calamine would allocate 549 GB for these few hundred bytes, and abort the process.
    path = far_cell_workbook(tmp_path / "far.xlsx", dimension=claimed)
    assert path.stat().st_size < 2000
    _refused(
        path,
        r"File 'far\.xlsx' is too large to read: sheet 'Sheet1' reaches at least 1,048,576 rows by 16,384 "
        r"columns \(17\.2 billion cells\)",
    )


def test_a_huge_dimension_is_refused_at_once(tmp_path: Path) -> None:
    path = minimal_workbook(tmp_path / "claims.xlsx", [["a"], [1], [2]], dimension="A1:XFD1048576")
    with pytest.raises(InputError, match=r"sheet 'Sheet1' says it spans 1,048,576 rows by 16,384 columns"):
        check_file(path, "xlsx", scan_sheets=False)


def test_a_sheet_within_the_limit_is_read(tmp_path: Path) -> None:
    path = far_cell_workbook(tmp_path / "wide.xlsx", "CV1000")  # 1,000 rows by 100 columns
    assert read_table(path).frame.shape == (2, 100)


def test_one_shared_string_copied_into_many_cells_is_refused(tmp_path: Path) -> None:
    path = shared_strings_bomb(tmp_path / "text.xlsx")  # 1,000 cells using one 10 MB string
    assert path.stat().st_size < 300_000
    _refused(
        path,
        r"File 'text\.xlsx' holds too much text to read: the 1,000 text cells of sheet 'Sheet1' repeat its "
        r"shared strings into 10 GB of text, above the 500 MB that can be read",
    )


def test_shared_strings_are_counted_exactly_when_the_bound_is_over(tmp_path: Path) -> None:
    # 600 cells and a 1 MB string: the quick bound (600 MB) is over, but only one cell uses it.
    strings = (
        b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b"<si><t>name</t></si><si><t>" + b"a" * 1_000_000 + b"</t></si><si><t>b</t></si></sst>"
    )
    rows = [b'<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="A2" t="s"><v>1</v></c></row>']
    rows += [b'<row r="%d"><c r="A%d" t="s"><v>2</v></c></row>' % (r, r) for r in range(3, 601)]
    path = workbook(tmp_path / "long.xlsx", b"".join(rows), shared_strings=strings)
    assert len(read_table(path).frame) == 599


def test_total_size_members_and_entities(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(file_check, "MAX_UNCOMPRESSED_BYTES", 1_000_000)
    data = Repeated(b"", b'<row><c t="inlineStr"><is><t>0123456789</t></is></c></row>', 30_000, b"")
    with pytest.raises(InputError, match=r"unpacks to 1\.\d MB, above the 1 MB that can be read"):
        check_file(workbook(tmp_path / "big.xlsx", data), "xlsx")
    monkeypatch.undo()
    many = {f"xl/media/image{i}.png": b"" for i in range(10_001)}
    with pytest.raises(InputError, match=r"holds 10,001 parts; a workbook holds a few dozen"):
        check_file(write_zip(tmp_path / "many.xlsx", many), "xlsx")
    with pytest.raises(InputError, match=r"XML entity declarations in 'xl/workbook\.xml'.*XML bomb"):
        check_file(xml_bomb_workbook(tmp_path / "lol.xlsx", padding=5000), "xlsx")


def test_damaged_archives_and_parquet_files(tmp_path: Path) -> None:
    whole = minimal_workbook(tmp_path / "whole.xlsx", [["a"], [1]]).read_bytes()
    half = tmp_path / "half.xlsx"
    half.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(InputError, match=r"not a valid \.xlsx: the zip archive is damaged or cut short"):
        check_file(half, "xlsx")
    cut = tmp_path / "cut.parquet"
    cut.write_bytes(b"PAR1" + b"\x00" * 100)
    with pytest.raises(InputError, match=r"'cut\.parquet' is cut short or damaged: a Parquet file ends"):
        check_file(cut, "parquet")


def test_the_shared_data_workbooks_pass() -> None:
    folder = Path("/work/shared/data/kmeans_engine")
    if not folder.exists():
        pytest.skip("the shared data is not on this machine")
    for path in sorted(folder.glob("*.xlsx")):
        check_file(path, "xlsx")
