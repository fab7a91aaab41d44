"""What people say about a run's clusters on the web: names, "not useful" and notes.

Stored beside the run (``annotations.json`` in its folder) with the basis they were given on (the
run's settings and column choices, and k): a later clustering of other settings starts unnamed. A
rename is a new attempt of the run's clustering job that reuses the result it renames (kept by the
job as ``result.pickle``) and writes every export again with the names (:mod:`.worker`).
"""

from __future__ import annotations

import json
from typing import Any

from .errors import not_found
from .storage import Run, RunStore

__all__ = ["ANNOTATIONS", "RESULT_PICKLE", "basis_of", "check_cluster", "save_annotation"]

ANNOTATIONS = "annotations.json"
RESULT_PICKLE = "result.pickle"


def basis_of(run: Run) -> dict[str, Any]:
    """What a clustering depends on: names given to one clustering do not carry to another."""
    return json.loads(json.dumps({"settings": run.settings, "choices": run.choices}, default=str))


def save_annotation(
    store: RunStore, run: Run, cluster: int, *, name: str, useful: bool, note: str
) -> dict[str, Any]:
    """Record what the user said about ``cluster`` of the run's current result; returns every
    annotation of that result (the job that rewrites the exports reads the same file)."""
    path = store.folder(run.id) / ANNOTATIONS
    basis = basis_of(run)
    try:
        said = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    except (OSError, ValueError):
        said = {}
    if not isinstance(said, dict) or said.get("basis") != basis or said.get("k") != run.k:
        said = {"basis": basis, "k": run.k, "clusters": {}}
    said["clusters"][str(cluster)] = {
        "name": " ".join(name.split())[:80],
        "useful": useful,
        "note": note.strip()[:500],
    }
    said["relabel_from"] = run.result_attempt
    path.write_text(json.dumps(said, ensure_ascii=False), encoding="utf-8")
    return said


def check_cluster(run: Run, cluster: int) -> None:
    """404 unless the run has a result with a cluster numbered ``cluster``."""
    if not run.has_result or run.k is None:
        raise not_found("This run has no results yet; name its clusters once it has finished.")
    if not 1 <= cluster <= run.k:
        raise not_found(f"There is no cluster {cluster}; this result's clusters are numbered 1 to {run.k}.")
