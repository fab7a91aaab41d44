"""Step 1, upload: the start page, a file sent from the browser, or one click on a bundled sample."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from ...core.errors import ClusterLabError
from ...samples import SAMPLES
from ..errors import not_found
from ..uploads import refuse_declared_oversize, store_sample, store_upload, uploaded_file
from .wizard import go, owner, render, state, steps

__all__ = ["router"]

router = APIRouter()


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> HTMLResponse:
    recent = state(request).store.owned_by(owner(request), limit=3)
    return render(request, "upload.html", steps=steps(None, None, 1), samples=SAMPLES.values(), recent=recent)


@router.post("/upload")
async def upload(request: Request) -> Response:
    app = state(request)
    refuse_declared_oversize(request, app.config.upload_limit_bytes)
    file = uploaded_file(await request.form())
    if file is None:
        raise ClusterLabError("Choose a file first (.xlsx, .csv, .tsv, .parquet), or try one of the samples.")
    run = await store_upload(app.store, owner(request), file, app.config.upload_limit_bytes)
    app.runner.submit(run.id, "inspect")
    return go(request, f"/runs/{run.id}/columns")


@router.post("/samples/{name}")
def sample(request: Request, name: str) -> Response:
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
    app = state(request)
    run = store_sample(app.store, owner(request), name, choices=choices)
    app.runner.submit(run.id, "inspect")
    return go(request, f"/runs/{run.id}/columns")
