"""Agreement between the clusters and a known grouping (a label column the user marked).

Scores are invariant to how clusters are numbered. Rows with an empty label, or left unclustered,
are not scored; the count of scored rows is reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
from sklearn import metrics

from ..errors import Note
from ..read.number_text import level_key

__all__ = ["Evaluation", "evaluate"]


@dataclass
class Evaluation:
    label: str
    n_scored: int
    ari: float
    nmi: float
    homogeneity: float
    completeness: float
    v_measure: float
    contingency: pd.DataFrame  # clusters x label values, row counts
    n_unlabelled: int = 0  # clustered rows whose label is empty (not scored)

    @property
    def note(self) -> Note | None:
        """Says how many clustered rows were not scored because their label is empty."""
        if not self.n_unlabelled:
            return None
        rest = (
            f"agreement is scored on the other {self.n_scored}"
            if self.n_scored
            else "no agreement can be scored"
        )
        return Note(
            "profile",
            f"Column '{self.label}' (known groups) is empty in {self.n_unlabelled} clustered row(s); {rest}.",
            column=self.label,
            count=self.n_unlabelled,
            level="warning",
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "n_scored": self.n_scored,
            "ari": self.ari,
            "nmi": self.nmi,
            "homogeneity": self.homogeneity,
            "completeness": self.completeness,
            "v_measure": self.v_measure,
            "contingency": {
                "clusters": [int(c) for c in self.contingency.index],
                "labels": [str(c) for c in self.contingency.columns],
                "counts": self.contingency.to_numpy().tolist(),
            },
        }


def evaluate(clusters: pd.Series, truth: pd.Series, label: str = "label") -> Evaluation:
    """Score cluster numbers against known labels.

    Examples
    --------
    >>> evaluate(pd.Series([1, 1, 2, 2]), pd.Series(["a", "a", "b", "b"])).ari
    1.0
    """
    keys = truth.map(level_key, na_action="ignore")
    keys = keys.where(keys.astype(str).str.len() > 0)  # blank text is an empty label, not a value
    scored = clusters.notna().to_numpy() & keys.notna().to_numpy()
    unlabelled = int((clusters.notna().to_numpy() & keys.isna().to_numpy()).sum())
    predicted = clusters[scored].astype(int).to_numpy()
    actual = keys[scored].astype(str).to_numpy()
    if len(actual) == 0:  # nothing to compare: say so with NaN scores rather than a perfect 1.0
        nan = float("nan")
        empty = pd.DataFrame(index=pd.Index([], name="Cluster"), columns=pd.Index([], name=label))
        return Evaluation(label, 0, nan, nan, nan, nan, nan, empty, unlabelled)
    h, c, v = metrics.homogeneity_completeness_v_measure(actual, predicted)
    table = pd.crosstab(pd.Series(predicted, name="Cluster"), pd.Series(actual, name=label))
    return Evaluation(
        label=label,
        n_scored=int(scored.sum()),
        ari=float(metrics.adjusted_rand_score(actual, predicted)),
        nmi=float(metrics.normalized_mutual_info_score(actual, predicted)),
        homogeneity=float(h),
        completeness=float(c),
        v_measure=float(v),
        contingency=table,
        n_unlabelled=unlabelled,
    )
