"""The clusterlab command: exit codes, one-line errors, outputs on disk."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from clusterlab.cli import main
from clusterlab.core import SETTINGS
from clusterlab.samples import sample_path


def run(argv: list[str]) -> tuple[int, str]:
    out = io.StringIO()
    return main(argv, out=out), out.getvalue()


def test_run_writes_outputs_and_reports(
    mixed_table: pd.DataFrame, write_table: Callable[..., Path], tmp_path: Path
) -> None:
    source = write_table(mixed_table, "in.csv")
    code, out = run(
        [
            "run",
            str(source),
            "--k",
            "4",
            "--label",
            "truth",
            "--ordinal",
            "plan=Basic,Plus,Premium",
            "--exclude",
            "region",
            "--out",
            str(tmp_path / "res"),
            "--quiet",
        ]
    )
    assert code == 0
    assert "Recommended k:" in out
    assert "Clustered with k = 4 as you asked" in out
    assert "Agreement with 'truth': ARI" in out
    summary = json.loads((tmp_path / "res" / "summary.json").read_text())
    roles = {c["name"]: c["role"] for c in summary["columns"]}
    assert (roles["plan"], roles["region"], roles["truth"]) == ("ordinal", "excluded", "label")
    assert summary["k"] == 4
    # The three groups are the recommendation: not HDBSCAN's 4, which split off the 10 rows on
    # another plan than their group's (a gap between levels, no valley in income or age).
    assert summary["recommended_k"] == 3
    assert summary["settings"]["exclude"] == ["region"]
    for name in ("clustered.xlsx", "clustered.csv", "model.json"):
        assert (tmp_path / "res" / name).is_file()

    labelled = tmp_path / "labelled.xlsx"
    code, out = run(
        ["assign", str(tmp_path / "res" / "model.json"), str(source), "--out", str(labelled), "-q"]
    )
    assert code == 0
    assert labelled.is_file()
    assert (
        pd.read_excel(labelled, engine="calamine")["Cluster"].tolist()
        == pd.read_csv(tmp_path / "res" / "clustered.csv", encoding="utf-8-sig")["Cluster"].tolist()
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["run", "{missing}"], r"File 'missing.csv' does not exist"),
        (
            ["run", "{data}", "--k-max", "ten"],
            r"--k-max must be a whole number from 2 to 200; got 'ten'",
        ),
        (
            ["run", "{data}", "--method", "kmedoids", "--distance", "manhattan"],
            r"--distance must be one of 'auto', 'euclidean', 'gower'; got 'manhattan'",
        ),
        (["run", "{data}", "--role", "plan"], r"--role 'plan' is not of the form COLUMN=ROLE"),
        (["run", "{data}", "--ordinal", "plan"], r"Ordinal order 'plan' is not of the form"),
        (
            ["run", "{data}", "--label", "Truth"],
            r"Column 'Truth' given in --label is not in the file. Did you mean 'truth'\?",
        ),
        (["assign", "{data}", "{data}"], r"is not valid JSON"),
        (["demo", "nope"], r"No sample named 'nope'"),
        # Checked before any clustering, so a long run does not end in an internal error.
        (
            ["run", "{data}", "--out", "{data}"],
            r"Cannot write the outputs to '.*data.csv': it is a file, not a folder",
        ),
        (["demo", "iris", "--out", "{data}"], r"Cannot write the outputs to '.*data.csv': it is a file"),
        (["run", "{tmp}"], r"'.*' is a folder, not a file; .*--engine dask"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    args: list[str],
    message: str,
    mixed_table: pd.DataFrame,
    write_table: Callable[..., Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    data = write_table(mixed_table, "data.csv")
    argv = [a.format(data=data, missing=tmp_path / "missing.csv", tmp=tmp_path) for a in args] + ["--quiet"]
    code, _ = run(argv)
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert len(err.splitlines()) == 1
    assert err.startswith("clusterlab: error: ")
    assert re.search(message, err), err


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["run"])
    assert exit_info.value.code == 2
    assert "the following arguments are required: file" in capsys.readouterr().err


def test_inspect_lists_roles() -> None:
    code, out = run(["inspect", str(sample_path("customers"))])
    assert code == 0
    assert "customer_id" in out
    assert "identifier" in out
    assert "annual_income" in out


def test_inspect_of_an_empty_column_shows_no_empty_example(tmp_path: Path) -> None:
    path = tmp_path / "gap.csv"
    path.write_text("x,gap\n1,\n2,\n3,\n", encoding="utf-8")
    code, out = run(["inspect", str(path)])
    assert code == 0
    line = next(line for line in out.splitlines() if line.startswith("  gap"))
    assert line.rstrip().endswith("every cell is empty, 3 empty")


def test_inspect_says_what_to_check_in_flags(tmp_path: Path) -> None:
    path = tmp_path / "shops.csv"
    rows = [f"{i % 3 + 1},{i * 3}" for i in range(40)] + ["2,99999999"]
    path.write_text("Region,spend\n" + "\n".join(rows) + "\n", encoding="utf-8")
    code, out = run(["inspect", str(path)])
    assert code == 0
    assert "Check: Column 'spend' has 1 value(s) far outside the rest (row 41: 99,999,999)" in out
    assert "Turn off with --outliers keep." in out
    assert "Column 'Region' holds 3 different whole numbers, 1 to 3: codes rather than amounts? " in out
    assert "Use --role Region=categorical." in out


def test_progress_goes_to_stderr_and_quiet_silences_it(tmp_path: Path) -> None:
    command = [
        sys.executable,
        "-m",
        "clusterlab",
        "run",
        str(sample_path("iris")),
        "--out",
        str(tmp_path / "o"),
    ]
    loud = subprocess.run(command, capture_output=True, text=True, check=True)
    assert "sweep 9/9" in loud.stderr
    assert "sweep" not in loud.stdout
    quiet = subprocess.run([*command, "--quiet"], capture_output=True, text=True, check=True)
    assert quiet.stderr == ""


def test_internal_errors_exit_1_without_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import clusterlab.result

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("kaput")

    monkeypatch.setattr(clusterlab.result, "cluster", boom)  # the command imports it when it runs
    code, _ = run(["run", str(sample_path("iris")), "--quiet"])
    err = capsys.readouterr().err
    assert code == 1
    assert "internal error (RuntimeError: kaput)" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("command", [[], ["run"], ["assign"], ["inspect"], ["demo"], ["serve"]])
def test_help_of_every_command(command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    # Help texts come from the settings tables; a '%' in one ("at most 1% of a column") once crashed it.
    with pytest.raises(SystemExit) as exit_info:
        main([*command, "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: clusterlab")
    if command == ["run"]:
        assert "at most 1% of a column" in out
        assert all(spec.flag in out for spec in SETTINGS)
        assert "first non-empty)" not in out.split("--scheduler")[-1]  # a wrong default it once showed
    if command:  # every argument says what it is: no bare "file" or "--out OUT" line
        assert not re.search(r"^  (file|model|--out OUT|--sheet SHEET)\s*$", out, re.MULTILINE), out


_LOADED = """
import sys
from clusterlab.cli import main
try:
    code = main(sys.argv[1:])
