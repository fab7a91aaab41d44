"""What every page of the five-step wizard shares: the files its jobs saved, the stepper, where a run
opens, starting a job, rendering and redirecting. (The run a URL names, only its owner's, the app's state
and the owner come from :mod:`..dependencies`.)
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ..dependencies import AppState
from ..forms import order_candidates
from ..progress import progress_context
from ..storage import Run, RunStore
from ..urls import Urls

__all__ = [
    "Inspection",
    "go",
    "inspection",
    "order_needed",
    "page",
    "redirect",
    "render",
    "start_job",
    "steps",
    "view_of",
    "where",
]

STEP_TITLES = ("Upload", "Your data", "Order categories", "Choose k", "Results")
Inspection = tuple[dict, list[dict], dict]  # what reading the file found: facts, columns, preview


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    return request.app.state.templates.TemplateResponse(request, template, context, status_code=status)


def redirect(request: Request, name: str, run: Run | None = None) -> RedirectResponse:
    """A 303 to the page ``name`` (of ``run``)."""
    return RedirectResponse(Urls(request.app)(name, run), status_code=303)


def go(request: Request, name: str, run: Run | None = None) -> Response:
    """Redirect after a POST to the page ``name`` (of ``run``); HTMX requests get HX-Redirect so the
    whole page changes."""
    if request.headers.get("hx-request"):
        return Response(status_code=200, headers={"HX-Redirect": Urls(request.app)(name, run)})
    return redirect(request, name, run)


def start_job(
    request: Request,
    state: AppState,
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
    if settings is not None:
        state.store.save_settings(run.id, settings)
    if choices is not None:
        state.store.save_choices(run.id, choices)
    state.runner.submit(run.id, job, goal=goal)
    return go(request, "columns_page" if job == "inspect" else "k_page", run)


def inspection(store: RunStore, run: Run) -> Inspection | None:
    """Facts, columns and preview rows of the file, as the inspect job saved them (None before)."""
    if run.inspect_attempt is None:
        return None
    folder = store.inspect_dir(run)
    try:
        return (
            store.read_json(folder / "table.json"),
            store.read_json(folder / "columns.json"),
            store.read_json(folder / "preview.json"),
        )
    except FileNotFoundError:
        return None


def view_of(store: RunStore, run: Run) -> dict | None:
    """The latest result's view.json (:mod:`clusterlab.web.views`), None before the first result."""
    if run.result_attempt is None:
        return None
    try:
        return store.read_json(store.result_dir(run) / "view.json")
    except FileNotFoundError:
        return None


def order_needed(columns: list[dict], choices: dict) -> bool:
    can, _ = order_candidates(columns, choices)
    return bool(can)


def steps(
    request: Request, run: Run | None, columns: list[dict] | None, current: int
) -> list[dict[str, Any]]:
    """The stepper: each step's title, link (when reachable) and state."""
    urls = Urls(request.app)
    needs_order = bool(columns) and order_needed(columns or [], run.choices if run else {})
    reachable = {
        1: urls("home"),
        2: urls("columns_page", run) if run else None,
        3: urls("order_page", run) if run and run.has_columns and needs_order else None,
        4: urls("k_page", run) if run and run.has_columns else None,
        5: urls("results_page", run) if run and run.has_result else None,
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
    """The page a run naturally opens on (a route's name)."""
    if run.job == "inspect" or not run.has_columns:
        return "columns_page"
    if run.active or run.phase in ("failed", "cancelled", "interrupted") or not run.has_result:
        return "k_page"
    return "results_page"


def page(
    request: Request, template: str, run: Run, step: int, inspected: list[dict] | None, **context: Any
) -> HTMLResponse:
    """A step's page, with the stepper (``inspected``: the file's columns, which decide whether step 3
    applies) and the numbers of the run's progress bar."""
    return render(
        request,
        template,
        run=run,
        steps=steps(request, run, inspected, step),
        **progress_context(run),
        **context,
    )
