"""The methods side by side: one small map per method of the core's comparison
(:mod:`clusterlab.core.choose_k.method_comparison`), on the projection the results' map uses.

Each map shows the comparison's sample rows coloured by that method's clusters, numbered as the run's
(so a colour is the same group on every map, and on the results' map), noise in grey. The maps are
small and alike: no legend and no axis titles (the results' map names the axes), the same ranges on
every map so the eye can compare them.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...core.clustering import Clustering
from .figures import NOISE_COLOUR, projection
from .spec import page_spec, to_figure
from .theme import cluster_colour, style

__all__ = ["MAP_HEIGHT", "method_map_figures", "method_map_specs", "sample_positions"]

MAP_HEIGHT = 220  # px: five maps fit two rows on a wide screen, and two a row on a phone


def sample_positions(result: Clustering) -> np.ndarray | None:
    """The comparison's sample rows as positions among all input rows (the comparison counts them
    among the clustered rows), or None when the result has no comparison."""
    comparison = getattr(result.model, "method_comparison_", None)
    if comparison is None:
        return None
    clustered = np.flatnonzero(np.asarray(result.model.labels_) >= 0)
    return clustered[np.asarray(comparison.rows)]


def _method_maps(result: Clustering) -> list[dict[str, Any]]:
    comparison = getattr(result.model, "method_comparison_", None)
    rows = sample_positions(result)
    if comparison is None or rows is None:
        return []
    xy, _, _ = projection(result, rows)
    xrange, yrange = _padded(xy[:, 0]), _padded(xy[:, 1])
    size = 5 if len(rows) <= 600 else 4
    specs = []
    for method in comparison.methods:
        labels = np.asarray(method.labels)
        data = []
        for number in sorted(set(labels.tolist()), key=lambda c: (c == 0, c)):
            mask = labels == number
            noise = number == 0
            data.append(
                {
                    "type": "scatter",
                    "x": xy[mask, 0],
                    "y": xy[mask, 1],
                    "mode": "markers",
                    "name": "Noise" if noise else f"Cluster {number}",
                    "customdata": rows[mask] + 1,
                    "hovertemplate": "Row %{customdata} · "
                    + ("noise (in no cluster)" if noise else f"cluster {number}")
                    + "<extra></extra>",
                    "marker": {
                        "size": max(size - 1, 3) if noise else size,
                        "opacity": 0.6 if noise else 0.75,
                        "color": NOISE_COLOUR if noise else cluster_colour(number),
                        "symbol": "x" if noise else "circle",
                    },
                }
            )
        title = method.title + (" · used" if method.chosen else "")
        spec = style(
            {"data": data, "layout": {}},
            title,
            MAP_HEIGHT,
            showlegend=False,
            xaxis={"range": xrange, "showticklabels": False, "zeroline": False, "title": {"text": ""}},
            yaxis={"range": yrange, "showticklabels": False, "zeroline": False, "title": {"text": ""}},
            margin={"l": 10, "r": 10, "t": 34, "b": 10},
        )
        spec["layout"]["title"]["font"]["size"] = 13
        specs.append(spec)
    return specs


def _padded(values: np.ndarray) -> list[float]:
    """The axis range of ``values`` with a little room either side (the same on every map)."""
    low, high = float(values.min()), float(values.max())
    room = 0.04 * ((high - low) or 1.0)
    return [low - room, high + room]


def method_map_specs(result: Clustering) -> list[dict[str, Any]]:
    """:func:`method_map_figures` as JSON-ready specs for a page (see :mod:`.spec`); empty without a
    comparison (an assign, under 20 rows, one cluster)."""
    return [page_spec(spec) for spec in _method_maps(result)]


def method_map_figures(result: Clustering) -> list[Any]:
    """One small map per method of the comparison, the run's method first: the sample rows on the
    results' map projection, coloured by the method's clusters (matched to the run's numbers), noise
    grey."""
    return [to_figure(spec) for spec in _method_maps(result)]
