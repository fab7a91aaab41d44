"""Charts of one cluster (the report's cluster cards) and of every cluster against every column
(the at-a-glance heatmap). Like :mod:`.figures`, each chart is a Plotly figure (``*_figure``) or a
JSON-ready spec for a page (``*_spec``), sized by clusters and columns, never by rows."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from ..core.description import readable_column
from .figures import bars, histogram_table, signed_sd
from .spec import Grid, page_spec, to_figure
from .theme import (
    ALL_COLOUR,
    OTHER_COLOUR,
    all_effects,
    cluster_colour,
    cluster_label,
    cluster_names,
    column_effects,
    distinct_labels,
    level_colour,
    level_text_colour,
    shorten,
    style,
    top_columns,
)

if TYPE_CHECKING:
    from ..core.result import ClusterResult

__all__ = [
    "HEATMAP_COLUMNS",
    "category_pies_figure",
    "category_pies_spec",
    "cluster_histogram_figure",
    "cluster_histogram_spec",
    "cluster_profile_figure",
    "cluster_profile_spec",
    "effect_heatmap_figure",
    "effect_heatmap_spec",
    "heatmap_columns",
]


HEATMAP_COLUMNS = (
    15  # columns in the at-a-glance heatmap: the most distinguishing; the rest are in the explorer
)


def heatmap_columns(result: ClusterResult, max_columns: int = HEATMAP_COLUMNS) -> tuple[list[str], int]:
    """The columns the heatmap shows and how many were profiled.

    With more than ``max_columns``, the ones with the largest effect for any cluster are kept (a
    cluster's strongest trait is never left out), clusters too small to be a group (at most 5 rows
    and under 2% of them) not counting; they are shown in the heatmap's order, the columns that
    separate the clusters most overall first (:func:`~clusterlab.core.distinction.effect_matrix`).
    """
    from ..core.distinction import effect_matrix

    effects = all_effects(result)
    if effects.empty:
        return [], 0
    best = effect_matrix(effects)
    order = [str(c) for c in dict.fromkeys(best["column"])]
    if len(order) <= max_columns:
        return order, len(order)
    sizes = result.profiles.sizes
    n = max(int(sizes["rows"].sum()), 1)
    groups = {
        int(c)
        for c, rows in zip(sizes["Cluster"], sizes["rows"], strict=True)
        if rows > 5 or rows >= 0.02 * n
    }
    counted = best[best["Cluster"].astype(int).isin(groups)] if groups else best
    largest = counted.assign(_a=counted["effect"].abs()).groupby("column", sort=False)["_a"].max()
    keep = set(largest.sort_values(ascending=False, kind="stable").index[:max_columns].astype(str))
    return [c for c in order if c in keep], len(order)


def _effect_heatmap(result: ClusterResult, max_columns: int) -> dict[str, Any]:
    from ..core.distinction import effect_matrix
    from ..core.formatting import format_share
    from .content import column_formats

    effects = all_effects(result)
    names = cluster_names(result)
    clusters = [int(c) for c in result.profiles.sizes["Cluster"]]
    if effects.empty:
        return style({"data": [], "layout": {}}, "No profiled columns", 200)
    best = effect_matrix(effects)
    columns, total = heatmap_columns(result, max_columns)
    formats = column_formats(result)
    position = {c: j for j, c in enumerate(columns)}
    z = np.full((len(clusters), len(columns)), np.nan)
    text = np.full(z.shape, "", dtype=object)
    short = np.full(z.shape, "", dtype=object)
    hover = np.full(z.shape, "", dtype=object)
    for r in best.itertuples():
        j = position.get(str(r.column))
        if j is None or int(r.Cluster) not in clusters:
            continue
        i = clusters.index(int(r.Cluster))
        z[i, j] = r.effect
        if r.kind in ("numeric", "date"):
            capped = int(r.clipped or 0)
            show = formats.get(str(r.column))
            value = show(r.cluster_value) if show else str(r.cluster_value)
            text[i, j] = short[i, j] = value + ("*" if capped else "")
            hover[i, j] = (
                f"average {value} vs {show(r.overall_value) if show else r.overall_value} overall"
                + (f"<br>* {capped} far-out value(s) capped before averaging" if capped else "")
            )
        else:
            text[i, j] = f"{shorten(str(r.level), 10)} {format_share(r.cluster_value)}"
            short[i, j] = f"{shorten(str(r.level), 5)} {format_share(r.cluster_value)}"
            hover[i, j] = (
                f"'{r.level}': {format_share(r.cluster_value)} vs {format_share(r.overall_value)} overall"
            )
    labels = [cluster_label(c, names, 30) for c in clusters]
    # Columns by position, labelled apart: long names that share their start (exports often do)
    # would otherwise be shortened to one label, and Plotly would merge their cells into one.
    full = [readable_column(c) for c in columns]
    customdata = np.dstack(
        [hover, np.round(np.nan_to_num(z), 2), np.tile(np.array(full, dtype=object), (len(clusters), 1))]
    )
    heatmap = {
        "type": "heatmap",
        "z": np.clip(z, -2.5, 2.5),
        "x": list(range(len(columns))),
        "y": labels,
        "text": text,
        "customdata": customdata,
        "texttemplate": "%{text}",
        "textfont": {"size": 10},
        "colorscale": [[0, "#2166AC"], [0.5, "#F7F7F7"], [1, "#B2182B"]],
        "zmid": 0,
        "zmin": -2.5,
        "zmax": 2.5,
        "xgap": 2,
        "ygap": 2,
        "colorbar": {"title": {"text": "SD"}, "thickness": 12},
        "hovertemplate": "%{y}<br><b>%{customdata[2]}</b>: %{customdata[0]}<br>effect %{customdata[1]:+.1f} SD<extra></extra>",
    }
    ticks = distinct_labels(full, 22)
    angle = -35 if len(columns) > 6 else 0
    # Room for the column names under the cells (tilted, they need about half their length), so
    # the chart ends where its labels do.
    longest = max((len(t) for t in ticks), default=4)
    below = 10 + (int(longest * 5.6 * 0.6) if angle else 16)
    axes = {
        "xaxis": {
            "tickmode": "array",
            "tickvals": list(range(len(columns))),
            "ticktext": ticks,
            "tickangle": angle,
            "side": "bottom",
            "automargin": True,
        },
        "yaxis": {"autorange": "reversed", "automargin": True},
    }
    title = "What sets the clusters apart (red: higher or more often than overall; blue: lower or less often)"
    top = 60
    if len(columns) < total:
        axes["title"] = {
            "subtitle": {
                "text": f"{len(columns)} of {total} columns, the most distinguishing",
                "font": {"size": 12},
            }
        }
        top = 76
    spec = style(
        {"data": [heatmap], "layout": axes},
        title,
        top + 44 * len(clusters) + below,
        margin={"l": 200, "r": 20, "t": top, "b": below},
    )
    # On a phone the heatmap turns: columns down the side (a readable name each), one narrow column
    # of cells per cluster (numbered; the cards above name them), the colour bar underneath.
    rows = len(columns)
    spec["narrow"] = {
        "data": [
            {
                "z": np.clip(z, -2.5, 2.5).T,
                "x": [str(c) for c in clusters],
                "y": list(range(rows)),
                "text": short.T if len(clusters) > 3 else text.T,
                "customdata": np.transpose(customdata, (1, 0, 2)),
                "textfont": {"size": 9},
                "hovertemplate": "Cluster %{x}<br><b>%{customdata[2]}</b>: %{customdata[0]}"
                "<br>effect %{customdata[1]:+.1f} SD<extra></extra>",
                "colorbar": {
                    "orientation": "h",
                    "thickness": 8,
                    "len": 0.7,
                    "x": 0,
                    "xanchor": "left",
                    "y": 0,
                    "yref": "container",
                    "yanchor": "bottom",
                    "title": {"text": "SD", "side": "right"},
                },
            }
        ],
        "layout": {
            "height": top + 30 * rows + 90,
            "margin": {"l": 10, "r": 10, "t": top + 24, "b": 60},
            "xaxis": {
                "tickmode": "auto",  # the wide layout's tickvals and ticktext then go unused
                "tickangle": 0,
                "side": "top",
                "type": "category",
                "title": {"text": "cluster"},
            },
            "yaxis": {
                "tickmode": "array",
                "tickvals": list(range(rows)),
                "ticktext": distinct_labels(full, 18),
                "autorange": "reversed",
            },
        },
    }
    return spec


def effect_heatmap_spec(result: ClusterResult, max_columns: int = HEATMAP_COLUMNS) -> dict[str, Any]:
    """:func:`effect_heatmap_figure` as a JSON-ready spec for a page (see :mod:`.spec`), with a
    ``narrow`` variant for a phone: transposed, a row per column."""
    return page_spec(_effect_heatmap(result, max_columns))


def effect_heatmap_figure(result: ClusterResult, max_columns: int = HEATMAP_COLUMNS) -> Any:
    """Clusters (rows) against columns: colour is the effect size in SD (red higher / more often,
    blue lower / less often); the text is the cluster's average, or its most telling level's share.
    Of more than ``max_columns`` columns, the most distinguishing are shown (:func:`heatmap_columns`)
    and the subtitle says how many of how many."""
    return to_figure(_effect_heatmap(result, max_columns))


def _cluster_profile(result: ClusterResult, cluster: int, columns: list[str] | None) -> dict[str, Any]:

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
        vertical_spacing=60 / (190 * rows + 60 * (rows - 1)),
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
        190 * rows + 60 * (rows - 1) + 120,
        barmode="overlay",
        bargap=0.02,
        margin={"l": 50, "r": 20, "t": 90, "b": 30},
    )


def _cluster_histogram(result: ClusterResult, cluster: int, column: str) -> dict[str, Any]:
    from .figures import _clip_note

    effect = column_effects(result, cluster).get(column, 0.0)
    part = histogram_table(result, column)
    note = _clip_note(result, column)
    data = [
        bars(part, "All", "All rows", ALL_COLOUR, showlegend=False),
        bars(part, cluster, f"Cluster {cluster}", cluster_colour(cluster), showlegend=False),
    ]
    spec = style(
        {"data": data, "layout": {}},
        f"{readable_column(column)} ({signed_sd(effect)})",
        240 if note else 220,
        barmode="overlay",
        bargap=0.02,
        xaxis={"title": {"text": note, "font": {"size": 10}}} if note else {},
        yaxis={"ticksuffix": "%"},
        margin={"l": 44, "r": 12, "t": 40, "b": 44 if note else 28},
    )
    spec["layout"]["title"]["font"]["size"] = 13
    return spec


def cluster_histogram_spec(result: ClusterResult, cluster: int, column: str) -> dict[str, Any]:
    """:func:`cluster_histogram_figure` as a JSON-ready spec for a page (see :mod:`.spec`)."""
    return page_spec(_cluster_histogram(result, cluster, column))


def cluster_histogram_figure(result: ClusterResult, cluster: int, column: str) -> Any:
    """One small histogram of ``column``: the cluster (coloured) over all rows (grey), as % of each
    group's rows, titled by the column and the cluster's effect. report.html's cards show a few side
    by side, which wrap one under another on a phone."""
    return to_figure(_cluster_histogram(result, cluster, column))


def cluster_profile_spec(
    result: ClusterResult, cluster: int, columns: list[str] | None = None
) -> dict[str, Any]:
    """:func:`cluster_profile_figure` as a JSON-ready spec for a page (see :mod:`.spec`)."""
    return page_spec(_cluster_profile(result, cluster, columns))


def cluster_profile_figure(result: ClusterResult, cluster: int, columns: list[str] | None = None) -> Any:
    """Small histograms of a cluster's most distinguishing numeric columns, each over the whole data."""
    return to_figure(_cluster_profile(result, cluster, columns))


