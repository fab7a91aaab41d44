"""The body of every POST as a pydantic form model: FastAPI reads and checks it, and documents the API's.

Every model forbids fields it does not know; :mod:`.errors` words an unknown field as the settings table
does ("Unknown setting 'kmax'. Did you mean 'k_max'?"). The settings fields are generated from
:data:`clusterlab.core.SETTINGS`, so a new setting appears in the API, its schema and the options form
without touching the web app. They are text (``str | None``, None when not sent): the one check of a
setting and its message stay :meth:`Settings.parse`'s ("Setting 'k_max' must be a whole number from 2 to
200; got 'ten'."), which also accepts what typed fields would refuse (" 12 ", "NONE", "auto"); their
schema is the constraint's (``maximum: 200``) with the help as description. Forms with a field per
column of the page (``role_3``, ``rank_3_0``) gather those into one dict field, and refuse anything else.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import UploadFile
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
    create_model,
    model_validator,
)

from ..core.errors import SettingsError
from ..core.roles.column_roles import ROLES
from ..core.settings import SETTINGS
from ..samples import SAMPLES
from .forms import parse_settings_form

__all__ = [
    "JSON_LIMIT",
    "ChooseForm",
    "ColumnsForm",
    "FormModel",
    "LoginForm",
    "OptionsForm",
    "OrderForm",
    "RunForm",
    "SheetForm",
    "UploadForm",
]

JSON_LIMIT = 64 * 1024  # characters of a JSON field: a mapping of columns is far smaller


class FormModel(BaseModel):
    """A form that refuses fields it does not know."""

    model_config = ConfigDict(extra="forbid")


def _no_file(value: Any) -> Any:
    return None if isinstance(value, str) else value  # text in a file field: no file was sent


# A file field: the upload, or None for none (an empty picker, or text where the file should be).
FileField = Annotated[UploadFile | None, BeforeValidator(_no_file)]
# Text, None when not sent; documented as text (not "text or null": a form has no null).
Text = Annotated[str | None, WithJsonSchema({"type": "string"})]
# A JSON field's text, capped so that nothing long reaches json.loads.
JsonText = Annotated[
    str | None, Field(max_length=JSON_LIMIT), WithJsonSchema({"type": "string", "maxLength": JSON_LIMIT})
]


def _gather(data: Any, prefixes: Mapping[str, str]) -> Any:
    """Fields named ``<prefix><key>`` moved into the dict field ``prefixes[prefix]`` under ``key``."""
    if not isinstance(data, Mapping):
        return data
    out: dict[str, Any] = {}
    for name, value in data.items():
        prefix = next((p for p in prefixes if name.startswith(p)), None)
        if prefix is None:
            out[name] = value
        else:
            out.setdefault(prefixes[prefix], {})[name.removeprefix(prefix)] = value
    return out


# --- the settings, generated from the core's table ---------------------------------------------------
SETTING_FIELDS: dict[str, Any] = {
    spec.name: (
        # Text (see above), documented as what it stands for: a whole number from 2 to 200...
        Annotated[str | None, WithJsonSchema(spec.accepts.json_schema())],
        # Titled and grouped as the web form's Options (the settings table's label and group).
        Field(
            None,
            title=spec.label,
            description=spec.help,
            json_schema_extra={"default": spec.default, "x-group": spec.group_title},
        ),
    )
    for spec in SETTINGS
    if spec.web
}


class _SettingsForm(FormModel):
    """A form with a text field per web setting (added by :func:`create_model` below)."""

    def given(self) -> dict[str, str]:
        """The settings this form sent, as text."""
        return {name: value for name in SETTING_FIELDS if (value := getattr(self, name)) is not None}

    def settings(self, current: Mapping[str, Any]) -> dict[str, Any]:
        """``current`` with the settings given here; raises :class:`SettingsError` with the core's words."""
        return parse_settings_form(self.given(), current)


# JSON's own names for what json.loads returns, for messages: "a JSON object", not "a JSON dict".
_JSON_KINDS = {
    dict: "object",
    list: "list",
    str: "string",
    int: "number",
    float: "number",
    bool: "true/false",
}
_EXAMPLES = {
    "roles": '{"Region": "categorical"}',
    "ordinal": '{"Size": ["S", "M", "L"]}',
    "exclude": '["notes"]',
}


