"""Sign in, only on a server started with an access token: the token once, then a signed cookie."""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ..owners import ACCESS_COOKIE, cookie_header
from .wizard import render, state

__all__ = ["router"]

router = APIRouter()


def _safe_next(target: str | None) -> str:
    """Only a path on this server: never an open redirect to another site."""
    parts = urlsplit(target or "/")
    if parts.scheme or parts.netloc or not (target or "/").startswith("/") or (target or "").startswith("//"):
        return "/"
    return target or "/"


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str = "/") -> Response:
    if not state(request).keys.token:
        return RedirectResponse("/", status_code=303)
    return render(request, "login.html", next=_safe_next(next), error=None)


@router.post("/login")
async def login(request: Request) -> Response:
    keys = state(request).keys
    form = await request.form()
    target = _safe_next(str(form.get("next", "/")))
    if not keys.token:
        return RedirectResponse("/", status_code=303)
    if not keys.token_ok(str(form.get("token", ""))):
        return render(
            request,
            "login.html",
            status=401,
            next=target,
            error="That is not the access token of this server.",
        )
    response = RedirectResponse(target, status_code=303)
    secure = request.url.scheme == "https"
    response.headers.append(
        "set-cookie", cookie_header(ACCESS_COOKIE, keys.access_cookie(), secure=secure).decode()
    )
    return response
