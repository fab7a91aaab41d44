"""ClusterResult: what a run (or an assign) hands back, and how it is written to disk.

``result.labels``, ``result.k``, ``result.recommended_k``, ``result.k_scores``, ``result.profiles``,
``result.data`` (the user's table with a ``Cluster`` column), ``result.summary()`` (summary.json),
``result.to_excel(path)``, ``result.to_csv(path)``, ``result.save(out_dir)``.
"""

from __future__ import annotations

import platform
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._version import __version__
from .errors import Note
from .estimator import ClusterLab
from .evaluation import Evaluation
from .export import EXCEL_MAX_ROWS, Block, write_csv, write_json, write_workbook
from .model import clean_json, save_model
from .profiles import ALL, Profiles
from .progress import ProgressCallback, emit
from .readers import Table
from .recommendation import Recommendation
from .roles import Roles

__all__ = ["CLUSTER_COLUMN", "ClusterResult"]

CLUSTER_COLUMN = "Cluster"


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
        name, n = CLUSTER_COLUMN, 1
        while name in self.table.frame.columns:
            n += 1
            name = f"{CLUSTER_COLUMN}_{n}"
        return name

    @property
    def labels(self) -> pd.Series:
        """Cluster number (1..k) per input row, in input order; <NA> for rows left unclustered."""
        values = pd.array(np.where(self.clusters > 0, self.clusters, 0), dtype="Int64")
        values[self.clusters <= 0] = pd.NA
        return pd.Series(values, name=self.cluster_column)

    @property
    def data(self) -> pd.DataFrame:
        """The user's table, columns and order unchanged, with the cluster column added at the end."""
        return self.table.frame.assign(**{self.cluster_column: self.labels})

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
        return clean_json(out)

    # --- files ------------------------------------------------------------------------------------------
    def to_csv(self, path: str | Path) -> Path:
        return write_csv(self.data, Path(path))

    def to_excel(self, path: str | Path) -> Path:
        """The workbook: "Clustered Data", "Cluster Profiles", "K Selection", "Columns", "Settings"."""
        data = self.data
        if len(data) > EXCEL_MAX_ROWS:
            raise ValueError(
                f"{len(data)} rows do not fit in an Excel sheet (limit {EXCEL_MAX_ROWS}); use to_csv."
            )
        sheets: list[tuple[str, list[Block], dict[str, Any]]] = [
            ("Clustered Data", [(None, data)], {"filter": True}),
            ("Cluster Profiles", self._profile_blocks(), {"percent": {"Share"} | set(self._share_columns())}),
            ("K Selection", [(None, self._k_table())], {}),
            ("Columns", [(None, self._columns_table())], {"percent": {"Missing share"}}),
            ("Settings", self._settings_blocks(), {}),
        ]
        return write_workbook(Path(path), sheets)

    def save_model(self, path: str | Path) -> Path:
        return save_model(self.model, path, source={"file": self.table.name, "n_rows": len(self.clusters)})

    def save(self, out_dir: str | Path, progress: ProgressCallback | None = None) -> dict[str, Path]:
        """Write every output into ``out_dir``: clustered.xlsx, clustered.csv, summary.json, model.json."""
        import time

        start = time.perf_counter()
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        written: dict[str, Path] = {}
        emit(progress, "write", "writing clustered.csv", 0, 4)
        written["csv"] = self.to_csv(out / "clustered.csv")
        emit(progress, "write", "writing clustered.xlsx", 1, 4)
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
        emit(progress, "write", "writing model.json", 2, 4)
        if self.kind == "run":
            written["model"] = self.save_model(out / "model.json")
        self.timings["write"] = round(time.perf_counter() - start, 4)
        emit(progress, "write", "writing summary.json", 3, 4)
        written["summary"] = write_json(self.summary(), out / "summary.json")
        emit(progress, "write", f"done: outputs in {out}", 4, 4)
        return written

    # --- sheet contents ---------------------------------------------------------------------------------
    def _share_columns(self) -> list[str]:
        return [ALL, *(f"Cluster {k}" for k in self.profiles.sizes["Cluster"])]

    def _profile_blocks(self) -> list[tuple[str | None, pd.DataFrame]]:
        p = self.profiles
        sizes = p.sizes.rename(columns={"rows": "Rows", "share": "Share"})
        blocks: list[tuple[str | None, pd.DataFrame]] = [("Cluster sizes", sizes)]
        if not p.numeric.empty:
            numeric = p.numeric.melt(id_vars=["Cluster", "column"], var_name="Statistic")
            wide = numeric.pivot_table(
                index=["column", "Statistic"], columns="Cluster", values="value", sort=False, aggfunc="first"
            )
            wide = wide[[ALL, *[c for c in wide.columns if c != ALL]]]
            wide.columns = [ALL if c == ALL else f"Cluster {c}" for c in wide.columns]
            blocks.append(
                ("Numeric columns (original units)", wide.reset_index().rename(columns={"column": "Column"}))
            )
        if not p.categories.empty:
            wide = p.categories.pivot_table(
                index=["column", "level"], columns="Cluster", values="share", sort=False, aggfunc="first"
            )
            wide = wide[[ALL, *[c for c in wide.columns if c != ALL]]]
            wide.columns = [ALL if c == ALL else f"Cluster {c}" for c in wide.columns]
            blocks.append(
                (
                    "Category shares (share of each cluster's rows)",
                    wide.reset_index().rename(columns={"column": "Column", "level": "Value"}),
                )
            )
        return blocks

    def _k_table(self) -> pd.DataFrame:
        table = self.model.sweep_.table.copy()
        table.insert(1, "Recommended", np.where(table["k"] == self.recommended_k, "yes", ""))
        table.insert(2, "Chosen", np.where(table["k"] == self.k, "yes", ""))
        return table

    def _columns_table(self) -> pd.DataFrame:
        rows = [
            {
                "Column": c.name,
                "Role": c.role,
                "Why": c.reason,
                "Distinct values": c.n_distinct,
                "Empty cells": c.n_missing,
                "Missing share": c.share_missing,
                "Examples": ", ".join(c.examples),
                "Set by you": "yes" if c.user_set else "",
            }
            for c in self.model.roles_
        ]
        return pd.DataFrame(rows)

    def _settings_blocks(self) -> list[tuple[str | None, pd.DataFrame]]:
        summary = self.summary()
        rec = self.recommendation
        about = pd.DataFrame(
            [
                ("File", self.table.describe()),
                ("Rows clustered", f"{summary['n_rows_clustered']} of {summary['n_rows']}"),
                ("Recommended k", f"{rec.k} ({rec.confidence} confidence): {rec.reason}"),
                ("Chosen k", str(self.k)),
                ("ClusterLab", __version__),
            ],
            columns=["Item", "Value"],
        )
        settings = pd.DataFrame(
            [(k, "" if v is None else str(v)) for k, v in summary["settings"].items()],
            columns=["Setting", "Value"],
        )
        blocks: list[tuple[str | None, pd.DataFrame]] = [("Run", about), ("Settings", settings)]
        if self.notes:
            blocks.append(
                (
                    "Notes",
                    pd.DataFrame(
                        {"Stage": [n.stage for n in self.notes], "Note": [n.message for n in self.notes]}
                    ),
                )
            )
        return blocks


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
