"""Heavy work off the request path: jobs go to a ``concurrent.futures.Executor`` chosen in one place.

:func:`make_executor` picks a local process pool by default (a thread pool for tests; a Dask cluster
with ``--executor dask [--scheduler tcp://HOST:8786]``). Anything with ``submit`` that returns futures
plugs in instead: ``create_app(config, executor=DaskExecutor(client))``. Jobs write their own progress and outcome to the
run store, so the server only submits them and watches for crashes of the pool itself.
"""

from __future__ import annotations

import logging
import multiprocessing
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from typing import Any

from .config import ServerConfig
from .storage import RunStore
from .worker import run_job

__all__ = ["JobRunner", "make_executor"]

log = logging.getLogger("clusterlab.web")


def _warm_up() -> bool:
    # Importing pandas and scikit-learn takes seconds in a fresh process; pay it at start-up, not on
    # the first user's upload.
    import clusterlab.core.pipeline
    import clusterlab.web.views  # noqa: F401

    return True


def make_executor(config: ServerConfig) -> Executor:
    """The executor for jobs: ``config.workers`` processes (spawned: safe with the server's threads)."""
    if config.executor == "thread":
        return ThreadPoolExecutor(max_workers=config.workers, thread_name_prefix="clusterlab-job")
    if config.executor == "dask":
        # Jobs run on the Dask cluster's workers, which must see config.data_dir (a shared folder).
        from ..distributed.engine import DaskExecutor, connect

        return DaskExecutor(connect(config.scheduler, workers=config.workers), close_client=True)
    return ProcessPoolExecutor(max_workers=config.workers, mp_context=multiprocessing.get_context("spawn"))


class JobRunner:
    """Submits jobs of runs to an executor and records a crashed job as a failed run."""

    def __init__(self, store: RunStore, executor: Executor, workers: int = 1) -> None:
        self.store = store
        self.executor = executor
        self.workers = workers  # the pool's size, as the server settings made it

    def warm_up(self) -> None:
        if isinstance(self.executor, ProcessPoolExecutor):
            for _ in range(self.workers):
                self.executor.submit(_warm_up)

    def submit(self, run_id: str, job: str, goal: str | None = None) -> int:
        """Start a new attempt of ``job`` for the run; returns the attempt number."""
        attempt = self.store.start_job(run_id, job, goal)
        try:
            future = self.executor.submit(run_job, str(self.store.data_dir), run_id, attempt, job)
        except RuntimeError as err:  # the pool is shut down or broken
            self._failed(run_id, attempt, err)
            return attempt
        future.add_done_callback(lambda f: self._done(f, run_id, attempt))
        return attempt

    def _done(self, future: Future[Any], run_id: str, attempt: int) -> None:
        if future.cancelled():
            return
        error = future.exception()
        if error is not None:  # the worker died (killed, out of memory) before it could say so
            self._failed(run_id, attempt, error)

    def _failed(self, run_id: str, attempt: int, error: BaseException) -> None:
        log.error("job of run %s attempt %s crashed: %r", run_id[:8], attempt, error)
        self.store.fail(
            run_id,
            attempt,
            {
                "error": "The worker running this job stopped unexpectedly (it may have run out of memory). "
                "Start it again; with a very large file, leave out some columns first.",
                "detail": {"reason": type(error).__name__},
            },
            only_active=True,
        )

    def shutdown(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)
