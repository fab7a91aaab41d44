"""Charts of one cluster (the report's cluster cards) and of every cluster against every column
(the at-a-glance heatmap). Like :mod:`.figures`, each chart is a Plotly figure (``*_figure``) or a
JSON-ready spec for a page (``*_spec``), sized by clusters and columns, never by rows."""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ...core.clustering import Clustering
from ...core.explain.description import readable_column
from ...core.explain.effects import effect_matrix
from ...core.formatting import format_share
from ...outputs.number_formats import NumberFormat, column_formats
from .column_figures import bars, clip_note, histogram_table, signed_sd
from .pie_figures import category_pies_figure, category_pies_spec
from .spec import Grid, page_spec, to_figure
from .theme import (
    ALL_COLOUR,
    all_effects,
    cluster_colour,
    cluster_label,
    cluster_names,
    column_effects,
    distinct_labels,
    shorten,
    style,
    top_columns,
)

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
ROW_HEIGHT, BAR_HEIGHT = 44, 160  # px per cluster; the least room for the colour bar's scale
CELL_WIDTH = 12  # characters per line of a category's value in a cell
# Characters across a phone's row of cells (about 240 px at 9 px type): each cluster's cell gets its
# share of them, and a value cut below 4 characters says nothing, so then only its share is shown.
NARROW_CHARACTERS, FEWEST = 44, 4
CAPPED = "* far-out values capped before averaging"
NARROW_ROW = 36  # px per column on a phone: a value over its share


def heatmap_columns(result: Clustering, max_columns: int = HEATMAP_COLUMNS) -> tuple[list[str], int]:
    """The columns the heatmap shows and how many were profiled.

    With more than ``max_columns``, the ones with the largest effect for any cluster are kept (a
    cluster's strongest trait is never left out), clusters too small to be a group (at most 5 rows
    and under 2% of them) not counting; they are shown in the heatmap's order, the columns that
    separate the clusters most overall first (:func:`~clusterlab.core.explain.effects.effect_matrix`).
    """

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


