"""Charts of K-Means step by step: the map with the centres moving and the rows recoloured, the
inertia falling, and the inertia of several starts side by side.

Like :mod:`clusterlab.report.charts`, each chart is a plain ``{"data", "layout"}`` spec drawn by the
house chart script on a page, or a Plotly figure for a notebook; the animated ones also carry
``frames`` (Plotly's own frame format: a patch for each trace and the title), which a notebook plays
with its slider and buttons and the Learn page with its step, play, pause and speed controls.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..outputs.palette import cluster_colour
from ..report.charts.spec import page_spec, to_figure
from ..report.charts.theme import ALL_COLOUR, style
from .lloyd import LloydSteps, distances

__all__ = [
    "STEP_WORDS",
    "Projection",
    "distance_table",
    "inertia_spec",
    "restarts_spec",
    "step_title",
    "steps_figure",
    "steps_spec",
]

Projection = Callable[[np.ndarray], np.ndarray]  # rows of the clustering space -> their (x, y) on the map

STEP_WORDS = {
    "start": "The starting centres; no row assigned yet",
    "assign": "Assign: each row takes the colour of its nearest centre",
    "move": "Move: each centre goes to the mean of its rows",
}


def _first_two(X: np.ndarray) -> np.ndarray:
    return np.asarray(X)[:, :2]


def _colorscale(k: int) -> list[list[Any]]:
    """A stepped colour scale over the labels -1..k-1: grey for "not assigned yet", then each
    cluster's house colour (cluster c is shown as number c + 1, in the colour of cluster c + 1)."""
    colours = [ALL_COLOUR] + [cluster_colour(c + 1) for c in range(k)]
    scale: list[list[Any]] = []
    for i, colour in enumerate(colours):
        scale += [[i / len(colours), colour], [(i + 1) / len(colours), colour]]
    return scale


def step_title(run: LloydSteps, i: int) -> str:
    step = run.steps[i]
    inertia = "" if step.inertia is None else f" · inertia {step.inertia:,.1f}"
    return f"Step {i} of {len(run.steps) - 1}: {STEP_WORDS[step.kind]}{inertia}"


def _trails(centres: list[np.ndarray]) -> tuple[list[float | None], list[float | None]]:
    """Each centre's path so far as one line trace, paths separated by gaps."""
    xs: list[float | None] = []
    ys: list[float | None] = []
    for c in range(len(centres[0])):
        xs += [float(p[c, 0]) for p in centres] + [None]
        ys += [float(p[c, 1]) for p in centres] + [None]
    return xs, ys


def _frame(run: LloydSteps, i: int, project: Projection) -> dict[str, Any]:
    path = [project(s.centres) for s in run.steps[: i + 1]]
    here = path[-1]
    tx, ty = _trails(path)
    return {
        "name": str(i),
        "data": [
            {"marker": {"color": run.steps[i].labels.tolist()}},
            {"x": tx, "y": ty},
            {"x": here[:, 0].tolist(), "y": here[:, 1].tolist()},
        ],
        "layout": {"title": {"text": step_title(run, i)}},
    }


def _range(values: np.ndarray) -> list[float]:
    low, high = float(np.min(values)), float(np.max(values))
    pad = (high - low) * 0.06 or 1.0
    return [low - pad, high + pad]


def _steps(
    run: LloydSteps, project: Projection, titles: tuple[str, str], rows: np.ndarray | None
) -> dict[str, Any]:
    xy = project(run.X)
    every = np.concatenate([xy, *[project(s.centres) for s in run.steps]])
    numbers = np.arange(1, len(xy) + 1) if rows is None else np.asarray(rows)
    frames = [_frame(run, i, project) for i in range(len(run.steps))]
    first = frames[0]["data"]
    data = [
        {
            "type": "scatter",
            "x": xy[:, 0],
            "y": xy[:, 1],
            "mode": "markers",
            "name": "Rows",
            "customdata": numbers,
            "hovertemplate": "Row %{customdata}<extra></extra>",
            "marker": {
                "size": 8,
                "opacity": 0.8,
                "cmin": -1.5,
                "cmax": run.k - 0.5,
                "colorscale": _colorscale(run.k),
                "showscale": False,
                **first[0]["marker"],
            },
        },
        {
            "type": "scatter",
            "mode": "lines",
            "name": "Centre paths",
            "hoverinfo": "skip",
            "line": {"color": "#1d2330", "width": 1.5, "dash": "dot"},
            **first[1],
        },
        {
            "type": "scatter",
            "mode": "markers+text",
            "name": "Centres",
            "text": [str(c + 1) for c in range(run.k)],
            "textposition": "middle center",
            "textfont": {"color": "white", "size": 11},
            "hovertemplate": "Centre %{text}<extra></extra>",
            "marker": {
                "symbol": "diamond",
                "size": 20,
                "color": [cluster_colour(c + 1) for c in range(run.k)],
                "line": {"color": "black", "width": 2},
            },
            **first[2],
        },
    ]
    spec = style(
        {"data": data, "layout": {}},
        step_title(run, 0),
        460,
        xaxis={"title": {"text": titles[0]}, "range": _range(every[:, 0]), "zeroline": False},
        yaxis={"title": {"text": titles[1]}, "range": _range(every[:, 1]), "zeroline": False},
        showlegend=False,
    )
    spec["frames"] = frames
    return spec


