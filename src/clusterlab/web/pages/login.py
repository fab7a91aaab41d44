"""Sign in, only on a server started with an access token: the token once, then a signed cookie."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ..dependencies import AppUrls, State
from ..form_models import LoginForm
from ..owners import ACCESS_COOKIE, cookie_header
from .wizard import redirect, render

__all__ = ["router"]

router = APIRouter()


def _safe_next(target: str | None, home: str) -> str:
    """Only a path on this server: never an open redirect to another site."""
    parts = urlsplit(target or home)
    if parts.scheme or parts.netloc or not (target or "/").startswith("/") or (target or "").startswith("//"):
        return home
    return target or home


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, state: State, urls: AppUrls, next: str | None = None) -> Response:
    if not state.keys.token:
        return redirect(request, "home")
    return render(request, "login.html", next=_safe_next(next, urls("home")), error=None)


@router.post("/login")
def login(request: Request, form: Annotated[LoginForm, Form()], state: State, urls: AppUrls) -> Response:
    keys = state.keys
    target = _safe_next(form.next, urls("home"))
    if not keys.token:
        return redirect(request, "home")
    if not keys.token_ok(form.token):
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
