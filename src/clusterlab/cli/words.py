"""How the command line names what a core message asks the user to change: the flag, with its value."""

from __future__ import annotations

from typing import Any

from ..core.settings import SETTINGS

__all__ = ["flag_words"]


_CHOICE_FLAGS = {"roles": "--role", "exclude": "--exclude", "ordinal": "--ordinal", "label": "--label"}


def flag_words(control: Any) -> str:
    """The command line's face of a control a core message names (a ``core.errors.Control``): the flag
    that sets it, with the value when the message gives one (``--heavy-tails keep``,
    ``--role Region=numeric``, ``--ordinal "Size=S,M,L"``)."""
    spec = next((s for s in SETTINGS if s.name == control.name), None)
    flag = spec.flag if spec else _CHOICE_FLAGS.get(control.name, "--" + control.name.replace("_", "-"))
    value = control.value
    if value is None:
        return flag
    if isinstance(value, dict):  # roles and ordinal: one flag per column
        return " ".join(f"{flag} {_shell_word(f'{c}={_joined(v)}')}" for c, v in value.items())
    return f"{flag} {_shell_word(_joined(value))}"


def _joined(value: Any) -> str:
    return ",".join(map(str, value)) if isinstance(value, list | tuple) else str(value)


def _shell_word(text: str) -> str:
    """``text`` as one word of a shell command: in double quotes when it has anything but plain characters."""
    if text and all(ch.isalnum() or ch in "_-.,=:/+@%" for ch in text):
        return text
    return '"' + "".join("\\" + ch if ch in '"\\$`' else ch for ch in text) + '"'
