"""What sets each cluster apart: effect sizes of every column, ranked.

One scale for every kind of column, so numbers and categories can be ranked together:

- **Numeric column**: the standardised mean difference of the cluster against the whole data,
  ``(mean in cluster - mean overall) / SD overall``, on values clipped to Tukey's far-out fences (see
  :mod:`clusterlab.core.explain.profiles`). Against the whole data, not against "the rest", because that is
  what every table and chart beside it shows ("All"), and because the yardstick (the overall SD) is
  then the same for every cluster, so effects compare across clusters. (Against the rest, a cluster of
  90% of the rows looks far from the other 10% although it *is* the typical row.)
- **Category level**: the same quantity for the level's 0/1 indicator, which is
  ``(share in cluster - share overall) / sqrt(p (1 - p))`` with ``p`` the overall share. The lift
  (``share in cluster / share overall``) is reported beside it.

Sizes read like Cohen's d (:data:`SLIGHT`, :data:`CLEAR`, :data:`STRONG`): below 0.2 SD a difference
is not worth a word; 0.2 to 0.5 is "slightly", 0.5 to 1 plain, 1 or more "much".
"""

from __future__ import annotations

import math

import pandas as pd

from ..encode.encoders import MISSING_LEVEL
from .profiles import ALL, OTHER_LEVELS, Profiles

__all__ = ["CLEAR", "EFFECT_COLUMNS", "SLIGHT", "STRONG", "cluster_effects", "effect_matrix"]

SLIGHT, CLEAR, STRONG = 0.2, 0.5, 1.0
EFFECT_COLUMNS = [
    "Cluster",
    "column",
    "level",
    "kind",
    "cluster_value",
    "overall_value",
    "effect",
    "lift",
    "clipped",
    "share",
    "rank",
]


def cluster_effects(profiles: Profiles, *, minimum: float = SLIGHT) -> pd.DataFrame:
    """Every column's (and category level's) effect size per cluster, largest first.

    Parameters
    ----------
    profiles : from :func:`~clusterlab.core.explain.profiles.profile_clusters`.
    minimum : effects smaller than this (in absolute value) are left out; 0 keeps everything.

    Returns
    -------
    DataFrame with one row per cluster and column (numeric) or level (category): ``Cluster``,
    ``column``, ``level`` (None for numeric), ``kind`` ("numeric", "date" or "category"),
    ``cluster_value`` and ``overall_value`` (clipped mean, in years for dates, or share), ``effect`` (in SD), ``lift`` (categories),
    ``clipped`` (the cluster's far-out values that were capped, numeric), ``share`` (the cluster's
    share of the rows) and ``rank`` (1 = most distinguishing, per cluster). The label column is never included: it is what
    the clusters are scored against, not a description of them.

    Examples
    --------
    >>> from clusterlab.core.roles.column_roles import detect_roles
    >>> from clusterlab.core.explain.profiles import profile_clusters
    >>> frame = pd.DataFrame({"x": [1.0, 2, 3, 11, 12, 13], "c": list("aabbbb")})
    >>> p = profile_clusters(frame, pd.Series([1, 1, 1, 2, 2, 2]), detect_roles(frame)[0])
    >>> cluster_effects(p).query("Cluster == 2")[["column", "effect"]].round(2).values.tolist()
    [['x', 0.9], ['c', 0.71]]
    """
    rows: list[dict[str, object]] = []
    rows += _numeric_effects(profiles)
    rows += _category_effects(profiles)
    table = pd.DataFrame(rows, columns=EFFECT_COLUMNS[:-2])
    if table.empty:
        return pd.DataFrame(columns=EFFECT_COLUMNS)
    shares = dict(zip(profiles.sizes["Cluster"].astype(int), profiles.sizes["share"], strict=True))
    table["share"] = table["Cluster"].map(shares).astype(float)
    table = table[table["effect"].abs() >= minimum] if minimum > 0 else table
    table = table.assign(_size=table["effect"].abs()).sort_values(
        ["Cluster", "_size"], ascending=[True, False], kind="stable"
    )
    table = table.drop(columns="_size").reset_index(drop=True)
    table["rank"] = table.groupby("Cluster").cumcount() + 1
    return table


def effect_matrix(effects: pd.DataFrame) -> pd.DataFrame:
    """The most telling row per cluster and column of :func:`cluster_effects` (all sizes): a numeric
    column's effect, or a category column's level with the largest absolute effect. Columns come in
    order of how strongly they separate the clusters overall: the root of the size-weighted mean
    squared effect, ``sqrt(sum_c share_c * effect_c**2)``, which for a numeric column is the
    correlation ratio (eta) between cluster and column. A one-row cluster cannot put a column first.
    """
    if effects.empty:
        return effects
    best = effects.loc[effects.groupby(["Cluster", "column"])["effect"].apply(lambda s: s.abs().idxmax())]
    strength = (
        best.assign(_w=best["share"] * best["effect"] ** 2).groupby("column")["_w"].sum() ** 0.5
    ).sort_values(ascending=False, kind="stable")
    order = {c: i for i, c in enumerate(strength.index)}
    best = best.assign(_o=best["column"].map(order)).sort_values(["_o", "Cluster"], kind="stable")
    return best.drop(columns="_o").reset_index(drop=True)


def _numeric_effects(profiles: Profiles) -> list[dict[str, object]]:
    robust = profiles.robust
    if robust.empty:
        return []
    rows = []
    for column, part in robust.groupby("column", sort=False):
        whole = part[part["Cluster"] == ALL].iloc[0]
        sd = float(whole["std"])
        for r in part[part["Cluster"] != ALL].itertuples():
            mean = float(r.mean)
            effect = (mean - whole["mean"]) / sd if sd > 0 and math.isfinite(mean) else 0.0
            rows.append(
                {
                    "Cluster": int(str(r.Cluster)),
                    "column": column,
                    "level": None,
                    "kind": "date" if column in profiles.date_columns else "numeric",
                    "cluster_value": mean,
                    "overall_value": float(whole["mean"]),
                    "effect": float(effect),
                    "lift": math.nan,
                    "clipped": int(getattr(r, "clipped", 0)),
                }
            )
    return rows


def _category_effects(profiles: Profiles) -> list[dict[str, object]]:
    shares = profiles.categories
    if shares.empty:
        return []
    rows = []
    for column, part in shares.groupby("column", sort=False):
        if column == profiles.label:
            continue
        overall = part[part["Cluster"] == ALL].set_index("level")["share"]
        is_binary = len(overall) == 2
        for r in part[(part["Cluster"] != ALL) & (part["level"] != OTHER_LEVELS)].itertuples():
            p = float(overall.get(r.level, 0.0))
            if not 0 < p < 1:
                continue  # every row (or none) has this level: it cannot set a cluster apart
            share = float(r.share)
            effect = (share - p) / math.sqrt(p * (1 - p))
            if is_binary and effect < 0 and r.level != MISSING_LEVEL:
                continue  # the other level's positive effect says the same thing
            rows.append(
                {
                    "Cluster": int(str(r.Cluster)),
                    "column": column,
                    "level": str(r.level),
                    "kind": "category",
                    "cluster_value": share,
                    "overall_value": p,
                    "effect": float(effect),
                    "lift": share / p,
                    "clipped": 0,
                }
            )
    return rows
