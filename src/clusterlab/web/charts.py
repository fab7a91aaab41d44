"""Charts for the web pages, as small JSON specs that the page draws with the local plotly.min.js.

The shared figures of :mod:`clusterlab.report.figures` give the cluster sizes and the map. This module
adds what the pages need beyond them (moved to ``report.figures`` once that settles):

- one small chart per k criterion (a single row of five subplots is unreadable on a phone; small
  multiples wrap),
- histograms binned here with numpy, so a chart of a million-row column is 30 bars, not a million
  numbers in the page,
- a pair of pies (one cluster beside all rows) for a category column.

Every spec drops Plotly's default template (about 10 kB per chart); the page applies one small
house style to all charts instead.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "GREY",
    "colour",
    "criterion_figure",
    "figure_spec",
    "fit_time_figure",
    "histogram_figure",
    "pie_pair_figure",
    "short_label",
    "wrap_title",
]

GREY = "#9AA3AE"
_PALETTE = (
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
)
_LEVEL_PALETTE = (
    "#5B8FF9",
    "#F6BD16",
    "#5AD8A6",
    "#E8684A",
    "#6DC8EC",
    "#9270CA",
    "#FF9D4D",
    "#269A99",
    "#FF99C3",
    "#5D7092",
)


def colour(cluster: int) -> str:
    """The colour of cluster ``cluster`` (1-based), the same as in the shared figures."""
    try:  # one palette for report.html and the web app while report.figures owns it
        from ..report.figures import _colour

        return str(_colour(cluster))
    except ImportError:  # pragma: no cover - only if report.figures renames its helper
        return _PALETTE[(int(cluster) - 1) % len(_PALETTE)]


def figure_spec(fig: Any, height: int | None = None) -> dict[str, Any]:
    """A Plotly figure as a JSON-ready ``{"data", "layout"}`` without the bulky default template."""
    spec = json.loads(fig.to_json())
    layout = spec.get("layout", {})
    layout.pop("template", None)
    layout.pop("width", None)
    if height is not None:
        layout["height"] = height
    return {"data": spec.get("data", []), "layout": layout}


def wrap_title(text: str, width: int = 40, lines: int = 2) -> str:
    """Break a long title into at most ``lines`` lines of about ``width`` characters (Plotly never
    wraps titles; column names like 'Average monthly spend on ... (EUR)' would run off the chart)."""
    import textwrap

    parts = textwrap.wrap(str(text), width=width, break_long_words=True) or [""]
    if len(parts) > lines:
        parts = parts[:lines]
        parts[-1] = parts[-1][: width - 1].rstrip() + "…"
    return "<br>".join(parts)


def short_label(text: str, width: int = 42) -> str:
    """An axis title cut to one line: 'Average monthly spend on product categ…'."""
    text = str(text)
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _titled(fig: Any, title: str) -> Any:
    wrapped = wrap_title(title)
    fig.update_layout(title={"text": wrapped}, margin={"t": 72 if "<br>" in wrapped else 52})
    return fig


def _go() -> Any:
    import plotly.graph_objects as go

    return go


def _axis_title(text: str) -> dict[str, Any]:
    return {"title": {"text": text}}


def criterion_figure(
    table: pd.DataFrame, name: str, title: str, better: str, recommended_k: int, elbow: int | None = None
) -> Any:
    """One criterion over k, the recommended k marked (and the elbow, on the inertia curve)."""
    go = _go()
    ks = table["k"].astype(int).tolist()
    values = pd.to_numeric(table[name], errors="coerce")
    fig = go.Figure(
        go.Scatter(
            x=ks,
            y=values,
            mode="lines+markers",
            name=title,
            line={"color": "#4C78A8", "width": 2},
            marker={
                "size": [11 if k == recommended_k else 7 for k in ks],
                "color": ["#E45756" if k == recommended_k else "#4C78A8" for k in ks],
            },
            hovertemplate="k = %{x}<br>" + title + " = %{y:.4g}<extra></extra>",
        )
    )
    way = {"higher": "higher is better", "lower": "lower is better"}.get(better, "look for the bend")
    fig.update_layout(
        title={"text": f"{title} <span style='font-size:12px;color:#5b6472'>({way})</span>"},
        xaxis={**_axis_title("k (number of clusters)"), "dtick": 1},
        yaxis=_axis_title(title),
        showlegend=False,
    )
    fig.add_vline(x=recommended_k, line_dash="dot", line_color="#E45756")
    if elbow is not None and elbow in ks:
        fig.add_annotation(
            x=elbow,
            y=float(values[ks.index(elbow)]),
            text="elbow",
            showarrow=True,
            arrowhead=2,
            ax=28,
            ay=-28,
            font={"size": 11, "color": "#3d4656"},
        )
    return fig


def fit_time_figure(table: pd.DataFrame, recommended_k: int) -> Any:
    """Seconds each k took to fit during the sweep."""
    go = _go()
    ks = table["k"].astype(int).tolist()
    fig = go.Figure(
        go.Bar(
            x=ks,
            y=table["fit_seconds"],
            marker_color=["#E45756" if k == recommended_k else "#72B7B2" for k in ks],
            hovertemplate="k = %{x}<br>%{y:.2f} s<extra></extra>",
        )
    )
    fig.update_layout(
        title={"text": "Fit time"},
        xaxis={**_axis_title("k (number of clusters)"), "dtick": 1},
        yaxis=_axis_title("seconds"),
        showlegend=False,
    )
    return fig


def _bin_edges(finite: np.ndarray) -> np.ndarray:
    """Bins over the bulk of the data (0.5th to 99.5th percentile), 10 to 40 of them as numpy's 'auto'
    rule suggests for the number of rows; whole numbers get whole-number bins (no empty combs)."""
    low, high = np.percentile(finite, [0.5, 99.5]) if len(finite) > 200 else (finite.min(), finite.max())
    if high <= low:
        low, high = finite.min() - 0.5, finite.max() + 0.5
    inside = finite[(finite >= low) & (finite <= high)]
    bins = int(np.clip(len(np.histogram_bin_edges(inside, bins="auto")) - 1, 10, 40))
    if np.all(np.mod(finite, 1) == 0):
        width = max(1.0, float(np.ceil((high - low + 1) / bins)))
        return np.arange(low - 0.5, high + 0.5 + width, width)
    return np.histogram_bin_edges(inside, bins=bins, range=(low, high))


def histogram_figure(values: np.ndarray, in_cluster: np.ndarray, column: str, cluster: int) -> Any:
    """A numeric column: the cluster's distribution as bars, the whole data's as an outline, in % of rows.

    Values beyond the 0.5th/99.5th percentiles are counted in the outer bins, so one extreme value
    does not squeeze every other bar into one.
    """
    go = _go()
    finite = values[np.isfinite(values)]
    fig = go.Figure()
    if len(finite) == 0:
        return _titled(fig, f"{column}: no numbers")
    edges = _bin_edges(finite)
    centres = (edges[:-1] + edges[1:]) / 2
    width = float(edges[1] - edges[0])

    def shares(part: np.ndarray) -> np.ndarray:
        counts, _ = np.histogram(np.clip(part, edges[0], edges[-1]), bins=edges)
        return counts / max(len(part), 1) * 100

    fig.add_trace(
        go.Bar(
            x=centres,
            y=shares(values[in_cluster & np.isfinite(values)]),
            width=width * 0.92,
            name=f"Cluster {cluster}",
            marker={"color": colour(cluster), "line": {"width": 0}},
            opacity=0.85,
            hovertemplate=f"Cluster {cluster}<br>{column} ≈ %{{x:.4g}}<br>%{{y:.1f}}% of its rows<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=centres,
            y=shares(finite),
            mode="lines",
            line={"shape": "hvh", "color": "#3d4656", "width": 1.5},
            name="All rows",
            hovertemplate=f"All rows<br>{column} ≈ %{{x:.4g}}<br>%{{y:.1f}}% of rows<extra></extra>",
        )
    )
    fig.update_layout(
        bargap=0,
        xaxis=_axis_title(short_label(column)),
        yaxis=_axis_title("% of rows"),
        legend={"orientation": "h", "y": -0.36, "yanchor": "top"},
    )
    return _titled(fig, column)


def pie_pair_figure(
    levels: Sequence[str],
    cluster_shares: Sequence[float],
    all_shares: Sequence[float],
    column: str,
    cluster: int,
) -> Any:
    """A category column: the cluster's mix of values beside the whole data's, same colour per value."""
    go = _go()
    from plotly.subplots import make_subplots

    fig = make_subplots(
        rows=1,
        cols=2,
        specs=[[{"type": "domain"}, {"type": "domain"}]],
        subplot_titles=[f"Cluster {cluster}", "All rows"],
    )
    colours = [_LEVEL_PALETTE[i % len(_LEVEL_PALETTE)] for i in range(len(levels))]
    for col, shares in ((1, cluster_shares), (2, all_shares)):
        fig.add_trace(
            go.Pie(
                labels=list(levels),
                values=[round(float(s) * 100, 2) for s in shares],
                marker={"colors": colours},
                sort=False,
                hole=0.35,
                textinfo="percent",
                textposition="inside",
                hovertemplate="%{label}: %{value:.1f}% of rows<extra></extra>",
                name="Cluster" if col == 1 else "All rows",
            ),
            row=1,
            col=col,
        )
    fig.update_layout(legend={"orientation": "h", "y": -0.1})
    return _titled(fig, column)
