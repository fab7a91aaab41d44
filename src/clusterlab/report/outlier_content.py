"""The outlier table of a page (the core's Outlier flag, see :mod:`clusterlab.core.explain.outliers`): counts
and thresholds per cluster, and the rows farthest beyond their cluster's threshold with the values
unusual for their cluster, written with each column's decimals (:mod:`.numbers`)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from ..core.clustering import Clustering
from ..core.explain.description import readable_column
from ..core.explain.outliers import unusual_values
from ..core.formatting import format_number, format_share
from ..outputs.number_formats import NumberFormat, column_formats

__all__ = ["OUTLIER_COLUMNS", "OUTLIER_ROWS", "outlier_table"]

OUTLIER_ROWS = 20  # rows listed in the outlier table
OUTLIER_COLUMNS = 4  # data columns shown beside them
RARE_LEVEL = 0.1  # a row's category value held by fewer of its cluster's rows than this is unusual for it


def outlier_table(
    result: Clustering, limit: int = OUTLIER_ROWS, columns: int = OUTLIER_COLUMNS
) -> dict[str, Any]:
    """The outliers (the core's Outlier flag): counts and thresholds per cluster, and the ``limit``
    rows farthest beyond their cluster's threshold with the values unusual for their cluster.

    A row's "unusual" values are its numbers 1 SD or more from its cluster's average
    (:func:`~clusterlab.core.explain.outliers.unusual_values`) and its category values rare in its cluster
    (under 10% of its rows); a row with neither gets its two numbers farthest from the average
    (0.5 SD or more). ``unusual_shown`` is false when no listed row has any, so a page can leave the
    column out. ``names`` are the shown columns' readable names (``columns`` the file's headers);
    ``values`` are written with each column's decimals, ``distance_text`` with the distances'.
    """

    outliers = result.outliers
    flagged = np.flatnonzero(outliers.flag)
    severity = outliers.severity(result.clusters)
    order = flagged[np.argsort(-severity[flagged], kind="stable")][:limit]
    # Identifiers first: they say which record a row is; then the columns the clustering used.
    frame = result.table.frame
    present = set(frame.columns)
    ids = [c.name for c in result.roles if c.role == "identifier" and c.name in present][:1]
    features = [c.name for c in result.roles if c.is_feature and c.name in present]
    shown = (ids + features)[:columns]
    formats = column_formats(result)
    whole = {str(c) for c in frame.columns if frame[c].dtype.kind in "iu"}
    unusual = _unusual(result, order, formats, unusual_values, whole)
    distances = np.asarray(outliers.distance, dtype=float)
    distance = NumberFormat(float(np.nanmedian(distances[order]))) if len(order) else NumberFormat(1.0)
    rows = [
        {
            "row": int(i) + 1,
            "cluster": int(result.clusters[i]),
            "distance": float(distances[i]),
            "distance_text": distance(float(distances[i])),
            "ratio": float(severity[i]) if math.isfinite(severity[i]) else None,
            "tiny": bool(outliers.thresholds[int(result.clusters[i]) - 1] < 0),
            "unusual": unusual.get(int(i), ""),
            "values": [_cell(frame[c].iloc[i], formats.get(str(c))) for c in shown],
        }
        for i in order
    ]
    by_cluster = [
        {
            "cluster": c,
            "rows": int((result.clusters == c).sum()),
            "count": int(outliers.flag[result.clusters == c].sum()),
            "threshold": float(outliers.thresholds[c - 1]),
            "threshold_text": distance(float(outliers.thresholds[c - 1])),
        }
        for c in result.profiles.clusters
    ]
    clustered = int((result.clusters > 0).sum())
    far_out = len(outliers.far_out_rows)
    # Beside the count: what it counts. Rows flagged for a far-out value are not beyond the fence.
    count_short = outliers.rule.short
    if far_out and far_out == len(flagged):
        count_short = "each with a far-out value" if far_out > 1 else "with a far-out value"
    elif far_out:
        count_short = f"{len(flagged) - far_out:,} {outliers.rule.short}, {far_out:,} with a far-out value"
    return {
        "count": len(flagged),
        "share": len(flagged) / max(clustered, 1),
        "rule": outliers.rule.name,
        "rule_text": outliers.rule.text,
        "rule_words": outliers.rule.explain("training rows" if result.kind == "assign" else "rows"),
        "percentile": outliers.percentile,
        "count_short": count_short,
        "far_out": far_out,
        "rows": rows,
        "columns": shown,
        "names": [readable_column(c) for c in shown],
        "unusual_shown": any(r["unusual"] for r in rows),
        "by_cluster": by_cluster,
    }


def _unusual(
    result: Clustering, rows: np.ndarray, formats: dict[str, NumberFormat], find: Any, whole: set[str]
) -> dict[int, str]:
    """Each row's values unusual for its cluster, as text ("Color Intensity 9,899,999 (+3.2 SD)")."""
    frame, clusters = result.table.frame, result.clusters
    strong = find(frame, result.roles, result.profiles, clusters, rows)
    rare = _rare_levels(result, rows)
    texts: dict[int, list[str]] = {}
    for i in map(int, rows):
        texts[i] = [_unusual_text(u, formats, whole) for u in strong.get(i, [])] + rare.get(i, [])
    quiet = np.array([i for i, t in texts.items() if not t], dtype=int)
    if len(quiet):  # nothing beyond 1 SD: the row's largest differences, if they say anything
        for i, found in find(frame, result.roles, result.profiles, clusters, quiet, minimum=0.5).items():
            texts[int(i)] = [_unusual_text(u, formats, whole) for u in found]
    return {i: ", ".join(t) for i, t in texts.items()}


def _unusual_text(u: Any, formats: dict[str, NumberFormat], whole: set[str]) -> str:
    size = f"{u.effect:+,.0f}" if abs(u.effect) >= 100 else f"{u.effect:+.1f}"
    show = formats.get(u.column) or format_number
    value = f"{u.value:,.0f}" if u.column in whole and float(u.value).is_integer() else show(u.value)
    return f"{readable_column(u.column)} {value} ({size} SD)"


def _rare_levels(result: Clustering, rows: np.ndarray) -> dict[int, list[str]]:
    """Category values of ``rows`` that under :data:`RARE_LEVEL` of their cluster's rows hold."""
    shares = result.profiles.categories
    out: dict[int, list[str]] = {}
    if shares.empty or not len(rows):
        return out
    frame = result.table.frame
    lookup = {
        (str(r.Cluster), str(r.column), str(r.level)): float(r.share)
        for r in shares[["Cluster", "column", "level", "share"]].itertuples(index=False)
    }
    columns = [c.name for c in result.roles if c.is_feature and c.name in set(shares["column"])]
    for column in columns:
        values = frame[column].iloc[rows]
        for i, value in zip(rows, values, strict=True):
            if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
                continue
            share = lookup.get((str(int(result.clusters[i])), str(column), str(value)))
            if share is not None and share < RARE_LEVEL:
                out.setdefault(int(i), []).append(
                    f"{readable_column(column)} '{value}' ({format_share(share)} of its cluster)"
                )
    return out


def _cell(value: Any, show: NumberFormat | None = None) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, int | np.integer) and not isinstance(value, bool) and show is not None:
        return f"{int(value):,}"  # a whole number as typed in a column of whole numbers
    number = isinstance(value, float | np.floating)
    if number and show is not None and not show.year:
        return show(float(value))
    if isinstance(value, float | np.floating):
        return format_number(float(value))
    return str(value)  # an identifier's number stays as typed: no thousands separator
