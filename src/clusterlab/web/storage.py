"""Runs on disk: one SQLite database (WAL) for metadata and status, one folder per run for files.

A run is one uploaded table and everything done with it: the column choices, the settings, and the
latest clustering. Its folder holds the upload under a server-chosen name, what reading it found
(``inspect-N/``) and the outputs of the latest finished clustering (``result-N/``), where N is the
attempt that wrote it. Worker processes write progress here too, so every process opens its own
connection; WAL lets the web server read while a worker writes.

Phases: ``reading`` -> ``ready`` (or ``read_failed``) -> ``queued`` -> ``running`` -> ``done`` (or
``failed`` / ``cancelled``). A run caught in ``reading``, ``queued`` or ``running`` when the server
stops becomes ``interrupted`` (as the server stops, or at the next start) and can be started again.

Every write a job makes names its attempt and is ignored once the run has moved on to a newer one;
starting a job and marking a run interrupted both open a new attempt, so a job that outlived its
server can never change a run behind the next server's back.
"""

from __future__ import annotations

import json
import secrets
import shutil
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["ACTIVE_PHASES", "CANCELLED", "Run", "RunStore", "TooManyActive"]

ACTIVE_PHASES = ("reading", "queued", "running")
CANCELLED = {"error": "Cancelled; start it again whenever you like.", "detail": {}}
INTERRUPTED = {
    "error": "The server stopped while this run was in progress; nothing you uploaded was lost. Start it "
    "again to continue.",
    "detail": {"reason": "interrupted"},
}
_ACTIVE = f"phase IN ({', '.join(repr(p) for p in ACTIVE_PHASES)})"


class TooManyActive(Exception):
    """The owner already has ``limit`` runs reading, queued or running (see :meth:`RunStore.start_job`)."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"{limit} runs in progress")
        self.limit = limit


_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    created REAL NOT NULL,
    updated REAL NOT NULL,
    file_name TEXT NOT NULL,
    stored_name TEXT NOT NULL,
    size INTEGER NOT NULL DEFAULT 0,
    sample TEXT,
    phase TEXT NOT NULL,
    job TEXT NOT NULL DEFAULT 'inspect',
    goal TEXT NOT NULL DEFAULT 'k',
    attempt INTEGER NOT NULL DEFAULT 0,
    inspect_attempt INTEGER,
    result_attempt INTEGER,
    stage TEXT NOT NULL DEFAULT '',
    message TEXT NOT NULL DEFAULT '',
    fraction REAL NOT NULL DEFAULT 0,
    cancel INTEGER NOT NULL DEFAULT 0,
    error TEXT,
    choices TEXT NOT NULL DEFAULT '{}',
    settings TEXT NOT NULL DEFAULT '{}',
    n_rows INTEGER,
    n_cols INTEGER,
    k INTEGER,
    recommended_k INTEGER,
    confidence TEXT
);
CREATE INDEX IF NOT EXISTS runs_owner ON runs (owner, created);
"""


@dataclass
class Run:
    """One row of the runs table, with JSON columns decoded."""

    id: str
    owner: str
    created: float
    updated: float
    file_name: str
    stored_name: str
    size: int
    sample: str | None
    phase: str
    job: str
    goal: str
    attempt: int
    inspect_attempt: int | None
    result_attempt: int | None
    stage: str
    message: str
    fraction: float
    cancel: int
    error: dict[str, Any] | None
    choices: dict[str, Any] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)
    n_rows: int | None = None
    n_cols: int | None = None
    k: int | None = None
    recommended_k: int | None = None
    confidence: str | None = None

    @property
    def active(self) -> bool:
        return self.phase in ACTIVE_PHASES

    @property
    def has_columns(self) -> bool:
        return self.inspect_attempt is not None

    @property
    def has_result(self) -> bool:
        return self.result_attempt is not None

    @property
    def failed_on_input(self) -> bool:
        """Failed on the file or the column choices (a :class:`~clusterlab.core.errors.ClusterLabError`):
        starting it again as it is fails the same way, so the pages offer another file, or other
        columns, instead. Not after a crash, a limit or an interruption, nor for a run failed before
        errors said their cause."""
        return self.phase == "failed" and (self.error or {}).get("cause") == "input"


