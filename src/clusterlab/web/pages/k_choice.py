"""Step 4, choose k: the sweep's live progress, then every criterion over k, the recommendation with
its confidence and reason, a field to choose another k, and the options to run again."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ...core.errors import SettingsError
from ...core.settings import SETTINGS
from ..forms import parse_k, parse_settings_form, settings_fields
from ..storage import Run
from .wizard import go, inspection, page, run_of, start_job, view_of

__all__ = ["router"]

router = APIRouter()
K_SPEC = next(s for s in SETTINGS if s.name == "k")


@router.get("/runs/{run_id}/k", response_class=HTMLResponse)
def k_page(request: Request, run_id: str) -> Response:
    run = run_of(request, run_id)
    if inspection(request, run) is None and not run.active:
        return RedirectResponse(f"/runs/{run.id}/columns", status_code=303)
    return _k(request, run)


def _k(
    request: Request, run: Run, form_error: SettingsError | None = None, status: int = 200
) -> HTMLResponse:
    found = inspection(request, run)
    return page(
        request,
        "k.html",
        run,
        4,
        found[1] if found else None,
        status=status,
        view=view_of(request, run),
        fields=settings_fields(dict(run.settings)),
        k_spec=K_SPEC,
        form_error=form_error,
        error_setting=(form_error.detail or {}).get("setting") if form_error else None,
    )


@router.post("/runs/{run_id}/cluster")
async def start_cluster(request: Request, run_id: str) -> Response:
    """Run (again) with the options form's settings."""
    run = run_of(request, run_id)
    form = await request.form()
    if run.active:
        return go(request, f"/runs/{run.id}/k")
    try:
        settings = parse_settings_form(form, run.settings)
    except SettingsError as err:
        return _k(request, run, err, 422)
    # New options mean a new sweep: k goes back to "auto" and the page shows the new recommendation.
    settings.pop("k", None)
    if run.settings.get("sheet"):
        settings["sheet"] = run.settings["sheet"]
    return start_job(request, run, "cluster", goal="k", settings=settings)


@router.post("/runs/{run_id}/choose")
async def choose_k(request: Request, run_id: str) -> Response:
    """The person picked a k: show it, fitting it first when it is not the one already fitted."""
    run = run_of(request, run_id)
    form = await request.form()
    try:
        k = parse_k(form.get("k", "auto"))
    except SettingsError as err:
        return _k(request, run, err, 422)
    if run.active:
        return go(request, f"/runs/{run.id}/k")
    if run.has_result and (k == run.k or (k == "auto" and run.k == run.recommended_k)):
        return go(request, f"/runs/{run.id}/results")
    return start_job(request, run, "cluster", goal="results", settings={**run.settings, "k": k})
