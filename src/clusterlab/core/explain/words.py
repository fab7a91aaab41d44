"""What a cluster's free text is about: its characteristic words and a few example texts.

Text columns are clustered as TF-IDF + SVD components (encode/encoders.py), which mean nothing to a
reader, so their effect sizes cannot describe a cluster. Here each text column is read again as words:

1. Each row's text becomes the set of words it uses (the encoder's tokens: English stop words
   dropped; a word must appear in at least 2 rows).
2. Each word is a yes/no indicator per row and gets the effect size a category level gets
   (explain/effects.py): ``(share of the cluster's rows using it - share of all rows) / sqrt(p(1 - p))``.
   Why this rule rather than a c-TF-IDF weight or a log-odds ratio: it is on the same scale as every
   other distinguishing feature, so "are the words the clearest difference?" is one comparison; it
   counts rows, not repetitions, so one long text cannot carry a word; and it reads plainly ("in 85%
   of its rows vs 21% overall"). Rare words cannot win it: a word in 3 of 300 rows, all in one
   cluster, scores far below a word that most of the cluster uses.
3. A word describes at most one cluster: the one where its effect is largest (so the words of two
   clusters always differ), and only where it is at least :data:`SLIGHT` and used by at least
   :data:`MIN_CLUSTER_SHARE` of the cluster's rows.
4. Examples are the cluster's rows nearest its centre (the distance the Outlier flag uses), shortened
   to :data:`EXAMPLE_CHARS` characters.

With one cluster there is nothing to compare with: no words, only the examples.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .effects import SLIGHT

__all__ = ["EXAMPLE_CHARS", "ClusterWords", "Word", "cluster_words"]

MAX_WORDS = 6  # characteristic words kept per cluster and column
MAX_EXAMPLES = 3
EXAMPLE_CHARS = 140
MIN_CLUSTER_SHARE = 0.1  # a word used by fewer of the cluster's rows says little about the cluster


@dataclass
class Word:
    """A word that sets a cluster's texts apart, with the share of rows using it."""

    term: str
    effect: float  # standardised difference of the share of rows using it (SD), as for a category level
    cluster_share: float
    overall_share: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "term": self.term,
            "effect": round(self.effect, 4),
            "cluster_share": round(self.cluster_share, 4),
            "overall_share": round(self.overall_share, 4),
        }


@dataclass
class ClusterWords:
    """One text column in one cluster: its characteristic words (strongest first) and example texts."""

    cluster: int
    column: str
    words: list[Word] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)

    @property
    def effect(self) -> float:
        """The strongest word's effect (0 without words): how clear a difference the words are."""
        return self.words[0].effect if self.words else 0.0

    @property
    def terms(self) -> list[str]:
        return [w.term for w in self.words]

    def to_dict(self) -> dict[str, Any]:
        return {
            "column": self.column,
            "words": [w.to_dict() for w in self.words],
            "examples": list(self.examples),
        }


def cluster_words(
    frame: pd.DataFrame,
    clusters: np.ndarray,
    columns: list[str],
    distance: np.ndarray | None = None,
) -> dict[int, list[ClusterWords]]:
    """Per cluster (1..k), the words and example texts of each text column in ``columns``.

    ``clusters`` holds 1..k per row (0 or less: left unclustered, ignored); ``distance`` each row's
    distance to its centre (examples are the nearest; the first rows when omitted).

    Examples
    --------
    >>> frame = pd.DataFrame({"review": ["battery drains fast", "battery dies", "screen cracked",
    ...                                  "screen too dim", "battery ok", "screen glare"]})
    >>> found = cluster_words(frame, np.array([1, 1, 2, 2, 1, 2]), ["review"])
    >>> found[1][0].terms, found[2][0].terms
    (['battery'], ['screen'])
    """
    clusters = np.asarray(clusters)
    ids = [int(c) for c in np.unique(clusters) if c > 0]
    out: dict[int, list[ClusterWords]] = {c: [] for c in ids}
    order = np.argsort(distance, kind="stable") if distance is not None else np.arange(len(clusters))
    for column in columns:
        text = frame[column].astype(object).where(frame[column].notna(), "").astype(str).to_numpy()
        words = _words(text, clusters, ids)
        for c in ids:
            out[c].append(ClusterWords(c, column, words.get(c, []), _examples(text, clusters, order, c)))
    return out


def _words(text: np.ndarray, clusters: np.ndarray, ids: list[int]) -> dict[int, list[Word]]:
    from sklearn.feature_extraction.text import CountVectorizer

    clustered = clusters > 0
    if len(ids) < 2 or clustered.sum() < 4:
        return {}
    try:
        counts = CountVectorizer(stop_words="english", binary=True, min_df=2)
        used = counts.fit_transform(text[clustered])  # one pass over the text: rows x words, 0/1
    except ValueError:  # nothing but stop words, or every word used once
        return {}
    from scipy import sparse

    terms = counts.get_feature_names_out()
    member = np.searchsorted(ids, clusters[clustered])  # 0..k-1 per clustered row
    # Rows using each word, per cluster, in one sparse product (linear in the rows).
    membership = sparse.csr_matrix(
        (np.ones(len(member)), (member, np.arange(len(member)))), (len(ids), len(member))
    )
    per_cluster = np.asarray((membership @ used).todense(), dtype=float)
    sizes = np.bincount(member, minlength=len(ids)).astype(float)
    overall = per_cluster.sum(axis=0) / len(member)
    spread = np.sqrt(overall * (1 - overall))
    spread[spread == 0] = np.inf  # a word every row uses sets nobody apart
    shares = per_cluster / sizes[:, None]
    effects = (shares - overall) / spread
    best = effects.argmax(axis=0)  # each word describes only the cluster where it stands out most
    out: dict[int, list[Word]] = {}
    for i, c in enumerate(ids):
        keep = (best == i) & (effects[i] >= SLIGHT) & (shares[i] >= MIN_CLUSTER_SHARE)
        ranked = sorted(np.flatnonzero(keep), key=lambda j: (-effects[i, j], terms[j]))[:MAX_WORDS]
        out[c] = [
            Word(str(terms[j]), float(effects[i, j]), float(shares[i, j]), float(overall[j])) for j in ranked
        ]
    return out


def _examples(text: np.ndarray, clusters: np.ndarray, order: np.ndarray, cluster: int) -> list[str]:
    out: list[str] = []
    for row in order:
        if clusters[row] != cluster:
            continue
        value = " ".join(text[row].split())
        if value and value not in out:
            out.append(value)
        if len(out) == MAX_EXAMPLES:
            break
    return [v if len(v) <= EXAMPLE_CHARS else v[: EXAMPLE_CHARS - 1].rstrip() + "…" for v in out]