except SystemExit as stop:
    code = stop.code
heavy = ("numpy", "pandas", "sklearn", "scipy", "pyarrow", "fastapi", "starlette", "uvicorn", "plotly")
print(code, *sorted(name for name in heavy if name in sys.modules))
"""


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["run", "--help"],
        ["serve", "--help"],
        ["run", "data.csv", "--bad-flag"],
        ["run", "missing.csv"],
        ["run", "data.csv", "--k-max", "x"],
        ["inspect", "missing.csv"],
    ],
)
def test_help_and_argument_errors_load_nothing_heavy(argv: list[str], tmp_path: Path) -> None:
    # They answer in a few tenths of a second: scikit-learn, pandas and the web stack take seconds.
    (tmp_path / "data.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", _LOADED, *argv], capture_output=True, text=True, cwd=tmp_path, check=True
    )
    code, *loaded = done.stdout.splitlines()[-1].split()
    assert code in ("0", "2"), done.stderr
    assert loaded == [], f"{argv} imported {loaded}"


def test_a_reader_that_goes_away_is_not_an_internal_error() -> None:
    # `clusterlab inspect data.csv | head -1`: the pipe closes before the output is written.
    process = subprocess.Popen(
        [sys.executable, "-m", "clusterlab", "inspect", str(sample_path("customers"))],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    assert process.stderr is not None
    process.stdout.close()
    err = process.stderr.read()
    assert process.wait(timeout=120) == 141
    assert err == ""


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--k-min", "5", "--k-max", "3"], "--k-min (5) must not be above --k-max (3)."),
        (["--impute", "mean"], "--impute must be one of 'fill', 'none'; got 'mean'."),
    ],
)
def test_bad_settings_are_named_by_their_flag(
    flags: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _ = run(["run", str(sample_path("iris")), "--quiet", *flags])
    assert code == 2
    assert capsys.readouterr().err.strip() == f"clusterlab: error: {message}"


def test_notes_and_errors_name_the_flags(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # The core names controls, not flags ({outliers="keep"}); the CLI words them as its flags.
    code, out = run(["run", str(sample_path("customers")), "--out", str(tmp_path), "--quiet", "--k", "4"])
    assert code == 0
    assert "Turn off with --outliers keep." in out
    assert "{" not in out
    # The outlier count says its rule, and names the row flagged for a far-out value (annual_income).
    far_fence = "beyond their cluster's far fence (Q3 + 3 IQR of its distances to the centre)"
    far_out = "1 row with a value far outside its column (row 301)"
    assert f"Outliers: column 'Outlier' flags {far_out}; none {far_fence}." in out
    code, out = run(
        [
            "run",
            str(sample_path("iris")),
            "--out",
            str(tmp_path / "p"),
            "-q",
            "--outlier-rule",
            "percentile",
            "--method",
            "kmeans",
        ]
    )
    percentile = "beyond the 95th percentile of their cluster's distances to the centre"
    assert f"Outliers: column 'Outlier' flags 8 rows {percentile}." in out
    path = tmp_path / "one.csv"
    path.write_text("Region code\n" + "7\n" * 10)
    code, _ = run(["run", str(path), "--out", str(tmp_path / "o"), "--quiet"])
    assert code == 2
    assert capsys.readouterr().err.strip().endswith('e.g. --role "Region code=numeric".')


def test_a_text_run_prints_its_words_and_an_example_and_k_1_is_a_flag(tmp_path: Path) -> None:
    code, text = run(
        [
            "run",
            str(sample_path("reviews")),
            "--k",
            "5",
            "--resamples",
            "0",
            "--out",
            str(tmp_path / "r"),
            "-q",
        ]
    )
    assert code == 0
    assert text.count("review often says") == 5
    assert text.count('e.g. "') == 5
    code, text = run(
        [
            "run",
            str(sample_path("sensors")),
            "--k",
            "1",
            "--resamples",
            "0",
            "--out",
            str(tmp_path / "s"),
            "-q",
        ]
    )
    assert code == 0
    assert "1. All rows (400 rows)" in text


def test_run_with_method_auto_says_which_method_and_why(tmp_path: Path) -> None:
    import numpy as np
    from sklearn.datasets import make_moons

    moons, _ = make_moons(300, noise=0.06, random_state=0)
    blob = np.random.default_rng(0).normal([3.2, 1.5], 0.2, size=(120, 2))
    source = tmp_path / "moons.csv"
    pd.DataFrame(np.vstack([moons, blob]), columns=["x", "y"]).to_csv(source, index=False)
    code, out = run(["run", str(source), "--out", str(tmp_path / "res"), "--quiet"])
    assert code == 0
    assert "Recommended k: 3, method: HDBSCAN" in out
    assert "a density method (HDBSCAN) finds 3 clusters" in out
    summary = json.loads((tmp_path / "res" / "summary.json").read_text())
    rec = summary["recommendation"]
    # K-Means' own answer stays beside it: 3 clusters that cut a moon (a moon's bend puts a gap
    # in every projection across it, so K-Means' 3 passes the valleys test too).
    assert (rec["method"], rec["k"], rec["kmeans_k"]) == ("hdbscan", 3, 3)
    assert {m["method"] for m in rec["methods"]} == {"kmeans", "hdbscan", "gmm"}


def test_run_counts_the_noise_rows_beside_the_clusters(tmp_path: Path) -> None:
    import numpy as np

    rng = np.random.default_rng(0)
    groups = np.vstack([rng.normal(c, 0.3, size=(150, 2)) for c in ((0, 0), (5, 5))])
    scattered = rng.uniform(-4, 9, size=(30, 2))  # far from both groups: HDBSCAN's Noise
    source = tmp_path / "scattered.csv"
    pd.DataFrame(np.vstack([groups, scattered]), columns=["x", "y"]).to_csv(source, index=False)
    code, out = run(["run", str(source), "--method", "hdbscan", "--out", str(tmp_path / "res"), "--quiet"])
    assert code == 0
    clusters = pd.read_csv(tmp_path / "res" / "clustered.csv")["Cluster"]
    noise = int((clusters == 0).sum())
    assert 0 < noise < 60
    shown = (
        f"{noise / len(clusters):.0%}"
        if noise / len(clusters) >= 0.01
        else f"{100 * noise / len(clusters):.1f}%"
    )
    assert f"; Noise (in no dense group, Cluster 0): {noise} rows ({shown})" in out
