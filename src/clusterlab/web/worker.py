"""The jobs themselves: module-level functions that run in a worker process (or thread, or Dask worker).

A job gets only plain values (the data folder, the run id, the attempt number) so any executor can ship
it. It reads what it needs from the run store, reports progress there (which is how progress crosses
from a worker process to the page), and records the outcome. A problem the user can fix becomes the
run's error message; anything else is logged with its traceback in the run's folder and shown as a
plain "internal error" without the traceback.
"""

from __future__ import annotations

import json
import logging
import pickle
import shutil
import time
import traceback
from pathlib import Path
from typing import Any

from ..core.errors import ClusterLabError
from ..core.progress import ProgressEvent
from ..core.read.readers import read_table
from ..learn.run_sample import RunSample
from ..result import ClusterResult, cluster
from .annotations import ANNOTATIONS, RESULT_PICKLE, basis_of
from .inspection import sheet_names, write_inspection
from .storage import CANCELLED, Run, RunStore
from .views import build_view

__all__ = ["JobCancelled", "ProgressWriter", "run_job"]

log = logging.getLogger("clusterlab.web")

KEEP_RESULT_ROWS = 200_000  # results up to this size are kept whole for renaming (a few tens of MB)


class JobCancelled(Exception):
    """The user cancelled the run (or started a newer attempt) while this job was running."""


class ProgressWriter:
    """A core progress callback that writes to the run store, at most a few times a second.

    Returns control to the core after each write; raises :class:`JobCancelled` when the run was
    cancelled, so the job stops at the next progress step.
    """

    def __init__(self, store: RunStore, run_id: str, attempt: int, interval: float = 0.25) -> None:
        self.store, self.run_id, self.attempt, self.interval = store, run_id, attempt, interval
        self.last = 0.0
        self.stage = ""

    def __call__(self, event: ProgressEvent) -> None:
        now = time.monotonic()
        final = event.total and event.done >= event.total
        if event.stage == self.stage and not final and now - self.last < self.interval:
            return
        self.stage, self.last = event.stage, now
        message = event.message
        if event.stage == "sweep" and event.total > 1:
            message = f"{event.done} of {event.total} k values tried — {event.message}"
        if not self.store.progress(self.run_id, self.attempt, event.stage, message, event.fraction):
            raise JobCancelled()

    def say(self, stage: str, message: str, fraction: float) -> None:
        if not self.store.progress(self.run_id, self.attempt, stage, message, fraction):
            raise JobCancelled()


def run_job(data_dir: str, run_id: str, attempt: int, job: str) -> str:
    """Run one job ('inspect' or 'cluster') of a run; returns the phase it ended in."""
    store = RunStore(data_dir)
    run = store.get(run_id)
    if run is None or run.attempt != attempt or not run.active:
        return "superseded"  # deleted, cancelled or restarted while this one waited for a worker
    try:
        if job == "inspect":
            _inspect(store, run, attempt)
            return "ready"
        _cluster(store, run, attempt)
        return "done"
    except JobCancelled:
        store.fail(run_id, attempt, CANCELLED, "cancelled")
        return "cancelled"
    except ClusterLabError as err:  # the file's or the choices': the same input fails the same way
        store.fail(run_id, attempt, {"error": err.message, "detail": err.detail, "cause": "input"})
        return "failed"
    except MemoryError:
        store.fail(
            run_id,
            attempt,
            {
                "error": "The server ran out of memory on this file. Try fewer columns (leave some out in "
                "step 2) or a smaller k range.",
                "detail": {"reason": "memory"},
            },
        )
        return "failed"
    except Exception as err:  # a bug: keep the traceback for us, show the user a plain sentence
        reference = f"{run_id[:8]}-{attempt}"
        text = traceback.format_exc()
        log.error("job %s failed (%s):\n%s", reference, type(err).__name__, text)
        folder = store.folder(run_id)
        if folder.exists():
            with (folder / "errors.log").open("a", encoding="utf-8") as handle:
                handle.write(f"--- attempt {attempt} at {time.ctime()}\n{text}\n")
        store.fail(
            run_id,
            attempt,
            {
                "error": f"Something went wrong on our side ({type(err).__name__}); it was logged as "
                f"{reference}. Please try again, and report it if it happens again.",
                "detail": {"reference": reference},
            },
        )
        return "failed"


def _read(store: RunStore, run: Run) -> Any:
    return read_table(store.upload_path(run), sheet=run.settings.get("sheet") or None, name=run.file_name)


