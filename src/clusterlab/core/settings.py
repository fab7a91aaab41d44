"""The settings table: one place that feeds CLI flags, validation, the web form and the docs.

Each setting is a field of :class:`Settings` with its help text and bounds in the field's metadata.
The CLI builds ``--k-max`` from ``k_max``; the web form builds an input from the same entry; and
:meth:`Settings.parse` validates text from either with one message shape:
"Setting 'k_max' must be a whole number from 2 to 60; got 'ten'."
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import MISSING, asdict, dataclass, field, fields, replace
from typing import Any

from .errors import SettingsError

__all__ = ["SETTINGS", "SettingSpec", "Settings"]


def _setting(
    default: Any,
    help: str,
    *,
    kind: str,
    minimum: float | None = None,
    maximum: float | None = None,
    choices: tuple[str, ...] = (),
    group: str = "clustering",
    web: bool = True,
) -> Any:
    return field(
        default=default,
        metadata={
            "help": help,
            "kind": kind,
            "minimum": minimum,
            "maximum": maximum,
            "choices": choices,
            "group": group,
            "web": web,
        },
    )


@dataclass(frozen=True)
class Settings:
    """Validated run settings. Build from user text with :meth:`Settings.parse`.

    Examples
    --------
    >>> Settings.parse({"k": "4", "seed": "7"}).k
    4
    """

    k: int | str = _setting("auto", "Number of clusters, or 'auto' to recommend one.", kind="k")
    k_min: int = _setting(2, "Smallest k the sweep tries.", kind="int", minimum=2, maximum=200)
    k_max: int = _setting(10, "Largest k the sweep tries.", kind="int", minimum=2, maximum=200)
    seed: int = _setting(
        42,
        "Random seed: same input and seed give the same clusters.",
        kind="int",
        minimum=0,
        maximum=2**32 - 1,
    )
    n_init: int = _setting(
        10,
        "K-Means restarts for the final fit (the best one is kept).",
        kind="int",
        minimum=1,
        maximum=100,
        group="advanced",
    )
    pca_variance: float = _setting(
        0.95,
        "Share of variance PCA keeps (1 turns PCA off).",
        kind="float",
        minimum=0.5,
        maximum=1.0,
        group="preprocessing",
    )
    impute: str = _setting(
        "fill",
        "Empty cells: 'fill' (median / '(missing)' level) or 'none' "
        "(rows with empty feature cells are left unclustered).",
        kind="choice",
        choices=("fill", "none"),
        group="preprocessing",
    )
    max_categories: int = _setting(
        20,
        "Most one-hot levels per category column; rarer levels become 'Other'.",
        kind="int",
        minimum=2,
        maximum=500,
        group="preprocessing",
    )
    min_category_share: float = _setting(
        0.01,
        "Levels rarer than this share of rows become 'Other'.",
        kind="float",
        minimum=0.0,
        maximum=0.5,
        group="preprocessing",
    )
    text_components: int = _setting(
        5,
        "Components kept from each free-text column (TF-IDF + SVD).",
        kind="int",
        minimum=1,
        maximum=50,
        group="preprocessing",
    )
    datetime: str = _setting(
        "parts",
        "Date columns: 'parts' (year and season as numbers) or 'exclude'.",
        kind="choice",
        choices=("parts", "exclude"),
        group="preprocessing",
    )
    silhouette_sample: int = _setting(
        5000,
        "Rows used for the silhouette score above this size (a seeded sample; exact below).",
        kind="int",
        minimum=200,
        maximum=100_000,
        group="advanced",
    )
    sheet: str | None = _setting(
        None, "Excel sheet to read (default: the first non-empty one).", kind="str", group="input", web=False
    )
    outlier_percentile: float = _setting(
        95.0,
        "A row is an Outlier when its distance to its cluster's centre is beyond this percentile "
        "of its cluster (100: flag none).",
        kind="float",
        minimum=50.0,
        maximum=100.0,
        group="advanced",
    )
    k_limit: int = _setting(
        30,
        "Largest k the sweep may grow to when the recommendation sits at the top of k_min..k_max "
        "(set it to k_max to keep the range fixed).",
        kind="int",
        minimum=2,
        maximum=200,
    )
    resamples: int = _setting(
        10,
        "Fits on resampled halves of the rows per k, for the stability criterion (0 turns it off).",
        kind="int",
        minimum=0,
        maximum=100,
        group="advanced",
    )
    heavy_tails: str = _setting(
        "log",
        "Heavy-tailed non-negative columns (spend, income, counts): 'log' log-scales them for "
        "clustering when that halves their skewness; 'keep' leaves them linear.",
        kind="choice",
        choices=("log", "keep"),
        group="preprocessing",
    )
    outliers: str = _setting(
        "clip",
        "A few values (at most 1% of a column) more than 3 interquartile ranges beyond the quartiles: "
        "'clip' counts them as that limit for clustering (your data keeps them); 'keep' uses them as they are.",
        kind="choice",
        choices=("clip", "keep"),
        group="preprocessing",
    )
    category_weight: float = _setting(
        0.5,
        "Weight of each category and yes/no column relative to a numeric column (its share of the "
        "distances K-Means sees).",
        kind="float",
        minimum=0.0,
        maximum=1.0,
        group="preprocessing",
    )
    weighting: str = _setting(
        "balanced",
        "'balanced': every column weighs the same, however many encoded columns it has (one-hot "
        "levels, text components); 'none': every encoded column weighs the same.",
        kind="choice",
        choices=("balanced", "none"),
        group="preprocessing",
    )
    engine: str = _setting(
        "local",
        "Where the work runs: 'local' (this machine's cores) or 'dask' (a Dask cluster: the k sweep runs "
        "there; a folder or pattern of Parquet/CSV parts is clustered out of core, see README).",
        kind="choice",
        choices=("local", "dask"),
        group="advanced",
        web=False,
    )
    scheduler: str | None = _setting(
        None,
        "Dask scheduler address for --engine dask, e.g. tcp://HOST:8786 (default: a local Dask "
        "cluster on this machine's cores).",
        kind="str",
        group="advanced",
        web=False,
    )

    def __post_init__(self) -> None:
        for spec in SETTINGS:
            spec.check(getattr(self, spec.name))
        if self.k_min > self.k_max:
            raise SettingsError(
                f"Setting 'k_min' ({self.k_min}) must not be above 'k_max' ({self.k_max}).",
                detail={"setting": "k_min"},
            )

    @classmethod
    def parse(cls, values: Mapping[str, Any] | None = None, **more: Any) -> Settings:
        """Validate and convert user values (text from the CLI or a form, or Python values).

        Unknown names and ``None`` values: unknown names raise :class:`SettingsError` with a
        suggestion; ``None`` means "use the default".
        """
        merged = {**(values or {}), **more}
        known = {spec.name: spec for spec in SETTINGS}
        converted: dict[str, Any] = {}
        for name, raw in merged.items():
            if name not in known:
                close = difflib.get_close_matches(name, known, n=1)
                hint = f" Did you mean '{close[0]}'?" if close else ""
                raise SettingsError(f"Unknown setting '{name}'.{hint}", detail={"setting": name})
            if raw is None or (isinstance(raw, str) and raw.strip() == "" and known[name].kind != "str"):
                continue
            converted[name] = known[name].convert(raw)
        return cls(**converted)

    def replace(self, **changes: Any) -> Settings:
        """A copy with some settings changed (validated again)."""
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class SettingSpec:
    """One row of the settings table, read from a :class:`Settings` field."""

    name: str
    default: Any
    help: str
    kind: str
    minimum: float | None
    maximum: float | None
    choices: tuple[str, ...]
    group: str
    web: bool

    @property
    def flag(self) -> str:
        """The CLI flag: ``k_max`` -> ``--k-max``."""
        return "--" + self.name.replace("_", "-")

    def _range_text(self) -> str:
        kind = "a whole number" if self.kind in ("int", "k") else "a number"
        return f"{kind} from {self.minimum:g} to {self.maximum:g}"

    def convert(self, raw: Any) -> Any:
        """Turn text (or a Python value) into this setting's type, or raise :class:`SettingsError`."""
        text = raw.strip() if isinstance(raw, str) else raw
        try:
            if self.kind == "k":
                if isinstance(text, str) and text.lower() == "auto":
                    return "auto"
                return _as_int(text)
            if self.kind == "int":
                return _as_int(text)
            if self.kind == "float":
                if isinstance(text, bool):
                    raise ValueError
                return float(text)
            if self.kind == "choice":
                value = str(text).lower()
                if value not in self.choices:
                    raise ValueError
                return value
            return None if text is None else str(text)
        except (TypeError, ValueError):
            raise SettingsError(self._message(raw), detail={"setting": self.name}) from None

    def check(self, value: Any) -> None:
        """Raise :class:`SettingsError` unless ``value`` is of the right type and in range."""
        ok = True
        if self.kind == "k":
            ok = value == "auto" or (
                isinstance(value, int) and not isinstance(value, bool) and 2 <= value <= 200
            )
        elif self.kind == "int":
            ok = isinstance(value, int) and not isinstance(value, bool)
        elif self.kind == "float":
            ok = isinstance(value, int | float) and not isinstance(value, bool)
        elif self.kind == "choice":
            ok = value in self.choices
        elif self.kind == "str":
            ok = value is None or isinstance(value, str)
        if ok and self.minimum is not None and self.kind in ("int", "float"):
            ok = self.minimum <= value <= self.maximum
        if not ok:
            raise SettingsError(self._message(value), detail={"setting": self.name})

    def _message(self, got: Any) -> str:
        if self.kind == "k":
            want = "'auto' or a whole number from 2 to 200"
        elif self.kind == "choice":
            want = "one of " + ", ".join(f"'{c}'" for c in self.choices)
        elif self.kind in ("int", "float"):
            want = self._range_text()
        else:
            want = "text"
        return f"Setting '{self.name}' must be {want}; got {got!r}."


def _as_int(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        return int(value)
    raise ValueError


SETTINGS: tuple[SettingSpec, ...] = tuple(
    SettingSpec(
        name=f.name,
        default=None if f.default is MISSING else f.default,
        help=f.metadata["help"],
        kind=f.metadata["kind"],
        minimum=f.metadata["minimum"],
        maximum=f.metadata["maximum"],
        choices=f.metadata["choices"],
        group=f.metadata["group"],
        web=f.metadata["web"],
    )
    for f in fields(Settings)
)
