"""Rows far from their cluster's centre: a distance per row and an ``Outlier`` flag.

The distance is Euclidean, in the space K-Means worked in (encoded, standardised, weighted, PCA),
so it weighs columns exactly as the clustering did. A row is an outlier when its distance is beyond
its own cluster's threshold (a wide cluster is allowed wide members), set by the ``outlier_rule``:

- ``"fence"`` (default): Tukey's far-out fence of the cluster's distances, Q3 + 3 IQR, the yardstick
  the columns' far-out values are clipped by too. A row is flagged because it is unusual for its
  cluster, so clean data has next to none: 0-0.3% of Gaussian blobs, 0-1.1% of the shared
  workbooks and CSVs (measured for issue 14). Not on the distances' logs, though distances are
  skewed: the log stretches the rows near the centre, widening the IQR until the fence sits at
  about 15 times the median distance, and nothing, not even a planted outlier, is flagged. The
  inner fence (Q3 + 1.5 IQR) flags 2% of clean 2-D blobs: a count by construction again.
- ``"percentile"``: the original rule, beyond the ``outlier_percentile`` (95th) of the cluster's
  distances, so about 5% of every cluster is flagged, however clean.

The thresholds are learned once, at fit time, and stored in model.json, so `clusterlab assign`
judges next month's rows by this month's yardstick.

Why a row is an outlier, in its own values: :func:`unusual_values` names the numbers least like its
cluster's (capped) average, in standard deviations of the whole data, so a typo (9,899,999 among
values near 5) stands out by name.

A row holding a value beyond its column's far-out fences (the cells clipped for clustering, see
:mod:`.numeric_encoder`) is an outlier too, whatever its distance: the clipping moved it in.

A cluster too small to be a group (at most :data:`TINY_ROWS` rows and under :data:`TINY_SHARE` of
them, typically one row with a data-entry error that K-Means gave a centre of its own) has the
threshold -1: its rows are all outliers, though their distance to "their" centre is zero.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from ..formatting import format_number
from ..roles.column_roles import Roles, numeric_values
from ..settings import Settings
from .profiles import ALL, Profiles

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "OUTLIER_RULES",
    "FarFence",
    "OutlierRule",
    "Outliers",
    "PercentileRule",
    "UnusualValue",
    "centre_distances",
    "find_outliers",
    "outlier_rule",
    "outlier_thresholds",
    "unusual_values",
]

_CHUNK = 100_000  # rows per block, so the difference matrix stays small on millions of rows
# Identical input rows come out of scaling and PCA up to ~1e-15 apart; a distance within this of the
# threshold is rounding, not "beyond" (the clustering space is standardised, so 1e-9 is far below
# any real difference).
_ROUNDING = 1e-9
TINY_ROWS, TINY_SHARE = 2, 0.01
EVERY_ROW = -1.0  # the threshold of a cluster too small to be a group
FAR = 3.0  # Tukey's far-out fence: Q3 + 3 IQR (the columns' clipping uses the same, numeric_encoder)


class OutlierRule(ABC):
    """How far from its centre a row must be to be an outlier, from its cluster's distances: each
    rule owns its threshold and the words that say it wherever the count is shown."""

    name: str

    @abstractmethod
    def limit(self, distances: np.ndarray) -> float:
        """The threshold of one cluster, from the distances of its (training) rows."""

    @property
    @abstractmethod
    def text(self) -> str:
        """What an outlier is, after "N rows": "beyond their cluster's far fence (...)"."""

    @property
    @abstractmethod
    def short(self) -> str:
        """The rule in a few words, beside a count: "beyond the far fence"."""

    @abstractmethod
    def explain(self, rows: str = "rows") -> str:
        """The rule in full, after "A row is an outlier when": for a page's lead (``rows``: whose
        distances set the threshold, "training rows" when new rows are judged)."""

    @abstractmethod
    def to_dict(self) -> dict[str, Any]:
        """The rule in summary.json: ``name``, its parameters and ``text``."""


@dataclass(frozen=True)
class FarFence(OutlierRule):
    """Beyond Tukey's far-out fence of the cluster's distances, Q3 + 3 IQR (the module says why).

    >>> FarFence().limit(np.arange(1.0, 101))  # Q1 25.75, Q3 75.25: 75.25 + 3 x 49.5
    223.75
    """

    name = "fence"

    def limit(self, distances: np.ndarray) -> float:
        q1, q3 = np.percentile(distances, [25, 75])
        return float(q3 + FAR * (q3 - q1))

    @property
    def text(self) -> str:
        return f"beyond their cluster's far fence (Q3 + {FAR:g} IQR of its distances to the centre)"

    @property
    def short(self) -> str:
        return "beyond the far fence"

    def explain(self, rows: str = "rows") -> str:
        return (
            "its distance to its cluster's centre is beyond the cluster's far fence: the upper quartile "
            f"of its {rows}' distances plus {FAR:g} times their interquartile range (Q3 + {FAR:g} IQR, "
            "Tukey's far-out fence), which the rows of a compact cluster seldom pass"
        )

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "iqr": FAR, "text": self.text}


@dataclass(frozen=True)
class PercentileRule(OutlierRule):
    """Beyond the ``percentile`` of the cluster's distances (the original rule: about 5% of every
    cluster at the 95th, however clean).

    >>> PercentileRule(95).limit(np.arange(1.0, 101))
    95.05
    """

    percentile: float = 95.0
    name = "percentile"

    def limit(self, distances: np.ndarray) -> float:
        return float(np.percentile(distances, self.percentile))

    @property
    def text(self) -> str:
        return f"beyond the {_ordinal(self.percentile)} percentile of their cluster's distances to the centre"

    @property
    def short(self) -> str:
        return f"beyond the {_ordinal(self.percentile)} percentile"

    def explain(self, rows: str = "rows") -> str:
        return (
            f"it is farther from its cluster's centre than {self.percentile:g}% of that cluster's {rows} "
            f"(about {100 - self.percentile:g}% of every cluster, even in clean data: most are ordinary "
            "rows at the edge of their cluster)"
        )

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "percentile": self.percentile, "text": self.text}


def _ordinal(number: float) -> str:
    """95 -> '95th', 91 -> '91st', 97.5 -> '97.5th'."""
    whole = int(number)
    if whole != number or 11 <= whole % 100 <= 13:
        return f"{number:g}th"
    return f"{whole}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(whole % 10, 'th') }"


OUTLIER_RULES: dict[str, Callable[[float], OutlierRule]] = {
    FarFence.name: lambda percentile: FarFence(),
    PercentileRule.name: PercentileRule,
}


def outlier_rule(settings: Settings) -> OutlierRule:
    """The rule of the ``outlier_rule`` (and ``outlier_percentile``) settings.

    >>> outlier_rule(Settings(outlier_rule="percentile", outlier_percentile=91)).text
    "beyond the 91st percentile of their cluster's distances to the centre"
    """
    return OUTLIER_RULES[settings.outlier_rule](float(settings.outlier_percentile))


@dataclass
class Outliers:
    """Per-row ``distance`` (NaN where unclustered) and ``flag``; per-cluster ``thresholds``, set by
    ``rule``; ``far_out``: rows flagged because a value lies beyond its column's far-out fences."""

    distance: np.ndarray
    flag: np.ndarray
    thresholds: np.ndarray  # index i is cluster i + 1
    rule: OutlierRule
    far_out: np.ndarray | None = None

    @property
    def count(self) -> int:
        return int(self.flag.sum())

    @property
    def percentile(self) -> float | None:
        """The percentile of the ``"percentile"`` rule; None under the far fence."""
        return self.rule.percentile if isinstance(self.rule, PercentileRule) else None

    @property
    def far_out_rows(self) -> list[int]:
        """1-based rows flagged for a value beyond its column's far-out fences."""
        return [] if self.far_out is None else (np.flatnonzero(self.far_out) + 1).tolist()

    def describe(self, rows: int = 0) -> str:
        """The count and the rule, in words: "12 rows: 11 beyond their cluster's far fence (...), 1
        with a value far outside its column (row 172)", naming up to ``rows`` such rows.

        >>> flag = np.array([True, False, True])
        >>> Outliers(np.zeros(3), flag, np.ones(1), FarFence(), flag & [1, 0, 0]).describe(rows=5)
        "2 rows: 1 beyond their cluster's far fence (Q3 + 3 IQR of its distances to the centre), 1 with a value far outside its column (row 1)"
        """
        far = self.far_out_rows
        counted = f"{self.count:,} row{'s' if self.count != 1 else ''}"
        if not far:
            return f"{counted} {self.rule.text}"
        named = ""
        if rows:
            more = f" and {len(far) - rows:,} more" if len(far) > rows else ""
            named = f" (row{'s' if len(far) > 1 else ''} {', '.join(map(str, far[:rows]))}{more})"
        if len(far) == self.count:
            return f"{counted} with a value far outside its column{named}; none {self.rule.text}"
        return (
            f"{counted}: {self.count - len(far):,} {self.rule.text}, {len(far):,} with a value far "
            f"outside its column{named}"
        )

    def severity(self, clusters: np.ndarray) -> np.ndarray:
        """How far beyond its cluster's threshold each row is: distance / threshold (infinite in a
        cluster too small to be a group, NaN where unclustered). Above 1 means an outlier."""
        out = np.full(len(clusters), np.nan)
        clustered = clusters > 0
        limit = self.thresholds[clusters[clustered] - 1]
        distance = self.distance[clustered]
        with np.errstate(divide="ignore", invalid="ignore"):
            out[clustered] = np.where(limit < 0, np.inf, distance / limit)
        if self.far_out is not None:
            # A far-out value was clipped for clustering, so its distance understates it: such rows
            # come first, as the rows of a cluster too small to be a group do.
            out[clustered & self.far_out] = np.inf
        return out

    def summary(self, clusters: np.ndarray, top: int = 10) -> dict[str, Any]:
        """Counts per cluster and the outliers farthest beyond their cluster's threshold (``row`` is
        1-based, as in the file's data)."""
        clustered = clusters > 0
        by_cluster = [
            {
                "cluster": c,
                "threshold": float(self.thresholds[c - 1]),
                "count": int(self.flag[clusters == c].sum()),
            }
            for c in range(1, len(self.thresholds) + 1)
        ]
        flagged = np.flatnonzero(self.flag)
        order = flagged[np.argsort(-self.severity(clusters)[flagged], kind="stable")][:top]
        far_out = self.far_out if self.far_out is not None else np.zeros(len(clusters), dtype=bool)
        return {
            "rule": self.rule.to_dict(),
            "count": self.count,
            "far_out": int((far_out & clustered).sum()),
            "share": self.count / max(int(clustered.sum()), 1),
            "distance": "Euclidean distance to the cluster's centre in the clustering space "
            "(standardised, weighted, after PCA)",
            "by_cluster": by_cluster,
            "top": [
                {
                    "row": int(i) + 1,
                    "cluster": int(clusters[i]),
                    "distance": float(self.distance[i]),
                    "far_out": bool(far_out[i]),
                }
                for i in order
            ],
        }