PIE_LEVELS = 7  # values a pie shows on their own; rarer ones are one grey "other" slice
PIE_MIN_SHARE = 0.03  # a value under this share in the cluster and in all rows joins "other"
PIE_LABEL_SHARE = 0.08  # slices at least this large carry their value's name and share
PIE_OUTSIDE_SHARE = 0.02  # smaller slices down to this share have their share beside the pie


def _pie_levels(part: Any, cluster: int) -> tuple[list[str], dict[str, str]]:
    """The values a column's pies show on their own (commonest first), and the slice each value
    is drawn in: its own, or "other (N values)" for the rare ones."""
    from ..core.profiles import ALL, OTHER_LEVELS

    groups = part["Cluster"].astype(str)
    mine = part[groups == str(cluster)].set_index(part.loc[groups == str(cluster), "level"].astype(str))
    whole = part[groups == ALL].set_index(part.loc[groups == ALL, "level"].astype(str))
    levels = list(dict.fromkeys(part["level"].astype(str)))
    share = {lv: max(float(mine["share"].get(lv, 0.0)), float(whole["share"].get(lv, 0.0))) for lv in levels}
    ranked = sorted((lv for lv in levels if lv != OTHER_LEVELS), key=lambda lv: -share[lv])
    kept = [lv for lv in ranked if share[lv] >= PIE_MIN_SHARE][:PIE_LEVELS]
    if len(kept) == len(levels) - 1 and OTHER_LEVELS not in levels:
        kept = ranked[:PIE_LEVELS]  # a single rare value needs no "other" slice of its own
    rest = [lv for lv in levels if lv not in kept]
    other = f"other ({len(rest)} values)" if len(rest) > 1 else (rest[0] if rest else "")
    if len(rest) == 1 and rest[0] == OTHER_LEVELS:
        other = "other values"
    return kept, {lv: (lv if lv in kept else other) for lv in levels}


