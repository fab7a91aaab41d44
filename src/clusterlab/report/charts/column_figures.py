"""Charts of one column across the clusters (the report's column explorer, the web app's cards): a
numeric column's histogram per cluster over all rows (grey), a category column's shares per cluster;
and the binned counts and bars they are drawn from, shared with :mod:`.cluster_figures`. Like
:mod:`.figures`, a Plotly figure (``*_figure``) or a JSON-ready spec (``*_spec``), sized by clusters
and bins, never by rows (histograms come binned from :attr:`Profiles.histograms`)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ...core.clustering import Clustering
from ...core.explain.description import readable_column
from ...core.explain.profiles import ALL, histogram_edges, robust_range
from ...core.formatting import format_number, format_share
from ...core.roles.column_roles import numeric_values
from .spec import Grid, page_spec, to_figure
from .theme import (
    ALL_COLOUR,
    cluster_colour,
    cluster_label,
    cluster_names,
    legend_below,
    level_colour,
    level_text_colour,
    shorten,
    style,
)

__all__ = [
    "bars",
    "category_profile_figure",
    "category_profile_spec",
    "clip_note",
    "histogram_table",
    "numeric_profile_figure",
    "numeric_profile_spec",
    "signed_sd",
]


def histogram_table(result: Clustering, column: str) -> pd.DataFrame:
    """The binned counts of ``column`` (rows of :attr:`Profiles.histograms`): Cluster ("All" or the
    number), bin, left, right, count, share."""
    hist = result.profiles.histograms
    part = hist[hist["column"] == column] if len(hist) else hist
    if len(part):
        return part
    # A Profiles built without histograms (older code paths): bin now, the same way.

    values = numeric_values(result.table.frame[column], result.roles[column])
    low, high = robust_range(values)
    edges = histogram_edges(values, low, high)
    clusters = np.asarray(result.clusters)
    rows = []
    for key, mask in [("All", clusters > 0), *((c, clusters == c) for c in result.profiles.clusters)]:
        v = values[mask & ~np.isnan(values)]
        counts, _ = np.histogram(np.clip(v, edges[0], edges[-1]), edges)
        total = max(int(counts.sum()), 1)
        for b, n in enumerate(counts):
            rows.append((key, column, b, edges[b], edges[b + 1], int(n), n / total))
    return pd.DataFrame(rows, columns=["Cluster", "column", "bin", "left", "right", "count", "share"])


def clip_note(result: Clustering, column: str) -> str:

    ranges = result.profiles.ranges
    if not len(ranges) or column not in set(ranges["column"]):
        return ""
    r = ranges[ranges["column"] == column].iloc[0]
    parts = []
    if r["below"]:
        parts.append(f"{int(r['below'])} value(s) below {format_number(r['low'])} in the first bar")
    if r["above"]:
        parts.append(f"{int(r['above'])} value(s) above {format_number(r['high'])} in the last bar")
    return "; ".join(parts)


def signed_sd(effect: float) -> str:
    """An effect for a title: "+1.2 SD"; "0.0 SD" rather than "-0.0 SD"."""
    return f"{effect:+.1f} SD" if round(effect, 1) != 0 else "0.0 SD"


def bars(part: pd.DataFrame, group: object, name: str, colour: str, **extra: Any) -> dict[str, Any]:
    """One group's histogram from :func:`histogram_table` rows, as bars of the share of its rows."""
    # numpy, not a filtered DataFrame: a report calls this a hundred times or more
    mask = part["Cluster"].astype(str).to_numpy() == str(group)
    left, right = part["left"].to_numpy()[mask], part["right"].to_numpy()[mask]
    return {
        "type": "bar",
        "x": (left + right) / 2,
        "y": part["share"].to_numpy()[mask] * 100,
        "width": right - left,
        "name": name,
        "marker": {"color": colour, "opacity": 1.0 if group == "All" else 0.75},
        "customdata": np.column_stack(
            [
                left,
                right,
                part["count"].to_numpy()[mask],
                [format_share(v) for v in part["share"].to_numpy()[mask]],
            ]
        ),
        "hovertemplate": f"{name} · %{{customdata[0]:.4g}} to %{{customdata[1]:.4g}}: %{{customdata[3]}} "
        "(%{customdata[2]:,} rows)<extra></extra>",
        **extra,
    }


