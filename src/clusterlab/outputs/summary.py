"""summary.json: every fact of a result as JSON-ready data, for people's scripts and the web app.

The keys are listed in the README (summary.json). The partitioned Dask run writes a summary of the
same shape for what it has (:func:`recommendation_summary`, :func:`size_summary`).
"""

from __future__ import annotations

import platform
from typing import Any

import numpy as np
import pandas as pd

from .._version import __version__
from ..core.clustering import Clustering
from .text_files import clean_json

__all__ = ["run_summary"]


def run_summary(result: Clustering) -> dict[str, Any]:
    """summary.json of a run or an assign: every fact of the result as JSON-ready data (README)."""
    model, sweep = result.model, result.model.sweep_
    sizes = [
        {"cluster": int(r.Cluster), "rows": int(r.rows), "share": float(r.share)}
        for r in result.profiles.sizes.itertuples()
    ]
    out: dict[str, Any] = {
        "kind": result.kind,
        "source": {
            "file": result.table.name,
            "format": result.table.format,
            "sheet": result.table.sheet,
            "csv": result.table.csv_format.describe() if result.table.csv_format else None,
        },
        "n_rows": len(result.clusters),
        "n_rows_clustered": int((result.clusters > 0).sum()),
        "columns": [_column_summary(c.to_dict()) for c in model.roles_],
        "features": {
            "columns_used": [str(c) for c in model.feature_names_in_],
            "encoded_columns": len(model.preprocessor_.encoded_names_),
            "components": int(model.preprocessor_.n_components_),
        },
        "preprocessing": list(model.preprocessor_.choices_),
        "recommended_k": result.recommended_k,
        "k": result.k,
        "recommendation": result.recommendation.to_dict(),
        "k_selection": sweep.table.to_dict(orient="records"),
        "silhouette_sample": {"rows": int(sweep.sample_size), "exact": bool(sweep.silhouette_exact)},
        "cluster_sizes": sizes,
        "cluster_column": result.cluster_column,
        "notes": [n.to_dict() for n in result.notes],
        "timings": result.timings,
        "settings": {
            **result.settings.to_dict(),
            "algorithm": model.algorithm,
            "roles": dict(model.roles or {}),
            "exclude": list(model.exclude or ()),
            "ordinal": {k: list(v) for k, v in (model.ordinal or {}).items()},
            "label": model.label,
        },
        "versions": _versions(),
    }
    if result.evaluation is not None:
        out["evaluation"] = result.evaluation.to_dict()
    out["clusters"] = [d.to_dict() for d in result.descriptions]
    out["outliers"] = {
        **result.outliers.summary(result.clusters),
        "distance_column": result.distance_column,
        "outlier_column": result.outlier_column,
    }
    return clean_json(out)


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