class _RunForm(_SettingsForm):
    """``POST /api/runs``: a file or a sample, the column choices, and any setting by name."""

    file: Annotated[FileField, WithJsonSchema({"type": "string", "format": "binary"})] = Field(
        None, description=".xlsx, .xls, .csv, .tsv, .txt or .parquet"
    )
    sample: Annotated[str | None, WithJsonSchema({"type": "string", "enum": list(SAMPLES)})] = Field(
        None, description="a bundled sample instead of a file"
    )
    roles: JsonText = Field(None, description=f"JSON object column -> role, e.g. {_EXAMPLES['roles']}")
    exclude: JsonText = Field(None, description="columns to leave out: JSON list or comma-separated")
    ordinal: JsonText = Field(
        None, description=f"JSON object column -> levels lowest first, e.g. {_EXAMPLES['ordinal']}"
    )
    label: Text = Field(None, description="a column of known groups, only compared with")
    sheet: Text = Field(None, description=next(s.help for s in SETTINGS if s.name == "sheet"))

    def run_settings(self) -> dict[str, Any]:
        """The settings that differ from the defaults, with the sheet to read."""
        settings = self.settings({})
        if self.sheet and self.sheet.strip():
            settings["sheet"] = self.sheet.strip()
        return settings

    def choices(self) -> dict[str, Any]:
        """The column choices; raises :class:`SettingsError` naming the field or column at fault."""
        roles = self._json("roles", dict) or {}
        for column, role in roles.items():
            if role not in ROLES:
                raise SettingsError(
                    f"Role '{role}' for column '{column}' is unknown; use one of {', '.join(ROLES)}.",
                    detail={"column": column, "role": role},
                )
        raw_exclude = (self.exclude or "").strip()
        if raw_exclude.startswith("["):
            exclude = self._json("exclude", list)
            if not all(isinstance(c, str) for c in exclude):
                raise SettingsError(
                    f"Field 'exclude' must be a JSON list of column names, e.g. {_EXAMPLES['exclude']}.",
                    detail={"field": "exclude"},
                )
        else:
            exclude = [c.strip() for c in raw_exclude.split(",") if c.strip()]
        ordinal = self._json("ordinal", dict) or {}
        for column, levels in ordinal.items():
            if not isinstance(levels, list) or len(levels) < 2:
                raise SettingsError(
                    f"The order for '{column}' must be a list of at least two values, lowest first.",
                    detail={"column": column},
                )
        return {
            "roles": roles,
            "exclude": exclude,
            "ordinal": {k: [str(v) for v in vs] for k, vs in ordinal.items()},
            "label": (self.label or "").strip() or None,
        }

    def _json(self, name: str, kind: type) -> Any:
        raw = getattr(self, name)
        if raw is None or not raw.strip():
            return None
        try:
            value = json.loads(raw)
        except json.JSONDecodeError:
            raise SettingsError(
                f"Field '{name}' must be JSON, e.g. {_EXAMPLES[name]}; got {raw[:80]!r}.",
                detail={"field": name},
            ) from None
        except RecursionError:  # json.loads recurses once per level: "[[[[...]]]]" would be a 500
            raise SettingsError(
                f"Field '{name}' is nested too deeply; give it as in {_EXAMPLES[name]}.",
                detail={"field": name},
            ) from None
        if not isinstance(value, kind):
            raise SettingsError(
                f"Field '{name}' must be a JSON {_JSON_KINDS[kind]}, e.g. {_EXAMPLES[name]}; got a "
                f"{_JSON_KINDS.get(type(value), 'null')}: {raw[:80]!r}.",
                detail={"field": name},
            )
        return value


if TYPE_CHECKING:
    OptionsForm = _SettingsForm
    RunForm = _RunForm
else:
    OptionsForm = create_model("OptionsForm", __base__=_SettingsForm, **SETTING_FIELDS)
    RunForm = create_model("RunForm", __base__=_RunForm, **SETTING_FIELDS)


# --- the pages' other forms ---------------------------------------------------------------------------
class UploadForm(FormModel):
    file: FileField = None


class SheetForm(FormModel):
    sheet: str = ""


class ChooseForm(FormModel):
    k: str = "auto"


class ClusterNameForm(FormModel):
    """What a person says about one cluster: its name (blank: the suggested one), whether it is
    useful (the page's checkbox sends ``not_useful``; the API may send ``useful``) and a note."""

    name: str = Field("", max_length=200)
    not_useful: bool = False
    useful: bool | None = None
    note: str = Field("", max_length=2000)

    @property
    def is_useful(self) -> bool:
        return self.useful if self.useful is not None else not self.not_useful


class LoginForm(FormModel):
    token: str = ""
    next: str | None = None  # the page to go back to (home when unset)


class _ColumnsForm(_SettingsForm):
    """The data overview: a ``role_<i>`` select per column (``roles[i]``), ``role`` alone for one
    column's change, and the Options before the first sweep (every web setting by name)."""

    roles: dict[int, str] = Field(default_factory=dict)
    role: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _columns(cls, data: Any) -> Any:
        return _gather(data, {"role_": "roles"})


if TYPE_CHECKING:
    ColumnsForm = _ColumnsForm
else:
    ColumnsForm = create_model("ColumnsForm", __base__=_ColumnsForm, **SETTING_FIELDS)


class OrderForm(FormModel):
    """The ordering step: ``ordered_<i>`` ("yes" or "no") per column and ``rank_<i>_<j>``, the position
    typed or dragged for value j of column i; ``skip`` leaves every column unordered."""

    ordered: dict[int, str] = Field(default_factory=dict)
    ranks: dict[str, str] = Field(default_factory=dict)
    skip: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _columns(cls, data: Any) -> Any:
        return _gather(data, {"ordered_": "ordered", "rank_": "ranks"})

    def order_of(self, column: Mapping[str, Any]) -> list[str] | None:
        """The order given for one column: levels sorted by the positions typed or dragged, or None."""
        index = column["index"]
        if self.ordered.get(index) != "yes":
            return None
        levels = [level for level, _ in column["levels"]]
        positions = []
        for j, level in enumerate(levels):
            raw = self.ranks.get(f"{index}_{j}", "").strip()
            try:
                position = float(raw)
            except ValueError:
                raise SettingsError(
                    f"Column '{column['name']}': give every value a position number; '{level}' has {raw!r}.",
                    detail={"column": column["name"], "level": level},
                ) from None
            positions.append((position, j, level))
        return [level for _, _, level in sorted(positions)]
