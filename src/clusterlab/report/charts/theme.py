"""The look shared by every chart and page: the cluster palette, the layout, labels, and the
effect sizes charts are ordered by."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import pandas as pd

from ...core.clustering import Clustering
from ...core.explain.effects import cluster_effects
from ...core.formatting import distinct_labels, shorten
from ...outputs.palette import PALETTE, cluster_colour
from .spec import TEMPLATE, page_spec, plotly_objects, update

__all__ = [
    "ALL_COLOUR",
    "FONT",
    "LEVEL_COLOURS",
    "OTHER_COLOUR",
    "PALETTE",
    "all_effects",
    "cluster_colour",
    "cluster_label",
    "cluster_names",
    "column_effects",
    "distinct_labels",
    "figure_spec",
    "legend_below",
    "legend_rows",
    "level_colour",
    "level_text_colour",
    "plotly_objects",
    "shorten",
    "style",
    "template_json",
    "top_columns",
]

ALL_COLOUR = "#B8BEC6"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif"


_colour = cluster_colour  # the name the first version used


def style(fig: Any, title: str, height: int, **layout: Any) -> Any:
    """Give a chart the house layout (title, height, font, margins, legend), then ``layout``.

    ``fig`` is a plain spec (see :mod:`.spec`: the house template is applied by the page or by
    :func:`.spec.to_figure`) or a ``go.Figure`` (gets the template too). Returns ``fig``."""
    base: dict[str, Any] = {
        "title": {"text": title, "x": 0, "xanchor": "left", "font": {"size": 15}},
        "height": height,
        "font": {"family": FONT, "size": 12},
        "margin": {"l": 60, "r": 20, "t": 60, "b": 50},
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "right", "x": 1},
        "hoverlabel": {"font": {"family": FONT}},
    }
    merged = update(base, layout)  # deeply: title={"font": ...} keeps the title's text
    if isinstance(fig, dict):
        update(fig.setdefault("layout", {}), merged)
        return fig
    fig.update_layout(**{"template": TEMPLATE, **merged})
    return fig


def figure_spec(fig: Any, *, template: bool = True) -> dict[str, Any]:
    """A figure as JSON-ready ``{"data", "layout"}`` for a page to draw with plotly.min.js: no fixed
    width (the page sizes it). ``fig`` is a plain spec (made JSON-ready by :func:`.spec.page_spec`;
    it has no template: the page applies one) or a ``go.Figure``, whose template (about 10 kB a
    chart) ``template=False`` drops."""
    if isinstance(fig, dict):
        return page_spec(fig)
    import json

    import plotly.io as pio

    spec = json.loads(pio.to_json(fig, validate=False, remove_uids=True))
    layout = spec.setdefault("layout", {})
    layout.pop("width", None)
    layout["autosize"] = True
    if not template:
        layout.pop("template", None)
    return {"data": spec.get("data", []), "layout": layout}


@lru_cache(maxsize=1)
def template_json() -> str:
    """Plotly's ``plotly_white`` template as JSON, the house theme every page applies to every chart
    it draws (report.html and the web app's pages embed it once, not once per chart: see
    ``report.chart_settings``; the web app adds no style of its own)."""
    import json

    import plotly.io as pio
    from plotly.utils import PlotlyJSONEncoder

    return json.dumps(pio.templates[TEMPLATE].to_plotly_json(), cls=PlotlyJSONEncoder, separators=(",", ":"))


def cluster_names(result: Clustering) -> dict[int, str]:
    try:
        return {d.cluster: d.name for d in result.descriptions}
    except AttributeError:  # a result without descriptions (older object): numbers only
        return {}


def cluster_label(cluster: int, names: dict[int, str], limit: int = 28) -> str:
    name = names.get(int(cluster))
    return f"{cluster} · {shorten(name, limit)}" if name else f"Cluster {cluster}"


# A category's values get muted, neutral colours of alternating lightness, never a cluster's (Tableau
# 10's saturated hues): a slice or a bar segment is never mistaken for a cluster, and each slice is
# labelled with its value anyway.
LEVEL_COLOURS = ("#4F5D73", "#C9BC9C", "#7E9A8E", "#E2DDD3", "#8A7A96", "#A9B7C6", "#9C8B74", "#D2D9CF")
OTHER_COLOUR = "#EEEFF1"  # the values grouped as "other" in a pie, and a column's 25th value on
_DARK_LEVELS = frozenset({"#4F5D73", "#7E9A8E", "#8A7A96", "#9C8B74"})


def level_colour(j: int) -> str:
    """The colour of a category column's ``j``-th value (0-based) in pies and stacked bars."""
    return LEVEL_COLOURS[j % len(LEVEL_COLOURS)] if j < 24 else OTHER_COLOUR


def level_text_colour(colour: str) -> str:
    """White on the darker level colours, ink on the lighter ones."""
    return "#FFFFFF" if colour in _DARK_LEVELS else "#1D2330"


def all_effects(result: Clustering) -> pd.DataFrame:
    """Every effect (no minimum), cached on the result when it can hold it."""
    cached = getattr(result, "effects", None)
    if isinstance(cached, pd.DataFrame):
        return cached

    return cluster_effects(result.profiles, minimum=0.0)


def column_effects(result: Clustering, cluster: int) -> dict[str, float]:
    effects = all_effects(result)
    part = effects[effects["Cluster"] == cluster]
    out: dict[str, float] = {}
    for r in part.itertuples():  # sorted by |effect|, so the first level of a column is its largest
        out.setdefault(str(r.column), float(r.effect))
    return out


def top_columns(result: Clustering, cluster: int, kind: str, limit: int) -> list[str]:
    """A cluster's columns of one kind, most distinguishing first."""
    effects = all_effects(result)
    kinds = ("numeric", "date") if kind == "numeric" else (kind,)
    part = effects[(effects["Cluster"] == cluster) & (effects["kind"].isin(kinds))]
    return list(dict.fromkeys(part["column"].astype(str)))[:limit]


def legend_rows(names: list[str], width: float = 330) -> int:
    """Lines a horizontal legend of ``names`` takes in ``width`` px (about 6.5 px a character)."""
    rows, used = 1, 0.0
    for name in names:
        item = 40 + 6.5 * len(name)
        if used and used + item > width:
            rows, used = rows + 1, 0.0
        used += item
    return rows


def legend_below(names: list[str], plot: int, margin: dict[str, Any], width: float = 340) -> dict[str, Any]:
    """The layout patch that puts a chart's legend under it on a phone: the legend at the bottom
    of the chart, the bottom margin and the height grown by its lines (``plot`` px stay for the
    plot itself), the side margins narrowed."""

    lines = legend_rows(names, width) if names else 0
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
