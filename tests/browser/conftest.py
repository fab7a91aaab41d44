"""Browser tests: the real server (a subprocess, as `clusterlab serve` runs it) driven by the system Chromium.

Never `playwright install`: the tests use Debian's /usr/bin/chromium. Without it they skip locally and
fail in CI (CI=true), where `make test` installs it first.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"
DESKTOP = {"width": 1280, "height": 860}
PHONE = {"width": 390, "height": 844}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """`clusterlab serve` in a subprocess on a free port, with its own data folder."""

    def __init__(self, data_dir: Path, **flags: str) -> None:
        self.data_dir = data_dir
        self.flags = flags
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None
        self.log = data_dir.parent / f"server-{self.port}.log"

    def start(self) -> Server:
        import httpx

        args = [
            sys.executable,
            "-m",
            "clusterlab",
            "serve",
            "--port",
            str(self.port),
            "--data-dir",
            str(self.data_dir),
        ]
        for name, value in {"workers": "1", **self.flags}.items():
            args += ["--" + name.replace("_", "-"), value]
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        env.pop("CLUSTERLAB_ACCESS_TOKEN", None)
        self.process = subprocess.Popen(args, stdout=self.log.open("ab"), stderr=subprocess.STDOUT, env=env)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited early:\n{self.log.read_text()}")
            try:
                if httpx.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                time.sleep(0.2)
        raise RuntimeError(f"server did not start:\n{self.log.read_text()}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None


@pytest.fixture
def server_factory(tmp_path: Path) -> Iterator[Callable[..., Server]]:
    servers: list[Server] = []

    def make(data_dir: Path | None = None, **flags: str) -> Server:
        server = Server(data_dir or tmp_path / "data", **flags).start()
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.stop()


@pytest.fixture
def server(server_factory: Callable[..., Server]) -> Server:
    return server_factory()


@pytest.fixture
def shoot() -> Callable[..., Path]:
    """Save a full-page screenshot under test-artifacts/browser/ (kept for people to look at)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(page: object, name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        # Charts draw one by one after the page loads; wait until every one is on the page.
        # (A polling loop, not wait_for_function: the pages' CSP rightly forbids evaluating strings.)
        deadline = time.monotonic() + 60
        while page.evaluate("!!document.querySelector('[data-chart]:not([data-ready])')"):  # type: ignore[attr-defined]
            if time.monotonic() > deadline:
                raise AssertionError(f"charts on {page.url} were not all drawn within 60 s")  # type: ignore[attr-defined]
            page.wait_for_timeout(100)  # type: ignore[attr-defined]
        page.wait_for_timeout(150)  # type: ignore[attr-defined]
        page.screenshot(path=str(path), full_page=True)  # type: ignore[attr-defined]
        return path

    return take


# What a reader would see cut off: the page wider than the window, an element running past the
# window's right edge outside any box that scrolls or clips it, or a table wider than its box whose
# box does not say it scrolls (app.js marks it and puts a hint above it).
_LAYOUT_PROBLEMS = """() => {
  const width = document.documentElement.clientWidth;
  const problems = [];
  if (document.documentElement.scrollWidth > width + 1) {
    problems.push('the page is ' + document.documentElement.scrollWidth + ' px wide');
  }
  const clipped = (el) => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      if (['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(p).overflowX)) { return true; }
    }
    return false;
  };
  for (const el of document.querySelectorAll('body *')) {
    const box = el.getBoundingClientRect();
    if (box.width > 0 && box.right > width + 1 && !clipped(el)) {
      problems.push('<' + el.tagName.toLowerCase() + ' class="' + el.className + '"> ends at ' +
        Math.round(box.right) + ' px: ' + (el.textContent || '').trim().slice(0, 40));
    }
  }
  for (const scroller of document.querySelectorAll('.table-scroll')) {
    if (scroller.clientWidth === 0 || scroller.scrollWidth <= scroller.clientWidth + 2) { continue; }
    const hint = scroller.previousElementSibling;
    const cued = scroller.classList.contains('is-scrollable') && hint && hint.classList.contains('scroll-hint') &&
      !hint.hidden && hint.offsetHeight > 0 && getComputedStyle(scroller).maskImage !== 'none';
    if (!cued) {
      const label = scroller.querySelector('caption, th');
      problems.push('a table scrolls without a cue: ' + (label ? label.textContent.trim().slice(0, 40) : ''));
    }
  }
  return problems.slice(0, 10);
}"""


def layout_problems(page: object) -> list[str]:
    """Everything on ``page`` cut off or scrolling unannounced (see _LAYOUT_PROBLEMS); [] when it fits."""
    return list(page.evaluate(_LAYOUT_PROBLEMS))  # type: ignore[attr-defined]


class ConsoleErrors(list):
    """Console errors and failed requests of a page (a CSP violation or a 404 asset shows up here)."""

    def watch(self, page: object) -> object:
        page.on("console", lambda m: self.append(f"console: {m.text}") if m.type == "error" else None)  # type: ignore[attr-defined]
        page.on("pageerror", lambda e: self.append(f"pageerror: {e}"))  # type: ignore[attr-defined]
        return page


@pytest.fixture
def console_errors() -> ConsoleErrors:
    return ConsoleErrors()
