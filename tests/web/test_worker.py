"""Jobs: what a worker records for success, user errors, bugs and crashes of the pool."""

from __future__ import annotations

import json
from concurrent.futures import Future
from pathlib import Path

import pytest

from clusterlab.samples import sample_path
from clusterlab.web.jobs import JobRunner
from clusterlab.web.storage import RunStore
from clusterlab.web.worker import run_job


@pytest.fixture
def store(tmp_path: Path) -> RunStore:
    return RunStore(tmp_path / "data").init()


def _run_with(store: RunStore, content: bytes, suffix: str = ".csv", **choices) -> str:
    run = store.create("me", "data" + suffix, suffix, choices=choices)
    store.upload_path(run).write_bytes(content)
    return run.id


def test_inspect_then_cluster(store) -> None:
    run_id = _run_with(store, sample_path("iris").read_bytes(), label="species")
    attempt = store.start_job(run_id, "inspect")
    assert run_job(str(store.data_dir), run_id, attempt, "inspect") == "ready"
    run = store.get(run_id)
    assert (run.n_rows, run.n_cols) == (150, 5)
    assert (store.inspect_dir(run) / "table.parquet").exists()
    attempt = store.start_job(run_id, "cluster")
    assert run_job(str(store.data_dir), run_id, attempt, "cluster") == "done"
    run = store.get(run_id)
    assert run.phase == "done"
    assert (store.result_dir(run) / "view.json").exists()
    # What the Learn pages replay: every row of iris (under 200), the sweep from k = 1.
    learn = json.loads((store.result_dir(run) / "learn.json").read_text(encoding="utf-8"))
    assert len(learn["X"]) == len(learn["rows"]) == 150
    assert [r["k"] for r in learn["sweep"]][:2] == [1, 2]
    assert learn["k"] == run.k
    assert not list(store.folder(run_id).glob("staging-*"))


def test_a_user_error_becomes_the_runs_message(store) -> None:
    run_id = _run_with(store, b"a,b\n1,2\n3,4\n", exclude=["nope"])
    attempt = store.start_job(run_id, "cluster")
    assert run_job(str(store.data_dir), run_id, attempt, "cluster") == "failed"
    error = store.get(run_id).error
    # Stored as the core wrote it: the API and the pages each word the control when they show it.
    assert error["error"].startswith("Column 'nope' given in {exclude} is not in the file.")
    assert error["detail"]["column"] == "nope"


def test_a_bug_is_logged_and_reported_without_its_traceback(store, monkeypatch) -> None:
    run_id = _run_with(store, sample_path("iris").read_bytes())

    def broken(*args, **kwargs):
        raise ZeroDivisionError("internal detail")

    monkeypatch.setattr("clusterlab.web.worker.cluster", broken)
    attempt = store.start_job(run_id, "cluster")
    assert run_job(str(store.data_dir), run_id, attempt, "cluster") == "failed"
    error = store.get(run_id).error
    assert "Something went wrong on our side (ZeroDivisionError)" in error["error"]
    assert "internal detail" not in error["error"]
    log = (store.folder(run_id) / "errors.log").read_text()
    assert "Traceback" in log
    assert "internal detail" in log


def test_a_superseded_attempt_does_nothing(store) -> None:
    run_id = _run_with(store, sample_path("iris").read_bytes())
    old = store.start_job(run_id, "inspect")
    store.start_job(run_id, "inspect")
    assert run_job(str(store.data_dir), run_id, old, "inspect") == "superseded"


class _DeadPool:
    """An executor whose worker died: the future fails with the pool's error."""

    def submit(self, fn, *args):
        future: Future = Future()
        future.set_exception(RuntimeError("A process in the process pool was terminated abruptly"))
        return future

    def shutdown(self, wait=True, cancel_futures=False):
        pass


def test_a_crashed_worker_marks_the_run_failed(store) -> None:
    run_id = _run_with(store, sample_path("iris").read_bytes())
    runner = JobRunner(store, _DeadPool())
    runner.submit(run_id, "cluster")
    run = store.get(run_id)
    assert run.phase == "failed"
    assert "stopped unexpectedly" in run.error["error"]
