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

from ..core.description import readable_column
from ..core.formatting import format_number, format_share
from ..core.profiles import ALL, OTHER_LEVELS, format_year
from .theme import top_columns

if TYPE_CHECKING:
    from ..core.result import ClusterResult

__all__ = [
    "NumberFormat",
    "cluster_cards",
    "column_formats",
    "criteria_rows",
    "data_warnings",
    "evaluation_table",
    "k_range",
    "outlier_table",
    "settings_changes",
    "settings_rows",
]

OUTLIER_ROWS = 20  # rows listed in the outlier table
OUTLIER_COLUMNS = 4  # data columns shown beside them
TINY_ROWS, TINY_SHARE = 5, 0.02  # a cluster of at most 5 rows and under 2% of them gets a warning
STATISTICS = ("mean", "std", "min", "25%", "50%", "75%", "max")
SHARE_LEVELS = 8  # values listed per category column in a card's statistics
WHOLE = 10_000  # numbers this large are shown without decimals, whatever their column's magnitude
DATA_STAGES = ("read", "roles", "encode", "assign")  # where warnings about the data itself come from


# --- numbers ------------------------------------------------------------------------------------------
class NumberFormat:
    """One data column's numbers, all with the same decimals, chosen from the column's magnitude
    (its all-rows quartiles, so one far-out value does not decide): three significant digits at
    that magnitude, "13.0" beside "12.3", "3.00" beside "2.03", "1,097" beside "750". Numbers of
    10,000 or more get no decimals (a typo of 9,899,999 is not "9,899,999.00"). Dates are years.

    >>> f = NumberFormat(2.36)
    >>> f(3), f(2.034), f(-0.001), f(12_345.6), f(float("nan"))
    ('3.00', '2.03', '0.00', '12,346', '–')
    """

    def __init__(self, magnitude: float, *, year: bool = False) -> None:
        self.year = year
        m = abs(magnitude) if math.isfinite(magnitude) else 0.0
        self.decimals = 2 if m == 0 else min(max(0, 2 - math.floor(math.log10(m))), 4)

    def __call__(self, value: float | None) -> str:
        if value is None or not math.isfinite(float(value)):
            return "–"
        if self.year:
            return format_year(float(value))
        decimals = 0 if abs(value) >= WHOLE else self.decimals
        text = f"{float(value):,.{decimals}f}"
        return text[1:] if text.startswith("-") and not text.strip("-0.,") else text  # no "-0.00"


def column_formats(result: ClusterResult) -> dict[str, NumberFormat]:
    """A :class:`NumberFormat` per numeric (and date) column of the profiles, from its all-rows
    statistics: every table and chart writes a column's numbers with the same decimals."""
    numeric = result.profiles.numeric
    out: dict[str, NumberFormat] = {}
    if numeric.empty:
        return out
    whole = numeric[numeric["Cluster"].astype(str) == ALL]
    dates = set(result.profiles.date_columns)
    for column, quartiles, mean in zip(
        whole["column"], whole[["25%", "50%", "75%"]].to_numpy(dtype=float), whole["mean"], strict=True
    ):
        finite = [abs(v) for v in quartiles if math.isfinite(v) and v != 0]
        magnitude = max(finite) if finite else abs(float(mean))
        out[str(column)] = NumberFormat(magnitude, year=column in dates)
    return out


# --- cluster cards ------------------------------------------------------------------------------------
def cluster_cards(result: ClusterResult) -> list[dict[str, Any]]:
    """One card per cluster, largest first: its name and description (the core's words), its
    distinguishing features, its outliers, and every statistic against all rows.

    Keys: cluster, name, rows, share, traits (the description without its "Cluster 2 (23% of rows):"
    prefix), description, outliers, features (each :meth:`Trait.to_dict` plus ``words``, ``bar``
    (0-50, for an effect bar) and ``up``), tiny_rows, stats, shares.
    """
    flags = np.asarray(result.outliers.flag)
    formats = column_formats(result)
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
                "features": [_feature(t, formats) for t in d.distinguishing],
                "tiny_rows": _tiny_rows(result, d.cluster, d.rows),
                "stats": _stats_rows(result, d.cluster, formats),
                "shares": _share_rows(result, d.cluster),
            }
        )
    return cards


def _feature(trait: Any, formats: dict[str, NumberFormat]) -> dict[str, Any]:
    """A distinguishing feature for a table: the core's trait, its values written with its column's
    decimals (a category's as whole percents), the effect bar (0-50) and its direction."""
    out = trait.to_dict() | {
        "words": trait.words,
        "bar": min(abs(trait.effect), 2.5) / 2.5 * 50,
        "up": trait.effect > 0,
        "label": readable_column(trait.column),
    }
    show = formats.get(str(trait.column)) if trait.kind in ("numeric", "date") else format_share
    if show is not None:
        out["cluster_text"] = show(trait.cluster_value)
        out["overall_text"] = show(trait.overall_value)
    return out


