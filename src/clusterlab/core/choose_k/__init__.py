"""Stage 4, choose k: fit every k in a range, score each fit, and recommend one k with a confidence.

``sweep`` (fit and score every k), ``criteria`` (the registry of criteria and the built-in six),
``recommendation`` (from the scores to one k and how sure) with ``k_reasons`` (why, in words) and
``levels`` (the silhouette and stability levels the rules read), ``k_range`` (grow
the range while the answer sits at its top) and, for method "auto", ``method_choice`` (K-Means'
answer against a Gaussian mixture and a density method: the evidence on a comparison sample) with
``method_rule`` (the rule that decides on it), ``method_reasons`` (its words), ``method_candidates``
(the candidates and their measures) and ``density_validity`` (DBCV).
"""

from .criteria import CRITERIA, Criterion, register_criterion
from .k_range import sweep_and_recommend
from .recommendation import Recommendation, recommend
from .sweep import KSweep, sweep_k

__all__ = [
    "CRITERIA",
    "Criterion",
    "KSweep",
    "Recommendation",
    "recommend",
    "register_criterion",
    "sweep_and_recommend",
    "sweep_k",
]
