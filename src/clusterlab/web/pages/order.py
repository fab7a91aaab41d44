"""Step 3, order categories (only when a column has several categories; skippable): for each, its
values from lowest to highest by dragging, arrow buttons or typed positions, or left unordered."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from ...core.errors import SettingsError
from ..dependencies import OwnedRun, State
from ..form_models import OrderForm
from ..forms import order_candidates
from ..inspection import check_column_choice
from ..storage import Run
from .wizard import go, inspection, page, redirect, start_job

__all__ = ["router"]

router = APIRouter()


@router.get("/runs/{run_id}/order", response_class=HTMLResponse)
def order_page(request: Request, run: OwnedRun, state: State) -> Response:
    found = inspection(state.store, run)
    if found is None:
        return redirect(request, "columns_page", run)
    return _order(request, run, found[1])


def _order(
    request: Request, run: Run, columns: list[dict], errors: dict[int, str] | None = None, status: int = 200
) -> HTMLResponse:
    can, too_many = order_candidates(columns, run.choices)
    for column in can:
        levels = column["levels"]
        rank = {level: i for i, level in enumerate(column["order"] or [])}
        shown = sorted(range(len(levels)), key=lambda j: rank.get(levels[j][0], len(rank) + j))
        column["items"] = [
            {"j": j, "level": levels[j][0], "count": levels[j][1], "position": p}
            for p, j in enumerate(shown, start=1)
        ]
    return page(
        request,
        "order.html",
        run,
        3,
        columns,
        status=status,
        candidates=can,
        too_many=too_many,
        errors=errors or {},
    )


@router.post("/runs/{run_id}/order")
def save_order(request: Request, form: Annotated[OrderForm, Form()], run: OwnedRun, state: State) -> Response:
    found = inspection(state.store, run)
    if found is None:
        return go(request, "columns_page", run)
    columns = found[1]
    can, _ = order_candidates(columns, run.choices)
    choices = dict(run.choices)
    ordinal = dict(choices.get("ordinal") or {})
    errors: dict[int, str] = {}
    folder = state.store.inspect_dir(run)
    for column in can:
        name = column["name"]
        try:
            order = None if form.skip else form.order_of(column)
            if order is None:
                ordinal.pop(name, None)
                continue
            check_column_choice(folder, name, "ordinal", order)
            ordinal[name] = order
        except SettingsError as err:
            errors[column["index"]] = err.message
    choices["ordinal"] = ordinal
    roles = dict(choices.get("roles") or {})
    for name in ordinal:
        roles.pop(name, None)  # the order decides: an ordered column is ordinal whatever step 2 said
    choices["roles"] = roles
    run.choices = choices
    if errors:
        return _order(request, run, columns, errors, 422)
    return start_job(request, state, run, "cluster", goal="k", choices=choices)
