"""summary.json: every fact of a result as JSON-ready data, for people's scripts and the web app.

The keys are listed in the README (summary.json). The partitioned Dask run
(:mod:`clusterlab.distributed.partitioned`) writes a summary.json of its own, for what it has; the
parts both have come from the same functions here, so they cannot drift: the choice of k
(:func:`k_choice_summary`: ``recommended_k``, ``k``, ``recommendation``, ``k_selection``,
``silhouette_sample``), ``cluster_sizes`` (:func:`size_summary`), the columns used
(:func:`columns_used`), ``notes`` (:func:`note_summary`) and ``settings`` (:func:`settings_summary`).

Where the partitioned summary differs, and why:

- it adds ``engine`` ("dask"), ``n_rows_written``, ``sample_rows`` (the rows the roles, the
  preprocessing and the sweep were fitted on), ``refine`` (the Lloyd iterations on every row:
  iterations, converged, inertia), ``distance_column`` and ``output`` (the folder of parts);
- ``source`` is the folder or pattern with ``format`` "partitioned" and the number of ``partitions``;
- ``silhouette_sample.exact`` is always false: the sweep saw a sample of the rows, never all of them;
- ``columns_used`` stands at the top level, and there is no ``columns``, ``features``,
  ``preprocessing``, ``n_rows_clustered`` (every row is clustered: ``impute="none"`` is not
  available there), ``evaluation``, ``clusters``, ``outliers`` nor ``versions``: profiles,
  descriptions and outliers need every row in one place, which is what that engine avoids;
- ``settings`` is the settings table as given, without the algorithm and the column choices
  (``roles``, ``exclude``...) a local run adds; that summary has always had these keys.
"""

from __future__ import annotations

import platform
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd
import sklearn

from .._version import __version__
from ..core.clustering import NOISE_CLUSTER, Clustering
from ..core.errors import Note
from ..core.estimator import ClusterLab
from ..core.methods.gmm import CLEAR_PROBABILITY
from ..core.settings import Settings
from .text_files import clean_json

__all__ = [
    "columns_used",
    "k_choice_summary",
    "method_comparison_summary",
    "method_summary",
    "note_summary",
    "run_summary",
    "settings_summary",
    "size_summary",
]


def run_summary(result: Clustering) -> dict[str, Any]:
    """summary.json of a run or an assign: every fact of the result as JSON-ready data (README)."""
    model = result.model
    sizes = result.profiles.sizes
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
            "columns_used": columns_used(model),
            "encoded_columns": len(model.preprocessor_.encoded_names_),
            "components": int(model.preprocessor_.n_components_),
        },
        "preprocessing": list(model.preprocessor_.choices_),
        **k_choice_summary(model),
        "cluster_sizes": size_summary(sizes["Cluster"], sizes["rows"], int((result.clusters > 0).sum())),
        "cluster_column": result.cluster_column,
        "method": method_summary(result),
        "method_comparison": method_comparison_summary(model),
        "notes": note_summary(result.notes),
        "timings": result.timings,
        "settings": settings_summary(result.settings, model),
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


def method_summary(result: Clustering) -> dict[str, Any]:
    """``method``: the method used (``auto`` resolved) with its own settings, each cluster's example row
    (1-based), and what only some methods have: ``distance`` (K-Medoids: "gower" or "euclidean"), ``noise`` (rows in no cluster: Cluster 0, shown as
    Noise), ``probability`` (the column, the clear-home threshold, the rows below it) and ``tree``
    (hierarchical: the cluster-level dendrogram, SciPy's layout, leaf i being cluster i + 1)."""
    model = result.model
    method = model.method_
    out: dict[str, Any] = {
        "name": method.name,
        "title": method.title,
        "description": method.description,
        "settings": method.settings(),
        "examples": [
            {"cluster": i + 1, "row": int(r) + 1}
            for i, r in enumerate(getattr(model, "representatives_", []))
        ],
    }
    if not method.needs_k:
        out["noise"] = {"rows": result.noise_count, "cluster": NOISE_CLUSTER, "shown_as": "Noise"}
    if result.probabilities is not None:
        probabilities = np.asarray(result.probabilities, dtype=float)
        out["probability"] = {
            "column": result.probability_column,
            "clear_home": CLEAR_PROBABILITY,
            "unclear_rows": int((probabilities < CLEAR_PROBABILITY).sum()),
        }
    distance = getattr(getattr(model, "fitted_", None), "distance", None)
    if distance is not None:  # K-Medoids: the distance "auto" resolved to ("gower" or "euclidean")
        out["distance"] = distance
    tree = getattr(getattr(model, "fitted_", None), "tree", None)
    if tree is not None:
        out["tree"] = cluster_level_tree(np.asarray(tree), np.asarray(model.cluster_order_)).tolist()
    return out


