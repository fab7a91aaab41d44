"""Charts for choosing k: every criterion over k, each criterion's own pick starred, the recommended k
(dotted green) and a chosen other k (dashed), and the fit time per k.

Two layouts of the same drawing: :func:`k_selection_figure` puts every criterion in one grid (the
report, ``result.plot_k_selection()``); :func:`criterion_figures` gives one small chart per criterion,
which wrap on a narrow screen where a grid of five plots would be unreadable (the web app). Both
build their traces with the same functions, so the two never disagree. Sized by the k range only.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ...core.choose_k.criteria import CRITERIA, Criterion
from ...core.clustering import Clustering
from ...core.formatting import format_number
from .spec import Grid, page_spec, to_figure, update, vline
from .theme import style

__all__ = [
    "FIT_TIME",
    "criterion_figure",
    "criterion_figures",
    "criterion_range",
    "criterion_spec",
    "criterion_specs",
    "extension_note",
    "flat_note",
    "k_axis",
    "k_selection_figure",
    "k_selection_spec",
]

FIT_TIME = "fit_seconds"  # the sweep table's column of seconds per k, charted beside the criteria
LINE, STAR, RECOMMENDED, FIT_BAR = "#4E79A7", "#E15759", "#59A14F", "#9C755F"
K_AXIS = "k (clusters)"
K_TICKS = 10  # at most this many k ticks on an axis
EXTENDED = "rgba(120, 130, 145, 0.10)"  # the ks tried beyond the asked k_max
FLAT = 0.1  # a criterion whose values over k all lie within this share of the largest is "flat"


def _shown(result: Clustering) -> list[Criterion]:
    """The criteria with a score per k in the sweep table, in registry order."""

    table = result.k_scores
    return [c for c in CRITERIA.values() if c.name in table.columns]


def _title(criterion: Criterion) -> str:
    if criterion.name == "inertia":
        return "Inertia (look for the elbow)"
    return f"{criterion.title} ({'lower' if criterion.better == 'lower' else 'higher'} is better)"


def _flat(result: Clustering, criterion: Criterion) -> str:
    return flat_note(result.k_scores[criterion.name].to_numpy(dtype=float))


def _criterion_traces(result: Clustering, criterion: Criterion) -> tuple[list[dict[str, Any]], list[float]]:
    """One criterion's line over k and a star at its own pick; and a y range with room for the label."""
    table = result.k_scores
    votes = dict(result.recommendation.votes or {})
    y = table[criterion.name].astype(float)
    traces: list[dict[str, Any]] = [
        {
            "type": "scatter",
            "x": table["k"].to_numpy(),
            "y": y.to_numpy(),
            "mode": "lines+markers",
            "name": criterion.title,
            "line": {"color": LINE, "width": 2},
            "marker": {"size": 6},
            "showlegend": False,
            "hovertemplate": f"k=%{{x}}<br>{criterion.title}: %{{y:.4g}}<extra></extra>",
        }
    ]
    y_range = criterion_range(y.to_numpy())
    pick = votes.get("elbow" if criterion.name == "inertia" else criterion.name)
    if pick is not None and pick in set(table["k"]):
        value = float(y[table["k"] == pick].iloc[0])
        label = "elbow" if criterion.name == "inertia" else "best"
        # The label goes on the side with room: below a maximum, above a minimum, and towards the
        # middle of the k range so it is never cut at the plot's edge.
        above = criterion.better != "higher"
        side = "left" if pick > (table["k"].min() + table["k"].max()) / 2 else "right"
        traces.append(
            {
                "type": "scatter",
                "x": [pick],
                "y": [value],
                "mode": "markers+text",
                "text": [f"{label}: {pick}"],
                "textposition": f"{'top' if above else 'bottom'} {side}",
                "cliponaxis": False,
                "marker": {"symbol": "star", "size": 14, "color": STAR},
                "showlegend": False,
                "hovertemplate": f"{criterion.title} picks k={pick}<extra></extra>",
            }
        )
    return traces, y_range


def criterion_range(values: np.ndarray) -> list[float]:
    """A criterion's y range: from 0, or through it (every criterion here is 0 at "no structure" or
    at its best: a silhouette of 0, a Davies-Bouldin of 0, no inertia), with room for the star's label.
    An axis fitted to the values (0.068 to 0.074) draws flat noise as a peak; from 0 it stays flat.

    >>> criterion_range(np.array([0.068, 0.074, 0.07]))
    [0.0, 0.08732]
    >>> criterion_range(np.array([-0.2, 0.3]))
    [-0.29, 0.39]
    """
    finite = values[np.isfinite(values)]
    if not len(finite):
        return []
    low, high = min(float(finite.min()), 0.0), max(float(finite.max()), 0.0)
    pad = (high - low) * 0.18 or 1.0
    return [round(low - pad if low < 0 else 0.0, 12), round(high + pad if high > 0 else 0.0, 12)]


