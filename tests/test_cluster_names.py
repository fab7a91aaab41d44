"""Use cases done for real: text clusters described by words, k = 1 for anomalies, and people's names
for clusters carried into every export (and by model.json into `assign`)."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

import clusterlab
from clusterlab.core.errors import SettingsError
from clusterlab.outputs.text_files import neutralize_text
from clusterlab.samples import SAMPLES, USE_CASES


@pytest.fixture(scope="module")
def reviews() -> clusterlab.ClusterResult:
    return clusterlab.cluster(clusterlab.sample_path("reviews"), k=5, label="topic", resamples=0)


def test_every_sample_says_its_use_case_and_the_three_are_covered() -> None:
    assert {s.use_case for s in SAMPLES.values()} >= {"segmentation", "anomalies", "documents"}
    assert all(s.use_case in USE_CASES and s.path.is_file() for s in SAMPLES.values())


def test_review_clusters_find_the_topics_and_are_named_by_differing_words(reviews) -> None:
    assert adjusted_rand_score(reviews.table.frame["topic"], reviews.labels) > 0.5
    word_sets = [set(d.words[0].terms) for d in reviews.descriptions]
    assert all(word_sets)
    for i, a in enumerate(word_sets):
        assert all(a.isdisjoint(b) for b in word_sets[i + 1 :])
    by_words = [d for d in reviews.descriptions if d.name.lower().startswith(tuple(d.words[0].terms))]
    assert len(by_words) >= 3  # not "Near average": the words name most clusters
    assert all("review often says" in d.description for d in reviews.descriptions)
    assert all(len(d.examples) == 3 for d in reviews.descriptions)


def test_words_and_names_reach_every_export(reviews, tmp_path: Path) -> None:
    # K-Means, so the export's last columns are known (auto fits a mixture here: a probability column).
    result = clusterlab.cluster(
        clusterlab.sample_path("reviews"), k=5, label="topic", resamples=0, method="kmeans"
    )
    assert result.rename({1: "=Grumpy"}) is result
    result.annotate(2, useful=False, note="only screens")
    written = result.save(tmp_path)
    summary = json.loads(written["summary"].read_text(encoding="utf-8"))
    first, second = summary["clusters"][0], summary["clusters"][1]
    assert first["name"] == "=Grumpy"
    assert first["suggested_name"] != "=Grumpy"
    assert second["useful"] is False
    assert second["note"] == "only screens"
    assert first["words"][0]["column"] == "review"
    assert first["words"][0]["examples"]
    model = json.loads(written["model"].read_text(encoding="utf-8"))
    assert {"cluster": 1, "name": "=Grumpy"} in model["cluster_annotations"]
    html = written["report"].read_text(encoding="utf-8")
    assert "=Grumpy" in html
    assert "only screens" in html
    assert "Words of review" in html
    sheet = openpyxl.load_workbook(written["xlsx"])["Cluster Profiles"]
    cells = [c for row in sheet.iter_rows() for c in row if c.value is not None]
    named = next(c for c in cells if c.value == "=Grumpy")
    assert named.data_type == "s"  # text, never a live formula
    assert "only screens" in [c.value for c in cells]
    assert any(c.value == second["words"][0]["words"][0]["term"] or c.value == "Words" for c in cells)
    csv = pd.read_csv(written["csv"], encoding="utf-8-sig")
    assert list(csv.columns[-4:]) == ["Cluster", "Cluster name", "Distance", "Outlier"]
    names = {d.cluster: neutralize_text(d.name) for d in result.descriptions}
    assert csv["Cluster name"].tolist() == [names[c] for c in csv["Cluster"]]
    assert "'=Grumpy" in csv["Cluster name"].tolist()  # the user's name, never a live formula
    again = clusterlab.assign(written["model"], clusterlab.sample_path("reviews"))
    assert [d.name for d in again.descriptions][:1] == ["=Grumpy"]
    assert again.descriptions[1].useful is False


def test_renaming_a_cluster_that_does_not_exist_says_the_range(reviews) -> None:
    with pytest.raises(SettingsError, match=r"no cluster 9; clusters are numbered 1 to 5"):
        reviews.rename({9: "x"})
    with pytest.raises(SettingsError, match="no cluster"):
        reviews.annotate(0, note="x")


def test_a_blank_name_brings_back_the_suggested_one(reviews) -> None:
    suggested = reviews.descriptions[2].name
    reviews.rename({3: "Mine"})
    assert reviews.descriptions[2].name == "Mine"
    assert reviews.descriptions[2].named_by_user
    reviews.rename({3: "  "})
    assert reviews.descriptions[2].name == suggested


def test_k_1_is_one_cluster_whose_outliers_are_the_planted_faults(tmp_path: Path) -> None:
    sample = SAMPLES["sensors"]
    assert sample.settings == {"k": 1}
    result = clusterlab.cluster(sample.path, k=1, resamples=0)
    assert result.k == 1
    assert set(result.labels) == {1}
    assert result.descriptions[0].name == "All rows"
    flagged = set(result.data.loc[result.data[result.outlier_column] == True, "reading_id"])  # noqa: E712
    planted = {"S0041", "S0087", "S0133", "S0178", "S0215", "S0264", "S0301", "S0352"}
    assert planted <= flagged
    written = result.save(tmp_path)
    assert set(written) == {"csv", "xlsx", "model", "report", "summary"}
    assert json.loads(written["summary"].read_text(encoding="utf-8"))["k"] == 1
    for figure in (result.plot_map(), result.plot_sizes(), result.plot_profiles(), result.plot_k_selection()):
        assert figure.data
    again = clusterlab.assign(written["model"], sample.path)
    assert again.k == 1
    assert planted <= set(again.data.loc[again.data[again.outlier_column], "reading_id"])


def test_k_1_is_accepted_by_the_estimator_and_the_sweep_still_starts_at_2() -> None:
    result = clusterlab.cluster(clusterlab.sample_path("iris"), k=1, resamples=0)
    assert result.k == 1
    assert result.k_scores["k"].min() == 2
    with pytest.raises(SettingsError, match="k"):
        clusterlab.cluster(clusterlab.sample_path("iris"), k=0)
