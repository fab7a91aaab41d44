"""Agreement with a known label: every score against a hand computation."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from tests.conftest import make_blob_table

import clusterlab
from clusterlab.core.explain.evaluation import evaluate


def _entropy(counts: list[int]) -> float:
    n = sum(counts)
    return -sum(c / n * math.log(c / n) for c in counts if c)


# Clusters [1, 1, 2, 2] against labels [a, a, a, b]. Contingency: cluster 1 = (a 2, b 0),
# cluster 2 = (a 1, b 1).
CLUSTERS = pd.Series([1, 1, 2, 2])
LABELS = pd.Series(["a", "a", "a", "b"])


def test_adjusted_rand_index_by_hand() -> None:
    # Pairs together in both: C(2,2) + C(1,2) + C(1,2) = 1. Cluster pairs: 1 + 1 = 2. Label pairs:
    # C(3,2) = 3. Expected = 2 * 3 / C(4,2) = 1; maximum = (2 + 3) / 2. ARI = (1 - 1) / (2.5 - 1) = 0.
    assert evaluate(CLUSTERS, LABELS).ari == pytest.approx(0.0)


def test_homogeneity_completeness_v_measure_nmi_by_hand() -> None:
    h_label = _entropy([3, 1])  # H(label)
    h_cluster = _entropy([2, 2])  # H(cluster)
    h_label_given_cluster = 0.5 * _entropy([2]) + 0.5 * _entropy([1, 1])
    h_cluster_given_label = 0.75 * _entropy([2, 1]) + 0.25 * _entropy([1])
    homogeneity = 1 - h_label_given_cluster / h_label
    completeness = 1 - h_cluster_given_label / h_cluster
    v_measure = 2 * homogeneity * completeness / (homogeneity + completeness)
    mutual = h_label - h_label_given_cluster
    nmi = mutual / ((h_label + h_cluster) / 2)  # arithmetic normalisation, scikit-learn's default

    ev = evaluate(CLUSTERS, LABELS)
    assert ev.homogeneity == pytest.approx(homogeneity)  # 0.3837
    assert ev.completeness == pytest.approx(completeness)  # 0.3113
    assert ev.v_measure == pytest.approx(v_measure)
    assert ev.nmi == pytest.approx(nmi)
    assert ev.homogeneity == pytest.approx(0.38369, abs=1e-4)


def test_contingency_table() -> None:
    ev = evaluate(CLUSTERS, LABELS, label="kind")
    assert ev.contingency.to_numpy().tolist() == [[2, 0], [1, 1]]
    assert ev.to_dict()["contingency"] == {
        "clusters": [1, 2],
        "labels": ["a", "b"],
        "counts": [[2, 0], [1, 1]],
    }
    assert ev.label == "kind"


def test_perfect_agreement_whatever_the_numbering() -> None:
    ev = evaluate(pd.Series([3, 3, 1, 1, 2]), pd.Series(["x", "x", "y", "y", "z"]))
    assert (ev.ari, ev.nmi, ev.homogeneity, ev.completeness, ev.v_measure) == pytest.approx((1, 1, 1, 1, 1))


def test_rows_without_a_label_or_a_cluster_are_not_scored() -> None:
    clusters = pd.Series([1, 1, 2, 2, None, 2], dtype="Int64")
    labels = pd.Series(["a", "a", "b", None, "b", " "])
    ev = evaluate(clusters, labels)
    assert ev.n_scored == 3
    assert ev.ari == pytest.approx(1.0)


def test_a_label_with_empty_cells_is_said_to_be_scored_on_the_rest() -> None:
    frame, truth = make_blob_table(30, [[0.0], [10.0]], seed=5, columns=["x"])
    frame["kind"] = np.where(truth == 0, "low", "high").astype(object)
    frame.loc[[0, 7, 40], "kind"] = None
    result = clusterlab.cluster(frame, k=2, label="kind", k_max=3)
    assert result.evaluation is not None
    assert result.evaluation.n_scored == 57
    messages = [n.message for n in result.notes if n.stage == "profile"]
    assert messages == [
        "Column 'kind' (known groups) is empty in 3 clustered row(s); agreement is scored on the other 57."
    ]


def test_no_label_values_gives_nan_not_a_perfect_score() -> None:
    ev = evaluate(pd.Series([1, 2]), pd.Series([None, None], dtype=object))
    assert ev.n_scored == 0
    assert math.isnan(ev.ari)


def test_numbers_as_labels_match_across_types() -> None:
    ev = evaluate(pd.Series([1, 1, 2, 2]), pd.Series([1.0, "1", 2, "2"], dtype=object))
    assert ev.ari == pytest.approx(1.0)


def test_cluster_with_label_reports_evaluation_in_summary() -> None:
    frame, truth = make_blob_table(60, [(0.0, 0.0), (10.0, 10.0)], seed=3, columns=["x", "y"])
    frame["kind"] = np.where(truth == 0, "low", "high")
    result = clusterlab.cluster(frame, k=2, label="kind", k_max=3)
    summary = result.summary()["evaluation"]
    assert summary["ari"] == pytest.approx(1.0)
    assert summary["n_scored"] == 120
    assert sorted(map(sorted, summary["contingency"]["counts"])) == [[0, 60], [0, 60]]
