"""Fixtures for the web app's tests: an app on a temporary data folder, jobs in threads."""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable, Iterator
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


def pytest_configure(config: pytest.Config) -> None:
    # FastAPI builds a route's parameters on its first request, silencing a pydantic warning inside
    # warnings.catch_warnings(); that context manager is not thread-safe, so a job thread that uses it
    # at the same moment (kneed does) can restore the filters mid-way, and with warnings as errors the
    # request fails with a 500. The warning is about FastAPI's internals, not about this project.
    config.addinivalue_line("filterwarnings", "ignore::pydantic.warnings.UnsupportedFieldAttributeWarning")
