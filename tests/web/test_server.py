"""`clusterlab serve` as a process: stopped by a signal or killed, it leaves no job process behind,
and the run it was working on stays interrupted however the stop went. Real processes throughout."""

from __future__ import annotations

import signal
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from clusterlab.web.storage import RunStore

from .conftest import SLOW_SETTINGS, Server, slow_table
from .test_processes import gone


def _start_slow_run(server: Server, client: httpx.Client) -> str:
    """A run whose job keeps going for minutes; returns once its job's process runs."""
    created = client.post(
        f"{server.url}/api/runs", files={"file": ("slow.csv", slow_table(), "text/csv")}, data=SLOW_SETTINGS
    )
    assert created.status_code == 202, created.text
    run_id = created.json()["id"]
    deadline = time.monotonic() + 60
    # The server's processes: the resource tracker, the forkserver and, once it runs, the job.
    while (
        client.get(f"{server.url}/api/runs/{run_id}").json()["status"] != "running"
        or len(server.descendants()) < 3
    ):
        assert time.monotonic() < deadline, "the job did not start"
        time.sleep(0.1)
    return run_id


def _status(data: Path, run_id: str) -> str:
    run = RunStore(data).get(run_id)
    assert run is not None
    return run.phase


@dataclass
class Busy:
    """A server on a data folder, with a run whose job's process runs (for minutes)."""

    server: Server
    data: Path
    run_id: str
    client: httpx.Client  # the browser that started the run (its owner cookie)
    processes: list[int]  # the server's: the resource tracker, the forkserver, the job


@pytest.fixture
def busy(start_server: Callable[..., Server], tmp_path: Path) -> Iterator[Busy]:
    data = tmp_path / "data"
    server = start_server("--data-dir", str(data), "--workers", "1")
    with httpx.Client(timeout=30) as client:
        run_id = _start_slow_run(server, client)
        yield Busy(server, data, run_id, client, server.descendants())


@pytest.mark.parametrize(
    ("how", "group"),
    [(signal.SIGTERM, False), (signal.SIGINT, False), (signal.SIGINT, True)],
    ids=["SIGTERM", "SIGINT", "Ctrl+C"],
)
def test_a_stopped_server_leaves_no_job_behind(how: signal.Signals, group: bool, busy: Busy) -> None:
    # SIGTERM is what systemd, Docker and Cloud Run send; a terminal's Ctrl+C sends SIGINT to every
    # process of the group, the jobs too.
    began = time.monotonic()
    busy.server.stop(how, group=group)
    assert time.monotonic() - began < 10
    for pid in busy.processes:
        assert gone(pid), f"process {pid} outlived the server"
    assert _status(busy.data, busy.run_id) == "interrupted"


def test_a_killed_server_leaves_no_job_behind_and_the_run_stays_interrupted(
    busy: Busy, start_server: Callable[..., Server]
) -> None:
    assert busy.server.stop(signal.SIGKILL) == -signal.SIGKILL  # no Python runs: nothing is cleaned up
    for pid in busy.processes:
        assert gone(pid), f"process {pid} outlived the killed server"
    assert _status(busy.data, busy.run_id) == "running"  # as the killed server left it

    again = start_server("--data-dir", str(busy.data), "--workers", "1")
    run = busy.client.get(f"{again.url}/api/runs/{busy.run_id}").json()
    assert run["status"] == "interrupted"
    assert run["error"]["detail"] == {"reason": "interrupted"}
    restarted = busy.client.post(f"{again.url}/api/runs/{busy.run_id}/restart")
    assert restarted.status_code == 202
    assert restarted.json()["status"] in ("queued", "running")
    assert restarted.json()["error"] is None
    again.stop(signal.SIGTERM)
    assert _status(busy.data, busy.run_id) == "interrupted"
