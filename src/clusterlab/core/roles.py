"""Column roles: what each column is, with the evidence, and the user's overrides.

Detection runs a registry of detectors in order; the first that recognises a column decides its role.
Built-ins register the same way a plug-in would (:func:`register_role_detector`). The user's choices
(:class:`ColumnChoices`) are applied after detection and always win.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .errors import Note, SettingsError
from .parsing import level_key, parse_numbers

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
_ID_NAME = re.compile(
    r"(?i)(^(id|key|uuid|guid|index|row|rownum)$|[_\s.-](id|key|uuid|guid|no|nr|number)$)|[a-z]ID$"
)
_OUTPUT_NAME = re.compile(r"(?:Cluster|Distance|Outlier)(?:_\d+)?")
_MONTHS = re.compile(r"(?i)\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b")
_DATE_SHAPE = re.compile(r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}|\d{4}-\d{2}")


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
        mentioned = [("--role", c) for c in self.roles] + [("--exclude", c) for c in self.exclude]
        mentioned += [("--ordinal", c) for c in self.ordinal]
        mentioned += [("--label", self.label)] if self.label else []
        for option, column in mentioned:
            if column not in present:
                close = closest_name(column, present)
                hint = f" Did you mean '{close}'?" if close else f" Columns are: {_listing(present)}."
                raise SettingsError(
                    f"Column '{column}' given in {option} is not in the file.{hint}",
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
                    f'--ordinal "{column}=low,medium,high".',
                    detail={"column": column},
                )


# --- detection registry ----------------------------------------------------------------------------


@dataclass
class ColumnFacts:
    """What every detector may look at; computed once per column."""

    name: str
    values: pd.Series
    present: pd.Series
    n_rows: int
    n_missing: int
    n_distinct: int


@dataclass(frozen=True)
class Detection:
    role: str
    reason: str
    extras: dict[str, Any] = field(default_factory=dict)


Detector = Callable[[ColumnFacts], Detection | None]
ROLE_DETECTORS: list[tuple[str, Detector]] = []


def register_role_detector(name: str, *, before: str | None = None) -> Callable[[Detector], Detector]:
    """Add a detector; it runs before the detector named ``before`` (default: last)."""

    def decorate(detector: Detector) -> Detector:
        names = [n for n, _ in ROLE_DETECTORS]
        position = names.index(before) if before in names else len(ROLE_DETECTORS)
        ROLE_DETECTORS.insert(position, (name, detector))
        return detector

    return decorate


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
                "they are kept in the output but not used for clustering (use one with --role COLUMN=numeric).",
            )
        )
    for name in frame.columns:
        facts = _facts(name, frame[name])
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
            examples=_examples(facts.present),
            **detection.extras,
        )
        columns.append(_apply_choice(info, facts, choices))
        notes.extend(_role_notes(columns[-1]))
    return Roles(columns), notes


def _earlier_output(names: Iterable[str]) -> list[str]:
    """The Cluster, Distance and Outlier columns of an earlier run's output (clustered.csv/.xlsx),
    also as Cluster_2... when that run renamed them; only when all three are there, since one column
    named 'Cluster' may well be the user's own data. The names are those :mod:`.result` writes."""
    found = [str(n) for n in names if _OUTPUT_NAME.fullmatch(str(n))]
    bases = {re.sub(r"_\d+$", "", n) for n in found}
    return found if bases == {"Cluster", "Distance", "Outlier"} else []


def numeric_values(values: pd.Series, info: ColumnInfo) -> np.ndarray:
    """The numbers of a numeric or binary-numeric column as floats (NaN where empty or unreadable)."""
    return parse_numbers(values, info.decimal).values


def _facts(name: str, values: pd.Series) -> ColumnFacts:
    present = values.dropna()
    if pd.api.types.is_string_dtype(values) or pd.api.types.is_object_dtype(values):
        stripped = present.astype(str).str.strip()
        present = present[stripped != ""]
    return ColumnFacts(name, values, present, len(values), len(values) - len(present), int(present.nunique()))


def _examples(present: pd.Series, n: int = 3) -> list[str]:
    out = []
    for value in present.drop_duplicates().head(n).tolist():
        if hasattr(value, "strftime"):
            text = value.strftime("%Y-%m-%d")
        elif isinstance(value, float):
            text = f"{value:.6g}"
        else:
            text = str(value)
        out.append(text if len(text) <= 40 else text[:37] + "...")
    return out


def _is_texty(values: pd.Series) -> bool:
    return bool(pd.api.types.is_string_dtype(values) or pd.api.types.is_object_dtype(values))


@register_role_detector("constant")
def _detect_constant(f: ColumnFacts) -> Detection | None:
    if f.n_distinct == 0:
        return Detection("constant", "every cell is empty")
    if f.n_distinct == 1:
        return Detection("constant", f"the same value ({_examples(f.present, 1)[0]!r}) in every filled cell")
    return None


