"""Plotly charts of a :class:`~clusterlab.core.clustering.Clustering`.

Two functions per chart, both with a title and axis labels: ``*_figure`` returns a
``plotly.graph_objects.Figure`` (notebooks, ``result.plot_*()``), ``*_spec`` the same chart as a
JSON-ready ``{"data", "layout"}`` spec for a page (report.html, the web app), built as plain dicts
without Plotly's validation (see :mod:`.spec`). Both draw from one builder, so a chart looks the same
everywhere. Plotly is an optional extra (``pip install clusterlab[report]``).

This module holds the map and the sizes. The charts of single clusters (report cards) and the
cluster x column heatmap are in :mod:`.cluster_figures`, their category pies in :mod:`.pie_figures`,
the charts of one column across the clusters in :mod:`.column_figures`, the charts of choosing k
(the grid and one small chart per criterion) in :mod:`.selection_figures`; all are importable from
here. Colours and layout are in :mod:`.theme`.

Every chart is sized by the number of clusters and columns, never by the number of rows: histograms
draw the binned counts of :attr:`Profiles.histograms` and the map draws a sample of at most
``max_points`` rows, so a million-row result charts as fast as a small one.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...core.clustering import Clustering
from ...core.formatting import format_share
from ...core.methods.gmm import CLEAR_PROBABILITY
from . import cluster_figures
from .column_figures import (
    category_profile_figure,
    category_profile_spec,
    numeric_profile_figure,
    numeric_profile_spec,
)
from .selection_figures import (
    criterion_figure,
    criterion_figures,
    criterion_spec,
    criterion_specs,
    k_selection_figure,
    k_selection_spec,
)
from .spec import page_spec, to_figure
from .theme import (
    PALETTE,
    cluster_colour,
    cluster_label,
    cluster_names,
    legend_below,
    style,
)

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
    "projection",
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
        return getattr(cluster_figures, name)
    raise AttributeError(name)


# --- map ----------------------------------------------------------------------------------------------
def _map_rows(clusters: np.ndarray, max_points: int, seed: int = 0) -> np.ndarray:
    """A seeded sample of clustered rows: proportional to cluster size, but at least
    ``MAP_MIN_PER_CLUSTER`` rows of every cluster (or all of it), so small clusters stay visible."""
    rows = np.flatnonzero(clusters >= 0)  # the clusters and Noise (0); not rows left unclustered
    if len(rows) <= max_points:
        return rows
    rng = np.random.default_rng(seed)
    picked = []
    for c in np.unique(clusters[rows]):
        members = rows[clusters[rows] == c]
        want = max(min(len(members), MAP_MIN_PER_CLUSTER), round(max_points * len(members) / len(rows)))
        picked.append(rng.choice(members, min(want, len(members)), replace=False))
    return np.sort(np.concatenate(picked))


def projection(result: Clustering, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """2-D coordinates of ``rows`` and of the centres, and the axis titles.

    The clustering space ends with PCA, so its first two columns are already the two main
    directions; when PCA was turned off, a PCA of the shown rows is computed here for the picture."""
    embedding = np.asarray(result.embedding)
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


NOISE_COLOUR = "#9e9e9e"


def _noise_trace(xy: np.ndarray, rows: np.ndarray, size: int) -> dict[str, Any]:
    return {
        "type": "scatter",
        "x": xy[:, 0],
        "y": xy[:, 1],
        "mode": "markers",
        "name": "Noise",
        "legendgroup": "0",
        "customdata": rows + 1,
        "hovertemplate": "Row %{customdata} · Noise (in no cluster)<extra></extra>",
        "marker": {"size": max(size - 2, 3), "opacity": 0.6, "color": NOISE_COLOUR, "symbol": "x"},
    }


def _cluster_map(result: Clustering, max_points: int) -> dict[str, Any]:
    clusters = np.asarray(result.clusters)
    rows = _map_rows(clusters, max_points)
    xy, centres, titles = projection(result, rows)
    names = cluster_names(result)
    flags = _outlier_flags(result)
    membership = None if result.probabilities is None else np.asarray(result.probabilities, dtype=float)
    data: list[dict[str, Any]] = []
    size = 8 if len(rows) <= 500 else 6 if len(rows) <= 2000 else 4
    for cluster in sorted(set(clusters[rows].tolist()), key=lambda c: (c == 0, c)):
        mask = clusters[rows] == cluster
        if cluster == 0:  # Noise: rows a density method left in no cluster, small and grey, last
            data.append(_noise_trace(xy[mask], rows[mask], size))
            continue
        outlier = flags[rows] if flags is not None else np.zeros(len(rows), dtype=bool)
        # Outliers in their own trace (same legend entry), so the legend shows the cluster's marker.
        for part, is_outlier in ((mask & ~outlier, False), (mask & outlier, True)):
            if not part.any():
                continue
            data.append(
                _with_membership(
                    {
                        # SVG, not WebGL: at most MAP_MAX_POINTS markers draw fine, and a sandboxed page
                        # (report.html inside the app), a locked-down or a headless browser may have no WebGL.
                        "type": "scatter",
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
                    },
                    membership[rows[part]] if membership is not None else None,
                )
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
    n_clustered = int((clusters >= 0).sum())
    shown = f" ({len(rows):,} of {n_clustered:,} rows shown)" if len(rows) < n_clustered else ""
    unclear = membership is not None and bool((np.nan_to_num(membership, nan=1.0) < CLEAR_PROBABILITY).any())
    faint = "; faint points have no clear home" if unclear else ""
    spec = style(
        {"data": data, "layout": {}},
        f"Map of the rows{shown}: nearby points are similar; open circles are outliers{faint}",
        520,
        xaxis={"title": {"text": titles[0]}},
        yaxis={"title": {"text": titles[1]}},
        legend={"orientation": "v", "x": 1.02, "y": 1, "xanchor": "left", "yanchor": "top"},
    )
    # On a phone the legend goes under the plot, one cluster a line, so the plot keeps the width.
    entries = [t["name"] for t in data if t.get("showlegend", True)]
    spec["narrow"] = {"layout": legend_below(entries, 400, spec["layout"]["margin"])}
    return spec


def _with_membership(trace: dict[str, Any], probability: np.ndarray | None) -> dict[str, Any]:
    """A cluster's points with each row's membership of its cluster (mixtures): in the hover, and as
    the points' opacity, so rows without a clear home fade between the groups."""
    if probability is None:
        return trace
    p = np.nan_to_num(probability, nan=1.0)
    trace["customdata"] = np.column_stack([trace["customdata"], p])
    trace["hovertemplate"] = (
        trace["hovertemplate"]
        .replace("%{customdata}", "%{customdata[0]}")
        .replace("<extra>", " · membership %{customdata[1]:.0%}<extra>")
    )
    trace["marker"]["opacity"] = np.round(0.15 + 0.8 * p**2, 3)
    return trace


