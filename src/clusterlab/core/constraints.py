"""What a setting accepts: constraint objects that own their conversion, their check and their words.

In the manner of scikit-learn's ``_param_validation`` (``Interval(Integral, 1, None)``,
``StrOptions({"lloyd", "elkan"})``): each setting of :mod:`.settings` names one constraint, and every
face asks the constraint instead of branching on a kind of setting. The CLI puts
:meth:`Constraint.describe` in ``--help``; :meth:`Constraint.convert` reads text from a flag, a form
field or JSON; :meth:`Constraint.is_satisfied_by` checks a Python value; :meth:`Constraint.json_schema`
is the API's schema of the field and :meth:`Constraint.html_input` the web form's input.

>>> Interval(int, 2, 200).convert(" 12 ")
12
>>> Options(("fill", "none")).convert("NONE")
'none'
>>> AutoOr(Interval(int, 2, 200)).describe()
"'auto' or a whole number from 2 to 200"
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any

__all__ = ["AutoOr", "Constraint", "Interval", "Options", "Text"]


class Constraint(ABC):
    """The values a setting accepts."""

    blank_is_unset = True  # an empty form field or flag means "the default"

    @property
    @abstractmethod
    def kind(self) -> str:
        """A word for listings (GET /api/settings): "int", "float", "choice", "str" or "auto or int"."""

    @abstractmethod
    def convert(self, raw: Any) -> Any:
        """Text (or a Python value) as this setting's value; ValueError when it cannot be one."""

    @abstractmethod
    def is_satisfied_by(self, value: Any) -> bool:
        """Whether ``value`` (already converted) is acceptable."""

    @abstractmethod
    def describe(self) -> str:
        """What is expected, to follow "must be": "a whole number from 2 to 200"."""

    @abstractmethod
    def json_schema(self) -> dict[str, Any]:
        """The JSON schema of one value (the API's documentation of the field)."""

    @abstractmethod
    def html_input(self) -> dict[str, Any]:
        """How the web form asks for it: ``{"type": "number", "min": ..., "max": ..., "step": ...}``,
        ``{"type": "select", "options": [...]}`` or ``{"type": "text"}``."""


@dataclass(frozen=True)
class Interval(Constraint):
    """A number of ``type`` (int: whole numbers only) from ``low`` to ``high``, both included."""

    type: type
    low: float
    high: float

    @property
    def kind(self) -> str:
        return "int" if self.type is int else "float"

    def convert(self, raw: Any) -> Any:
        text = raw.strip() if isinstance(raw, str) else raw
        if isinstance(text, bool):  # True is an int to Python, never a number to a person
            raise ValueError(raw)
        if self.type is int:
            if isinstance(text, float) and text.is_integer():
                return int(text)
            if isinstance(text, int | str):
                return int(text)
            raise ValueError(raw)
        return float(text)

    def is_satisfied_by(self, value: Any) -> bool:
        if isinstance(value, bool):
            return False
        kind_ok = isinstance(value, int) if self.type is int else isinstance(value, int | float)
        return kind_ok and self.low <= value <= self.high

    def describe(self) -> str:
        kind = "a whole number" if self.type is int else "a number"
        return f"{kind} from {self._text(self.low)} to {self._text(self.high)}"

    def _text(self, bound: float) -> str:
        return str(int(bound)) if self.type is int else f"{bound:g}"

    def json_schema(self) -> dict[str, Any]:
        return {
            "type": "integer" if self.type is int else "number",
            "minimum": self.low,
            "maximum": self.high,
        }

    def html_input(self) -> dict[str, Any]:
        step = "1" if self.type is int else "any"
        return {"type": "number", "min": self._text(self.low), "max": self._text(self.high), "step": step}


@dataclass(frozen=True)
class Options(Constraint):
    """One of a few words, case-insensitive on input."""

    options: tuple[str, ...]

    @property
    def kind(self) -> str:
        return "choice"

    def convert(self, raw: Any) -> Any:
        value = str(raw).strip().lower()
        if value not in self.options:
            raise ValueError(raw)
        return value

    def is_satisfied_by(self, value: Any) -> bool:
        return value in self.options

    def describe(self) -> str:
        return "one of " + ", ".join(f"'{o}'" for o in self.options)

    def json_schema(self) -> dict[str, Any]:
        return {"type": "string", "enum": list(self.options)}

    def html_input(self) -> dict[str, Any]:
        return {"type": "select", "options": list(self.options)}


@dataclass(frozen=True)
class AutoOr(Constraint):
    """The word 'auto' (decide for me) or a value of ``inner``."""

    inner: Constraint

    @property
    def kind(self) -> str:
        return f"auto or {self.inner.kind}"

    def convert(self, raw: Any) -> Any:
        if isinstance(raw, str) and raw.strip().lower() == "auto":
            return "auto"
        return self.inner.convert(raw)

    def is_satisfied_by(self, value: Any) -> bool:
        return value == "auto" or self.inner.is_satisfied_by(value)

    def describe(self) -> str:
        return f"'auto' or {self.inner.describe()}"

    def json_schema(self) -> dict[str, Any]:
        return {"anyOf": [{"type": "string", "enum": ["auto"]}, self.inner.json_schema()]}

    def html_input(self) -> dict[str, Any]:
        return {"type": "text"}


@dataclass(frozen=True)
class Text(Constraint):
    """Any text (a sheet name, an address); unset by default."""

    blank_is_unset = False

    @property
    def kind(self) -> str:
        return "str"

    def convert(self, raw: Any) -> Any:
        return None if raw is None else str(raw)

    def is_satisfied_by(self, value: Any) -> bool:
        return value is None or isinstance(value, str)

    def describe(self) -> str:
        return "text"

    def json_schema(self) -> dict[str, Any]:
        return {"type": "string"}

    def html_input(self) -> dict[str, Any]:
        return {"type": "text"}
