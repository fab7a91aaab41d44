"""What the result pages show, computed once in the worker and saved as ``view.json``.

Pages then render from this file alone: no page request re-reads the data or refits anything, and a
finished run looks the same after a server restart. Numbers are rounded for people here (the exact
values are in the downloads).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..core.criteria import CRITERIA
from ..core.formatting import format_number, format_share
from ..core.profiles import ALL
from ..core.roles import numeric_values
from .charts import criterion_figure, figure_spec, fit_time_figure, histogram_figure, pie_pair_figure
from .describe import cluster_traits, headline

__all__ = ["FILE_TITLES", "build_view", "file_entries"]

# Known outputs of ClusterResult.save(), best first; any other key is listed after them by file name.
FILE_TITLES: dict[str, tuple[str, str]] = {
    "xlsx": (
        "Workbook",
        "Your data with a Cluster column, plus profiles, k selection, columns and settings.",
    ),
    "csv": ("Data as CSV", "Your rows in their original order with the Cluster column (UTF-8)."),
    "report": ("Report", "A self-contained HTML report to share."),
    "model": ("Model", "model.json, to label new rows with `clusterlab assign`."),
    "summary": ("Summary", "summary.json: every number on this page, for scripts."),
}
CARD_CHARTS = 4  # charts per cluster card: enough to see the story, few enough to load fast
PIE_LEVELS = 8


def file_entries(files: dict[str, Path]) -> list[dict[str, Any]]:
    """Downloads in a stable order with titles; unknown keys (a future output) still appear."""
    order = {key: i for i, key in enumerate(FILE_TITLES)}
    entries = []
    for key, path in sorted(files.items(), key=lambda kv: (order.get(kv[0], 99), kv[1].name)):
        title, description = FILE_TITLES.get(key, (path.name, ""))
        entries.append(
            {
                "key": key,
                "name": path.name,
                "title": title,
                "description": description,
                "bytes": path.stat().st_size if path.exists() else 0,
            }
        )
    return entries


def build_view(result: Any, files: dict[str, Path]) -> dict[str, Any]:
    """Everything the "choose k" and results pages show for ``result`` (a ClusterResult)."""
    from ..report.figures import cluster_map_figure, cluster_sizes_figure

    rec = result.recommendation
    table = result.k_scores
    label = result.roles.label
    summary = result.summary()
    view: dict[str, Any] = {
        "k": result.k,
        "recommended_k": rec.k,
        "recommendation": {
            "k": rec.k,
            "confidence": rec.confidence,
            "structure": rec.structure,
            "reason": rec.reason,
        },
        "n_rows": int(summary["n_rows"]),
        "n_rows_clustered": int(summary["n_rows_clustered"]),
        "columns_used": summary["features"]["columns_used"],
        "components": summary["features"]["components"],
        "label": label.name if label is not None else None,
        "criteria": _criteria(table, rec),
        "k_table": _k_table(table),
        "k_charts": [
            figure_spec(
                criterion_figure(
                    table,
                    c.name,
                    c.title,
                    c.better,
                    rec.k,
                    rec.votes.get("elbow") if c.name == "inertia" else None,
                ),
                260,
            )
            for c in CRITERIA.values()
            if c.score is not None and c.name in table.columns
        ]
        + [figure_spec(fit_time_figure(table, rec.k), 260)],
        "sizes_chart": figure_spec(cluster_sizes_figure(result), 320),
        "map_chart": _svg_scatter(figure_spec(cluster_map_figure(result), 460)),
        "clusters": _clusters(result, label.name if label is not None else None),
        "outliers": _outliers(result),
        "evaluation": _evaluation(result.evaluation),
        "notes": [n.to_dict() for n in sorted(result.notes, key=lambda n: n.level != "warning")],
        "files": file_entries(files),
        "settings": summary["settings"],
        "timings": {k: round(float(v), 2) for k, v in result.timings.items()},
    }
    return view


def _svg_scatter(spec: dict[str, Any]) -> dict[str, Any]:
    # The map holds at most a few thousand points: SVG draws them fine and needs no WebGL, which
    # locked-down browsers and headless test browsers often lack.
    for trace in spec["data"]:
        if trace.get("type") == "scattergl":
            trace["type"] = "scatter"
    return spec


def _criteria(table: pd.DataFrame, rec: Any) -> list[dict[str, Any]]:
    out = []
    for c in CRITERIA.values():
        if c.score is None and c.pick is None:
            continue
        # A criterion that does not vote (inertia always falls as k grows) has no best k of its own.
        best = rec.votes.get(c.name) if c.votes else None
        out.append(
            {
                "name": c.name,
                "title": c.title,
                "better": c.better,
                "description": c.description,
                "best_k": best,
                "votes": c.votes,
            }
        )
    return out


def _k_table(table: pd.DataFrame) -> list[dict[str, Any]]:
    rows = []
    for record in table.to_dict(orient="records"):
        rows.append(
            {
                "k": int(record["k"]),
                **{
                    c.name: format_number(_float(record.get(c.name)))
                    for c in CRITERIA.values()
                    if c.score is not None and c.name in record
                },
                "fit_seconds": f"{_float(record.get('fit_seconds')) or 0:.2f}",
            }
        )
    return rows


def _float(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if np.isfinite(number) else None


def _clusters(result: Any, label: str | None) -> list[dict[str, Any]]:
    profiles = result.profiles
    frame = result.table.frame
    roles = result.roles
    numeric_cache: dict[str, np.ndarray] = {}

    def numbers(column: str) -> np.ndarray:
        if column not in numeric_cache:
            numeric_cache[column] = numeric_values(frame[column], roles[column])
        return numeric_cache[column]

    cards = []
    skip = frozenset({label}) if label else frozenset()
    for size in profiles.sizes.itertuples():
        cluster = int(size.Cluster)
        traits = cluster_traits(profiles, cluster, skip)
        members = result.clusters == cluster
        charted: list[str] = []
        charts = []
        for trait in traits:
            if trait.column in charted or len(charted) == CARD_CHARTS:
                continue
            charted.append(trait.column)
            if trait.kind == "numeric":
                fig = histogram_figure(numbers(trait.column), members, trait.column, cluster)
            else:
                fig = _pie(profiles.categories, trait.column, cluster, roles[trait.column].role == "ordinal")
            charts.append(figure_spec(fig, 280))
        cards.append(
            {
                "number": cluster,
                "rows": int(size.rows),
                "share": format_share(float(size.share)),
                "headline": headline(traits),
                "traits": [t.to_dict() for t in traits[:8]],
                "charts": charts,
                "numeric": _numeric_rows(profiles.numeric, cluster, skip),
                "categories": _category_rows(profiles.categories, cluster, skip),
                "label_mix": _category_rows(profiles.categories, cluster, frozenset(), only=label)
                if label
                else [],
            }
        )
    return cards


def _pie(categories: pd.DataFrame, column: str, cluster: int, ordered: bool) -> Any:
    rows = categories[categories["column"] == column]
    whole = rows[rows["Cluster"] == ALL].set_index("level")["share"]
    part = rows[rows["Cluster"] == cluster].set_index("level")["share"].reindex(whole.index).fillna(0.0)
    # An ordered column keeps its order (S, M, L, XL); others go from the commonest value down.
    levels = whole.index.tolist() if ordered else whole.sort_values(ascending=False).index.tolist()
    shown, rest = levels[:PIE_LEVELS], levels[PIE_LEVELS:]
    names = [str(level) for level in shown]
    cluster_shares = [float(part[level]) for level in shown]
    all_shares = [float(whole[level]) for level in shown]
    if rest:
        names.append("Other values")
        cluster_shares.append(float(part[rest].sum()))
        all_shares.append(float(whole[rest].sum()))
    return pie_pair_figure(names, cluster_shares, all_shares, column, cluster)


def _numeric_rows(numeric: pd.DataFrame, cluster: int, skip: frozenset[str]) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    if numeric.empty:
        return rows
    for column, group in numeric.groupby("column", sort=False):
        if column in skip:
            continue
        whole = group[group["Cluster"] == ALL]
        part = group[group["Cluster"] == cluster]
        if whole.empty or part.empty:
            continue
        w, p = whole.iloc[0], part.iloc[0]
        rows.append(
            {
                "column": str(column),
                "median": format_number(_float(p["50%"])),
                "all_median": format_number(_float(w["50%"])),
                "mean": format_number(_float(p["mean"])),
                "all_mean": format_number(_float(w["mean"])),
                "range": f"{format_number(_float(p['min']))} – {format_number(_float(p['max']))}",
            }
        )
    return rows


def _category_rows(
    categories: pd.DataFrame, cluster: int, skip: frozenset[str], only: str | None = None
) -> list[dict[str, str]]:
    """Per category column: its most common value in the cluster, with the share beside all rows."""
    rows: list[dict[str, str]] = []
    if categories.empty:
        return rows
    for column, group in categories.groupby("column", sort=False):
        if column in skip or (only is not None and column != only):
            continue
        part = group[group["Cluster"] == cluster].sort_values("share", ascending=False)
        whole = group[group["Cluster"] == ALL].set_index("level")["share"]
        for record in part.head(3 if only else 1).itertuples():
            rows.append(
                {
                    "column": str(column),
                    "level": str(record.level),
                    "share": format_share(float(record.share)),
                    "all_share": format_share(float(whole.get(record.level, 0.0))),
                }
            )
    return rows


def _outliers(result: Any, shown: int = 12) -> dict[str, Any]:
    """Rows far from their cluster's centre: beyond Tukey's far-out fence (Q3 + 3 IQR) of the cluster's
    distances. They are kept in their cluster; this list says which rows to look at."""
    embedding = np.asarray(result.model.embedding_)
    centres = np.asarray(result.model.cluster_centers_)
    clusters = np.asarray(result.clusters)
    rows = np.flatnonzero(clusters > 0)
    distance = np.full(len(clusters), np.nan)
    distance[rows] = np.linalg.norm(embedding[rows] - centres[clusters[rows] - 1], axis=1)
    ratio = np.full(len(clusters), np.nan)
    flagged = np.zeros(len(clusters), dtype=bool)
    for cluster in np.unique(clusters[rows]):
        members = rows[clusters[rows] == cluster]
        d = distance[members]
        q1, median, q3 = np.percentile(d, [25, 50, 75])
        fence = q3 + 3 * (q3 - q1)
        ratio[members] = d / median if median > 0 else np.nan
        if len(members) >= 10 and q3 > q1:
            flagged[members] = d > fence
    picked = np.flatnonzero(flagged)
    picked = picked[np.argsort(-np.nan_to_num(ratio[picked]))][:shown]
    frame = result.table.frame
    roles = result.roles
    ident = next((c.name for c in roles if c.role == "identifier"), None)
    numeric_columns = [c.name for c in roles if c.role == "numeric"]
    values = {c: numeric_values(frame[c], roles[c]) for c in numeric_columns}
    listed = []
    for row in picked:
        cluster = int(clusters[row])
        members = clusters == cluster
        odd = []
        for column in numeric_columns:
            x = values[column][row]
            spread = np.nanstd(values[column])
            if not np.isfinite(x) or not spread:
                continue
            typical = float(np.nanmedian(values[column][members]))
            odd.append((abs(x - typical) / spread, column, x, typical))
        odd.sort(reverse=True)
        listed.append(
            {
                "row": int(row) + 1,
                "id": None if ident is None else str(frame[ident].iloc[row]),
                "cluster": cluster,
                "ratio": f"{ratio[row]:.1f}",
                "why": [
                    f"{column} = {format_number(float(x))} (cluster median {format_number(typical)})"
                    for score, column, x, typical in odd[:2]
                    if score >= 1
                ],
            }
        )
    return {
        "count": int(flagged.sum()),
        "share": format_share(float(flagged.sum()) / max(len(rows), 1)),
        "id_column": ident,
        "rows": listed,
    }


def _evaluation(evaluation: Any) -> dict[str, Any] | None:
    if evaluation is None:
        return None
    ari = float(evaluation.ari)
    if ari >= 0.8:
        words = "The clusters closely match the known groups."
    elif ari >= 0.5:
        words = "The clusters partly match the known groups."
    elif ari >= 0.2:
        words = "The clusters match the known groups only weakly."
    else:
        words = "The clusters have little to do with the known groups."
    table = evaluation.contingency
    return {
        "label": evaluation.label,
        "n_scored": int(evaluation.n_scored),
        "words": words,
        "scores": [
            ("Adjusted Rand index", f"{ari:.2f}", "1 is a perfect match, 0 is chance."),
            ("Normalised mutual information", f"{evaluation.nmi:.2f}", "Shared information, 0 to 1."),
            ("Homogeneity", f"{evaluation.homogeneity:.2f}", "Each cluster holds one known group."),
            ("Completeness", f"{evaluation.completeness:.2f}", "Each known group sits in one cluster."),
        ],
        "labels": [str(c) for c in table.columns],
        "rows": [
            {"cluster": int(index), "counts": [int(v) for v in table.loc[index].tolist()]}
            for index in table.index
        ],
    }
