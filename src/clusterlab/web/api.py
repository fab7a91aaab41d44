"""The JSON API: start a run with a file and options, follow it, download its files.

Every error is ``{"error": "...", "detail": ...}`` with a 4xx status (see :mod:`.errors`). Runs belong
to the caller's owner cookie, as in the browser; someone else's run answers 404.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import FileResponse, JSONResponse, Response
from pydantic import BaseModel, Field

from ..core.errors import ClusterLabError, SettingsError
from ..core.settings import SETTINGS
from ..samples import SAMPLES
from .annotations import check_cluster, save_annotation
from .dependencies import AppUrls, OwnedRun, Owner, State
from .downloads import file_response, listed_files
from .form_models import ClusterNameForm, RunForm
from .progress import stage_title
from .storage import Run, RunStore
from .uploads import display_name, store_sample, store_upload
from .urls import Urls
from .wording import api_text

__all__ = ["router"]


class ErrorOut(BaseModel):
    error: str = Field(description="What went wrong and how to fix it, in one or two sentences.")
    detail: Any = Field(default=None, description="Machine-readable facts (column, setting, limit...).")


class ProgressOut(BaseModel):
    stage: str
    stage_title: str
    message: str
    fraction: float = Field(ge=0, le=1)


class FileOut(BaseModel):
    name: str
    title: str
    bytes: int
    url: str


class RunOut(BaseModel):
    id: str
    file_name: str
    created: float
    status: str = Field(description="reading, ready, queued, running, done, failed, cancelled or interrupted")
    job: str = Field(description="the latest job: 'inspect' (reading the file) or 'cluster'")
    progress: ProgressOut
    error: ErrorOut | None = None
    n_rows: int | None = None
    n_cols: int | None = None
    k: int | None = None
    recommended_k: int | None = None
    confidence: str | None = None
    choices: dict[str, Any]
    settings: dict[str, Any]
    page: str = Field(description="the run's page in the web app")
    files: list[FileOut] = []
    summary: dict[str, Any] | None = Field(default=None, description="summary.json of the latest result")


ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorOut, "description": text}
    for status, text in (
        (400, "The file or an option cannot be used."),
        (401, "An access token is needed."),
        (404, "No such run (or it belongs to someone else)."),
        (413, "The upload is over the size limit."),
        (422, "An option is invalid."),
    )
}

router = APIRouter(prefix="/api", tags=["runs"])


def _run_out(urls: Urls, store: RunStore, run: Run) -> dict[str, Any]:
    files = [
        {
            "name": f["name"],
            "title": f["title"],
            "bytes": f["bytes"],
            "url": urls("get_file", run, name=f["name"]),
        }
        for f in listed_files(store, run)
    ]
    summary = None
    if files:
        summary_path = store.result_dir(run) / "files" / "summary.json"
        summary = store.read_json(summary_path) if summary_path.exists() else None
    return {
        "id": run.id,
        "file_name": run.file_name,
        "created": run.created,
        "status": run.phase,
        "job": run.job,
        "progress": {
            "stage": run.stage,
            "stage_title": stage_title(run),
            "message": run.message,
            "fraction": round(run.fraction, 4),
        },
        "error": {**run.error, "error": api_text(run.error.get("error"))} if run.error else None,
        "n_rows": run.n_rows,
        "n_cols": run.n_cols,
        "k": run.k,
        "recommended_k": run.recommended_k,
        "confidence": run.confidence,
        "choices": run.choices,
        "settings": run.settings,
        "page": urls("open_run", run),
        "files": files,
        "summary": summary,
    }


@router.post("/runs", status_code=202, response_model=RunOut, responses=ERRORS)
def create_run(
    request: Request,
    form: Annotated[RunForm, Form(media_type="multipart/form-data")],
    state: State,
    owner: Owner,
    urls: AppUrls,
) -> JSONResponse:
    """Upload a file (or name a sample) with options; clustering starts at once. Poll the run for progress."""
    if form.file is not None and form.sample:
        raise SettingsError(
            f"Send either a file or a sample, not both: the request holds the file "
            f"'{display_name(form.file.filename)}' and the sample '{form.sample}'.",
            detail={"field": "sample"},
        )
    choices, settings = form.choices(), form.run_settings()
    if form.file is not None:
        run = store_upload(
            state.store, owner, form.file, state.config.upload_limit_bytes, choices=choices, settings=settings
        )
    elif form.sample:
        if form.sample not in SAMPLES:
            raise SettingsError(
                f"There is no sample '{form.sample}'; use one of {', '.join(SAMPLES)}.",
                detail={"sample": form.sample},
            )
        run = store_sample(state.store, owner, form.sample, choices=choices, settings=settings)
    elif request.headers.get("content-type", "").startswith("application/json"):
        raise ClusterLabError(
            "POST /api/runs takes form fields, not JSON: send the file and options as multipart/form-data "
            "(curl -F file=@data.csv -F k_max=8 ...).",
            detail={"field": "file"},
        )
    else:
        raise ClusterLabError(
            "Send a file in the 'file' field (or a bundled sample's name in 'sample').",
            detail={"field": "file"},
        )
    state.runner.submit(run.id, "cluster", goal="results")
    out = _run_out(urls, state.store, state.store.get(run.id) or run)  # re-read: now queued
    return JSONResponse(out, status_code=202, headers={"location": urls("get_run", run)})


@router.get("/runs", response_model=list[RunOut], responses=ERRORS)
def list_runs(state: State, owner: Owner, urls: AppUrls) -> list[dict[str, Any]]:
    """Your runs, newest first."""
    return [_run_out(urls, state.store, r) for r in state.store.owned_by(owner)]


@router.get("/runs/{run_id}", response_model=RunOut, responses=ERRORS)
def get_run(run: OwnedRun, state: State, urls: AppUrls) -> dict[str, Any]:
    """Status, progress and, once done, the summary and the files of a run."""
    return _run_out(urls, state.store, run)


@router.get("/runs/{run_id}/files/{name}", response_class=FileResponse, responses=ERRORS)
def get_file(run: OwnedRun, name: str, state: State) -> FileResponse:
    """Download one file of the run's latest result (clustered.xlsx, clustered.csv, model.json...)."""
    return file_response(state.store, run, name)


