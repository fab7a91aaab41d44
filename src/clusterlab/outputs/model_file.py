"""model.json: a fitted ClusterLab as plain JSON, so `clusterlab assign` can label new rows.

Loading reads JSON only (never pickle), so a model file from anyone cannot run code. The file
carries the column roles, the preprocessing state, the method and its fitted state (``method_state``:
what its ``predict`` needs, see :mod:`clusterlab.core.methods`), the centres (cluster i + 1 first)
and the k selection it came from. A file without ``method_state`` (older ClusterLab, K-Means only)
assigns rows to the nearest centre.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._version import __version__
from ..core.choose_k.recommendation import Recommendation
from ..core.choose_k.sweep import KSweep
from ..core.encode.preprocessor import Preprocessor
from ..core.errors import ModelError
from ..core.estimator import ClusterLab
from ..core.methods import fitted_from_state
from ..core.methods.kmeans import KMeansFit
from ..core.roles.column_roles import ColumnInfo, Roles
from ..core.settings import Settings
from .text_files import clean_json

__all__ = ["MODEL_FORMAT", "MODEL_VERSION", "load_model", "model_from_dict", "model_to_dict", "save_model"]

MODEL_FORMAT = "clusterlab-model"
MODEL_VERSION = 1
MAX_MODEL_BYTES = 200 * 1024**2


def model_to_dict(model: ClusterLab, source: dict[str, Any] | None = None) -> dict[str, Any]:
    """Everything :func:`model_from_dict` needs, as JSON-ready data."""
    settings = model.settings_
    return {
        "format": MODEL_FORMAT,
        "format_version": MODEL_VERSION,
        "clusterlab_version": __version__,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "source": source or {},
        "method": model.method_.name,
        "method_state": model.fitted_.to_state(),
        "cluster_order": np.asarray(model.cluster_order_).tolist(),
        "settings": settings.to_dict(),
        "columns": model.roles_.to_dicts(),
        "preprocessor": model.preprocessor_.to_state(),
        "k": int(model.k_),
        "centers": model.cluster_centers_.tolist(),
        "recommendation": model.recommendation_.to_dict(),
        "k_selection": clean_json(model.sweep_.table.to_dict(orient="records")),
        "silhouette_sample": model.sweep_.sample_size,
        "n_rows": model.sweep_.n_rows,
        "outlier_thresholds": clean_json(np.asarray(getattr(model, "outlier_thresholds_", [])).tolist()),
    }


def save_model(model: ClusterLab, path: str | Path, source: dict[str, Any] | None = None) -> Path:
    path = Path(path)
    path.write_text(json.dumps(model_to_dict(model, source), allow_nan=False), encoding="utf-8")
    return path


def load_model(path: str | Path) -> ClusterLab:
    """Read a model.json written by ClusterLab. Raises :class:`ModelError` with the reason otherwise."""
    path = Path(path)
    if not path.is_file():
        raise ModelError(f"Model file '{path.name}' does not exist.", detail={"file": str(path)})
    if path.stat().st_size > MAX_MODEL_BYTES:
        raise ModelError(
            f"Model file '{path.name}' is larger than {MAX_MODEL_BYTES // 1024**2} MB; "
            "it is not a ClusterLab model."
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ModelError(
            f"Model file '{path.name}' is not valid JSON ({err}); use the model.json that "
            "`clusterlab run` wrote.",
            detail={"file": path.name},
        ) from None
    return model_from_dict(data, name=path.name)


def model_from_dict(data: Any, name: str = "model") -> ClusterLab:
    if not isinstance(data, dict) or data.get("format") != MODEL_FORMAT:
        raise ModelError(
            f'File \'{name}\' is not a ClusterLab model (no "format": "{MODEL_FORMAT}").',
            detail={"file": name},
        )
    if data.get("format_version") != MODEL_VERSION:
        raise ModelError(
            f"Model '{name}' has format version {data.get('format_version')}; this ClusterLab "
            f"reads version {MODEL_VERSION}. Re-run `clusterlab run` to make a new model.",
            detail={"file": name},
        )
    try:
        settings = Settings.parse(data["settings"])
        roles = Roles([ColumnInfo.from_dict(c) for c in data["columns"]])
        method = str(data.get("method", data.get("algorithm", "kmeans")))
        model = ClusterLab(k=int(data["k"]), settings=settings, method=method)
        model.method_ = model._method(model._settings())
        model.settings_ = settings
        model.roles_ = roles
        model.preprocessor_ = Preprocessor.from_state(data["preprocessor"], roles, settings)
        model.cluster_centers_ = np.asarray(data["centers"], dtype=float)
        model.k_ = int(data["k"])
        if data.get("method_state") is not None:
            model.fitted_ = fitted_from_state(data["method_state"])
            model.cluster_order_ = np.asarray(data["cluster_order"], dtype=np.int64)
        else:  # made before the method registry: K-Means, centres already numbered by size
            model.fitted_ = KMeansFit(model.cluster_centers_)
            model.cluster_order_ = np.arange(model.k_)
        model.recommendation_ = Recommendation(**data["recommendation"])
        table = pd.DataFrame(data.get("k_selection") or [])
        model.sweep_ = KSweep(table, int(data.get("silhouette_sample", 0)), int(data.get("n_rows", 0)))
        model.n_features_in_ = model.preprocessor_.n_features_in_
        model.feature_names_in_ = model.preprocessor_.feature_names_in_
        model.notes_, model.timings_ = [], {}
        thresholds = data.get("outlier_thresholds")  # absent in older model files: assign learns them
        if thresholds is not None and len(thresholds) == model.k_:
            model.outlier_thresholds_ = np.asarray(
                [np.nan if t is None else t for t in thresholds], dtype=float
            )
    except (KeyError, TypeError, ValueError, IndexError) as err:
        raise ModelError(
            f"Model '{name}' is damaged or incomplete ({type(err).__name__}: {err}).", detail={"file": name}
        ) from None
    if model.cluster_centers_.shape != (model.k_, model.preprocessor_.n_components_):
        raise ModelError(
            f"Model '{name}' is inconsistent: {model.cluster_centers_.shape[0]} centres for k={model.k_}.",
            detail={"file": name},
        )
    return model