def centre_distances(matrix: np.ndarray, centres: np.ndarray, clusters: np.ndarray) -> np.ndarray:
    """Distance from each row to the centre of its cluster (1..k); NaN for rows with cluster <= 0.

    >>> centre_distances(np.array([[0.0, 0], [3, 4], [1, 1]]), np.array([[0.0, 0]]), np.array([1, 1, 0]))
    array([ 0.,  5., nan])
    """
    out = np.full(len(matrix), np.nan)
    for start in range(0, len(matrix), _CHUNK):
        part = clusters[start : start + _CHUNK]
        ok = part > 0
        rows = matrix[start : start + _CHUNK][ok]
        diff = rows - centres[part[ok] - 1]
        block = out[start : start + _CHUNK]
        block[ok] = np.sqrt(np.einsum("ij,ij->i", diff, diff))
    return out


def outlier_thresholds(
    distances: np.ndarray, clusters: np.ndarray, k: int, rule: OutlierRule | None = None
) -> np.ndarray:
    """Each cluster's threshold by ``rule`` (default the far fence; index i is cluster i + 1; NaN if
    empty; -1 for a cluster too small to be a group).

    >>> outlier_thresholds(np.arange(1.0, 101), np.ones(100, dtype=int), 1, PercentileRule(95)).round(2).tolist()
    [95.05]
    >>> outlier_thresholds(np.arange(1.0, 101), np.ones(100, dtype=int), 1).tolist()
    [223.75]
    >>> outlier_thresholds(np.zeros(300), np.r_[np.ones(299, dtype=int), 2], 2).tolist()
    [0.0, -1.0]
    """
    rule = rule or FarFence()
    out = np.full(k, np.nan)
    n = int((clusters > 0).sum())
    for c in range(1, k + 1):
        members = distances[clusters == c]
        if len(members) and len(members) <= TINY_ROWS and len(members) < TINY_SHARE * n:
            out[c - 1] = EVERY_ROW
        elif len(members):
            out[c - 1] = rule.limit(members)
    return out


