"""Form logic of the pages: the options form built from the core settings table, column roles, orders.

The options form has one field per web-visible entry of :data:`clusterlab.core.SETTINGS` (label,
hint, group, bounds and the words of each choice all come from that table), grouped by what a person
decides with them, and is validated by :meth:`Settings.parse`, so a new setting shows up here without
touching the web app.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..core.errors import SettingsError
from ..core.settings import GROUPS, SETTINGS, Settings, SettingSpec

__all__ = [
    "ROLE_CHOICES",
    "ROLE_HINTS",
    "FormField",
    "column_state",
    "effective_role",
    "order_candidates",
    "parse_k",
    "parse_settings_form",
    "set_choice",
    "settings_fields",
    "settings_groups",
    "unknown_field",
]

# Roles a person can pick for a column in step 2, with the words shown for them.
ROLE_CHOICES: dict[str, str] = {
    "numeric": "Number",
    "binary": "Yes / no",
    "categorical": "Category",
    "ordinal": "Ordered category",
    "text": "Free text",
    "datetime": "Date",
    "identifier": "Identifier",
    "constant": "Constant",
    "excluded": "Leave out",
    "label": "Known groups",
}
ROLE_HINTS: dict[str, str] = {
    "numeric": "Used as a number",
    "binary": "Two values, used as 0 and 1",
    "categorical": "Each value is its own group",
    "ordinal": "Values in the order you gave",
    "text": "Free text, summarised by its words",
    "datetime": "Used as year and season",
    "identifier": "Kept in the output, not used for clustering",
    "constant": "The same everywhere: not used",
    "excluded": "Kept in the output, not used for clustering",
    "label": "Not used for clustering; the clusters are compared with it",
}


@dataclass(frozen=True)
class FormField:
    """One input of the options form: the setting, its value as text, and the setting's words."""

    spec: SettingSpec
    value: str

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def label(self) -> str:
        return self.spec.label

    @property
    def hint(self) -> str:
        return self.spec.help

    @property
    def group(self) -> str:
        return self.spec.group_title

    @property
    def changed(self) -> bool:
        """Set to something other than its default."""
        return self.value != ("" if self.spec.default is None else str(self.spec.default))

    @property
    def default(self) -> str:
        """The default as the form shows it: "10", "count them as the limit"."""
        return self.spec.option_words(self.spec.default)

    @property
    def input(self) -> dict[str, Any]:
        """The input's type and attributes (``min``, ``max``, ``step``, or ``options``: each choice with
        its words), from the setting's constraint."""
        found = self.spec.accepts.html_input()
        if found["type"] == "select":
            found["options"] = [(choice, self.spec.option_words(choice)) for choice in found["options"]]
        return found


def settings_fields(current: Mapping[str, Any], *, include_k: bool = False) -> list[FormField]:
    """The form's fields, filled with ``current`` or the defaults: group by group (in the order of
    :data:`~clusterlab.core.settings.GROUPS`), each group in the settings table's order."""
    order = list(GROUPS)
    fields = []
    for spec in sorted(SETTINGS, key=lambda spec: order.index(spec.group)):
        if not spec.web or (spec.name == "k" and not include_k):
            continue
        value = current.get(spec.name, spec.default)
        fields.append(FormField(spec, "" if value is None else str(value)))
    return fields


def settings_groups(fields: list[FormField]) -> list[tuple[str, list[FormField]]]:
    """``fields`` (in :func:`settings_fields`' order) under their groups' titles, in that order (Jinja's
    groupby would sort the titles)."""
    groups: dict[str, list[FormField]] = {}
    for f in fields:
        groups.setdefault(f.group, []).append(f)
    return list(groups.items())


