"""The methods side by side in words and numbers, for report.html and the choose-k page: each method's
facts under its map, the agreement table (ARI) and the sentences saying which method was used, why,
and which methods agree. The numbers are the core's comparison
(:mod:`clusterlab.core.choose_k.method_comparison`); the maps are :mod:`.charts.method_figures`.
"""

from __future__ import annotations

from typing import Any

from ..core.choose_k.method_comparison import SAME
from ..core.clustering import Clustering
from ..core.formatting import format_share

__all__ = ["SAME", "SHORT", "method_comparison"]

# Names short enough for a column of the agreement table on a phone.
SHORT = {
    "kmeans": "K-Means",
    "gmm": "Mixture",
    "hierarchical": "Ward",
    "hdbscan": "HDBSCAN",
    "kmedoids": "K-Medoids",
    "latentclass": "Latent class",
}


def method_comparison(result: Clustering) -> dict[str, Any] | None:
    """The comparison for a page, or None when the result has none (an assign, under 20 rows, k = 1).

    Keys: ``methods`` (per method ``method``, ``title``, ``short``, ``k``, ``chosen`` and ``facts``:
    "k = 3 · noise 2% · silhouette 0.48 · reproducible 97%"), ``agreement`` (``names`` and ``rows``:
    per method its ``name`` and ``cells``, each ``text``, ``same`` (at least ``SAME``) and ``self``),
    ``sample`` (what the maps show), ``used`` (which method was used and who chose it), ``reason``
    (the recommendation's reason) and ``agree`` (which methods agree, in words).
    """
    comparison = getattr(result.model, "method_comparison_", None)
    if comparison is None:
        return None
    methods = comparison.methods
    names = [SHORT.get(m.method, m.title) for m in methods]
    chosen = next(m for m in methods if m.chosen)
    n_clustered = int((result.clusters >= 0).sum())
    shown = len(comparison.rows)
    sample = (
        f"The same {shown:,} rows"
        + (f" (a seeded sample of the {n_clustered:,} clustered)" if shown < n_clustered else "")
        + f", clustered by each method at k = {comparison.k} (HDBSCAN finds its own k), on the map's"
        " two main directions. Colours follow the clusters used; grey crosses are noise."
    )
    auto = str(result.settings.method) == "auto" and result.kind == "run"
    return {
        "methods": [
            {
                "method": m.method,
                "title": m.title,
                "short": name,
                "k": m.k,
                "chosen": m.chosen,
                "facts": _facts(m),
            }
            for m, name in zip(methods, names, strict=True)
        ],
        "agreement": {
            "names": names,
            "rows": [
                {
                    "name": name,
                    "cells": [
                        {"text": f"{value:.2f}", "same": bool(i != j and value >= SAME), "self": i == j}
                        for j, value in enumerate(comparison.agreement[i])
                    ],
                }
                for i, name in enumerate(names)
            ],
        },
        "sample": sample,
        "used": f"Used: {chosen.title}, "
        + ("recommended by method auto." if auto else "the method this run was asked for."),
        "reason": result.recommendation.reason if auto else "",
        "agree": _agree(comparison, names),
    }


def _facts(m: Any) -> str:
    parts = [f"k = {m.k}" + (" (found)" if m.method == "hdbscan" else "")]
    if m.method == "hdbscan" or m.noise:
        parts.append(f"noise {format_share(m.noise)}")
    parts.append("silhouette –" if m.silhouette is None else f"silhouette {m.silhouette:.2f}")
    if m.stability is not None:
        parts.append(f"reproducible {format_share(m.stability)}")
    return " · ".join(parts)


def _agree(comparison: Any, names: list[str]) -> str:
    """Which methods draw nearly the same clusters: groups in which *every* pair agrees (ARI at least
    ``SAME``; agreement is not transitive, so a chain of agreeing pairs is no group), the used method's
    first (the core puts it first), each grown greedily from its best-agreeing partner; then the
    methods that agree with none."""
    values = comparison.agreement
    n = len(names)
    left = list(range(n))
    groups: list[list[int]] = []
    while left:
        seed = left[0]
        members = [seed]
        for j in sorted(left[1:], key=lambda j: -values[seed, j]):
            if all(values[i, j] >= SAME for i in members):
                members.append(j)
        groups.append(members)
        left = [i for i in left if i not in members]
    parts = []
    for members in groups:
        if len(members) > 1:
            close = [values[i, j] for i in members for j in members if i < j]
            low, high = min(close), max(close)
            span = f"{low:.2f}" if f"{low:.2f}" == f"{high:.2f}" else f"{low:.2f} to {high:.2f}"
            parts.append(
                f"{_join([names[i] for i in sorted(members)])} draw nearly the same clusters (ARI {span})."
            )
    if len(groups[0]) == 1:
        top = max(values[0, j] for j in range(1, n))
        parts.insert(
            0, f"No other method draws nearly the same clusters as {names[0]} (ARI at most {top:.2f})."
        )
    apart = [names[i] for i in range(1, n) if all(values[i, j] < SAME for j in range(n) if j != i)]
    if apart and len(groups[0]) > 1:
        parts.append(f"{_join(apart)} {'draws' if len(apart) == 1 else 'draw'} other clusters.")
    return " ".join(parts) + " ARI: 1 = the same clusters, 0 = no more alike than chance."


def _join(items: list[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
