"""Uploads: the size limit enforced while the body streams in, and storing the file under a safe name.

A new run starts here, from the pages and the API alike: :func:`store_upload` (a file the person sent)
or :func:`store_sample` (a bundled sample), so both check and store a file the same way.

:class:`UploadLimitMiddleware` refuses a request whose declared length is over the limit before
reading it, and stops one without a declared length (chunked) as soon as it passes the limit, so an
oversized upload never fills the disk. It also refuses form data that ends before its closing
boundary: a form cut short loses its last part quietly in the parser (the file, often), and would
be answered "send a file" instead of "the upload was cut short". The file is then stored as ``upload.<ext>`` in the run's
folder: the user's file name is only ever displayed, never used as a path.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

from fastapi import UploadFile

from ..core.errors import ClusterLabError, InputError
from ..core.read.file_check import check_file
from ..core.read.readers import READERS
from ..samples import SAMPLES
from .storage import Run, RunStore

__all__ = [
    "UploadCutShort",
    "UploadLimitMiddleware",
    "UploadTooLarge",
    "check_upload_name",
    "copy_upload",
    "display_name",
    "limit_text",
    "store_sample",
    "store_upload",
]

MULTIPART_SLACK = 64 * 1024  # form fields and part headers around the file itself
CHUNK = 1024 * 1024

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


def limit_text(limit: int) -> str:
    mb = limit / 1024 / 1024
    return f"{mb:.0f} MB" if mb >= 1 else f"{limit / 1024:.0f} kB"


class UploadTooLarge(ClusterLabError):
    """The upload is over the server's size limit."""

    status_code = 413

    def __init__(self, limit: int, size: int | None = None) -> None:
        got = f" ({size / 1024 / 1024:.1f} MB)" if size else ""
        super().__init__(
            f"The file is too large{got}: this server accepts files up to {limit_text(limit)}. "
            "Save it as .parquet or .csv (often much smaller than .xlsx), or leave out columns you do not need.",
            detail={"limit_bytes": limit, "size_bytes": size},
        )


class UploadCutShort(ClusterLabError):
    """The form data ended before its closing boundary."""

    def __init__(self, received: int) -> None:
        super().__init__(
            f"The upload was cut short: the form data ended after {received:,} bytes without its closing "
            "boundary, so the file (or part of it) is missing. Send it again; if it keeps failing, check "
            "the connection or the client that builds the request.",
            detail={"received_bytes": received, "reason": "truncated"},
        )


def _boundary(headers: list[tuple[bytes, bytes]]) -> bytes | None:
    content_type = next((v for k, v in headers if k.lower() == b"content-type"), b"")
    found = re.search(rb'boundary="?([^";]+)"?', content_type)
    return found.group(1) if content_type.startswith(b"multipart/form-data") and found else None


class UploadLimitMiddleware:
    """Pure ASGI middleware counting the body bytes of upload requests (POST to ``paths``)."""

    def __init__(
        self, app: Callable[[Scope, Receive, Send], Awaitable[None]], limit: int, paths: tuple[str, ...]
    ):
        self.app = app
        self.limit = limit
        self.paths = paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or scope["path"] not in self.paths:
            await self.app(scope, receive, send)
            return
        allowed = self.limit + MULTIPART_SLACK
        declared = next((v for k, v in scope["headers"] if k.lower() == b"content-length"), None)
        size = int(declared) if declared is not None and declared.isdigit() else 0
        boundary = _boundary(scope["headers"])
        closing = b"--" + boundary + b"--" if boundary else b""
        seen, tail = 0, b""

        async def counted() -> Message:
            nonlocal seen, tail
            if size > allowed:  # refused before a byte is read, with the size it declared
                raise UploadTooLarge(self.limit, size)
            message = await receive()
            if message["type"] == "http.request":
                body = message.get("body", b"")
                seen += len(body)
                if seen > allowed:
                    raise UploadTooLarge(self.limit, None)
                tail = (tail + body)[-(len(closing) + 1024) :]  # the closing boundary, and an epilogue
                if closing and not message.get("more_body", False) and closing not in tail:
                    raise UploadCutShort(seen)
            return message

        await self.app(scope, counted, send)


def display_name(raw: str | None) -> str:
    """The user's file name without any folder part, for display only."""
    name = PureWindowsPath(PurePosixPath(raw or "").name).name.strip()
    name = "".join(ch for ch in name if ch.isprintable())
    if len(name) > _NAME_LIMIT:  # cut the stem, not the extension that says how to read the file
        suffix = PurePosixPath(name).suffix[:20]
        name = name[: _NAME_LIMIT - len(suffix)] + suffix
    return name or "upload"


_NAME_LIMIT = 180


def check_upload_name(name: str) -> str:
    """The (lower case) extension, or an :class:`InputError` naming the formats that work."""
    suffix = Path(name).suffix.lower()
    if suffix not in READERS:
        known = ", ".join(sorted(READERS))
        raise InputError(
            f"'{name}' is not a spreadsheet this app reads (extension '{suffix or 'none'}'). "
            f"Upload one of: {known}.",
            detail={"file": name, "extension": suffix},
        )
    return suffix


def copy_upload(source: Any, target: Path, limit: int, name: str) -> int:
    """Copy an uploaded file object to ``target`` in chunks, stopping at ``limit``; check its content.

    Returns the size. Raises :class:`UploadTooLarge`, or :class:`InputError` when the content does
    not match its extension (an .xlsx that is really a text file...); the partial file is removed.
    """
    size = 0
    try:
        with target.open("wb") as out:
            while chunk := source.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise UploadTooLarge(limit, None)
                out.write(chunk)
        fmt = READERS[target.suffix.lower()].format
        check_file(target, fmt, name, scan_sheets=False)  # the reading scans the sheets
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return size


def copy_sample(source: Path, target: Path) -> int:
    shutil.copyfile(source, target)
    return target.stat().st_size


def store_upload(store: RunStore, owner: str, file: UploadFile, limit: int, **options: Any) -> Run:
    """A new run holding the uploaded ``file``: its name and content checked, copied in chunks up to
    ``limit`` bytes (in the thread pool that runs the handler). When anything fails, no half-made run is
    left behind. ``options``: ``choices`` and ``settings`` for :meth:`RunStore.create`."""
    name = display_name(file.filename)
    suffix = check_upload_name(name)
    run = store.create(owner, name, suffix, **options)
    try:
        size = copy_upload(file.file, store.upload_path(run), limit, name)
    except BaseException:
        store.delete(run.id)
        raise
    store.set_size(run.id, size)
    return run


def store_sample(store: RunStore, owner: str, name: str, **options: Any) -> Run:
    """A new run holding the bundled sample ``name`` (a key of :data:`SAMPLES`)."""
    chosen = SAMPLES[name]
    # The sample's own settings (k = 1 for anomalies) unless the caller chose otherwise.
    options["settings"] = {**chosen.settings, **(options.get("settings") or {})}
    run = store.create(owner, chosen.file, Path(chosen.file).suffix, sample=name, **options)
    store.set_size(run.id, copy_sample(chosen.path, store.upload_path(run)))
    return run