def find_outliers(
    matrix: np.ndarray,
    clusters: np.ndarray,
    centres: np.ndarray,
    rule: OutlierRule | None = None,
    thresholds: np.ndarray | None = None,
    far_out: np.ndarray | None = None,
) -> Outliers:
    """Distances and flags for every row; ``thresholds`` from training, or learned from these rows
    by ``rule`` (default the far fence).

    A row is flagged when its distance is beyond its cluster's threshold by more than rounding
    noise, so a cluster of identical rows has no outliers; and, when ``far_out`` is given, when it
    holds a value beyond its column's far-out fences (clipped for clustering, so its distance alone
    would understate it: wine's 9,899,999 for 9.9 is clipped to 15.1, which sits inside its cluster).
    """
    rule = rule or FarFence()
    distance = centre_distances(matrix, centres, clusters)
    if thresholds is None or len(thresholds) != len(centres):
        thresholds = outlier_thresholds(distance, clusters, len(centres), rule)
    limit = np.full(len(clusters), np.inf)
    clustered = clusters > 0
    limit[clustered] = np.nan_to_num(thresholds[clusters[clustered] - 1], nan=np.inf)
    flag = clustered & (np.nan_to_num(distance, nan=-np.inf) > limit + _ROUNDING)
    if far_out is not None:
        far_out = np.asarray(far_out, dtype=bool) & clustered
        flag |= far_out
    return Outliers(distance, flag, np.asarray(thresholds, dtype=float), rule, far_out)


