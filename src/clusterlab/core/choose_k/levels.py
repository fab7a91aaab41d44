"""The levels at which the k rule reads its scores, shared by the rule, its words and the method rule.

Silhouette levels after Kaufman & Rousseeuw (1990): above 0.7 "strong", above 0.5 "reasonable",
below 0.25 "no substantial structure". Stability is the mean ARI between fits on resampled rows.
"""

from __future__ import annotations

__all__ = ["CLEAR", "FAIRLY_STABLE", "HALF", "STABLE", "STRONG", "WEAK"]

STRONG, CLEAR, WEAK = 0.7, 0.5, 0.25  # silhouette levels after Kaufman & Rousseeuw (1990)
HALF = 0.5  # share of criteria naming the winner: more than this for strong, at least this for moderate
STABLE, FAIRLY_STABLE = 0.8, 0.6  # stability (mean ARI between resampled fits) for strong / moderate
