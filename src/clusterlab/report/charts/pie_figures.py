"""The category pies of a cluster card: for each category column, the cluster's pie beside the pie
of all rows, at one size with one legend, rare values grouped as "other", in neutral colours unlike
the clusters'. Like :mod:`.figures`, a Plotly figure (``*_figure``) or a JSON-ready spec for a page
(``*_spec``), sized by values, never by rows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from ...core.clustering import Clustering
from ...core.encode.encoders import MISSING_LEVEL
from ...core.explain.description import readable_column
from ...core.explain.profiles import ALL, OTHER_LEVELS
from ...core.formatting import format_share
from ...core.read.number_text import numbers_by_value
from .spec import page_spec, to_figure
from .theme import (
    OTHER_COLOUR,
    cluster_colour,
    legend_rows,
    level_colour,
    level_text_colour,
    shorten,
    style,
    top_columns,
)

__all__ = ["PIE_LEVELS", "category_pies_figure", "category_pies_spec"]


PIE_LEVELS = 7  # values a pie shows on their own; rarer ones are one grey "other" slice
PIE_MIN_SHARE = 0.03  # a value under this share in the cluster and in all rows joins "other"
PIE_LABEL_SHARE = 0.08  # slices at least this large carry their value's name and share
PIE_OUTSIDE_SHARE = 0.02  # smaller slices down to this share have their share beside the pie


def _pie_levels(part: Any, cluster: int) -> tuple[list[str], dict[str, str]]:
    """The values a column's pies show on their own (commonest first; numbers by value), and the slice each value
    is drawn in: its own, or "other (N values)" for the rare ones."""

    groups = part["Cluster"].astype(str)
    mine = part[groups == str(cluster)].set_index(part.loc[groups == str(cluster), "level"].astype(str))
    whole = part[groups == ALL].set_index(part.loc[groups == ALL, "level"].astype(str))
    levels = list(dict.fromkeys(part["level"].astype(str)))
    share = {lv: max(float(mine["share"].get(lv, 0.0)), float(whole["share"].get(lv, 0.0))) for lv in levels}
    ranked = sorted((lv for lv in levels if lv != OTHER_LEVELS), key=lambda lv: -share[lv])
    kept = [lv for lv in ranked if share[lv] >= PIE_MIN_SHARE][:PIE_LEVELS]
    if len(kept) == len(levels) - 1 and OTHER_LEVELS not in levels:
        kept = ranked[:PIE_LEVELS]  # a single rare value needs no "other" slice of its own
    kept = numbers_by_value(kept, last={MISSING_LEVEL})  # codes 1, 2, 4 go round in order
    rest = [lv for lv in levels if lv not in kept]
    other = f"other ({len(rest)} values)" if len(rest) > 1 else (rest[0] if rest else "")
    if len(rest) == 1 and rest[0] == OTHER_LEVELS:
        other = "other values"
    return kept, {lv: (lv if lv in kept else other) for lv in levels}


def _pie_pair(
    result: Clustering, cluster: int, column: str, x: tuple[float, float], legend: str
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Two pies of one column side by side, the cluster's and all rows', the same size and the same
    colour per value (neutral colours, never a cluster's); each big slice says its value and share
    (whole percents), small values are one "other" slice. Their values share one legend."""

    part = result.profiles.categories
    part = part[part["column"] == column]
    kept, slice_of = _pie_levels(part, cluster)
    names = [*kept, *dict.fromkeys(v for lv, v in slice_of.items() if v not in kept and v)]
    colours = {name: level_colour(j) if name in kept else OTHER_COLOUR for j, name in enumerate(names)}
    gap = (x[1] - x[0]) * 0.04
    middle = (x[0] + x[1]) / 2
    data, annotations = [], []
    for group, domain, heading in (
        (cluster, [x[0], middle - gap], f"Cluster {cluster}"),
        (ALL, [middle + gap, x[1]], "All rows"),
    ):
        slices = _count_slices(part[part["Cluster"].astype(str) == str(group)], names, slice_of)
        data.append(
            _pie_trace(
                slices,
                kept,
                colours,
                domain,
                legend=legend,
                name=f"{readable_column(column)} · {heading.lower()}",
            )
        )
        annotations.append(
            _pie_heading(domain, heading, cluster_colour(cluster) if group != ALL else "#5d6675")
        )
    return data, annotations


@dataclass
class _Slices:
    """One pie's slices: rows per slice name and the values each one holds; ``names`` are the pair's
    slices in order (the same in both pies, so each keeps its colour)."""

    names: list[str]
    counts: dict[str, int]
    members: dict[str, list[str]]

    @property
    def shown(self) -> list[str]:
        """The slices drawn: those with rows."""
        return [n for n in self.names if self.counts[n] > 0]


def _count_slices(rows: pd.DataFrame, names: list[str], slice_of: dict[str, str]) -> _Slices:
    """Rows per slice of one group (its rows of the category profile), rare values added up."""
    counts = dict.fromkeys(names, 0)
    members: dict[str, list[str]] = {name: [] for name in names}
    for level, count in zip(rows["level"].astype(str), rows["count"], strict=True):
        name = slice_of.get(level, level)
        counts[name] = counts.get(name, 0) + int(count)
        if int(count):
            members.setdefault(name, []).append(level)
    return _Slices(names, counts, members)


