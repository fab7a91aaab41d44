"""Step 5, results: the clusters explained (the same content and charts as report.html), and the
downloads: each file of the result, and report.html to read in the browser."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from ..downloads import file_response, report_response, titled
from ..views import is_current
from .wizard import inspection, page, run_of, state, view_of

__all__ = ["router"]

router = APIRouter()


@router.get("/runs/{run_id}/results", response_class=HTMLResponse)
def results_page(request: Request, run_id: str) -> Response:
    run = run_of(request, run_id)
    view = view_of(request, run)
    if view is None:
        return RedirectResponse(f"/runs/{run.id}/k", status_code=303)
    found = inspection(request, run)
    template = "results.html" if is_current(view) else "results_outdated.html"
    view = {**view, "files": titled(view.get("files", []))}
    return page(request, template, run, 5, found[1] if found else None, view=view)


@router.get("/runs/{run_id}/files/{name}")
def download(request: Request, run_id: str, name: str) -> FileResponse:
    return file_response(state(request).store, run_of(request, run_id), name)


@router.get("/runs/{run_id}/report")
def report(request: Request, run_id: str) -> FileResponse:
    return report_response(state(request).store, run_of(request, run_id))
