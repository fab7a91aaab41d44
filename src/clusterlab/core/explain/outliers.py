"""Rows far from their cluster's centre: a distance per row and an ``Outlier`` flag.

The distance is Euclidean, in the space K-Means worked in (encoded, standardised, weighted, PCA),
so it weighs columns exactly as the clustering did. A row is an outlier when its distance is beyond
the ``outlier_percentile`` (default 95th) of the distances of its own cluster's training rows: a wide
cluster is allowed wide members. The thresholds are learned once, at fit time, and stored in
model.json, so `clusterlab assign` judges next month's rows by this month's yardstick.

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
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from ..formatting import format_number
from ..roles.column_roles import Roles, numeric_values
from .profiles import ALL, Profiles

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "Outliers",
    "UnusualValue",
    "centre_distances",
    "find_outliers",
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


@dataclass
class Outliers:
    """Per-row ``distance`` (NaN where unclustered) and ``flag``; per-cluster ``thresholds``;
    ``far_out``: rows flagged because a value lies beyond its column's far-out fences."""

    distance: np.ndarray
    flag: np.ndarray
    thresholds: np.ndarray  # index i is cluster i + 1
    percentile: float
    far_out: np.ndarray | None = None

    @property
    def count(self) -> int:
        return int(self.flag.sum())

    @property
    def far_out_rows(self) -> list[int]:
        """1-based rows flagged for a value beyond its column's far-out fences."""
        return [] if self.far_out is None else (np.flatnonzero(self.far_out) + 1).tolist()

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
            "percentile": self.percentile,
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


def outlier_thresholds(distances: np.ndarray, clusters: np.ndarray, k: int, percentile: float) -> np.ndarray:
    """The ``percentile`` of each cluster's distances (index i is cluster i + 1; NaN if empty;
    -1 for a cluster too small to be a group).

    >>> outlier_thresholds(np.arange(1.0, 101), np.ones(100, dtype=int), 1, 95).round(2).tolist()
    [95.05]
    >>> outlier_thresholds(np.zeros(300), np.r_[np.ones(299, dtype=int), 2], 2, 95).tolist()
    [0.0, -1.0]
    """
    out = np.full(k, np.nan)
    n = int((clusters > 0).sum())
    for c in range(1, k + 1):
        members = distances[clusters == c]
        if len(members) and len(members) <= TINY_ROWS and len(members) < TINY_SHARE * n:
            out[c - 1] = EVERY_ROW
        elif len(members):
            out[c - 1] = float(np.percentile(members, percentile))
    return out


def find_outliers(
    matrix: np.ndarray,
    clusters: np.ndarray,
    centres: np.ndarray,
    percentile: float,
    thresholds: np.ndarray | None = None,
    far_out: np.ndarray | None = None,
) -> Outliers:
    """Distances and flags for every row; ``thresholds`` from training, or learned from these rows.

    A row is flagged when its distance is beyond its cluster's threshold by more than rounding
    noise, so a cluster of identical rows has no outliers; and, when ``far_out`` is given, when it
    holds a value beyond its column's far-out fences (clipped for clustering, so its distance alone
    would understate it: wine's 9,899,999 for 9.9 is clipped to 15.1, which sits inside its cluster).
    """
    distance = centre_distances(matrix, centres, clusters)
    if thresholds is None or len(thresholds) != len(centres):
        thresholds = outlier_thresholds(distance, clusters, len(centres), percentile)
    limit = np.full(len(clusters), np.inf)
    clustered = clusters > 0
    limit[clustered] = np.nan_to_num(thresholds[clusters[clustered] - 1], nan=np.inf)
    flag = clustered & (np.nan_to_num(distance, nan=-np.inf) > limit + _ROUNDING)
    if far_out is not None:
        far_out = np.asarray(far_out, dtype=bool) & clustered
        flag |= far_out
    return Outliers(distance, flag, np.asarray(thresholds, dtype=float), float(percentile), far_out)


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
