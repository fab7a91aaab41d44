"""Hostile and malformed inputs, each through both doors: the command line and the API.

Every case is a file (made here, at test time) and the options sent with it. Through the CLI
(``clusterlab.cli.main``) a refused case exits 2 with one line on stderr; through the API
(``POST /api/runs``) it is a 4xx ``{"error", "detail"}`` or a run that ends "failed" with the message.
Either way the message matches the case's (the faces word controls their own way: ``--k-max`` in
the CLI, ``k_max`` in the API). A case that is not refused finishes with every row in clustered.csv,
and nothing a file holds runs as a formula there. Nothing answers 500, nothing shows a traceback.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from tests.hostile_files import (
    far_cell_workbook,
    minimal_workbook,
    shared_strings_bomb,
    write_zip,
    xml_bomb_workbook,
    zip_bomb,
)
from tests.web.conftest import make_client, wait_for  # noqa: F401 (make_client is a fixture)

from clusterlab.cli import main

CALC = "=cmd|' /C calc'!A0"
Maker = Callable[[Path], bytes]


@dataclass(frozen=True)
class Case:
    """One hostile input. ``message`` is a regex both faces match, unless ``cli``/``api`` differ."""

    name: str  # the file's name, as the user has it
    content: Maker  # the file's bytes (made in a temporary folder)
    message: str = ""
    cli_message: str | None = None
    api_message: str | None = None
    cli_args: tuple[str, ...] = ()
    form: dict[str, str] = field(default_factory=dict)
    ok: bool = False  # the run succeeds (through both doors, unless cli_ok/api_ok say otherwise)
    cli_ok: bool | None = None
    api_ok: bool | None = None
    rows: int | None = None  # rows in clustered.csv when the run succeeds
    cli_path: str | None = None  # what the CLI is given instead of the file (a name that is not there)
    upload_name: str | None = None  # the name the API is sent instead of ``name``
    upload_limit_mb: float = 100.0


def _text(text: str, encoding: str = "utf-8") -> Maker:
    return lambda folder: text.encode(encoding)


def _bytes(data: bytes) -> Maker:
    return lambda folder: data


def _built(build: Callable[[Path], Path]) -> Maker:
    return lambda folder: build(folder / "made").read_bytes()


def _groups(n: int = 40, header: str = "x,y", extra: Callable[[int], str] | None = None) -> str:
    """``n`` rows in two clear groups, as CSV text (with more cells per row from ``extra``)."""
    rng = np.random.default_rng(7)
    lines = [header]
    for i in range(n):
        centre = 0.0 if i % 2 else 10.0
        cells = f"{centre + rng.normal():.3f},{centre + rng.normal():.3f}"
        lines.append(cells + ("," + extra(i) if extra else ""))
    return "\n".join(lines) + "\n"


def _workbook_of(frame: pd.DataFrame) -> Maker:
    def make(folder: Path) -> bytes:
        buffer = io.BytesIO()
        frame.to_excel(buffer, index=False, engine="xlsxwriter")
        return buffer.getvalue()

    return make


def _cut(maker: Maker, keep: float) -> Maker:
    return lambda folder: (data := maker(folder))[: int(len(data) * keep)]


def _parquet(folder: Path) -> bytes:
    buffer = io.BytesIO()
    pd.DataFrame({"x": range(100), "y": range(100)}).to_parquet(buffer)
    return buffer.getvalue()


def _many_parts(folder: Path) -> bytes:
    return write_zip(folder / "many", {f"xl/media/image{i}.png": b"" for i in range(10_001)}).read_bytes()


def _deep(levels: int) -> str:
    return "[" * levels + "]" * levels


_PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00" + b"\x00" * 64
)
_ENCRYPTED = (
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500 + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 999
)
_FRAME = pd.DataFrame({"x": [0.1, 0.2, 0.15, 9.9, 9.8, 10.1] * 5, "y": [1.0, 1.1, 0.9, 8.0, 8.2, 7.9] * 5})
_GOOD_CSV = _groups()

CASES = [
    # --- bombs: refused before they are inflated ------------------------------------------------------
    Case(
        "bomb.xlsx",
        _built(zip_bomb),
        r"'bomb\.xlsx' expands too far .* 323 times; .* more than 100 is refused",
    ),
    Case(
        "bomb-no-size.xlsx",
        _built(lambda p: zip_bomb(p, dimension=False)),
        r"expands too far to be a real workbook: sheet 'Sheet1' inflates from 4\.7 MB to 1\.5 GB",
    ),
    Case(
        "laughs.xlsx", _built(xml_bomb_workbook), r"XML entity declarations in 'xl/workbook\.xml'.*XML bomb"
    ),
    Case(
        "laughs-late.xlsx",
        _built(lambda p: xml_bomb_workbook(p, padding=8000)),
        r"XML entity declarations in 'xl/workbook\.xml'",
    ),
    Case(
        "claims.xlsx",
        _built(lambda p: minimal_workbook(p, [["a", "b"], [1, 2], [3, 4]], dimension="A1:XFD1048576")),
        r"sheet 'Sheet1' says it spans 1,048,576 rows by 16,384 columns \(17\.2 billion cells\); at most 30",
    ),
    Case(
        "far.xlsx",
        _built(far_cell_workbook),
        r"'far\.xlsx' is too large to read: sheet 'Sheet1' reaches at least 1,048,576 rows by 16,384 columns",
    ),
    Case(
        "liar.xlsx",
        _built(lambda p: far_cell_workbook(p, dimension="A1:B2")),
        r"reaches at least 1,048,576 rows by 16,384 columns",
    ),
    Case(
        "text-bomb.xlsx",
        _built(shared_strings_bomb),
        r"holds too much text to read: the 1,000 text cells of sheet 'Sheet1' repeat its shared strings into 10 GB",
    ),
    Case("parts.xlsx", _many_parts, r"'parts\.xlsx' holds 10,001 parts; a workbook holds a few dozen"),
    # --- truncated and fake files ---------------------------------------------------------------------
    Case(
        "half.xlsx",
        _cut(_workbook_of(_FRAME), 0.5),
        r"'half\.xlsx' is not a valid \.xlsx: .*damaged or cut short",
    ),
    Case("photo.csv", _bytes(_PNG), r"'photo\.csv' is not a text file; it looks like binary data"),
    Case(
        "export.xls",
        _text("<html><body><table><tr><td>a</td></tr></table></body></html>"),
        r"'export\.xls' is not a valid \.xls file \(Office header missing\); it looks like an HTML page",
    ),
    Case("empty.csv", _bytes(b""), r"'empty\.csv' is empty \(0 bytes\)"),
    Case("empty.xlsx", _bytes(b""), r"'empty\.xlsx' is empty \(0 bytes\)"),
    Case("secret.xlsx", _bytes(_ENCRYPTED), r"'secret\.xlsx' is a password-protected workbook; save a copy"),
    Case("cut.parquet", _cut(_parquet, 0.6), r"'cut\.parquet' is cut short or damaged: a Parquet file ends"),
    Case(
        "fake.parquet",
        _text("x,y\n1,2\n"),
        r"'fake\.parquet' is not a valid \.parquet file \(PAR1 header missing\)",
    ),
    Case(
        "photos.xlsx",
        _built(lambda p: write_zip(p, {"a.txt": b"hello"})),
        r"'photos\.xlsx' is a zip archive but not an Excel workbook",
    ),
    Case(
        "notes.pdf",
        _bytes(b"%PDF-1.4"),
        cli_message=r"'notes\.pdf' has an unsupported extension '\.pdf'",
        api_message=r"'notes\.pdf' is not a spreadsheet this app reads \(extension '\.pdf'\)",
    ),
    Case(
        "quote.csv",
        _text('a,b\n1,"2\n3,4\n'),
        r"'quote\.csv' could not be split into columns: a double quote opened on line 2 is never closed",
    ),
    Case(
        "ragged.csv",
        _text("a,b,c,d\n1,2,3,4\n1,2,3,4,5,6\n"),
        r"'ragged\.csv' could not be split into columns: line 3 has 6 cells where the lines above have 4",
    ),
    Case("header.csv", _text("a,b,c\n"), r"'header\.csv' has a header row but no data rows"),
    Case("blank.csv", _text("\n\n\n"), r"'blank\.csv' holds no data \(only blank lines\)"),
    # --- injection in cells and headers: read, clustered, and written as text -----------------------------
    Case(
        "cells.csv",
        _text(_groups(header="x,y,note", extra=lambda i: ["=1+1", "+SUM(A1)", "@x", "-2"][i % 4])),
        ok=True,
        rows=40,
    ),
    Case("headers.csv", _text(_groups(header=f'"{CALC}",+y')), ok=True, rows=40),
    Case("headers.xlsx", _workbook_of(_FRAME.rename(columns={"x": CALC, "y": "@y"})), ok=True, rows=30),
    Case(
        "markup.csv",
        _text(_groups(header='"<script>alert(1)</script>",<a href=x>y</a>')),
        ok=True,
        rows=40,
    ),
    # --- deep and huge JSON (the API's fields) and their CLI flags --------------------------------------------
    Case(
        "deep-roles.csv",
        _text(_GOOD_CSV),
        cli_args=("--role", _deep(100_000)),
        form={"roles": _deep(100_000)},
        cli_message=r"--role '\[+\]+' is not of the form COLUMN=ROLE",
        api_message=r"Field 'roles' is too long: 200,000 characters, where at most 65,536 are accepted",
    ),
    Case(
        "nested-roles.csv",
        _text(_GOOD_CSV),
        cli_args=("--role", _deep(30_000) + "=numeric"),
        form={"roles": _deep(30_000)},
        cli_message=r"Column '\[+\]+' given in --role is not in the file",
        api_message=r"Field 'roles' is nested too deeply",
    ),
    Case(
        "deep-ordinal.csv",
        _text(_GOOD_CSV),
        cli_args=("--ordinal", '{"a":' * 50_000),
        form={"ordinal": '{"a":' * 50_000},
        cli_message=r"Ordinal order .* is not of the form 'Column=low,medium,high'",
        api_message=r"Field 'ordinal' is too long: 250,000 characters",
    ),
    Case(
        "deep-exclude.csv",
        _text(_GOOD_CSV),
        cli_args=("--exclude", _deep(20_000)),
        form={"exclude": _deep(20_000)},
        cli_message=r"Column '\[+\]+' given in --exclude is not in the file",
        api_message=r"Field 'exclude' is nested too deeply",
    ),
    Case(
        "list-roles.csv",
        _text(_GOOD_CSV),
        cli_args=("--role", "x"),
        form={"roles": '["x"]'},
        cli_message=r"--role 'x' is not of the form COLUMN=ROLE",
        api_message=r"Field 'roles' must be a JSON object, e.g\. \{\"Region\": \"categorical\"\}; got a list",
    ),
    Case(
        "huge-field.csv",
        _text(_GOOD_CSV),
        cli_args=("--label", "z" * 2_000_000),
        form={"label": "z" * 2_000_000},
        cli_message=r"Column 'z+' given in --label is not in the file",
        api_message=r"A form field other than the file holds more than 1,024 kB",
    ),
    Case(
        "colour.csv",
        _text(_GOOD_CSV),
        cli_args=("--role", "x=colour"),
        form={"roles": '{"x": "colour"}'},
        message=r"Role 'colour' for column 'x' is unknown; use one of numeric",
    ),
    # --- names: traversal, absolute paths, NUL ----------------------------------------------------------------
    Case(
        "x.csv",
        _text(_GOOD_CSV),
        upload_name="../../x.csv",
        cli_path="../../nowhere/x.csv",
        cli_message=r"File 'x\.csv' does not exist",
        api_ok=True,
        rows=40,
    ),
    Case(
        "passwd.csv",
        _text(_GOOD_CSV),
        upload_name="/etc/passwd.csv",
        cli_path="/nowhere/etc/passwd.csv",
        cli_message=r"File 'passwd\.csv' does not exist",
        api_ok=True,
        rows=40,
    ),
    Case(
        "win.csv",
        _text(_GOOD_CSV),
        upload_name="..\\..\\windows\\win.csv",
        cli_path="..\\..\\windows\\win.csv",
        cli_message=r"does not exist",
        api_ok=True,
        rows=40,
    ),
    Case(
        "ab.csv",
        _text(_GOOD_CSV),
        upload_name="a\x00b.csv",
        cli_path="a\x00b.csv",
        cli_message=r"File name 'a\\x00b\.csv' holds a NUL character",
        api_ok=True,
        rows=40,
    ),
    # --- oversized uploads --------------------------------------------------------------------------------------
    Case(
        "big.csv",
        _text(_groups(n=60_000)),
        upload_limit_mb=0.5,
        api_message=r"The file is too large \(\d\.\d MB\): this server accepts files up to 512 kB",
        cli_ok=True,
        cli_args=("--k", "2"),
        rows=60_000,
    ),
    # --- bad settings: every kind of constraint ------------------------------------------------------------------
    Case(
        "kmax.csv",
        _text(_GOOD_CSV),
        cli_args=("--k-max", "ten"),
        form={"k_max": "ten"},
        cli_message=r"^--k-max must be a whole number from 2 to 200; got 'ten'\.$",
        api_message=r"^k_max must be a whole number from 2 to 200; got 'ten'\.$",
    ),
    Case(
        "pca.csv",
        _text(_GOOD_CSV),
        cli_args=("--pca-variance", "2"),
        form={"pca_variance": "2"},
        message=r"pca[-_]variance must be a number from 0\.5 to 1; got 2\.0",
    ),
    Case(
        "impute.csv",
        _text(_GOOD_CSV),
        cli_args=("--impute", "mean"),
        form={"impute": "mean"},
        message=r"impute must be one of 'fill', 'none'; got 'mean'",
    ),
    Case(
        "k.csv",
        _text(_GOOD_CSV),
        cli_args=("--k", "0"),
        form={"k": "0"},
        message=r"k must be 'auto' or a whole number from 1 to 200; got 0",
    ),
    Case(
        "seed.csv",
        _text(_GOOD_CSV),
        cli_args=("--seed", "-1"),
        form={"seed": "-1"},
        message=r"seed must be a whole number from 0 to 4294967295; got -1",
    ),
    Case(
        "range.csv",
        _text(_GOOD_CSV),
        cli_args=("--k-min", "8", "--k-max", "4"),
        form={"k_min": "8", "k_max": "4"},
        cli_message=r"--k-min \(8\) must not be above --k-max \(4\)",
        api_message=r"k_min \(8\) must not be above k_max \(4\)",
    ),
    Case(
        "unknown.csv",
        _text(_GOOD_CSV),
        cli_args=("--kmax", "5"),
        form={"kmax": "5"},
        cli_message=r"unrecognized arguments: --kmax 5",
        api_message=r"Unknown setting 'kmax'\. Did you mean 'k_max'\?",
    ),
    Case(
        "engine.csv",
        _text(_GOOD_CSV),
        cli_args=("--engine", "spark"),
        form={"engine": "dask"},
        cli_message=r"--engine must be one of 'local', 'dask'; got 'spark'",
        api_message=r"Setting 'engine' is not available in the web app",
    ),
    # --- sheets, headers, shapes -----------------------------------------------------------------------------------
    Case(
        "good.xlsx",
        _workbook_of(_FRAME),
        cli_args=("--sheet", "nope"),
        form={"sheet": "nope"},
        cli_message=r"File 'good\.xlsx' has no sheet named 'nope'; its sheets are 'Sheet1'\. Choose one of them "
        r"with --sheet\.",
        api_message=r"File 'good\.xlsx' has no sheet named 'nope'; its sheets are 'Sheet1'\. Choose one of them "
        r"with sheet\.",
    ),
    Case("dupes.csv", _text(_groups(header="x,x")), ok=True, rows=40),
    Case("blanks.csv", _text(_groups(header=",")), ok=True, rows=40),
    Case("one-row.csv", _text("x,y\n1,2\n"), r"Only 1 row\(s\) can be clustered; at least 3 are needed"),
    Case(
        "constant.csv",
        _text("a\n" + "7\n" * 20),
        cli_message=r"There are no columns to cluster \('a': constant\).* e\.g\. --role a=numeric\.",
        api_message=r"There are no columns to cluster \('a': constant\).* e\.g\. roles=\{\"a\": \"numeric\"\}\.",
    ),
    Case("empty-columns.csv", _text("a,b,c\n" + ",,\n" * 10), r"has a header row but no data rows"),
    Case(
        "some-empty.csv",
        _text(_groups(header="x,y,empty,also", extra=lambda i: ",")),
        ok=True,
        rows=40,
    ),
    Case(
        "mixed-encodings.csv",
        lambda folder: (
            _groups(header="x,y,city", extra=lambda i: "Zürich").encode() + "1,2,Genève\n".encode("latin-1")
        ),
        ok=True,
        rows=41,
    ),
    Case(
        "utf16.csv",
        _text(_groups(header="x,y,city", extra=lambda i: "Köln"), "utf-16"),
        ok=True,
        rows=40,
    ),
    Case(
        "label.csv",
        _text(_groups(header="x,truth", extra=None)),
        cli_args=("--label", "trut"),
        form={"label": "trut"},
        cli_message=r"Column 'trut' given in --label is not in the file\. Did you mean 'truth'\?",
        api_message=r"Column 'trut' given in label is not in the file\. Did you mean 'truth'\?",
    ),
    Case(
        "order.csv",
        _text(_groups(header="x,y,size", extra=lambda i: "SML"[i % 3])),
        cli_args=("--ordinal", "size=S,M"),
        form={"ordinal": '{"size": ["S", "M"]}'},
        cli_message=r"Column 'size' has values not in the order you gave: 'L' .* --ordinal size=S,M,L\.",
        api_message=r"Column 'size' has values not in the order you gave: 'L' .* ordinal=\{\"size\": "
        r"\[\"S\", \"M\", \"L\"\]\}\.",
    ),
]
IDS = [case.name for case in CASES]
FAST = {"k_max": "4", "resamples": "0"}  # a run that succeeds needs no long sweep here


def test_the_corpus_is_large_enough() -> None:
    assert len(CASES) >= 40
    assert len(set(IDS)) == len(IDS)


def _expected(case: Case, face: str) -> tuple[bool, str]:
    own = case.cli_ok if face == "cli" else case.api_ok
    message = case.cli_message if face == "cli" else case.api_message
    return (case.ok if own is None else own), (message or case.message)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_through_the_cli(case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ok, message = _expected(case, "cli")
    path = tmp_path / case.name
    path.write_bytes(case.content(tmp_path))
    out = tmp_path / "out"
    given = case.cli_path if case.cli_path is not None else str(path)
    fast = ("--k-max", "4", "--resamples", "0") if ok else ()
    try:
        code = main(["run", given, "--out", str(out), "--quiet", *fast, *case.cli_args], out=io.StringIO())
    except SystemExit as stop:  # argparse's own errors (an unknown flag) exit from inside the parser
        code = int(stop.code or 0)
    err = capsys.readouterr().err
    assert "Traceback" not in err
    if ok:
        assert code == 0, err
        assert (
            _rows_and_safety(pd.read_csv(out / "clustered.csv", encoding="utf-8-sig", dtype=str)) == case.rows
        )
        _no_formulas((out / "clustered.xlsx").read_bytes())
        return
    assert code == 2, err
    line = err.strip().splitlines()[-1]
    assert line.startswith("clusterlab: error: ")
    assert re.search(message, line.removeprefix("clusterlab: error: ")), line
    if "--kmax" not in case.cli_args:  # argparse prints its usage above its own errors
        assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_through_the_api(case: Case, tmp_path: Path, make_client: Callable[..., Any]) -> None:  # noqa: F811
    ok, message = _expected(case, "api")
    client = make_client(upload_limit_mb=case.upload_limit_mb)
    upload = (case.upload_name or case.name, case.content(tmp_path), "application/octet-stream")
    response = client.post("/api/runs", files={"file": upload}, data={**(FAST if ok else {}), **case.form})
    assert response.status_code != 500
    assert "Traceback" not in response.text
    body = response.json()
    if response.status_code >= 400:
        assert not ok, body
        assert 400 <= response.status_code < 500
        assert set(body) == {"error", "detail"}
        assert re.search(message, body["error"]), body["error"]
        return
    assert response.status_code == 202
    done = wait_for(client, body["id"])
    if not ok:
        assert done["status"] == "failed", done
        assert re.search(message, done["error"]["error"]), done["error"]["error"]
        return
    assert done["status"] == "done", done["error"]
    assert not set(done["file_name"]) & {"/", "\\", "\x00"}  # only ever the name, shown
    csv = client.get(f"/api/runs/{done['id']}/files/clustered.csv")
    assert (
        _rows_and_safety(pd.read_csv(io.BytesIO(csv.content), encoding="utf-8-sig", dtype=str)) == case.rows
    )
    _no_formulas(client.get(f"/api/runs/{done['id']}/files/clustered.xlsx").content)


def _no_formulas(workbook: bytes) -> None:
    """No sheet of a clustered.xlsx holds a formula (every text cell and header is written as text)."""
    with zipfile.ZipFile(io.BytesIO(workbook)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert sheets
        for name in sheets:
            assert b"<f>" not in archive.read(name), name


def _rows_and_safety(frame: pd.DataFrame) -> int:
    """The rows of a clustered.csv, after checking no header or cell would run as a formula."""
    for name in frame.columns:
        assert not name.startswith(("=", "+", "-", "@")), name
        cells = frame[name].dropna()
        assert not cells.str.startswith(("=", "+", "@")).any(), name
        # A negative number is a number; text starting with "-" is neutralized like the rest.
        assert not cells[~cells.str.fullmatch(r"-?[\d.]+(e-?\d+)?")].str.startswith("-").any(), name
    return len(frame)
