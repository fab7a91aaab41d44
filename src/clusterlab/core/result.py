"""ClusterResult: what a run (or an assign) hands back, and how it is written to disk.

``result.labels``, ``result.k``, ``result.recommended_k``, ``result.k_scores``, ``result.profiles``,
``result.data`` (the user's table with ``Cluster``, ``Distance`` and ``Outlier`` columns),
``result.descriptions`` (each cluster in words), ``result.outliers``, ``result.summary()``
(summary.json), ``result.to_excel(path)``, ``result.to_csv(path)``, ``result.to_html(path)``
(report.html), ``result.save(out_dir)``. In a notebook the result shows itself as a table, and
``result.plot_k_selection()``, ``plot_map()``, ``plot_profiles()`` and ``plot_sizes()`` return Plotly
figures.
"""

from __future__ import annotations

import platform
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._version import __version__
from .description import ClusterDescription, describe_clusters
from .distinction import SLIGHT, cluster_effects
from .errors import Note, SettingsError
from .estimator import ClusterLab
from .evaluation import Evaluation
from .export import EXCEL_MAX_ROWS, output_folder, write_csv, write_json, write_workbook
from .model import clean_json, save_model
from .notebook import notebook_html
from .outliers import Outliers, find_outliers
from .profiles import Profiles
from .progress import ProgressCallback, emit
from .readers import Table
from .recommendation import Recommendation
from .roles import Roles
from .workbook import workbook_sheets

__all__ = ["CLUSTER_COLUMN", "DISTANCE_COLUMN", "OUTLIER_COLUMN", "ClusterResult"]

CLUSTER_COLUMN = "Cluster"
DISTANCE_COLUMN = "Distance"  # to the centre of the row's cluster (see core/outliers.py)
OUTLIER_COLUMN = "Outlier"


