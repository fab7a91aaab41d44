"""The HTML pages: the five steps (each its own URL), "My runs", sign-in and downloads.

Step URLs: ``/`` upload, ``/runs/{id}/columns`` data overview, ``/runs/{id}/order`` order categories,
``/runs/{id}/k`` choose k, ``/runs/{id}/results``. Every form works without JavaScript (a POST then a
redirect); HTMX makes uploads show progress, role changes apply in place and progress bars live.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from ..core.errors import ClusterLabError, SettingsError
from ..core.settings import SETTINGS
from ..samples import SAMPLES
from .errors import not_found
from .forms import (
    ROLE_CHOICES,
    ROLE_HINTS,
    column_state,
    effective_role,
    order_candidates,
    order_from_form,
    parse_k,
    parse_settings_form,
    set_choice,
    settings_fields,
)
from .inspection import check_column_choice
from .owners import ACCESS_COOKIE, cookie_header
from .storage import Run
from .uploads import UploadTooLarge, check_upload_name, copy_sample, copy_upload, display_name

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

STAGE_WORDS = {
    "read": "Reading the file",
    "roles": "Detecting column roles",
    "encode": "Preparing the columns",
    "sweep": "Trying each k",
    "fit": "Fitting the final clusters",
    "profile": "Describing the clusters",
    "write": "Writing the downloads",
}


# --- helpers ---------------------------------------------------------------------------------------
def _state(request: Request) -> Any:
    return request.app.state.clusterlab


def _owner(request: Request) -> str:
    return str(request.state.owner)


def _run(request: Request, run_id: str) -> Run:
    run = _state(request).store.get(run_id, owner=_owner(request))
    if run is None:
        raise not_found()
    return run


def _render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    return request.app.state.templates.TemplateResponse(request, template, context, status_code=status)


def _go(request: Request, url: str) -> Response:
    """Redirect after a POST; HTMX requests get HX-Redirect so the whole page changes."""
    if request.headers.get("hx-request"):
        return Response(status_code=200, headers={"HX-Redirect": url})
    return RedirectResponse(url, status_code=303)


def _inspection(request: Request, run: Run) -> tuple[dict, list[dict], dict] | None:
    if run.inspect_attempt is None:
        return None
    store = _state(request).store
    folder = store.inspect_dir(run)
    try:
        return (
            store.read_json(folder / "table.json"),
            store.read_json(folder / "columns.json"),
            store.read_json(folder / "preview.json"),
        )
    except FileNotFoundError:
        return None


def _view(request: Request, run: Run) -> dict | None:
    if run.result_attempt is None:
        return None
    store = _state(request).store
    try:
        return store.read_json(store.result_dir(run) / "view.json")
    except FileNotFoundError:
        return None


def _order_needed(columns: list[dict], choices: dict) -> bool:
    can, _ = order_candidates(columns, choices)
    return bool(can)


def _steps(run: Run | None, columns: list[dict] | None, current: int) -> list[dict[str, Any]]:
    """The stepper: each step's title, link (when reachable) and state."""
    needs_order = bool(columns) and _order_needed(columns or [], run.choices if run else {})
    base = f"/runs/{run.id}" if run else ""
    reachable = {
        1: "/",
        2: f"{base}/columns" if run else None,
        3: f"{base}/order" if run and run.has_columns and needs_order else None,
        4: f"{base}/k" if run and run.has_columns else None,
        5: f"{base}/results" if run and run.has_result else None,
    }
    titles = ["Upload", "Your data", "Order categories", "Choose k", "Results"]
    steps = []
    for number, title in enumerate(titles, start=1):
        skipped = number == 3 and run is not None and run.has_columns and not needs_order
        steps.append(
            {
                "number": number,
                "title": title,
                "url": reachable[number],
                "current": number == current,
                "done": number < current,
                "skipped": skipped,
            }
        )
    return steps


def _where(run: Run) -> str:
    """The page a run naturally opens on."""
    if run.job == "inspect" or not run.has_columns:
        return f"/runs/{run.id}/columns"
    if run.active or run.phase in ("failed", "cancelled", "interrupted") or not run.has_result:
        return f"/runs/{run.id}/k"
    return f"/runs/{run.id}/results"


