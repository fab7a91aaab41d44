"""Server settings: a pydantic-settings model feeding `clusterlab serve` flags and the app.

These are settings of a deployment (where runs live, how big an upload may be, who may use it), not of
a clustering run; run settings stay in :mod:`clusterlab.core.settings`. Each field's description is its
flag's help and its bounds are checked by pydantic. A value given as a flag wins over the environment
variable ``CLUSTERLAB_<NAME>`` (which keeps the access token out of the process list), which wins over
the default. This module imports pydantic-settings and nothing else of the web app, so the CLI builds
the flags without FastAPI; without the web extras, ``clusterlab serve`` says how to install them.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
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
    workers: int = Field(
        2, ge=1, description="Clustering jobs run at the same time (each in its own process)."
    )
    executor: Literal["process", "dask", "thread"] = Field(
        "process",
        description="Where jobs run: 'process' (a local process pool), 'dask' (a Dask cluster, see "
        "--scheduler; workers must see the data folder) or 'thread' (tests).",
    )
    scheduler: str | None = Field(
        None,
        description="Dask scheduler address for --executor dask, e.g. tcp://HOST:8786 (unset: a local Dask "
        "cluster with 'workers' worker processes).",
    )

    @field_validator("data_dir")
    @classmethod
    def _expand_home(cls, value: Path) -> Path:
        return value.expanduser()

    @property
    def upload_limit_bytes(self) -> int:
        return int(self.upload_limit_mb * 1024 * 1024)

    @property
    def db_path(self) -> Path:
        return self.data_dir / "runs.sqlite3"

    @property
    def token(self) -> str | None:
        """The access token in clear, for checking a visitor's (the field itself never prints it)."""
        return self.access_token.get_secret_value() if self.access_token else None

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
                where = cls.flag(name) if name in given else cls.env(name)
                words = error["msg"].replace("Input should be", "must be", 1)
                problems.append(f"{where} {words}; got {error['input']!r}.")
            raise ValueError(" ".join(problems)) from None
