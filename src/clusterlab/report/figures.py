"""Plotly charts of a :class:`~clusterlab.core.result.ClusterResult`.

Two functions per chart, both with a title and axis labels: ``*_figure`` returns a
``plotly.graph_objects.Figure`` (notebooks, ``result.plot_*()``), ``*_spec`` the same chart as a
JSON-ready ``{"data", "layout"}`` spec for a page (report.html, the web app), built as plain dicts
without Plotly's validation (see :mod:`.spec`). Both draw from one builder, so a chart looks the same
everywhere. Plotly is an optional extra (``pip install clusterlab[report]``).

The charts of single clusters (report cards) and the cluster x column heatmap are in
:mod:`.cluster_figures`, the charts of choosing k (the grid and one small chart per criterion) in
:mod:`.selection_figures`; all are importable from here. Colours and layout are in :mod:`.theme`.

Every chart is sized by the number of clusters and columns, never by the number of rows: histograms
draw the binned counts of :attr:`Profiles.histograms` and the map draws a sample of at most
``max_points`` rows, so a million-row result charts as fast as a small one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..core.description import readable_column
from ..core.formatting import format_share
from .selection_figures import (
    criterion_figure,
    criterion_figures,
    criterion_spec,
    criterion_specs,
    k_selection_figure,
    k_selection_spec,
)
from .spec import Grid, page_spec, to_figure
from .theme import (
    ALL_COLOUR,
    PALETTE,
    cluster_colour,
    cluster_label,
    cluster_names,
    level_colour,
    level_text_colour,
    shorten,
    style,
)

if TYPE_CHECKING:
    from ..core.result import ClusterResult

__all__ = [
    "MAP_MAX_POINTS",
    "PALETTE",
    "category_profile_figure",
    "category_profile_spec",
    "cluster_colour",
    "cluster_map_figure",
    "cluster_map_spec",
    "cluster_sizes_figure",
    "cluster_sizes_spec",
    "criterion_figure",
    "criterion_figures",
    "criterion_spec",
    "criterion_specs",
    "k_selection_figure",
    "k_selection_spec",
    "numeric_profile_figure",
    "numeric_profile_spec",
]

MAP_MAX_POINTS = 5000  # a scatter of more points is slow in a browser and no clearer
MAP_MIN_PER_CLUSTER = 50  # a small cluster keeps this many points in a sampled map, so it stays visible
_CLUSTER_FIGURES = (
    "category_pies_figure",
    "category_pies_spec",
    "cluster_profile_figure",
    "cluster_profile_spec",
    "effect_heatmap_figure",
    "effect_heatmap_spec",
)


def __getattr__(name: str) -> Any:
    # The per-cluster charts live in cluster_figures.py (which builds on this module); they stay
    # reachable here too, so one import serves every chart.
    if name in _CLUSTER_FIGURES:
        from . import cluster_figures

        return getattr(cluster_figures, name)
    raise AttributeError(name)


# --- map ----------------------------------------------------------------------------------------------
def _map_rows(clusters: np.ndarray, max_points: int, seed: int = 0) -> np.ndarray:
    """A seeded sample of clustered rows: proportional to cluster size, but at least
    ``MAP_MIN_PER_CLUSTER`` rows of every cluster (or all of it), so small clusters stay visible."""
    rows = np.flatnonzero(clusters > 0)
    if len(rows) <= max_points:
        return rows
    rng = np.random.default_rng(seed)
    picked = []
    for c in np.unique(clusters[rows]):
        members = rows[clusters[rows] == c]
        want = max(min(len(members), MAP_MIN_PER_CLUSTER), round(max_points * len(members) / len(rows)))
        picked.append(rng.choice(members, min(want, len(members)), replace=False))
    return np.sort(np.concatenate(picked))


def _projection(result: ClusterResult, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """2-D coordinates of ``rows`` and of the centres, and the axis titles.

    The clustering space ends with PCA, so its first two columns are already the two main
    directions; when PCA was turned off, a PCA of the shown rows is computed here for the picture."""
    embedding = np.asarray(result.model.embedding_)
    centres = np.asarray(result.model.cluster_centers_)
    points = embedding[rows]
    reduce = result.model.preprocessor_.pipeline_.named_steps.get("reduce")
    if reduce is not None and embedding.shape[1] >= 2:
        ratio = np.asarray(getattr(reduce, "explained_variance_ratio_", []), dtype=float)
        titles = [
            f"Component {i + 1}" + (f" ({ratio[i]:.0%} of the variance)" if len(ratio) > i else "")
            for i in range(2)
        ]
        return points[:, :2], centres[:, :2], titles
    if embedding.shape[1] < 2:
        pad = np.zeros((len(points), 1))
        return (
            np.hstack([points[:, :1], pad]),
            np.hstack([centres[:, :1], np.zeros((len(centres), 1))]),
            [
                "Component 1",
                "(only one dimension)",
            ],
        )
    mean = points.mean(axis=0)
    _, s, vt = np.linalg.svd(points - mean, full_matrices=False)
    share = s**2 / max(float(np.sum(s**2)), 1e-12)
    titles = [f"Component {i + 1} ({share[i]:.0%} of the variance)" for i in range(2)]
    return (points - mean) @ vt[:2].T, (centres - mean) @ vt[:2].T, titles


def _cluster_map(result: ClusterResult, max_points: int) -> dict[str, Any]:
    clusters = np.asarray(result.clusters)
    rows = _map_rows(clusters, max_points)
    xy, centres, titles = _projection(result, rows)
    names = cluster_names(result)
    flags = _outlier_flags(result)
    data: list[dict[str, Any]] = []
    size = 8 if len(rows) <= 500 else 6 if len(rows) <= 2000 else 4
    for cluster in sorted(set(clusters[rows].tolist())):
        mask = clusters[rows] == cluster
        outlier = flags[rows] if flags is not None else np.zeros(len(rows), dtype=bool)
        # Outliers in their own trace (same legend entry), so the legend shows the cluster's marker.
        for part, is_outlier in ((mask & ~outlier, False), (mask & outlier, True)):
            if not part.any():
                continue
            data.append(
                {
                    "type": "scattergl",
                    "x": xy[part, 0],
                    "y": xy[part, 1],
                    "mode": "markers",
                    "name": cluster_label(cluster, names),
                    "legendgroup": str(cluster),
                    "showlegend": not is_outlier or not (mask & ~outlier).any(),
                    "customdata": rows[part] + 1,
                    "hovertemplate": f"Row %{{customdata}} · cluster {cluster}"
                    + (" · outlier" if is_outlier else "")
                    + "<extra></extra>",
                    "marker": {
                        "size": size + 3 if is_outlier else size,
                        "opacity": 0.9 if is_outlier else 0.65,
                        "color": cluster_colour(cluster),
                        "symbol": "circle-open" if is_outlier else "circle",
                        "line": {"width": 1.5 if is_outlier else 0, "color": cluster_colour(cluster)},
                    },
                }
            )
    data.append(
        {
            "type": "scatter",
            "x": centres[:, 0],
            "y": centres[:, 1],
            "mode": "markers+text",
            "name": "Centres",
            "text": [str(i + 1) for i in range(len(centres))],
            "textposition": "middle center",
            "textfont": {"color": "white", "size": 11},
            "marker": {
                "symbol": "circle",
                "size": 22,
                "color": [cluster_colour(i + 1) for i in range(len(centres))],
                "line": {"color": "black", "width": 2},
            },
            "hovertemplate": "Centre of cluster %{text}<extra></extra>",
        }
    )
    n_clustered = int((clusters > 0).sum())
    shown = f" ({len(rows):,} of {n_clustered:,} rows shown)" if len(rows) < n_clustered else ""
    spec = style(
        {"data": data, "layout": {}},
        f"Map of the rows{shown}: nearby points are similar; open circles are outliers",
        520,
        xaxis={"title": {"text": titles[0]}},
        yaxis={"title": {"text": titles[1]}},
        legend={"orientation": "v", "x": 1.02, "y": 1, "xanchor": "left", "yanchor": "top"},
    )
    # On a phone the legend goes under the plot, one cluster a line, so the plot keeps the width.
    entries = [t["name"] for t in data if t.get("showlegend", True)]
    spec["narrow"] = {"layout": _legend_below(entries, 400, spec["layout"]["margin"])}
    return spec


def _legend_below(names: list[str], plot: int, margin: dict[str, Any], width: float = 340) -> dict[str, Any]:
    """The layout patch that puts a chart's legend under it on a phone: the legend at the bottom
    of the chart, the bottom margin and the height grown by its lines (``plot`` px stay for the
    plot itself), the side margins narrowed."""
    from .cluster_figures import _legend_rows

    lines = _legend_rows(names, width) if names else 0
    bottom = int(margin.get("b", 50)) + 22 * lines + 8
    return {
        "legend": {
            "orientation": "h",
            "x": 0,
            "xanchor": "left",
            "y": 0,
            "yref": "container",
            "yanchor": "bottom",
        },
        "margin": {"l": min(int(margin.get("l", 60)), 50), "r": 10, "b": bottom},
        "height": plot + int(margin.get("t", 60)) + bottom,
    }


def cluster_map_spec(result: ClusterResult, max_points: int = MAP_MAX_POINTS) -> dict[str, Any]:
    """:func:`cluster_map_figure` as a JSON-ready spec for a page (see :mod:`.spec`)."""
    return page_spec(_cluster_map(result, max_points))


def cluster_map_figure(result: ClusterResult, max_points: int = MAP_MAX_POINTS) -> Any:
    """Rows on the first two principal components, coloured by cluster, with the centres.

    At most ``max_points`` rows are drawn (a seeded sample that keeps every cluster visible);
    outliers are drawn as open circles."""
    return to_figure(_cluster_map(result, max_points))


def _outlier_flags(result: ClusterResult) -> np.ndarray | None:
    try:
        return np.asarray(result.outliers.flag)
    except AttributeError:
        return None


# --- sizes ------------------------------------------------------------------------------------------
def _cluster_sizes(result: ClusterResult) -> dict[str, Any]:
    sizes = result.profiles.sizes
    names = cluster_names(result)
    bar = {
        "type": "bar",
        "x": [f"Cluster {c}" for c in sizes["Cluster"]],
        "y": sizes["rows"].to_numpy(),
        "marker": {"color": [cluster_colour(c) for c in sizes["Cluster"]]},
        "text": [format_share(float(s)) for s in sizes["share"]],
        "textposition": "outside",
        "customdata": [names.get(int(c), "") for c in sizes["Cluster"]],
        "hovertemplate": "%{x}: %{y:,} rows<br>%{customdata}<extra></extra>",
    }
    top = float(sizes["rows"].max()) * 1.15 if len(sizes) else 1
    return style(
        {"data": [bar], "layout": {"yaxis": {"range": [0, top]}}},
        "Cluster sizes",
        320,
        xaxis={"title": {"text": "Cluster"}},
        yaxis={"title": {"text": "Rows"}},
    )


def cluster_sizes_spec(result: ClusterResult) -> dict[str, Any]:
    """:func:`cluster_sizes_figure` as a JSON-ready spec for a page (see :mod:`.spec`)."""
    return page_spec(_cluster_sizes(result))


def cluster_sizes_figure(result: ClusterResult) -> Any:
    """Rows per cluster, with each cluster's share of the rows."""
    return to_figure(_cluster_sizes(result))


