"""Stage 6, explain: each cluster on the user's own scale and in words.

``profiles`` (sizes, statistics, histograms and category shares beside all rows), ``effects`` (what
sets each cluster apart: effect sizes, ranked), ``description`` (names and one-line descriptions),
``outliers`` (each row's distance to its centre and the Outlier flag) and ``evaluation`` (agreement
with a known grouping).
"""

from .description import ClusterDescription, describe_clusters, readable_column
from .effects import CLEAR, SLIGHT, STRONG, cluster_effects, effect_matrix
from .evaluation import Evaluation, evaluate
from .outliers import Outliers, find_outliers
from .profiles import ALL, Profiles, profile_clusters

__all__ = [
    "ALL",
    "CLEAR",
    "SLIGHT",
    "STRONG",
    "ClusterDescription",
    "Evaluation",
    "Outliers",
    "Profiles",
    "cluster_effects",
    "describe_clusters",
    "effect_matrix",
    "evaluate",
    "find_outliers",
    "profile_clusters",
    "readable_column",
]
