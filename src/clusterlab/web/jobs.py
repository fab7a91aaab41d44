"""Heavy work off the request path: jobs go to a ``concurrent.futures.Executor`` chosen in one place.

:func:`make_executor` picks :class:`.processes.JobProcesses` by default: each job in a process of its
own, forked from a warm forkserver, under the server's time and memory limits, ending with the server
(a thread pool for tests; a Dask cluster with ``--executor dask [--scheduler tcp://HOST:8786]``).
Anything with ``submit`` that returns futures plugs in instead: ``create_app(config,
executor=DaskExecutor(client))``. Jobs write their own progress and outcome to the run store, so the
server only submits them, turns a job that was stopped (over a limit) or died into the run's message,
and keeps each owner to a few runs in progress at once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from typing import Any

from ..core.errors import ClusterLabError
from .config import ServerConfig
from .processes import JobLimitExceeded, JobProcesses
from .storage import RunStore, TooManyActive
from .worker import run_job

__all__ = ["JobRunner", "TooManyRuns", "limits_text", "make_executor"]

log = logging.getLogger("clusterlab.web")

# What a job's process imports once, in the forkserver, so that every job starts with pandas and
# scikit-learn loaded: the job itself and the view it builds.
JOB_MODULES = ("clusterlab.web.worker", "clusterlab.web.views")


class TooManyRuns(ClusterLabError):
    """The owner already has as many runs in progress as the server allows one owner."""

    status_code = 429

    def __init__(self, limit: int) -> None:
        super().__init__(
            f"You already have {limit} run{'s' if limit != 1 else ''} reading, waiting or running, the most "
            "this server takes from one person at a time. Wait for one to finish, or cancel or delete "
            "one, then start this again.",
            detail={"limit": limit, "reason": "runs_per_owner"},
        )


def make_executor(config: ServerConfig) -> Executor:
    """The executor for jobs: a process per job, at most ``config.workers`` at once, under the limits."""
    if config.executor == "thread":
        return ThreadPoolExecutor(max_workers=config.workers, thread_name_prefix="clusterlab-job")
    if config.executor == "dask":
        # Jobs run on the Dask cluster's workers, which must see config.data_dir (a shared folder).
        from ..distributed.engine import DaskExecutor, connect

        return DaskExecutor(connect(config.scheduler, workers=config.workers), close_client=True)
    return JobProcesses(
        config.workers,
        time_limit=config.job_time_limit_seconds,
        memory_limit=config.job_memory_limit_bytes,
        preload=JOB_MODULES,
    )


# Per limit: how the run went over it, what would take less, the setting (its words on the web).
_LIMITS: dict[str, tuple[Callable[[float], str], str, str]] = {
    "time": (
        lambda seconds: f"took longer than the server's limit of {_duration(seconds)}",
        "A smaller file, fewer columns (leave some out in step 2) or a smaller range of k takes less time",
        "job_time_limit",
    ),
    "memory": (
        lambda size: f"needed more memory than the server's limit of {_size(int(size))}",
        "A smaller file or fewer columns (leave some out in step 2) needs less",
        "job_memory_limit_mb",
    ),
}


def limits_text(config: ServerConfig) -> str:
    """The job limits in one line, as `clusterlab serve` announces them."""
    if config.executor != "process":
        return f"Jobs run on the {config.executor} executor, {config.workers} at a time, without limits."
    time_limit, memory = config.job_time_limit_seconds, config.job_memory_limit_bytes
    limits = [
        f"after {_duration(time_limit)}" if time_limit else "",
        f"above {_size(memory)} of memory" if memory else "",
    ]
    stopped = " or ".join(limit for limit in limits if limit)
    return f"Jobs: {config.workers} at a time" + (
        f", each stopped {stopped}." if stopped else ", without limits."
    )


class JobRunner:
    """Submits jobs of runs to an executor and records a job that did not end by itself as a failed run."""

    def __init__(
        self, store: RunStore, executor: Executor, workers: int = 1, *, runs_per_owner: int = 0
    ) -> None:
        self.store = store
        self.executor = executor
        self.workers = workers  # the pool's size, as the server settings made it
        self.runs_per_owner = runs_per_owner
        self.stopping = False

    def warm_up(self) -> None:
        if isinstance(self.executor, JobProcesses):
            self.executor.warm_up()

    def submit(self, run_id: str, job: str, goal: str | None = None) -> int:
        """Start a new attempt of ``job`` for the run; returns the attempt number.

        Raises :class:`TooManyRuns` when the run's owner has ``runs_per_owner`` other runs in progress;
        a run created for this job and refused is deleted (it never started).
        """
        try:
            attempt = self.store.start_job(run_id, job, goal, most_active=self.runs_per_owner)
        except TooManyActive as full:
            run = self.store.get(run_id)
            if run is not None and run.attempt == 0:
                self.store.delete(run_id)
            raise TooManyRuns(full.limit) from None
        try:
            future = self.executor.submit(run_job, str(self.store.data_dir), run_id, attempt, job)
        except RuntimeError as err:  # the pool is shut down or broken
            self._failed(run_id, attempt, err)
            return attempt
        future.add_done_callback(lambda f: self._done(f, run_id, attempt))
        return attempt

    def _done(self, future: Future[Any], run_id: str, attempt: int) -> None:
        if future.cancelled() or self.stopping:  # stopped with the server: shutdown() marks it
            return
        error = future.exception()
        if error is not None:  # stopped at a limit, or the worker died before it could say so
            self._failed(run_id, attempt, error)

    def _failed(self, run_id: str, attempt: int, error: BaseException) -> None:
        if isinstance(error, JobLimitExceeded):
            log.warning("job of run %s attempt %s stopped at the %s limit", run_id[:8], attempt, error.kind)
            went_over, takes_less, setting = _LIMITS[error.kind]
            message = (
                f"This run {went_over(error.limit)} per job, so it was stopped. {takes_less}; whoever runs "
                f"the server can raise its job {error.kind} limit."
            )
            detail = {"reason": f"{error.kind}_limit", "limit": error.limit, "setting": setting}
        else:
            log.error("job of run %s attempt %s crashed: %r", run_id[:8], attempt, error)
            message = (
                "The worker running this job stopped unexpectedly (it may have run out of memory). "
                "Start it again; with a very large file, leave out some columns first."
            )
            detail = {"reason": type(error).__name__}
        self.store.fail(run_id, attempt, {"error": message, "detail": detail}, only_active=True)

    def shutdown(self) -> None:
        """Stop every job (a local process is killed), and mark what was in progress interrupted, in a
        new attempt: a job that somehow still runs can no longer write to its run."""
        self.stopping = True
        self.executor.shutdown(wait=False, cancel_futures=True)
        interrupted = self.store.recover()
        if interrupted:
            log.warning("stopped %d run(s) in progress; they can be started again", len(interrupted))


def _duration(seconds: float) -> str:
    """A time limit in words: whole minutes or hours where they fit.

    >>> [_duration(s) for s in (900, 90, 7200, 1, 60)]
    ['15 minutes', '90 seconds', '2 hours', '1 second', '1 minute']
    """
    for unit, size in (("hour", 3600), ("minute", 60)):
        if seconds >= size * 2 or seconds == size:
            amount = seconds / size
            return f"{amount:g} {unit}{'' if amount == 1 else 's'}"
    return f"{seconds:g} second{'' if seconds == 1 else 's'}"


def _size(size: int) -> str:
    """
    >>> _size(8 * 1024**3), _size(700 * 1024**2)
    ('8.0 GB', '700 MB')
    """
    return f"{size / 1024**3:.1f} GB" if size >= 1024**3 else f"{size / 1024**2:.0f} MB"