def _numeric_profile(result: Clustering, column: str, cluster: int | None) -> dict[str, Any]:
    part = histogram_table(result, column)
    names = cluster_names(result)
    note = clip_note(result, column)
    label = readable_column(column)
    x_title = label + (f" ({note})" if note else "")
    if cluster is not None:
        data = [
            bars(part, "All", "All rows", ALL_COLOUR),
            bars(part, cluster, cluster_label(cluster, names), cluster_colour(cluster)),
        ]
        return style(
            {"data": data, "layout": {}},
            f"{label}: cluster {cluster} against all rows",
            320,
            barmode="overlay",
            bargap=0.02,
            xaxis={"title": {"text": x_title}},
            yaxis={"title": {"text": "% of rows"}},
        )
    clusters = result.profiles.clusters
    row_height = 70 if len(clusters) <= 8 else 52
    grid = Grid(len(clusters), 1, shared_xaxes=True, vertical_spacing=0.012)
    data = []
    # One height scale for every row, so a taller bar means a larger share in any cluster.
    top = float(part["share"].max()) * 100 if len(part) else 1.0
    for i, c in enumerate(clusters, start=1):
        cell = grid.cell(i, 1)
        data.append(bars(part, "All", "All rows", ALL_COLOUR, showlegend=False) | cell)
        data.append(bars(part, c, cluster_label(c, names), cluster_colour(c), showlegend=False) | cell)
        grid.axis("y", i, 1).update(showticklabels=False, range=[0, top * 1.05])
        # A horizontal label left of each small histogram (a rotated axis title would not fit).
        domain = grid.domain(i, 1)[1]
        grid.layout["annotations"].append(
            {
                "x": 0,
                "y": (domain[0] + domain[1]) / 2,
                "xref": "paper",
                "yref": "paper",
                "xanchor": "right",
                "xshift": -6,
                "showarrow": False,
                "text": f"<span style='color:{cluster_colour(c)}'>■</span> {cluster_label(c, names, 22)}",
                "font": {"size": 11},
            }
        )
    grid.axis("x", len(clusters), 1)["title"] = {"text": x_title}
    spec = style(
        {"data": data, "layout": grid.layout},
        f"{label}: each cluster (coloured) against all rows (grey)",
        row_height * len(clusters) + 120,
        barmode="overlay",
        bargap=0.02,
        margin={"l": 190, "r": 20, "t": 60, "b": 50},
    )
    # On a phone each small histogram is labelled by its cluster's number only.
    short = [
        a | {"text": f"<span style='color:{cluster_colour(c)}'>■</span> {c}"}
        for a, c in zip(grid.layout["annotations"], clusters, strict=True)
    ]
    spec["narrow"] = {"layout": {"annotations": short, "margin": {"l": 44, "r": 10}}}
    return spec


def numeric_profile_spec(result: Clustering, column: str, cluster: int | None = None) -> dict[str, Any]:
    """:func:`numeric_profile_figure` as a JSON-ready spec for a page (see :mod:`.spec`)."""
    return page_spec(_numeric_profile(result, column, cluster))


def numeric_profile_figure(result: Clustering, column: str, cluster: int | None = None) -> Any:
    """Histogram of a numeric column: one cluster (or every cluster) against the whole data.

    Drawn from the binned counts in ``result.profiles.histograms`` (the same bins for every group),
    as the share of each group's rows, so groups of different sizes compare directly. With one
    cluster, its bars overlay the whole data's grey bars; with every cluster, one small histogram per
    cluster is stacked on a shared axis (a ridge of histograms), each over the grey whole."""
    return to_figure(_numeric_profile(result, column, cluster))


