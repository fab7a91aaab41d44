"""My runs: every run of this browser, and what can be done with one (open, cancel, start again,
delete), plus the live progress fragment the pages poll while a job runs."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from ..dependencies import OwnedRun, Owner, State
from ..progress import progress_context
from ..urls import Urls
from .wizard import go, redirect, render, start_job, where

__all__ = ["router"]

router = APIRouter()


@router.get("/runs", response_class=HTMLResponse)
def runs(request: Request, state: State, owner: Owner) -> HTMLResponse:
    return render(request, "runs.html", runs=state.store.owned_by(owner), where=where)


@router.get("/runs/{run_id}")
def open_run(request: Request, run: OwnedRun) -> Response:
    return redirect(request, where(run), run)


@router.post("/runs/{run_id}/delete")
def delete_run(request: Request, run: OwnedRun, state: State) -> Response:
    state.store.delete(run.id)
    return go(request, "runs")


@router.post("/runs/{run_id}/cancel")
def cancel_run(request: Request, run: OwnedRun, state: State) -> Response:
    state.store.request_cancel(run.id)
    return go(request, "k_page", run)


@router.post("/runs/{run_id}/restart")
def restart_run(request: Request, run: OwnedRun, state: State) -> Response:
    if run.active:
        return go(request, where(run), run)
    return start_job(request, state, run, "inspect" if not run.has_columns else "cluster")


@router.get("/runs/{run_id}/progress", response_class=HTMLResponse)
def progress(request: Request, run: OwnedRun) -> Response:
    if run.active:
        return render(request, "partials/progress.html", run=run, **progress_context(run))
    if run.job == "cluster" and run.phase == "done":
        target = "results_page" if run.goal == "results" else "k_page"
    else:
        target = where(run)
    return Response(status_code=200, headers={"HX-Redirect": Urls(request.app)(target, run)})
