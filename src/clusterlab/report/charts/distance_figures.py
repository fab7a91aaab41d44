"""How far each row lies from its cluster's centre, with the outlier threshold drawn on it.

The lesson's picture of anomaly detection: a histogram of the distances, the threshold as a line,
and the rows past it in red. With one cluster (k = 1, the anomaly-detection use case) the distances
are drawn as they are, against the one threshold. With several clusters each has its own threshold,
so a row's distance is drawn divided by its cluster's threshold and the line sits at 1: one picture
for every cluster, where 2 reads "twice as far as the cluster's threshold".
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...core.clustering import Clustering
from ...core.formatting import format_number
from .spec import page_spec, to_figure
from .theme import style

__all__ = ["distance_histogram_figure", "distance_histogram_spec"]

BINS = 40
FLAGGED, ORDINARY = "#c0392b", "#8da0b8"


def distance_histogram_spec(result: Clustering) -> dict[str, Any] | None:
    """:func:`distance_histogram_figure` as a JSON-ready spec for a page (see :mod:`.spec`)."""
    spec = _distance_histogram(result)
    return None if spec is None else page_spec(spec)


def distance_histogram_figure(result: Clustering) -> Any:
    """The distances as a histogram, the threshold dashed, flagged rows in red (a Plotly figure), or
    None when no row has a distance."""
    spec = _distance_histogram(result)
    return None if spec is None else to_figure(spec)


def _distance_histogram(result: Clustering) -> dict[str, Any] | None:
    outliers = result.outliers
    distance = np.asarray(outliers.distance, dtype=float)
    clusters = np.asarray(result.clusters)
    known = np.isfinite(distance) & (clusters > 0)
    if not known.any():
        return None
    thresholds = np.asarray(outliers.thresholds, dtype=float)
    one = len(thresholds) == 1
    if one:
        values, line = distance[known], float(thresholds[0])
        axis = "Distance to the centre"
    else:
        scale = thresholds[clusters[known] - 1]
        values = np.divide(distance[known], scale, out=np.zeros_like(scale), where=scale > 0)
        line = 1.0
        axis = "Distance to its cluster's centre ÷ the cluster's threshold"
    flagged = np.asarray(outliers.flag, dtype=bool)[known]
    top = max(float(values.max()), line) * 1.02 or 1.0
    edges = np.linspace(0.0, top, BINS + 1)
    centres, width = (edges[:-1] + edges[1:]) / 2, float(edges[1] - edges[0])

    def bars(mask: np.ndarray, name: str, colour: str) -> dict[str, Any]:
        counts, _ = np.histogram(values[mask], bins=edges)
        return {
            "type": "bar",
            "x": centres,
            "y": counts,
            "width": width,
            "name": name,
            "marker": {"color": colour},
            "hovertemplate": f"%{{y:,}} {name.lower()} near %{{x:.3g}}<extra></extra>",
        }

    count = int(flagged.sum())
    spec = {
        "data": [
            bars(~flagged, "Rows", ORDINARY),
            bars(flagged, "Outliers", FLAGGED),
        ],
        "layout": {
            "barmode": "stack",
            "bargap": 0.05,
            "shapes": [
                {
                    "type": "line",
                    "x0": line,
                    "x1": line,
                    "y0": 0,
                    "y1": 1,
                    "yref": "paper",
                    "line": {"color": FLAGGED, "dash": "dash", "width": 2},
                }
            ],
            "annotations": [
                {
                    "x": line,
                    "y": 1,
                    "yref": "paper",
                    "text": f"threshold {format_number(line)}" if one else "threshold",
                    "showarrow": False,
                    "xanchor": "left",
                    "yanchor": "top",
                    "font": {"color": FLAGGED},
                }
            ],
        },
    }
    title = f"Distances to the centre: {count:,} row{'s' if count != 1 else ''} flagged"
    return style(
        spec,
        title,
        320,
        xaxis={"title": {"text": axis}, "rangemode": "tozero"},
        yaxis={"title": {"text": "Rows"}},
    )
