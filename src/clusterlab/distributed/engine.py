"""Connecting to Dask: a client for a scheduler address (or a local cluster), and an executor for the sweep.

``clusterlab run --engine dask --scheduler tcp://HOST:8786`` connects to a running cluster
(``dask scheduler`` on one machine, ``dask worker tcp://HOST:8786`` on each of the others); without
``--scheduler`` a :class:`distributed.LocalCluster` with one single-threaded worker process per core
starts on this machine. :class:`DaskExecutor` is a ``concurrent.futures.Executor`` over the client,
so the k sweep (:func:`clusterlab.core.choose_k.sweep.sweep_k`) and the web app's jobs run there unchanged.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future
from contextlib import contextmanager
from typing import Any

import numpy as np

from ..core.errors import Control, SettingsError

__all__ = ["DaskExecutor", "connect"]

SCATTER_BYTES = 1_000_000  # arrays above this size are sent to the workers once, not with every task


def connect(scheduler: str | None = None, *, workers: int | None = None) -> Any:
    """A ``distributed.Client`` for ``scheduler`` ("tcp://host:8786"), or for a new local cluster.

    Raises :class:`SettingsError` with an install hint when Dask is missing, and with the address
    when the scheduler cannot be reached.
    """
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise SettingsError(
            "The Dask engine needs Dask; run `pip install clusterlab[dask]`.", detail={"setting": "engine"}
        ) from None
    if scheduler:
        try:
            return Client(scheduler, timeout="10s")
        except OSError as err:
            raise SettingsError(
                f"Could not reach the Dask scheduler at {scheduler} ({err}). Start one with `dask scheduler` "
                f"and workers with `dask worker tcp://HOST:8786`, or leave out {Control('scheduler')} to use "
                "this machine.",
                detail={"setting": "scheduler", "value": scheduler},
            ) from None
    n = workers or os.cpu_count() or 1
    # One thread per worker process: K-Means jobs use OpenMP inside and would oversubscribe the cores.
    cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None)
    return Client(cluster)


@contextmanager
def connected(scheduler: str | None = None, *, workers: int | None = None) -> Iterator[Any]:
    """:func:`connect` for the length of a ``with`` block; closes the client and any local cluster it started."""
    client = connect(scheduler, workers=workers)
    try:
        yield client
    finally:
        close(client)


def close(client: Any) -> None:
    """Close a client and the local cluster :func:`connect` may have started for it."""
    local = getattr(client, "cluster", None)
    client.close()
    if local is not None:
        local.close()


class DaskExecutor(Executor):
    """``concurrent.futures.Executor`` over a Dask client; large array arguments are scattered once.

    Every job of a sweep gets the same matrix: sending it with each task would copy it into every
    task's graph (and Dask warns about large graphs), so arrays above :data:`SCATTER_BYTES` go to the
    workers once and tasks refer to them.
    """

    def __init__(self, client: Any, *, close_client: bool = False) -> None:
        self.client = client
        self.close_client = close_client
        self._scattered: dict[int, tuple[np.ndarray, Any]] = {}

    def _argument(self, value: Any) -> Any:
        if isinstance(value, np.ndarray) and value.nbytes > SCATTER_BYTES:
            known = self._scattered.get(id(value))
            if known is None or known[0] is not value:
                known = (value, self.client.scatter(value, broadcast=True, hash=False))
                self._scattered[id(value)] = known
            return known[1]
        return value

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        args = tuple(self._argument(a) for a in args)
        kwargs = {k: self._argument(v) for k, v in kwargs.items()}
        dask_future = self.client.submit(fn, *args, pure=False, **kwargs)
        future: Future[Any] = Future()

        def done(f: Any) -> None:
            try:
                future.set_result(f.result())
            except BaseException as err:  # the job's own error, re-raised where .result() is called
                future.set_exception(err)

        future.set_running_or_notify_cancel()
        dask_future.add_done_callback(done)
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._scattered.clear()
        if self.close_client:
            close(self.client)