@dataclass(frozen=True)
class UnusualValue:
    """One value of a row that is far from its cluster's average: ``effect`` is the distance in SDs of
    the whole data (capped values, as in :mod:`clusterlab.core.explain.effects`), signed."""

    column: str
    value: float
    effect: float

    @property
    def text(self) -> str:
        """'b 9,899,999 (+9,899,994 SD)' or 'age 71 (+2.3 SD)'."""
        size = f"{self.effect:+,.0f}" if abs(self.effect) >= 100 else f"{self.effect:+.1f}"
        return f"{self.column} {format_number(self.value)} ({size} SD)"


def unusual_values(
    frame: pd.DataFrame,
    roles: Roles,
    profiles: Profiles,
    clusters: np.ndarray,
    rows: np.ndarray,
    limit: int = 2,
    minimum: float = 1.0,
) -> dict[int, list[UnusualValue]]:
    """For each of ``rows`` (0-based), its numbers least like its cluster, largest first.

    A value's effect is ``(value - the cluster's capped mean) / the whole data's capped SD`` (from
    ``profiles.robust``); values within ``minimum`` SD are not named, at most ``limit`` per row.
    Only the given rows are read, so listing the top outliers of a million rows stays fast.

    Examples
    --------
    >>> from clusterlab.core.roles.column_roles import detect_roles
    >>> from clusterlab.core.explain.profiles import profile_clusters
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"b": [4.0, 5, 6, 5, 4, 6, 5, 99]})
    >>> clusters = np.ones(8, dtype=int)
    >>> p = profile_clusters(frame, pd.Series(clusters), detect_roles(frame)[0])
    >>> [u.text for u in unusual_values(frame, detect_roles(frame)[0], p, clusters, np.array([7]))[7]]
    ['b 99 (+50.7 SD)']
    """

    out: dict[int, list[UnusualValue]] = {int(i): [] for i in rows}
    robust = profiles.robust
    if robust.empty or not len(rows):
        return out
    stats = robust.set_index([robust["Cluster"].astype(str), "column"])
    for column in profiles.numeric_columns:
        if column not in frame.columns or column in profiles.date_columns:
            continue
        sd = float(stats.loc[(ALL, column), "std"])
        if not sd > 0:
            continue
        values = numeric_values(frame[column].iloc[rows], roles[column])
        for i, value in zip(rows, values, strict=True):
            key = (str(int(clusters[i])), column)
            if not math.isfinite(value) or key not in stats.index:
                continue
            effect = (value - float(stats.loc[key, "mean"])) / sd
            if abs(effect) >= minimum:
                out[int(i)].append(UnusualValue(str(column), float(value), float(effect)))
    for i, found in out.items():
        out[i] = sorted(found, key=lambda u: -abs(u.effect))[:limit]
    return out
