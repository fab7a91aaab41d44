"""Learn mode for notebooks: how clustering works, as Plotly figures, on toy data or your own.

The same material as the web app's Learn pages (which render :mod:`.lessons`), one function a chart:

>>> from clusterlab import learn
>>> fig = learn.playground(points=40, separation=4, k=3, seed=0)  # K-Means step by step, animated
>>> X = learn.blobs(points=40, separation=4, clusters=3, seed=0).X
>>> learn.kmeans_steps(X, k=3, seed=0, start="bad")  # doctest: +SKIP
>>> learn.restarts(X, k=3)  # doctest: +SKIP
>>> learn.elbow(X)  # or learn.elbow(result), a clustering's own sweep, from k = 1  # doctest: +SKIP
>>> learn.compare_methods(X, k=3)  # doctest: +SKIP
>>> learn.distances(result)  # anomaly detection: distances to the centre, the threshold drawn  # doctest: +SKIP

Needs Plotly (``pip install clusterlab[report]``), as ``result.plot_*()`` does.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core.clustering import Clustering
from ..report.charts.distance_figures import distance_histogram_figure
from ..report.charts.spec import to_figure
from . import k_figures, step_figures
from .lessons import playground_sweep
from .lloyd import STARTS, LloydSteps, record_lloyd, restart_inertias
from .methods import METHODS, dendrogram_lines, matched, run_method
from .playground import SHAPES, Playground, blobs, shaped
from .run_sample import RunSample, sweep_from_one

__all__ = [
    "METHODS",
    "SHAPES",
    "STARTS",
    "LloydSteps",
    "Playground",
    "RunSample",
    "blobs",
    "compare_methods",
    "criteria",
    "dendrogram",
    "distances",
    "elbow",
    "kmeans_steps",
    "playground",
    "record_lloyd",
    "restarts",
    "shaped",
]


def distances(result: Clustering) -> Any:
    """Anomaly detection as the lesson draws it: each row's distance to its cluster's centre as a
    histogram, the outlier threshold dashed and the flagged rows in red (with k = 1, the distances as
    they are; with several clusters, each divided by its cluster's threshold). None when no row was
    clustered."""
    return distance_histogram_figure(result)


def kmeans_steps(X: Any, k: int, seed: int = 0, start: str = "k-means++") -> Any:
    """K-Means on ``X`` (rows x 2 or more columns; the map shows the first two) step by step: an
    animated figure whose frames recolour the rows and move the centres, with a slider and play
    and pause buttons. ``start``: "k-means++", "random" or "bad" (every centre in one corner).

    >>> fig = kmeans_steps(blobs(points=20, seed=1).X, k=3, seed=1)
    >>> len(fig.frames) > 2
    True
    """
    X = np.asarray(X, dtype=float)
    return step_figures.steps_figure(record_lloyd(X, k, start=start, seed=seed))


def playground(
    points: int = 40,
    separation: float = 4.0,
    k: int = 3,
    seed: int = 0,
    *,
    clusters: int = 3,
    start: str = "k-means++",
) -> Any:
    """The lesson's playground: ``clusters`` blobs of ``points`` rows, ``separation`` standard
    deviations apart, clustered step by step with ``k`` centres (:func:`kmeans_steps`)."""
    return kmeans_steps(blobs(points, separation, clusters, seed).X, k, seed, start)


def restarts(X: Any, k: int, starts: int = 5, seed: int = 0, start: str = "random") -> Any:
    """The final inertia of K-Means from ``starts`` different starts: why several restarts help."""
    X = np.asarray(X, dtype=float)
    return to_figure(
        step_figures.restarts_spec(restart_inertias(X, k, starts=starts, start=start, seed=seed), start)
    )


def _sweep_of(data: Any, kmax: int, seed: int) -> tuple[Any, dict[str, Any], int | None]:
    if isinstance(data, Clustering):
        made = data.recommendation
        table = sweep_from_one(data.k_scores, np.asarray(data.embedding)[np.asarray(data.clusters) > 0])
        return table, {"k": made.k, "votes": dict(made.votes)}, data.k
    table, rec = playground_sweep(np.asarray(data, dtype=float), kmax, seed)
    return table, rec, None


def elbow(data: Any, kmax: int = 8, seed: int = 0) -> Any:
    """Inertia for every k from 1 with the bend marked: of a clustering's own sweep (``data`` a
    :class:`clusterlab.ClusterResult`) or of K-Means on an array for k = 1..``kmax``."""
    table, rec, chosen = _sweep_of(data, kmax, seed)
    return to_figure(k_figures.elbow_spec(table, rec["votes"].get("elbow"), chosen))


def criteria(data: Any, kmax: int = 8, seed: int = 0) -> list[Any]:
    """One figure per criterion (silhouette, Calinski-Harabasz, Davies-Bouldin, stability) over k,
    each criterion's pick starred."""
    table, rec, _ = _sweep_of(data, kmax, seed)
    return [
        to_figure(k_figures.curve_spec(table, name, rec["votes"].get(name)))
        for name in k_figures.CURVES
        if name in table
    ]


def compare_methods(X: Any, k: int, seed: int = 0) -> Any:
    """The same rows clustered by K-Means, K-Medoids, HDBSCAN, hierarchical (Ward) clustering and a
    Gaussian mixture, side by side (the first two columns on the axes).

    >>> fig = compare_methods(blobs(points=15, seed=2).X, k=3)
    >>> len(fig.layout.annotations)
    5
    """
    X = np.asarray(X, dtype=float)
    results: dict[str, Any] = {}
    for name in METHODS:
        labels = run_method(name, X, k, seed)
        first = next(iter(results.values()), labels)  # every panel numbered as the first (K-Means)
        results[METHODS[name].title] = matched(labels, first)
    return k_figures.methods_grid(X[:, :2], results)


def dendrogram(X: Any, k: int | None = None) -> Any:
    """Ward's hierarchical clustering of ``X`` as a dendrogram, cut into ``k`` groups when given."""
    return to_figure(k_figures.dendrogram_spec(dendrogram_lines(np.asarray(X, dtype=float)), k))