def _category_profile(result: Clustering, column: str, cluster: int | None) -> dict[str, Any]:

    names = cluster_names(result)
    shares = result.profiles.categories
    shares = shares[shares["column"] == column]
    data: list[dict[str, Any]] = []
    if cluster is not None:
        for group in (ALL, cluster):
            part = shares[shares["Cluster"].astype(str) == str(group)]
            label = "All rows" if group == ALL else cluster_label(int(str(group)), names)
            data.append(
                {
                    "type": "bar",
                    "x": part["level"].astype(str).to_numpy(),
                    "y": (part["share"] * 100).to_numpy(),
                    "name": label,
                    "marker": {"color": ALL_COLOUR if group == ALL else cluster_colour(int(str(group)))},
                    "customdata": part["count"].to_numpy(),
                    "hovertemplate": f"{label} · %{{x}}: %{{y:.1f}}% (%{{customdata:,}} rows)<extra></extra>",
                }
            )
        return style(
            {"data": data, "layout": {}},
            f"{readable_column(column)}: cluster {cluster} against all rows",
            320,
            barmode="group",
            # Values as categories: codes 1, 2, 4 are three bars side by side, not points on a number line.
            xaxis={"title": {"text": readable_column(column)}, "type": "category"},
            yaxis={"title": {"text": "% of rows"}},
        )
    groups = [ALL, *result.profiles.clusters]
    labels = ["All rows" if g == ALL else cluster_label(int(str(g)), names) for g in groups]
    levels = list(dict.fromkeys(shares["level"].astype(str)))
    for j, level in enumerate(levels):
        part = shares[shares["level"].astype(str) == level]
        part = part.set_index(part["Cluster"].astype(str))
        values = [float(part["share"].get(str(g), 0.0)) * 100 for g in groups]
        counts = [int(part["count"].get(str(g), 0)) for g in groups]
        data.append(
            {
                "type": "bar",
                "y": labels,
                "x": values,
                "orientation": "h",
                "name": shorten(level, 24),
                "marker": {"color": level_colour(j), "line": {"color": "white", "width": 1}},
                "text": [format_share(v / 100) if v >= 6 else "" for v in values],
                "textposition": "inside",
                "insidetextanchor": "middle",
                "textfont": {"color": level_text_colour(level_colour(j))},
                "customdata": np.column_stack([counts, [format_share(v / 100) for v in values]]),
                "hovertemplate": f"%{{y}} · {level}: %{{customdata[1]}} (%{{customdata[0]:,}} rows)<extra></extra>",
            }
        )
    height = max(240, 34 * len(groups) + 140)
    spec = style(
        {
            "data": data,
            "layout": {"yaxis": {"autorange": "reversed"}, "xaxis": {"range": [0, 100], "ticksuffix": "%"}},
        },
        f"{readable_column(column)}: the mix of values in each cluster",
        height,
        barmode="stack",
        xaxis={"title": {"text": "% of the group's rows"}},
        margin={"l": 190, "r": 20, "t": 80, "b": 50},
    )
    # On a phone: groups by number ("All", "1", "2"...), the values' legend under the bars.
    numbers = ["All" if g == ALL else str(g) for g in groups]
    below = legend_below([str(t["name"]) for t in data], 34 * len(groups) + 20, {"t": 60, "b": 50, "l": 50})
    spec["narrow"] = {"layout": below, "data": [{"y": numbers} for _ in data]}
    return spec


def category_profile_spec(result: Clustering, column: str, cluster: int | None = None) -> dict[str, Any]:
    """:func:`category_profile_figure` as a JSON-ready spec for a page (see :mod:`.spec`)."""
    return page_spec(_category_profile(result, column, cluster))


def category_profile_figure(result: Clustering, column: str, cluster: int | None = None) -> Any:
    """Shares of a category column's values: one cluster (or each cluster) beside the whole data.

    With one cluster: grouped bars, the cluster beside all rows. With every cluster: one 100% bar per
    cluster (and one for all rows), split by value, so the mix of each cluster reads at a glance."""
    return to_figure(_category_profile(result, column, cluster))
