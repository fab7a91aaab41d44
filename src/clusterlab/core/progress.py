"""Progress reporting: a callback passed down the pipeline, never a global.

Stages run in the order of :data:`STAGES`; each carries a rough share of the total work so a single
progress bar can move smoothly across the run (the web app shows it, the CLI prints it).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["STAGES", "ProgressCallback", "ProgressEvent", "StageTimer", "emit"]

# (stage, share of the whole run) — shares are rough and only used for an overall fraction.
STAGES: dict[str, float] = {
    "read": 0.10,
    "roles": 0.05,
    "encode": 0.10,
    "sweep": 0.45,
    "fit": 0.10,
    "profile": 0.10,
    "write": 0.10,
}


@dataclass(frozen=True)
class ProgressEvent:
    """One step of progress: ``stage`` is a key of :data:`STAGES`; ``done``/``total`` count steps inside it."""

    stage: str
    message: str
    done: int = 0
    total: int = 1

    @property
    def fraction(self) -> float:
        """Overall fraction of the run completed, 0..1, assuming stages run in :data:`STAGES` order."""
        before = 0.0
        for name, share in STAGES.items():
            if name == self.stage:
                inside = self.done / self.total if self.total else 1.0
                return min(1.0, before + share * min(1.0, inside))
            before += share
        return min(1.0, before)


ProgressCallback = Callable[[ProgressEvent], None]


def emit(progress: ProgressCallback | None, stage: str, message: str, done: int = 0, total: int = 1) -> None:
    """Send an event if a callback was given (the core never prints)."""
    if progress is not None:
        progress(ProgressEvent(stage, message, done, total))


class StageTimer:
    """Collects wall-clock seconds per stage: ``with timer("encode"): ...``."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    def __call__(self, stage: str) -> _Lap:
        return _Lap(self, stage)


class _Lap:
    def __init__(self, timer: StageTimer, stage: str) -> None:
        self.timer, self.stage = timer, stage

    def __enter__(self) -> None:
        self.start = time.perf_counter()

    def __exit__(self, *exc: object) -> None:
        elapsed = time.perf_counter() - self.start
        self.timer.seconds[self.stage] = round(self.timer.seconds.get(self.stage, 0.0) + elapsed, 4)
