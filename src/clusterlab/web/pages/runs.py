"""My runs: every run of this browser, and what can be done with one (open, cancel, start again,
delete), plus the live progress fragment the pages poll while a job runs."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ..progress import progress_context
from .wizard import go, owner, render, run_of, start_job, state, where

__all__ = ["router"]

router = APIRouter()


@router.get("/runs", response_class=HTMLResponse)
def runs(request: Request) -> HTMLResponse:
    listed = state(request).store.owned_by(owner(request))
    return render(request, "runs.html", runs=listed, where=where)


@router.get("/runs/{run_id}")
def open_run(request: Request, run_id: str) -> Response:
    return RedirectResponse(where(run_of(request, run_id)), status_code=303)


@router.post("/runs/{run_id}/delete")
def delete_run(request: Request, run_id: str) -> Response:
    run = run_of(request, run_id)
    state(request).store.delete(run.id)
    return go(request, "/runs")


@router.post("/runs/{run_id}/cancel")
def cancel_run(request: Request, run_id: str) -> Response:
    run = run_of(request, run_id)
    state(request).store.request_cancel(run.id)
    return go(request, f"/runs/{run.id}/k")


@router.post("/runs/{run_id}/restart")
def restart_run(request: Request, run_id: str) -> Response:
    run = run_of(request, run_id)
    if run.active:
        return go(request, where(run))
    return start_job(request, run, "inspect" if not run.has_columns else "cluster")


@router.get("/runs/{run_id}/progress", response_class=HTMLResponse)
def progress(request: Request, run_id: str) -> Response:
    run = run_of(request, run_id)
    if run.active:
        return render(request, "partials/progress.html", run=run, **progress_context(run))
    if run.job == "cluster" and run.phase == "done":
        target = f"/runs/{run.id}/{'results' if run.goal == 'results' else 'k'}"
    else:
        target = where(run)
    return Response(status_code=200, headers={"HX-Redirect": target})
