"""Each job in a process of its own, under a time and a memory limit, ending with the server.

:class:`JobProcesses` is a ``concurrent.futures.Executor``: at most ``workers`` jobs run at once, each in
a fresh process that a supervising thread watches. Why not ``ProcessPoolExecutor``: it can stop a job
only by killing its worker, which breaks the whole pool and fails every other job in it. Here a job over
its limit is killed alone and the next job gets a new process; nothing else notices.

New processes come from multiprocessing's *forkserver*, started once with the job modules imported
(``preload``), so a job starts in milliseconds with pandas and scikit-learn already loaded, and it is
forked from a single-threaded process, never from the server's threads.

A job ends with the server however the server ends:

- stopped (SIGTERM, SIGINT): :meth:`JobProcesses.shutdown` kills every job it runs;
- killed (SIGKILL, a crash): the kernel closes the server's end of each job's pipe. The forkserver, which
  then has no client left, exits, and Linux ends its children (``PR_SET_PDEATHSIG``, set by each job).
  Elsewhere, and as a second line, a thread in the job waits on the pipe and exits when it closes.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import Any

__all__ = ["JobLimitExceeded", "JobMemoryLimit", "JobProcesses", "JobStopped", "JobTimeLimit", "WorkerLost"]

POLL_SECONDS = 0.1  # how often a running job's clock and memory are checked
_PR_SET_PDEATHSIG = 1  # linux/prctl.h


class JobLimitExceeded(Exception):
    """The job went over one of its limits and was killed. ``kind``: 'time' or 'memory'."""

    kind = ""

    def __init__(self, limit: float, used: float) -> None:
        super().__init__(f"killed over the {self.kind} limit of {limit:g} (used {used:g})")
        self.limit, self.used = limit, used


class JobTimeLimit(JobLimitExceeded):
    """The job ran longer than the time limit (seconds)."""

    kind = "time"


class JobMemoryLimit(JobLimitExceeded):
    """The job's process held more memory than the limit (bytes, resident)."""

    kind = "memory"


class WorkerLost(Exception):
    """The job's process ended without an answer (killed from outside, or the kernel's OOM killer)."""

    def __init__(self, exitcode: int | None) -> None:
        super().__init__(f"the job's process ended with exit code {exitcode}")
        self.exitcode = exitcode


class JobStopped(Exception):
    """The executor was shut down while the job ran."""