def _pie_pair(
    result: ClusterResult, cluster: int, column: str, x: tuple[float, float], legend: str
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Two pies of one column side by side, the cluster's and all rows', the same size and the same
    colour per value (neutral colours, never a cluster's); each big slice says its value and share
    (whole percents), small values are one "other" slice. Their values share one legend."""
    from ..core.formatting import format_share
    from ..core.profiles import ALL

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
        sub = part[part["Cluster"].astype(str) == str(group)]
        counts = dict.fromkeys(names, 0)
        members: dict[str, list[str]] = {name: [] for name in names}
        for level, count in zip(sub["level"].astype(str), sub["count"], strict=True):
            name = slice_of.get(level, level)
            counts[name] = counts.get(name, 0) + int(count)
            if int(count):
                members.setdefault(name, []).append(level)
        total = max(sum(counts.values()), 1)
        shown = [n for n in names if counts[n] > 0]
        shares = [counts[n] / total for n in shown]
        data.append(
            {
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
                    + (
                        f": {', '.join(members[n][:6])}{'…' if len(members[n]) > 6 else ''}"
                        if n not in kept
                        else ""
                    )
                    for n, sh in zip(shown, shares, strict=True)
                ],
                "textinfo": "text",
                # Big slices name their value inside; small ones give their share beside the pie
                # (the legend names them), the smallest only on hover.
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
                "name": f"{readable_column(column)} · {heading.lower()}",
                "hovertemplate": "%{label}: %{customdata}<extra>%{fullData.name}</extra>",
            }
        )
        annotations.append(
            {
                "x": (domain[0] + domain[1]) / 2,
                "y": 0.9,
                "xref": "paper",
                "yref": "paper",
                "xanchor": "center",
                "yanchor": "bottom",
                "showarrow": False,
                "text": heading,
                "font": {"size": 12, "color": cluster_colour(cluster) if group != ALL else "#5d6675"},
            }
        )
    return data, annotations


def _legend_rows(names: list[str], width: float = 330) -> int:
    """Lines a horizontal legend of ``names`` takes in ``width`` px (about 6.5 px a character)."""
    rows, used = 1, 0.0
    for name in names:
        item = 40 + 6.5 * len(name)
        if used and used + item > width:
            rows, used = rows + 1, 0.0
        used += item
    return rows


def _category_pies(result: ClusterResult, cluster: int, columns: list[str] | None) -> dict[str, Any]:
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
        rows = _legend_rows(names)
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


def category_pies_spec(
    result: ClusterResult, cluster: int, columns: list[str] | None = None
) -> dict[str, Any]:
    """:func:`category_pies_figure` as a JSON-ready spec for a page (see :mod:`.spec`)."""
    return page_spec(_category_pies(result, cluster, columns))


def category_pies_figure(result: ClusterResult, cluster: int, columns: list[str] | None = None) -> Any:
    """Pie charts of a cluster's most distinguishing category columns (at most three): for each column
    the cluster's shares and, beside it, the whole data's, the same size and in the same neutral
    colours per value, with one legend of the column's values; big slices name their value and share,
    values under 3% in both are one "other" slice. With one column the pair fills the figure and the
    column is its title (the web's cards, the report's)."""
    return to_figure(_category_pies(result, cluster, columns))
