"""Column roles: what each column is, with the evidence, and the user's overrides.

Detection runs a registry of detectors in order (:mod:`.detectors`); the first that recognises a
column decides its role. The user's choices (:class:`ColumnChoices`) are applied after detection and
always win.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..errors import Control, Note, SettingsError
from ..read.number_text import level_key, parse_numbers
from .detectors import (
    ROLE_DETECTORS,
    ColumnFacts,
    Detection,
    column_facts,
    examples,
    register_role_detector,
)

__all__ = [
    "FEATURE_ROLES",
    "ROLES",
    "ROLE_DETECTORS",
    "ColumnChoices",
    "ColumnFacts",
    "ColumnInfo",
    "Detection",
    "Roles",
    "detect_roles",
    "numeric_values",
    "register_role_detector",
]

ROLES = (
    "numeric",
    "binary",
    "categorical",
    "ordinal",
    "text",
    "datetime",
    "identifier",
    "constant",
    "label",
    "excluded",
)
FEATURE_ROLES = frozenset({"numeric", "binary", "categorical", "ordinal", "text", "datetime"})
_OUTPUT_NAME = re.compile(r"(?:Cluster(?: name| probability)?|Distance|Outlier)(?:_\d+)?")


@dataclass
class ColumnInfo:
    """A column's role and the evidence for it (what the data overview page shows)."""

    name: str
    role: str
    reason: str
    dtype: str
    n_rows: int
    n_missing: int
    n_distinct: int
    examples: list[str]
    user_set: bool = False
    order: list[str] | None = None  # ordinal: levels from lowest to highest
    decimal: str | None = None  # numeric read from text: the decimal mark
    date_format: str | None = None  # datetime read from text: the format (None: mixed)
    n_unparsed: int = 0  # numeric/datetime read from text: cells that could not be read
    codes: str | None = None  # numeric: the evidence that it may hold codes (see detectors._codes)

    @property
    def is_feature(self) -> bool:
        return self.role in FEATURE_ROLES

    @property
    def share_missing(self) -> float:
        return self.n_missing / self.n_rows if self.n_rows else 0.0

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["share_missing"] = round(self.share_missing, 4)
        return {k: v for k, v in out.items() if v is not None}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ColumnInfo:
        known = {f for f in cls.__dataclass_fields__}
        return cls(**{k: v for k, v in data.items() if k in known})


@dataclass
class Roles:
    """The role of every column, in file order."""

    columns: list[ColumnInfo]

    def __getitem__(self, name: str) -> ColumnInfo:
        for info in self.columns:
            if info.name == name:
                return info
        raise KeyError(name)

    def __iter__(self) -> Iterator[ColumnInfo]:
        return iter(self.columns)

    @property
    def features(self) -> list[ColumnInfo]:
        return [c for c in self.columns if c.is_feature]

    @property
    def label(self) -> ColumnInfo | None:
        return next((c for c in self.columns if c.role == "label"), None)

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([c.to_dict() for c in self.columns])

    def to_dicts(self) -> list[dict[str, Any]]:
        return [c.to_dict() for c in self.columns]