def steps_spec(
    run: LloydSteps,
    project: Projection = _first_two,
    titles: tuple[str, str] = ("x", "y"),
    rows: np.ndarray | None = None,
) -> dict[str, Any]:
    """The animated map for a page: :func:`steps_figure` as JSON-ready data, its ``frames`` kept."""
    spec = _steps(run, project, titles, rows)
    out = page_spec(spec)
    out["frames"] = spec["frames"]  # plain lists already: labels, coordinates, titles
    return out


def steps_figure(
    run: LloydSteps,
    project: Projection = _first_two,
    titles: tuple[str, str] = ("x", "y"),
    rows: np.ndarray | None = None,
) -> Any:
    """The rows on the map, recoloured at each assignment, and the centres moving (with their
    paths), one Plotly frame per step, with a slider and play/pause buttons."""
    spec = _steps(run, project, titles, rows)
    fig = to_figure(spec)
    go_frames = [
        {"name": f["name"], "data": f["data"], "layout": f["layout"], "traces": [0, 1, 2]}
        for f in spec["frames"]
    ]
    fig.frames = go_frames
    play = {"frame": {"duration": 700, "redraw": True}, "fromcurrent": True, "transition": {"duration": 300}}
    fig.update_layout(
        updatemenus=[
            {
                "type": "buttons",
                "direction": "left",
                "x": 0,
                "y": -0.12,
                "xanchor": "left",
                "buttons": [
                    {"label": "Play", "method": "animate", "args": [None, play]},
                    {"label": "Pause", "method": "animate", "args": [[None], {"mode": "immediate"}]},
                ],
            }
        ],
        sliders=[
            {
                "x": 0.2,
                "len": 0.8,
                "y": -0.08,
                "currentvalue": {"prefix": "Step "},
                "steps": [
                    {"label": f["name"], "method": "animate", "args": [[f["name"]], {"mode": "immediate"}]}
                    for f in spec["frames"]
                ],
            }
        ],
        margin={"b": 110},
        height=540,
    )
    return fig


def inertia_spec(run: LloydSteps) -> dict[str, Any]:
    """The inertia after each step (it never rises), the current step marked; ``frames`` move the mark."""
    points = [(i, s.inertia) for i, s in enumerate(run.steps) if s.inertia is not None]
    xs = [i for i, _ in points]
    ys = [v for _, v in points]
    frames = []
    for i, step in enumerate(run.steps):
        mark = ([i], [step.inertia]) if step.inertia is not None else ([], [])
        frames.append({"name": str(i), "data": [{}, {"x": mark[0], "y": mark[1]}]})
    data = [
        {
            "type": "scatter",
            "x": xs,
            "y": ys,
            "mode": "lines+markers",
            "name": "Inertia",
            "line": {"color": "#2f5fa7"},
            "hovertemplate": "Step %{x}: inertia %{y:,.1f}<extra></extra>",
        },
        {
            "type": "scatter",
            "x": [],
            "y": [],
            "mode": "markers",
            "name": "Now",
            "marker": {"size": 14, "color": "#ffb454", "line": {"color": "black", "width": 1.5}},
            "hoverinfo": "skip",
        },
    ]
    spec = style(
        {"data": data, "layout": {}},
        "Inertia after each step: the sum of squared distances of the rows to their centres",
        300,
        xaxis={
            "title": {"text": "Step"},
            "range": [-0.5, len(run.steps) - 0.5],
            "dtick": max(1, len(run.steps) // 10),
        },
        yaxis={"title": {"text": "Inertia"}},
        showlegend=False,
    )
    out = page_spec(spec)
    out["frames"] = frames
    return out


def restarts_spec(inertias: list[float], start: str = "random") -> dict[str, Any]:
    """The final inertia of each start: the lowest is the fit K-Means keeps."""
    best = int(np.argmin(inertias))
    bar = {
        "type": "bar",
        "x": [f"Start {i + 1}" for i in range(len(inertias))],
        "y": inertias,
        "marker": {"color": ["#5fd39a" if i == best else ALL_COLOUR for i in range(len(inertias))]},
        "text": [f"{v:,.1f}" for v in inertias],
        "textposition": "outside",
        "hovertemplate": "%{x}: inertia %{y:,.1f}<extra></extra>",
    }
    top = max(inertias) * 1.18 if inertias else 1
    return page_spec(
        style(
            {"data": [bar], "layout": {"yaxis": {"range": [0, top]}}},
            f"The same data from {len(inertias)} {start} starts: final inertia (lowest kept, green)",
            300,
            xaxis={"title": {"text": "Start"}},
            yaxis={"title": {"text": "Final inertia"}},
            showlegend=False,
        )
    )


def distance_table(run: LloydSteps, digits: int = 2) -> list[dict[str, Any]]:
    """For each step: every row's distance to every centre, rounded (what the page's table shows)."""
    return [
        {
            "kind": s.kind,
            "labels": s.labels.tolist(),
            "d": np.round(distances(run.X, s.centres), digits).tolist(),
        }
        for s in run.steps
    ]
