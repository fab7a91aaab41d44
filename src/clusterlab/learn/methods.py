"""The methods the "Limits and alternatives" lesson compares, each giving labels for ``(X, k, seed)``.

Every method is fitted through the core's registry (:mod:`clusterlab.core.methods`, the methods a run
can use), so the lesson shows what a run with that method would do. Two take lesson-sized options:
HDBSCAN's smallest group is an eighth of the rows (the run's default, 1%, splits a few hundred rows
into crumbs), and the Gaussian mixture uses full covariances (ovals of any tilt: the point of the
lesson). Labels are 0..k-1, and -1 for rows a method leaves unclustered (HDBSCAN's noise).

This module is the one place the lesson reaches for other algorithms; until the registry offered
them it called scikit-learn here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..core.choose_k.method_comparison import matched_numbers
from ..core.methods.threads import one_thread

__all__ = ["METHODS", "Method", "dendrogram_lines", "lesson_options", "matched", "one_thread", "run_method"]


@dataclass(frozen=True)
class Method:
    """A method of the lesson: its name in the core's registry, its title and when to choose it."""

    name: str
    title: str
    choose_when: str


METHODS: dict[str, Method] = {
    m.name: m
    for m in (
        Method("kmeans", "K-Means", "Round groups of similar size; fast on any number of rows."),
        Method(
            "kmedoids",
            "K-Medoids",
            "Like K-Means but each centre is a real row: robust to outliers, any distance.",
        ),
        Method(
            "hdbscan",
            "HDBSCAN",
            "Groups of any shape found by density; leaves noise unclustered (grey) and picks k itself.",
        ),
        Method(
            "hierarchical",
            "Hierarchical (Ward)",
            "Nested groups you can cut at any level (the dendrogram); a few thousand rows at most.",
        ),
        Method(
            "gmm",
            "Gaussian mixture",
            "Stretched or tilted oval groups, and a probability for each row instead of a hard label.",
        ),
    )
}


def lesson_options(name: str, n_rows: int) -> dict[str, Any]:
    """The options the lesson fits ``name`` with (see the module docstring)."""
    if name == "hdbscan":
        return {"min_cluster_size": max(5, n_rows // 8)}
    if name == "gmm":
        return {"covariance": "full"}
    return {}


def run_method(name: str, X: np.ndarray, k: int, seed: int = 0) -> np.ndarray:
    """Labels of ``X`` by the method ``name`` (a key of :data:`METHODS`).

    >>> X = np.r_[np.zeros((5, 2)), np.ones((5, 2)) * 9]
    >>> len(set(run_method("hierarchical", X, 2).tolist()))
    2
    """
    from ..core.errors import InputError
    from ..core.methods import make_method

    if name not in METHODS:
        raise ValueError(f"Unknown method '{name}'; choose one of: {', '.join(METHODS)}.")
    X = np.asarray(X, dtype=float)
    method = make_method(name, lesson_options(name, len(X)))
    with one_thread():
        try:
            fitted = method.fit(X, k if method.needs_k else None, seed, n_init=3)
        except InputError:  # HDBSCAN found no dense group: every row is noise, which the lesson shows
            return np.full(len(X), -1)
    return np.asarray(fitted.labels, dtype=int)


def dendrogram_lines(X: np.ndarray, leaves: int = 30) -> dict[str, Any]:
    """The dendrogram of Ward's hierarchical clustering of ``X``, cut to its last ``leaves`` merges:
    line coordinates (``icoord``, ``dcoord``, as scipy draws them), the leaf labels and the heights."""
    from scipy.cluster.hierarchy import dendrogram, linkage

    tree = linkage(np.asarray(X, dtype=float), method="ward")
    drawn = dendrogram(tree, truncate_mode="lastp", p=leaves, no_plot=True)
    return {
        "icoord": drawn["icoord"],
        "dcoord": drawn["dcoord"],
        # scipy names a merged leaf by its size, "(12)", and a single row by its index: "(1)" for both.
        "leaves": [leaf if leaf.startswith("(") else "(1)" for leaf in drawn["ivl"]],
        "heights": tree[:, 2].tolist(),
    }


def matched(labels: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """``labels`` renumbered to agree with ``reference`` where they can (the pairing with the most
    rows in common, :func:`~clusterlab.core.choose_k.method_comparison.matched_numbers`), so the same
    group has the same colour in every panel; noise (-1) stays noise, and clusters without a partner
    get the numbers after. Both numbered 0..k-1, as Learn's panels are.

    >>> matched(np.array([1, 1, 0, 0, -1]), np.array([0, 0, 1, 1, 1])).tolist()
    [0, 0, 1, 1, -1]
    """
    return matched_numbers(np.asarray(labels), np.asarray(reference) + 1) - 1