def _progress_context(run: Run) -> dict[str, Any]:
    return {
        "percent": round(run.fraction * 100),
        "stage": STAGE_WORDS.get(
            run.stage, "Waiting for a free worker" if run.phase == "queued" else "Starting"
        ),
    }


# --- step 1: upload ---------------------------------------------------------------------------------
@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> HTMLResponse:
    recent = _state(request).store.owned_by(_owner(request), limit=3)
    return _render(
        request, "upload.html", steps=_steps(None, None, 1), samples=SAMPLES.values(), recent=recent
    )


@router.post("/upload")
async def upload(request: Request) -> Response:
    state = _state(request)
    limit = state.config.upload_limit_bytes
    declared = getattr(request.state, "upload_too_large", None)
    if declared:
        raise UploadTooLarge(limit, declared)
    form = await request.form()
    file = form.get("file")
    if file is None or isinstance(file, str) or not file.filename:
        raise ClusterLabError("Choose a file first (.xlsx, .csv, .tsv, .parquet), or try one of the samples.")
    name = display_name(file.filename)
    suffix = check_upload_name(name)
    run = state.store.create(_owner(request), name, suffix)
    try:
        size = await run_in_threadpool(copy_upload, file.file, state.store.upload_path(run), limit, name)
    except BaseException:
        state.store.delete(run.id)
        raise
    finally:
        await file.close()
    state.store.set_size(run.id, size)
    state.runner.submit(run.id, "inspect")
    return _go(request, f"/runs/{run.id}/columns")


@router.post("/samples/{name}")
def sample(request: Request, name: str) -> Response:
    if name not in SAMPLES:
        raise not_found(f"There is no sample called '{name}'; try one of: {', '.join(SAMPLES)}.")
    state = _state(request)
    chosen = SAMPLES[name]
    choices: dict[str, Any] = {
        "roles": {},
        "exclude": [],
        "ordinal": dict(chosen.ordinal),
        "label": chosen.label,
    }
    run = state.store.create(
        _owner(request), chosen.file, Path(chosen.file).suffix, sample=name, choices=choices
    )
    state.store.set_size(run.id, copy_sample(chosen.path, state.store.upload_path(run)))
    state.runner.submit(run.id, "inspect")
    return _go(request, f"/runs/{run.id}/columns")


# --- my runs ------------------------------------------------------------------------------------------
@router.get("/runs", response_class=HTMLResponse)
def runs(request: Request) -> HTMLResponse:
    listed = _state(request).store.owned_by(_owner(request))
    return _render(request, "runs.html", runs=listed, where=_where)


@router.get("/runs/{run_id}")
def open_run(request: Request, run_id: str) -> Response:
    return RedirectResponse(_where(_run(request, run_id)), status_code=303)


@router.post("/runs/{run_id}/delete")
def delete_run(request: Request, run_id: str) -> Response:
    run = _run(request, run_id)
    _state(request).store.delete(run.id)
    return _go(request, "/runs")


@router.post("/runs/{run_id}/cancel")
def cancel_run(request: Request, run_id: str) -> Response:
    run = _run(request, run_id)
    _state(request).store.request_cancel(run.id)
    return _go(request, f"/runs/{run.id}/k")


@router.post("/runs/{run_id}/restart")
def restart_run(request: Request, run_id: str) -> Response:
    run = _run(request, run_id)
    state = _state(request)
    if run.active:
        return _go(request, _where(run))
    job = "inspect" if not run.has_columns else "cluster"
    state.runner.submit(run.id, job)
    return _go(request, _where(state.store.get(run.id)))


@router.get("/runs/{run_id}/progress", response_class=HTMLResponse)
def progress(request: Request, run_id: str) -> Response:
    run = _run(request, run_id)
    if run.active:
        return _render(request, "partials/progress.html", run=run, **_progress_context(run))
    if run.job == "cluster" and run.phase == "done":
        target = f"/runs/{run.id}/{'results' if run.goal == 'results' else 'k'}"
    else:
        target = _where(run)
    return Response(status_code=200, headers={"HX-Redirect": target})


