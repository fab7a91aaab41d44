"""The web application: FastAPI with Jinja2 pages, HTMX and Plotly, every asset served from here.

:func:`create_app` wires the pieces: the run store (SQLite + folders), the job runner and its executor,
the owner/access middleware, the upload size limit, the error handlers, the pages and the JSON API.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator
from concurrent.futures import Executor
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, select_autoescape
from markupsafe import Markup, escape
from starlette.middleware.gzip import GZipMiddleware

from .._version import __version__
from ..core.formatting import distinct_labels, format_number, format_share
from ..outputs.palette import cluster_colour
from ..report.report import CHARTS_JS, chart_settings
from .api import router as api_router
from .config import ServerConfig
from .dependencies import AppState
from .errors import install_error_handlers
from .forms import settings_groups
from .jobs import JobRunner, make_executor
from .owners import AccessMiddleware, Keys, load_secret
from .pages import router as pages_router
from .storage import RunStore
from .uploads import UploadLimitMiddleware, limit_text
from .urls import Urls
from .wording import page_text

__all__ = ["AppState", "create_app"]

HERE = Path(__file__).resolve().parent
log = logging.getLogger("clusterlab.web")

SECURITY_HEADERS = {
    # Everything is served from here: no CDN, no inline scripts (chart data travels as JSON blocks).
    "content-security-policy": "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; "
    "base-uri 'self'; form-action 'self'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
}


class SecurityHeadersMiddleware:
    """Pure ASGI (not BaseHTTPMiddleware, which would wrap an upload-limit error in an exception group)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        no_store = scope["path"].startswith(("/runs", "/api/"))

        async def send_with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                extra = [
                    (k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items() if k.encode() not in present
                ]
                if no_store and b"cache-control" not in present:
                    extra.append((b"cache-control", b"no-store"))
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _plotly_js() -> Path:
    import plotly

    return Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"


def options_link(text: str, href: str) -> Markup:
    """A note as the pages word it, its "in Options" a link to the Options (``href``), which open there:
    a note on the results page names an option that lives on "Choose k" and "Your data"."""
    link = Markup(' in <a href="{}">Options</a>').format(href)
    return escape(text).replace(Markup(" in Options"), link)


def _templates() -> Jinja2Templates:
    # The report's templates too: the markup both show (macros.html) is written once, there.
    loader = ChoiceLoader(
        [FileSystemLoader(HERE / "templates"), PackageLoader("clusterlab.report", "templates")]
    )
    templates = Jinja2Templates(env=Environment(loader=loader, autoescape=select_autoescape()))
    env = templates.env
    env.globals["version"] = __version__
    env.globals["chart_settings"] = chart_settings()
    env.filters["colour"] = cluster_colour  # a cluster's colour, as report.html's (macros.html swatch)
    env.filters["number"] = lambda v: format_number(None if v is None else float(v))
    env.filters["pct"] = lambda v: format_share(float(v))
    env.filters["bytes"] = _bytes
    env.filters["inline_code"] = inline_code
    env.filters["grid_columns"] = grid_columns
    # Long names that share their start (exports often do) shortened to where they differ.
    env.filters["distinct"] = lambda names, limit=28: distinct_labels([str(n) for n in names], limit)
    env.filters["ago"] = _ago
    env.filters["when"] = lambda t: datetime.fromtimestamp(t).strftime("%d %b %Y, %H:%M")
    env.filters["words"] = page_text  # a core message's controls as the pages name them
    env.filters["settings_groups"] = settings_groups
    env.filters["options_link"] = options_link
    return templates


def inline_code(text: object) -> Markup:
    """Plain text for a page, with `backticks` shown as code: "with `clusterlab assign`".

    >>> str(inline_code("run `clusterlab assign` <now>"))
    'run <code>clusterlab assign</code> &lt;now&gt;'
    """
    parts = str(text).split("`")
    if len(parts) % 2 == 0:  # an unpaired backtick is just a character
        return escape(str(text))
    return Markup("").join(
        escape(part) if i % 2 == 0 else Markup("<code>{}</code>").format(part) for i, part in enumerate(parts)
    )


def grid_columns(count: int) -> str:
    """The class of a grid of ``count`` charts with no chart alone in its last row where it can be
    helped: 4 charts two by two, 7 as four and three, 8 as three, three and two.

    >>> [grid_columns(n) for n in (1, 2, 3, 4, 5, 6, 7, 8, 10)]
    ['cols-2', 'cols-2', 'cols-3', 'cols-2', 'cols-3', 'cols-3', 'cols-4', 'cols-3', 'cols-4']
    """
    if count <= 2 or count == 4:
        return "cols-2"
    for columns in (3, 4):
        if count % columns != 1:
            return f"cols-{columns}"
    return "cols-3"


def _bytes(size: int | None) -> str:
    size = int(size or 0)
    if size < 1024:
        return f"{size} B"
    if size < 1024**2:
        return f"{size / 1024:.0f} kB"
    return f"{size / 1024**2:.1f} MB"


def _ago(timestamp: float) -> str:
    seconds = max(0, time.time() - timestamp)
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{int(seconds // 60)} min ago"
    if seconds < 86400:
        hours = int(seconds // 3600)
        return f"{hours} hour{'s' if hours > 1 else ''} ago"
    return datetime.fromtimestamp(timestamp).strftime("%d %b %Y")


def create_app(config: ServerConfig | None = None, *, executor: Executor | None = None) -> FastAPI:
    """Build the app. ``executor``: run jobs there (e.g. a Dask client's) instead of a local pool.

    Examples
    --------
    >>> app = create_app(ServerConfig(data_dir=Path("/tmp/clusterlab-doc"), executor="thread"))  # doctest: +SKIP
    """
    config = config or ServerConfig.from_values()
    store = RunStore(config.data_dir).init()
    interrupted = store.recover()
    if interrupted:
        log.warning(
            "%d run(s) were interrupted by the last shutdown; they can be restarted", len(interrupted)
        )
    keys = Keys(load_secret(config.data_dir), config.token)
    runner = JobRunner(
        store, executor or make_executor(config), workers=config.workers, runs_per_owner=config.runs_per_owner
    )
    state = AppState(config, store, runner, keys, owns_executor=executor is None)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        runner.warm_up()
        yield
        if state.owns_executor:
            runner.shutdown()

    app = FastAPI(
        title="ClusterLab",
        version=__version__,
        description="Upload a spreadsheet, get its rows grouped into explained clusters. Every error answers "
        '`{"error": "...", "detail": ...}` with a 4xx status. Runs belong to the browser (cookie) that '
        "made them: keep the `clusterlab_owner` cookie between calls (e.g. `curl -c jar -b jar`).",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.clusterlab = state
    app.state.templates = _templates()
    app.state.templates.env.globals["upload_limit"] = limit_text(config.upload_limit_bytes)
    app.state.templates.env.globals["upload_limit_bytes"] = config.upload_limit_bytes
    install_error_handlers(app)

    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    plotly_js = _plotly_js()

    @app.get("/static-lib/plotly.min.js", include_in_schema=False)
    def plotly_bundle() -> FileResponse:
        # Served from the installed, pinned plotly package: the chart code always matches the figures.
        return FileResponse(
            plotly_js, media_type="text/javascript", headers={"cache-control": "public, max-age=604800"}
        )

    @app.get("/static-lib/charts.js", include_in_schema=False)
    def charts_script() -> FileResponse:
        # report.html's chart script, the same file (it inlines it; pages here cannot run inline scripts).
        return FileResponse(CHARTS_JS, media_type="text/javascript")

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> JSONResponse:
        return JSONResponse({"ok": True, "version": __version__})

    @app.get("/docs", include_in_schema=False)
    def docs(request: Request) -> HTMLResponse:
        return app.state.templates.TemplateResponse(request, "docs.html", {})

    app.include_router(api_router)
    app.include_router(pages_router)
    urls = app.state.templates.env.globals["urls"] = Urls(app)

    # Outermost last: the size limit sees the raw body; access decides before anything runs.
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(GZipMiddleware, minimum_size=2048)
    uploads = (urls("upload"), urls("create_run"))
    app.add_middleware(UploadLimitMiddleware, limit=config.upload_limit_bytes, paths=uploads)
    app.add_middleware(AccessMiddleware, keys=keys)
    return app
