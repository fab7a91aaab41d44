"""Step 1, upload: the start page, a file sent from the browser, or one click on a bundled sample."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from ...core.errors import ClusterLabError
from ...samples import SAMPLES
from ..dependencies import Owner, State
from ..errors import not_found
from ..form_models import UploadForm
from ..uploads import store_sample, store_upload
from .wizard import go, render, steps

__all__ = ["router"]

router = APIRouter()


@router.get("/", response_class=HTMLResponse)
def home(request: Request, state: State, owner: Owner) -> HTMLResponse:
    recent = state.store.owned_by(owner, limit=3)
    return render(
        request, "upload.html", steps=steps(request, None, None, 1), samples=SAMPLES.values(), recent=recent
    )


@router.post("/upload")
def upload(request: Request, form: Annotated[UploadForm, Form()], state: State, owner: Owner) -> Response:
    if form.file is None:
        raise ClusterLabError("Choose a file first (.xlsx, .csv, .tsv, .parquet), or try one of the samples.")
    run = store_upload(state.store, owner, form.file, state.config.upload_limit_bytes)
    state.runner.submit(run.id, "inspect")
    return go(request, "columns_page", run)


@router.post("/samples/{name}")
def sample(request: Request, name: str, state: State, owner: Owner) -> Response:
    if name not in SAMPLES:
        raise not_found(f"There is no sample called '{name}'; try one of: {', '.join(SAMPLES)}.")
    chosen = SAMPLES[name]
    # A sample comes with the choices that show it at its best: its orders and its known groups.
    choices: dict[str, Any] = {
        "roles": {},
        "exclude": [],
        "ordinal": dict(chosen.ordinal),
        "label": chosen.label,
    }
    run = store_sample(state.store, owner, name, choices=choices)
    state.runner.submit(run.id, "inspect")
    return go(request, "columns_page", run)