def _inspect(store: RunStore, run: Run, attempt: int) -> None:

    progress = ProgressWriter(store, run.id, attempt)
    progress.say("read", f"reading {run.file_name}", 0.1)
    table = _read(store, run)
    progress.say("roles", "detecting column roles", 0.6)
    folder = store.inspect_dir(run, attempt)
    shutil.rmtree(folder, ignore_errors=True)
    facts = write_inspection(table, folder, sheet_names(store.upload_path(run)))
    store.finish_inspect(run.id, attempt, facts["n_rows"], facts["n_cols"])
    _drop_old(store.folder(run.id), "inspect-", attempt)


def _cluster(store: RunStore, run: Run, attempt: int) -> None:

    store.mark_running(run.id, attempt)
    progress = ProgressWriter(store, run.id, attempt)
    said = _annotations(store, run)
    result = _earlier(store, run, said)  # a rename: the same clustering, only its names change
    if result is not None:
        progress.say("write", "writing the files again with your names", 0.5)
    else:
        progress.say("read", f"reading {run.file_name}", 0.02)
        table = _read(store, run)
        if run.inspect_attempt is None:  # a run started from the API: record what the file holds too
            inspected = store.inspect_dir(run, attempt)
            facts = write_inspection(table, inspected, sheet_names(store.upload_path(run)))
            store.finish_inspect(run.id, attempt, facts["n_rows"], facts["n_cols"], ready=False)
        settings = {k: v for k, v in run.settings.items() if k != "sheet"}
        k = settings.pop("k", "auto")
        choices = run.choices
        result = cluster(
            table,
            k,
            roles=choices.get("roles") or None,
            exclude=choices.get("exclude") or (),
            ordinal=choices.get("ordinal") or None,
            label=choices.get("label") or None,
            progress=progress,
            name=run.file_name,
            **settings,
        )
    if said.get("basis") == basis_of(run) and said.get("k") == result.k:
        clusters = {int(c): a for c, a in (said.get("clusters") or {}).items() if 1 <= int(c) <= result.k}
        result.rename({c: a.get("name", "") for c, a in clusters.items()})
        for c, a in clusters.items():
            result.annotate(c, useful=a.get("useful", True), note=a.get("note", ""))
    staging = store.folder(run.id) / f"staging-{attempt}"
    shutil.rmtree(staging, ignore_errors=True)
    written = result.save(staging / "files", progress=progress)
    if len(result.clusters) <= KEEP_RESULT_ROWS:
        # Kept so a rename rewrites the exports without clustering again (our own file, never an
        # upload); above the limit a rename clusters again (same settings and seed: same clusters).
        try:
            (staging / RESULT_PICKLE).write_bytes(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
        except (pickle.PicklingError, TypeError, AttributeError) as err:
            log.warning("result of run %s not kept for renaming: %s", run.id[:8], err)
    progress.say("write", "preparing charts", 0.99)
    view = build_view(result, written)
    (staging / "view.json").write_text(json.dumps(view, ensure_ascii=False, default=str), encoding="utf-8")
    # What the Learn pages replay on this run: a sample of its rows, the map's projection, the sweep.
    (staging / "learn.json").write_text(json.dumps(RunSample.of(result).to_json()), encoding="utf-8")
    final = store.result_dir(run, attempt)
    shutil.rmtree(final, ignore_errors=True)
    staging.rename(final)  # the result appears whole or not at all
    if not store.finish_cluster(
        run.id,
        attempt,
        result.k,
        result.recommended_k,
        result.recommendation.confidence,
        len(result.clusters),
        result.table.frame.shape[1],
    ):
        shutil.rmtree(final, ignore_errors=True)  # superseded while finishing
        raise JobCancelled()


def _annotations(store: RunStore, run: Run) -> dict[str, Any]:
    path = store.folder(run.id) / ANNOTATIONS
    try:
        found = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def _earlier(store: RunStore, run: Run, said: dict[str, Any]) -> ClusterResult | None:
    """The current result, when this job only renames it (same settings and columns as then)."""
    if run.result_attempt is None or said.get("relabel_from") != run.result_attempt:
        return None
    if said.get("basis") != basis_of(run):
        return None
    path = store.result_dir(run) / RESULT_PICKLE
    if not path.exists():
        return None
    try:  # written by _cluster above for this run, never user data
        result = pickle.loads(path.read_bytes())
    except Exception as err:  # e.g. kept by an older ClusterLab: clustering again gives the same result
        log.warning("kept result of run %s unreadable (%s); clustering again", run.id[:8], err)
        return None
    return result if isinstance(result, ClusterResult) else None


def _drop_old(folder: Path, prefix: str, keep: int) -> None:
    for old in folder.glob(f"{prefix}*"):
        if old.name != f"{prefix}{keep}":
            shutil.rmtree(old, ignore_errors=True)