def _pie_trace(
    slices: _Slices,
    kept: list[str],
    colours: dict[str, str],
    domain: list[float],
    legend: str,
    name: str,
) -> dict[str, Any]:
    """One pie: big slices name their value inside, smaller ones give their share beside the pie
    (the legend names them), the smallest only on hover, which lists an "other" slice's values."""
    counts, members, shown = slices.counts, slices.members, slices.shown
    total = max(sum(counts.values()), 1)
    shares = [counts[n] / total for n in shown]
    return {
        "type": "pie",
        "labels": shown,
        "values": [counts[n] for n in shown],
        "text": [
            f"{shorten(n, 14)}<br>{format_share(sh)}"
            if sh >= PIE_LABEL_SHARE
            else format_share(sh)
            if sh >= PIE_OUTSIDE_SHARE
            else ""
            for n, sh in zip(shown, shares, strict=True)
        ],
        "customdata": [
            f"{format_share(sh)} ({counts[n]:,} rows)"
            + (f": {', '.join(members[n][:6])}{'…' if len(members[n]) > 6 else ''}" if n not in kept else "")
            for n, sh in zip(shown, shares, strict=True)
        ],
        "textinfo": "text",
        "textposition": [
            "inside" if sh >= PIE_LABEL_SHARE else "outside" if sh >= PIE_OUTSIDE_SHARE else "none"
            for sh in shares
        ],
        "outsidetextfont": {"color": "#5d6675", "size": 10},
        "insidetextorientation": "horizontal",
        "textfont": {"color": [level_text_colour(colours[n]) for n in shown], "size": 11},
        "hole": 0.35,
        "sort": False,
        "direction": "clockwise",
        "domain": {"x": domain, "y": [0.02, 0.8]},
        "marker": {"colors": [colours[n] for n in shown], "line": {"color": "white", "width": 1}},
        "legend": legend,
        "name": name,
        "hovertemplate": "%{label}: %{customdata}<extra>%{fullData.name}</extra>",
    }


def _pie_heading(domain: list[float], heading: str, colour: str) -> dict[str, Any]:
    """The pie's heading ("Cluster 2", "All rows") centred above it."""
    return {
        "x": (domain[0] + domain[1]) / 2,
        "y": 0.9,
        "xref": "paper",
        "yref": "paper",
        "xanchor": "center",
        "yanchor": "bottom",
        "showarrow": False,
        "text": heading,
        "font": {"size": 12, "color": colour},
    }


def _category_pies(result: Clustering, cluster: int, columns: list[str] | None) -> dict[str, Any]:
    columns = (columns if columns is not None else top_columns(result, cluster, "category", 3))[:3]
    if not columns:
        return style({"data": [], "layout": {}}, f"Cluster {cluster}: no category columns", 120)
    data: list[dict[str, Any]] = []
    annotations: list[dict[str, Any]] = []
    layout: dict[str, Any] = {}
    slot = 1 / len(columns)
    most = 1
    for i, column in enumerate(columns):
        legend = "legend" if i == 0 else f"legend{i + 1}"
        traces, notes = _pie_pair(result, cluster, column, (i * slot + 0.01, (i + 1) * slot - 0.01), legend)
        data += traces
        annotations += notes
        names = list(dict.fromkeys(n for t in traces for n in t["labels"]))
        most = max(most, len(names))
        # One legend per column under its pair: the values of one column, not of every column.
        layout[legend] = {
            "orientation": "h" if len(columns) == 1 else "v",
            "x": i * slot,
            "xanchor": "left",
            "y": -0.02,
            "yanchor": "top",
            "font": {"size": 11},
        }
        if len(columns) > 1:
            annotations.append(
                {
                    "x": (i + 0.5) * slot,
                    "y": 1.0,
                    "xref": "paper",
                    "yref": "paper",
                    "xanchor": "center",
                    "yanchor": "bottom",
                    "yshift": 22,
                    "showarrow": False,
                    "text": f"<b>{shorten(readable_column(column), 34)}</b>",
                    "font": {"size": 12},
                }
            )
    layout["annotations"] = annotations
    legend = layout.pop("legend")  # given to style(), whose house legend (above the plot) it replaces
    spec = {"data": data, "layout": layout}
    if len(columns) == 1:
        rows = legend_rows(names)
        return style(
            spec,
            readable_column(columns[0]),
            250 + 22 * rows,
            margin={"l": 10, "r": 10, "t": 50, "b": 8 + 22 * rows},
            legend=legend,
        )
    return style(
        spec, "", 270 + 19 * most, margin={"l": 10, "r": 10, "t": 50, "b": 10 + 19 * most}, legend=legend
    )


def category_pies_spec(result: Clustering, cluster: int, columns: list[str] | None = None) -> dict[str, Any]:
    """:func:`category_pies_figure` as a JSON-ready spec for a page (see :mod:`.spec`)."""
    return page_spec(_category_pies(result, cluster, columns))


def category_pies_figure(result: Clustering, cluster: int, columns: list[str] | None = None) -> Any:
    """Pie charts of a cluster's most distinguishing category columns (at most three): for each column
    the cluster's shares and, beside it, the whole data's, the same size and in the same neutral
    colours per value, with one legend of the column's values; big slices name their value and share,
    values under 3% in both are one "other" slice. With one column the pair fills the figure and the
    column is its title (the web's cards, the report's)."""
    return to_figure(_category_pies(result, cluster, columns))
