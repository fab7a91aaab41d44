"""report.html: one self-contained file that explains a clustering, opens offline and can be mailed.

Plotly's bundled ``plotly.min.js`` (from the installed plotly package) is inlined, never fetched from
a CDN. Every chart's JSON is embedded once; the page draws the charts near the screen first and the
rest in the background, so a report with a hundred charts still opens at once. Its size depends on
the number of clusters and columns, not rows: histograms are binned and the map is a sample.

Sections: the recommendation and the clusters at a glance; choosing k; the map; one card per
cluster (description, distinguishing features, histograms and pie charts against the whole data,
every statistic); a column explorer; outliers; agreement with a known label; columns, settings,
notes.
"""

from __future__ import annotations

import json
import math
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .._version import __version__
from ..core.description import readable_column
from ..core.distinction import CLEAR, SLIGHT, STRONG
from ..core.formatting import format_number, format_share
from ..core.profiles import ALL, OTHER_LEVELS, format_year
from . import cluster_figures, figures, theme

if TYPE_CHECKING:
    from ..core.result import ClusterResult

__all__ = ["render_report", "write_report"]

CARD_NUMERIC = 6  # histograms per cluster card: its most distinguishing numeric columns
CARD_CATEGORIES = 3  # pie pairs per cluster card
EXPLORER_COLUMNS = 80  # columns offered in the column explorer
OUTLIER_ROWS = 20  # rows listed in the outlier table
OUTLIER_COLUMNS = 4  # data columns shown beside them
TINY_ROWS, TINY_SHARE = 5, 0.02  # a cluster of at most 5 rows and under 2% of them gets a warning


def _imports() -> tuple[Any, Any]:
    try:
        import jinja2
        import plotly.io as pio
    except ImportError as err:
        raise ImportError(f"report.html needs {err.name}; run `pip install clusterlab[report]`.") from None
    return jinja2, pio


@lru_cache(maxsize=1)
def plotly_js() -> str:
    """The plotly.min.js bundled with the installed plotly package (read once per process)."""
    from importlib import resources

    text = resources.files("plotly").joinpath("package_data", "plotly.min.js").read_text(encoding="utf-8")
    return text.replace("</script", "<\\/script")


def write_report(result: ClusterResult, path: Path) -> Path:
    """Render the report of ``result`` into ``path`` (UTF-8) and return the path."""
    path.write_text(render_report(result), encoding="utf-8")
    return path


def render_report(result: ClusterResult) -> str:
    """The report as one HTML string.

    Examples
    --------
    >>> import clusterlab
    >>> result = clusterlab.cluster(clusterlab.sample_path("iris"), label="species")  # doctest: +SKIP
    >>> "<html" in render_report(result)  # doctest: +SKIP
    True
    """
    jinja2, pio = _imports()
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("clusterlab.report", "templates"),
        autoescape=jinja2.select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["num"] = format_number
    env.filters["pct"] = format_share
    env.filters["colour"] = theme.cluster_colour
    env.filters["readable"] = readable_column
    charts = _Charts(pio)
    context = _context(result, charts)
    context["charts_json"] = charts.json()
    context["plotly_js"] = plotly_js()
    return env.get_template("report.html").render(**context)


class _Charts:
    """Collects figures as JSON under short ids; the page reads them from one embedded script."""

    def __init__(self, pio: Any) -> None:
        self.pio = pio
        self.specs: dict[str, Any] = {}

    def add(self, key: str, figure: Any) -> str:
        spec = json.loads(self.pio.to_json(figure, validate=False, remove_uids=True))
        layout = spec.setdefault("layout", {})
        layout.pop("width", None)
        layout["autosize"] = True
        self.specs[key] = {"data": spec.get("data", []), "layout": layout}
        return key

    def json(self) -> str:
        # "<" as \u003c: no text from the user's data can close the <script> element it sits in.
        return json.dumps(self.specs, separators=(",", ":"), allow_nan=False).replace("<", "\\u003c")


# --- context -----------------------------------------------------------------------------------------
def _context(result: ClusterResult, charts: _Charts) -> dict[str, Any]:
    rec = result.recommendation
    descriptions = result.descriptions
    outliers = result.outliers
    scores = result.k_scores
    chosen = scores[scores["k"] == result.k]
    silhouette = float(chosen["silhouette"].iloc[0]) if len(chosen) and "silhouette" in chosen else math.nan
    summary_columns = [c for c in result.roles if c.is_feature]
    context: dict[str, Any] = {
        "title": f"Clusters in {result.table.name}",
        "source": result.table.describe(),
        "kind": result.kind,
        "created": datetime.now().strftime("%Y-%m-%d %H:%M"),
        "version": __version__,
        "rec": rec,
        "k": result.k,
        "n_rows": len(result.clusters),
        "n_clustered": int((result.clusters > 0).sum()),
        "n_features": len(summary_columns),
        "silhouette": silhouette,
        "descriptions": descriptions,
        "votes": _votes(result),
        "outliers": outliers,
        "thresholds": {"slight": SLIGHT, "clear": CLEAR, "strong": STRONG},
        "charts": {
            "heatmap": charts.add("heatmap", cluster_figures.effect_heatmap_figure(result)),
            "k": charts.add("k", figures.k_selection_figure(result)),
            "map": charts.add("map", figures.cluster_map_figure(result)),
        },
        "cards": [_card(result, d, charts) for d in descriptions],
        "explorer": _explorer(result, charts),
        "outlier_table": _outlier_table(result),
        "evaluation": _evaluation(result),
        "columns": [c.to_dict() | {"share_missing": c.share_missing} for c in result.roles],
        "settings": _settings(result),
        "notes": [n.to_dict() for n in result.notes],
        "timings": {k: v for k, v in result.timings.items() if isinstance(v, int | float)},
    }
    return context


