"""How the web app words the controls the core's messages name (see :mod:`clusterlab.core.errors`).

The core writes "Turn off with {heavy_tails="keep"}."; the command line says ``--heavy-tails keep``.
Here there are two faces. The pages name a control where a person finds it: an option by the label
it has in Options (its label, and an option's words), a column choice by what to pick under "Use as"
in Your data: "Turn off with 'Long-tailed amounts' set to 'keep them as they are' in Options." The
API names the field of ``POST /api/runs``: "Turn off with heavy_tails=keep." A setting the web app
does not offer (the Dask engine) is named on the pages by its label, as the command line's, and in
the API as the command line's flag; the pages never show a flag.

Errors are worded in :func:`clusterlab.web.errors.error_response` (pages or API by the request), a
failed run's stored error where it is shown (the ``words`` filter of the pages' templates, the API's
run), and notes when the results page and the data overview are built (:mod:`.views`,
:mod:`.inspection`).
"""

from __future__ import annotations

import json
from typing import Any

from ..core.errors import Control, python_words, render
from ..core.settings import SETTINGS
from .forms import ROLE_CHOICES

__all__ = ["api_text", "api_words", "page_text", "page_words"]

_SPECS = {spec.name: spec for spec in SETTINGS}
_COLUMN_CHOICES = {"roles", "exclude", "ordinal", "label"}
_USE_AS = "'Use as' in Your data"


def _listed(values: Any) -> str:
    return ", ".join(f"'{v}'" for v in values)


def page_words(control: Control) -> str:
    """A control as a person finds it on the pages."""
    name, value = control.name, control.value
    spec = _SPECS.get(name)
    if name == "sheet":
        return "the Sheet menu in Your data" + (f" ('{value}')" if value is not None else "")
    if spec is not None and spec.web:
        if value is None:
            return f"'{spec.label}' in Options"
        return f"'{spec.label}' set to '{spec.option_words(value)}' in Options"
    if name in _COLUMN_CHOICES:
        return _column_choice(name, value)
    if spec is not None:  # a setting of the command line only: named in words, never as its flag
        where = f"the command line's '{spec.label}'"
        shown = "" if value is None else f" set to '{spec.option_words(value)}'"
        return f"{where}{shown} (not offered in the web app)"
    return _not_offered(control)


def _column_choice(name: str, value: Any) -> str:
    if name == "ordinal":
        if isinstance(value, dict) and value:
            column, levels = next(iter(value.items()))
            return f"an order for column '{column}' in Order categories ({', '.join(map(str, levels))})"
        return "Order categories"
    pick = {"exclude": "Leave out", "label": "Known groups"}
    if name == "roles" and isinstance(value, dict) and value:
        column, role = next(iter(value.items()))
        return f"'{ROLE_CHOICES.get(role, role)}' under {_USE_AS} for column '{column}'"
    if name in pick and value:
        columns = [value] if isinstance(value, str) else list(value)
        return f"'{pick[name]}' under {_USE_AS} for column {_listed(columns)}"
    return f"'{pick[name]}' under {_USE_AS}" if name in pick else _USE_AS


def _not_offered(control: Control) -> str:
    if control.name == "out":
        return "the output folder"
    flag = "--" + control.name.replace("_", "-")
    value = "" if control.value is None else f" {control.value}"
    return f"{flag}{value} of the command line (not offered in the web app)"


def api_words(control: Control) -> str:
    """A control as the field of ``POST /api/runs`` that sets it."""
    name, value = control.name, control.value
    spec = _SPECS.get(name)
    if name in _COLUMN_CHOICES or name == "sheet" or (spec is not None and spec.web):
        if value is None:
            return name
        shown = value if isinstance(value, str | int | float) else json.dumps(value, ensure_ascii=False)
        return f"{name}={shown}"
    if name == "out":
        return python_words(control)
    return _not_offered(control)


def page_text(template: str | None) -> str:
    """A message as the pages show it (the ``words`` filter of their templates)."""
    return render(template or "", page_words)


def api_text(template: str | None) -> str:
    """A message as the API answers it."""
    return render(template or "", api_words)