@register_role_detector("binary")
def _detect_binary(f: ColumnFacts) -> Detection | None:
    if f.n_distinct != 2:
        return None
    a, b = _examples(f.present, 2)
    extras = {"decimal": "."} if pd.api.types.is_numeric_dtype(f.values) else {}
    return Detection("binary", f"two values: {a!r} and {b!r}", extras)


@register_role_detector("datetime")
def _detect_datetime_dtype(f: ColumnFacts) -> Detection | None:
    if pd.api.types.is_datetime64_any_dtype(f.values):
        return Detection("datetime", "stored as dates")
    return None


@register_role_detector("numeric")
def _detect_numeric_dtype(f: ColumnFacts) -> Detection | None:
    if not pd.api.types.is_numeric_dtype(f.values) or pd.api.types.is_bool_dtype(f.values):
        return None
    return _numbered_identifier(f, f.present.to_numpy(dtype=float)) or Detection(
        "numeric", "numbers", {"decimal": "."}
    )


def _numbered_identifier(f: ColumnFacts, numbers: np.ndarray) -> Detection | None:
    """Whole numbers, one per row, named like an id or running 1, 2, 3...: an identifier, not a measure."""
    numbers = numbers[np.isfinite(numbers)]
    if len(numbers) < 10 or f.n_distinct != len(numbers) or not np.all(np.mod(numbers, 1) == 0):
        return None
    if _ID_NAME.search(f.name):
        return Detection("identifier", "a different whole number in every row, and named like an id")
    if numbers.max() - numbers.min() + 1 == len(numbers):
        return Detection("identifier", "consecutive whole numbers, one per row (a row number)")
    if _is_texty(f.values) and f.present.astype(str).str.match(r"^0\d").any():
        return Detection("identifier", "zero-padded numbers, one per row (a code)")
    return None


@register_role_detector("numbers-in-text")
def _detect_numbers_in_text(f: ColumnFacts) -> Detection | None:
    if not _is_texty(f.values):
        return None
    parsed = parse_numbers(f.present)
    if parsed.share_parsed < 0.95 and not _placeholders_only(f.present, parsed.values, parsed.share_parsed):
        return None
    identifier = _numbered_identifier(f, parsed.values)
    if identifier is not None:
        return identifier
    shown = ", ".join(repr(e) for e in _examples(f.present, 2))
    return Detection(
        "numeric",
        f"numbers written as text (e.g. {shown})",
        {"decimal": parsed.decimal, "n_unparsed": parsed.n_failed},
    )


def _placeholders_only(present: pd.Series, numbers: np.ndarray, share: float) -> bool:
    """Mostly numbers, and the rest a few marks without digits ('-', '?', 'n/a', 'unknown'): those
    mean "no value" (they become empty cells, reported), not that the column is a category."""
    if share < 0.8:
        return False
    failed = present[np.isnan(numbers)].astype(str).str.strip()
    failed = failed[failed != ""]
    return failed.nunique() <= 3 and not failed.str.contains(r"\d").any()


@register_role_detector("dates-in-text")
def _detect_dates_in_text(f: ColumnFacts) -> Detection | None:
    if not _is_texty(f.values):
        return None
    sample = f.present.drop_duplicates().head(200).astype(str)
    shaped = sample.str.contains(_DATE_SHAPE) | sample.str.contains(_MONTHS)
    if shaped.mean() < 0.9:
        return None
    fmt = pd.tseries.api.guess_datetime_format(sample.iloc[0])
    parsed = pd.to_datetime(sample, format=fmt or "mixed", errors="coerce")
    if fmt and parsed.notna().mean() < 0.9:
        fmt, parsed = None, pd.to_datetime(sample, format="mixed", errors="coerce")
    if parsed.notna().mean() < 0.9:
        return None
    return Detection("datetime", "dates written as text", {"date_format": fmt})


@register_role_detector("free-text")
def _detect_free_text(f: ColumnFacts) -> Detection | None:
    if not _is_texty(f.values):
        return None
    sample = f.present.head(2000).astype(str)
    words = sample.str.split().str.len().mean()
    if (words >= 4 or sample.str.len().mean() >= 30) and f.n_distinct >= 0.5 * len(f.present):
        return Detection("text", f"free text (about {words:.0f} words per cell, mostly different)")
    return None


@register_role_detector("identifier")
def _detect_identifier(f: ColumnFacts) -> Detection | None:
    n = len(f.present)
    if n >= 10 and f.n_distinct == n:
        return Detection("identifier", f"a different value in every row ({f.n_distinct} of {n})")
    if n >= 50 and f.n_distinct >= 0.95 * n:
        return Detection("identifier", f"almost every row different ({f.n_distinct} values in {n} rows)")
    return None


@register_role_detector("categorical")
def _detect_categorical(f: ColumnFacts) -> Detection | None:
    return Detection("categorical", f"{f.n_distinct} repeated values")


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
        f'Add them to the order, e.g. --ordinal "{name}={",".join([*order, *levels.index[:3]])}".',
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