def parse_settings_form(form: Mapping[str, Any], current: Mapping[str, Any]) -> dict[str, Any]:
    """Validate the options form; returns the settings that differ from the defaults (JSON-ready).

    Raises :class:`SettingsError` with the core's message ("Setting 'k_max' must be ...").
    """
    given = {spec.name: form[spec.name] for spec in SETTINGS if spec.web and spec.name in form}
    merged = {**current, **given}
    parsed = Settings.parse({k: v for k, v in merged.items() if v is not None})
    defaults = Settings()
    return {
        spec.name: getattr(parsed, spec.name)
        for spec in SETTINGS
        if getattr(parsed, spec.name) != getattr(defaults, spec.name)
    }


def unknown_field(name: str) -> SettingsError:
    """The error for a field a form does not have, in the settings table's words where it can: "Unknown
    setting 'kmax'. Did you mean 'k_max'?", or that a setting of the CLI's is not one of the web app's."""
    spec = next((s for s in SETTINGS if s.name == name), None)
    if spec is None:
        try:
            Settings.parse({name: None})
        except SettingsError as err:
            return err
    elif not spec.web:  # engine, scheduler: once accepted here and silently ignored
        return SettingsError(
            f"Setting '{name}' is not available in the web app; the server's --executor decides where "
            "jobs run (see clusterlab serve --help).",
            detail={"setting": name},
        )
    return SettingsError(f"This form has no field '{name}'.", detail={"field": name})


def parse_k(raw: Any) -> int | str:
    """The k a person chose, checked by the settings table's own rule for k."""
    spec = next(s for s in SETTINGS if s.name == "k")
    value = spec.convert(raw)
    spec.check(value)
    return value


def effective_role(column: Mapping[str, Any], choices: Mapping[str, Any]) -> str:
    """The role a column will have: the user's choice where there is one, else the detected role."""
    name = column["name"]
    if name in (choices.get("exclude") or ()):
        return "excluded"
    if name == choices.get("label"):
        return "label"
    if name in (choices.get("ordinal") or {}):
        return "ordinal"
    return (choices.get("roles") or {}).get(name, column["role"])


def column_state(columns: list[dict[str, Any]], choices: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Columns with their effective role, for the overview page."""
    out = []
    for index, column in enumerate(columns):
        role = effective_role(column, choices)
        out.append({**column, "index": index, "current": role, "changed": role != column["role"]})
    return out


def set_choice(choices: dict[str, Any], column: Mapping[str, Any], role: str) -> dict[str, Any]:
    """A copy of ``choices`` with ``column`` set to ``role`` (the detected role clears any choice)."""
    name = column["name"]
    roles = dict(choices.get("roles") or {})
    exclude = [c for c in (choices.get("exclude") or []) if c != name]
    ordinal = {k: v for k, v in (choices.get("ordinal") or {}).items() if k != name}
    label = choices.get("label")
    if label == name:
        label = None
    roles.pop(name, None)
    if role not in ROLE_CHOICES:
        raise SettingsError(
            f"Role '{role}' for column '{name}' is unknown; choose one of {', '.join(ROLE_CHOICES)}.",
            detail={"column": name, "role": role},
        )
    if role == "excluded":
        exclude.append(name)
    elif role == "label":
        label = name
    elif role == "ordinal":
        previous = (choices.get("ordinal") or {}).get(name)
        if not previous:
            raise SettingsError(
                f"Column '{name}' needs an order before it can be an ordered category; give it in the "
                "'Order categories' step.",
                detail={"column": name},
            )
        ordinal[name] = previous
    elif role != column["role"]:
        roles[name] = role
    return {"roles": roles, "exclude": exclude, "ordinal": ordinal, "label": label}


def order_candidates(
    columns: list[dict[str, Any]], choices: Mapping[str, Any]
) -> tuple[list[dict], list[dict]]:
    """Columns that can be put in order (categories with 3..30 values) and those with too many values."""
    can, too_many = [], []
    for index, column in enumerate(columns):
        role = effective_role(column, choices)
        if role not in ("categorical", "ordinal") or column.get("n_distinct", 0) < 3:
            continue
        if column.get("levels"):
            order = (choices.get("ordinal") or {}).get(column["name"])
            can.append({**column, "index": index, "order": order})
        else:
            too_many.append(column)
    return can, too_many
