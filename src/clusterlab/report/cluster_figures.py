"""Charts of one cluster (the report's cluster cards) and of every cluster against every column
(the at-a-glance heatmap). Like :mod:`.figures`, each chart is a Plotly figure (``*_figure``) or a
JSON-ready spec for a page (``*_spec``), sized by clusters and columns, never by rows."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from .figures import bars, histogram_table, signed_sd
from .spec import Grid, page_spec, to_figure
from .theme import (
    ALL_COLOUR,
    all_effects,
    cluster_colour,
    cluster_label,
    cluster_names,
    column_effects,
    distinct_labels,
    level_colour,
    shorten,
    style,
    top_columns,
)

if TYPE_CHECKING:
    from ..core.result import ClusterResult

__all__ = [
    "category_pies_figure",
    "category_pies_spec",
    "cluster_profile_figure",
    "cluster_profile_spec",
    "effect_heatmap_figure",
    "effect_heatmap_spec",
]


def _effect_heatmap(result: ClusterResult, max_columns: int) -> dict[str, Any]:
    from ..core.description import readable_column
    from ..core.distinction import effect_matrix
    from ..core.formatting import format_number, format_share
    from ..core.profiles import format_year

    effects = all_effects(result)
    names = cluster_names(result)
    clusters = [int(c) for c in result.profiles.sizes["Cluster"]]
    if effects.empty:
        return style({"data": [], "layout": {}}, "No profiled columns", 200)
    best = effect_matrix(effects)  # columns that separate the clusters most come first
    columns = list(dict.fromkeys(best["column"]))[:max_columns]
    z = np.full((len(clusters), len(columns)), np.nan)
    text = np.full(z.shape, "", dtype=object)
    hover = np.full(z.shape, "", dtype=object)
    for r in best.itertuples():
        if r.column not in columns:
            continue
        i, j = clusters.index(int(r.Cluster)), columns.index(r.column)
        z[i, j] = r.effect
        if r.kind in ("numeric", "date"):
            capped = int(r.clipped or 0)
            show = format_year if r.kind == "date" else format_number
            text[i, j] = show(r.cluster_value) + ("*" if capped else "")
            hover[i, j] = f"average {show(r.cluster_value)} vs {show(r.overall_value)} overall" + (
                f"<br>* {capped} far-out value(s) capped before averaging" if capped else ""
            )
        else:
            text[i, j] = f"{shorten(str(r.level), 10)} {format_share(r.cluster_value)}"
            hover[i, j] = (
                f"'{r.level}': {format_share(r.cluster_value)} vs {format_share(r.overall_value)} overall"
            )
    labels = [cluster_label(c, names, 30) for c in clusters]
    # Columns by position, labelled apart: long names that share their start (exports often do)
    # would otherwise be shortened to one label, and Plotly would merge their cells into one.
    full = [readable_column(c) for c in columns]
    heatmap = {
        "type": "heatmap",
        "z": np.clip(z, -2.5, 2.5),
        "x": list(range(len(columns))),
        "y": labels,
        "text": text,
        "customdata": np.dstack(
            [
                hover,
                np.round(np.nan_to_num(z), 2),
                np.tile(np.array(full, dtype=object), (len(clusters), 1)),
            ]
        ),
        "texttemplate": "%{text}",
        "textfont": {"size": 10},
        "colorscale": [[0, "#2166AC"], [0.5, "#F7F7F7"], [1, "#B2182B"]],
        "zmid": 0,
        "zmin": -2.5,
        "zmax": 2.5,
        "xgap": 2,
        "ygap": 2,
        "colorbar": {"title": {"text": "SD"}, "thickness": 12},
        "hovertemplate": "%{y}<br><b>%{customdata[2]}</b>: %{customdata[0]}<br>effect %{customdata[1]:+.2f} SD<extra></extra>",
    }
    axes = {
        "xaxis": {
            "tickmode": "array",
            "tickvals": list(range(len(columns))),
            "ticktext": distinct_labels(full, 22),
            "tickangle": -35 if len(columns) > 6 else 0,
            "side": "bottom",
        },
        "yaxis": {"autorange": "reversed"},
    }
    return style(
        {"data": [heatmap], "layout": axes},
        "What sets the clusters apart (red: higher or more often than overall; blue: lower or less often)",
        max(260, 48 * len(clusters) + 170),
        margin={"l": 200, "r": 20, "t": 60, "b": 110},
    )


def effect_heatmap_spec(result: ClusterResult, max_columns: int = 40) -> dict[str, Any]:
    """:func:`effect_heatmap_figure` as a JSON-ready spec for a page (see :mod:`.spec`)."""
    return page_spec(_effect_heatmap(result, max_columns))


def effect_heatmap_figure(result: ClusterResult, max_columns: int = 40) -> Any:
    """Clusters (rows) against columns: colour is the effect size in SD (red higher / more often,
    blue lower / less often); the text is the cluster's average, or its most telling level's share."""
    return to_figure(_effect_heatmap(result, max_columns))


def _cluster_profile(result: ClusterResult, cluster: int, columns: list[str] | None) -> dict[str, Any]:
    from ..core.description import readable_column

    columns = columns if columns is not None else top_columns(result, cluster, "numeric", 6)
    if not columns:
        return style({"data": [], "layout": {}}, f"Cluster {cluster}: no numeric columns", 120)
    effects = column_effects(result, cluster)
    cols = min(3, len(columns))
    rows = math.ceil(len(columns) / cols)
    labels = distinct_labels([readable_column(c) for c in columns], 30)
    titles = [f"{label} ({signed_sd(effects.get(c, 0.0))})" for c, label in zip(columns, labels, strict=True)]
    grid = Grid(
        rows,
        cols,
        titles=titles,
        horizontal_spacing=0.08,
        vertical_spacing=0.28 / rows,
        title_size=12,
    )
    colour = cluster_colour(cluster)
    data = []
    for i, column in enumerate(columns):
        r, c = divmod(i, cols)
        cell = grid.cell(r + 1, c + 1)
        part = histogram_table(result, column)
        data.append(bars(part, "All", "All rows", ALL_COLOUR, showlegend=False) | cell)
        data.append(bars(part, cluster, f"Cluster {cluster}", colour, showlegend=False) | cell)
        grid.axis("y", r + 1, c + 1)["ticksuffix"] = "%"
    return style(
        {"data": data, "layout": grid.layout},
        f"Cluster {cluster} (coloured) against all rows (grey), % of rows",
        210 * rows + 90,
        barmode="overlay",
        bargap=0.02,
        margin={"l": 50, "r": 20, "t": 90, "b": 30},
    )


def cluster_profile_spec(
    result: ClusterResult, cluster: int, columns: list[str] | None = None
) -> dict[str, Any]:
    """:func:`cluster_profile_figure` as a JSON-ready spec for a page (see :mod:`.spec`)."""
    return page_spec(_cluster_profile(result, cluster, columns))


def cluster_profile_figure(result: ClusterResult, cluster: int, columns: list[str] | None = None) -> Any:
    """Small histograms of a cluster's most distinguishing numeric columns, each over the whole data."""
    return to_figure(_cluster_profile(result, cluster, columns))


