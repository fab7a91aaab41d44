"""Charts of one cluster (the report's cluster cards) and of every cluster against every column
(the at-a-glance heatmap). Like :mod:`.figures`, each returns a Plotly figure sized by clusters and
columns, never by rows."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from .figures import bars, histogram_table, signed_sd
from .theme import (
    ALL_COLOUR,
    all_effects,
    cluster_colour,
    cluster_label,
    cluster_names,
    column_effects,
    distinct_labels,
    level_colour,
    plotly_objects,
    shorten,
    style,
    top_columns,
)

if TYPE_CHECKING:
    from ..core.result import ClusterResult

__all__ = ["category_pies_figure", "cluster_profile_figure", "effect_heatmap_figure"]


def effect_heatmap_figure(result: ClusterResult, max_columns: int = 40) -> Any:
    """Clusters (rows) against columns: colour is the effect size in SD (red higher / more often,
    blue lower / less often); the text is the cluster's average, or its most telling level's share."""
    go = plotly_objects()
    from ..core.description import readable_column
    from ..core.distinction import effect_matrix
    from ..core.formatting import format_number, format_share
    from ..core.profiles import format_year

    effects = all_effects(result)
    names = cluster_names(result)
    clusters = [int(c) for c in result.profiles.sizes["Cluster"]]
    if effects.empty:
        return style(go.Figure(), "No profiled columns", 200)
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
    fig = go.Figure(
        go.Heatmap(
            z=np.clip(z, -2.5, 2.5),
            x=list(range(len(columns))),
            y=labels,
            text=text,
            customdata=np.dstack(
                [
                    hover,
                    np.round(np.nan_to_num(z), 2),
                    np.tile(np.array(full, dtype=object), (len(clusters), 1)),
                ]
            ),
            texttemplate="%{text}",
            textfont={"size": 10},
            colorscale=[[0, "#2166AC"], [0.5, "#F7F7F7"], [1, "#B2182B"]],
            zmid=0,
            zmin=-2.5,
            zmax=2.5,
            xgap=2,
            ygap=2,
            colorbar={"title": {"text": "SD"}, "thickness": 12},
            hovertemplate="%{y}<br><b>%{customdata[2]}</b>: %{customdata[0]}<br>effect %{customdata[1]:+.2f} SD<extra></extra>",
        )
    )
    fig.update_xaxes(tickmode="array", tickvals=list(range(len(columns))), ticktext=distinct_labels(full, 22))
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(tickangle=-35 if len(columns) > 6 else 0, side="bottom")
    return style(
        fig,
        "What sets the clusters apart (red: higher or more often than overall; blue: lower or less often)",
        max(260, 48 * len(clusters) + 170),
        margin={"l": 200, "r": 20, "t": 60, "b": 110},
    )


def cluster_profile_figure(result: ClusterResult, cluster: int, columns: list[str] | None = None) -> Any:
    """Small histograms of a cluster's most distinguishing numeric columns, each over the whole data."""
    go = plotly_objects()
    from plotly.subplots import make_subplots

    from ..core.description import readable_column

    columns = columns if columns is not None else top_columns(result, cluster, "numeric", 6)
    if not columns:
        return style(go.Figure(), f"Cluster {cluster}: no numeric columns", 120)
    effects = column_effects(result, cluster)
    cols = min(3, len(columns))
    rows = math.ceil(len(columns) / cols)
    labels = distinct_labels([readable_column(c) for c in columns], 30)
    titles = [f"{label} ({signed_sd(effects.get(c, 0.0))})" for c, label in zip(columns, labels, strict=True)]
    fig = make_subplots(
        rows=rows, cols=cols, subplot_titles=titles, horizontal_spacing=0.08, vertical_spacing=0.28 / rows
    )
    colour = cluster_colour(cluster)
    for i, column in enumerate(columns):
        r, c = divmod(i, cols)
        part = histogram_table(result, column)
        fig.add_trace(bars(go, part, "All", "All rows", ALL_COLOUR, showlegend=False), row=r + 1, col=c + 1)
        fig.add_trace(
            bars(go, part, cluster, f"Cluster {cluster}", colour, showlegend=False), row=r + 1, col=c + 1
        )
        fig.update_yaxes(ticksuffix="%", row=r + 1, col=c + 1)
    fig.update_annotations(font_size=12)
    return style(
        fig,
        f"Cluster {cluster} (coloured) against all rows (grey), % of rows",
        210 * rows + 90,
        barmode="overlay",
        bargap=0.02,
        margin={"l": 50, "r": 20, "t": 90, "b": 30},
    )


def category_pies_figure(result: ClusterResult, cluster: int, columns: list[str] | None = None) -> Any:
    """Pie charts of a cluster's most distinguishing category columns (at most three): for each column
    the cluster's shares (large) and, beside it, the whole data's (small), in the same colours per
    value. With one column the pair fills the figure and the column is its title (the web's cards)."""
    go = plotly_objects()
    from ..core.description import readable_column
    from ..core.profiles import ALL

    columns = (columns if columns is not None else top_columns(result, cluster, "category", 3))[:3]
    if not columns:
        return style(go.Figure(), f"Cluster {cluster}: no category columns", 120)
    shares = result.profiles.categories
    fig = go.Figure()
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
            fig.add_trace(
                go.Pie(
                    labels=sub["level"].astype(str),
                    values=sub["count"],
                    hole=0.4,
                    sort=False,
                    direction="clockwise",
                    domain={"x": x, "y": y},
                    marker={
                        "colors": [colours[str(lv)] for lv in sub["level"]],
                        "line": {"color": "white", "width": 1},
                    },
                    textinfo="label+percent" if group != ALL else "percent",
                    textposition="inside",
                    insidetextorientation="horizontal",
                    showlegend=False,
                    name=f"{column} · {name}",
                    hovertemplate="%{label}: %{percent} (%{value:,} rows)<extra>%{fullData.name}</extra>",
                )
            )
        heading = (
            f"cluster {cluster}"
            if single
            else f"<b>{shorten(readable_column(column), 26)}</b>: cluster {cluster}"
        )
        for at, height, text, size in ((0.31, 1.0, heading, 12), (0.81, 0.68, "all rows", 11)):
            fig.add_annotation(
                x=left + slot * at,
                y=height,
                xref="paper",
                yref="paper",
                yanchor="bottom",
                showarrow=False,
                text=text,
                font={"size": size, "color": "#5d6675" if size == 11 else None},
            )
    if single:
        return style(fig, readable_column(columns[0]), 300, margin={"l": 10, "r": 10, "t": 56, "b": 10})
    return style(fig, "", 260, margin={"l": 10, "r": 10, "t": 30, "b": 10})


# Values of a category get their own colours (ColorBrewer Set2), unlike the clusters' (Tableau 10),
# so a slice is never mistaken for a cluster.