def _effect_heatmap(result: Clustering, max_columns: int) -> dict[str, Any]:
    effects = all_effects(result)
    if effects.empty:
        return style({"data": [], "layout": {}}, "No profiled columns", 200)
    names = cluster_names(result)
    clusters = [int(c) for c in result.profiles.sizes["Cluster"]]
    columns, total = heatmap_columns(result, max_columns)
    cells = _fill_cells(effect_matrix(effects), clusters, columns, column_formats(result))
    # Columns by position, labelled apart: long names that share their start (exports often do)
    # would otherwise be shortened to one label, and Plotly would merge their cells into one.
    full = [readable_column(c) for c in columns]
    labels = [cluster_label(c, names, 30) for c in clusters]
    capped = any(str(t).endswith("*") for t in cells.text.ravel())  # a number cell only: a share ends in %
    layout, top, below = _wide_layout(full, total, capped)
    # Rows of at least 44 px, and room for the colour bar's scale with two or three clusters.
    row = max(ROW_HEIGHT, BAR_HEIGHT // len(clusters))
    spec = style(
        {"data": [_wide_trace(cells, labels, full)], "layout": layout},
        "What sets the clusters apart (red: higher or more often than overall; blue: lower or less often)",
        top + row * len(clusters) + below,
        margin={"l": 200, "r": 20, "t": top, "b": below},
    )
    spec["narrow"] = _narrow_variant(cells, clusters, full, top)
    return spec


def _wrapped(text: str, width: int, lines: int) -> list[str]:
    """``text`` in at most ``lines`` lines of ``width`` characters, broken at spaces, an ellipsis
    marking a cut.

    >>> _wrapped("Bachelor's degree or higher", 12, 2)
    ["Bachelor's", 'degree or h…']
    >>> _wrapped("Premium", 5, 1), _wrapped("In-Store", 5, 1), _wrapped("Self-Employed", 12, 2)
    (['Prem…'], ['In-S…'], ['Self-', 'Employed'])
    """
    parts = textwrap.wrap(text, width, break_long_words=True) or [""]
    if len(parts) <= lines:
        return parts
    rest = text.strip()  # what the kept lines leave, as written ("In-Store", not "In- Store")
    for line in parts[: lines - 1]:
        rest = rest[len(line) :].lstrip() if rest.startswith(line) else rest
    return [*parts[: lines - 1], shorten(rest, width)]


@dataclass
class _Cells:
    """The heatmap's cells, a row per cluster and a column per column shown: the effect in SD (NaN
    where a cluster has none), the text in the cell, a shorter text for the phone's narrow cells,
    and the hover's sentence."""

    z: np.ndarray
    text: np.ndarray
    short: np.ndarray
    hover: np.ndarray

    def customdata(self, full: list[str]) -> np.ndarray:
        """Per cell: the hover's sentence, the effect rounded for the hover, the column's full name."""
        names = np.tile(np.array(full, dtype=object), (len(self.z), 1))
        return np.dstack([self.hover, np.round(np.nan_to_num(self.z), 2), names])


def _fill_cells(
    best: pd.DataFrame, clusters: list[int], columns: list[str], formats: dict[str, NumberFormat]
) -> _Cells:
    """The cells of ``columns`` from the effect matrix (one row per cluster and column): a number
    column shows the cluster's average, a category its most telling level over its share (the
    level in two lines of the wide chart's cells, in one of a phone's, cut to the cell's width, or
    left to the hover when too many clusters share the phone's width)."""
    position = {c: j for j, c in enumerate(columns)}
    narrow = min(CELL_WIDTH, NARROW_CHARACTERS // max(len(clusters), 1))  # a phone's cell: a cluster's width
    z = np.full((len(clusters), len(columns)), np.nan)
    cells = _Cells(z, *(np.full(z.shape, "", dtype=object) for _ in range(3)))
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
            cells.text[i, j] = cells.short[i, j] = value + ("*" if capped else "")
            cells.hover[i, j] = (
                f"average {value} vs {show(r.overall_value) if show else r.overall_value} overall"
                + (f"<br>* {capped} far-out value(s) capped before averaging" if capped else "")
            )
        else:  # the level over its share, wrapped rather than cut ("Bac… 33%" said nothing)
            share = format_share(r.cluster_value)
            cells.text[i, j] = "<br>".join([*_wrapped(str(r.level), CELL_WIDTH, 2), share])
            level = _wrapped(str(r.level), narrow, 1) if narrow >= FEWEST else []  # the hover names it
            cells.short[i, j] = "<br>".join([*level, share])
            cells.hover[i, j] = (
                f"'{r.level}': {format_share(r.cluster_value)} vs {format_share(r.overall_value)} overall"
            )
    return cells


def _wide_trace(cells: _Cells, labels: list[str], full: list[str]) -> dict[str, Any]:
    """The heatmap trace: a row per cluster, a column per column, colour capped at 2.5 SD either way."""
    return {
        "type": "heatmap",
        "z": np.clip(cells.z, -2.5, 2.5),
        "x": list(range(len(full))),
        "y": labels,
        "text": cells.text,
        "customdata": cells.customdata(full),
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


def _wide_layout(full: list[str], total: int, capped: bool = False) -> tuple[dict[str, Any], int, int]:
    """The axes (column names under the cells, tilted when there are many), the room above the
    cells (more with a subtitle: "N of M columns", and what a "*" means when a cell has one) and
    below them."""
    ticks = distinct_labels(full, 26)
    angle = -35 if len(full) > 6 else 0
    # Room for the column names under the cells (tilted, they need about half their length), so
    # the chart ends where its labels do.
    longest = max((len(t) for t in ticks), default=4)
    below = 10 + (int(longest * 5.6 * 0.6) if angle else 16)
    axes: dict[str, Any] = {
        "xaxis": {
            "tickmode": "array",
            "tickvals": list(range(len(full))),
            "ticktext": ticks,
            "tickangle": angle,
            "side": "bottom",
            "automargin": True,
        },
        "yaxis": {"autorange": "reversed", "automargin": True},
    }
    top = 60
    notes = [f"{len(full)} of {total} columns, the most distinguishing"] * (len(full) < total)
    notes += [CAPPED] * capped  # said, not only in the hover
    if notes:
        axes["title"] = {"subtitle": {"text": " · ".join(notes), "font": {"size": 12}}}
        top = 76
    return axes, top, below


def _narrow_variant(cells: _Cells, clusters: list[int], full: list[str], top: int) -> dict[str, Any]:
    """On a phone the heatmap turns: columns down the side (a readable name each), one narrow column
    of cells per cluster (numbered; the cards above name them), the colour bar underneath."""
    rows = len(full)
    return {
        "data": [
            {
                "z": np.clip(cells.z, -2.5, 2.5).T,
                "x": [str(c) for c in clusters],
                "y": list(range(rows)),
                "text": cells.short.T,
                "customdata": np.transpose(cells.customdata(full), (1, 0, 2)),
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
            "height": top + NARROW_ROW * rows + 90,
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


def effect_heatmap_spec(result: Clustering, max_columns: int = HEATMAP_COLUMNS) -> dict[str, Any]:
    """:func:`effect_heatmap_figure` as a JSON-ready spec for a page (see :mod:`.spec`), with a
    ``narrow`` variant for a phone: transposed, a row per column."""
    return page_spec(_effect_heatmap(result, max_columns))


def effect_heatmap_figure(result: Clustering, max_columns: int = HEATMAP_COLUMNS) -> Any:
    """Clusters (rows) against columns: colour is the effect size in SD (red higher / more often,
    blue lower / less often); the text is the cluster's average, or its most telling level's share.
    Of more than ``max_columns`` columns, the most distinguishing are shown (:func:`heatmap_columns`)
    and the subtitle says how many of how many."""
    return to_figure(_effect_heatmap(result, max_columns))


def _cluster_profile(result: Clustering, cluster: int, columns: list[str] | None) -> dict[str, Any]:

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


def _cluster_histogram(result: Clustering, cluster: int, column: str) -> dict[str, Any]:
    effect = column_effects(result, cluster).get(column, 0.0)
    part = histogram_table(result, column)
    note = clip_note(result, column)
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


def cluster_histogram_spec(result: Clustering, cluster: int, column: str) -> dict[str, Any]:
    """:func:`cluster_histogram_figure` as a JSON-ready spec for a page (see :mod:`.spec`)."""
    return page_spec(_cluster_histogram(result, cluster, column))


def cluster_histogram_figure(result: Clustering, cluster: int, column: str) -> Any:
    """One small histogram of ``column``: the cluster (coloured) over all rows (grey), as % of each
    group's rows, titled by the column and the cluster's effect. report.html's cards show a few side
    by side, which wrap one under another on a phone."""
    return to_figure(_cluster_histogram(result, cluster, column))


def cluster_profile_spec(
    result: Clustering, cluster: int, columns: list[str] | None = None
) -> dict[str, Any]:
    """:func:`cluster_profile_figure` as a JSON-ready spec for a page (see :mod:`.spec`)."""
    return page_spec(_cluster_profile(result, cluster, columns))


def cluster_profile_figure(result: Clustering, cluster: int, columns: list[str] | None = None) -> Any:
    """Small histograms of a cluster's most distinguishing numeric columns, each over the whole data."""
    return to_figure(_cluster_profile(result, cluster, columns))
