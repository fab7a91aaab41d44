"""The run store: unguessable ids, owners, attempts that cannot overwrite each other, recovery."""

from __future__ import annotations

import sqlite3

import pytest

from clusterlab.web.storage import RunStore, TooManyActive


@pytest.fixture
def store(tmp_path) -> RunStore:
    return RunStore(tmp_path / "data").init()


def test_database_is_in_wal_mode(store) -> None:
    with sqlite3.connect(store.db_path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_runs_have_unique_unguessable_ids_and_a_folder(store) -> None:
    runs = [store.create("owner", "a.csv", ".csv") for _ in range(50)]
    ids = {r.id for r in runs}
    assert len(ids) == 50
    assert all(len(i) >= 22 for i in ids)  # 16 random bytes, base64url
    run = runs[0]
    assert store.upload_path(run).name == "upload.csv"  # the user's name is never a path
    assert store.folder(run.id).is_dir()


def test_get_checks_the_owner(store) -> None:
    run = store.create("alice", "a.csv", ".csv")
    assert store.get(run.id, owner="alice").id == run.id
    assert store.get(run.id, owner="bob") is None
    assert store.get("no-such-run") is None
    assert [r.id for r in store.owned_by("alice")] == [run.id]
    assert store.owned_by("bob") == []


def test_writes_of_an_older_attempt_are_ignored(store) -> None:
    run = store.create("alice", "a.csv", ".csv")
    first = store.start_job(run.id, "cluster")
    second = store.start_job(run.id, "cluster")
    assert second == first + 1
    assert store.progress(run.id, first, "sweep", "old", 0.5) is False  # tells the old job to stop
    assert store.finish_cluster(run.id, first, 3, 3, "strong", 10, 2) is False
    assert store.get(run.id).phase == "queued"
    assert store.progress(run.id, second, "sweep", "k = 2", 0.4) is True
    assert store.get(run.id).message == "k = 2"


def test_cancel_is_seen_by_the_next_progress_write(store) -> None:
    run = store.create("alice", "a.csv", ".csv")
    attempt = store.start_job(run.id, "cluster")
    store.mark_running(run.id, attempt)
    store.request_cancel(run.id)
    assert store.progress(run.id, attempt, "sweep", "k = 3", 0.5) is False


def test_a_run_waiting_for_a_worker_is_cancelled_at_once(store) -> None:
    run = store.create("alice", "a.csv", ".csv")
    attempt = store.start_job(run.id, "cluster")
    store.request_cancel(run.id)
    cancelled = store.get(run.id)
    assert (cancelled.phase, cancelled.error["error"]) == (
        "cancelled",
        "Cancelled; start it again whenever you like.",
    )
    assert store.mark_running(run.id, attempt) is False


def test_recover_marks_unfinished_runs_interrupted(store) -> None:
    reading = store.create("alice", "a.csv", ".csv")
    running = store.create("alice", "b.csv", ".csv")
    finished = store.create("alice", "c.csv", ".csv")
    store.start_job(reading.id, "inspect")
    attempt = store.start_job(running.id, "cluster")
    store.mark_running(running.id, attempt)
    done = store.start_job(finished.id, "cluster")
    store.finish_cluster(finished.id, done, 2, 2, "weak", 5, 2)
    assert set(store.recover()) == {reading.id, running.id}
    assert store.get(reading.id).phase == "interrupted"
    assert store.get(running.id).phase == "interrupted"
    assert "nothing you uploaded was lost" in store.get(running.id).error["error"]
    assert store.get(finished.id).phase == "done"


def test_a_job_that_outlived_its_server_cannot_change_the_run(store) -> None:
    # kill -9 of the server alone: its worker finishes after the next server marked the run interrupted.
    run = store.create("alice", "a.csv", ".csv")
    old = store.start_job(run.id, "cluster")
    store.mark_running(run.id, old)
    assert store.recover() == [run.id]
    assert store.get(run.id).attempt == old + 1  # a new attempt: every write of the old one is refused
    assert store.progress(run.id, old, "sweep", "k = 3", 0.5) is False
    assert store.finish_cluster(run.id, old, 3, 3, "strong", 10, 2) is False
    assert store.fail(run.id, old, {"error": "late", "detail": {}}) is False
    interrupted = store.get(run.id)
    assert (interrupted.phase, interrupted.error["detail"]) == ("interrupted", {"reason": "interrupted"})
    assert store.recover() == []  # a second recovery (stop, then start) changes nothing


def test_a_finished_attempt_carries_no_earlier_error(store) -> None:
    run = store.create("alice", "a.csv", ".csv")
    store.fail(run.id, store.start_job(run.id, "inspect"), {"error": "old", "detail": {}})
    attempt = store.start_job(run.id, "cluster")
    store._update(run.id, error={"error": "stale", "detail": {}})  # as a late writer once could
    assert store.finish_cluster(run.id, attempt, 2, 2, "weak", 5, 2) is True
    assert store.get(run.id).error is None


def test_the_owner_limit_counts_other_runs_in_progress(store) -> None:
    first, second, third = (store.create("alice", f"{n}.csv", ".csv") for n in "abc")
    store.start_job(first.id, "inspect", most_active=2)
    store.start_job(second.id, "cluster", most_active=2)
    with pytest.raises(TooManyActive) as refused:
        store.start_job(third.id, "inspect", most_active=2)
    assert refused.value.limit == 2
    assert store.get(third.id).attempt == 0  # nothing started
    store.start_job(second.id, "cluster", most_active=2)  # a run's own new attempt takes its own place
    store.create("bob", "d.csv", ".csv")
    store.start_job(store.owned_by("bob")[0].id, "inspect", most_active=2)  # others' runs do not count
    store.request_cancel(second.id)
    assert store.start_job(third.id, "inspect", most_active=2) == 1


def test_a_crash_report_does_not_overwrite_a_finished_run(store) -> None:
    run = store.create("alice", "a.csv", ".csv")
    attempt = store.start_job(run.id, "cluster")
    store.finish_cluster(run.id, attempt, 2, 2, "weak", 5, 2)
    assert store.fail(run.id, attempt, {"error": "crash", "detail": {}}, only_active=True) is False
    assert store.get(run.id).phase == "done"


def test_delete_removes_row_and_folder(store) -> None:
    run = store.create("alice", "a.csv", ".csv")
    store.delete(run.id)
    assert store.get(run.id) is None
    assert not store.folder(run.id).exists()
