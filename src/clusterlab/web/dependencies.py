"""What every route needs, as FastAPI dependencies: the app's state, the asking browser's owner, the
run a URL names (only its owner's) and the URL builder. A handler declares them, ``run: OwnedRun``, and FastAPI looks them
up before it runs (in the thread pool: the run lookup reads SQLite).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from .config import ServerConfig
from .errors import not_found
from .jobs import JobRunner
from .owners import Keys
from .storage import Run, RunStore
from .urls import Urls

__all__ = ["AppState", "AppUrls", "OwnedRun", "Owner", "State", "app_state", "app_urls", "owned_run", "owner"]


@dataclass
class AppState:
    """What every request handler needs, on ``request.app.state.clusterlab``."""

    config: ServerConfig
    store: RunStore
    runner: JobRunner
    keys: Keys
    owns_executor: bool


def app_state(request: Request) -> AppState:
    state: AppState = request.app.state.clusterlab
    return state


def owner(request: Request) -> str:
    """The asking browser's owner id, from its signed cookie (:class:`.owners.AccessMiddleware`)."""
    return str(request.state.owner)


def app_urls(request: Request) -> Urls:
    return Urls(request.app)


State = Annotated[AppState, Depends(app_state)]
Owner = Annotated[str, Depends(owner)]
AppUrls = Annotated[Urls, Depends(app_urls)]


def owned_run(run_id: str, state: State, owner: Owner) -> Run:
    """The run ``run_id`` if it belongs to the asking browser; 404 for a missing run and for anyone
    else's alike (pages and API both look runs up only through here)."""
    run = state.store.get(run_id, owner=owner)
    if run is None:
        raise not_found()
    return run


OwnedRun = Annotated[Run, Depends(owned_run)]
