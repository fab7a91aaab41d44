"""Clustering: what the core hands back for a table, everything in it computed, nothing written.

``labels`` (1..k per row, 0 for Noise), ``data`` (the user's table with ``Cluster``, ``Distance`` and
``Outlier`` columns, and ``Cluster probability`` for a method that has one), ``k``, ``recommended_k``, ``recommendation``, ``k_scores``, ``profiles``, ``effects``,
``descriptions`` (each cluster in words), ``outliers``, ``evaluation``, ``notes`` and ``timings``.
Files, charts and the notebook display sit above the core: :class:`clusterlab.ClusterResult` is this
class with ``to_excel``, ``to_html``, ``save``, ``summary()`` and ``plot_*`` added.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property

import numpy as np
import pandas as pd

from .choose_k.recommendation import Recommendation
from .errors import Note
from .estimator import ClusterLab
from .explain.description import ClusterDescription, describe_clusters
from .explain.effects import SLIGHT, cluster_effects
from .explain.evaluation import Evaluation
from .explain.outliers import Outliers, find_outliers
from .explain.profiles import Profiles
from .read.readers import Table
from .roles.column_roles import Roles
from .settings import Settings

__all__ = [
    "CLUSTER_COLUMN",
    "DISTANCE_COLUMN",
    "NOISE_CLUSTER",
    "OUTLIER_COLUMN",
    "PROBABILITY_COLUMN",
    "Clustering",
    "free_column_name",
]

CLUSTER_COLUMN = "Cluster"
# A row a density method (HDBSCAN) leaves in no cluster is Noise: Cluster 0 in the data. A number,
# not the word, so the column stays whole numbers in a CSV (a reader sees integers, "== 1" still
# finds cluster 1) and in the workbook, which shows 0 as "Noise" through its number format.
NOISE_CLUSTER = 0
PROBABILITY_COLUMN = "Cluster probability"  # membership of the row's cluster (Gaussian mixture)
DISTANCE_COLUMN = "Distance"  # to the centre of the row's cluster (see explain/outliers.py)
OUTLIER_COLUMN = "Outlier"


def free_column_name(base: str, taken: Iterable[str]) -> str:
    """``base``, or ``base_2``, ``base_3``... when the table already has a column of that name.

    >>> free_column_name("Cluster", ["Cluster", "Cluster_2", "income"])
    'Cluster_3'
    """
    taken = set(taken)
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base}_{n}"
    return name


class Clustering:
    """The outcome of clustering a table (:func:`~clusterlab.core.pipeline.cluster`) or of assigning
    new rows to a fitted model (:func:`~clusterlab.core.pipeline.assign`)."""

    def __init__(
        self,
        table: Table,
        model: ClusterLab,
        clusters: np.ndarray,
        embedding: np.ndarray,
        profiles: Profiles,
        evaluation: Evaluation | None,
        notes: list[Note],
        timings: dict[str, float],
        kind: str = "run",
        probabilities: np.ndarray | None = None,
    ) -> None:
        self.table = table
        self.model = model
        self.clusters = clusters  # 1..k per row, 0 for Noise, -1 where a row was left unclustered
        self.probabilities = probabilities  # membership of the row's cluster, or None (per method)
        self.embedding = embedding  # what the clustering saw: every row, encoded, in input order
        self.profiles = profiles
        self.evaluation = evaluation
        self.notes = notes
        self.timings = timings
        self.kind = kind

    # --- what people ask for -------------------------------------------------------------------------
    @property
    def cluster_column(self) -> str:
        """'Cluster', or 'Cluster_2' (etc.) when the user's table already has a column of that name."""
        return free_column_name(CLUSTER_COLUMN, self.table.frame.columns)

    @property
    def distance_column(self) -> str:
        """'Distance' (or 'Distance_2'...): each row's distance to its cluster's centre."""
        return free_column_name(DISTANCE_COLUMN, self.table.frame.columns)

    @property
    def outlier_column(self) -> str:
        """'Outlier' (or 'Outlier_2'...): True where the row is beyond its cluster's threshold."""
        return free_column_name(OUTLIER_COLUMN, self.table.frame.columns)

    @property
    def probability_column(self) -> str:
        """'Cluster probability' (or '..._2'): each row's membership of its cluster."""
        return free_column_name(PROBABILITY_COLUMN, self.table.frame.columns)

    @property
    def noise_count(self) -> int:
        """Rows the method left in no cluster (Noise, Cluster 0)."""
        return int((self.clusters == NOISE_CLUSTER).sum())

    @property
    def labels(self) -> pd.Series:
        """Cluster number (1..k, 0 for Noise) per input row, in input order; <NA> for rows left
        unclustered."""
        values = pd.array(np.where(self.clusters >= 0, self.clusters, 0), dtype="Int64")
        values[self.clusters < 0] = pd.NA
        return pd.Series(values, name=self.cluster_column)

    @property
    def data(self) -> pd.DataFrame:
        """The user's table, columns and order unchanged, with columns added at the end: the
        cluster number (0: Noise), the distance to the cluster's centre and the Outlier flag (both
        empty where a row is in no cluster), and, for a method with memberships (Gaussian mixture),
        each row's probability of its cluster."""
        clustered = self.clusters > 0
        distance = pd.Series(np.round(self.outliers.distance, 6), name=self.distance_column)
        flag = pd.array(self.outliers.flag, dtype="boolean")
        flag[~clustered] = pd.NA
        added = {
            self.cluster_column: self.labels,
            self.distance_column: distance.to_numpy(),
            self.outlier_column: flag,
        }
        if self.probabilities is not None:
            added[self.probability_column] = np.round(np.asarray(self.probabilities, dtype=float), 4)
        return self.table.frame.assign(**added)

    @cached_property
    def outliers(self) -> Outliers:
        """Distance of each row to its cluster's centre and the Outlier flag (see explain/outliers.py)."""
        return find_outliers(
            np.asarray(self.embedding),
            self.clusters,
            self.model.cluster_centers_,
            float(self.settings.outlier_percentile),
            getattr(self.model, "outlier_thresholds_", None),
            far_out=self.model.preprocessor_.far_out_rows(self.table.frame),
        )

    @cached_property
    def effects(self) -> pd.DataFrame:
        """Every column's (and category level's) effect size per cluster, largest first (all sizes;
        see explain/effects.py)."""
        return cluster_effects(self.profiles, minimum=0.0)

    @cached_property
    def descriptions(self) -> list[ClusterDescription]:
        """Each cluster in words: name, description and ranked distinguishing features."""
        return describe_clusters(self.profiles, self.effects[self.effects["effect"].abs() >= SLIGHT])

    @property
    def k(self) -> int:
        return int(self.model.k_)

    @property
    def recommendation(self) -> Recommendation:
        return self.model.recommendation_

    @property
    def recommended_k(self) -> int:
        return int(self.recommendation.k)

    @property
    def k_scores(self) -> pd.DataFrame:
        """One row per k tried: every criterion and the fit seconds."""
        return self.model.sweep_.table.copy()

    @property
    def roles(self) -> Roles:
        return self.model.roles_

    @property
    def settings(self) -> Settings:
        return self.model.settings_

    def __repr__(self) -> str:
        sizes = ", ".join(f"{int(r.Cluster)}: {int(r.rows)}" for r in self.profiles.sizes.itertuples())
        return (
            f"<{type(self).__name__} {self.table.name}: {len(self.clusters)} rows, k={self.k} "
            f"(recommended {self.recommended_k}, {self.recommendation.confidence}); sizes {sizes}>"
        )
