"""Free text described by its words: core/explain/words.py and its place in the descriptions."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from clusterlab.core.explain.description import describe_clusters
from clusterlab.core.explain.profiles import profile_clusters
from clusterlab.core.explain.words import EXAMPLE_CHARS, cluster_words
from clusterlab.core.roles.column_roles import detect_roles

TEXTS = [
    "battery drains fast",
    "battery dies by noon",
    "the battery is weak",
    "screen cracked in a week",
    "screen too dim",
    "screen glare outside",
]
CLUSTERS = np.array([1, 1, 1, 2, 2, 2])


def test_each_word_goes_to_the_cluster_it_sets_apart_with_its_effect_by_hand() -> None:
    found = cluster_words(pd.DataFrame({"review": TEXTS}), CLUSTERS, ["review"])
    battery, screen = found[1][0], found[2][0]
    assert battery.terms == ["battery"]
    assert screen.terms == ["screen"]
    # 'battery': in all 3 rows of cluster 1, half of all rows: (1 - 0.5) / sqrt(0.5 * 0.5) = 1.0
    word = battery.words[0]
    assert (word.cluster_share, word.overall_share) == (1.0, 0.5)
    assert math.isclose(word.effect, 1.0)


def test_words_differ_between_clusters_even_when_a_word_is_common_to_two() -> None:
    texts = [
        "battery charge",
        "battery charge",
        "battery hours",
        "battery screen",
        "screen dim",
        "screen dim",
    ]
    found = cluster_words(pd.DataFrame({"t": texts}), np.array([1, 1, 1, 2, 2, 2]), ["t"])
    assert set(found[1][0].terms).isdisjoint(found[2][0].terms)
    assert "battery" in found[1][0].terms  # used by 3 of 3 there, 1 of 3 in cluster 2


def test_examples_are_the_rows_nearest_the_centre_shortened() -> None:
    long = "battery " + "x" * 300
    texts = [long, *TEXTS[1:]]
    distance = np.array([0.1, 5.0, 0.2, 0.3, 0.1, 9.0])
    found = cluster_words(pd.DataFrame({"review": texts}), CLUSTERS, ["review"], distance)
    first = found[1][0].examples
    assert first[0].startswith("battery x")
    assert len(first[0]) == EXAMPLE_CHARS
    assert first[0].endswith("…")
    assert first[1:] == ["the battery is weak", "battery dies by noon"]
    assert found[2][0].examples == ["screen too dim", "screen cracked in a week", "screen glare outside"]


def test_one_cluster_has_examples_but_no_words() -> None:
    found = cluster_words(pd.DataFrame({"review": TEXTS}), np.ones(6, dtype=int), ["review"])
    assert found[1][0].words == []
    assert len(found[1][0].examples) == 3


def test_rows_left_unclustered_and_stop_words_only_are_ignored() -> None:
    frame = pd.DataFrame({"review": ["the and of", "a the", None, "it is", "of the", "and"]})
    found = cluster_words(frame, np.array([1, 1, -1, 2, 2, 2]), ["review"])
    assert all(w.words == [] for c in found.values() for w in c)
    assert set(found) == {1, 2}


def test_words_name_and_describe_a_cluster_when_they_are_the_clearest_difference() -> None:
    frame = pd.DataFrame({"review": TEXTS, "stars": [3, 4, 3, 4, 3, 4]})
    roles, _ = detect_roles(frame, None)
    profiles = profile_clusters(frame, pd.Series(CLUSTERS), roles)
    words = cluster_words(frame, CLUSTERS, ["review"])
    described = describe_clusters(profiles, None, words)
    assert [d.name for d in described] == ["Battery", "Screen"]
    assert "review often says 'battery'" in described[0].description
    assert described[0].to_dict()["words"][0]["words"][0]["term"] == "battery"


@pytest.mark.parametrize("k", [1])
def test_a_single_cluster_is_named_all_rows(k: int) -> None:
    frame = pd.DataFrame({"x": [1.0, 2, 3, 4]})
    roles, _ = detect_roles(frame, None)
    d = describe_clusters(profile_clusters(frame, pd.Series([1] * 4), roles))
    assert len(d) == k
    assert d[0].name == "All rows"
    assert "every row" in d[0].description
