"""Charts as plain Plotly figure specs: the ``{"data": [...], "layout": {...}}`` dicts plotly.js draws.

Why not ``plotly.graph_objects``: a ``go.Figure`` validates every property in Python and deep-copies
its template into each figure. For the report's ~25 charts and the web's ~30 that was about 1.5 s
per page, more than the charts' own work, and a page throws the objects away at once to send JSON.
So every chart is built here as dicts; a page gets :func:`page_spec` (JSON-ready, its house style
applied once per page), a notebook gets :func:`to_figure` (a ``go.Figure``, validated once, with the
``plotly_white`` template, as ``result.plot_*()`` always returned).

What graph objects used to do for the charts is done here, the same way: :class:`Grid` is the layout
of ``make_subplots`` (same domains, anchors, title annotations), :func:`vline` the shape of
``add_vline``, :func:`update` the deep merge of ``update_layout``, and :func:`page_spec` encodes
numbers as plotly.js typed arrays as plotly.py's JSON does, so the page draws the same pixels.

Plotly reads text as a little HTML: ``<a href>`` makes a link, ``<b>`` and ``<span style>`` style it.
Column names and values come from the user's file, so every string leaves here with ``&``, ``<`` and
``>`` escaped (plotly.js shows ``&lt;`` as ``<``), but for the few tags the charts write themselves
(:func:`plotly_text`): a column named ``<a href="https://...">`` is shown as written, never a link.
"""

from __future__ import annotations

import base64
import copy
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "NARROW",
    "TEMPLATE",
    "Grid",
    "narrowed",
    "page_spec",
    "plotly_objects",
    "plotly_text",
    "to_figure",
    "update",
    "vline",
]

TEMPLATE = "plotly_white"  # Plotly's template under the house style (notebook figures, report.html)
NARROW = 700  # below this width (px) a page draws a chart's ``narrow`` variant, when it has one

# Arrays plotly.js reads as typed arrays (base64), by numpy dtype; other arrays go as JSON lists.
_TYPED = {
    "int8": "i1",
    "uint8": "u1",
    "int16": "i2",
    "uint16": "u2",
    "int32": "i4",
    "uint32": "u4",
    "float32": "f4",
    "float64": "f8",
}
_NARROWER = {"i": (np.int8, np.int16, np.int32), "u": (np.uint8, np.uint16, np.uint32)}
_AS_LIST = frozenset({"range", "geojson", "layer", "layers"})  # keys plotly.py never encodes


class Grid:
    """The layout of ``plotly.subplots.make_subplots(rows, cols, ...)`` for a grid of x/y plots
    (top-left first), as dicts: ``layout`` holds the axes (domain, anchor; shared x axes match the
    bottom row's) and the subplot titles; :meth:`cell` says which axes a trace of a cell uses.

    The domains are computed exactly as Plotly computes them, so a chart looks the same as one
    built with ``make_subplots``.

    >>> grid = Grid(2, 1, vertical_spacing=0.1)
    >>> grid.layout["yaxis"]["domain"], grid.cell(2, 1)
    ([0.55, 1.0], {'xaxis': 'x2', 'yaxis': 'y2'})
    """

    def __init__(
        self,
        rows: int,
        cols: int,
        *,
        titles: Sequence[str] = (),
        horizontal_spacing: float | None = None,
        vertical_spacing: float | None = None,
        shared_xaxes: bool = False,
        title_size: int = 16,
    ) -> None:
        across = 0.2 / cols if horizontal_spacing is None else horizontal_spacing
        down = 0.3 / rows if vertical_spacing is None else vertical_spacing
        if (rows > 1 and down > 1 / (rows - 1)) or (cols > 1 and across > 1 / (cols - 1)):
            raise ValueError(f"Spacing too large for a grid of {rows} x {cols} plots.")
        self.rows, self.cols = rows, cols
        widths = [(1.0 - across * (cols - 1)) / cols] * cols
        heights = [(1.0 - down * (rows - 1)) / rows] * rows
        self.layout: dict[str, Any] = {}
        self._domains: list[tuple[list[float], list[float]]] = []
        for r in range(rows):
            below = rows - 1 - r  # Plotly fills the grid from the bottom row up
            bottom = sum(heights[:below]) + below * down
            for c in range(cols):
                left = sum(widths[:c]) + c * across
                x = [left, left + widths[c]]
                y = [_unit(bottom), _unit(bottom + heights[-1 - r])]
                n = len(self._domains) + 1
                self._domains.append((x, y))
                self.layout[_axis("x", n)] = {"domain": x, "anchor": _ref("y", n)}
                self.layout[_axis("y", n)] = {"domain": y, "anchor": _ref("x", n)}
        if shared_xaxes:  # every column's axes match its bottom plot's, whose ticks alone show
            for c in range(cols):
                first = _ref("x", (rows - 1) * cols + c + 1)
                for r in range(rows - 1):
                    self.layout[_axis("x", r * cols + c + 1)] |= {"matches": first, "showticklabels": False}
        self.layout["annotations"] = [
            {
                "y": y[1],
                "xref": "paper",
                "x": sum(x) / 2.0,
                "yref": "paper",
                "text": text,
                "showarrow": False,
                "font": {"size": title_size},
                "xanchor": "center",
                "yanchor": "bottom",
            }
            for text, (x, y) in zip(titles, self._domains, strict=False)
            if text
        ]

    def _index(self, row: int, col: int) -> int:
        if not (1 <= row <= self.rows and 1 <= col <= self.cols):
            raise ValueError(f"No plot ({row}, {col}) in a grid of {self.rows} x {self.cols}.")
        return (row - 1) * self.cols + col

    def cell(self, row: int, col: int) -> dict[str, str]:
        """The axes a trace in plot (``row``, ``col``) (from 1) draws on: ``{"xaxis", "yaxis"}``."""
        n = self._index(row, col)
        return {"xaxis": _ref("x", n), "yaxis": _ref("y", n)}

    def axis(self, letter: str, row: int, col: int) -> dict[str, Any]:
        """The layout entry of the ``"x"`` or ``"y"`` axis of plot (``row``, ``col``), to update."""
        return self.layout[_axis(letter, self._index(row, col))]

    def domain(self, row: int, col: int) -> tuple[list[float], list[float]]:
        """The (x, y) paper domains of plot (``row``, ``col``)."""
        return self._domains[self._index(row, col) - 1]