def flat_note(values: np.ndarray) -> str:
    """ "" or, when every k scores within a tenth of the largest value, that the line is flat: the
    differences are too small to choose k by.

    >>> flat_note(np.array([0.068, 0.074, 0.0712]))
    'flat: every k 0.068 to 0.074'
    >>> flat_note(np.array([0.2, 0.5])), flat_note(np.array([1.0, 1.0]))
    ('', 'flat: every k scores 1')
    """
    finite = values[np.isfinite(values)]
    if len(finite) < 2:
        return ""
    low, high = float(finite.min()), float(finite.max())
    if high - low > FLAT * max(abs(low), abs(high)):
        return ""
    if format_number(low) == format_number(high):  # not "every k 1 to 1"
        return f"flat: every k scores {format_number(high)}"
    return f"flat: every k {format_number(low)} to {format_number(high)}"


def _fit_time_trace(result: Clustering) -> dict[str, Any]:
    table = result.k_scores
    return {
        "type": "bar",
        "x": table["k"].to_numpy(),
        "y": table[FIT_TIME].to_numpy(),
        "name": "Fit seconds",
        "marker": {"color": FIT_BAR},
        "showlegend": False,
        "hovertemplate": "k=%{x}: %{y:.3f} s<extra></extra>",
    }


def _k_marks(result: Clustering, xaxis: str = "x", yaxis: str = "y") -> list[dict[str, Any]]:
    """The recommended k (dotted green) and, if another was chosen, the chosen k (dashed); and the
    ks beyond the asked ``k_max``, when the range was extended, shaded."""
    marks = [vline(result.recommended_k, xaxis, yaxis, dash="dot", color=RECOMMENDED, width=2)]
    if result.k != result.recommended_k:
        marks.append(vline(result.k, xaxis, yaxis, dash="dash", color="#333"))
    ks, asked = _swept(result), int(result.settings.k_max)
    if ks and ks[-1] > asked:
        marks.append(
            {
                "type": "rect",
                "xref": xaxis,
                "yref": f"{yaxis} domain",
                "x0": asked + 0.5,
                "x1": ks[-1] + 0.5,
                "y0": 0,
                "y1": 1,
                "fillcolor": EXTENDED,
                "line": {"width": 0},
                "layer": "below",
            }
        )
    return marks


def _swept(result: Clustering) -> list[int]:
    return sorted(int(k) for k in result.k_scores["k"]) if len(result.k_scores) else []


def k_axis(result: Clustering) -> dict[str, Any]:
    """The k axis: a tick at swept ks only (every one, or every second... when there are many),
    and no room beyond the first and last (Plotly's padding showed a k of 1 that was never tried)."""
    ks = _swept(result)
    if not ks:
        return {"title": {"text": K_AXIS}, "dtick": 1}
    step = math.ceil(len(ks) / K_TICKS)
    return {
        "title": {"text": K_AXIS},
        "tickmode": "array",
        "tickvals": ks[::step],
        "range": [ks[0] - 0.5, ks[-1] + 0.5],
    }


def extension_note(result: Clustering) -> str:
    """ "" or, when the sweep went past the asked ``k_max``, what was tried and why (for a title)."""
    ks, low, high = _swept(result), int(result.settings.k_min), int(result.settings.k_max)
    if not ks or ks[-1] <= high:
        return ""
    return (
        f"k tried: {ks[0]}..{ks[-1]} (extended from {low}..{high} because the criteria still "
        f"improved at {high}; shaded)"
    )


