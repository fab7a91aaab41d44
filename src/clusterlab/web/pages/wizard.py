"""What every page of the five-step wizard shares: the run a URL names (only its owner's), the files
its jobs saved, the stepper, where a run opens, starting a job, rendering and redirecting.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ..forms import order_candidates
from ..owners import owned_run
from ..progress import progress_context
from ..storage import Run

__all__ = [
    "Inspection",
    "go",
    "inspected",
    "inspection",
    "order_needed",
    "owner",
    "page",
    "render",
    "run_of",
    "start_job",
    "state",
    "steps",
    "view_of",
    "where",
]

STEP_TITLES = ("Upload", "Your data", "Order categories", "Choose k", "Results")
Inspection = tuple[dict, list[dict], dict]  # what reading the file found: facts, columns, preview


def state(request: Request) -> Any:
    return request.app.state.clusterlab


def owner(request: Request) -> str:
    return str(request.state.owner)


def run_of(request: Request, run_id: str) -> Run:
    """The run ``run_id`` of this browser's owner; 404 for a missing run and for someone else's."""
    return owned_run(request, run_id)


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    return request.app.state.templates.TemplateResponse(request, template, context, status_code=status)


def go(request: Request, url: str) -> Response:
    """Redirect after a POST; HTMX requests get HX-Redirect so the whole page changes."""
    if request.headers.get("hx-request"):
        return Response(status_code=200, headers={"HX-Redirect": url})
    return RedirectResponse(url, status_code=303)


def start_job(
    request: Request,
    run: Run,
    job: str,
    *,
    goal: str | None = None,
    settings: dict[str, Any] | None = None,
    choices: dict[str, Any] | None = None,
) -> Response:
    """Save the new settings or column choices, start ``job`` ('inspect' or 'cluster') and go to the
    page that shows its progress (step 2 while reading, step 4 while clustering). ``goal``: the page
    a finished clustering opens ('k' or 'results'); None keeps the run's last one."""
    store = state(request).store
    if settings is not None:
        store.save_settings(run.id, settings)
    if choices is not None:
        store.save_choices(run.id, choices)
    state(request).runner.submit(run.id, job, goal=goal)
    return go(request, f"/runs/{run.id}/{'columns' if job == 'inspect' else 'k'}")


def inspection(request: Request, run: Run) -> Inspection | None:
    """Facts, columns and preview rows of the file, as the inspect job saved them (None before)."""
    if run.inspect_attempt is None:
        return None
    store = state(request).store
    folder = store.inspect_dir(run)
    try:
        return (
            store.read_json(folder / "table.json"),
            store.read_json(folder / "columns.json"),
            store.read_json(folder / "preview.json"),
        )
    except FileNotFoundError:
        return None


def inspected(request: Request, run_id: str) -> tuple[Run, Inspection | None]:
    """The run ``run_id`` (404 unless it is this browser's) and what reading its file found."""
    run = run_of(request, run_id)
    return run, inspection(request, run)


def view_of(request: Request, run: Run) -> dict | None:
    """The latest result's view.json (:mod:`clusterlab.web.views`), None before the first result."""
    if run.result_attempt is None:
        return None
    store = state(request).store
    try:
        return store.read_json(store.result_dir(run) / "view.json")
    except FileNotFoundError:
        return None


def order_needed(columns: list[dict], choices: dict) -> bool:
    can, _ = order_candidates(columns, choices)
    return bool(can)


def steps(run: Run | None, columns: list[dict] | None, current: int) -> list[dict[str, Any]]:
    """The stepper: each step's title, link (when reachable) and state."""
    needs_order = bool(columns) and order_needed(columns or [], run.choices if run else {})
    base = f"/runs/{run.id}" if run else ""
    reachable = {
        1: "/",
        2: f"{base}/columns" if run else None,
        3: f"{base}/order" if run and run.has_columns and needs_order else None,
        4: f"{base}/k" if run and run.has_columns else None,
        5: f"{base}/results" if run and run.has_result else None,
    }
    out = []
    for number, title in enumerate(STEP_TITLES, start=1):
        skipped = number == 3 and run is not None and run.has_columns and not needs_order
        out.append(
            {
                "number": number,
                "title": title,
                "url": reachable[number],
                "current": number == current,
                "done": number < current,
                "skipped": skipped,
            }
        )
    return out


def where(run: Run) -> str:
    """The page a run naturally opens on."""
    if run.job == "inspect" or not run.has_columns:
        return f"/runs/{run.id}/columns"
    if run.active or run.phase in ("failed", "cancelled", "interrupted") or not run.has_result:
        return f"/runs/{run.id}/k"
    return f"/runs/{run.id}/results"


def page(
    request: Request, template: str, run: Run, step: int, inspected: list[dict] | None, **context: Any
) -> HTMLResponse:
    """A step's page, with the stepper (``inspected``: the file's columns, which decide whether step 3
    applies) and the numbers of the run's progress bar."""
    return render(
        request, template, run=run, steps=steps(run, inspected, step), **progress_context(run), **context
    )