# --- step 2: the data overview ----------------------------------------------------------------------
@router.get("/runs/{run_id}/columns", response_class=HTMLResponse)
def columns_page(request: Request, run_id: str) -> HTMLResponse:
    run = _run(request, run_id)
    found = _inspection(request, run)
    if found is None or (run.job == "inspect" and run.active):
        return _render(
            request,
            "columns.html",
            run=run,
            steps=_steps(run, None, 2),
            reading=True,
            **_progress_context(run),
        )
    facts, columns, preview = found
    return _columns(request, run, facts, columns, preview)


def _columns(
    request: Request,
    run: Run,
    facts: dict,
    columns: list[dict],
    preview: dict,
    errors: dict[int, str] | None = None,
    status: int = 200,
    message: str | None = None,
) -> HTMLResponse:
    state = column_state(columns, run.choices)
    counts: dict[str, int] = {}
    for column in state:
        counts[column["current"]] = counts.get(column["current"], 0) + 1
    used = sum(
        1
        for c in state
        if c["current"] in ("numeric", "binary", "categorical", "ordinal", "text", "datetime")
    )
    return _render(
        request,
        "columns.html",
        status=status,
        run=run,
        steps=_steps(run, columns, 2),
        reading=False,
        facts=facts,
        columns=state,
        preview=preview,
        roles=ROLE_CHOICES,
        hints=ROLE_HINTS,
        errors=errors or {},
        used=used,
        message=message,
        next_url=f"/runs/{run.id}/order" if _order_needed(columns, run.choices) else f"/runs/{run.id}/k",
    )


def _apply_role(request: Request, run: Run, column: dict, role: str) -> dict:
    """Check one column's new role against its data; returns the new choices or raises SettingsError."""
    choices = set_choice(run.choices, column, role)
    if role != column["role"] and role not in ("ordinal",):
        check_column_choice(_state(request).store.inspect_dir(run), column["name"], role)
    return choices


@router.post("/runs/{run_id}/columns/{index}", response_class=HTMLResponse)
async def change_column(request: Request, run_id: str, index: int) -> Response:
    """One column's role changed (HTMX): check it against the data and answer with the updated row."""
    run = _run(request, run_id)
    found = _inspection(request, run)
    if found is None or not 0 <= index < len(found[1]):
        raise not_found("This column is not part of the file; reload the page.")
    _, columns, _ = found
    column = columns[index]
    form = await request.form()
    role = str(form.get(f"role_{index}") or form.get("role") or column["role"])
    previous_label = run.choices.get("label")
    error = None
    try:
        choices = await run_in_threadpool(_apply_role, request, run, column, role)
        _state(request).store.save_choices(run.id, choices)
        run.choices = choices
    except SettingsError as err:
        error = err.message
    if error is None and role == "label" and previous_label and previous_label != column["name"]:
        # Only one column can hold the known groups: the page redraws to show the other one released.
        return Response(status_code=200, headers={"HX-Refresh": "true"})
    row = column_state(columns, run.choices)[index]
    return _render(
        request,
        "partials/column_row.html",
        run=run,
        column=row,
        roles=ROLE_CHOICES,
        hints=ROLE_HINTS,
        error=error,
    )


@router.post("/runs/{run_id}/columns")
async def save_columns(request: Request, run_id: str) -> Response:
    """The whole overview form (also the path without JavaScript): apply every role, then move on."""
    run = _run(request, run_id)
    found = _inspection(request, run)
    if found is None:
        return _go(request, f"/runs/{run.id}/columns")
    facts, columns, preview = found
    form = await request.form()
    choices = dict(run.choices)
    errors: dict[int, str] = {}
    for index, column in enumerate(columns):
        role = form.get(f"role_{index}")
        if role is None or role == effective_role(column, choices):
            continue
        try:
            run.choices = choices
            choices = await run_in_threadpool(_apply_role, request, run, column, str(role))
        except SettingsError as err:
            errors[index] = err.message
    run.choices = choices
    if errors:
        return _columns(
            request,
            run,
            facts,
            columns,
            preview,
            errors,
            422,
            "Some columns cannot take the role chosen; see below.",
        )
    state = _state(request)
    state.store.save_choices(run.id, choices)
    if _order_needed(columns, choices):
        return _go(request, f"/runs/{run.id}/order")
    state.runner.submit(run.id, "cluster", goal="k")
    return _go(request, f"/runs/{run.id}/k")