class RunStore:
    """The runs database and folders under ``data_dir``; safe to use from several processes."""

    def __init__(self, data_dir: str | Path) -> None:
        self.data_dir = Path(data_dir)
        self.runs_dir = self.data_dir / "runs"
        self.db_path = self.data_dir / "runs.sqlite3"

    # --- setup ----------------------------------------------------------------------------------------
    def init(self) -> RunStore:
        """Create the folders and schema (idempotent) and switch the database to WAL."""
        self.runs_dir.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(_SCHEMA)
        return self

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.db_path, timeout=30, isolation_level=None)
        db.row_factory = sqlite3.Row
        db.execute("PRAGMA busy_timeout=30000")
        db.execute("PRAGMA synchronous=NORMAL")
        try:
            yield db
        finally:
            db.close()

    def _update(self, run_id: str, where: str = "", params: tuple[Any, ...] = (), **values: Any) -> bool:
        values["updated"] = time.time()
        for key in ("error", "choices", "settings"):
            if key in values and values[key] is not None and not isinstance(values[key], str):
                values[key] = json.dumps(values[key])
        assignments = ", ".join(f"{k} = ?" for k in values)
        with self._connect() as db:
            cursor = db.execute(
                f"UPDATE runs SET {assignments} WHERE id = ? {where}", (*values.values(), run_id, *params)
            )
            return cursor.rowcount > 0

    # --- runs -----------------------------------------------------------------------------------------
    def create(
        self,
        owner: str,
        file_name: str,
        suffix: str,
        *,
        sample: str | None = None,
        choices: dict[str, Any] | None = None,
        settings: dict[str, Any] | None = None,
    ) -> Run:
        """A new run with an unguessable id and its folder; the caller then writes :meth:`upload_path`."""
        run_id = secrets.token_urlsafe(16)  # 128 random bits: ids cannot be guessed or enumerated
        stored = "upload" + suffix.lower()
        now = time.time()
        self.folder(run_id).mkdir(parents=True)
        with self._connect() as db:
            db.execute(
                "INSERT INTO runs (id, owner, created, updated, file_name, stored_name, sample, phase, "
                "choices, settings) VALUES (?, ?, ?, ?, ?, ?, ?, 'reading', ?, ?)",
                (
                    run_id,
                    owner,
                    now,
                    now,
                    file_name,
                    stored,
                    sample,
                    json.dumps(choices or {}),
                    json.dumps(settings or {}),
                ),
            )
        return self.get(run_id)  # type: ignore[return-value]

    def get(self, run_id: str, owner: str | None = None) -> Run | None:
        """The run, or None when it does not exist or (with ``owner``) belongs to someone else."""
        with self._connect() as db:
            row = db.execute("SELECT * FROM runs WHERE id = ?", (run_id,)).fetchone()
        if row is None or (owner is not None and not secrets.compare_digest(row["owner"], owner)):
            return None
        return _decode(row)

    def owned_by(self, owner: str, limit: int = 200) -> list[Run]:
        with self._connect() as db:
            rows = db.execute(
                "SELECT * FROM runs WHERE owner = ? ORDER BY created DESC LIMIT ?", (owner, limit)
            ).fetchall()
        return [_decode(r) for r in rows]

    def delete(self, run_id: str) -> None:
        with self._connect() as db:
            db.execute("DELETE FROM runs WHERE id = ?", (run_id,))
        shutil.rmtree(self.folder(run_id), ignore_errors=True)

    def set_size(self, run_id: str, size: int) -> None:
        self._update(run_id, size=size)

    def save_choices(self, run_id: str, choices: dict[str, Any]) -> None:
        self._update(run_id, choices=choices)

    def save_settings(self, run_id: str, settings: dict[str, Any]) -> None:
        self._update(run_id, settings=settings)

    # --- jobs -----------------------------------------------------------------------------------------
    def start_job(
        self, run_id: str, job: str, goal: str | None = None, *, most_active: int | None = None
    ) -> int:
        """Queue a new attempt of ``job`` ('inspect' or 'cluster'); returns the attempt number.

        Writes from an older attempt's worker are ignored from now on (every job write checks it).
        ``most_active``: refuse (:class:`TooManyActive`) when the run's owner already has that many
        other runs with a job in progress; counted and started in one transaction, so two requests at
        once cannot both take the last place.
        """
        with self._connect() as db:
            db.execute("BEGIN IMMEDIATE")
            row = db.execute("SELECT owner, attempt, goal FROM runs WHERE id = ?", (run_id,)).fetchone()
            if most_active:
                # attempt > 0: a run just created for this job is not counted until it has started one
                (active,) = db.execute(
                    f"SELECT COUNT(*) FROM runs WHERE owner = ? AND id != ? AND attempt > 0 AND {_ACTIVE}",
                    (row["owner"], run_id),
                ).fetchone()
                if active >= most_active:
                    db.execute("ROLLBACK")
                    raise TooManyActive(most_active)
            attempt = int(row["attempt"]) + 1
            phase = "reading" if job == "inspect" else "queued"
            db.execute(
                "UPDATE runs SET attempt = ?, job = ?, goal = ?, phase = ?, stage = '', message = ?, "
                "fraction = 0, cancel = 0, error = NULL, updated = ? WHERE id = ?",
                (
                    attempt,
                    job,
                    goal or row["goal"],
                    phase,
                    "waiting for a free worker",
                    time.time(),
                    run_id,
                ),
            )
            db.execute("COMMIT")
        return attempt

    def progress(self, run_id: str, attempt: int, stage: str, message: str, fraction: float) -> bool:
        """Record progress; returns False when the user asked to cancel (or a newer attempt started)."""
        self._update(
            run_id,
            f"AND attempt = ? AND {_ACTIVE}",
            (attempt,),
            stage=stage,
            message=message[:300],
            fraction=max(0.0, min(1.0, fraction)),
        )
        with self._connect() as db:
            row = db.execute("SELECT attempt, cancel FROM runs WHERE id = ?", (run_id,)).fetchone()
        return row is not None and row["attempt"] == attempt and not row["cancel"]

    def mark_running(self, run_id: str, attempt: int) -> bool:
        return self._update(
            run_id, "AND attempt = ? AND phase = 'queued'", (attempt,), phase="running", message="starting"
        )

    def finish_inspect(
        self, run_id: str, attempt: int, n_rows: int, n_cols: int, *, ready: bool = True
    ) -> bool:
        """Record what reading found; ``ready=False`` when a clustering job read the file on the way."""
        done = {"phase": "ready", "fraction": 1.0, "stage": "", "message": "", "error": None} if ready else {}
        return self._update(
            run_id,
            "AND attempt = ?",
            (attempt,),
            inspect_attempt=attempt,
            n_rows=n_rows,
            n_cols=n_cols,
            **done,
        )

    def finish_cluster(
        self, run_id: str, attempt: int, k: int, recommended_k: int, confidence: str, n_rows: int, n_cols: int
    ) -> bool:
        done = self._update(
            run_id,
            "AND attempt = ?",
            (attempt,),
            phase="done",
            result_attempt=attempt,
            k=k,
            recommended_k=recommended_k,
            confidence=confidence,
            n_rows=n_rows,
            n_cols=n_cols,
            fraction=1.0,
            stage="",
            message="",
            error=None,
        )
        if done:  # keep only the newest result folder
            for old in self.folder(run_id).glob("result-*"):
                if old.name != f"result-{attempt}":
                    shutil.rmtree(old, ignore_errors=True)
        return done

    def fail(
        self,
        run_id: str,
        attempt: int,
        error: dict[str, Any],
        phase: str = "failed",
        *,
        only_active: bool = False,
    ) -> bool:
        """Record a failed (or cancelled) attempt; the message is what the user sees."""
        where = "AND attempt = ?" + (f" AND {_ACTIVE}" if only_active else "")
        return self._update(run_id, where, (attempt,), phase=phase, error=error, stage="")

    def request_cancel(self, run_id: str) -> None:
        """Ask a running job to stop at its next progress step; a run still waiting for a worker is
        cancelled at once (its job, when a worker takes it, finds it no longer active and does nothing)."""
        self._update(run_id, "AND phase = 'queued'", phase="cancelled", error=CANCELLED, stage="")
        self._update(run_id, "AND phase = 'running'", cancel=1)

    def recover(self) -> list[str]:
        """Runs left reading, queued or running become 'interrupted', in a new attempt.

        Called as the server stops and again as it starts. The new attempt is what makes it final: a
        job of the old server still running somewhere (a worker that outlived a ``kill -9``) has every
        later write refused, so the run cannot turn 'done' or 'failed' behind the new server's back.
        """
        with self._connect() as db:
            db.execute("BEGIN IMMEDIATE")
            ids = [r["id"] for r in db.execute(f"SELECT id FROM runs WHERE {_ACTIVE}").fetchall()]
            db.execute(
                f"UPDATE runs SET attempt = attempt + 1, phase = 'interrupted', stage = '', cancel = 0, "
                f"error = ?, updated = ? WHERE {_ACTIVE}",
                (json.dumps(INTERRUPTED), time.time()),
            )
            db.execute("COMMIT")
        return ids

    # --- files ----------------------------------------------------------------------------------------
    def folder(self, run_id: str) -> Path:
        return self.runs_dir / run_id

    def upload_path(self, run: Run) -> Path:
        return self.folder(run.id) / run.stored_name

    def inspect_dir(self, run: Run, attempt: int | None = None) -> Path:
        return self.folder(run.id) / f"inspect-{attempt if attempt is not None else run.inspect_attempt}"

    def result_dir(self, run: Run, attempt: int | None = None) -> Path:
        return self.folder(run.id) / f"result-{attempt if attempt is not None else run.result_attempt}"

    def read_json(self, path: Path) -> Any:
        return json.loads(path.read_text(encoding="utf-8"))


def _decode(row: sqlite3.Row) -> Run:
    data = dict(row)
    data["error"] = json.loads(data["error"]) if data["error"] else None
    data["choices"] = json.loads(data["choices"] or "{}")
    data["settings"] = json.loads(data["settings"] or "{}")
    return Run(**data)
