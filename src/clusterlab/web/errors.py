"""Every error answer of the web app, made here and nowhere else.

The API (``/api/...``) answers ``{"error": "...", "detail": ...}`` with a 4xx status; pages show the
same sentence on a friendly page (or, for an HTMX request, in the page's message area). Anything
unexpected is logged with its traceback and answered with a short apology and a reference, never
with the traceback itself.
"""

from __future__ import annotations

import logging
import re
import secrets
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.formparsers import MultiPartException

from ..core.errors import ClusterLabError
from .forms import unknown_field
from .wording import api_text, page_text

__all__ = ["NOT_FOUND", "error_response", "install_error_handlers", "is_api", "not_found"]

log = logging.getLogger("clusterlab.web")

NOT_FOUND = (
    "There is no run at this address. It may have been deleted, or it was made in another browser "
    "(runs belong to the browser that made them)."
)
_TITLES = {
    400: "That did not work",
    401: "Access token needed",
    404: "Not found",
    405: "Not allowed",
    413: "File too large",
    422: "Please check your input",
    500: "Something went wrong",
}


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"


def not_found(message: str = NOT_FOUND) -> StarletteHTTPException:
    return StarletteHTTPException(404, message)


def error_response(request: Request, status: int, message: str, detail: Any = None) -> Response:
    """The one error answer: JSON for the API, a page (or a page fragment for HTMX) otherwise; the
    controls a core message names are worded for the one or the other (:mod:`.wording`)."""
    detail = {} if detail is None else detail
    if is_api(request):
        return JSONResponse({"error": api_text(message), "detail": detail}, status_code=status)
    message = page_text(message)
    templates = request.app.state.templates
    context = {"status": status, "title": _TITLES.get(status, "That did not work"), "message": message}
    if request.headers.get("hx-request"):
        response = templates.TemplateResponse(request, "partials/alert.html", context, status_code=status)
        response.headers["HX-Retarget"] = "#flash"
        response.headers["HX-Reswap"] = "innerHTML"
        return response
    try:
        return templates.TemplateResponse(request, "error.html", context, status_code=status)
    except Exception:  # the error page itself failed: still no traceback
        log.exception("error page failed")
        return HTMLResponse(f"<h1>{context['title']}</h1><p>{_escape(message)}</p>", status_code=status)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _validation_message(errors: list[dict[str, Any]]) -> str:
    parts = []
    for error in errors[:3]:
        where = ".".join(str(x) for x in error.get("loc", ()) if x not in ("body", "query", "path", "form"))
        if error.get("type") == "string_too_long":  # the JSON fields' cap: say how long, not pydantic's words
            limit = (error.get("ctx") or {}).get("max_length", 0)
            size = len(error.get("input") or "")
            return (
                f"Field '{where}' is too long: {size:,} characters, where at most {limit:,} are accepted "
                "(a JSON object naming columns is far shorter); check what was sent in it."
            )
        parts.append(
            f"'{where}': {error.get('msg', 'invalid')}" if where else str(error.get("msg", "invalid"))
        )
    return "The request is not valid: " + "; ".join(parts) + "."


_SEND_A_FORM = "send the file and options as multipart/form-data (curl -F file=@data.csv ...)"


def _form_problem(problem: str) -> str:
    """What Starlette's form parser found wrong, in our words."""
    if problem.startswith("Missing boundary"):
        return (
            "The form data cannot be read: its Content-Type is multipart/form-data but names no boundary. "
            f"Let the HTTP client build the form: {_SEND_A_FORM}."
        )
    if size := re.search(r"(Part|Field) exceeded maximum size of (\d+)KB", problem):
        return (
            f"A form field other than the file holds more than {int(size.group(2)):,} kB; fields hold options "
            "and column choices (at most 64 kB of JSON). Send the spreadsheet itself in the 'file' field."
        )
    if many := re.search(r"Too many (fields|files)\. Maximum number of \w+ is (\d+)", problem):
        return (
            f"The form holds more than {int(many.group(2)):,} {many.group(1)}; a run needs one file and a "
            "few options."
        )
    return f"The form data cannot be read (it is damaged or cut short); {_SEND_A_FORM}."


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers: core errors, HTTP errors, validation errors, and everything else."""

    @app.exception_handler(ClusterLabError)
    async def core_error(request: Request, err: ClusterLabError) -> Response:
        return error_response(request, err.status_code, err.message, err.detail)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, err: StarletteHTTPException) -> Response:
        if isinstance(err.__cause__, ClusterLabError):
            # FastAPI answers anything raised while it reads a form as "error parsing the body"; ours
            # (the upload limit, raised as the body streams in) keeps its own answer.
            return await core_error(request, err.__cause__)
        detail: dict[str, Any] = {}
        if err.status_code == 404 and err.detail == "Not Found":
            message = f"There is no page at {request.url.path}."
        elif err.status_code == 405:
            message = f"{request.method} is not allowed at {request.url.path}."
        elif isinstance(err.__context__, MultiPartException):  # Starlette's words about the form data
            message, detail = _form_problem(str(err.detail)), {"reason": str(err.detail)}
        elif err.status_code == 400 and err.detail == "There was an error parsing the body":
            message = f"The request's body cannot be read as form data; {_SEND_A_FORM}."
            detail = {"reason": str(err.__cause__ or err.detail)[:300]}
        else:
            message = str(err.detail)
        response = error_response(request, err.status_code, message, detail)
        for key, value in (err.headers or {}).items():
            response.headers[key] = value
        return response

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, err: RequestValidationError) -> Response:
        errors = [dict(e) for e in err.errors()]
        unknown = next((e for e in errors if e.get("type") == "extra_forbidden"), None)
        if unknown is not None:  # a form field no form model has: "Unknown setting 'kmax'. Did you mean..."
            return await core_error(request, unknown_field(str(unknown["loc"][-1])))
        detail = [{"loc": list(e.get("loc", ())), "msg": e.get("msg")} for e in errors]
        return error_response(request, 422, _validation_message(errors), {"errors": detail})

    @app.exception_handler(Exception)
    async def unexpected(request: Request, err: Exception) -> Response:
        reference = secrets.token_hex(4)
        log.error("unexpected error %s on %s %s", reference, request.method, request.url.path, exc_info=err)
        return error_response(
            request,
            500,
            f"Something went wrong on our side; it was logged with reference {reference}. "
            "Please try again, and report it if it happens again.",
            {"reference": reference},
        )