def _tiny_rows(result: ClusterResult, cluster: int, rows: int) -> list[int]:
    """Row numbers (1-based) of a cluster so small it is more likely a few odd rows than a group."""
    n = int((result.clusters > 0).sum())
    if rows > TINY_ROWS or rows >= TINY_SHARE * n:
        return []
    return [int(i) + 1 for i in np.flatnonzero(result.clusters == cluster)]


def _stats_rows(
    result: ClusterResult, cluster: int, formats: dict[str, NumberFormat] | None = None
) -> list[dict[str, Any]]:
    """Numeric columns, most distinguishing first: (this cluster, all rows) per statistic, as text,
    every number of a column with the same decimals (:func:`column_formats`; a date's spread in
    years)."""
    formats = column_formats(result) if formats is None else formats
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
        show = formats.get(str(column)) or NumberFormat(float(whole["50%"]))
        spread = NumberFormat(float(whole["std"])) if show.year else show
        rows.append(
            {
                "column": column,
                "name": readable_column(column),
                "cells": [
                    [(spread if s == "std" else show)(mine[s]), (spread if s == "std" else show)(whole[s])]
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
                "name": readable_column(column),
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
RARE_LEVEL = 0.1  # a row's category value held by fewer of its cluster's rows than this is unusual for it


def outlier_table(
    result: ClusterResult, limit: int = OUTLIER_ROWS, columns: int = OUTLIER_COLUMNS
) -> dict[str, Any]:
    """The outliers (the core's Outlier flag): counts and thresholds per cluster, and the ``limit``
    rows farthest beyond their cluster's threshold with the values unusual for their cluster.

    A row's "unusual" values are its numbers 1 SD or more from its cluster's average
    (:func:`~clusterlab.core.outliers.unusual_values`) and its category values rare in its cluster
    (under 10% of its rows); a row with neither gets its two numbers farthest from the average
    (0.5 SD or more). ``unusual_shown`` is false when no listed row has any, so a page can leave the
    column out. ``names`` are the shown columns' readable names (``columns`` the file's headers);
    ``values`` are written with each column's decimals, ``distance_text`` with the distances'.
    """
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
    return {
        "count": len(flagged),
        "share": len(flagged) / max(clustered, 1),
        "percentile": float(outliers.percentile),
        "rows": rows,
        "columns": shown,
        "names": [readable_column(c) for c in shown],
        "unusual_shown": any(r["unusual"] for r in rows),
        "by_cluster": by_cluster,
    }


def _unusual(
    result: ClusterResult, rows: np.ndarray, formats: dict[str, NumberFormat], find: Any, whole: set[str]
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


def _rare_levels(result: ClusterResult, rows: np.ndarray) -> dict[int, list[str]]:
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


def settings_changes(result: ClusterResult) -> list[list[str]]:
    """The rows of :func:`settings_rows` worth reading first: the settings that differ from their
    defaults, then the column choices that were made (roles, exclude, ordinal, label); empty when
    every setting is its default and no choice was made."""
    from ..core.settings import SETTINGS

    defaults = {spec.name: spec.default for spec in SETTINGS}
    changed = []
    for name, value, meaning in settings_rows(result):
        if name in defaults:
            actual = result.settings.to_dict().get(name)
            if actual == defaults[name] or (actual is None and defaults[name] in (None, "")):
                continue
        elif name == "algorithm" or not value:
            continue  # the one algorithm, or a column choice not made
        changed.append([name, value, meaning])
    return changed


def k_range(result: ClusterResult) -> dict[str, Any]:
    """The ks the sweep tried against the ks asked for (``k_min..k_max``), with a sentence:
    "k tried: 2..19 (extended from 2..10 because the criteria still improved at 10)"."""
    ks = sorted(int(k) for k in result.k_scores["k"]) if len(result.k_scores) else []
    asked = [int(result.settings.k_min), int(result.settings.k_max)]
    tried = [ks[0], ks[-1]] if ks else list(asked)
    text = f"k tried: {tried[0]}..{tried[1]}"
    extended = tried[1] > asked[1]
    narrowed = tried[1] < asked[1] or tried[0] > asked[0]
    if extended:
        text += f" (extended from {asked[0]}..{asked[1]} because the criteria still improved at {asked[1]})"
    elif narrowed and result.kind != "assign":
        text += f" (narrowed from {asked[0]}..{asked[1]}: the data has too few rows for more)"
    return {
        "ks": ks,
        "tried": tried,
        "asked": asked,
        "extended": extended,
        "narrowed": narrowed,
        "text": text,
    }


def data_warnings(result: ClusterResult) -> list[dict[str, Any]]:
    """The notes that warn about the data itself (far-out values clipped, empty cells filled,
    numbers that are not numbers, renamed headers...), for a "Check your data" box; each note's
    text names the column, the rows and the values. Notes about choices made for the run (PCA,
    weights, the k range) are left to the full list."""
    return [n.to_dict() for n in result.notes if n.level == "warning" and n.stage in DATA_STAGES]