@router.post("/runs/{run_id}/sheet")
async def choose_sheet(request: Request, run_id: str) -> Response:
    run = _run(request, run_id)
    found = _inspection(request, run)
    sheet = str((await request.form()).get("sheet", ""))
    if found is None or sheet not in found[0].get("sheets", []):
        raise ClusterLabError(f"The workbook has no sheet named '{sheet}'.")
    state = _state(request)
    state.store.save_settings(run.id, {**run.settings, "sheet": sheet})
    state.store.save_choices(run.id, {})  # columns of another sheet: earlier choices do not apply
    state.runner.submit(run.id, "inspect")
    return _go(request, f"/runs/{run.id}/columns")


# --- step 3: order categories ---------------------------------------------------------------------------
@router.get("/runs/{run_id}/order", response_class=HTMLResponse)
def order_page(request: Request, run_id: str) -> Response:
    run = _run(request, run_id)
    found = _inspection(request, run)
    if found is None:
        return RedirectResponse(f"/runs/{run.id}/columns", status_code=303)
    return _order(request, run, found[1])


def _order(
    request: Request, run: Run, columns: list[dict], errors: dict[int, str] | None = None, status: int = 200
) -> HTMLResponse:
    can, too_many = order_candidates(columns, run.choices)
    for column in can:
        levels = column["levels"]
        rank = {level: i for i, level in enumerate(column["order"] or [])}
        shown = sorted(range(len(levels)), key=lambda j: rank.get(levels[j][0], len(rank) + j))
        column["items"] = [
            {"j": j, "level": levels[j][0], "count": levels[j][1], "position": p}
            for p, j in enumerate(shown, start=1)
        ]
    return _render(
        request,
        "order.html",
        status=status,
        run=run,
        steps=_steps(run, columns, 3),
        candidates=can,
        too_many=too_many,
        errors=errors or {},
    )


@router.post("/runs/{run_id}/order")
async def save_order(request: Request, run_id: str) -> Response:
    run = _run(request, run_id)
    found = _inspection(request, run)
    if found is None:
        return _go(request, f"/runs/{run.id}/columns")
    columns = found[1]
    form = await request.form()
    can, _ = order_candidates(columns, run.choices)
    choices = dict(run.choices)
    ordinal = dict(choices.get("ordinal") or {})
    errors: dict[int, str] = {}
    folder = _state(request).store.inspect_dir(run)
    for column in can:
        name = column["name"]
        try:
            order = None if form.get("skip") else order_from_form(form, column)
            if order is None:
                ordinal.pop(name, None)
                continue
            await run_in_threadpool(check_column_choice, folder, name, "ordinal", order)
            ordinal[name] = order
        except SettingsError as err:
            errors[column["index"]] = err.message
    choices["ordinal"] = ordinal
    roles = dict(choices.get("roles") or {})
    for name in ordinal:
        roles.pop(name, None)  # the order decides: an ordered column is ordinal whatever step 2 said
    choices["roles"] = roles
    run.choices = choices
    if errors:
        return _order(request, run, columns, errors, 422)
    state = _state(request)
    state.store.save_choices(run.id, choices)
    state.runner.submit(run.id, "cluster", goal="k")
    return _go(request, f"/runs/{run.id}/k")


# --- step 4: choose k -------------------------------------------------------------------------------------
@router.get("/runs/{run_id}/k", response_class=HTMLResponse)
def k_page(request: Request, run_id: str) -> Response:
    run = _run(request, run_id)
    found = _inspection(request, run)
    if found is None and not run.active:
        return RedirectResponse(f"/runs/{run.id}/columns", status_code=303)
    return _k(request, run, found[1] if found else None)


def _k(
    request: Request,
    run: Run,
    columns: list[dict] | None,
    form_error: SettingsError | None = None,
    status: int = 200,
) -> HTMLResponse:
    view = _view(request, run)
    current = {**run.settings}
    return _render(
        request,
        "k.html",
        status=status,
        run=run,
        steps=_steps(run, columns, 4),
        view=view,
        fields=settings_fields(current),
        k_spec=next(s for s in SETTINGS if s.name == "k"),
        form_error=form_error,
        error_setting=(form_error.detail or {}).get("setting") if form_error else None,
        **_progress_context(run),
    )