@dataclass(frozen=True)
class ColumnChoices:
    """What the user said about columns; always wins over detection.

    Parameters
    ----------
    roles : mapping of column -> role, e.g. ``{"Region": "categorical"}``.
    exclude : columns left out of the clustering (kept in the output).
    ordinal : mapping of column -> levels from lowest to highest.
    label : a known grouping, used only to score agreement.
    """

    roles: Mapping[str, str] = field(default_factory=dict)
    exclude: tuple[str, ...] = ()
    ordinal: Mapping[str, list[str]] = field(default_factory=dict)
    label: str | None = None

    @staticmethod
    def parse_ordinal(text: str) -> tuple[str, list[str]]:
        """Read ``"Size=S,M,L,XL"`` into ``("Size", ["S", "M", "L", "XL"])``."""
        name, sep, levels = text.partition("=")
        order = [level.strip() for level in levels.split(",") if level.strip()]
        if not sep or not name.strip() or len(order) < 2:
            raise SettingsError(
                f"Ordinal order {text!r} is not of the form 'Column=low,medium,high' (at least two levels).",
                detail={"value": text},
            )
        if len(set(order)) != len(order):
            raise SettingsError(
                f"Ordinal order for '{name.strip()}' lists a level twice: {text!r}.",
                detail={"column": name.strip()},
            )
        return name.strip(), order

    def check_columns(self, columns: Iterable[str]) -> None:
        """Raise :class:`SettingsError` naming any column the user mentioned that the file lacks."""
        present = list(columns)
        mentioned = [("roles", c) for c in self.roles] + [("exclude", c) for c in self.exclude]
        mentioned += [("ordinal", c) for c in self.ordinal]
        mentioned += [("label", self.label)] if self.label else []
        for option, column in mentioned:
            if column not in present:
                close = closest_name(column, present)
                hint = f" Did you mean '{close}'?" if close else f" Columns are: {_listing(present)}."
                raise SettingsError(
                    f"Column '{column}' given in {Control(option)} is not in the file.{hint}",
                    detail={"column": column, "option": option},
                )
        for column, role in self.roles.items():
            if role not in ROLES:
                raise SettingsError(
                    f"Role '{role}' for column '{column}' is unknown; use one of {', '.join(ROLES)}.",
                    detail={"column": column, "role": role},
                )
            if role == "ordinal" and column not in self.ordinal:
                raise SettingsError(
                    f"Column '{column}' is set to ordinal but has no order; give one with "
                    f"{Control('ordinal', {column: ['low', 'medium', 'high']})}.",
                    detail={"column": column},
                )


def detect_roles(frame: pd.DataFrame, choices: ColumnChoices | None = None) -> tuple[Roles, list[Note]]:
    """Detect every column's role, then apply the user's choices.

    Examples
    --------
    >>> frame = pd.DataFrame({"id": range(50), "size": ["S", "M"] * 25, "x": np.arange(50) * 1.5})
    >>> [c.role for c in detect_roles(frame)[0]]
    ['identifier', 'binary', 'numeric']
    """
    choices = choices or ColumnChoices()
    choices.check_columns(frame.columns)
    notes: list[Note] = []
    columns: list[ColumnInfo] = []
    earlier = _earlier_output(frame.columns)
    if earlier:
        notes.append(
            Note(
                "roles",
                f"Columns {', '.join(repr(c) for c in earlier)} were added by an earlier ClusterLab run; "
                "they are kept in the output but not used for clustering (use one with "
                f"{Control('roles', {earlier[0]: 'numeric'})}).",
            )
        )
    for name in frame.columns:
        facts = column_facts(name, frame[name])
        detection = (
            Detection("excluded", "added by an earlier ClusterLab run")
            if name in earlier
            else next(
                (d for _, det in ROLE_DETECTORS if (d := det(facts)) is not None),
                Detection("categorical", "text with repeated values"),
            )
        )
        info = ColumnInfo(
            name=name,
            role=detection.role,
            reason=detection.reason,
            dtype=str(frame[name].dtype),
            n_rows=facts.n_rows,
            n_missing=facts.n_missing,
            n_distinct=facts.n_distinct,
            examples=examples(facts.present),
            **detection.extras,
        )
        columns.append(_apply_choice(info, facts, choices))
        notes.extend(_role_notes(columns[-1]))
    return Roles(columns), notes


def _earlier_output(names: Iterable[str]) -> list[str]:
    """The Cluster, Distance and Outlier columns of an earlier run's output (clustered.csv/.xlsx),
    with its Cluster name and Cluster probability when there, also as Cluster_2... when that run
    renamed them; only when the three are all there, since one column named 'Cluster' may well be
    the user's own data. The names are those the outputs write."""
    found = [str(n) for n in names if _OUTPUT_NAME.fullmatch(str(n))]
    bases = {re.sub(r"_\d+$", "", n) for n in found}
    return found if {"Cluster", "Distance", "Outlier"} <= bases else []


def numeric_values(values: pd.Series, info: ColumnInfo) -> np.ndarray:
    """The numbers of a numeric or binary-numeric column as floats (NaN where empty or unreadable)."""
    return parse_numbers(values, info.decimal).values


# --- user choices ------------------------------------------------------------------------------------


