"""Charts for choosing k: every criterion over k, each criterion's own pick starred, the recommended k
(dotted green) and a chosen other k (dashed), and the fit time per k.

Two layouts of the same drawing: :func:`k_selection_figure` puts every criterion in one grid (the
report, ``result.plot_k_selection()``); :func:`criterion_figures` gives one small chart per criterion,
which wrap on a narrow screen where a grid of five plots would be unreadable (the web app). Both
build their traces with the same functions, so the two never disagree. Sized by the k range only.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from .theme import plotly_objects, style

if TYPE_CHECKING:
    from ..core.criteria import Criterion
    from ..core.result import ClusterResult

__all__ = ["FIT_TIME", "criterion_figure", "criterion_figures", "k_selection_figure"]

FIT_TIME = "fit_seconds"  # the sweep table's column of seconds per k, charted beside the criteria
LINE, STAR, RECOMMENDED, FIT_BAR = "#4E79A7", "#E15759", "#59A14F", "#9C755F"
K_AXIS = "k (clusters)"


def _shown(result: ClusterResult) -> list[Criterion]:
    """The criteria with a score per k in the sweep table, in registry order."""
    from ..core.criteria import CRITERIA

    table = result.k_scores
    return [c for c in CRITERIA.values() if c.name in table.columns]


def _title(criterion: Criterion) -> str:
    if criterion.name == "inertia":
        return "Inertia (look for the elbow)"
    return f"{criterion.title} ({'lower' if criterion.better == 'lower' else 'higher'} is better)"


def _criterion_traces(go: Any, result: ClusterResult, criterion: Criterion) -> tuple[list[Any], list[float]]:
    """One criterion's line over k and a star at its own pick; and a y range with room for the label."""
    table = result.k_scores
    votes = dict(result.recommendation.votes or {})
    y = table[criterion.name].astype(float)
    traces = [
        go.Scatter(
            x=table["k"],
            y=y,
            mode="lines+markers",
            name=criterion.title,
            line={"color": LINE, "width": 2},
            marker={"size": 6},
            showlegend=False,
            hovertemplate=f"k=%{{x}}<br>{criterion.title}: %{{y:.4g}}<extra></extra>",
        )
    ]
    finite = y[np.isfinite(y)]
    y_range: list[float] = []
    if len(finite):
        low, high = float(finite.min()), float(finite.max())
        pad = (high - low) * 0.18 or abs(high) * 0.1 or 1.0
        y_range = [low - pad, high + pad]
    pick = votes.get("elbow" if criterion.name == "inertia" else criterion.name)
    if pick is not None and pick in set(table["k"]):
        value = float(y[table["k"] == pick].iloc[0])
        label = "elbow" if criterion.name == "inertia" else "best"
        # The label goes on the side with room: below a maximum, above a minimum, and towards the
        # middle of the k range so it is never cut at the plot's edge.
        above = criterion.better != "higher"
        side = "left" if pick > (table["k"].min() + table["k"].max()) / 2 else "right"
        traces.append(
            go.Scatter(
                x=[pick],
                y=[value],
                mode="markers+text",
                text=[f"{label}: {pick}"],
                textposition=f"{'top' if above else 'bottom'} {side}",
                cliponaxis=False,
                marker={"symbol": "star", "size": 14, "color": STAR},
                showlegend=False,
                hovertemplate=f"{criterion.title} picks k={pick}<extra></extra>",
            )
        )
    return traces, y_range


def _fit_time_trace(go: Any, result: ClusterResult) -> Any:
    table = result.k_scores
    return go.Bar(
        x=table["k"],
        y=table[FIT_TIME],
        name="Fit seconds",
        marker_color=FIT_BAR,
        showlegend=False,
        hovertemplate="k=%{x}: %{y:.3f} s<extra></extra>",
    )


def _mark_k(fig: Any, result: ClusterResult, **where: int) -> None:
    """The recommended k (dotted green) and, if another was chosen, the chosen k (dashed)."""
    fig.add_vline(x=result.recommended_k, line_dash="dot", line_color=RECOMMENDED, line_width=2, **where)
    if result.k != result.recommended_k:
        fig.add_vline(x=result.k, line_dash="dash", line_color="#333", **where)


def k_selection_figure(result: ClusterResult) -> Any:
    """Every criterion over k, each criterion's own pick starred, the recommended k marked, and the
    fit time per k."""
    go = plotly_objects()
    from plotly.subplots import make_subplots

    shown = _shown(result)
    titles = [_title(c) for c in shown] + ["Fit time per k"]
    cols = 3 if len(titles) > 4 else len(titles)
    rows = math.ceil(len(titles) / cols)
    fig = make_subplots(
        rows=rows, cols=cols, subplot_titles=titles, horizontal_spacing=0.07, vertical_spacing=0.2
    )
    for i, criterion in enumerate(shown):
        r, c = divmod(i, cols)
        traces, y_range = _criterion_traces(go, result, criterion)
        for trace in traces:
            fig.add_trace(trace, row=r + 1, col=c + 1)
        if y_range:
            fig.update_yaxes(range=y_range, row=r + 1, col=c + 1)
    r, c = divmod(len(shown), cols)
    fig.add_trace(_fit_time_trace(go, result), row=r + 1, col=c + 1)
    fig.update_yaxes(title_text="seconds", row=r + 1, col=c + 1)
    for i in range(len(titles)):
        r, c = divmod(i, cols)
        _mark_k(fig, result, row=r + 1, col=c + 1)
        fig.update_xaxes(title_text=K_AXIS, dtick=1, row=r + 1, col=c + 1)
    rec, chosen = result.recommended_k, result.k
    chosen_text = f"; you chose {chosen} (dashed)" if chosen != rec else ""
    fig.update_annotations(font_size=13)
    return style(
        fig,
        f"Choosing k: recommended {rec} ({result.recommendation.confidence} confidence, dotted green)"
        f"{chosen_text}",
        300 * rows + 80,
        margin={"l": 60, "r": 20, "t": 90, "b": 50},
    )


def criterion_figure(result: ClusterResult, name: str) -> Any:
    """One criterion over k (or ``"fit_seconds"``: the fit time per k) as its own small chart, with
    the same line, star and k marks as in :func:`k_selection_figure`."""
    go = plotly_objects()
    by_name = {c.name: c for c in _shown(result)}
    y_range: list[float] = []
    if name == FIT_TIME:
        traces, title, y_title = [_fit_time_trace(go, result)], "Fit time per k", "seconds"
    elif name in by_name:
        criterion = by_name[name]
        traces, y_range = _criterion_traces(go, result, criterion)
        title, y_title = _title(criterion), criterion.title
    else:
        raise ValueError(
            f"No criterion '{name}' in the sweep; charted are: {', '.join([*by_name, FIT_TIME])}."
        )
    fig = go.Figure(traces)
    _mark_k(fig, result)
    y_axis: dict[str, Any] = {"title": {"text": y_title}}
    if y_range:
        y_axis["range"] = y_range
    return style(
        fig,
        title,
        260,
        xaxis={"title": {"text": K_AXIS}, "dtick": 1},
        yaxis=y_axis,
        showlegend=False,
        margin={"l": 60, "r": 16, "t": 48, "b": 46},
    )


def criterion_figures(result: ClusterResult) -> list[Any]:
    """One small chart per criterion of the sweep, then the fit time per k."""
    return [criterion_figure(result, c.name) for c in _shown(result)] + [criterion_figure(result, FIT_TIME)]