def _votes(result: ClusterResult) -> list[dict[str, Any]]:
    from ..core.criteria import CRITERIA

    out = []
    for name, k in (result.recommendation.votes or {}).items():
        criterion = CRITERIA.get(name)
        out.append(
            {
                "name": criterion.title if criterion else name,
                "k": k,
                "description": criterion.description if criterion else "",
                "agrees": k == result.recommended_k,
            }
        )
    return out


def _card(result: ClusterResult, d: Any, charts: _Charts) -> dict[str, Any]:
    numeric = theme.top_columns(result, d.cluster, "numeric", CARD_NUMERIC)
    categories = theme.top_columns(result, d.cluster, "category", CARD_CATEGORIES)
    card: dict[str, Any] = {
        "d": d,
        "outliers": int(result.outliers.flag[result.clusters == d.cluster].sum()),
        "features": [
            t.to_dict() | {"words": t.words, "bar": min(abs(t.effect), 2.5) / 2.5 * 50, "up": t.effect > 0}
            for t in d.distinguishing
        ],
        "tiny_rows": _tiny_rows(result, d),
        "histograms": None,
        "pies": None,
        "stats": _stats_rows(result, d.cluster),
        "shares": _share_rows(result, d.cluster),
    }
    if numeric:
        card["histograms"] = charts.add(
            f"c{d.cluster}-num", cluster_figures.cluster_profile_figure(result, d.cluster, numeric)
        )
    if categories:
        card["pies"] = charts.add(
            f"c{d.cluster}-cat", cluster_figures.category_pies_figure(result, d.cluster, categories)
        )
    return card


def _tiny_rows(result: ClusterResult, d: Any) -> list[int]:
    """Row numbers (1-based) of a cluster so small it is more likely a few odd rows than a group."""
    n = int((result.clusters > 0).sum())
    if d.rows > TINY_ROWS or d.rows >= TINY_SHARE * n:
        return []
    return [int(i) + 1 for i in np.flatnonzero(result.clusters == d.cluster)]


def _stats_rows(result: ClusterResult, cluster: int) -> list[dict[str, Any]]:
    numeric = result.profiles.numeric
    if numeric.empty:
        return []
    order = theme.top_columns(result, cluster, "numeric", 10_000)
    rows = []
    for column in order:
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
                    (
                        (show if s != "std" else format_number)(mine[s]),
                        (show if s != "std" else format_number)(whole[s]),
                    )
                    for s in ("mean", "std", "min", "25%", "50%", "75%", "max")
                ],
                "count": int(mine["count"]) if math.isfinite(mine["count"]) else 0,
            }
        )
    return rows


def _share_rows(result: ClusterResult, cluster: int, levels: int = 8) -> list[dict[str, Any]]:
    shares = result.profiles.categories
    if shares.empty:
        return []
    order = theme.top_columns(result, cluster, "category", 10_000)
    order += [c for c in dict.fromkeys(shares["column"]) if c not in order]  # e.g. the label column
    rows = []
    for column in order:
        part = shares[shares["column"] == column]
        whole = part[part["Cluster"].astype(str) == ALL].set_index("level")
        mine = part[part["Cluster"].astype(str) == str(cluster)].set_index("level")
        ranked = mine.sort_values("share", ascending=False, kind="stable")
        shown = [lv for lv in ranked.index if lv != OTHER_LEVELS][:levels]
        rest = len(mine) - len(shown)
        rows.append(
            {
                "column": column,
                "label": column == result.profiles.label,
                "levels": [
                    {
                        "level": lv,
                        "mine": float(mine.loc[lv, "share"]),
                        "all": float(whole.loc[lv, "share"]) if lv in whole.index else 0.0,
                    }
                    for lv in shown
                ],
                "more": max(rest, 0),
            }
        )
    return rows


def _explorer(result: ClusterResult, charts: _Charts) -> list[dict[str, str]]:
    out = []
    profiles = result.profiles
    columns = [(c, "numeric") for c in profiles.numeric_columns] + [
        (c, "category") for c in profiles.category_columns
    ]
    for i, (column, kind) in enumerate(columns[:EXPLORER_COLUMNS]):
        figure = (
            figures.numeric_profile_figure(result, column)
            if kind == "numeric"
            else figures.category_profile_figure(result, column)
        )
        out.append({"column": column, "kind": kind, "chart": charts.add(f"col{i}", figure)})
    return out


