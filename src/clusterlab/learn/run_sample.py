"""What the lessons need of a finished run, small enough to save beside it (the web app's
``learn.json``): a sample of its rows in the clustering space, the map's projection, and the sweep's
scores with k = 1 added.

The lessons then replay K-Means on those rows, from the run's k, without reading the file again.
Inertia at k = 1 is the total sum of squares (every row against the overall mean); silhouette,
Calinski-Harabasz and Davies-Bouldin compare clusters with one another, so one cluster has none.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..core.clustering import Clustering

__all__ = ["SAMPLE_ROWS", "RunSample", "one_cluster_inertia", "sweep_from_one"]

SAMPLE_ROWS = 200  # rows the lessons replay: enough to see the groups, few enough to read a table of
VERSION = 1


def one_cluster_inertia(X: np.ndarray) -> float:
    """Inertia with a single cluster: the squared distances of every row to the overall mean.

    >>> one_cluster_inertia(np.array([[0.0], [2.0]]))
    2.0
    """
    X = np.asarray(X, dtype=float)
    return float(((X - X.mean(axis=0)) ** 2).sum())


def sweep_from_one(table: pd.DataFrame, X: np.ndarray) -> pd.DataFrame:
    """The sweep's table with a k = 1 row (its inertia; no between-cluster scores) when it lacks one.
    A run without a sweep (a method that finds k itself) gets the k = 1 row alone."""
    if "k" not in table or "inertia" not in table:
        return pd.DataFrame([{"k": 1, "inertia": one_cluster_inertia(X)}])
    if (table["k"].astype(int) == 1).any():
        return table.sort_values("k").reset_index(drop=True)
    one = pd.DataFrame([{"k": 1, "inertia": one_cluster_inertia(X)}])
    return pd.concat([one, table], ignore_index=True).sort_values("k").reset_index(drop=True)


@dataclass
class RunSample:
    """A sample of a run's rows (``X``, in the clustering space; ``rows``: their numbers in the file,
    from 1), the linear map projection (``mean``, ``basis``: x, y = (X - mean) @ basis) with its axis
    titles, the run's k, recommendation and sweep (from k = 1)."""

    X: np.ndarray
    rows: np.ndarray
    mean: np.ndarray
    basis: np.ndarray
    titles: tuple[str, str]
    k: int
    recommendation: dict[str, Any]
    sweep: pd.DataFrame
    n_rows: int
    name: str

    @property
    def project(self) -> Callable[[np.ndarray], np.ndarray]:
        mean, basis = self.mean, self.basis
        return lambda points: (np.asarray(points) - mean) @ basis

    @classmethod
    def of(cls, result: Clustering, max_rows: int = SAMPLE_ROWS, seed: int = 0) -> RunSample:
        embedding = np.asarray(result.embedding, dtype=float)
        clustered = np.flatnonzero(np.asarray(result.clusters) > 0)
        rng = np.random.default_rng(seed)
        rows = (
            clustered
            if len(clustered) <= max_rows
            else np.sort(rng.choice(clustered, max_rows, replace=False))
        )
        X = embedding[rows]
        mean, basis, titles = _projection(result, embedding, X)
        rec = result.recommendation
        return cls(
            X,
            rows + 1,
            mean,
            basis,
            titles,
            result.k,
            {
                "k": rec.k,
                "confidence": rec.confidence,
                "structure": rec.structure,
                "reason": rec.reason,
                "votes": dict(rec.votes),
            },
            sweep_from_one(result.k_scores, embedding[clustered]),
            len(result.clusters),
            result.table.name,
        )

    def to_json(self) -> dict[str, Any]:
        sweep = self.sweep.astype(float).where(self.sweep.notna(), None)
        return {
            "version": VERSION,
            "X": np.round(self.X, 6).tolist(),
            "rows": self.rows.tolist(),
            "mean": self.mean.tolist(),
            "basis": self.basis.tolist(),
            "titles": list(self.titles),
            "k": self.k,
            "recommendation": self.recommendation,
            "sweep": sweep.to_dict(orient="records"),
            "n_rows": self.n_rows,
            "name": self.name,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RunSample | None:
        """The sample saved by :meth:`to_json`; None for another version (saved before a change)."""
        if data.get("version") != VERSION:
            return None
        sweep = pd.DataFrame(data["sweep"]).astype(float)
        sweep["k"] = sweep["k"].astype(int)
        return cls(
            np.asarray(data["X"], dtype=float),
            np.asarray(data["rows"], dtype=int),
            np.asarray(data["mean"], dtype=float),
            np.asarray(data["basis"], dtype=float),
            (str(data["titles"][0]), str(data["titles"][1])),
            int(data["k"]),
            dict(data["recommendation"]),
            sweep,
            int(data["n_rows"]),
            str(data["name"]),
        )


def _projection(
    result: Clustering, embedding: np.ndarray, X: np.ndarray
) -> tuple[np.ndarray, np.ndarray, tuple[str, str]]:
    """The projection of the run's map (report.charts.figures): its first two components when the
    clustering space ends with PCA, else a PCA of the sample."""
    d = embedding.shape[1]
    if d < 2:
        return np.zeros(d), np.c_[np.ones((d, 1)), np.zeros((d, 1))], ("Component 1", "(only one dimension)")
    reduce = result.model.preprocessor_.pipeline_.named_steps.get("reduce")
    if reduce is not None:
        ratio = np.asarray(getattr(reduce, "explained_variance_ratio_", []), dtype=float)
        titles = tuple(
            f"Component {i + 1}" + (f" ({ratio[i]:.0%} of the variance)" if len(ratio) > i else "")
            for i in range(2)
        )
        return np.zeros(d), np.eye(d)[:, :2], (titles[0], titles[1])
    mean = X.mean(axis=0)
    _, s, vt = np.linalg.svd(X - mean, full_matrices=False)
    share = s**2 / max(float(np.sum(s**2)), 1e-12)
    return (
        mean,
        vt[:2].T,
        (f"Component 1 ({share[0]:.0%} of the variance)", f"Component 2 ({share[1]:.0%} of the variance)"),
    )
