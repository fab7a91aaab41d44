"""Each job in a process of its own: results and errors come back, a job over a limit is stopped
alone, and no job outlives the executor or the process that started it. Real processes throughout."""

from __future__ import annotations

import operator
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator

import psutil
import pytest

from clusterlab.web.processes import JobMemoryLimit, JobProcesses, JobStopped, JobTimeLimit, WorkerLost

MB = 1024 * 1024


def gone(pid: int, timeout: float = 5.0) -> bool:
    """True once the process has ended (a zombie waiting for its reaper counts as ended)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
                return True
        except psutil.NoSuchProcess:
            return True
        time.sleep(0.05)
    return False


def started(jobs: JobProcesses, count: int = 1, timeout: float = 30.0) -> list[int]:
    """The pids of ``count`` running jobs, once they run."""
    deadline = time.monotonic() + timeout
    while len(jobs.pids) < count:
        assert time.monotonic() < deadline, "the jobs did not start"
        time.sleep(0.02)
    return jobs.pids


@pytest.fixture
def make_jobs() -> Iterator[Callable[..., JobProcesses]]:
    made: list[JobProcesses] = []

    def make(workers: int = 2, **limits: float) -> JobProcesses:
        made.append(JobProcesses(workers, preload=("clusterlab.web.processes",), **limits))  # type: ignore[arg-type]
        return made[-1]

    yield make
    for jobs in made:
        jobs.shutdown(cancel_futures=True)


def test_results_and_errors_come_back(make_jobs) -> None:
    jobs = make_jobs()
    assert jobs.submit(pow, 2, 10).result(timeout=60) == 1024
    assert jobs.submit(os.getpid).result(timeout=60) != os.getpid()  # each job in a process of its own
    with pytest.raises(ValueError, match="invalid literal for int"):
        jobs.submit(int, "x").result(timeout=60)


def test_a_job_over_the_time_limit_is_stopped_alone(make_jobs) -> None:
    jobs = make_jobs(workers=2, time_limit=1.0)
    slow = jobs.submit(time.sleep, 60)
    pid = started(jobs)[0]
    other = jobs.submit(pow, 3, 3)
    begun = time.monotonic()
    with pytest.raises(JobTimeLimit) as stopped:
        slow.result(timeout=30)
    assert time.monotonic() - begun < 10
    assert stopped.value.limit == 1.0
    assert gone(pid)
    assert other.result(timeout=30) == 27
    assert jobs.submit(pow, 2, 5).result(timeout=30) == 32  # and the executor carries on


def test_a_job_over_the_memory_limit_is_stopped_alone(make_jobs) -> None:
    jobs = make_jobs(workers=1, memory_limit=600 * MB)
    with pytest.raises(JobMemoryLimit) as stopped:
        jobs.submit(operator.mul, b"x", 3000 * MB).result(timeout=60)  # 3 GB, touched as it is made
    assert stopped.value.limit == 600 * MB
    assert stopped.value.used > 600 * MB
    assert jobs.submit(pow, 2, 5).result(timeout=30) == 32


def test_a_job_whose_process_dies_is_reported(make_jobs) -> None:
    jobs = make_jobs(workers=1)
    with pytest.raises(WorkerLost) as lost:
        jobs.submit(os._exit, 3).result(timeout=60)
    assert lost.value.exitcode == 3
    assert jobs.submit(pow, 2, 5).result(timeout=30) == 32


def test_shutdown_kills_the_running_jobs_and_drops_the_waiting_ones(make_jobs) -> None:
    jobs = make_jobs(workers=1)
    running = jobs.submit(time.sleep, 60)
    pid = started(jobs)[0]
    waiting = jobs.submit(time.sleep, 60)
    jobs.shutdown(wait=True, cancel_futures=True)
    assert gone(pid)
    assert waiting.cancelled()
    with pytest.raises(JobStopped):
        running.result(timeout=10)
    with pytest.raises(RuntimeError, match="after shutdown"):
        jobs.submit(pow, 2, 2)


_SERVER = """
import sys, time
from clusterlab.web.processes import JobProcesses

jobs = JobProcesses(2, preload=["clusterlab.web.processes"])
for _ in range(2):
    jobs.submit(time.sleep, 120)
while len(jobs.pids) < 2:
    time.sleep(0.02)
print(*jobs.pids, flush=True)
time.sleep(120)
"""


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM])
def test_jobs_end_when_the_process_that_started_them_is_killed(how: signal.Signals) -> None:
    # kill -9 runs no Python at all: the jobs notice (the kernel's parent-death signal, and the pipe
    # to the server closing) and end. SIGTERM's default action is the same for Python.
    server = subprocess.Popen([sys.executable, "-c", _SERVER], stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        pids = [int(p) for p in server.stdout.readline().split()]
        assert len(pids) == 2
        helpers = [c.pid for c in psutil.Process(server.pid).children()]  # forkserver, resource tracker
        os.kill(server.pid, how)
        server.wait(timeout=10)
        for pid in pids + helpers:
            assert gone(pid), f"process {pid} outlived its server"
    finally:
        server.kill()
        server.wait()
