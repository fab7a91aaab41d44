"""Cluster profiles on the user's own scale: sizes, numeric summaries and category shares.

Every table has an "All" row group beside the clusters so each cluster can be read against the whole.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .encoders import MISSING_LEVEL
from .parsing import level_key
from .roles import Roles, numeric_values

__all__ = ["ALL", "Profiles", "profile_clusters"]

ALL = "All"
_STATS = ("count", "mean", "std", "min", "25%", "50%", "75%", "max")


@dataclass
class Profiles:
    """``sizes``: Cluster, rows, share. ``numeric``: Cluster, column and describe() statistics.
    ``categories``: Cluster, column, level, count, share (of the cluster's rows)."""

    sizes: pd.DataFrame
    numeric: pd.DataFrame
    categories: pd.DataFrame


def profile_clusters(
    frame: pd.DataFrame, clusters: pd.Series, roles: Roles, max_levels: int = 30
) -> Profiles:
    """Describe each cluster with the original values of the feature columns (and the label column).

    ``clusters`` holds cluster numbers 1..k (missing for rows left unclustered), aligned with ``frame``.
    """
    clustered = clusters.notna().to_numpy()
    groups = clusters[clustered].astype(int).to_numpy()
    ks = np.unique(groups)
    sizes = pd.DataFrame({"Cluster": ks, "rows": [int((groups == k).sum()) for k in ks]})
    sizes["share"] = sizes["rows"] / max(len(groups), 1)

    numeric_rows, category_rows = [], []
    for info in roles:
        values = frame[info.name][clustered]
        if info.role == "numeric":
            numbers = pd.Series(numeric_values(values, info))
            for key, part in [(ALL, numbers), *((int(k), numbers[groups == k]) for k in ks)]:
                stats = part.describe()
                numeric_rows.append(
                    {"Cluster": key, "column": info.name, **{s: float(stats.get(s, np.nan)) for s in _STATS}}
                )
        elif info.role in ("binary", "categorical", "ordinal", "label"):
            keys = values.map(level_key, na_action="ignore").fillna(MISSING_LEVEL).astype(str)
            top = keys.value_counts().index[:max_levels]
            if info.order:
                top = [lv for lv in info.order if lv in set(keys)] + [
                    lv for lv in top if lv not in info.order
                ]
            for key, part in [(ALL, keys), *((int(k), keys[groups == k]) for k in ks)]:
                counts = part.value_counts()
                for level in top:
                    n = int(counts.get(level, 0))
                    category_rows.append(
                        {
                            "Cluster": key,
                            "column": info.name,
                            "level": level,
                            "count": n,
                            "share": n / len(part) if len(part) else 0.0,
                        }
                    )
    return Profiles(
        sizes,
        pd.DataFrame(numeric_rows, columns=["Cluster", "column", *_STATS]),
        pd.DataFrame(category_rows, columns=["Cluster", "column", "level", "count", "share"]),
    )