@router.post("/runs/{run_id}/cluster")
async def start_cluster(request: Request, run_id: str) -> Response:
    """Run (again) with the options form's settings."""
    run = _run(request, run_id)
    form = await request.form()
    if run.active:
        return _go(request, f"/runs/{run.id}/k")
    try:
        settings = parse_settings_form(form, run.settings)
    except SettingsError as err:
        found = _inspection(request, run)
        return _k(request, run, found[1] if found else None, err, 422)
    # New options mean a new sweep: k goes back to "auto" and the page shows the new recommendation.
    settings.pop("k", None)
    if run.settings.get("sheet"):
        settings["sheet"] = run.settings["sheet"]
    state = _state(request)
    state.store.save_settings(run.id, settings)
    state.runner.submit(run.id, "cluster", goal="k")
    return _go(request, f"/runs/{run.id}/k")


@router.post("/runs/{run_id}/choose")
async def choose_k(request: Request, run_id: str) -> Response:
    """The person picked a k: show it, fitting it first when it is not the one already fitted."""
    run = _run(request, run_id)
    form = await request.form()
    try:
        k = parse_k(form.get("k", "auto"))
    except SettingsError as err:
        found = _inspection(request, run)
        return _k(request, run, found[1] if found else None, err, 422)
    if run.active:
        return _go(request, f"/runs/{run.id}/k")
    if run.has_result and (k == run.k or (k == "auto" and run.k == run.recommended_k)):
        return _go(request, f"/runs/{run.id}/results")
    state = _state(request)
    state.store.save_settings(run.id, {**run.settings, "k": k})
    state.runner.submit(run.id, "cluster", goal="results")
    return _go(request, f"/runs/{run.id}/k")


# --- step 5: results ------------------------------------------------------------------------------------------
@router.get("/runs/{run_id}/results", response_class=HTMLResponse)
def results_page(request: Request, run_id: str) -> Response:
    run = _run(request, run_id)
    view = _view(request, run)
    if view is None:
        return RedirectResponse(f"/runs/{run.id}/k", status_code=303)
    found = _inspection(request, run)
    return _render(
        request,
        "results.html",
        run=run,
        steps=_steps(run, found[1] if found else None, 5),
        view=view,
        **_progress_context(run),
    )


@router.get("/runs/{run_id}/files/{name}")
def download(request: Request, run_id: str, name: str) -> FileResponse:
    run = _run(request, run_id)
    return file_response(request, run, name)


def file_response(request: Request, run: Run, name: str) -> FileResponse:
    """A file of the run's latest result, by name; only names the result listed can be fetched."""
    view = _view(request, run)
    listed = {f["name"] for f in (view or {}).get("files", [])}
    if name not in listed:
        raise not_found(
            f"This run has no file called '{name}'"
            + (f"; it has {', '.join(sorted(listed))}." if listed else ".")
        )
    path = _state(request).store.result_dir(run) / "files" / name
    stem = Path(run.file_name).stem or "clusterlab"
    download_name = name if name in ("model.json", "summary.json") else f"{stem}-{name}"
    return FileResponse(path, filename=download_name)


# --- sign in (only with an access token) ----------------------------------------------------------------------
def _safe_next(target: str | None) -> str:
    parts = urlsplit(target or "/")
    if parts.scheme or parts.netloc or not (target or "/").startswith("/") or (target or "").startswith("//"):
        return "/"
    return target or "/"


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str = "/") -> Response:
    if not _state(request).keys.token:
        return RedirectResponse("/", status_code=303)
    return _render(request, "login.html", next=_safe_next(next), error=None)


@router.post("/login")
async def login(request: Request) -> Response:
    keys = _state(request).keys
    form = await request.form()
    target = _safe_next(str(form.get("next", "/")))
    if not keys.token:
        return RedirectResponse("/", status_code=303)
    if not keys.token_ok(str(form.get("token", ""))):
        return _render(
            request,
            "login.html",
            status=401,
            next=target,
            error="That is not the access token of this server.",
        )
    response = RedirectResponse(target, status_code=303)
    secure = request.url.scheme == "https"
    response.headers.append(
        "set-cookie", cookie_header(ACCESS_COOKIE, keys.access_cookie(), secure=secure).decode()
    )
    return response
