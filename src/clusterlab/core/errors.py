"""Errors and notes: what the core tells people.

Every problem a user can fix is a :class:`ClusterLabError` whose message names the file or column,
gives the numbers and says the fix. The CLI and the web app turn these into an exit code or an HTTP
response in exactly one place each; anything else escaping the core is a bug (exit 1 / HTTP 500).

Non-fatal facts ("Column 'income' has 12 empty cells; they were filled with the median") are
:class:`Note` objects collected along the pipeline and reported in the CLI, summary.json and the web page.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

__all__ = ["ClusterLabError", "InputError", "ModelError", "Note", "SettingsError"]


class ClusterLabError(Exception):
    """A problem the user can fix. ``str(err)`` is one sentence (or two) fit to show as is.

    Parameters
    ----------
    message : str
        What went wrong and how to fix it, naming the file, column and numbers involved.
    detail : dict, optional
        Machine-readable facts for the API (``{"column": "income", "count": 12}``).
    """

    status_code = 400  # the HTTP status the web shell answers with
    exit_code = 2  # the CLI exit code

    def __init__(self, message: str, *, detail: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail or {}

    def __str__(self) -> str:
        return self.message


class InputError(ClusterLabError):
    """The file or the data in it cannot be used as given."""


class SettingsError(ClusterLabError):
    """A setting or column choice is invalid (unknown column, out of range, malformed order)."""

    status_code = 422


class ModelError(ClusterLabError):
    """A saved model file cannot be read or does not fit the data it is applied to."""


@dataclass(frozen=True)
class Note:
    """A fact worth telling the user that does not stop the run.

    ``stage`` is the pipeline stage that produced it; ``column`` and ``count`` let the web page group
    notes by column. ``level`` is "info" for automatic choices and "warning" for data problems.
    """

    stage: str
    message: str
    column: str | None = None
    count: int | None = None
    level: str = "info"

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}
