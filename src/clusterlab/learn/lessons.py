"""Each lesson's material for a page: charts as JSON-ready specs and the numbers the words quote, on
the playground's data or a run's sample (:class:`.run_sample.RunSample`). The web's Learn pages
render these; the notebook functions of :mod:`clusterlab.learn` draw the same charts as figures.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd

from ..core.choose_k.criteria import CRITERIA
from ..core.choose_k.recommendation import recommend
from ..core.choose_k.sweep import sweep_k
from ..outputs.palette import cluster_colour
from ..report.charts.spec import page_spec
from .k_figures import CURVES, curve_spec, dendrogram_spec, elbow_spec, method_map
from .lloyd import record_lloyd, restart_inertias
from .methods import METHODS, dendrogram_lines, matched, one_thread, run_method
from .run_sample import sweep_from_one
from .step_figures import Projection, distance_table, inertia_spec, restarts_spec, steps_spec

__all__ = ["RESTARTS", "k_lesson", "kmeans_lesson", "methods_lesson", "playground_sweep"]

RESTARTS = 5


def _first_two(X: np.ndarray) -> np.ndarray:
    return np.asarray(X)[:, :2]


def kmeans_lesson(
    X: np.ndarray,
    k: int,
    *,
    start: str = "k-means++",
    seed: int = 0,
    project: Projection = _first_two,
    titles: tuple[str, str] = ("x", "y"),
    rows: np.ndarray | None = None,
) -> dict[str, Any]:
    """K-Means step by step on ``X``: the animated map, the inertia, every row's distance to every
    centre at every step, and the final inertia of :data:`RESTARTS` random starts."""
    with one_thread():
        run = record_lloyd(X, k, start=start, seed=seed)
        inertias = restart_inertias(X, k, starts=RESTARTS, start="random", seed=seed)
        plus = restart_inertias(X, k, starts=RESTARTS, start="k-means++", seed=seed)
    numbers = np.arange(1, len(X) + 1) if rows is None else np.asarray(rows)
    return {
        "map": steps_spec(run, project, titles, numbers),
        "inertia": inertia_spec(run),
        "restarts": restarts_spec(inertias, "random"),
        "restarts_plus": restarts_spec(plus, "k-means++"),
        "table": {
            "rows": numbers.tolist(),
            "k": k,
            "colours": [cluster_colour(c + 1) for c in range(k)],
            "steps": distance_table(run),
        },
        "starts": RESTARTS,
        "iterations": run.iterations,
        "converged": run.converged,
        "inertia_end": run.inertia,
        "empty": run.empty,
        "spread": {"random": [min(inertias), max(inertias)], "plus": [min(plus), max(plus)]},
    }


def playground_sweep(X: np.ndarray, kmax: int = 8, seed: int = 0) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The product's own sweep and recommendation on the playground's data (k from 2 to ``kmax``),
    with k = 1's inertia added for the elbow."""
    with warnings.catch_warnings(), one_thread():
        warnings.simplefilter("ignore")
        sweep = sweep_k(X, list(range(2, kmax + 1)), seed=seed, n_init=3, resamples=5)
        rec = recommend(sweep)
    table = sweep_from_one(sweep.table, X)
    return table, {
        "k": rec.k,
        "confidence": rec.confidence,
        "structure": rec.structure,
        "reason": rec.reason,
        "votes": dict(rec.votes),
    }


def k_lesson(
    table: pd.DataFrame, recommendation: dict[str, Any], chosen: int | None = None
) -> dict[str, Any]:
    """How to choose k from a sweep table (from k = 1) and its recommendation: the elbow, each
    criterion's curve with its pick, and who voted for what."""
    votes = recommendation.get("votes", {})
    rows = []
    for name, criterion in CRITERIA.items():
        if not criterion.votes:
            continue
        rows.append(
            {
                "name": name,
                "title": criterion.title,
                "pick": votes.get(name),
                "agrees": votes.get(name) == recommendation["k"],
                "description": criterion.description,
            }
        )
    one = table[table["k"].astype(int) == 1]
    return {
        "elbow": page_spec(elbow_spec(table, votes.get("elbow"), chosen)),
        "curves": [page_spec(curve_spec(table, name, votes.get(name))) for name in CURVES if name in table],
        "votes": rows,
        "recommendation": recommendation,
        "one_inertia": float(one["inertia"].iloc[0]) if len(one) else None,
        "ks": [int(k) for k in table["k"]],
    }


def methods_lesson(
    X: np.ndarray,
    k: int,
    *,
    seed: int = 0,
    project: Projection = _first_two,
    titles: tuple[str, str] = ("x", "y"),
) -> dict[str, Any]:
    """The same rows clustered by every method of :data:`.methods.METHODS`, and the dendrogram."""
    xy = project(X)
    maps = []
    reference: np.ndarray | None = None
    for name, method in METHODS.items():
        labels = run_method(name, X, k, seed)
        # The same group in the same colour in every panel: each method numbered as K-Means (the first).
        reference = labels if reference is None else reference
        labels = matched(labels, reference)
        maps.append(
            {
                "name": name,
                "title": method.title,
                "choose_when": method.choose_when,
                "chart": page_spec(method_map(xy, labels, method.title, titles)),
                "clusters": len({int(v) for v in labels if v >= 0}),
                "noise": int((labels < 0).sum()),
            }
        )
    return {"maps": maps, "dendrogram": page_spec(dendrogram_spec(dendrogram_lines(X), k))}