def method_comparison_summary(model: ClusterLab) -> dict[str, Any] | None:
    """``method_comparison``: the five methods side by side on a seeded sample at k
    (:mod:`clusterlab.core.choose_k.method_comparison`): per method its k, noise share, silhouette and
    reproducibility, and the ARI between methods; without the sample's labels. None for a saved model
    (assign), under 20 rows or with one cluster."""
    comparison = getattr(model, "method_comparison_", None)
    return None if comparison is None else comparison.to_dict(labels=False)


def cluster_level_tree(tree: np.ndarray, order: np.ndarray) -> np.ndarray:
    """The method's cluster tree (leaves in its own labels) with leaf i standing for cluster i + 1.

    >>> cluster_level_tree(np.array([[0.0, 1.0, 2.0, 5.0]]), np.array([1, 0])).tolist()
    [[1.0, 0.0, 2.0, 5.0]]
    """
    k = len(order)
    rank = np.empty(k, dtype=np.int64)
    rank[order] = np.arange(k)
    out = np.asarray(tree, dtype=float).copy()
    for column in (0, 1):
        leaf = out[:, column] < k
        out[leaf, column] = rank[out[leaf, column].astype(int)]
    return out


def k_choice_summary(model: ClusterLab, exact: bool | None = None) -> dict[str, Any]:
    """The choice of k of a fitted model: ``recommended_k``, ``k``, ``recommendation``, ``k_selection``
    (the sweep's table) and ``silhouette_sample`` (its rows, and whether the silhouette is exact:
    ``exact`` overrides the sweep's own answer when the sweep saw a sample of the table)."""
    sweep, recommendation = model.sweep_, model.recommendation_
    if exact is None:  # exact on every row the sweep saw, and (when known) it saw every clustered row
        labels = getattr(model, "labels_", None)  # a model loaded from model.json has none
        exact = sweep.silhouette_exact and (labels is None or sweep.n_rows >= int((labels >= 0).sum()))
    return {
        "recommended_k": int(recommendation.k),
        "k": int(model.k_),
        "recommendation": recommendation.to_dict(),
        "k_selection": sweep.table.to_dict(orient="records"),
        "silhouette_sample": {
            "rows": int(sweep.sample_size),
            "exact": bool(exact),
        },
    }


def size_summary(clusters: Iterable[int], rows: Iterable[int], total: int) -> list[dict[str, Any]]:
    """``cluster_sizes``: per cluster its number, rows and share of the ``total`` rows clustered.

    >>> size_summary([1, 2], [3, 1], 4)
    [{'cluster': 1, 'rows': 3, 'share': 0.75}, {'cluster': 2, 'rows': 1, 'share': 0.25}]
    """
    return [
        {"cluster": int(c), "rows": int(n), "share": int(n) / max(total, 1)}
        for c, n in zip(clusters, rows, strict=True)
    ]


def columns_used(model: ClusterLab) -> list[str]:
    """The input columns the clustering used, in input order."""
    return [str(c) for c in model.feature_names_in_]


def note_summary(notes: Iterable[Note]) -> list[dict[str, Any]]:
    """``notes``: each note as a dict (stage, message, level...)."""
    return [n.to_dict() for n in notes]


def settings_summary(settings: Settings, model: ClusterLab | None = None) -> dict[str, Any]:
    """``settings``: the settings table's values and, given the model, the method it used
    (``algorithm``) and its column
    choices (roles, exclude, ordinal, label)."""
    out = settings.to_dict()
    if model is not None:
        out |= {
            "algorithm": model.method_.name,  # the method used: "auto" resolved
            "roles": dict(model.roles or {}),
            "exclude": list(model.exclude or ()),
            "ordinal": {k: list(v) for k, v in (model.ordinal or {}).items()},
            "label": model.label,
        }
    return out


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
    return {
        "clusterlab": __version__,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "pandas": pd.__version__,
        "scikit-learn": sklearn.__version__,
    }
