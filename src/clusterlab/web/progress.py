"""A run's progress for people: what each stage of the core is called, and the bar's numbers.

The worker writes the core's stage and fraction to the run store (:mod:`.worker`); the pages' progress
bar and the API's ``progress.stage_title`` read them through here, so both say the same words.
"""

from __future__ import annotations

from typing import Any

from .storage import Run

__all__ = ["STAGE_WORDS", "progress_context", "stage_title"]

STAGE_WORDS = {
    "read": "Reading the file",
    "roles": "Detecting column roles",
    "encode": "Preparing the columns",
    "sweep": "Trying each k",
    "fit": "Fitting the final clusters",
    "profile": "Describing the clusters",
    "write": "Writing the downloads",
}


def stage_title(run: Run) -> str:
    """The stage in words ("Trying each k"); "" when the run is not at a known stage."""
    return STAGE_WORDS.get(run.stage, "")


def progress_context(run: Run) -> dict[str, Any]:
    """``percent`` and ``stage`` for the progress bar of a page."""
    waiting = "Waiting for a free worker" if run.phase == "queued" else "Starting"
    return {"percent": round(run.fraction * 100), "stage": stage_title(run) or waiting}