def _apply_choice(info: ColumnInfo, facts: ColumnFacts, choices: ColumnChoices) -> ColumnInfo:
    name = info.name
    wanted: str | None = None
    if name in choices.exclude:
        wanted = "excluded"
    elif name == choices.label:
        wanted = "label"
    elif name in choices.ordinal:
        wanted = "ordinal"
    elif name in choices.roles:
        wanted = choices.roles[name]
    if wanted is None or (wanted == info.role and wanted != "ordinal"):
        return info
    info.user_set = True
    info.reason = "set by you"
    if wanted == "ordinal":
        info.order = _check_order(name, facts, list(choices.ordinal[name]))
        info.decimal = info.date_format = None
    elif wanted == "numeric" and info.role != "numeric":
        parsed = parse_numbers(facts.present)
        if parsed.share_parsed < 0.5:
            raise SettingsError(
                f"Column '{name}' cannot be numeric: {parsed.n_failed} of {parsed.n_present} values are not "
                f"numbers (e.g. {', '.join(map(repr, parsed.failed_examples))}). Use categorical instead.",
                detail={"column": name, "count": parsed.n_failed},
            )
        info.decimal, info.n_unparsed = parsed.decimal, parsed.n_failed
    elif wanted == "binary" and info.n_distinct > 2:
        raise SettingsError(
            f"Column '{name}' cannot be binary: it has {info.n_distinct} different values "
            f"(e.g. {', '.join(map(repr, info.examples))}). Use categorical instead.",
            detail={"column": name, "count": info.n_distinct},
        )
    elif wanted == "datetime" and info.role != "datetime":
        parsed_dates = pd.to_datetime(facts.present.astype(str), format="mixed", errors="coerce")
        if parsed_dates.notna().mean() < 0.5:
            raise SettingsError(
                f"Column '{name}' cannot be read as dates: most values are not dates "
                f"(e.g. {', '.join(map(repr, info.examples))}).",
                detail={"column": name},
            )
    info.role = wanted
    return info


def _check_order(name: str, facts: ColumnFacts, order: list[str]) -> list[str]:
    present = facts.present.map(level_key)  # 2.0 and "2" are the same level
    unknown = present[~present.isin(order)]
    if unknown.empty:
        return order
    # Forgive case differences ("small" vs "Small") when they make every value fit.
    lowered = {level.lower(): level for level in order}
    if unknown.str.lower().isin(lowered).all() and len(lowered) == len(order):
        return order
    levels = unknown.value_counts()
    listing = ", ".join(f"'{v}' ({n} rows)" for v, n in levels.head(5).items())
    raise SettingsError(
        f"Column '{name}' has values not in the order you gave: {listing}. "
        f"Add them to the order, e.g. {Control('ordinal', {name: [*order, *map(str, levels.index[:3])]})}.",
        detail={"column": name, "unknown": levels.index.tolist()[:20]},
    )


def _role_notes(info: ColumnInfo) -> list[Note]:
    notes = []
    if info.role == "identifier":
        notes.append(
            Note(
                "roles",
                f"Column '{info.name}' looks like an identifier ({info.reason}); it is "
                "kept in the output but not used for clustering.",
                column=info.name,
            )
        )
    elif info.role == "constant":
        notes.append(
            Note(
                "roles",
                f"Column '{info.name}' was left out of the clustering: {info.reason}.",
                column=info.name,
            )
        )
    if info.role == "numeric" and info.n_unparsed:
        notes.append(
            Note(
                "roles",
                f"Column '{info.name}' has {info.n_unparsed} value(s) that are not numbers; "
                "they are treated as empty cells.",
                column=info.name,
                count=info.n_unparsed,
                level="warning",
            )
        )
    return notes


def closest_name(name: str, names: list[str]) -> str | None:
    """The column a user probably meant: case and small typos forgiven ('Sise' -> 'size')."""
    lowered = {n.lower(): n for n in names}
    match = difflib.get_close_matches(name.lower(), list(lowered), n=1, cutoff=0.7)
    return lowered[match[0]] if match else None


def _listing(columns: list[str], limit: int = 12) -> str:
    shown = ", ".join(f"'{c}'" for c in columns[:limit])
    return shown + (f" and {len(columns) - limit} more" if len(columns) > limit else "")