# --- one column ---------------------------------------------------------------------------------------
def histogram_table(result: ClusterResult, column: str) -> pd.DataFrame:
    """The binned counts of ``column`` (rows of :attr:`Profiles.histograms`): Cluster ("All" or the
    number), bin, left, right, count, share."""
    hist = result.profiles.histograms
    part = hist[hist["column"] == column] if len(hist) else hist
    if len(part):
        return part
    # A Profiles built without histograms (older code paths): bin now, the same way.
    from ..core.profiles import histogram_edges, robust_range
    from ..core.roles import numeric_values

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


def _clip_note(result: ClusterResult, column: str) -> str:
    from ..core.formatting import format_number

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


def _numeric_profile(result: ClusterResult, column: str, cluster: int | None) -> dict[str, Any]:
    part = histogram_table(result, column)
    names = cluster_names(result)
    note = _clip_note(result, column)
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


def numeric_profile_spec(result: ClusterResult, column: str, cluster: int | None = None) -> dict[str, Any]:
    """:func:`numeric_profile_figure` as a JSON-ready spec for a page (see :mod:`.spec`)."""
    return page_spec(_numeric_profile(result, column, cluster))


def numeric_profile_figure(result: ClusterResult, column: str, cluster: int | None = None) -> Any:
    """Histogram of a numeric column: one cluster (or every cluster) against the whole data.

    Drawn from the binned counts in ``result.profiles.histograms`` (the same bins for every group),
    as the share of each group's rows, so groups of different sizes compare directly. With one
    cluster, its bars overlay the whole data's grey bars; with every cluster, one small histogram per
    cluster is stacked on a shared axis (a ridge of histograms), each over the grey whole."""
    return to_figure(_numeric_profile(result, column, cluster))


def _category_profile(result: ClusterResult, column: str, cluster: int | None) -> dict[str, Any]:
    from ..core.profiles import ALL

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
            xaxis={"title": {"text": readable_column(column)}},
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
    below = _legend_below([str(t["name"]) for t in data], 34 * len(groups) + 20, {"t": 60, "b": 50, "l": 50})
    spec["narrow"] = {"layout": below, "data": [{"y": numbers} for _ in data]}
    return spec


def category_profile_spec(result: ClusterResult, column: str, cluster: int | None = None) -> dict[str, Any]:
    """:func:`category_profile_figure` as a JSON-ready spec for a page (see :mod:`.spec`)."""
    return page_spec(_category_profile(result, column, cluster))


def category_profile_figure(result: ClusterResult, column: str, cluster: int | None = None) -> Any:
    """Shares of a category column's values: one cluster (or each cluster) beside the whole data.

    With one cluster: grouped bars, the cluster beside all rows. With every cluster: one 100% bar per
    cluster (and one for all rows), split by value, so the mix of each cluster reads at a glance."""
    return to_figure(_category_profile(result, column, cluster))
