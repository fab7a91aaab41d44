"""The job runner through the app: limits per job end a run with a message that names them, the
server carries on, and one browser can keep only so many runs in progress. Jobs in real processes."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor, Future
from typing import Any

import pytest

from clusterlab.web.app import create_app
from clusterlab.web.config import ServerConfig
from clusterlab.web.jobs import TooManyRuns, _duration, limits_text

from .conftest import SLOW_SETTINGS, TestClient, slow_table, wait_for


@pytest.fixture
def process_client(make_client: Callable[..., TestClient]) -> Callable[..., TestClient]:
    def make(**config: Any) -> TestClient:
        return make_client(executor="process", **config)

    return make


def _slow_run(client: TestClient) -> str:
    response = client.post(
        "/api/runs", files={"file": ("slow.csv", slow_table(), "text/csv")}, data=SLOW_SETTINGS
    )
    assert response.status_code == 202, response.text
    return response.json()["id"]


def test_a_job_over_the_time_limit_fails_and_the_next_one_runs(process_client) -> None:
    client = process_client(job_time_limit=2 / 60)  # two seconds
    run = wait_for(client, _slow_run(client), timeout=60)
    assert run["status"] == "failed"
    assert run["error"]["error"].startswith(
        "This run took longer than the server's limit of 2 seconds per job, so it was stopped."
    )
    assert "job time limit" in run["error"]["error"]
    assert "--" not in run["error"]["error"]  # the web's words, not a flag
    assert run["error"]["detail"] == {
        "reason": "time_limit",
        "limit": 2.0,
        "setting": "job_time_limit",
    }
    # The server and its executor carry on: reading a sample takes well under the limit.
    response = client.post("/samples/iris", follow_redirects=False)
    ready = wait_for(client, response.headers["location"].split("/")[2], timeout=60)
    assert ready["status"] == "ready", ready["error"]


def test_a_job_over_the_memory_limit_fails_with_the_limit_in_its_message(process_client) -> None:
    client = process_client(job_memory_limit_mb=50)  # below what a job's process holds when it starts
    created = client.post("/api/runs", data={"sample": "iris"})
    run = wait_for(client, created.json()["id"], timeout=60)
    assert run["status"] == "failed"
    assert run["error"]["error"].startswith(
        "This run needed more memory than the server's limit of 50 MB per job, so it was stopped."
    )
    assert run["error"]["detail"] == {
        "reason": "memory_limit",
        "limit": 50 * 1024 * 1024,
        "setting": "job_memory_limit_mb",
    }


class _Held(Executor):
    """An executor that never gets to its jobs: their runs stay queued."""

    def submit(self, fn, /, *args, **kwargs) -> Future:
        return Future()


def test_one_browser_has_at_most_so_many_runs_in_progress(tmp_path) -> None:
    config = ServerConfig(data_dir=tmp_path / "data", executor="thread", runs_per_owner=2)
    with TestClient(create_app(config, executor=_Held())) as client:
        first, second = (client.post("/api/runs", data={"sample": "iris"}).json()["id"] for _ in range(2))
        refused = client.post("/api/runs", data={"sample": "wine"})
        assert refused.status_code == 429
        assert refused.json() == {
            "error": TooManyRuns(2).message,
            "detail": {"limit": 2, "reason": "runs_per_owner"},
        }
        assert refused.json()["error"].startswith("You already have 2 runs reading, waiting or running")
        assert [r["id"] for r in client.get("/api/runs").json()] == [second, first]  # nothing half-made
        page = client.post("/samples/wine")  # the pages say the same
        assert page.status_code == 429
        assert "You already have 2 runs" in page.text
        other = TestClient(client.app)  # another browser is not held back by this one
        assert other.post("/api/runs", data={"sample": "wine"}).status_code == 202
        client.post(f"/runs/{first}/cancel")  # a run waiting for a worker is cancelled at once
        assert client.get(f"/api/runs/{first}").json()["status"] == "cancelled"
        assert client.post("/api/runs", data={"sample": "wine"}).status_code == 202
        assert client.post(f"/api/runs/{first}/restart").status_code == 429  # restarting counts too


def test_durations_read_as_words() -> None:
    assert [_duration(s) for s in (900, 60, 90, 2, 7200)] == [
        "15 minutes",
        "1 minute",
        "90 seconds",
        "2 seconds",
        "2 hours",
    ]


def test_serve_announces_the_job_limits() -> None:
    config = ServerConfig(workers=2, job_time_limit=15, job_memory_limit_mb=700)
    assert (
        limits_text(config) == "Jobs: 2 at a time, each stopped after 15 minutes or above 700 MB of memory."
    )
    unlimited = ServerConfig(workers=1, job_time_limit=0, job_memory_limit_mb=0)
    assert limits_text(unlimited) == "Jobs: 1 at a time, without limits."
