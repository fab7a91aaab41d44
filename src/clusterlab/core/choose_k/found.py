"""The k a method found by itself (HDBSCAN): the one-row k table and the recommendation that says so.

A method that finds k has no sweep over k to choose from; the table keeps the shape of a sweep (one
row: that k, its silhouette on the clustered rows, the fit seconds) so every output reads it alike.

Finding clusters is not evidence that they are there: HDBSCAN finds some in a single random cloud. So
the answer is judged as ``--method auto`` judges a density partition (:mod:`.method_choice`): its
density-based validity (DBCV) on a seeded sample of at most ``COMPARE_ROWS`` rows must reach
``MIN_VALIDITY`` with at most ``MAX_NOISE`` of the rows left as noise for a "clear" structure and
"moderate" confidence (never "strong": nothing was resampled); otherwise it is "weak" (validity above
0) or "none", with weak confidence, and the reason says to treat the clusters as a partition.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.metrics import silhouette_score

from ..methods import Method
from ..settings import Settings
from .density_validity import density_validity, mutual_reachability
from .method_candidates import MAX_NOISE
from .method_choice import comparison_rows
from .method_rule import MIN_VALIDITY
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
    validity = _validity(method.measured(X), numbers, settings.seed) if k >= 2 else float("nan")
    clear = k >= 2 and validity >= MIN_VALIDITY and share <= MAX_NOISE
    structure = "clear" if clear else ("weak" if k >= 2 and validity > 0 else "none")
    reason = (
        f"{method.title} found {k} cluster{'s' if k != 1 else ''} of at least its minimum size"
        f"{f' and left {noise:,} row(s) ({share:.0%}) as Noise' if noise else ''}; the number of "
        "clusters was not chosen from a range."
    )
    if k >= 2 and clear:
        reason += f" Sparse regions separate them (density-based validity {validity:.2f})."
    elif k >= 2:
        why = (
            f"{share:.0%} of the rows are Noise"
            if validity >= MIN_VALIDITY
            else f"sparse regions barely separate them (density-based validity {validity:.2f}, against "
            f"{MIN_VALIDITY:.2f} for a clear structure)"
        )
        reason += f" But {why}: treat them as a partition rather than natural segments."
    recommendation = Recommendation(
        k=k,
        confidence="moderate" if clear else "weak",
        structure=structure,
        reason=reason,
        votes={},
        silhouette=None if np.isnan(score) else score,
        k_range=[k],
    )
    return KSweep(table, min(len(clustered), settings.silhouette_sample), len(X)), recommendation


def _validity(X: np.ndarray, numbers: np.ndarray, seed: int) -> float:
    """DBCV of clusters ``numbers`` (0: noise) on a seeded sample of at most ``COMPARE_ROWS`` rows."""
    rows = comparison_rows(len(X), seed)
    labels = numbers[rows] - 1  # noise (0) becomes -1, as density_validity counts it
    if len(np.unique(labels[labels >= 0])) < 2:
        return float("nan")
    value = density_validity(mutual_reachability(np.asarray(X[rows], dtype=np.float64)), labels)
    return float("nan") if np.isnan(value) else float(value)
