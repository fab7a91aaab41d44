"""Step 2, the data overview: the first rows and each column's role with its evidence. A role change
is checked against the column's data at once (HTMX answers with the updated row); the whole form is
also the path without JavaScript."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from ...core.errors import ClusterLabError, SettingsError
from ..dependencies import OwnedRun, State
from ..errors import not_found
from ..form_models import ColumnsForm, SheetForm
from ..forms import ROLE_CHOICES, ROLE_HINTS, column_state, effective_role, set_choice, settings_fields
from ..inspection import check_column_choice
from ..storage import Run, RunStore
from .wizard import go, inspection, order_needed, page, render, start_job

__all__ = ["router"]

router = APIRouter()
MANY_CHECKS = 3  # columns whose checks are shown in full; with more, each shows its first words
USED_ROLES = ("numeric", "binary", "categorical", "ordinal", "text", "datetime")


@router.get("/runs/{run_id}/columns", response_class=HTMLResponse)
def columns_page(request: Request, run: OwnedRun, state: State) -> HTMLResponse:
    found = inspection(state.store, run)
    if found is None or (run.job == "inspect" and run.active):
        return page(request, "columns.html", run, 2, None, reading=True)
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
    form_error: SettingsError | None = None,
    settings: dict | None = None,
) -> HTMLResponse:
    rows = column_state(columns, run.choices)
    return page(
        request,
        "columns.html",
        run,
        2,
        columns,
        status=status,
        reading=False,
        facts=facts,
        columns=rows,
        preview=preview,
        roles=ROLE_CHOICES,
        hints=ROLE_HINTS,
        errors=errors or {},
        used=used_count(rows),
        total=len(rows),
        many_checks=many_checks(rows),
        message=message,
        fields=settings_fields(settings if settings is not None else dict(run.settings)),
        form_error=form_error,
        error_setting=(form_error.detail or {}).get("setting") if form_error else None,
    )


def used_count(rows: list[dict]) -> int:
    """How many columns the clustering will use, as the page's "12 of 13 used" says."""
    return sum(1 for c in rows if c["current"] in USED_ROLES)


def many_checks(rows: list[dict]) -> bool:
    """More columns with something worth checking than fit the page in full (their notes fold)."""
    return sum(1 for c in rows if c.get("checks")) > MANY_CHECKS


def _apply_role(store: RunStore, run: Run, column: dict, role: str) -> dict:
    """Check one column's new role against its data; returns the new choices or raises SettingsError."""
    choices = set_choice(run.choices, column, role)
    if role != column["role"] and role not in ("ordinal",):
        check_column_choice(store.inspect_dir(run), column["name"], role)
    return choices


@router.post("/runs/{run_id}/columns/{index}", response_class=HTMLResponse)
def change_column(
    request: Request, index: int, form: Annotated[ColumnsForm, Form()], run: OwnedRun, state: State
) -> Response:
    """One column's role changed (HTMX): check it against the data and answer with the updated row."""
    found = inspection(state.store, run)
    if found is None or not 0 <= index < len(found[1]):
        raise not_found("This column is not part of the file; reload the page.")
    _, columns, _ = found
    column = columns[index]
    # "Treat as category" sends ``role`` beside the form's selects: the button says what was meant.
    role = form.role or form.roles.get(index) or column["role"]
    previous_label = run.choices.get("label")
    error = None
    try:
        choices = _apply_role(state.store, run, column, role)
        state.store.save_choices(run.id, choices)
        run.choices = choices
    except SettingsError as err:
        error = err.message
    if error is None and role == "label" and previous_label and previous_label != column["name"]:
        # Only one column can hold the known groups: the page redraws to show the other one released.
        return Response(status_code=200, headers={"HX-Refresh": "true"})
    if "hx-request" not in request.headers:  # the button without the page's script: the whole page again
        return go(request, "columns_page", run)
    rows = column_state(columns, run.choices)
    return render(
        request,
        "partials/column_row.html",
        run=run,
        column=rows[index],
        roles=ROLE_CHOICES,
        hints=ROLE_HINTS,
        error=error,
        oob=True,  # with "12 of 13 used", counted again
        used=used_count(rows),
        many_checks=many_checks(rows),
        total=len(rows),
    )


@router.post("/runs/{run_id}/columns")
def save_columns(
    request: Request, form: Annotated[ColumnsForm, Form()], run: OwnedRun, state: State
) -> Response:
    """The whole overview form (also the path without JavaScript): apply every role, then move on."""
    found = inspection(state.store, run)
    if found is None:
        return go(request, "columns_page", run)
    facts, columns, preview = found
    try:
        settings = form.settings(run.settings)
    except SettingsError as err:
        given = {**run.settings, **form.given()}
        return _columns(request, run, facts, columns, preview, status=422, form_error=err, settings=given)
    settings.pop("k", None)  # a new sweep: k is recommended again, as from "Choose k"'s Options
    choices = dict(run.choices)
    errors: dict[int, str] = {}
    for index, column in enumerate(columns):
        role = form.roles.get(index)
        if role is None or role == effective_role(column, choices):
            continue
        try:
            run.choices = choices
            choices = _apply_role(state.store, run, column, role)
        except SettingsError as err:
            errors[index] = err.message
    run.choices = choices
    if errors:
        message = "Some columns cannot take the role chosen; see below."
        return _columns(request, run, facts, columns, preview, errors, 422, message, settings=settings)
    if order_needed(columns, choices):
        state.store.save_settings(run.id, settings)
        state.store.save_choices(run.id, choices)
        return go(request, "order_page", run)
    return start_job(request, state, run, "cluster", goal="k", settings=settings, choices=choices)


@router.post("/runs/{run_id}/sheet")
def choose_sheet(
    request: Request, form: Annotated[SheetForm, Form()], run: OwnedRun, state: State
) -> Response:
    found = inspection(state.store, run)
    if found is None or form.sheet not in found[0].get("sheets", []):
        raise ClusterLabError(f"The workbook has no sheet named '{form.sheet}'.")
    # Columns of another sheet: earlier choices do not apply.
    return start_job(
        request, state, run, "inspect", settings={**run.settings, "sheet": form.sheet}, choices={}
    )
