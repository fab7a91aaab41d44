"""Step 5, results: the clusters explained (the same content and charts as report.html), and the
downloads: each file of the result, and report.html to read in the browser."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

from ..annotations import check_cluster, save_annotation
from ..dependencies import OwnedRun, State
from ..downloads import file_response, report_response, titled
from ..form_models import ClusterNameForm
from ..views import is_current
from .wizard import go, inspection, page, redirect, start_job, view_of

__all__ = ["router"]

router = APIRouter()


@router.get("/runs/{run_id}/results", response_class=HTMLResponse)
def results_page(request: Request, run: OwnedRun, state: State) -> Response:
    view = view_of(state.store, run)
    if view is None:
        return redirect(request, "k_page", run)
    found = inspection(state.store, run)
    template = "results.html" if is_current(view) else "results_outdated.html"
    view = {**view, "files": titled(view.get("files", []))}
    return page(request, template, run, 5, found[1] if found else None, view=view)


@router.get("/runs/{run_id}/files/{name}")
def download(run: OwnedRun, name: str, state: State) -> FileResponse:
    return file_response(state.store, run, name)


@router.get("/runs/{run_id}/report")
def report(request: Request, run: OwnedRun, state: State) -> Response:
    return report_response(request, state.store, run)


@router.post("/runs/{run_id}/clusters/{cluster}")
def name_cluster(
    request: Request, cluster: int, form: Annotated[ClusterNameForm, Form()], run: OwnedRun, state: State
) -> Response:
    """Name a cluster, mark it not useful, leave a note: every export is written again with them."""
    if run.active:  # a job is already rewriting this run; its page shows when it is done
        return go(request, "k_page", run)
    check_cluster(run, cluster)
    save_annotation(state.store, run, cluster, name=form.name, useful=form.is_useful, note=form.note)
    return start_job(request, state, run, "cluster", goal="results")