def _axis(letter: str, n: int) -> str:
    return f"{letter}axis{n if n > 1 else ''}"


def _ref(letter: str, n: int) -> str:
    return f"{letter}{n if n > 1 else ''}"


def _unit(value: float) -> float:
    # As make_subplots does: a rounding error just past 0 or 1 is the edge itself.
    return 0.0 if -0.01 < value < 0.0 else 1.0 if 1.0 < value < 1.01 else value


def vline(x: float, xaxis: str = "x", yaxis: str = "y", **line: Any) -> dict[str, Any]:
    """A vertical line at ``x`` across the whole height of a plot: the shape ``add_vline`` makes.

    >>> vline(4, dash="dot", color="#59A14F")["yref"]
    'y domain'
    """
    return {
        "type": "line",
        "x0": x,
        "x1": x,
        "xref": xaxis,
        "y0": 0,
        "y1": 1,
        "yref": f"{yaxis} domain",
        "line": line,
    }


def update(target: dict[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    """Merge ``changes`` into ``target`` in place, dicts into dicts (as ``update_layout`` does);
    a ``None`` leaves a property unset, as Plotly's validation dropped it. Returns ``target``.

    >>> update({"title": {"text": "a"}, "height": 3}, {"title": {"x": 0}, "height": None})
    {'title': {'text': 'a', 'x': 0}, 'height': 3}
    """
    for key, value in changes.items():
        if value is None:
            continue
        old = target.get(key)
        if isinstance(value, Mapping) and "bdata" in value:  # a typed array is one value, not a dict
            target[key] = dict(value)
        elif isinstance(value, Mapping) and isinstance(old, dict):
            update(old, value)
        elif isinstance(value, Mapping):
            target[key] = update({}, value)
        else:
            target[key] = value
    return target


def page_spec(spec: Mapping[str, Any]) -> dict[str, Any]:
    """``spec`` as JSON-ready data for a page to draw with plotly.min.js: numpy arrays become
    plotly.js typed arrays (the base64 ``{"dtype", "bdata"}`` plotly.py sends), other values plain
    Python, NaN and infinities ``null``; no fixed width (the page sizes the chart)."""
    layout = _plain(spec.get("layout", {}))
    layout.pop("width", None)
    layout["autosize"] = True
    out = {"data": [_plain(trace) for trace in spec.get("data", [])], "layout": layout}
    narrow = spec.get("narrow")
    if narrow:
        out["narrow"] = {
            "layout": _plain(narrow.get("layout", {})),
            "data": [_plain(trace) for trace in narrow.get("data", [])],
        }
    return out


def narrowed(spec: Mapping[str, Any]) -> dict[str, Any]:
    """The chart a page draws in a box narrower than :data:`NARROW` px: ``spec`` with its
    ``narrow`` variant merged in (``narrow["layout"]`` into the layout, ``narrow["data"][i]`` into
    trace ``i``, as :func:`update` merges), without the ``narrow`` key. A chart without one is
    drawn as it is. The pages' chart script (report/static/charts.js) does the same merge.

    >>> narrowed({"data": [{"x": [1]}], "layout": {"height": 300},
    ...           "narrow": {"layout": {"height": 500}, "data": [{"x": [2]}]}})
    {'data': [{'x': [2]}], 'layout': {'height': 500}}
    """
    narrow = spec.get("narrow") or {}
    layout = update(copy.deepcopy(dict(spec.get("layout", {}))), narrow.get("layout", {}))
    data = [copy.deepcopy(dict(t)) for t in spec.get("data", [])]
    for trace, patch in zip(data, narrow.get("data", []), strict=False):
        update(trace, patch)
    return {"data": data, "layout": layout}


# The markup the charts write themselves (line breaks, bold labels, coloured squares, hover extras).
_OWN_MARKUP = re.compile(r"&lt;(/?(?:b|br|extra|span)|span style='color:#[0-9A-Fa-f]{3,8}')&gt;")


def plotly_text(text: str) -> str:
    """``text`` for plotly.js to show as written: ``&``, ``<`` and ``>`` escaped, but for the charts'
    own tags.

    >>> plotly_text('<a href="https://x">R&D</a><br><b>ok</b>')
    '&lt;a href="https://x"&gt;R&amp;D&lt;/a&gt;<br><b>ok</b>'
    """
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _OWN_MARKUP.sub(lambda m: f"<{m.group(1)}>", escaped) if "&lt;" in escaped else escaped


def _plain(value: Any, typed: bool = True) -> Any:
    if isinstance(value, Mapping):
        return {k: _plain(v, typed and k not in _AS_LIST) for k, v in value.items()}
    if isinstance(value, pd.Series | pd.Index):
        value = value.to_numpy()
    if isinstance(value, np.ndarray):
        return _typed(value) if typed else _plain(value.tolist(), False)
    if isinstance(value, list | tuple):
        return [_plain(v, False) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, str):
        return plotly_text(value)
    return value


def _typed(values: np.ndarray) -> Any:
    """A plotly.js typed array, as plotly.py encodes one (64-bit integers narrowed when they fit)."""
    if values.size and values.dtype.kind in _NARROWER and values.dtype.itemsize == 8:
        low, high = values.min(), values.max()
        for kind in _NARROWER[values.dtype.kind]:
            if np.iinfo(kind).min <= low and high <= np.iinfo(kind).max:
                values = values.astype(kind)
                break
    code = _TYPED.get(str(values.dtype))
    if code is None or not values.size:
        return _plain(values.tolist(), False)
    out = {"dtype": code, "bdata": base64.b64encode(np.ascontiguousarray(values).tobytes()).decode("ascii")}
    if values.ndim > 1:
        out["shape"] = ", ".join(str(n) for n in values.shape)
    return out


def to_figure(spec: Mapping[str, Any]) -> Any:
    """``spec`` as a ``plotly.graph_objects.Figure`` with the ``plotly_white`` template, for a
    notebook (validated once here; the arrays stay numpy arrays)."""
    go = plotly_objects()
    data, layout = _texts(list(spec.get("data", []))), _texts(dict(spec.get("layout", {})))
    return go.Figure(data=data, layout={"template": TEMPLATE, **layout})


def _texts(value: Any) -> Any:
    """``value`` with its strings as :func:`plotly_text` makes them (arrays of numbers untouched)."""
    if isinstance(value, Mapping):
        return {k: _texts(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_texts(v) for v in value]
    if isinstance(value, str):
        return plotly_text(value)
    if isinstance(value, np.ndarray | pd.Series | pd.Index) and np.asarray(value).dtype.kind in "OUS":
        return np.asarray([_texts(v) for v in np.asarray(value).tolist()], dtype=object)
    return value


def plotly_objects() -> Any:
    """``plotly.graph_objects``, or an ImportError that says how to install it."""
    try:
        import plotly.graph_objects as go
    except ImportError:
        raise ImportError("Charts need Plotly; run `pip install clusterlab[report]`.") from None
    return go
