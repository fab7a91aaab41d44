"""Who is asking: an anonymous owner per browser, and an optional access token for the deployment.

Each browser gets a random owner id in a signed, HttpOnly, SameSite=Lax cookie; runs belong to that
id, and anyone else's run answers 404 (not 403: the run's existence is not confirmed). The signing key
lives in the data folder, so owners keep their runs across server restarts.

With an access token set, every page asks for it once (a signed cookie remembers it; changing the
token signs everyone out) and the API accepts ``Authorization: Bearer <token>``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

from itsdangerous import BadSignature, Signer
from starlette.datastructures import URL

__all__ = ["ACCESS_COOKIE", "OWNER_COOKIE", "AccessMiddleware", "Keys", "load_secret"]

OWNER_COOKIE = "clusterlab_owner"
ACCESS_COOKIE = "clusterlab_access"
COOKIE_AGE = 400 * 24 * 3600  # the longest lifetime browsers accept
# The assets are public (the app's own and the pinned Plotly): report.html read in the app, sandboxed
# in an origin of its own, loads Plotly without the cookies a token would need.
OPEN_PATHS = ("/static/", "/static-lib/", "/login", "/healthz", "/favicon.ico")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


def load_secret(data_dir: Path) -> bytes:
    """The cookie signing key, created once per data folder (readable by the owner only)."""
    path = data_dir / "secret.key"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text().strip().encode()


class Keys:
    """Signing and checking of the owner and access cookies."""

    def __init__(self, secret: bytes, token: str | None) -> None:
        self.owner_signer = Signer(secret, salt="clusterlab.owner")
        self.access_signer = Signer(secret, salt="clusterlab.access")
        self.token = token
        self.token_digest = hashlib.sha256(token.encode()).hexdigest()[:32] if token else ""

    def owner_from(self, cookie: str | None) -> str | None:
        if not cookie:
            return None
        try:
            return self.owner_signer.unsign(cookie).decode()
        except BadSignature:
            return None

    def new_owner(self) -> tuple[str, str]:
        owner = secrets.token_urlsafe(18)
        return owner, self.owner_signer.sign(owner).decode()

    def token_ok(self, given: str) -> bool:
        return bool(self.token) and hmac.compare_digest(given.encode(), self.token.encode())  # type: ignore[union-attr]

    def access_cookie(self) -> str:
        return self.access_signer.sign(self.token_digest).decode()

    def access_ok(self, cookie: str | None) -> bool:
        if not cookie:
            return False
        try:
            return hmac.compare_digest(self.access_signer.unsign(cookie).decode(), self.token_digest)
        except BadSignature:
            return False


def cookie_header(name: str, value: str, *, secure: bool, max_age: int = COOKIE_AGE) -> bytes:
    parts = [f"{name}={value}", "Path=/", "HttpOnly", "SameSite=Lax", f"Max-Age={max_age}"]
    if secure:
        parts.append("Secure")
    return "; ".join(parts).encode("latin-1")


class AccessMiddleware:
    """Pure ASGI middleware: sets ``scope["state"]["owner"]`` and enforces the access token."""

    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]], keys: Keys) -> None:
        self.app = app
        self.keys = keys

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        cookies = _cookies(headers.get("cookie", ""))
        path: str = scope["path"]
        if self.keys.token and not path.startswith(OPEN_PATHS) and not self._authorised(headers, cookies):
            await self._refuse(scope, path, send)
            return
        owner = self.keys.owner_from(cookies.get(OWNER_COOKIE))
        new_cookie = None
        if owner is None:
            owner, new_cookie = self.keys.new_owner()
        scope.setdefault("state", {})["owner"] = owner
        if new_cookie is None or path.startswith(("/static/", "/static-lib/")):
            await self.app(scope, receive, send)
            return
        secure = scope.get("scheme") == "https"

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = [
                    *message["headers"],
                    (b"set-cookie", cookie_header(OWNER_COOKIE, new_cookie, secure=secure)),
                ]
            await send(message)

        await self.app(scope, receive, send_with_cookie)

    def _authorised(self, headers: dict[str, str], cookies: dict[str, str]) -> bool:
        auth = headers.get("authorization", "")
        if auth.lower().startswith("bearer ") and self.keys.token_ok(auth[7:].strip()):
            return True
        return self.keys.access_ok(cookies.get(ACCESS_COOKIE))

    async def _refuse(self, scope: Scope, path: str, send: Send) -> None:
        if path.startswith(("/api/", "/openapi.json", "/docs")):
            body = json.dumps(
                {
                    "error": "This server needs an access token: send 'Authorization: Bearer <token>'.",
                    "detail": {"reason": "unauthorised"},
                }
            ).encode()
            headers = [(b"content-type", b"application/json"), (b"www-authenticate", b"Bearer")]
            status = 401
        else:
            query = scope.get("query_string", b"").decode("latin-1")
            target = path + ("?" + query if query else "")
            login = URL(scope["app"].url_path_for("login_page")).include_query_params(next=target)
            body = b""
            headers = [(b"location", str(login).encode("latin-1"))]
            status = 303
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def _cookies(header: str) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(header)
    except Exception:  # a malformed Cookie header from some other site's cookies: ignore them all
        return {}
    return {key: morsel.value for key, morsel in jar.items()}