class ClusterResult:
    """The outcome of :func:`clusterlab.cluster` or :func:`clusterlab.assign`."""

    def __init__(
        self,
        table: Table,
        model: ClusterLab,
        clusters: np.ndarray,
        profiles: Profiles,
        evaluation: Evaluation | None,
        notes: list[Note],
        timings: dict[str, float],
        kind: str = "run",
    ) -> None:
        self.table = table
        self.model = model
        self.clusters = clusters  # 1..k per row, -1 where a row was left unclustered
        self.profiles = profiles
        self.evaluation = evaluation
        self.notes = notes
        self.timings = timings
        self.kind = kind

    # --- what people ask for -------------------------------------------------------------------------
    @property
    def cluster_column(self) -> str:
        """'Cluster', or 'Cluster_2' (etc.) when the user's table already has a column of that name."""
        return self._free_name(CLUSTER_COLUMN)

    @property
    def distance_column(self) -> str:
        """'Distance' (or 'Distance_2'...): each row's distance to its cluster's centre."""
        return self._free_name(DISTANCE_COLUMN)

    @property
    def outlier_column(self) -> str:
        """'Outlier' (or 'Outlier_2'...): True where the row is beyond its cluster's threshold."""
        return self._free_name(OUTLIER_COLUMN)

    def _free_name(self, base: str) -> str:
        name, n = base, 1
        while name in self.table.frame.columns:
            n += 1
            name = f"{base}_{n}"
        return name

    @property
    def labels(self) -> pd.Series:
        """Cluster number (1..k) per input row, in input order; <NA> for rows left unclustered."""
        values = pd.array(np.where(self.clusters > 0, self.clusters, 0), dtype="Int64")
        values[self.clusters <= 0] = pd.NA
        return pd.Series(values, name=self.cluster_column)

    @property
    def data(self) -> pd.DataFrame:
        """The user's table, columns and order unchanged, with three columns added at the end:
        the cluster number, the distance to the cluster's centre and the Outlier flag (empty where
        a row was left unclustered)."""
        clustered = self.clusters > 0
        distance = pd.Series(np.round(self.outliers.distance, 6), name=self.distance_column)
        flag = pd.array(self.outliers.flag, dtype="boolean")
        flag[~clustered] = pd.NA
        return self.table.frame.assign(
            **{
                self.cluster_column: self.labels,
                self.distance_column: distance.to_numpy(),
                self.outlier_column: flag,
            }
        )

    @cached_property
    def outliers(self) -> Outliers:
        """Distance of each row to its cluster's centre and the Outlier flag (see core/outliers.py)."""
        thresholds = getattr(self.model, "outlier_thresholds_", None)
        percentile = float(self.settings.outlier_percentile)
        if thresholds is None and self.kind == "assign":
            self.notes.append(
                Note(
                    "assign",
                    "The model file has no outlier thresholds (made by an older ClusterLab); "
                    f"outliers were judged against the {percentile:g}th percentile of these rows instead.",
                )
            )
        return find_outliers(
            np.asarray(self.model.embedding_),
            self.clusters,
            self.model.cluster_centers_,
            percentile,
            thresholds,
            far_out=self.model.preprocessor_.far_out_rows(self.table.frame),
        )

    @cached_property
    def effects(self) -> pd.DataFrame:
        """Every column's (and category level's) effect size per cluster, largest first (all sizes;
        see core/distinction.py)."""
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
    def settings(self) -> Any:
        return self.model._settings()

    def __repr__(self) -> str:
        sizes = ", ".join(f"{int(r.Cluster)}: {int(r.rows)}" for r in self.profiles.sizes.itertuples())
        return (
            f"<ClusterResult {self.table.name}: {len(self.clusters)} rows, k={self.k} "
            f"(recommended {self.recommended_k}, {self.recommendation.confidence}); sizes {sizes}>"
        )

    # --- summary.json ---------------------------------------------------------------------------------
    def summary(self) -> dict[str, Any]:
        model, sweep = self.model, self.model.sweep_
        sizes = [
            {"cluster": int(r.Cluster), "rows": int(r.rows), "share": float(r.share)}
            for r in self.profiles.sizes.itertuples()
        ]
        out: dict[str, Any] = {
            "kind": self.kind,
            "source": {
                "file": self.table.name,
                "format": self.table.format,
                "sheet": self.table.sheet,
                "csv": self.table.csv_format.describe() if self.table.csv_format else None,
            },
            "n_rows": len(self.clusters),
            "n_rows_clustered": int((self.clusters > 0).sum()),
            "columns": [_column_summary(c.to_dict()) for c in model.roles_],
            "features": {
                "columns_used": [str(c) for c in model.feature_names_in_],
                "encoded_columns": len(model.preprocessor_.encoded_names_),
                "components": int(model.preprocessor_.n_components_),
            },
            "preprocessing": list(getattr(model.preprocessor_, "choices_", [])),
            "recommended_k": self.recommended_k,
            "k": self.k,
            "recommendation": self.recommendation.to_dict(),
            "k_selection": sweep.table.to_dict(orient="records"),
            "silhouette_sample": {"rows": int(sweep.sample_size), "exact": bool(sweep.silhouette_exact)},
            "cluster_sizes": sizes,
            "cluster_column": self.cluster_column,
            "notes": [n.to_dict() for n in self.notes],
            "timings": self.timings,
            "settings": {
                **self.settings.to_dict(),
                "algorithm": model.algorithm,
                "roles": dict(model.roles or {}),
                "exclude": list(model.exclude or ()),
                "ordinal": {k: list(v) for k, v in (model.ordinal or {}).items()},
                "label": model.label,
            },
            "versions": _versions(),
        }
        if self.evaluation is not None:
            out["evaluation"] = self.evaluation.to_dict()
        out["clusters"] = [d.to_dict() for d in self.descriptions]
        out["outliers"] = {
            **self.outliers.summary(self.clusters),
            "distance_column": self.distance_column,
            "outlier_column": self.outlier_column,
        }
        return clean_json(out)

    # --- files ------------------------------------------------------------------------------------------
    def to_csv(self, path: str | Path) -> Path:
        return write_csv(self.data, Path(path))

    def to_excel(self, path: str | Path) -> Path:
        """The workbook: "Clustered Data", "Cluster Profiles" (descriptions, distinguishing features,
        statistics, category shares and a chart of the sizes), "K Selection", "Columns", "Settings"."""
        return write_workbook(Path(path), workbook_sheets(self))

    def save_model(self, path: str | Path) -> Path:
        return save_model(self.model, path, source={"file": self.table.name, "n_rows": len(self.clusters)})

    def to_html(self, path: str | Path) -> Path:
        """Write the self-contained report.html (opens offline; needs ``clusterlab[report]``)."""
        from ..report.report import write_report

        return write_report(self, Path(path))

    def save(self, out_dir: str | Path, progress: ProgressCallback | None = None) -> dict[str, Path]:
        """Write every output into ``out_dir``: clustered.xlsx, clustered.csv, report.html,
        summary.json, and (for a run) model.json."""
        import time

        start = time.perf_counter()
        out = output_folder(out_dir)
        written: dict[str, Path] = {}
        emit(progress, "write", "writing clustered.csv", 0, 5)
        written["csv"] = self.to_csv(out / "clustered.csv")
        emit(progress, "write", "writing clustered.xlsx", 1, 5)
        if len(self.clusters) <= EXCEL_MAX_ROWS:
            written["xlsx"] = self.to_excel(out / "clustered.xlsx")
        else:
            self.notes.append(
                Note(
                    "write",
                    f"{len(self.clusters)} rows are more than an Excel sheet holds; "
                    "only clustered.csv was written.",
                    level="warning",
                )
            )
        emit(progress, "write", "writing model.json", 2, 5)
        if self.kind == "run":
            written["model"] = self.save_model(out / "model.json")
        emit(progress, "write", "writing report.html", 3, 5)
        try:
            written["report"] = self.to_html(out / "report.html")
        except ImportError as err:  # the report extra is not installed: every other output still is
            self.notes.append(Note("write", f"report.html was not written: {err}", level="warning"))
        self.timings["write"] = round(time.perf_counter() - start, 4)
        emit(progress, "write", "writing summary.json", 4, 5)
        written["summary"] = write_json(self.summary(), out / "summary.json")
        emit(progress, "write", f"done: outputs in {out}", 5, 5)
        return written

    # --- notebooks ----------------------------------------------------------------------------------
    def plot_k_selection(self) -> Any:
        """Plotly figure: every criterion over k, with the recommended k marked."""
        from ..report.figures import k_selection_figure

        return k_selection_figure(self)

    def plot_map(self, max_points: int = 5000) -> Any:
        """Plotly figure: the rows on two principal components, coloured by cluster, with the centres."""
        from ..report.figures import cluster_map_figure

        return cluster_map_figure(self, max_points=max_points)

    def plot_sizes(self) -> Any:
        """Plotly figure: rows per cluster."""
        from ..report.figures import cluster_sizes_figure

        return cluster_sizes_figure(self)

    def plot_profiles(self, column: str | None = None, cluster: int | None = None) -> Any:
        """Plotly figure of the profiles.

        - no arguments: a heatmap of what sets each cluster apart (clusters x columns);
        - ``column``: that column's distribution in each cluster (or in ``cluster``) beside all rows;
        - ``cluster`` only: histograms of that cluster's most distinguishing numeric columns.
        """
        from ..report import cluster_figures, figures

        if cluster is not None and cluster not in self.profiles.clusters:
            raise SettingsError(
                f"There is no cluster {cluster}; clusters are numbered 1 to {self.k}.",
                detail={"cluster": cluster},
            )
        if column is None:
            if cluster is None:
                return cluster_figures.effect_heatmap_figure(self)
            return cluster_figures.cluster_profile_figure(self, cluster)
        if column in self.profiles.numeric_columns:
            return figures.numeric_profile_figure(self, column, cluster)
        if column in self.profiles.category_columns:
            return figures.category_profile_figure(self, column, cluster)
        profiled = self.profiles.numeric_columns + self.profiles.category_columns
        raise SettingsError(
            f"Column '{column}' has no profile; profiled columns are: "
            + ", ".join(f"'{c}'" for c in profiled[:20])
            + ("..." if len(profiled) > 20 else "")
            + ".",
            detail={"column": column},
        )

    def _repr_html_(self) -> str:
        """What a notebook shows: the recommendation, and each cluster's size, name and description."""
        return notebook_html(self)


def _column_summary(info: dict[str, Any]) -> dict[str, Any]:
    keep = (
        "name",
        "role",
        "reason",
        "n_missing",
        "share_missing",
        "n_distinct",
        "examples",
        "user_set",
        "order",
    )
    out = {k: info[k] for k in keep if k in info}
    out["missing"] = out.pop("n_missing", 0)
    out["distinct"] = out.pop("n_distinct", 0)
    return out


def _versions() -> dict[str, str]:
    import sklearn

    return {
        "clusterlab": __version__,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "pandas": pd.__version__,
        "scikit-learn": sklearn.__version__,
    }
