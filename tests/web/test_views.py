"""What the result pages are built from: downloads listed from whatever ClusterResult.save() wrote."""

from __future__ import annotations

from pathlib import Path

from clusterlab.web.views import file_entries


def test_downloads_follow_save_in_a_stable_order_and_keep_unknown_outputs(tmp_path: Path) -> None:
    files = {}
    for key, name in (
        ("summary", "summary.json"),
        ("csv", "clustered.csv"),
        ("future", "extra.parquet"),
        ("report", "report.html"),
        ("xlsx", "clustered.xlsx"),
        ("model", "model.json"),
    ):
        files[key] = tmp_path / name
        files[key].write_bytes(b"x" * 10)
    entries = file_entries(files)
    assert [e["name"] for e in entries] == [
        "clustered.xlsx",
        "clustered.csv",
        "report.html",  # issue #4's report appears as soon as save() writes it
        "model.json",
        "summary.json",
        "extra.parquet",  # an output nobody told the web app about is still offered
    ]
    assert entries[2]["title"] == "Report"
    assert entries[-1]["title"] == "extra.parquet"
    assert all(e["bytes"] == 10 for e in entries)
