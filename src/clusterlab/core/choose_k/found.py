"""The k a method found by itself (HDBSCAN): the one-row k table and the recommendation that says so.

A method that finds k has no sweep over k to choose from; the table keeps the shape of a sweep (one
row: that k, its silhouette on the clustered rows, the fit seconds) so every output reads it alike.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.metrics import silhouette_score

from ..methods import Method
from ..settings import Settings
from .recommendation import Recommendation
from .sweep import KSweep

__all__ = ["found_k"]


def found_k(
    X: np.ndarray, numbers: np.ndarray, method: Method, seconds: float, settings: Settings
) -> tuple[KSweep, Recommendation]:
    """The sweep-shaped table and the recommendation for clusters ``numbers`` (1..k, 0 noise) that
    ``method`` found in ``X``."""
    clustered = np.flatnonzero(numbers > 0)
    k = int(numbers.max(initial=0))
    noise = int((numbers == 0).sum())
    score = float("nan")
    if k >= 2:
        rng = np.random.default_rng(settings.seed)
        shown = (
            clustered
            if len(clustered) <= settings.silhouette_sample
            else rng.choice(clustered, settings.silhouette_sample, replace=False)
        )
        if len(np.unique(numbers[shown])) >= 2:
            score = float(silhouette_score(X[shown], numbers[shown]))
    table = pd.DataFrame([{"k": k, "silhouette": score, "fit_seconds": round(seconds, 4), "n_iter": 0}])
    share = noise / max(len(numbers), 1)
    reason = (
        f"{method.title} found {k} cluster{'s' if k != 1 else ''} of at least its minimum size"
        f"{f' and left {noise:,} row(s) ({share:.0%}) as Noise' if noise else ''}; the number of "
        "clusters was not chosen from a range."
    )
    recommendation = Recommendation(
        k=k,
        confidence="moderate" if k >= 2 else "weak",
        structure="clear" if k >= 2 else "none",
        reason=reason,
        votes={},
        silhouette=None if np.isnan(score) else score,
        k_range=[k],
    )
    return KSweep(table, min(len(clustered), settings.silhouette_sample), len(X)), recommendation
