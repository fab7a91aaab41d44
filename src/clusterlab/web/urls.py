"""Every URL of the app, built in one place from the routes' names (as datasette's url_builder, with the
router as the table): a path is written once, in its route's decorator.

Handlers and templates ask by name, ``urls("k_page", run)`` or ``{{ urls('static', path='app.css') }}``,
and get a path ("/runs/abc/k"), never an absolute URL: redirects, HX-Redirect, the API's ``location``
header and its ``page`` and ``url`` fields stay what they always were.
"""

from __future__ import annotations

from typing import Any

from starlette.applications import Starlette

from .storage import Run

__all__ = ["Urls"]


class Urls:
    """Paths of the app's routes by name; ``run`` fills the ``{run_id}`` of a run's pages.

    Examples
    --------
    >>> from fastapi import FastAPI
    >>> app = FastAPI()
    >>> @app.get("/runs/{run_id}/k")
    ... def k_page(run_id: str) -> None: ...
    >>> Urls(app)("k_page", run_id="abc")
    '/runs/abc/k'
    """

    def __init__(self, app: Starlette) -> None:
        self.app = app

    def __call__(self, route: str, run: Run | None = None, /, **params: Any) -> str:
        if run is not None:
            params["run_id"] = run.id
        return str(self.app.url_path_for(route, **params))
