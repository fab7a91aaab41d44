"""Cluster profiles on the user's own scale: sizes, statistics, distributions, category shares.

Every table has an "All" group beside the clusters so each cluster can be read against the whole:

- ``numeric``: count, mean, std, min, quartiles, max of the raw values (what a spreadsheet would show).
- ``robust``: mean and std after clipping far-out values to Tukey's fences (Q1 - 3 IQR, Q3 + 3 IQR).
  One data-entry error (a 9,899,999 among values near 5) moves a raw mean by thousands of standard
  deviations and would hide every real difference in that column; effect sizes use these instead.
- ``histograms``: counts in bins shared by the clusters and the whole data, over the fenced range
  (values beyond it are counted in the end bins; ``ranges`` says how many), so charts stay readable
  and tiny on a million rows.
- ``categories``: count and share of each level (the commonest ``max_levels``; the rest summed as
  "(other levels)"), so shares add up to 100% and can be drawn as a pie.

Dates are profiled like numbers, as years with a fraction (``date_columns`` lists them).
Everything is computed with group-wise ``bincount`` and ``groupby``: linear in the rows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..encode.encoders import MISSING_LEVEL
from ..read.number_text import level_key, numbers_by_value
from ..roles.column_roles import Roles, numeric_values

__all__ = [
    "ALL",
    "CATEGORY_ROLES",
    "OTHER_LEVELS",
    "Profiles",
    "category_keys",
    "decimal_years",
    "format_year",
    "histogram_edges",
    "profile_clusters",
    "robust_range",
]

ALL = "All"
OTHER_LEVELS = "(other levels)"
CATEGORY_ROLES = ("binary", "categorical", "ordinal", "label")
FENCE = 3.0  # Tukey's "far out" fences: Q1 - 3 IQR and Q3 + 3 IQR
MAX_BINS = 30
_STATS = ("count", "mean", "std", "min", "25%", "50%", "75%", "max")


def _empty(*columns: str) -> pd.DataFrame:
    return pd.DataFrame(columns=list(columns))


@dataclass
class Profiles:
    """What each cluster looks like, beside the whole data ("All").

    ``sizes``: Cluster, rows, share. ``numeric``: Cluster, column and describe() statistics.
    ``categories``: Cluster, column, level, count, share (of the group's rows).
    ``robust``: Cluster, column, mean, std of the values clipped to ``ranges`` (for effect sizes),
    and ``clipped``: how many of the group's values were clipped.
    ``histograms``: Cluster, column, bin, left, right, count, share (of the group's non-empty values).
    ``ranges``: column, low, high (the fences), below, above (values clipped, whole data), missing.
    ``label``: the label column's name, if any.
    """

    sizes: pd.DataFrame
    numeric: pd.DataFrame
    categories: pd.DataFrame
    robust: pd.DataFrame = field(
        default_factory=lambda: _empty("Cluster", "column", "mean", "std", "clipped")
    )
    histograms: pd.DataFrame = field(
        default_factory=lambda: _empty("Cluster", "column", "bin", "left", "right", "count", "share")
    )
    ranges: pd.DataFrame = field(
        default_factory=lambda: _empty("column", "low", "high", "below", "above", "missing")
    )
    label: str | None = None  # the label column (profiled, but not a description of the clusters)
    date_columns: list[str] = field(default_factory=list)  # profiled as years with a fraction

    @property
    def clusters(self) -> list[int]:
        return [int(c) for c in self.sizes["Cluster"]]

    @property
    def numeric_columns(self) -> list[str]:
        return list(dict.fromkeys(self.numeric["column"]))

    @property
    def category_columns(self) -> list[str]:
        return list(dict.fromkeys(self.categories["column"]))


def profile_clusters(
    frame: pd.DataFrame, clusters: pd.Series, roles: Roles, max_levels: int = 30
) -> Profiles:
    """Describe each cluster with the original values of the feature columns (and the label column).

    Parameters
    ----------
    frame : the user's table.
    clusters : cluster numbers 1..k (missing for rows left unclustered), aligned with ``frame``.
    roles : the column roles; numeric columns get statistics and histograms, binary, categorical,
        ordinal and label columns get level shares. Other roles are not profiled.
    max_levels : levels shown per category column; rarer ones are summed as "(other levels)".

    Examples
    --------
    >>> from clusterlab.core.roles.column_roles import detect_roles
    >>> frame = pd.DataFrame({"x": [1.0, 2.0, 10.0, 11.0], "c": ["a", "a", "b", "b"]})
    >>> roles, _ = detect_roles(frame)
    >>> p = profile_clusters(frame, pd.Series([1, 1, 2, 2]), roles)
    >>> p.numeric.set_index(["Cluster", "column"]).loc[(2, "x"), "mean"]
    np.float64(10.5)
    """
    clustered = clusters.notna().to_numpy()
    groups = clusters[clustered].astype(int).to_numpy()
    ks = np.unique(groups)
    sizes = pd.DataFrame({"Cluster": ks, "rows": [int((groups == k).sum()) for k in ks]})
    sizes["share"] = sizes["rows"] / max(len(groups), 1)
    # Group index 0 is the whole data, 1..len(ks) the clusters in order.
    index = np.searchsorted(ks, groups) + 1
    keys: list[object] = [ALL, *(int(k) for k in ks)]

    numeric, robust, histograms, ranges, categories = [], [], [], [], []
    dates: list[str] = []
    for info in roles:
        values = frame[info.name][clustered] if info.name in frame.columns else None
        if values is None:
            continue
        if info.role in ("numeric", "datetime"):
            # Dates are profiled as years with a fraction (2021.5 is early July 2021), so "later
            # sign-up" is a difference in years like any other number.
            numbers = (
                numeric_values(values, info)
                if info.role == "numeric"
                else decimal_years(values, info.date_format)
            )
            if info.role == "datetime":
                dates.append(info.name)
            numeric.append(_describe(info.name, numbers, index, keys))
            low, high = robust_range(numbers)
            robust.append(_robust(info.name, numbers, index, keys, low, high))
            edges = histogram_edges(numbers, low, high)
            histograms.append(_histogram(info.name, numbers, index, keys, edges))
            present = numbers[~np.isnan(numbers)]
            ranges.append(
                {
                    "column": info.name,
                    "low": low,
                    "high": high,
                    "below": int((present < edges[0]).sum()) if len(edges) else 0,
                    "above": int((present > edges[-1]).sum()) if len(edges) else 0,
                    "missing": int(np.isnan(numbers).sum()),
                }
            )
        elif info.role in CATEGORY_ROLES:
            categories.append(_shares(info.name, category_keys(values), index, keys, max_levels, info.order))

    def stack(parts: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
        parts = [p for p in parts if len(p)]
        return pd.concat(parts, ignore_index=True) if parts else _empty(*columns)

    return Profiles(
        sizes,
        stack(numeric, ["Cluster", "column", *_STATS]),
        stack(categories, ["Cluster", "column", "level", "count", "share"]),
        stack(robust, ["Cluster", "column", "mean", "std", "clipped"]),
        stack(histograms, ["Cluster", "column", "bin", "left", "right", "count", "share"]),
        pd.DataFrame(ranges, columns=["column", "low", "high", "below", "above", "missing"]),
        roles.label.name if roles.label is not None else None,
        dates,
    )


def decimal_years(values: pd.Series, date_format: str | None = None) -> np.ndarray:
    """Dates (or date text) as years with a fraction; NaN where empty or unreadable.

    >>> decimal_years(pd.Series(["2020-01-01", "2021-07-02", None])).round(2).tolist()
    [2020.0, 2021.5, nan]
    """
    if pd.api.types.is_datetime64_any_dtype(values):
        dates = values
    else:
        text = values.astype(object).where(values.notna(), None)
        dates = pd.to_datetime(text, format=date_format or "mixed", errors="coerce")
    if getattr(dates.dt, "tz", None) is not None:
        dates = dates.dt.tz_localize(None)
    years = dates.dt.year + (dates.dt.day_of_year - 1) / 365.25
    return years.to_numpy(dtype=float, na_value=np.nan)


def format_year(value: float) -> str:
    """A year with a fraction as year and month: 2021.5 -> '2021-07'.

    >>> format_year(2021.5), format_year(float("nan"))
    ('2021-07', '–')
    """
    if not math.isfinite(value):
        return "–"
    year = math.floor(value)
    month = min(12, int((value - year) * 12) + 1)
    return f"{year}-{month:02d}"


def category_keys(values: pd.Series) -> np.ndarray:
    """The level of each cell as text (1.0, 1 and " 1 " are one level), empty cells as "(missing)".

    Each distinct value is converted once, so a million rows with a few levels take milliseconds.

    >>> category_keys(pd.Series([1.0, "1", None, " a ", ""])).tolist()
    ['1', '1', '(missing)', 'a', '(missing)']
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    names = np.array([level_key(u) for u in uniques] + [MISSING_LEVEL], dtype=object)
    names[names == ""] = MISSING_LEVEL
    return names[np.where(codes >= 0, codes, len(uniques))]


def robust_range(numbers: np.ndarray) -> tuple[float, float]:
    """The range of the values without far-out ones: Tukey's fences Q1 - 3 IQR and Q3 + 3 IQR,
    narrowed to the smallest and largest value. When half the values are equal (IQR 0) the 1st and
    99th percentiles are used instead, so a mostly-zero column is not squashed to a point.

    >>> robust_range(np.array([4.0, 5, 5, 6, 6, 7, 9_899_999]))
    (4.0, 11.0)
    """
    present = numbers[~np.isnan(numbers)]
    if len(present) == 0:
        return (math.nan, math.nan)
    lowest, highest = float(present.min()), float(present.max())
    q1, q3 = np.percentile(present, [25, 75])
    iqr = q3 - q1
    if iqr > 0:
        low, high = q1 - FENCE * iqr, q3 + FENCE * iqr
    else:
        low, high = np.percentile(present, [1, 99])
        if high <= low:
            return (lowest, highest)
    return (float(max(lowest, low)), float(min(highest, high)))


def histogram_edges(numbers: np.ndarray, low: float, high: float, max_bins: int = MAX_BINS) -> np.ndarray:
    """Bin edges over ``low..high`` at a round step (1, 2, 2.5 or 5 times a power of ten).

    Whole numbers over a short range get one bin per value (edges at the halves), so ages or
    ratings are not split between bins. Fewer rows get fewer bins (about the square root).

    >>> histogram_edges(np.array([1.0, 2, 3]), 1.0, 3.0).tolist()
    [0.5, 1.5, 2.5, 3.5]
    """
    if math.isnan(low) or math.isnan(high):
        return np.array([])
    present = numbers[~np.isnan(numbers)]
    bins = int(min(max_bins, max(8, math.ceil(math.sqrt(len(present))))))
    whole = bool(np.all(np.mod(present, 1) == 0)) if len(present) else False
    if whole and high - low + 1 <= bins:
        return np.arange(low - 0.5, high + 1.0, 1.0)
    if high == low:
        return np.array([low - 0.5, high + 0.5])
    step = _round_step((high - low) / bins)
    if whole:
        step = max(1.0, math.ceil(step))
    start = math.floor(low / step) * step
    count = max(1, math.ceil((high - start) / step - 1e-9))
    if start + count * step <= high:  # the top value belongs in the last bin, not beyond it
        count += 1
    return start + step * np.arange(count + 1)


def _round_step(raw: float) -> float:
    power = 10.0 ** math.floor(math.log10(raw))
    for mult in (1.0, 2.0, 2.5, 5.0, 10.0):
        if raw <= mult * power * (1 + 1e-9):
            return mult * power
    return 10.0 * power


def _describe(name: str, numbers: np.ndarray, index: np.ndarray, keys: list[object]) -> pd.DataFrame:
    series = pd.Series(numbers)
    whole = series.describe()
    by_group = series.groupby(index).describe()
    rows = [{"Cluster": ALL, "column": name, **{s: float(whole.get(s, np.nan)) for s in _STATS}}]
    for g, key in enumerate(keys[1:], start=1):
        stats = by_group.loc[g] if g in by_group.index else pd.Series(dtype=float)
        rows.append({"Cluster": key, "column": name, **{s: float(stats.get(s, np.nan)) for s in _STATS}})
    return pd.DataFrame(rows)


def _robust(
    name: str, numbers: np.ndarray, index: np.ndarray, keys: list[object], low: float, high: float
) -> pd.DataFrame:
    clipped = pd.Series(np.clip(numbers, low, high) if not math.isnan(low) else numbers)
    outside = pd.Series((numbers < low) | (numbers > high)).astype(int)  # NaN compares False
    by_group = clipped.groupby(index).agg(["mean", "std"])
    counts = outside.groupby(index).sum()
    rows = [
        {
            "Cluster": ALL,
            "column": name,
            "mean": float(clipped.mean()),
            "std": float(clipped.std()),
            "clipped": int(outside.sum()),
        }
    ]
    for g, key in enumerate(keys[1:], start=1):
        mean, std = by_group.loc[g] if g in by_group.index else (np.nan, np.nan)
        rows.append(
            {
                "Cluster": key,
                "column": name,
                "mean": float(mean),
                "std": float(std),
                "clipped": int(counts.get(g, 0)),
            }
        )
    return pd.DataFrame(rows)


def _histogram(
    name: str, numbers: np.ndarray, index: np.ndarray, keys: list[object], edges: np.ndarray
) -> pd.DataFrame:
    if len(edges) < 2:
        return _empty("Cluster", "column", "bin", "left", "right", "count", "share")
    present = ~np.isnan(numbers)
    n_bins = len(edges) - 1
    bins = np.clip(np.searchsorted(edges, numbers[present], side="right") - 1, 0, n_bins - 1)
    groups = index[present]
    counts = np.bincount(groups * n_bins + bins, minlength=len(keys) * n_bins).reshape(len(keys), n_bins)
    counts[0] = np.bincount(bins, minlength=n_bins)
    totals = counts.sum(axis=1, keepdims=True)
    shares = np.divide(counts, totals, out=np.zeros(counts.shape), where=totals > 0)
    return pd.DataFrame(
        {
            "Cluster": np.repeat(np.array(keys, dtype=object), n_bins),
            "column": name,
            "bin": np.tile(np.arange(n_bins), len(keys)),
            "left": np.tile(edges[:-1], len(keys)),
            "right": np.tile(edges[1:], len(keys)),
            "count": counts.ravel(),
            "share": shares.ravel(),
        }
    )


def _shares(
    name: str,
    levels: np.ndarray,
    index: np.ndarray,
    keys: list[object],
    max_levels: int,
    order: list[str] | None,
) -> pd.DataFrame:
    codes, uniques = pd.factorize(levels)
    totals_all = np.bincount(codes, minlength=len(uniques))
    top = list(np.argsort(-totals_all, kind="stable")[:max_levels])
    if order:  # an ordinal column lists its levels lowest first, then anything unexpected
        rank = {level: i for i, level in enumerate(order)}
        top.sort(key=lambda code: (rank.get(str(uniques[code]), len(rank)), -totals_all[code]))
    else:  # numbers by value (0, 1, 4), other levels commonest first
        position = {str(uniques[code]): code for code in top}
        top = [position[level] for level in numbers_by_value(position, last={MISSING_LEVEL})]
    counts = np.bincount(index * len(uniques) + codes, minlength=len(keys) * len(uniques))
    counts = counts.reshape(len(keys), len(uniques))
    counts[0] = totals_all
    group_rows = counts.sum(axis=1)
    rows = []
    for g, key in enumerate(keys):
        for code in top:
            n = int(counts[g, code])
            rows.append(_share_row(key, name, str(uniques[code]), n, group_rows[g]))
        if len(top) < len(uniques):
            rest = int(group_rows[g] - counts[g, top].sum())
            rows.append(_share_row(key, name, OTHER_LEVELS, rest, group_rows[g]))
    return pd.DataFrame(rows)


def _share_row(key: object, name: str, level: str, n: int, total: int) -> dict[str, object]:
    return {"Cluster": key, "column": name, "level": level, "count": n, "share": n / total if total else 0.0}