def _category_pies(result: ClusterResult, cluster: int, columns: list[str] | None) -> dict[str, Any]:
    from ..core.description import readable_column
    from ..core.profiles import ALL

    columns = (columns if columns is not None else top_columns(result, cluster, "category", 3))[:3]
    if not columns:
        return style({"data": [], "layout": {}}, f"Cluster {cluster}: no category columns", 120)
    shares = result.profiles.categories
    data: list[dict[str, Any]] = []
    annotations: list[dict[str, Any]] = []
    single = len(columns) == 1
    slot = 1.0 if single else 1 / 3  # several columns side by side, always the same size
    for i, column in enumerate(columns):
        part = shares[shares["column"] == column]
        levels = list(dict.fromkeys(part["level"].astype(str)))
        colours = {lv: level_colour(j) for j, lv in enumerate(levels)}
        left = i * slot
        for group, x, y, name in (
            (cluster, [left, left + slot * 0.62], [0.0, 0.88], f"cluster {cluster}"),
            (ALL, [left + slot * 0.64, left + slot * 0.98], [0.18, 0.66], "all rows"),
        ):
            sub = part[(part["Cluster"].astype(str) == str(group)) & (part["count"] > 0)]
            data.append(
                {
                    "type": "pie",
                    "labels": sub["level"].astype(str).to_numpy(),
                    "values": sub["count"].to_numpy(),
                    "hole": 0.4,
                    "sort": False,
                    "direction": "clockwise",
                    "domain": {"x": x, "y": y},
                    "marker": {
                        "colors": [colours[str(lv)] for lv in sub["level"]],
                        "line": {"color": "white", "width": 1},
                    },
                    "textinfo": "label+percent" if group != ALL else "percent",
                    "textposition": "inside",
                    "insidetextorientation": "horizontal",
                    "showlegend": False,
                    "name": f"{column} · {name}",
                    "hovertemplate": "%{label}: %{percent} (%{value:,} rows)<extra>%{fullData.name}</extra>",
                }
            )
        heading = (
            f"cluster {cluster}"
            if single
            else f"<b>{shorten(readable_column(column), 26)}</b>: cluster {cluster}"
        )
        for at, height, text, size in ((0.31, 1.0, heading, 12), (0.81, 0.68, "all rows", 11)):
            annotations.append(
                {
                    "x": left + slot * at,
                    "y": height,
                    "xref": "paper",
                    "yref": "paper",
                    "yanchor": "bottom",
                    "showarrow": False,
                    "text": text,
                    "font": {"size": size, "color": "#5d6675"} if size == 11 else {"size": size},
                }
            )
    spec = {"data": data, "layout": {"annotations": annotations}}
    if single:
        return style(spec, readable_column(columns[0]), 300, margin={"l": 10, "r": 10, "t": 56, "b": 10})
    return style(spec, "", 260, margin={"l": 10, "r": 10, "t": 30, "b": 10})


def category_pies_spec(
    result: ClusterResult, cluster: int, columns: list[str] | None = None
) -> dict[str, Any]:
    """:func:`category_pies_figure` as a JSON-ready spec for a page (see :mod:`.spec`)."""
    return page_spec(_category_pies(result, cluster, columns))


def category_pies_figure(result: ClusterResult, cluster: int, columns: list[str] | None = None) -> Any:
    """Pie charts of a cluster's most distinguishing category columns (at most three): for each column
    the cluster's shares (large) and, beside it, the whole data's (small), in the same colours per
    value. With one column the pair fills the figure and the column is its title (the web's cards)."""
    return to_figure(_category_pies(result, cluster, columns))


# Values of a category get their own colours (ColorBrewer Set2), unlike the clusters' (Tableau 10),
# so a slice is never mistaken for a cluster.
