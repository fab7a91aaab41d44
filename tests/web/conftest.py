"""Fixtures for the web app's tests: an app on a temporary data folder, jobs in threads; and a real
`clusterlab serve` in a process of its own."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import warnings
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from clusterlab.web.app import create_app
from clusterlab.web.config import ServerConfig

with warnings.catch_warnings():
    # Starlette 1.x nudges towards httpx2 on import; the test client itself works the same.
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient


@pytest.fixture
def make_client(tmp_path: Path) -> Iterator[Callable[..., TestClient]]:
    clients: list[Any] = []

    def make(data_dir: Path | None = None, **config: Any) -> TestClient:
        config = {"executor": "thread", "workers": 1, **config}
        settings = ServerConfig(data_dir=data_dir or tmp_path / "data", **config)
        client = TestClient(create_app(settings), raise_server_exceptions=False)
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture
def client(make_client: Callable[..., TestClient]) -> TestClient:
    return make_client()


def wait_for(client: Any, run_id: str, timeout: float = 120) -> dict[str, Any]:
    """Poll the API until the run is no longer reading, queued or running."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body = client.get(f"/api/runs/{run_id}").json()
        if body["status"] not in ("reading", "queued", "running"):
            return body
        time.sleep(0.05)
    raise AssertionError(f"run {run_id} still {body['status']} after {timeout} s")


# With these settings a table without structure keeps a job busy for minutes: most tests that need a
# job still running when something happens to it (a limit, a signal) use them with slow_table().
SLOW_SETTINGS = {"k_max": "60", "n_init": "100", "resamples": "100", "silhouette_sample": "100000"}


def slow_table(rows: int = 40_000) -> bytes:
    """A CSV of ``rows`` rows of 8 unstructured numeric columns (about 6 MB)."""
    rng = np.random.default_rng(20261123)
    frame = pd.DataFrame(rng.normal(size=(rows, 8)).round(4), columns=[f"x{i}" for i in range(8)])
    return frame.to_csv(index=False).encode()


def run_id_of(response: Any) -> str:
    """The run id from a redirect to /runs/<id>/..."""
    return response.headers["location"].split("/")[2]


class Server:
    """A `clusterlab serve` (or any command that starts one) in its own process, on a free port."""

    def __init__(self, command: Sequence[str], port: int, env: dict[str, str], log: Path) -> None:
        self.port, self.url, self.log = port, f"http://127.0.0.1:{port}", log
        with log.open("ab") as out:
            self.process = subprocess.Popen(  # a process group of its own, as a shell gives a command
                command,
                env={**os.environ, **env},
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.pid = self.process.pid

    def wait_until_up(self, timeout: float = 60) -> Server:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"the server ended: {self.log.read_text()}"
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=1) as answer:
                    if answer.status == 200:
                        return self
            except OSError:
                time.sleep(0.1)
        raise AssertionError(f"no answer on {self.url} within {timeout} s: {self.log.read_text()}")

    def descendants(self) -> list[int]:
        import psutil

        return [p.pid for p in psutil.Process(self.pid).children(recursive=True)]

    def stop(self, how: int = signal.SIGTERM, timeout: float = 15, group: bool = False) -> int:
        """Send ``how`` (``group``: to every process of the server's group, as Ctrl+C in a terminal
        does) and wait for the server to end; returns its exit code."""
        if group:
            os.killpg(self.pid, how)
        else:
            os.kill(self.pid, how)
        return self.process.wait(timeout=timeout)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def start_server(tmp_path: Path) -> Iterator[Callable[..., Server]]:
    """Start ``clusterlab serve`` (or ``command``; ``{port}`` in it and in ``env`` is filled in) on a free
    port; every one still running is killed at the end, and so is any process of theirs."""
    started: list[Server] = []

    def start(
        *flags: str,
        command: Sequence[str] | None = None,
        env: dict[str, str] | None = None,
        wait: bool = True,
    ) -> Server:
        port = free_port()
        if command is None:
            command = [sys.executable, "-m", "clusterlab", "serve", "--port", "{port}", *flags]
        argv = [part.replace("{port}", str(port)) for part in command]
        environment = {name: value.replace("{port}", str(port)) for name, value in (env or {}).items()}
        server = Server(argv, port, environment, tmp_path / f"server-{len(started)}.log")
        started.append(server)
        return server.wait_until_up() if wait else server

    yield start
    for server in started:
        if server.process.poll() is None:
            leftovers = server.descendants()
            server.process.kill()
            server.process.wait()
            for pid in leftovers:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)


def pytest_configure(config: pytest.Config) -> None:
    # FastAPI builds a route's parameters on its first request, silencing a pydantic warning inside
    # warnings.catch_warnings(); that context manager is not thread-safe, so a job thread that uses it
    # at the same moment (kneed does) can restore the filters mid-way, and with warnings as errors the
    # request fails with a 500. The warning is about FastAPI's internals, not about this project.
    config.addinivalue_line("filterwarnings", "ignore::pydantic.warnings.UnsupportedFieldAttributeWarning")
