"""The dendrogram of a hierarchical clustering, at the level of its clusters.

The method keeps the last k - 1 merges of its tree (the merges above the cut into k clusters, see
:mod:`clusterlab.core.methods.hierarchical`); drawn as a dendrogram, each leaf is a cluster in its
colour and each joint's height is the linkage distance at which two groups merged: a long stem
below a joint means the groups it joins were far apart.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...core.clustering import Clustering
from ...outputs.palette import cluster_colour
from ...outputs.summary import cluster_level_tree
from .theme import style

__all__ = ["dendrogram_spec"]


def dendrogram_spec(result: Clustering) -> dict[str, Any] | None:
    """The cluster-level dendrogram as a chart spec, or None when the method has no tree (or k < 2)."""
    from scipy.cluster.hierarchy import dendrogram  # only for a hierarchical run

    tree = getattr(getattr(result.model, "fitted_", None), "tree", None)
    if tree is None or len(tree) == 0:
        return None
    merges = cluster_level_tree(np.asarray(tree), np.asarray(result.model.cluster_order_))
    # SciPy counts leaves in the 4th column; the method's tree counts rows there.
    k = len(merges) + 1
    leaves = [1] * k
    for a, b, _, _ in merges:
        leaves.append(leaves[int(a)] + leaves[int(b)])
    merges[:, 3] = leaves[k:]
    drawn = dendrogram(merges, no_plot=True, labels=[str(i + 1) for i in range(len(merges) + 1)])
    data: list[dict[str, Any]] = [
        {
            "type": "scatter",
            "x": xs,
            "y": ys,
            "mode": "lines",
            "line": {"color": "#555", "width": 1.5},
            "hoverinfo": "skip",
            "showlegend": False,
        }
        for xs, ys in zip(drawn["icoord"], drawn["dcoord"], strict=True)
    ]
    order = [int(name) for name in drawn["ivl"]]
    positions = [5 + 10 * i for i in range(len(order))]
    data.append(
        {
            "type": "scatter",
            "x": positions,
            "y": [0] * len(leaves),
            "mode": "markers",
            "marker": {"size": 14, "color": [cluster_colour(c) for c in order]},
            "text": [f"Cluster {c}" for c in order],
            "hovertemplate": "%{text}<extra></extra>",
            "showlegend": False,
        }
    )
    return style(
        {"data": data, "layout": {}},
        "How the clusters merge: the higher a joint, the farther apart the groups it joins",
        360,
        xaxis={
            "tickmode": "array",
            "tickvals": positions,
            "ticktext": [f"Cluster {c}" for c in order],
            "showgrid": False,
            "zeroline": False,
        },
        yaxis={"title": {"text": "Linkage distance"}, "rangemode": "tozero"},
    )
