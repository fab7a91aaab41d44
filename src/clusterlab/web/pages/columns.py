"""Step 2, the data overview: the first rows and each column's role with its evidence. A role change
is checked against the column's data at once (HTMX answers with the updated row); the whole form is
also the path without JavaScript."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from ...core.errors import ClusterLabError, SettingsError
from ..errors import not_found
from ..forms import ROLE_CHOICES, ROLE_HINTS, column_state, effective_role, set_choice
from ..inspection import check_column_choice
from ..storage import Run
from .wizard import go, inspected, order_needed, page, render, start_job, state

__all__ = ["router"]

router = APIRouter()
USED_ROLES = ("numeric", "binary", "categorical", "ordinal", "text", "datetime")


@router.get("/runs/{run_id}/columns", response_class=HTMLResponse)
def columns_page(request: Request, run_id: str) -> HTMLResponse:
    run, found = inspected(request, run_id)
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
        used=sum(1 for c in rows if c["current"] in USED_ROLES),
        message=message,
        next_url=f"/runs/{run.id}/order" if order_needed(columns, run.choices) else f"/runs/{run.id}/k",
    )


def _apply_role(request: Request, run: Run, column: dict, role: str) -> dict:
    """Check one column's new role against its data; returns the new choices or raises SettingsError."""
    choices = set_choice(run.choices, column, role)
    if role != column["role"] and role not in ("ordinal",):
        check_column_choice(state(request).store.inspect_dir(run), column["name"], role)
    return choices


@router.post("/runs/{run_id}/columns/{index}", response_class=HTMLResponse)
async def change_column(request: Request, run_id: str, index: int) -> Response:
    """One column's role changed (HTMX): check it against the data and answer with the updated row."""
    run, found = inspected(request, run_id)
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
        state(request).store.save_choices(run.id, choices)
        run.choices = choices
    except SettingsError as err:
        error = err.message
    if error is None and role == "label" and previous_label and previous_label != column["name"]:
        # Only one column can hold the known groups: the page redraws to show the other one released.
        return Response(status_code=200, headers={"HX-Refresh": "true"})
    return render(
        request,
        "partials/column_row.html",
        run=run,
        column=column_state(columns, run.choices)[index],
        roles=ROLE_CHOICES,
        hints=ROLE_HINTS,
        error=error,
    )


@router.post("/runs/{run_id}/columns")
async def save_columns(request: Request, run_id: str) -> Response:
    """The whole overview form (also the path without JavaScript): apply every role, then move on."""
    run, found = inspected(request, run_id)
    if found is None:
        return go(request, f"/runs/{run.id}/columns")
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
        message = "Some columns cannot take the role chosen; see below."
        return _columns(request, run, facts, columns, preview, errors, 422, message)
    if order_needed(columns, choices):
        state(request).store.save_choices(run.id, choices)
        return go(request, f"/runs/{run.id}/order")
    return start_job(request, run, "cluster", goal="k", choices=choices)


@router.post("/runs/{run_id}/sheet")
async def choose_sheet(request: Request, run_id: str) -> Response:
    run, found = inspected(request, run_id)
    sheet = str((await request.form()).get("sheet", ""))
    if found is None or sheet not in found[0].get("sheets", []):
        raise ClusterLabError(f"The workbook has no sheet named '{sheet}'.")
    # Columns of another sheet: earlier choices do not apply.
    return start_job(request, run, "inspect", settings={**run.settings, "sheet": sheet}, choices={})
