"""Charts of choosing k and of other methods: the elbow from k = 1, each criterion's curve with its
pick, the same data by several methods side by side, and the dendrogram.

Specs for pages (``*_spec``, JSON-ready) and figures for notebooks, from one builder each, in the
house style of :mod:`clusterlab.report.charts`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..core.choose_k.criteria import CRITERIA
from ..outputs.palette import cluster_colour
from ..report.charts.spec import Grid, page_spec, to_figure, update, vline
from ..report.charts.theme import ALL_COLOUR, style

__all__ = [
    "CURVES",
    "curve_spec",
    "dendrogram_spec",
    "elbow_spec",
    "method_map",
    "methods_grid",
]

CURVES = ("silhouette", "calinski_harabasz", "davies_bouldin", "stability")  # besides the elbow


def elbow_spec(table: pd.DataFrame, knee: int | None, chosen: int | None = None) -> dict[str, Any]:
    """Inertia for every k from 1, the knee (the elbow criterion's pick) marked, and the k chosen."""
    table = table.sort_values("k")
    ks = table["k"].astype(int).to_numpy()
    inertia = table["inertia"].astype(float).to_numpy()
    line = {
        "type": "scatter",
        "x": ks,
        "y": inertia,
        "mode": "lines+markers",
        "name": "Inertia",
        "line": {"color": "#2f5fa7"},
        "hovertemplate": "k = %{x}: inertia %{y:,.1f}<extra></extra>",
    }
    shapes = []
    if knee is not None:
        shapes.append(vline(knee, color="#2e7d32", dash="dot", width=2))
    if chosen is not None and chosen != knee:
        shapes.append(vline(chosen, color="#1d2330", dash="dash", width=1.5))
    title = "The elbow: inertia for every k, from one cluster"
    if knee is not None:
        title += f"; the bend is at k = {knee} (dotted)"
    return style(
        {"data": [line], "layout": {"shapes": shapes}},
        title,
        320,
        xaxis={"title": {"text": "k (clusters)"}, "dtick": 1},
        yaxis={"title": {"text": "Inertia (sum of squared distances)"}, "rangemode": "tozero"},
        showlegend=False,
    )


def curve_spec(table: pd.DataFrame, name: str, pick: int | None) -> dict[str, Any]:
    """One criterion over k, its pick starred."""
    criterion = CRITERIA[name]
    rows = table.dropna(subset=[name]).sort_values("k") if name in table else table.iloc[:0]
    data: list[dict[str, Any]] = [
        {
            "type": "scatter",
            "x": rows["k"].astype(int).to_numpy(),
            "y": rows[name].astype(float).to_numpy(),
            "mode": "lines+markers",
            "name": criterion.title,
            "line": {"color": "#2f5fa7"},
            "hovertemplate": "k = %{x}: %{y:.3f}<extra></extra>",
        }
    ]
    if pick is not None and pick in set(rows["k"].astype(int)):
        value = float(rows.loc[rows["k"].astype(int) == pick, name].iloc[0])
        data.append(
            {
                "type": "scatter",
                "x": [pick],
                "y": [value],
                "mode": "markers",
                "name": "Its pick",
                "marker": {
                    "symbol": "star",
                    "size": 16,
                    "color": "#ffb454",
                    "line": {"color": "black", "width": 1},
                },
                "hovertemplate": f"{criterion.title} picks k = {pick}<extra></extra>",
            }
        )
    way = {"higher": "higher is better", "lower": "lower is better"}.get(criterion.better, "")
    title = f"{criterion.title} ({way})" + (f": picks {pick}" if pick is not None else ": no pick")
    return style(
        {"data": data, "layout": {}},
        title,
        260,
        xaxis={"title": {"text": "k"}, "dtick": 1},
        yaxis={"title": {"text": criterion.title}},
        showlegend=False,
        margin={"l": 56, "r": 12, "t": 50, "b": 44},
    )


def _method_traces(
    xy: np.ndarray, labels: np.ndarray, name: str, cell: dict[str, str]
) -> list[dict[str, Any]]:
    traces = []
    for label in sorted(set(labels.tolist())):
        mask = labels == label
        noise = label < 0
        traces.append(
            {
                "type": "scatter",
                "x": xy[mask, 0],
                "y": xy[mask, 1],
                "mode": "markers",
                "name": "noise" if noise else f"{name} {label + 1}",
                "legendgroup": name,
                "showlegend": False,
                "marker": {
                    "size": 6,
                    "opacity": 0.8,
                    "color": ALL_COLOUR if noise else cluster_colour(label + 1),
                },
                "hovertemplate": ("noise" if noise else f"cluster {label + 1}") + "<extra></extra>",
                **cell,
            }
        )
    return traces


def method_map(
    xy: np.ndarray, labels: np.ndarray, title: str, titles: tuple[str, str] = ("x", "y")
) -> dict[str, Any]:
    """The rows on the map coloured by one method's clusters (grey: left unclustered)."""
    k = len({int(v) for v in labels if v >= 0})
    noise = int((labels < 0).sum())
    subtitle = f"{k} cluster{'s' if k != 1 else ''}" + (f", {noise} rows left as noise" if noise else "")
    return style(
        {"data": _method_traces(xy, labels, title, {}), "layout": {}},
        f"{title}: {subtitle}",
        320,
        xaxis={"title": {"text": titles[0]}, "zeroline": False},
        yaxis={"title": {"text": titles[1]}, "zeroline": False},
        showlegend=False,
        margin={"l": 50, "r": 12, "t": 50, "b": 44},
    )


def methods_grid(xy: np.ndarray, results: dict[str, np.ndarray]) -> Any:
    """One figure (for a notebook): each method's clusters in its own panel."""
    names = list(results)
    cols = 3 if len(names) > 4 else 2
    rows = -(-len(names) // cols)
    grid = Grid(rows, cols, titles=names, horizontal_spacing=0.06, vertical_spacing=0.12)
    data: list[dict[str, Any]] = []
    for i, name in enumerate(names):
        data += _method_traces(xy, np.asarray(results[name]), name, grid.cell(i // cols + 1, i % cols + 1))
    spec = style(
        {"data": data, "layout": update({}, grid.layout)},
        "The same rows, clustered by each method",
        320 * rows,
    )
    spec["layout"]["showlegend"] = False
    return to_figure(spec)


def dendrogram_spec(lines: dict[str, Any], k: int | None = None) -> dict[str, Any]:
    """The dendrogram (scipy's line coordinates), with the height that cuts it into ``k`` groups."""
    xs: list[float | None] = []
    ys: list[float | None] = []
    for ic, dc in zip(lines["icoord"], lines["dcoord"], strict=True):
        xs += [*ic, None]
        ys += [*dc, None]
    data = [
        {
            "type": "scatter",
            "x": xs,
            "y": ys,
            "mode": "lines",
            "line": {"color": "#4F5D73", "width": 1.5},
            "hoverinfo": "skip",
            "name": "Merges",
        }
    ]
    shapes = []
    heights = sorted(lines["heights"])
    if k is not None and 1 < k <= len(heights):
        cut = (heights[-k] + heights[-k + 1]) / 2 if k > 1 else heights[-1]
        shapes.append(
            {
                "type": "line",
                "xref": "paper",
                "x0": 0,
                "x1": 1,
                "y0": cut,
                "y1": cut,
                "line": {"color": "#b2182b", "dash": "dash", "width": 2},
            }
        )
    ticks = [5 + 10 * i for i in range(len(lines["leaves"]))]
    return style(
        {"data": data, "layout": {"shapes": shapes}},
        "Hierarchical clustering's dendrogram: a cut across it"
        + (f" gives {k} groups (dashed)" if k else ""),
        340,
        xaxis={
            "title": {"text": "Groups of rows (size in brackets)"},
            "tickvals": ticks,
            "ticktext": lines["leaves"],
            "tickangle": -60,
            "showgrid": False,
        },
        yaxis={"title": {"text": "Merge distance (Ward)"}, "rangemode": "tozero"},
        showlegend=False,
        margin={"b": 80},
    )


def as_page(spec: dict[str, Any]) -> dict[str, Any]:
    """A spec of this module as a page draws it."""
    return page_spec(spec)
