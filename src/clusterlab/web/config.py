"""Server settings: a small table of its own, feeding `clusterlab serve` flags and the app.

These are settings of a deployment (where runs live, how big an upload may be, who may use it), not of
a clustering run; run settings stay in :mod:`clusterlab.core.settings`. Each field's metadata gives the
flag's help; an environment variable ``CLUSTERLAB_<NAME>`` sets the default, which keeps the access
token out of the process list. This module imports only the standard library so the CLI can build its
flags without the web extras installed.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

__all__ = ["SERVER_SETTINGS", "ServerConfig", "ServerSettingSpec"]


def _server(default: Any, help: str, *, kind: str, minimum: float | None = None) -> Any:
    return field(default=default, metadata={"help": help, "kind": kind, "minimum": minimum})


@dataclass(frozen=True)
class ServerConfig:
    """How one web server runs. Build from flags or environment with :meth:`from_values`.

    Examples
    --------
    >>> ServerConfig.from_values({"upload_limit_mb": "5"}, environ={}).upload_limit_bytes
    5242880
    """

    # _server() returns a dataclasses.field, like _setting() in core/settings.py.
    data_dir: Path = _server(  # noqa: RUF009
        ".clusterlab-data", "Folder for uploads, results and the run database.", kind="path"
    )
    upload_limit_mb: float = _server(
        100.0,
        "Largest upload accepted, in MB (enforced while the file streams in).",
        kind="float",
        minimum=0.01,
    )
    access_token: str | None = _server(
        None,
        "Password asked of every visitor (and accepted as 'Authorization: Bearer ...' by the API); "
        "unset: open to anyone who can reach the server.",
        kind="secret",
    )
    workers: int = _server(
        2, "Clustering jobs run at the same time (each in its own process).", kind="int", minimum=1
    )
    executor: str = _server(
        "process",
        "Where jobs run: 'process' (a local process pool), 'dask' (a Dask cluster, see --scheduler; "
        "workers must see the data folder) or 'thread' (tests).",
        kind="choice",
    )
    scheduler: str | None = _server(
        None,
        "Dask scheduler address for --executor dask, e.g. tcp://HOST:8786 (unset: a local Dask cluster "
        "with 'workers' worker processes).",
        kind="str",
    )

    @property
    def upload_limit_bytes(self) -> int:
        return int(self.upload_limit_mb * 1024 * 1024)

    @property
    def db_path(self) -> Path:
        return self.data_dir / "runs.sqlite3"

    @classmethod
    def from_values(
        cls, values: Mapping[str, Any] | None = None, *, environ: Mapping[str, str] | None = None
    ) -> ServerConfig:
        """Values given (not None) win over ``CLUSTERLAB_<NAME>`` environment variables, then defaults."""
        environ = os.environ if environ is None else environ
        given = {k: v for k, v in (values or {}).items() if v is not None}
        converted: dict[str, Any] = {}
        for spec in SERVER_SETTINGS:
            raw = given.get(spec.name, environ.get(spec.env))
            if raw is None or raw == "":
                continue
            converted[spec.name] = spec.convert(raw)
        return cls(**converted)

    def replace(self, **changes: Any) -> ServerConfig:
        return replace(self, **changes)

    def __post_init__(self) -> None:
        object.__setattr__(self, "data_dir", Path(self.data_dir).expanduser())
        if self.executor not in ("process", "thread", "dask"):
            raise ValueError(
                f"Server setting 'executor' must be 'process', 'dask' or 'thread'; got {self.executor!r}."
            )
        if self.workers < 1 or self.upload_limit_mb <= 0:
            raise ValueError("Server settings 'workers' and 'upload_limit_mb' must be positive.")


@dataclass(frozen=True)
class ServerSettingSpec:
    """One row of the server settings table."""

    name: str
    default: Any
    help: str
    kind: str
    minimum: float | None

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")

    @property
    def env(self) -> str:
        return "CLUSTERLAB_" + self.name.upper()

    def convert(self, raw: Any) -> Any:
        try:
            if self.kind == "path":
                return Path(raw).expanduser()
            if self.kind == "int":
                value: Any = int(raw)
            elif self.kind == "float":
                value = float(raw)
            else:
                return str(raw)
        except (TypeError, ValueError):
            raise ValueError(f"Server setting '{self.name}' must be a number; got {raw!r}.") from None
        if self.minimum is not None and value < self.minimum:
            raise ValueError(f"Server setting '{self.name}' must be at least {self.minimum:g}; got {raw!r}.")
        return value


SERVER_SETTINGS: tuple[ServerSettingSpec, ...] = tuple(
    ServerSettingSpec(f.name, f.default, f.metadata["help"], f.metadata["kind"], f.metadata["minimum"])
    for f in fields(ServerConfig)
)
