"""The JSON API: start a run with a file and options, follow it, download its files.

Every error is ``{"error": "...", "detail": ...}`` with a 4xx status (see :mod:`.errors`). Runs belong
to the caller's owner cookie, as in the browser; someone else's run answers 404.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, JSONResponse, Response
from pydantic import BaseModel, Field

from ..core.errors import ClusterLabError, SettingsError
from ..core.roles.column_roles import ROLES
from ..core.settings import SETTINGS, Settings
from ..samples import SAMPLES
from .downloads import file_response, listed_files
from .forms import parse_settings_form
from .owners import owned_run
from .progress import stage_title
from .storage import Run
from .uploads import refuse_declared_oversize, store_sample, store_upload, uploaded_file

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

_RESERVED = {"file", "sample", "roles", "exclude", "ordinal", "label", "sheet"}


def _settings_schema() -> dict[str, Any]:
    """The multipart body of POST /api/runs, generated from the core settings table."""
    properties: dict[str, Any] = {
        "file": {
            "type": "string",
            "format": "binary",
            "description": ".xlsx, .xls, .csv, .tsv, .txt or .parquet",
        },
        "sample": {
            "type": "string",
            "enum": list(SAMPLES),
            "description": "a bundled sample instead of a file",
        },
        "roles": {
            "type": "string",
            "description": 'JSON object column -> role, e.g. {"Region": "categorical"}',
        },
        "exclude": {"type": "string", "description": "columns to leave out: JSON list or comma-separated"},
        "ordinal": {
            "type": "string",
            "description": 'JSON object column -> levels lowest first, e.g. {"Size": ["S", "M", "L"]}',
        },
        "label": {"type": "string", "description": "a column of known groups, only compared with"},
        "sheet": {"type": "string", "description": "Excel sheet to read (default: the first non-empty one)"},
    }
    for spec in SETTINGS:
        if spec.name in properties or not spec.web:
            continue
        properties[spec.name] = spec.json_schema()
    return {
        "requestBody": {
            "required": True,
            "content": {"multipart/form-data": {"schema": {"type": "object", "properties": properties}}},
        }
    }


def _state(request: Request) -> Any:
    return request.app.state.clusterlab


def _run(request: Request, run_id: str) -> Run:
    return owned_run(request, run_id)


def _json_field(form: Any, name: str, kind: type) -> Any:
    raw = form.get(name)
    if raw is None or str(raw).strip() == "":
        return None
    try:
        value = json.loads(str(raw))
    except json.JSONDecodeError:
        raise SettingsError(
            f"Field '{name}' must be JSON, e.g. {_EXAMPLES[name]}; got {str(raw)[:80]!r}.",
            detail={"field": name},
        ) from None
    if not isinstance(value, kind):
        raise SettingsError(
            f"Field '{name}' must be a JSON {kind.__name__}, e.g. {_EXAMPLES[name]}.", detail={"field": name}
        )
    return value


_EXAMPLES = {
    "roles": '{"Region": "categorical"}',
    "ordinal": '{"Size": ["S", "M", "L"]}',
    "exclude": '["notes"]',
}


def _options(form: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """Column choices and settings from the form; raises SettingsError with the field named."""
    unknown = {k: v for k, v in form.items() if k not in _RESERVED and k not in {s.name for s in SETTINGS}}
    if unknown:
        Settings.parse(unknown)  # raises "Unknown setting 'kmax'. Did you mean 'k_max'?"
    for spec in SETTINGS:
        # CLI-only settings (engine, scheduler) would otherwise be accepted and silently ignored.
        if not spec.web and spec.name not in _RESERVED and str(form.get(spec.name) or "").strip():
            raise SettingsError(
                f"Setting '{spec.name}' is not available in the web app; the server's --executor decides "
                "where jobs run (see clusterlab serve --help).",
                detail={"setting": spec.name},
            )
    roles = _json_field(form, "roles", dict) or {}
    for column, role in roles.items():
        if role not in ROLES:
            raise SettingsError(
                f"Role '{role}' for column '{column}' is unknown; use one of {', '.join(ROLES)}.",
                detail={"column": column, "role": role},
            )
    raw_exclude = str(form.get("exclude") or "").strip()
    exclude = (
        _json_field(form, "exclude", list)
        if raw_exclude.startswith("[")
        else [c.strip() for c in raw_exclude.split(",") if c.strip()]
    )
    ordinal = _json_field(form, "ordinal", dict) or {}
    for column, levels in ordinal.items():
        if not isinstance(levels, list) or len(levels) < 2:
            raise SettingsError(
                f"The order for '{column}' must be a list of at least two values, lowest first.",
                detail={"column": column},
            )
    label = str(form.get("label") or "").strip() or None
    choices = {
        "roles": roles,
        "exclude": exclude or [],
        "ordinal": {k: [str(v) for v in vs] for k, vs in ordinal.items()},
        "label": label,
    }
    settings = parse_settings_form({k: v for k, v in form.items() if isinstance(v, str)}, {})
    sheet = str(form.get("sheet") or "").strip()
    if sheet:
        settings["sheet"] = sheet
    return choices, settings


def _run_out(request: Request, run: Run) -> dict[str, Any]:
    store = _state(request).store
    files = [
        {
            "name": f["name"],
            "title": f["title"],
            "bytes": f["bytes"],
            "url": f"/api/runs/{run.id}/files/{f['name']}",
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
        "error": run.error,
        "n_rows": run.n_rows,
        "n_cols": run.n_cols,
        "k": run.k,
        "recommended_k": run.recommended_k,
        "confidence": run.confidence,
        "choices": run.choices,
        "settings": run.settings,
        "page": f"/runs/{run.id}",
        "files": files,
        "summary": summary,
    }


@router.post(
    "/runs", status_code=202, response_model=RunOut, responses=ERRORS, openapi_extra=_settings_schema()
)
async def create_run(request: Request) -> JSONResponse:
    """Upload a file (or name a sample) with options; clustering starts at once. Poll the run for progress."""
    state = _state(request)
    limit = state.config.upload_limit_bytes
    refuse_declared_oversize(request, limit)
    form = await request.form()
    choices, settings = _options(form)
    file = uploaded_file(form)
    sample_name = str(form.get("sample") or "").strip()
    owner = str(request.state.owner)
    if file is not None:
        run = await store_upload(state.store, owner, file, limit, choices=choices, settings=settings)
    elif sample_name:
        if sample_name not in SAMPLES:
            raise SettingsError(
                f"There is no sample '{sample_name}'; use one of {', '.join(SAMPLES)}.",
                detail={"sample": sample_name},
            )
        run = store_sample(state.store, owner, sample_name, choices=choices, settings=settings)
    else:
        raise ClusterLabError(
            "Send a file in the 'file' field (or a bundled sample's name in 'sample').",
            detail={"field": "file"},
        )
    state.runner.submit(run.id, "cluster", goal="results")
    out = _run_out(request, state.store.get(run.id))
    return JSONResponse(out, status_code=202, headers={"location": f"/api/runs/{run.id}"})


@router.get("/runs", response_model=list[RunOut], responses=ERRORS)
def list_runs(request: Request) -> list[dict[str, Any]]:
    """Your runs, newest first."""
    return [_run_out(request, r) for r in _state(request).store.owned_by(str(request.state.owner))]


@router.get("/runs/{run_id}", response_model=RunOut, responses=ERRORS)
def get_run(request: Request, run_id: str) -> dict[str, Any]:
    """Status, progress and, once done, the summary and the files of a run."""
    return _run_out(request, _run(request, run_id))


@router.get("/runs/{run_id}/files/{name}", response_class=FileResponse, responses=ERRORS)
def get_file(request: Request, run_id: str, name: str) -> FileResponse:
    """Download one file of the run's latest result (clustered.xlsx, clustered.csv, model.json...)."""
    return file_response(_state(request).store, _run(request, run_id), name)


@router.post("/runs/{run_id}/restart", status_code=202, response_model=RunOut, responses=ERRORS)
def restart(request: Request, run_id: str) -> JSONResponse:
    """Start a failed, cancelled or interrupted run again (a running one is left alone)."""
    run = _run(request, run_id)
    if not run.active:
        _state(request).runner.submit(
            run.id, "cluster" if run.job == "cluster" or run.has_columns else "inspect"
        )
    return JSONResponse(_run_out(request, _state(request).store.get(run.id)), status_code=202)


@router.delete("/runs/{run_id}", status_code=204, responses=ERRORS)
def delete(request: Request, run_id: str) -> Response:
    """Delete a run and every file of it."""
    run = _run(request, run_id)
    _state(request).store.delete(run.id)
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
        {"name": s.name, "title": s.title, "description": s.description, "label": s.label}
        for s in SAMPLES.values()
    ]
