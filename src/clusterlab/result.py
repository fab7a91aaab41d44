"""The library's front door: :func:`cluster`, :func:`assign` and the :class:`ClusterResult` they return.

A :class:`ClusterResult` is the core's :class:`~clusterlab.core.Clustering` (labels, profiles,
descriptions, outliers...) with what sits above the core added: the files (``to_excel``,
``to_csv``, ``to_html``, ``save``, ``summary()``), the charts (``plot_*``) and the notebook display.
So the core never imports a writer, a chart or a template; this facade imports them, as pandas'
``DataFrame.to_excel`` reaches into ``pandas.io.formats`` or scikit-learn's ``*Display`` classes
depend on its metrics.

>>> import clusterlab
>>> result = clusterlab.cluster(clusterlab.sample_path("iris"), k=3)  # doctest: +SKIP
>>> result.to_excel("iris.xlsx"); result.save("results/")  # doctest: +SKIP
"""

from __future__ import annotations

import inspect
import time
from pathlib import Path
from typing import Any

from .core import pipeline
from .core.clustering import Clustering
from .core.errors import Note, SettingsError
from .core.estimator import ClusterLab
from .core.formatting import quoted_list
from .core.progress import ProgressCallback, emit
from .outputs.excel_writer import EXCEL_MAX_ROWS, write_workbook
from .outputs.model_file import load_model, save_model
from .outputs.notebook import notebook_html
from .outputs.summary import run_summary
from .outputs.text_files import output_folder, with_names, write_csv, write_json
from .outputs.workbook import workbook_sheets

__all__ = ["ClusterResult", "assign", "cluster"]


class ClusterResult(Clustering):
    """The outcome of :func:`clusterlab.cluster` or :func:`clusterlab.assign`, with its outputs.

    Everything of :class:`~clusterlab.core.Clustering` (``labels``, ``data``, ``k``,
    ``recommendation``, ``k_scores``, ``profiles``, ``effects``, ``descriptions``, ``outliers``...)
    plus ``summary()`` (summary.json), ``to_csv``, ``to_excel``, ``to_html`` (report.html),
    ``save_model``, ``save(out_dir)`` and, for notebooks, ``plot_*`` (Plotly figures) and a table.
    """

    @classmethod
    def of(cls, clustering: Clustering) -> ClusterResult:
        """The same result, with its outputs."""
        c = clustering
        return cls(
            c.table,
            c.model,
            c.clusters,
            c.embedding,
            c.profiles,
            c.evaluation,
            c.notes,
            c.timings,
            c.kind,
            c.probabilities,
        )

    # --- summary.json ---------------------------------------------------------------------------------
    def summary(self) -> dict[str, Any]:
        """summary.json as a dict (the keys are in the README)."""
        return run_summary(self)

    # --- files ------------------------------------------------------------------------------------------
    def to_csv(self, path: str | Path) -> Path:
        return write_csv(with_names(self), Path(path))

    def to_excel(self, path: str | Path) -> Path:
        """The workbook: "Clustered Data", "Cluster Profiles" (descriptions, distinguishing features,
        statistics, category shares and a chart of the sizes), "K Selection", "Columns", "Settings"."""
        return write_workbook(Path(path), workbook_sheets(self))

    def save_model(self, path: str | Path) -> Path:
        return save_model(self.model, path, source={"file": self.table.name, "n_rows": len(self.clusters)})

    def to_html(self, path: str | Path) -> Path:
        """Write the self-contained report.html (opens offline; needs ``clusterlab[report]``)."""
        from .report.report import write_report  # Jinja2 and Plotly are an optional extra

        return write_report(self, Path(path))

    def save(self, out_dir: str | Path, progress: ProgressCallback | None = None) -> dict[str, Path]:
        """Write every output into ``out_dir``: clustered.xlsx, clustered.csv, report.html,
        summary.json, and (for a run) model.json."""
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
    # Plotly is an optional extra: the chart modules are imported when a chart is asked for.
    def plot_k_selection(self) -> Any:
        """Plotly figure: every criterion over k, with the recommended k marked."""
        from .report.charts.figures import k_selection_figure

        return k_selection_figure(self)

    def plot_map(self, max_points: int = 5000) -> Any:
        """Plotly figure: the rows on two principal components, coloured by cluster, with the centres."""
        from .report.charts.figures import cluster_map_figure

        return cluster_map_figure(self, max_points=max_points)

    def plot_sizes(self) -> Any:
        """Plotly figure: rows per cluster."""
        from .report.charts.figures import cluster_sizes_figure

        return cluster_sizes_figure(self)

    def plot_profiles(self, column: str | None = None, cluster: int | None = None) -> Any:
        """Plotly figure of the profiles.

        - no arguments: a heatmap of what sets each cluster apart (clusters x columns);
        - ``column``: that column's distribution in each cluster (or in ``cluster``) beside all rows;
        - ``cluster`` only: histograms of that cluster's most distinguishing numeric columns.
        """
        from .report.charts import cluster_figures, figures

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
            f"Column '{column}' has no profile; profiled columns are: {quoted_list(profiled, 20)}.",
            detail={"column": column},
        )

    def _repr_html_(self) -> str:
        """What a notebook shows: the recommendation, and each cluster's size, name and description."""
        return notebook_html(self)


def cluster(data: pipeline.DataSource, k: int | str = "auto", **options: Any) -> ClusterResult:
    """Cluster the rows of a spreadsheet or DataFrame: :func:`clusterlab.core.cluster` (which lists
    every option: ``sheet``, ``roles``, ``exclude``, ``ordinal``, ``label``,
    ``progress``, ``executor``, ``name`` and any setting by name, ``k_max=15``...), as a
    :class:`ClusterResult` with its outputs.

    Examples
    --------
    >>> import tempfile, clusterlab
    >>> result = cluster(clusterlab.sample_path("iris"), k=3, label="species")
    >>> sorted(result.save(tempfile.mkdtemp()))
    ['csv', 'model', 'report', 'summary', 'xlsx']
    """
    return ClusterResult.of(pipeline.cluster(data, k, **options))


# help(clusterlab.cluster) and notebooks show the core's full signature (one list of options).
cluster.__signature__ = inspect.signature(pipeline.cluster).replace(  # type: ignore[attr-defined]
    return_annotation="ClusterResult"
)


def assign(
    model: ClusterLab | str | Path,
    data: pipeline.DataSource,
    *,
    sheet: str | None = None,
    progress: ProgressCallback | None = None,
    name: str | None = None,
) -> ClusterResult:
    """Label new rows with a saved model (a model.json path) or a fitted :class:`ClusterLab`: the same
    preprocessing, the nearest of the same centres (:func:`clusterlab.core.assign`)."""
    fitted = model if isinstance(model, ClusterLab) else load_model(model)
    return ClusterResult.of(pipeline.assign(fitted, data, sheet=sheet, progress=progress, name=name))
