"""The settings table: one place that feeds CLI flags, validation, the web form, the API and the docs.

Each setting is a field of :class:`Settings` with its help text and its constraint (what values it
accepts, :mod:`.constraints`) in the field's metadata; :data:`SETTINGS` lists them as
:class:`SettingSpec` rows. The CLI builds ``--k-max`` from ``k_max`` and says in ``--help`` what it
accepts; the web form builds an input from the same row; the API's schema comes from it; and
:meth:`Settings.parse` validates text from any of them with one message shape, naming the setting as a
:class:`~.errors.Control` that each face words its own way: "{k_max} must be a whole number from 2 to
200; got 'ten'." is "--k-max must be ..." in the CLI and "k_max must be ..." in Python.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import MISSING, asdict, dataclass, field, fields, replace
from typing import Any

from .constraints import AutoOr, Constraint, Interval, Options, Text
from .errors import Control, SettingsError, register_controls

__all__ = ["SETTINGS", "SettingSpec", "Settings"]


def _setting(
    default: Any, help: str, accepts: Constraint, *, group: str = "clustering", web: bool = True
) -> Any:
    return field(default=default, metadata={"help": help, "accepts": accepts, "group": group, "web": web})


@dataclass(frozen=True)
class Settings:
    """Validated run settings. Build from user text with :meth:`Settings.parse`.

    Examples
    --------
    >>> Settings.parse({"k": "4", "seed": "7"}).k
    4
    """

    k: int | str = _setting(
        "auto", "Number of clusters, or 'auto' to recommend one.", AutoOr(Interval(int, 2, 200))
    )
    k_min: int = _setting(2, "Smallest k the sweep tries.", Interval(int, 2, 200))
    k_max: int = _setting(10, "Largest k the sweep tries.", Interval(int, 2, 200))
    seed: int = _setting(
        42,
        "Random seed: same input and seed give the same clusters.",
        Interval(int, 0, 2**32 - 1),
    )
    n_init: int = _setting(
        10,
        "K-Means restarts for the final fit (the best one is kept).",
        Interval(int, 1, 100),
        group="advanced",
    )
    pca_variance: float = _setting(
        0.95,
        "Share of variance PCA keeps (1 turns PCA off).",
        Interval(float, 0.5, 1.0),
        group="preprocessing",
    )
    impute: str = _setting(
        "fill",
        "Empty cells: 'fill' (median / '(missing)' level) or 'none' "
        "(rows with empty feature cells are left unclustered).",
        Options(("fill", "none")),
        group="preprocessing",
    )
    max_categories: int = _setting(
        20,
        "Most one-hot levels per category column; rarer levels become 'Other'.",
        Interval(int, 2, 500),
        group="preprocessing",
    )
    min_category_share: float = _setting(
        0.01,
        "Levels rarer than this share of rows become 'Other'.",
        Interval(float, 0.0, 0.5),
        group="preprocessing",
    )
    text_components: int = _setting(
        5,
        "Components kept from each free-text column (TF-IDF + SVD).",
        Interval(int, 1, 50),
        group="preprocessing",
    )
    datetime: str = _setting(
        "parts",
        "Date columns: 'parts' (year and season as numbers) or 'exclude'.",
        Options(("parts", "exclude")),
        group="preprocessing",
    )
    silhouette_sample: int = _setting(
        5000,
        "Rows used for the silhouette score above this size (a seeded sample; exact below).",
        Interval(int, 200, 100_000),
        group="advanced",
    )
    sheet: str | None = _setting(
        None, "Excel sheet to read (default: the first non-empty one).", Text(), group="input", web=False
    )
    outlier_percentile: float = _setting(
        95.0,
        "A row is an Outlier when its distance to its cluster's centre is beyond this percentile "
        "of its cluster (100: flag none).",
        Interval(float, 50.0, 100.0),
        group="advanced",
    )
    k_limit: int = _setting(
        30,
        "Largest k the sweep may grow to when the recommendation sits at the top of k_min..k_max "
        "(set it to k_max to keep the range fixed).",
        Interval(int, 2, 200),
    )
    resamples: int = _setting(
        10,
        "Fits on resampled halves of the rows per k, for the stability criterion (0 turns it off).",
        Interval(int, 0, 100),
        group="advanced",
    )
    heavy_tails: str = _setting(
        "log",
        "Heavy-tailed non-negative columns (spend, income, counts): 'log' log-scales them for "
        "clustering when that halves their skewness; 'keep' leaves them linear.",
        Options(("log", "keep")),
        group="preprocessing",
    )
    outliers: str = _setting(
        "clip",
        "A few values (at most 1% of a column) more than 3 interquartile ranges beyond the quartiles: "
        "'clip' counts them as that limit for clustering (your data keeps them); 'keep' uses them as they are.",
        Options(("clip", "keep")),
        group="preprocessing",
    )
    category_weight: float | str = _setting(
        "auto",
        "Weight of each category and yes/no column relative to a numeric column (its share of the "
        "distances K-Means sees): 'auto' learns it per column, from k-prototypes' mismatch cost (about 0.17) "
        "for a category no other column agrees with to 1 for one the other columns agree with; a number "
        "sets it for all.",
        AutoOr(Interval(float, 0.0, 1.0)),
        group="preprocessing",
    )
    weighting: str = _setting(
        "balanced",
        "'balanced': every column weighs the same, however many encoded columns it has (one-hot "
        "levels, text components); 'none': every encoded column weighs the same.",
        Options(("balanced", "none")),
        group="preprocessing",
    )
    engine: str = _setting(
        "local",
        "Where the work runs: 'local' (this machine's cores) or 'dask' (a Dask cluster: the k sweep runs "
        "there; a folder or pattern of Parquet/CSV parts is clustered out of core, see README).",
        Options(("local", "dask")),
        group="advanced",
        web=False,
    )
    scheduler: str | None = _setting(
        None,
        "Dask scheduler address for engine 'dask', e.g. tcp://HOST:8786 (default: a local Dask "
        "cluster on this machine's cores).",
        Text(),
        group="advanced",
        web=False,
    )

    def __post_init__(self) -> None:
        for spec in SETTINGS:
            spec.check(getattr(self, spec.name))
        _check_k_range(self.k_min, self.k_max)

    @classmethod
    def parse(cls, values: Mapping[str, Any] | None = None, **more: Any) -> Settings:
        """Validate and convert user values (text from the CLI or a form, or Python values).

        Unknown names raise :class:`SettingsError` with a suggestion; ``None`` (and blank text, but for
        text settings) means "use the default". Messages name a setting as a control
        (``{k_max}``), which the face showing them words: "--k-max" in the CLI, "k_max" in Python.
        """
        merged = {**(values or {}), **more}
        known = {spec.name: spec for spec in SETTINGS}
        converted: dict[str, Any] = {}
        for name, raw in merged.items():
            if name not in known:
                close = difflib.get_close_matches(name, known, n=1)
                hint = f" Did you mean '{close[0]}'?" if close else ""
                raise SettingsError(f"Unknown setting '{name}'.{hint}", detail={"setting": name})
            if raw is None or (
                isinstance(raw, str) and not raw.strip() and known[name].accepts.blank_is_unset
            ):
                continue
            converted[name] = known[name].convert(raw)
        defaults = cls.__dataclass_fields__
        _check_k_range(
            converted.get("k_min", defaults["k_min"].default),
            converted.get("k_max", defaults["k_max"].default),
        )
        return cls(**converted)

    def replace(self, **changes: Any) -> Settings:
        """A copy with some settings changed (validated again)."""
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class SettingSpec:
    """One row of the settings table, read from a :class:`Settings` field.

    >>> spec = next(s for s in SETTINGS if s.name == "k_max")
    >>> spec.flag, spec.accepts.describe()
    ('--k-max', 'a whole number from 2 to 200')
    """

    name: str
    default: Any
    help: str
    accepts: Constraint
    group: str
    web: bool

    @property
    def flag(self) -> str:
        """The CLI flag: ``k_max`` -> ``--k-max``."""
        return "--" + self.name.replace("_", "-")

    def convert(self, raw: Any) -> Any:
        """Text (or a Python value) as this setting's value, checked; else :class:`SettingsError`."""
        try:
            value = self.accepts.convert(raw)
        except (TypeError, ValueError):
            raise SettingsError(self.message(raw), detail={"setting": self.name}) from None
        if not self.accepts.is_satisfied_by(value):
            raise SettingsError(self.message(value), detail={"setting": self.name})
        return value

    def check(self, value: Any) -> None:
        """Raise :class:`SettingsError` unless ``value`` is acceptable."""
        if not self.accepts.is_satisfied_by(value):
            raise SettingsError(self.message(value), detail={"setting": self.name})

    def message(self, got: Any) -> str:
        """ "{k_max} must be a whole number from 2 to 200; got 'ten'." (a template: see .errors)"""
        return f"{Control(self.name)} must be {self.accepts.describe()}; got {got!r}."

    def json_schema(self) -> dict[str, Any]:
        """The setting as a field of the API: what it accepts, with its help and default."""
        return {**self.accepts.json_schema(), "description": self.help, "default": self.default}


def _check_k_range(k_min: int, k_max: int) -> None:
    if k_min > k_max:
        raise SettingsError(
            f"{Control('k_min')} ({k_min}) must not be above {Control('k_max')} ({k_max}).",
            detail={"setting": "k_min"},
        )


SETTINGS: tuple[SettingSpec, ...] = tuple(
    SettingSpec(
        name=f.name,
        default=None if f.default is MISSING else f.default,
        help=f.metadata["help"],
        accepts=f.metadata["accepts"],
        group=f.metadata["group"],
        web=f.metadata["web"],
    )
    for f in fields(Settings)
)
register_controls(spec.name for spec in SETTINGS)