def _k_selection(result: Clustering) -> dict[str, Any]:
    shown = _shown(result)
    titles = [" · ".join(filter(None, (_title(c), _flat(result, c)))) for c in shown] + ["Fit time per k"]
    cols = 3 if len(titles) > 4 else len(titles)
    rows = math.ceil(len(titles) / cols)
    # Rows of plots 240 px high, 75 px apart: room for the k axis title and the next plot's title.
    plots = 240 * rows + 75 * (rows - 1)
    grid = Grid(
        rows, cols, titles=titles, horizontal_spacing=0.07, vertical_spacing=75 / plots, title_size=13
    )
    data: list[dict[str, Any]] = []
    for i, criterion in enumerate(shown):
        r, c = divmod(i, cols)
        traces, y_range = _criterion_traces(result, criterion)
        data += [trace | grid.cell(r + 1, c + 1) for trace in traces]
        if y_range:
            grid.axis("y", r + 1, c + 1)["range"] = y_range
    r, c = divmod(len(shown), cols)
    data.append(_fit_time_trace(result) | grid.cell(r + 1, c + 1))
    grid.axis("y", r + 1, c + 1)["title"] = {"text": "seconds"}
    shapes = []
    for i in range(len(titles)):
        r, c = divmod(i, cols)
        cell = grid.cell(r + 1, c + 1)
        shapes += _k_marks(result, cell["xaxis"], cell["yaxis"])
        update(grid.axis("x", r + 1, c + 1), k_axis(result))
    rec, chosen = result.recommended_k, result.k
    chosen_text = f"; you chose {chosen} (dashed)" if chosen != rec else ""
    note = extension_note(result)
    layout: dict[str, Any] = {**grid.layout, "shapes": shapes}
    if note:
        layout["title"] = {"subtitle": {"text": note, "font": {"size": 12}}}
    return style(
        {"data": data, "layout": layout},
        f"Choosing k: recommended {rec} ({result.recommendation.confidence} confidence, dotted green)"
        f"{chosen_text}",
        plots + (110 if note else 90) + 50,
        margin={"l": 60, "r": 20, "t": 110 if note else 90, "b": 50},
    )


def k_selection_spec(result: Clustering) -> dict[str, Any]:
    """:func:`k_selection_figure` as a JSON-ready spec for a page (see :mod:`.spec`)."""
    return page_spec(_k_selection(result))


def k_selection_figure(result: Clustering) -> Any:
    """Every criterion over k, each criterion's own pick starred, the recommended k marked, and the
    fit time per k (a ``plotly.graph_objects.Figure``)."""
    return to_figure(_k_selection(result))


def _criterion(result: Clustering, name: str) -> dict[str, Any]:
    by_name = {c.name: c for c in _shown(result)}
    y_range: list[float] = []
    if name == FIT_TIME:
        traces, title, y_title = [_fit_time_trace(result)], "Fit time per k", "seconds"
    elif name in by_name:
        criterion = by_name[name]
        traces, y_range = _criterion_traces(result, criterion)
        title, y_title = _title(criterion), criterion.title
    else:
        raise ValueError(
            f"No criterion '{name}' in the sweep; charted are: {', '.join([*by_name, FIT_TIME])}."
        )
    y_axis: dict[str, Any] = {"title": {"text": y_title}}
    if y_range:
        y_axis["range"] = y_range
    layout: dict[str, Any] = {"shapes": _k_marks(result)}
    notes: list[dict[str, Any]] = []
    flat = _flat(result, by_name[name]) if name in by_name else ""
    if flat:  # said in words too: a flat line is no reason to pick any k
        notes.append(
            {
                "x": 0,
                "xref": "x domain",
                "y": 0.04,
                "yref": "y domain",
                "xanchor": "left",
                "yanchor": "bottom",
                "text": flat,
                "showarrow": False,
                "font": {"size": 11, "color": "#5d6675"},
            }
        )
    ks, asked = _swept(result), int(result.settings.k_max)
    if ks and ks[-1] > asked:  # the shaded ks say what they are
        notes.append(
            {
                "x": (asked + 0.5 + ks[-1] + 0.5) / 2,
                "xref": "x",
                "y": 1,
                "yref": "y domain",
                "yanchor": "top",
                "text": f"extended past k_max {asked}",
                "showarrow": False,
                "font": {"size": 10, "color": "#5d6675"},
            }
        )
    if notes:
        layout["annotations"] = notes
    return style(
        {"data": traces, "layout": layout},
        title,
        260,
        xaxis=k_axis(result),
        yaxis=y_axis,
        showlegend=False,
        margin={"l": 60, "r": 16, "t": 48, "b": 46},
    )


def criterion_spec(result: Clustering, name: str) -> dict[str, Any]:
    """:func:`criterion_figure` as a JSON-ready spec for a page (see :mod:`.spec`)."""
    return page_spec(_criterion(result, name))


def criterion_figure(result: Clustering, name: str) -> Any:
    """One criterion over k (or ``"fit_seconds"``: the fit time per k) as its own small chart, with
    the same line, star and k marks as in :func:`k_selection_figure`."""
    return to_figure(_criterion(result, name))


def _names(result: Clustering) -> list[str]:
    return [c.name for c in _shown(result)] + [FIT_TIME]


def criterion_specs(result: Clustering) -> list[dict[str, Any]]:
    """:func:`criterion_figures` as JSON-ready specs for a page (the web's "choose k" charts)."""
    return [criterion_spec(result, name) for name in _names(result)]


def criterion_figures(result: Clustering) -> list[Any]:
    """One small chart per criterion of the sweep, then the fit time per k."""
    return [criterion_figure(result, name) for name in _names(result)]
