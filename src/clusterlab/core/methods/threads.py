"""One thread for a fit: a cap on OpenMP (K-Means' threads) or on every thread pool (BLAS too).

Small fits and fits already run side by side gain nothing from threads, and on a busy machine
spinning threads wait for each other (a Gaussian mixture of 180 rows: 1.9 s with two threads on a
busy 2-core machine, 0.04 s on one). threadpoolctl scans every loaded shared library when a
``threadpool_limits(...)`` is entered; the controller here does that once per process.
"""

from __future__ import annotations

from typing import Any

__all__ = ["one_blas_thread", "one_openmp_thread", "one_thread"]

_CONTROLLER: Any = None


def _controller() -> Any:
    global _CONTROLLER
    if _CONTROLLER is None:
        from threadpoolctl import ThreadpoolController

        _CONTROLLER = ThreadpoolController()
    return _CONTROLLER


def one_openmp_thread() -> Any:
    """A context that caps OpenMP (K-Means' threads) at one thread."""
    return _controller().limit(limits=1, user_api="openmp")


def one_blas_thread() -> Any:
    """A context that caps BLAS (matrix products) at one thread, leaving OpenMP as it is."""
    return _controller().limit(limits=1, user_api="blas")


def one_thread() -> Any:
    """A context that caps every thread pool, BLAS and OpenMP, at one thread."""
    return _controller().limit(limits=1)
