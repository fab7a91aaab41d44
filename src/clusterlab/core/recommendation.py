"""From the sweep's scores to one k, with how sure we are and why, in words.

The rule (first version):

1. Each voting criterion names its best k (silhouette: highest; Calinski-Harabasz: highest;
   Davies-Bouldin: lowest; elbow: the knee of the inertia curve).
2. The k named most often wins; a tie goes to the tied k with the higher silhouette.
3. Structure is judged from the best silhouette, after Kaufman & Rousseeuw (1990): 0.5 or more is a
   clear structure, 0.25 to 0.5 a weak one, below 0.25 none worth the name.
4. Confidence is "strong" when at least three quarters of the criteria agree on a clear structure,
   "moderate" when at least half agree on at least a weak structure, else "weak".
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from .criteria import CRITERIA
from .sweep import KSweep

__all__ = ["Recommendation", "recommend"]

CLEAR, WEAK = 0.5, 0.25


@dataclass
class Recommendation:
    k: int
    confidence: str  # "strong", "moderate" or "weak"
    structure: str  # "clear", "weak" or "none"
    reason: str
    votes: dict[str, int | None] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def recommend(sweep: KSweep) -> Recommendation:
    """Recommend k from a sweep (see the module docstring for the rule)."""
    table = sweep.table.set_index("k", drop=False)
    votes = {c.name: c.best_k(sweep.table) for c in CRITERIA.values() if c.votes}
    counted = Counter(k for k in votes.values() if k is not None)
    silhouette = table["silhouette"].astype(float)
    if not counted:
        best = int(silhouette.idxmax()) if silhouette.notna().any() else int(table["k"].iloc[0])
        counted = Counter({best: 0})
    top = max(counted.values())
    tied = [k for k, n in counted.items() if n == top]
    k = max(tied, key=lambda candidate: np.nan_to_num(silhouette.get(candidate, np.nan), nan=-1.0))
    best_silhouette = float(np.nanmax(silhouette.to_numpy())) if silhouette.notna().any() else 0.0
    structure = "clear" if best_silhouette >= CLEAR else "weak" if best_silhouette >= WEAK else "none"
    voters = sum(v is not None for v in votes.values())
    agreement = top / voters if voters else 0.0
    if agreement >= 0.75 and structure == "clear":
        confidence = "strong"
    elif agreement >= 0.5 and structure != "none":
        confidence = "moderate"
    else:
        confidence = "weak"
    return Recommendation(
        k, confidence, structure, _reason(k, top, voters, best_silhouette, structure), votes
    )


def _reason(k: int, agree: int, voters: int, silhouette: float, structure: str) -> str:
    agreeing = f"{agree} of {voters} criteria point to {k} clusters"
    if structure == "none":
        return (
            f"No clear cluster structure: the best silhouette is {silhouette:.2f} (below {WEAK}), so any "
            f"grouping is largely arbitrary; {agreeing}."
        )
    quality = "well separated" if structure == "clear" else "only weakly separated"
    return f"{agreeing.capitalize()}; the clusters are {quality} (silhouette {silhouette:.2f})."