class JobProcesses(Executor):
    """Run each submitted call in a new process, at most ``workers`` at a time.

    Parameters
    ----------
    workers : jobs running at the same time (more wait in a queue).
    time_limit : seconds a job may run before it is killed (:class:`JobTimeLimit`); None: no limit.
    memory_limit : bytes of resident memory a job's process may hold (:class:`JobMemoryLimit`); None: no limit.
    preload : modules the forkserver imports once, so that jobs start with them loaded.

    Examples
    --------
    >>> with JobProcesses(workers=1, time_limit=60) as jobs:  # doctest: +SKIP
    ...     jobs.submit(pow, 2, 10).result()
    1024
    """

    def __init__(
        self,
        workers: int = 1,
        *,
        time_limit: float | None = None,
        memory_limit: int | None = None,
        preload: Iterable[str] = (),
    ) -> None:
        self.time_limit, self.memory_limit = time_limit, memory_limit
        method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
        self._context: Any = multiprocessing.get_context(method)
        if method == "forkserver":
            # Read when the forkserver starts, once per server process. (Never '__main__', the default:
            # jobs are module-level functions, and a script's top level must not run in the forkserver.)
            self._context.set_forkserver_preload(list(preload))
        self._slots = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="clusterlab-job")
        self._running: dict[int, BaseProcess] = {}
        self._lock = threading.Lock()
        self._closed = False

    def warm_up(self) -> None:
        """Start the forkserver now (it imports ``preload`` in the background) rather than on the first job."""
        if self._context.get_start_method() == "forkserver":
            from multiprocessing import forkserver

            forkserver.ensure_running()

    @property
    def pids(self) -> list[int]:
        """Process ids of the jobs running now."""
        with self._lock:
            return [p.pid for p in self._running.values() if p.pid is not None]

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        if self._closed:
            raise RuntimeError("cannot schedule new jobs after shutdown")
        return self._slots.submit(self._supervise, fn, args, kwargs)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Kill the running jobs (:class:`JobStopped`), then stop the queue (``cancel_futures``: drop
        the jobs still waiting)."""
        with self._lock:
            self._closed = True
            running = list(self._running.values())
        for process in running:
            process.kill()
        self._slots.shutdown(wait=wait, cancel_futures=cancel_futures)

    def _supervise(self, fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        ours, theirs = self._context.Pipe()
        process = self._context.Process(
            target=_job, args=(theirs, fn, args, kwargs), name="clusterlab-job", daemon=True
        )
        with self._lock:  # not after shutdown() has looked for processes to kill
            if self._closed:
                raise JobStopped()
            process.start()
            self._running[id(process)] = process
        theirs.close()  # the job's end lives in the job only, so that it sees EOF if the server dies
        try:
            return self._watch(process, ours)
        finally:
            with self._lock:
                del self._running[id(process)]
            process.join(timeout=5)  # it exits as soon as it has answered
            if process.is_alive():
                process.kill()
                process.join()
            ours.close()
            process.close()

    def _watch(self, process: BaseProcess, conn: Connection) -> Any:
        started = time.monotonic()
        while True:
            ready = wait([conn, process.sentinel], timeout=POLL_SECONDS)
            if conn in ready:
                try:
                    ok, value = conn.recv()
                except EOFError:  # it died before answering
                    pass
                else:
                    if ok:
                        return value
                    raise value
            if ready:  # the process ended without an answer
                process.join()
                if self._closed:
                    raise JobStopped()
                raise WorkerLost(process.exitcode)
            elapsed = time.monotonic() - started
            if self.time_limit and elapsed > self.time_limit:
                process.kill()
                raise JobTimeLimit(self.time_limit, elapsed)
            used = resident_bytes(process.pid) if self.memory_limit else 0
            if self.memory_limit and used > self.memory_limit:
                process.kill()
                raise JobMemoryLimit(self.memory_limit, used)


def resident_bytes(pid: int | None) -> int:
    """Resident memory of a process, in bytes (0 when it is gone)."""
    import psutil

    try:
        return int(psutil.Process(pid).memory_info().rss)
    except (psutil.Error, ValueError):
        return 0


def _job(conn: Connection, fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """The job's process: arrange to end with the server, run the call, send back its outcome."""
    _end_with_server(conn)
    try:
        outcome = (True, fn(*args, **kwargs))
    except BaseException as err:  # the caller's future raises it
        outcome = (False, err)
    try:
        conn.send(outcome)
    except Exception:  # an answer that cannot be pickled
        conn.send((False, RuntimeError(f"{type(outcome[1]).__name__}: {outcome[1]}")))


def _end_with_server(conn: Connection) -> None:
    from multiprocessing import forkserver

    # The forkserver gives each child a copy of its "alive" pipe so that it stays up while children
    # might fork again; ours never do. Holding it would keep the forkserver up after a killed server,
    # and with it (below) this process.
    alive = getattr(forkserver._forkserver, "_forkserver_alive_fd", None)
    if alive is not None:
        with contextlib.suppress(OSError):
            os.close(alive)
        setattr(forkserver._forkserver, "_forkserver_alive_fd", None)  # noqa: B010 (private, untyped)
    parent = os.getppid()
    if sys.platform == "linux":
        # The kernel kills this process when its parent (the forkserver, or the server) ends, whatever
        # this process is doing; a thread below could wait for the GIL behind a long C call.
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != parent:  # the parent ended before prctl
            os._exit(1)
    threading.Thread(target=_exit_on_eof, args=(conn,), name="server-watch", daemon=True).start()
    # A terminal's Ctrl+C reaches every process of the server's group: the server stops its jobs
    # itself (and marks their runs interrupted) rather than have each one fail on its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _exit_on_eof(conn: Connection) -> None:
    # The server never writes to the job; the pipe turns readable only when the server's end closes.
    with contextlib.suppress(OSError):
        conn.poll(None)
    os._exit(1)
