"""Errors and notes: what the core tells people, and the controls it tells them to change.

Every problem a user can fix is a :class:`ClusterLabError` whose message names the file or column,
gives the numbers and says the fix. The CLI and the web app turn these into an exit code or an HTTP
response in exactly one place each; anything else escaping the core is a bug (exit 1 / HTTP 500).

Non-fatal facts ("Column 'income' has 12 empty cells; they were filled with the median") are
:class:`Note` objects collected along the pipeline and reported in the CLI, summary.json and the web page.

The core does not know the faces it is shown on, so a message names a fix as a :class:`Control`, not
as a flag or a field: ``f"Turn off with {Control('heavy_tails', 'keep')}."`` is stored as the
template ``Turn off with {heavy_tails="keep"}.``, and each face words the control its own way when it
shows the message (:func:`render`): the CLI ``--heavy-tails keep``, the API ``heavy_tails=keep``, the
web page the option's label, the library (``str(err)``, summary.json, report.html) the keyword
argument ``heavy_tails="keep"``. A template keeps the control whole, value and all, so a stored
message (a failed run's error) is worded later by whichever face shows it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from typing import Any

__all__ = [
    "CONTROLS",
    "ClusterLabError",
    "Control",
    "Face",
    "InputError",
    "ModelError",
    "Note",
    "SettingsError",
    "python_words",
    "register_controls",
    "render",
]


@dataclass(frozen=True)
class Control:
    """Something a person changes to steer a run, named in a message: a setting (``heavy_tails``), a
    column choice (``roles``, ``exclude``, ``ordinal``, ``label``), the ``sheet``, the output folder
    (``out``), with the value that would do it (``Control("roles", {"Region": "numeric"})``) or
    without (the control itself: "{k_limit} must be ...").

    >>> f"Turn off with {Control('heavy_tails', 'keep')}."
    'Turn off with {heavy_tails="keep"}.'
    >>> render("Turn off with {heavy_tails=\\"keep\\"}.", python_words)
    'Turn off with heavy_tails="keep".'
    """

    name: str
    value: Any = None

    def __str__(self) -> str:
        if self.value is None:
            return "{" + self.name + "}"
        return "{" + self.name + "=" + json.dumps(self.value, ensure_ascii=False) + "}"


CONTROLS = {"roles", "exclude", "ordinal", "label", "out"}  # and every setting, see register_controls


def register_controls(names: Iterable[str]) -> None:
    """Add names a message may give as controls (:mod:`.settings` adds every setting's)."""
    CONTROLS.update(names)


Face = Callable[[Control], str]
"""How one face words a control: ``Control("heavy_tails", "keep")`` -> ``--heavy-tails keep``."""

_TOKEN = re.compile(r"\{([a-z][a-z0-9_]*)(=|\})")
_JSON = json.JSONDecoder()


def render(template: str, face: Face) -> str:
    """``template`` with each control token worded by ``face``. Text that only looks like a token stays
    as it is ("{x}", unless x is the name of a control: a column named "{label}" would read as the
    control, which is the one harm a hostile name can do here)."""
    out, at = [], 0
    for found in _TOKEN.finditer(template):
        if found.start() < at or found.group(1) not in CONTROLS:
            continue
        end, value = found.end(), None
        if found.group(2) == "=":
            try:
                value, end = _JSON.raw_decode(template, end)
            except ValueError:
                continue
            if template[end : end + 1] != "}" or value is None:
                continue
            end += 1
        out.append(template[at : found.start()] + face(Control(found.group(1), value)))
        at = end
    return "".join(out) + template[at:]


def python_words(control: Control) -> str:
    """The library's face: the keyword argument, as in ``cluster(..., heavy_tails="keep")``."""
    if control.name == "out":
        return "the folder given to save()"
    if control.value is None:
        return control.name
    return f"{control.name}={json.dumps(control.value, ensure_ascii=False)}"


class ClusterLabError(Exception):
    """A problem the user can fix. ``str(err)`` is one sentence (or two) fit to show as is.

    Parameters
    ----------
    message : str
        What went wrong and how to fix it, naming the file, column and numbers involved; the controls
        it names as :class:`Control` tokens (``message`` keeps them; :meth:`text` words them).
    detail : dict, optional
        Machine-readable facts for the API (``{"column": "income", "count": 12}``).
    """

    status_code = 400  # the HTTP status the web shell answers with
    exit_code = 2  # the CLI exit code

    def __init__(self, message: str, *, detail: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail or {}

    def text(self, face: Face = python_words) -> str:
        """The message as ``face`` words its controls (by default, as the library's keywords)."""
        return render(self.message, face)

    def __str__(self) -> str:
        return self.text()


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
    ``message`` may name controls as :class:`Control` tokens; :meth:`text` words them.
    """

    stage: str
    message: str
    column: str | None = None
    count: int | None = None
    level: str = "info"

    def text(self, face: Face = python_words) -> str:
        """The message as ``face`` words its controls (by default, as the library's keywords)."""
        return render(self.message, face)

    def to_dict(self, face: Face = python_words) -> dict[str, Any]:
        out = {k: v for k, v in asdict(self).items() if v is not None}
        return out | {"message": self.text(face)}
