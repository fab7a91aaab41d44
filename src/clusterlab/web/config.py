"""Server settings: a pydantic-settings model feeding `clusterlab serve` flags and the app.

These are settings of a deployment (where runs live, how big an upload may be, who may use it), not of
a clustering run; run settings stay in :mod:`clusterlab.core.settings`. Each field's description is its
flag's help and its bounds are checked by pydantic. A value given as a flag wins over the environment
variable ``CLUSTERLAB_<NAME>`` (which keeps the access token out of the process list), which wins over
the default. This module imports pydantic-settings and nothing else of the web app, so the CLI builds
the flags without FastAPI; without the web extras, ``clusterlab serve`` says how to install them.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["ENV_PREFIX", "ServerConfig"]

ENV_PREFIX = "CLUSTERLAB_"


class ServerConfig(BaseSettings):
    """How one web server runs. Build from flags and the environment with :meth:`from_values`.

    Examples
    --------
    >>> ServerConfig(upload_limit_mb=5).upload_limit_bytes
    5242880
    """

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, env_ignore_empty=True, frozen=True)

    data_dir: Path = Field(
        Path(".clusterlab-data"), description="Folder for uploads, results and the run database."
    )
    upload_limit_mb: float = Field(
        100.0, ge=0.01, description="Largest upload accepted, in MB (enforced while the file streams in)."
    )
    access_token: SecretStr | None = Field(
        None,
        description="Password asked of every visitor (and accepted as 'Authorization: Bearer ...' by the "
        "API); unset: open to anyone who can reach the server.",
    )
    access_token_file: Path | None = Field(
        None,
        description="A file holding the access token (a Docker or Kubernetes secret, e.g. "
        "/run/secrets/clusterlab_token), instead of --access-token.",
    )
    workers: int = Field(
        2, ge=1, description="Clustering jobs run at the same time (each in its own process)."
    )
    executor: Literal["process", "dask", "thread"] = Field(
        "process",
        description="Where jobs run: 'process' (a process per job on this machine), 'dask' (a Dask cluster, see "
        "--scheduler; workers must see the data folder) or 'thread' (tests).",
    )
    scheduler: str | None = Field(
        None,
        description="Dask scheduler address for --executor dask, e.g. tcp://HOST:8786 (unset: a local Dask "
        "cluster with 'workers' worker processes).",
    )
    job_time_limit: float = Field(
        15.0,
        ge=0,
        description="Minutes a job (reading a file, or clustering it) may run before it is stopped and "
        "its run fails; 0: no limit. For --executor process.",
    )
    job_memory_limit_mb: float | Literal["auto"] = Field(
        "auto",
        description="MB of memory one job's process may hold before it is stopped and its run fails; "
        "auto: this machine's (or container's) memory shared among the workers and the server; 0: no "
        "limit. For --executor process.",
    )
    runs_per_owner: int = Field(
        3,
        ge=0,
        description="Runs one browser (or API cookie) may have reading, queued or running at once; "
        "0: no limit.",
    )

    @field_validator("data_dir", "access_token_file")
    @classmethod
    def _expand_home(cls, value: Path | None) -> Path | None:
        return value.expanduser() if value is not None else None

    @field_validator("job_memory_limit_mb", mode="before")
    @classmethod
    def _megabytes_or_auto(cls, value: Any) -> float | str:
        if isinstance(value, str) and value.strip().lower() == "auto":
            return "auto"
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = -1.0
        if not number >= 0:  # also NaN
            raise ValueError("must be a number of MB, 0 (no limit) or 'auto'")
        return number

    @field_validator("access_token_file")
    @classmethod
    def _readable(cls, value: Path | None) -> Path | None:
        if value is not None and not _read_token(value):
            raise ValueError("must be a readable file holding the token (it is missing, unreadable or empty)")
        return value

    @model_validator(mode="after")
    def _one_token(self) -> ServerConfig:
        if self.access_token is not None and self.access_token_file is not None:
            raise ValueError(
                "Give the access token once: --access-token (CLUSTERLAB_ACCESS_TOKEN) or --access-token-file "
                "(CLUSTERLAB_ACCESS_TOKEN_FILE), not both"
            )
        return self

    @property
    def upload_limit_bytes(self) -> int:
        return int(self.upload_limit_mb * 1024 * 1024)

    @property
    def db_path(self) -> Path:
        return self.data_dir / "runs.sqlite3"

    @property
    def token(self) -> str | None:
        """The access token in clear, for checking a visitor's (the field itself never prints it)."""
        if self.access_token_file is not None:
            return _read_token(self.access_token_file)
        return self.access_token.get_secret_value() if self.access_token else None

    @property
    def job_time_limit_seconds(self) -> float | None:
        return self.job_time_limit * 60 or None

    @property
    def job_memory_limit_bytes(self) -> int | None:
        """The memory limit of a job; with 'auto', the machine's memory over (workers + 1): the workers
        at their limits together still leave a share for the server and the system."""
        if self.job_memory_limit_mb == "auto":
            total = machine_memory()
            return total // (self.workers + 1) if total else None
        return int(self.job_memory_limit_mb * 1024 * 1024) or None

    @staticmethod
    def flag(name: str) -> str:
        """The `clusterlab serve` flag of a field: ``upload_limit_mb`` -> ``--upload-limit-mb``."""
        return "--" + name.replace("_", "-")

    @staticmethod
    def env(name: str) -> str:
        """The environment variable of a field: ``workers`` -> ``CLUSTERLAB_WORKERS``."""
        return ENV_PREFIX + name.upper()

    @classmethod
    def from_values(cls, values: Mapping[str, Any] | None = None) -> ServerConfig:
        """Values given (not None, e.g. flags) win over ``CLUSTERLAB_<NAME>`` variables, then the defaults.

        A bad value raises ValueError naming where it came from, its flag or its variable:
        "--workers must be a valid integer, unable to parse string as an integer; got 'two'."
        """
        given = {name: value for name, value in (values or {}).items() if value is not None}
        try:
            return cls(**given)
        except ValidationError as err:
            problems = []
            for error in err.errors():
                name = str(error["loc"][0]) if error["loc"] else ""
                if not name:  # about several fields at once: the message names them
                    problems.append(error["msg"].removeprefix("Value error, ") + ".")
                    continue
                where = cls.flag(name) if name in given else cls.env(name)
                words = error["msg"].replace("Input should be", "must be", 1).replace("Value error, ", "")
                problems.append(f"{where} {words}; got {error['input']!r}.")
            raise ValueError(" ".join(problems)) from None


def _read_token(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8").strip() or None
    except (OSError, UnicodeDecodeError):
        return None


CGROUP_LIMITS = ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes")  # v2, v1


def machine_memory(limit_files: tuple[str, ...] = CGROUP_LIMITS) -> int | None:
    """Bytes of memory this server may use: the container's limit (cgroup v2 or v1) when there is one,
    else the machine's physical memory; None when neither can be read."""
    physical = None
    with contextlib.suppress(AttributeError, ValueError, OSError):  # not a POSIX system
        physical = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    for limit_file in limit_files:
        try:
            text = Path(limit_file).read_text().strip()
        except OSError:
            continue
        if text.isdigit() and (physical is None or int(text) < physical):  # "max" or a huge v1 value: none
            return int(text)
    return physical