def cluster_map_spec(result: Clustering, max_points: int = MAP_MAX_POINTS) -> dict[str, Any]:
    """:func:`cluster_map_figure` as a JSON-ready spec for a page (see :mod:`.spec`)."""
    return page_spec(_cluster_map(result, max_points))


def cluster_map_figure(result: Clustering, max_points: int = MAP_MAX_POINTS) -> Any:
    """Rows on the first two principal components, coloured by cluster, with the centres.

    At most ``max_points`` rows are drawn (a seeded sample that keeps every cluster visible);
    outliers are drawn as open circles."""
    return to_figure(_cluster_map(result, max_points))


def _outlier_flags(result: Clustering) -> np.ndarray | None:
    try:
        return np.asarray(result.outliers.flag)
    except AttributeError:
        return None


# --- sizes ------------------------------------------------------------------------------------------
def _cluster_sizes(result: Clustering) -> dict[str, Any]:
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


def cluster_sizes_spec(result: Clustering) -> dict[str, Any]:
    """:func:`cluster_sizes_figure` as a JSON-ready spec for a page (see :mod:`.spec`)."""
    return page_spec(_cluster_sizes(result))


def cluster_sizes_figure(result: Clustering) -> Any:
    """Rows per cluster, with each cluster's share of the rows."""
    return to_figure(_cluster_sizes(result))
