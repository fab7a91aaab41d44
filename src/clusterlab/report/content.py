"""What a result says, as plain JSON-ready data: report.html and the web pages render the same content.

The words come from the core (:attr:`ClusterResult.descriptions`, ``.effects``, ``.outliers``,
:func:`~clusterlab.core.outliers.unusual_values`); this module only arranges them for a page: one card
per cluster, the outlier table, the criteria and their votes, the agreement with a known label and
the settings. report.html renders it with Jinja2 at once; the web app stores it in ``view.json`` and
renders it on every visit. Nothing here needs Plotly or Jinja2, and nothing grows with the rows
except one pass over the outlier flags.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..core.formatting import format_number
from ..core.profiles import ALL, OTHER_LEVELS, format_year
from .theme import top_columns

if TYPE_CHECKING:
    from ..core.result import ClusterResult

__all__ = [
    "cluster_cards",
    "criteria_rows",
    "evaluation_table",
    "outlier_table",
    "settings_rows",
]

OUTLIER_ROWS = 20  # rows listed in the outlier table
OUTLIER_COLUMNS = 4  # data columns shown beside them
TINY_ROWS, TINY_SHARE = 5, 0.02  # a cluster of at most 5 rows and under 2% of them gets a warning
STATISTICS = ("mean", "std", "min", "25%", "50%", "75%", "max")
SHARE_LEVELS = 8  # values listed per category column in a card's statistics


# --- cluster cards ------------------------------------------------------------------------------------
def cluster_cards(result: ClusterResult) -> list[dict[str, Any]]:
    """One card per cluster, largest first: its name and description (the core's words), its
    distinguishing features, its outliers, and every statistic against all rows.

    Keys: cluster, name, rows, share, traits (the description without its "Cluster 2 (23% of rows):"
    prefix), description, outliers, features (each :meth:`Trait.to_dict` plus ``words``, ``bar``
    (0-50, for an effect bar) and ``up``), tiny_rows, stats, shares.
    """
    flags = np.asarray(result.outliers.flag)
    cards = []
    for d in result.descriptions:
        members = result.clusters == d.cluster
        cards.append(
            {
                "cluster": d.cluster,
                "name": d.name,
                "rows": d.rows,
                "share": d.share,
                "traits": d.traits,
                "description": d.description,
                "outliers": int(flags[members].sum()),
                "features": [
                    t.to_dict()
                    | {"words": t.words, "bar": min(abs(t.effect), 2.5) / 2.5 * 50, "up": t.effect > 0}
                    for t in d.distinguishing
                ],
                "tiny_rows": _tiny_rows(result, d.cluster, d.rows),
                "stats": _stats_rows(result, d.cluster),
                "shares": _share_rows(result, d.cluster),
            }
        )
    return cards


def _tiny_rows(result: ClusterResult, cluster: int, rows: int) -> list[int]:
    """Row numbers (1-based) of a cluster so small it is more likely a few odd rows than a group."""
    n = int((result.clusters > 0).sum())
    if rows > TINY_ROWS or rows >= TINY_SHARE * n:
        return []
    return [int(i) + 1 for i in np.flatnonzero(result.clusters == cluster)]


def _stats_rows(result: ClusterResult, cluster: int) -> list[dict[str, Any]]:
    """Numeric columns, most distinguishing first: (this cluster, all rows) per statistic, as text."""
    numeric = result.profiles.numeric
    if numeric.empty:
        return []
    rows = []
    for column in top_columns(result, cluster, "numeric", 10_000):
        part = numeric[numeric["column"] == column]
        part = part.set_index(part["Cluster"].astype(str))
        if str(cluster) not in part.index:
            continue
        mine, whole = part.loc[str(cluster)], part.loc[ALL]
        show = format_year if column in result.profiles.date_columns else format_number
        rows.append(
            {
                "column": column,
                "cells": [
                    [
                        (show if s != "std" else format_number)(mine[s]),
                        (show if s != "std" else format_number)(whole[s]),
                    ]
                    for s in STATISTICS
                ],
                "count": int(mine["count"]) if math.isfinite(mine["count"]) else 0,
            }
        )
    return rows


def _share_rows(result: ClusterResult, cluster: int, levels: int = SHARE_LEVELS) -> list[dict[str, Any]]:
    """Category columns, most distinguishing first (the label column last): the cluster's commonest
    values with their share in the cluster and in all rows."""
    shares = result.profiles.categories
    if shares.empty:
        return []
    order = top_columns(result, cluster, "category", 10_000)
    order += [c for c in dict.fromkeys(shares["column"]) if c not in order]  # e.g. the label column
    rows = []
    for column in order:
        part = shares[shares["column"] == column]
        whole = part[part["Cluster"].astype(str) == ALL].set_index("level")
        mine = part[part["Cluster"].astype(str) == str(cluster)].set_index("level")
        ranked = mine.sort_values("share", ascending=False, kind="stable")
        shown = [lv for lv in ranked.index if lv != OTHER_LEVELS][:levels]
        rows.append(
            {
                "column": column,
                "label": column == result.profiles.label,
                "levels": [
                    {
                        "level": str(lv),
                        "mine": float(mine.loc[lv, "share"]),
                        "all": float(whole.loc[lv, "share"]) if lv in whole.index else 0.0,
                    }
                    for lv in shown
                ],
                "more": max(len(mine) - len(shown), 0),
            }
        )
    return rows


# --- choosing k ---------------------------------------------------------------------------------------
def criteria_rows(result: ClusterResult) -> list[dict[str, Any]]:
    """Every criterion of the sweep: title, what it measures, which way is better, and the k it
    votes for (``best_k``; None for a criterion that is only shown, like inertia)."""
    from ..core.criteria import CRITERIA

    rec = result.recommendation
    votes = dict(rec.votes or {})
    columns = set(result.k_scores.columns)
    rows = []
    for c in CRITERIA.values():
        if c.name not in votes and c.name not in columns:
            continue
        best = votes.get(c.name) if c.votes else None
        rows.append(
            {
                "name": c.name,
                "title": c.title,
                "description": c.description,
                "better": c.better,
                "votes": c.votes,
                "best_k": best,
                "agrees": best is not None and best == rec.k,
            }
        )
    for name, best in votes.items():  # a vote by a criterion this version does not know
        if name not in CRITERIA:
            rows.append(
                {
                    "name": name,
                    "title": name,
                    "description": "",
                    "better": "",
                    "votes": True,
                    "best_k": best,
                    "agrees": best == rec.k,
                }
            )
    return rows


# --- outliers -------------------------------------------------------------------------------------------
def outlier_table(
    result: ClusterResult, limit: int = OUTLIER_ROWS, columns: int = OUTLIER_COLUMNS
) -> dict[str, Any]:
    """The outliers (the core's Outlier flag): counts and thresholds per cluster, and the ``limit``
    rows farthest beyond their cluster's threshold with the values unusual for their cluster."""
    from ..core.outliers import unusual_values

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
    unusual = unusual_values(frame, result.roles, result.profiles, result.clusters, order)
    rows = [
        {
            "row": int(i) + 1,
            "cluster": int(result.clusters[i]),
            "distance": float(outliers.distance[i]),
            "ratio": float(severity[i]) if math.isfinite(severity[i]) else None,
            "unusual": ", ".join(u.text for u in unusual.get(int(i), [])),
            "values": [_cell(frame[c].iloc[i]) for c in shown],
        }
        for i in order
    ]
    by_cluster = [
        {
            "cluster": c,
            "rows": int((result.clusters == c).sum()),
            "count": int(outliers.flag[result.clusters == c].sum()),
            "threshold": float(outliers.thresholds[c - 1]),
        }
        for c in result.profiles.clusters
    ]
    clustered = int((result.clusters > 0).sum())
    return {
        "count": len(flagged),
        "share": len(flagged) / max(clustered, 1),
        "percentile": float(outliers.percentile),
        "rows": rows,
        "columns": shown,
        "by_cluster": by_cluster,
    }


def _cell(value: Any) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float | np.floating):
        return format_number(float(value))
    return str(value)


# --- a known label --------------------------------------------------------------------------------------
def evaluation_table(result: ClusterResult) -> dict[str, Any] | None:
    """Agreement with the label column: the scores with their meaning, a verdict word ("close",
    "partial", "weak", "little", from the adjusted Rand index) and the cluster x label counts."""
    ev = result.evaluation
    if ev is None:
        return None
    if ev.n_scored == 0:
        return {"label": ev.label, "n_scored": 0, "empty": True}
    table = ev.contingency
    totals = table.sum(axis=1)
    rows = [
        {
            "cluster": int(c),
            "cells": [
                {"count": int(n), "share": float(n / totals.loc[c]) if totals.loc[c] else 0.0}
                for n in table.loc[c]
            ],
            "total": int(totals.loc[c]),
        }
        for c in table.index
    ]
    ari = float(ev.ari)
    return {
        "label": ev.label,
        "n_scored": int(ev.n_scored),
        "empty": False,
        "metrics": [
            ["Adjusted Rand index", ari, "pairs of rows grouped alike, 0 = chance, 1 = identical"],
            ["Normalised mutual information", float(ev.nmi), "shared information, 0 to 1"],
            ["Homogeneity", float(ev.homogeneity), "each cluster holds one label"],
            ["Completeness", float(ev.completeness), "each label sits in one cluster"],
            ["V-measure", float(ev.v_measure), "balance of the two"],
        ],
        "verdict": "close" if ari >= 0.8 else "partial" if ari >= 0.5 else "weak" if ari >= 0.2 else "little",
        "labels": [str(c) for c in table.columns],
        "rows": rows,
    }


# --- how it was made ------------------------------------------------------------------------------------
def settings_rows(result: ClusterResult) -> list[list[str]]:
    """(setting, value, meaning) for every setting, then the model's column choices."""
    from ..core.settings import SETTINGS

    values = result.settings.to_dict()
    out = [
        [spec.name, "" if values.get(spec.name) is None else str(values.get(spec.name)), spec.help]
        for spec in SETTINGS
    ]
    model = result.model
    out += [
        ["algorithm", str(model.algorithm), "Clustering algorithm."],
        ["roles", ", ".join(f"{k}={v}" for k, v in (model.roles or {}).items()), "Roles you set."],
        ["exclude", ", ".join(model.exclude or ()), "Columns you left out."],
        [
            "ordinal",
            "; ".join(f"{k}: {' < '.join(map(str, v))}" for k, v in (model.ordinal or {}).items()),
            "Orders you gave, lowest first.",
        ],
        ["label", str(model.label or ""), "Known grouping to compare with."],
    ]
    return out