def _outlier_table(result: ClusterResult) -> dict[str, Any]:
    outliers = result.outliers
    flagged = np.flatnonzero(outliers.flag)
    severity = outliers.severity(result.clusters)
    order = flagged[np.argsort(-severity[flagged], kind="stable")][:OUTLIER_ROWS]
    # Identifiers first: they say which record a row is; then the columns the clustering used.
    frame_columns = set(result.table.frame.columns)
    ids = [c.name for c in result.roles if c.role == "identifier" and c.name in frame_columns][:1]
    features = [c.name for c in result.roles if c.is_feature and c.name in frame_columns]
    shown = (ids + features)[:OUTLIER_COLUMNS]
    frame = result.table.frame
    unusual = _unusual_values(result, order)
    rows = []
    for i in order:
        rows.append(
            {
                "row": int(i) + 1,
                "unusual": unusual.get(int(i), ""),
                "cluster": int(result.clusters[i]),
                "distance": float(outliers.distance[i]),
                "ratio": float(severity[i]) if math.isfinite(severity[i]) else math.nan,
                "values": [_cell(frame[c].iloc[i]) for c in shown],
            }
        )
    by_cluster = [
        {
            "cluster": c,
            "rows": int((result.clusters == c).sum()),
            "count": int(outliers.flag[result.clusters == c].sum()),
            "threshold": float(outliers.thresholds[c - 1]),
        }
        for c in result.profiles.clusters
    ]
    return {"rows": rows, "columns": shown, "by_cluster": by_cluster, "total": len(flagged)}


def _unusual_values(result: ClusterResult, rows: np.ndarray, limit: int = 2) -> dict[int, str]:
    """For each listed outlier, its numbers least like its cluster: distance from the cluster's
    (capped) average in overall SDs. "Color_Intensity 9,899,999 (+1.3e+07 SD)" finds the typo."""
    from ..core.roles import numeric_values

    profiles = result.profiles
    if profiles.robust.empty or not len(rows):
        return {}
    robust = profiles.robust.set_index([profiles.robust["Cluster"].astype(str), "column"])
    frame = result.table.frame
    scores: dict[int, list[tuple[float, str]]] = {int(i): [] for i in rows}
    for column in profiles.numeric_columns:
        if column not in frame.columns or column in profiles.date_columns:
            continue
        values = numeric_values(frame[column].iloc[rows], result.roles[column])
        sd = float(robust.loc[(ALL, column), "std"])
        if not sd > 0:
            continue
        for i, value in zip(rows, values, strict=True):
            cluster = str(int(result.clusters[i]))
            if not math.isfinite(value) or (cluster, column) not in robust.index:
                continue
            z = (value - float(robust.loc[(cluster, column), "mean"])) / sd
            sd_text = f"{z:+,.0f}" if abs(z) >= 100 else f"{z:+.1f}"
            scores[int(i)].append((z, f"{column} {format_number(value)} ({sd_text} SD)"))
    return {
        i: ", ".join(text for z, text in sorted(found, key=lambda p: -abs(p[0]))[:limit] if abs(z) >= 1)
        for i, found in scores.items()
    }


def _cell(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    if isinstance(value, float | np.floating):
        return format_number(float(value))
    return str(value)


def _evaluation(result: ClusterResult) -> dict[str, Any] | None:
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

    def words(value: float) -> str:
        return (
            "close" if value >= 0.8 else "partial" if value >= 0.5 else "weak" if value >= 0.2 else "little"
        )

    return {
        "label": ev.label,
        "n_scored": ev.n_scored,
        "empty": False,
        "metrics": [
            ("Adjusted Rand index", ev.ari, "pairs of rows grouped alike, 0 = chance, 1 = identical"),
            ("Normalised mutual information", ev.nmi, "shared information, 0 to 1"),
            ("Homogeneity", ev.homogeneity, "each cluster holds one label"),
            ("Completeness", ev.completeness, "each label sits in one cluster"),
            ("V-measure", ev.v_measure, "balance of the two"),
        ],
        "verdict": words(ev.ari),
        "labels": [str(c) for c in table.columns],
        "rows": rows,
    }


def _settings(result: ClusterResult) -> list[tuple[str, str, str]]:
    from ..core.settings import SETTINGS

    values = result.settings.to_dict()
    out = [
        (spec.name, "" if values.get(spec.name) is None else str(values.get(spec.name)), spec.help)
        for spec in SETTINGS
    ]
    model = result.model
    out += [
        ("algorithm", str(model.algorithm), "Clustering algorithm."),
        ("roles", ", ".join(f"{k}={v}" for k, v in (model.roles or {}).items()), "Roles you set."),
        ("exclude", ", ".join(model.exclude or ()), "Columns you left out."),
        ("label", str(model.label or ""), "Known grouping to compare with."),
    ]
    return out