@router.post("/runs/{run_id}/restart", status_code=202, response_model=RunOut, responses=ERRORS)
def restart(run: OwnedRun, state: State, urls: AppUrls) -> JSONResponse:
    """Start a failed, cancelled or interrupted run again (a running one is left alone)."""
    if not run.active:
        state.runner.submit(run.id, "cluster" if run.job == "cluster" or run.has_columns else "inspect")
    out = _run_out(urls, state.store, state.store.get(run.id) or run)
    return JSONResponse(out, status_code=202)


class RunBusy(ClusterLabError):
    status_code = 409


@router.post("/runs/{run_id}/clusters/{cluster}", status_code=202, response_model=RunOut, responses=ERRORS)
def api_name_cluster(
    cluster: int, form: Annotated[ClusterNameForm, Form()], run: OwnedRun, state: State, urls: AppUrls
) -> JSONResponse:
    """Name a cluster of the run's result (``name``; blank: the suggested one), mark it not useful
    (``useful=false``) and leave a ``note``. Every export is written again with them (the run is busy
    until then: follow it as after POST /api/runs); model.json carries them to `clusterlab assign`."""
    if run.active:
        raise RunBusy(
            "This run is busy (a clustering or a rename is in progress); name its clusters when it is done.",
            detail={"phase": run.phase},
        )
    check_cluster(run, cluster)
    save_annotation(state.store, run, cluster, name=form.name, useful=form.is_useful, note=form.note)
    state.runner.submit(run.id, "cluster", goal="results")
    return JSONResponse(_run_out(urls, state.store, state.store.get(run.id) or run), status_code=202)


@router.delete("/runs/{run_id}", status_code=204, responses=ERRORS)
def delete(run: OwnedRun, state: State) -> Response:
    """Delete a run and every file of it."""
    state.store.delete(run.id)
    return Response(status_code=204)


@router.get("/settings", tags=["reference"])
def settings_table() -> list[dict[str, Any]]:
    """Every clustering setting: name, default, help, kind, bounds and choices."""
    return [
        {
            "name": s.name,
            "default": s.default,
            "help": s.help,
            "kind": s.accepts.kind,
            "accepts": s.accepts.describe(),
            "schema": s.accepts.json_schema(),
        }
        for s in SETTINGS
    ]


@router.get("/samples", tags=["reference"])
def samples() -> list[dict[str, Any]]:
    """The bundled samples (use a name as the 'sample' field of POST /api/runs)."""
    return [
        {
            "name": s.name,
            "title": s.title,
            "description": s.description,
            "label": s.label,
            "use_case": s.use_case,
            "settings": s.settings,
        }
        for s in SAMPLES.values()
    ]
