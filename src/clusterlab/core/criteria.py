"""Criteria for choosing k: a registry, so new criteria (gap, stability...) plug in like built-ins.

A criterion either scores one fit (``score``: silhouette, Calinski-Harabasz, Davies-Bouldin, inertia)
and then picks the best k from the column of scores, or reads the whole curve (``pick`` only: the
elbow of the inertia curve). ``better`` says which way is good, for charts and for people.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sklearn.metrics import calinski_harabasz_score, davies_bouldin_score, silhouette_score

__all__ = ["CRITERIA", "Criterion", "FitRecord", "SweepContext", "register_criterion"]


@dataclass
class FitRecord:
    """One fit of the sweep: labels 0..k-1 in the algorithm's own numbering."""

    k: int
    labels: np.ndarray
    centers: np.ndarray
    inertia: float
    n_iter: int
    seconds: float


@dataclass
class SweepContext:
    """What criteria may look at besides the fit: the data and a fixed row sample for quadratic scores."""

    X: np.ndarray
    sample: np.ndarray  # row indices; all rows when the data is small
    seed: int


@dataclass(frozen=True)
class Criterion:
    name: str
    title: str
    better: str  # "higher", "lower" or "elbow"
    description: str
    score: Callable[[SweepContext, FitRecord], float] | None = None
    pick: Callable[[pd.DataFrame], int | None] | None = None
    votes: bool = True  # takes part in the recommendation

    def best_k(self, table: pd.DataFrame) -> int | None:
        """The k this criterion prefers, read from the sweep table (None when it cannot say)."""
        if self.pick is not None:
            return self.pick(table)
        column = table[self.name].astype(float)
        if column.isna().all():
            return None
        row = column.idxmax() if self.better == "higher" else column.idxmin()
        return int(table.loc[row, "k"])


CRITERIA: dict[str, Criterion] = {}


def register_criterion(criterion: Criterion) -> Criterion:
    CRITERIA[criterion.name] = criterion
    return criterion


def _silhouette(ctx: SweepContext, fit: FitRecord) -> float:
    # Exact silhouette is O(n^2) in time; on a fixed sample of rows it is fast and, for a few thousand
    # rows, within about 0.01 of the exact value. The same sample is used for every k.
    labels = fit.labels[ctx.sample]
    if len(np.unique(labels)) < 2:
        return float("nan")
    return float(silhouette_score(ctx.X[ctx.sample], labels))


def _calinski_harabasz(ctx: SweepContext, fit: FitRecord) -> float:
    return (
        float(calinski_harabasz_score(ctx.X, fit.labels)) if len(np.unique(fit.labels)) > 1 else float("nan")
    )


def _davies_bouldin(ctx: SweepContext, fit: FitRecord) -> float:
    return float(davies_bouldin_score(ctx.X, fit.labels)) if len(np.unique(fit.labels)) > 1 else float("nan")


def _elbow(table: pd.DataFrame) -> int | None:
    from kneed import KneeLocator

    if len(table) < 3:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # kneed warns when there is no knee; None says the same
        knee: Any = KneeLocator(
            table["k"].tolist(), table["inertia"].tolist(), curve="convex", direction="decreasing"
        ).knee
    return None if knee is None else int(knee)


register_criterion(
    Criterion(
        "inertia",
        "Inertia",
        "lower",
        "Sum of squared distances to the nearest centre (always falls as k grows).",
        score=lambda ctx, fit: fit.inertia,
        votes=False,
    )
)
register_criterion(
    Criterion(
        "silhouette",
        "Silhouette",
        "higher",
        "How much closer rows are to their own cluster than to the next one (-1..1; above 0.5 is clear).",
        score=_silhouette,
    )
)
register_criterion(
    Criterion(
        "calinski_harabasz",
        "Calinski-Harabasz",
        "higher",
        "Spread between clusters relative to spread inside them.",
        score=_calinski_harabasz,
    )
)
register_criterion(
    Criterion(
        "davies_bouldin",
        "Davies-Bouldin",
        "lower",
        "Average similarity of each cluster to its most similar one (0 is best).",
        score=_davies_bouldin,
    )
)
register_criterion(
    Criterion(
        "elbow",
        "Elbow",
        "elbow",
        "The k after which adding clusters stops paying off (knee of the inertia curve).",
        pick=_elbow,
    )
)
