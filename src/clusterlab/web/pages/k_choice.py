"""Step 4, choose k: the sweep's live progress, then every criterion over k, the recommendation with
its confidence and reason, a field to choose another k, and the options to run again."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from ...core.errors import SettingsError
from ...core.settings import SETTINGS
from ..dependencies import OwnedRun, State
from ..form_models import ChooseForm, OptionsForm
from ..forms import parse_k, settings_fields
from ..storage import Run, RunStore
from .wizard import go, inspection, page, redirect, start_job, view_of

__all__ = ["router"]

router = APIRouter()
K_SPEC = next(s for s in SETTINGS if s.name == "k")


@router.get("/runs/{run_id}/k", response_class=HTMLResponse)
def k_page(request: Request, run: OwnedRun, state: State) -> Response:
    if inspection(state.store, run) is None and not run.active:
        return redirect(request, "columns_page", run)
    return _k(request, state.store, run)


def _k(
    request: Request,
    store: RunStore,
    run: Run,
    form_error: SettingsError | None = None,
    status: int = 200,
    typed: dict[str, str] | None = None,
) -> HTMLResponse:
    """The page; after a refused option, with what was typed (``typed``) in the form."""
    found = inspection(store, run)
    return page(
        request,
        "k.html",
        run,
        4,
        found[1] if found else None,
        status=status,
        view=view_of(store, run),
        fields=settings_fields({**run.settings, **(typed or {})}),
        k_spec=K_SPEC,
        form_error=form_error,
        error_setting=(form_error.detail or {}).get("setting") if form_error else None,
    )


@router.post("/runs/{run_id}/cluster")
def start_cluster(
    request: Request, form: Annotated[OptionsForm, Form()], run: OwnedRun, state: State
) -> Response:
    """Run (again) with the options form's settings."""
    if run.active:
        return go(request, "k_page", run)
    try:
        settings = form.settings(run.settings)
    except SettingsError as err:
        return _k(request, state.store, run, err, 422, typed=form.given())
    # New options mean a new sweep: k goes back to "auto" and the page shows the new recommendation.
    settings.pop("k", None)
    if run.settings.get("sheet"):
        settings["sheet"] = run.settings["sheet"]
    return start_job(request, state, run, "cluster", goal="k", settings=settings)


@router.post("/runs/{run_id}/choose")
def choose_k(request: Request, form: Annotated[ChooseForm, Form()], run: OwnedRun, state: State) -> Response:
    """The person picked a k: show it, fitting it first when it is not the one already fitted."""
    try:
        k = parse_k(form.k)
    except SettingsError as err:
        return _k(request, state.store, run, err, 422)
    if run.active:
        return go(request, "k_page", run)
    if run.has_result and (k == run.k or (k == "auto" and run.k == run.recommended_k)):
        return go(request, "results_page", run)
    return start_job(request, state, run, "cluster", goal="results", settings={**run.settings, "k": k})
