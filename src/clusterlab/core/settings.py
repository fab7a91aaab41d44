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

__all__ = ["GROUPS", "SETTINGS", "SettingSpec", "Settings"]


# What a person decides with the settings of each group, in the order the web form and `--help`
# show them. A setting's group and its short label are for the faces that lay settings out (the web
# form, the CLI's help, the API's reference); its help says what it does, beyond the label.
GROUPS: dict[str, str] = {
    "clusters": "How many clusters to try",
    "method": "How to cluster",
    "columns": "How the columns are treated",
    "outliers": "Outliers",
    "repeat": "Reproducibility and speed",
    "input": "Input",
}


def _setting(
    default: Any,
    label: str,
    help: str,
    accepts: Constraint,
    *,
    group: str,
    options: dict[str, str] | None = None,
    web: bool = True,
) -> Any:
    metadata = {"label": label, "help": help, "accepts": accepts, "group": group, "web": web}
    return field(default=default, metadata=metadata | {"options": options or {}})


@dataclass(frozen=True)
class Settings:
    """Validated run settings. Build from user text with :meth:`Settings.parse`.

    Examples
    --------
    >>> Settings.parse({"k": "4", "seed": "7"}).k
    4
    """

    k: int | str = _setting(
        "auto",
        "Number of clusters",
        "A whole number fits that many clusters (1: one cluster, for anomaly detection); 'auto' fits "
        "the one the sweep recommends.",
        AutoOr(Interval(int, 1, 200)),
        group="clusters",
    )
    method: str = _setting(
        "auto",
        "Clustering method",
        "'kmeans': round clusters around means; 'gmm' (Gaussian mixture): elliptical clusters, each "
        "row with a membership probability; 'hierarchical': a tree of merges (see linkage); 'hdbscan': "
        "dense groups of any shape, finds k itself and leaves Noise; 'kmedoids': a real row as each "
        "centre; 'latentclass' (latent class model): groups that live in the category columns, each "
        "with its own shares of every category's levels; 'auto' recommends one: K-Means unless a "
        "Gaussian mixture, HDBSCAN or a latent class model describes the data clearly better; with a "
        "given k, the recommended method at that k (K-Means when it is HDBSCAN, which finds its own k).",
        Options(("auto", "kmeans", "gmm", "hierarchical", "hdbscan", "kmedoids", "latentclass")),
        group="method",
        options={
            "auto": "recommended",
            "kmeans": "K-Means",
            "gmm": "Gaussian mixture",
            "hierarchical": "hierarchical (a tree)",
            "hdbscan": "HDBSCAN (density)",
            "kmedoids": "K-Medoids",
            "latentclass": "latent classes (categories)",
        },
    )
    linkage: str = _setting(
        "ward",
        "Linkage (hierarchical)",
        "How the distance between two groups is measured: 'ward' (least growth in spread), "
        "'average', 'complete' (farthest rows) or 'single' (nearest rows: follows chains and curves).",
        Options(("ward", "average", "complete", "single")),
        group="method",
        options={
            "ward": "least growth in spread",
            "average": "average distance",
            "complete": "farthest rows",
            "single": "nearest rows",
        },
    )
    min_cluster_size: int | str = _setting(
        "auto",
        "Smallest cluster (HDBSCAN)",
        "The fewest rows HDBSCAN accepts as a cluster; 'auto' is 1% of the rows, at least 5.",
        AutoOr(Interval(int, 2, 1_000_000)),
        group="method",
    )
    covariance: str = _setting(
        "auto",
        "Cluster shape (Gaussian mixture)",
        "'full' (any ellipse), 'diag' (ellipses along the columns), 'tied' (one shape for all), "
        "'spherical' (round); 'auto' picks the one with the lowest BIC.",
        Options(("auto", "full", "diag", "tied", "spherical")),
        group="method",
    )
    distance: str = _setting(
        "euclidean",
        "Distance (K-Medoids)",
        "How K-Medoids compares two rows: 'gower' averages each column's own difference (a number's "
        "share of its range, a category or yes/no: same or not, at its category weight), and the "
        "columns are not reduced by PCA; 'euclidean' measures the encoded, weighted and reduced "
        "columns as the other methods do; 'auto' is Gower when a category or yes/no column is used.",
        Options(("auto", "euclidean", "gower")),
        group="method",
        options={
            "auto": "Gower with categories",
            "euclidean": "the encoded columns",
            "gower": "each column's own difference",
        },
    )
    k_min: int = _setting(
        2,
        "Fewest clusters",
        "Every k from this one to the most clusters is fitted and scored.",
        Interval(int, 2, 200),
        group="clusters",
    )
    k_max: int = _setting(
        10,
        "Most clusters",
        "The largest k tried at first; when it scores best, larger ones are tried too, up to the limit.",
        Interval(int, 2, 200),
        group="clusters",
    )
    k_limit: int = _setting(
        30,
        "Limit when the range grows",
        "When the best k is the largest tried, the range grows up to this k; set it to the most clusters "
        "to keep the range fixed.",
        Interval(int, 2, 200),
        group="clusters",
    )
    seed: int = _setting(
        42,
        "Random seed",
        "The same file, settings and seed always give the same clusters; another seed draws other "
        "starting points.",
        Interval(int, 0, 2**32 - 1),
        group="repeat",
    )
    n_init: int = _setting(
        10,
        "Restarts of the final fit",
        "K-Means starts this many times from different points and keeps the best fit: more is steadier, "
        "and slower.",
        Interval(int, 1, 100),
        group="repeat",
    )
    pca_variance: float = _setting(
        0.95,
        "Share of variation kept",
        "PCA keeps the fewest directions that together hold this share of the variance and drops the "
        "rest as noise (1 turns PCA off).",
        Interval(float, 0.5, 1.0),
        group="columns",
    )
    impute: str = _setting(
        "fill",
        "Empty cells",
        "In the columns used, a number's empty cells get the mean of the 5 rows most like theirs in the "
        "other columns (the column's median when fewer than 20 rows are complete) and a category's "
        "their own '(missing)' value; or the rows with any get no cluster.",
        Options(("fill", "none")),
        group="columns",
        options={"fill": "fill them in", "none": "leave those rows unclustered"},
    )
    max_categories: int = _setting(
        20,
        "Most values per category",
        "A category with more values keeps its commonest ones; the rest count as 'Other'.",
        Interval(int, 2, 500),
        group="columns",
    )
    min_category_share: float = _setting(
        0.01,
        "Rarest value kept",
        "A category's values in a smaller share of the rows than this count as 'Other' (0.01 is 1%).",
        Interval(float, 0.0, 0.5),
        group="columns",
    )
    text_components: int = _setting(
        5,
        "Themes per free-text column",
        "Each free-text column is summarised by this many components of its words (TF-IDF and SVD); more "
        "keeps more of the wording.",
        Interval(int, 1, 50),
        group="columns",
    )
    datetime: str = _setting(
        "parts",
        "Dates",
        "A date column can count as two numbers, its year and its season, or be left out.",
        Options(("parts", "exclude")),
        group="columns",
        options={"parts": "use the year and season", "exclude": "leave dates out"},
    )
    silhouette_sample: int = _setting(
        5000,
        "Rows scored for the silhouette",
        "Above this many rows the silhouette is scored on a seeded sample of them (its cost grows with "
        "the square of the rows); exact below.",
        Interval(int, 200, 100_000),
        group="repeat",
    )
    sheet: str | None = _setting(
        None,
        "Sheet",
        "Excel sheet to read (default: the first non-empty one).",
        Text(),
        group="input",
        web=False,
    )
    outlier_rule: str = _setting(
        "fence",
        "Which rows count as outliers",
        "'fence': rows beyond their cluster's far fence (Q3 + 3 IQR of its rows' distances to the "
        "centre), so clean data has next to none; 'percentile': the farthest rows of every cluster, "
        "beyond the percentile below (about 5% of each cluster by construction).",
        Options(("fence", "percentile")),
        group="outliers",
        options={
            "fence": "unusual for their cluster (far fence)",
            "percentile": "a fixed share of each cluster",
        },
    )
    outlier_percentile: float = _setting(
        95.0,
        "Cut-off percentile for the fixed-share rule",
        "With the 'percentile' rule, a row is an outlier when its distance to its cluster's centre is "
        "beyond this percentile of its cluster (100: flag none).",
        Interval(float, 50.0, 100.0),
        group="outliers",
    )
    resamples: int = _setting(
        10,
        "Stability checks per k",
        "Each k is fitted again on this many random halves of the rows, to see how stable its clusters "
        "are (0 turns the stability criterion off, and is faster).",
        Interval(int, 0, 100),
        group="repeat",
    )
    heavy_tails: str = _setting(
        "log",
        "Long-tailed amounts",
        "Columns of non-negative amounts with a long tail (spend, income, counts) can be log-scaled for "
        "clustering, when that halves their skewness, so that a few large values do not set the scale.",
        Options(("log", "keep")),
        group="columns",
        options={"log": "log-scale them", "keep": "keep them as they are"},
    )
    outliers: str = _setting(
        "clip",
        "Far-out values",
        "A few values (at most 1% of a column) more than 3 interquartile ranges beyond the quartiles, "
        "often typos, can count as that limit for clustering; your data keeps them.",
        Options(("clip", "keep")),
        group="outliers",
        options={"clip": "count them as the limit", "keep": "use them as they are"},
    )
    category_weight: float | str = _setting(
        "auto",
        "Weight of categories",
        "How much each category and yes/no column counts beside a number column (1: as much). 'auto' "
        "learns it per column: low (about 0.17) for a category no other column agrees with, so it cannot "
        "split the rows into its values alone; up to 1 for one the other columns agree with. Number "
        "columns of only 3 to 10 whole numbers (a count, a rating) are weighed the same way. A number sets it "
        "for all categories.",
        AutoOr(Interval(float, 0.0, 1.0)),
        group="columns",
    )
    number_weight: str = _setting(
        "auto",
        "Weight of unrelated numbers",
        "A number column that nothing else in the table depends on (shuffling its values among the rows "
        "leaves every row's nearest rows as they were) and that has a single peak can only blur the groups "
        "the other columns draw. 'auto' weighs such a column 0.125 of a number column, when the other "
        "columns clearly hold a structure; 'keep' counts every number column 1.",
        Options(("auto", "keep")),
        group="columns",
        options={"auto": "weigh them down", "keep": "count every number 1"},
    )
    weighting: str = _setting(
        "balanced",
        "Columns of many parts",
        "A category becomes one part per value, a free text several: each column can count once, "
        "however many parts it has, or each part once.",
        Options(("balanced", "none")),
        group="columns",
        options={"balanced": "each column counts once", "none": "each part counts once"},
    )
    engine: str = _setting(
        "local",
        "Where the work runs",
        "This machine's cores, or a Dask cluster: the k sweep runs there, and a folder or pattern of "
        "Parquet/CSV parts is clustered out of core (see README).",
        Options(("local", "dask")),
        group="repeat",
        options={"local": "this machine", "dask": "a Dask cluster"},
        web=False,
    )
    scheduler: str | None = _setting(
        None,
        "Dask scheduler",
        "Where the Dask engine finds its cluster, e.g. tcp://HOST:8786 (default: a local Dask "
        "cluster on this machine's cores).",
        Text(),
        group="repeat",
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
    label: str = ""  # a few plain words for a form ("Most clusters"); the help says the rest
    options: Mapping[str, str] = field(default_factory=dict)  # each option's words ("Fill them in")

    @property
    def group_title(self) -> str:
        """What a person decides with this setting and its group: "How many clusters to try"."""
        return GROUPS[self.group]

    def option_words(self, value: Any) -> str:
        """An option in words ("use them as they are" for outliers "keep"); other values as they are."""
        return self.options.get(str(value), str(value))

    def describe(self) -> str:
        """What the setting accepts, each option with its words: "'clip' (count them as the limit) or
        'keep' (use them as they are)"; else its constraint's words ("a whole number from 2 to 200")."""
        if not self.options:
            return self.accepts.describe()
        words = [f"'{value}' ({text})" for value, text in self.options.items()]
        return ", ".join(words[:-1]) + " or " + words[-1]

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
        label=f.metadata["label"],
        options=f.metadata["options"],
    )
    for f in fields(Settings)
)
register_controls(spec.name for spec in SETTINGS)
