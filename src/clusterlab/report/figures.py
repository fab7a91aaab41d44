"""Plotly figures of a :class:`~clusterlab.core.result.ClusterResult`.

One function per chart, each returning a ``plotly.graph_objects.Figure`` with a title and axis
labels. report.html, ``result.plot_*()`` in notebooks and the web app all draw from here, so a chart
looks the same everywhere. Plotly is an optional extra (``pip install clusterlab[report]``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from ..core.result import ClusterResult

__all__ = [
    "category_profile_figure",
    "cluster_map_figure",
    "cluster_sizes_figure",
    "k_selection_figure",
    "numeric_profile_figure",
]

MAP_MAX_POINTS = 5000  # a scatter of more points is slow in a browser and no clearer


def _go() -> Any:
    try:
        import plotly.graph_objects as go
    except ImportError:
        raise ImportError("Charts need Plotly; run `pip install clusterlab[report]`.") from None
    return go


def _colour(cluster: int) -> str:
    palette = [
        "#4C78A8",
        "#F58518",
        "#54A24B",
        "#E45756",
        "#72B7B2",
        "#EECA3B",
        "#B279A2",
        "#FF9DA6",
        "#9D755D",
        "#BAB0AC",
    ]
    return palette[(int(cluster) - 1) % len(palette)]


def k_selection_figure(result: ClusterResult) -> Any:
    """Every criterion over k, with the recommended k marked."""
    go = _go()
    from plotly.subplots import make_subplots

    from ..core.criteria import CRITERIA

    table = result.k_scores
    shown = [c for c in CRITERIA.values() if c.name in table.columns]
    fig = make_subplots(
        rows=1,
        cols=len(shown) + 1,
        subplot_titles=[*(f"{c.title} ({c.better} is better)" for c in shown), "Fit time"],
    )
    for i, criterion in enumerate(shown, start=1):
        fig.add_trace(
            go.Scatter(
                x=table["k"],
                y=table[criterion.name],
                mode="lines+markers",
                name=criterion.title,
                showlegend=False,
            ),
            row=1,
            col=i,
        )
    fig.add_trace(
        go.Bar(x=table["k"], y=table["fit_seconds"], name="Fit seconds", showlegend=False),
        row=1,
        col=len(shown) + 1,
    )
    for i in range(1, len(shown) + 2):
        fig.add_vline(x=result.recommended_k, line_dash="dot", line_color="#888", row=1, col=i)
        fig.update_xaxes(title_text="k (clusters)", row=1, col=i, dtick=1)
    fig.update_yaxes(title_text="seconds", row=1, col=len(shown) + 1)
    fig.update_layout(
        title=f"Choosing k: recommended {result.recommended_k} "
        f"({result.recommendation.confidence} confidence)",
        height=330,
    )
    return fig


def cluster_map_figure(result: ClusterResult, max_points: int = MAP_MAX_POINTS) -> Any:
    """Rows on the first two principal components, coloured by cluster, with the centres."""
    go = _go()
    embedding = np.asarray(result.model.embedding_)
    if embedding.shape[1] < 2:
        embedding = np.column_stack([embedding[:, 0], np.zeros(len(embedding))])
    rows = np.flatnonzero(result.clusters > 0)
    if len(rows) > max_points:
        rows = np.sort(np.random.default_rng(0).choice(rows, max_points, replace=False))
    fig = go.Figure()
    for cluster in sorted(set(result.clusters[rows].tolist())):
        members = rows[result.clusters[rows] == cluster]
        fig.add_trace(
            go.Scattergl(
                x=embedding[members, 0],
                y=embedding[members, 1],
                mode="markers",
                name=f"Cluster {cluster}",
                marker={"size": 5, "opacity": 0.6, "color": _colour(cluster)},
            )
        )
    centres = result.model.cluster_centers_
    if centres.shape[1] >= 2:
        fig.add_trace(
            go.Scatter(
                x=centres[:, 0],
                y=centres[:, 1],
                mode="markers+text",
                name="Centres",
                text=[str(i + 1) for i in range(len(centres))],
                textposition="top center",
                marker={"symbol": "x", "size": 12, "color": "black"},
            )
        )
    shown = (
        f" ({len(rows)} of {int((result.clusters > 0).sum())} rows shown)"
        if len(rows) < (result.clusters > 0).sum()
        else ""
    )
    fig.update_layout(
        title=f"Map of the rows{shown}", xaxis_title="Component 1", yaxis_title="Component 2", height=480
    )
    return fig


def cluster_sizes_figure(result: ClusterResult) -> Any:
    go = _go()
    sizes = result.profiles.sizes
    fig = go.Figure(
        go.Bar(
            x=[f"Cluster {c}" for c in sizes["Cluster"]],
            y=sizes["rows"],
            marker_color=[_colour(c) for c in sizes["Cluster"]],
            text=[f"{s:.0%}" for s in sizes["share"]],
            textposition="outside",
        )
    )
    fig.update_layout(title="Cluster sizes", xaxis_title="Cluster", yaxis_title="Rows", height=320)
    return fig


def numeric_profile_figure(result: ClusterResult, column: str, cluster: int | None = None) -> Any:
    """Histogram of a numeric column: one cluster (or every cluster) against the whole data."""
    go = _go()
    from ..core.roles import numeric_values

    info = result.roles[column]
    values = pd.Series(numeric_values(result.table.frame[column], info))
    fig = go.Figure()
    fig.add_trace(
        go.Histogram(x=values, name="All rows", histnorm="percent", marker_color="#BBBBBB", opacity=0.6)
    )
    clusters = (
        [cluster] if cluster is not None else sorted(set(result.clusters[result.clusters > 0].tolist()))
    )
    for c in clusters:
        fig.add_trace(
            go.Histogram(
                x=values[result.clusters == c],
                name=f"Cluster {c}",
                histnorm="percent",
                marker_color=_colour(c),
                opacity=0.6,
            )
        )
    fig.update_layout(
        barmode="overlay", title=f"{column}", xaxis_title=column, yaxis_title="% of rows", height=300
    )
    return fig


def category_profile_figure(result: ClusterResult, column: str, cluster: int | None = None) -> Any:
    """Shares of a category column's values: one cluster (or each cluster) beside the whole data."""
    go = _go()
    from ..core.profiles import ALL

    shares = result.profiles.categories
    shares = shares[shares["column"] == column]
    groups = (
        [ALL, cluster]
        if cluster is not None
        else [ALL, *sorted(c for c in shares["Cluster"].unique() if c != ALL)]
    )
    fig = go.Figure()
    for group in groups:
        part = shares[shares["Cluster"] == group]
        fig.add_trace(
            go.Bar(
                x=part["level"],
                y=part["share"] * 100,
                name="All rows" if group == ALL else f"Cluster {group}",
                marker_color="#BBBBBB" if group == ALL else _colour(int(str(group))),
            )
        )
    fig.update_layout(
        barmode="group", title=f"{column}", xaxis_title=column, yaxis_title="% of rows", height=300
    )
    return fig
