"""Plain-language traits of each cluster: what sets it apart from the whole data.

A trait compares the cluster with all rows on one column, on a common scale so columns of different
kinds can be ranked together:

- numeric: the difference of means in units of the whole data's standard deviation (Cohen's d
  against the population); ``|d| >= 0.5`` is worth saying, ``>= 1.2`` is "much".
- category value: the difference of shares divided by the binomial spread ``sqrt(p (1 - p))`` of
  the whole data's share; said when the shares differ by at least 15 points.

Until the explanation work lands in the core (profiles/report), the web app words clusters here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..core.formatting import format_number, format_share
from ..core.profiles import ALL

__all__ = ["Trait", "cluster_traits", "headline"]

NUMERIC_NOTABLE, NUMERIC_STRONG = 0.5, 1.2
SHARE_NOTABLE = 0.15


@dataclass(frozen=True)
class Trait:
    """One way a cluster differs from all rows: ``strength`` ranks traits across columns."""

    column: str
    kind: str  # "numeric" or "category"
    text: str
    short: str
    strength: float
    level: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "column": self.column,
            "kind": self.kind,
            "text": self.text,
            "short": self.short,
            "strength": round(self.strength, 3),
            "level": self.level,
        }


def cluster_traits(profiles: Any, cluster: int, skip: frozenset[str] = frozenset()) -> list[Trait]:
    """Every notable trait of ``cluster``, strongest first (``skip``: columns not to describe, e.g. the label)."""
    traits = _numeric_traits(profiles.numeric, cluster, skip) + _category_traits(
        profiles.categories, cluster, skip
    )
    return sorted(traits, key=lambda t: -t.strength)


def headline(traits: list[Trait], n: int = 3) -> str:
    """'higher income, mostly plan 'Premium' and fewer visits' — the top traits in one phrase."""
    picked: list[str] = []
    seen: set[str] = set()
    for trait in traits:
        if trait.column in seen:
            continue
        seen.add(trait.column)
        picked.append(trait.short)
        if len(picked) == n:
            break
    if not picked:
        return "close to the whole data on every column: no single column sets it apart"
    return picked[0] if len(picked) == 1 else ", ".join(picked[:-1]) + " and " + picked[-1]


def _numeric_traits(numeric: pd.DataFrame, cluster: int, skip: frozenset[str]) -> list[Trait]:
    out: list[Trait] = []
    if numeric.empty:
        return out
    for column, rows in numeric.groupby("column", sort=False):
        if column in skip:
            continue
        whole = rows[rows["Cluster"] == ALL]
        part = rows[rows["Cluster"] == cluster]
        if whole.empty or part.empty:
            continue
        mean_all, std_all = float(whole["mean"].iloc[0]), float(whole["std"].iloc[0])
        mean_c = float(part["mean"].iloc[0])
        median_all, median_c = float(whole["50%"].iloc[0]), float(part["50%"].iloc[0])
        if not (math.isfinite(std_all) and std_all > 0 and math.isfinite(mean_c)):
            continue
        d = (mean_c - mean_all) / std_all
        if abs(d) < NUMERIC_NOTABLE:
            continue
        much = "much " if abs(d) >= NUMERIC_STRONG else ""
        way = "higher" if d > 0 else "lower"
        text = (
            f"{much}{way} {column}: median {format_number(median_c)} against "
            f"{format_number(median_all)} overall (mean {format_number(mean_c)} vs {format_number(mean_all)})"
        )
        out.append(Trait(str(column), "numeric", text, f"{much}{way} {column}", abs(d)))
    return out


def _category_traits(categories: pd.DataFrame, cluster: int, skip: frozenset[str]) -> list[Trait]:
    out: list[Trait] = []
    if categories.empty:
        return out
    n_levels = categories[categories["Cluster"] == ALL].groupby("column")["level"].nunique()
    for (column, level), rows in categories.groupby(["column", "level"], sort=False):
        if column in skip:
            continue
        whole = rows[rows["Cluster"] == ALL]
        part = rows[rows["Cluster"] == cluster]
        if whole.empty or part.empty:
            continue
        p_all, p_c = float(whole["share"].iloc[0]), float(part["share"].iloc[0])
        diff = p_c - p_all
        # Two values mirror each other ("rarely 'Yes'" is "mostly 'No'"): say only the one that grew.
        if abs(diff) < SHARE_NOTABLE or (n_levels.get(column, 0) == 2 and diff < 0):
            continue
        spread = math.sqrt(max(p_all * (1 - p_all), 0.01))
        versus = f"{format_share(p_c)} of its rows against {format_share(p_all)} overall"
        if p_c >= 0.5 and diff > 0:
            word = "almost all" if p_c >= 0.9 else "mostly"
            short = f"{word} {column} '{level}'"
        elif diff > 0:
            short = f"more often {column} '{level}'"
        else:
            short = f"rarely {column} '{level}'" if p_c < 0.1 else f"less often {column} '{level}'"
        out.append(
            Trait(str(column), "category", f"{short}: {versus}", short, abs(diff) / spread, str(level))
        )
    return out
