"""The latent class model: groups carried by category columns, read back through the encoding."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

from clusterlab.core import ClusterLab
from clusterlab.core.methods import fitted_from_state
from clusterlab.core.methods.encoding import Encoding
from clusterlab.core.methods.gower import GowerColumn
from clusterlab.core.methods.latent_class import LatentClassFit, LatentClassMethod, bic


def survey(seed: int, n: int = 900, k: int = 3, noise: bool = False) -> tuple[pd.DataFrame, np.ndarray]:
    """Answers to six questions of four levels; each group its own (random, often lopsided) shares
    of every question's levels. With ``noise``, an age that nothing depends on."""
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, k, n)
    data: dict[str, object] = {}
    for c in range(6):
        shares = rng.dirichlet(np.full(4, 0.3), size=k)
        data[f"q{c}"] = [f"L{rng.choice(4, p=shares[g])}" for g in truth]
    if noise:
        data["age"] = rng.normal(40, 12, n).round(1)
    return pd.DataFrame(data), truth


def _ari(model: ClusterLab, truth: np.ndarray) -> float:
    return float(adjusted_rand_score(truth, np.asarray(model.labels_)))


def test_recovers_groups_that_live_in_the_categories() -> None:
    frame, truth = survey(1)
    model = ClusterLab(k=3, settings={"seed": 0, "method": "latentclass"}).fit(frame)
    assert model.method_.name == "latentclass"
    assert _ari(model, truth) >= 0.95


def test_kmeans_on_the_one_hot_corners_does_worse_where_levels_are_shared() -> None:
    # Groups that share some levels of every question: K-Means measures distances between one-hot
    # corners, the latent class model how often each level occurs in each group.
    frame, truth = survey(3)
    latent = ClusterLab(k=3, settings={"seed": 0, "method": "latentclass"}).fit(frame)
    kmeans = ClusterLab(k=3, settings={"seed": 0, "method": "kmeans"}).fit(frame)
    assert _ari(latent, truth) > 0.8
    assert _ari(latent, truth) > _ari(kmeans, truth) + 0.2


def test_an_unrelated_number_moves_no_row() -> None:
    # Its normal curve is the same in every class, whatever its scale.
    frame, truth = survey(1, noise=True)
    model = ClusterLab(k=3, settings={"seed": 0, "method": "latentclass"}).fit(frame)
    assert _ari(model, truth) >= 0.95


def _levels_read(model: ClusterLab, frame: pd.DataFrame) -> list[float]:
    """Per category, the share of rows whose level the encoding reads back right."""
    pre = model.preprocessor_
    encoding = pre.encoding()
    codes, numbers = encoding.read(pre.transform(frame))
    assert numbers.shape == (len(frame), 0)
    right = []
    for column, code in zip(encoding.discrete, codes, strict=True):
        levels = [name.split("=", 1)[1] for name in pre.encoded_names_[column.start : column.stop]]
        # A level too rare to be a column of its own is read as "Other", as it was encoded.
        given = frame[column.name].where(frame[column.name].isin(levels), "Other").to_numpy()
        right.append(float((np.asarray(levels, dtype=object)[code] == given).mean()))
    return right


def test_the_method_itself_reads_every_level_exactly_pca_is_not_applied() -> None:
    frame, _ = survey(0)
    model = ClusterLab(k=3, settings={"seed": 0, "method": "latentclass"}).fit(frame)
    assert model.preprocessor_.n_components_ == len(model.preprocessor_.encoded_names_)
    assert _levels_read(model, frame) == [1.0] * 6


def test_levels_are_read_back_through_pca() -> None:
    # Method "auto" compares the model on the matrix K-Means swept, reduced by PCA (95% of the
    # variance): the levels are read back through PCA's components.
    frame, _ = survey(0)
    model = ClusterLab(k=3, settings={"seed": 0, "method": "kmeans"}).fit(frame)
    assert model.preprocessor_.n_components_ < len(model.preprocessor_.encoded_names_)
    assert min(_levels_read(model, frame)) > 0.98


def test_state_round_trip_predicts_the_training_labels() -> None:
    frame, _ = survey(2, noise=True)
    model = ClusterLab(k=3, settings={"seed": 0, "method": "latentclass"}).fit(frame)
    X = model.preprocessor_.transform(frame)
    fitted = model.fitted_
    again = fitted_from_state(json.loads(json.dumps(fitted.to_state())))
    assert isinstance(again, LatentClassFit)
    assert np.array_equal(again.predict(X), fitted.predict(X))
    assert np.allclose(again.predict_proba(X), fitted.predict_proba(X))
    probabilities = model.probabilities_
    assert probabilities is not None
    assert ((probabilities > 0) & (probabilities <= 1)).all()


def test_hand_computed_memberships() -> None:
    # One yes/no column (a single encoded column, its sign the level) and two classes: the class
    # that says yes 90% of the time holds a "yes" row with probability 0.5*0.9 / (0.5*0.9 + 0.5*0.2).
    encoding = Encoding([GowerColumn("member", "flag", 0, 1)])
    fitted = LatentClassFit(
        encoding,
        np.array([0.5, 0.5]),
        [np.array([[0.1, 0.8], [0.9, 0.2]])],
        np.zeros((0, 2)),
        np.zeros((0, 2)),
    )
    X = np.array([[1.2], [-0.7]])  # yes, no
    assert list(fitted.predict(X)) == [0, 1]
    assert fitted.predict_proba(X) == pytest.approx([0.45 / 0.55, 0.4 / 0.45])
    fitted.log_likelihood = float(np.log(0.55) + np.log(0.45))
    assert fitted.n_parameters() == 1 + 2 * 1
    assert bic(fitted, 2) == pytest.approx(-2 * fitted.log_likelihood + 3 * np.log(2))


def test_a_latent_class_model_needs_k() -> None:
    with pytest.raises(ValueError, match="needs k"):
        LatentClassMethod().fit(np.zeros((10, 2)), None, 0)


def test_auto_recommends_it_where_the_groups_live_in_the_categories() -> None:
    frame, truth = survey(3, noise=True)
    model = ClusterLab(settings={"seed": 0}).fit(frame)
    rec = model.recommendation_
    assert (rec.method, rec.k) == ("latentclass", 3), rec.reason
    assert "The groups live in the category columns" in rec.reason
    assert _ari(model, truth) > 0.8


def test_auto_keeps_it_out_where_nothing_lives_in_the_categories() -> None:
    # Random answers: BIC prefers one class, so the model names no groups.
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({f"q{c}": rng.choice(["a", "b", "c", "d"], 900) for c in range(6)})
    rec = ClusterLab(settings={"seed": 0}).fit(frame).recommendation_
    assert rec.method != "latentclass"
    latent = next(c for c in rec.methods if c["method"] == "latentclass")
    assert latent["k"] == 1
    assert rec.confidence == "weak"


def test_auto_does_not_compare_it_where_a_number_carries_structure() -> None:
    # Round groups in two numbers beside a category: the groups live in the numbers.
    rng = np.random.default_rng(0)
    centres = np.array([[0, 0], [6, 0], [3, 5]])
    truth = rng.integers(0, 3, 600)
    frame = pd.DataFrame(centres[truth] + rng.normal(0, 0.6, (600, 2)), columns=["a", "b"])
    frame["colour"] = rng.choice(["red", "green"], 600)
    rec = ClusterLab(settings={"seed": 0}).fit(frame).recommendation_
    assert "latentclass" not in {c["method"] for c in rec.methods}


def test_rows_all_alike_leave_no_empty_cluster_and_a_note() -> None:
    # 290 rows at zero and 10 scattered ones (found by the hostile-input check): of 10 classes asked
    # for, some hold no row; they are dropped, every cluster left has rows (a class without rows
    # had a centre of NaN, and model.json could not be written), and the note says how many.
    x0 = [100.012, 220.857, 82.434, 121.911, 16.431, -57.084, -13.031, -194.174, -96.817, -26.317]
    x1 = [-3.124, 0.34, 0.331, -1.725, 0.674, -0.506, 0.147, -0.949, 1.202, 0.774]
    frame = pd.DataFrame({"x0": np.r_[np.zeros(290), x0], "x1": np.r_[np.zeros(290), x1]})
    model = ClusterLab(k=10, settings={"seed": 42, "method": "latentclass"}).fit(frame)
    found = len(np.unique(model.labels_))
    assert found < 10
    assert model.k_ == found == len(model.cluster_centers_)
    assert np.isfinite(model.cluster_centers_).all()
    assert any(f"so there are {found}" in n.message for n in model.notes_)
    json.dumps(model.fitted_.to_state(), allow_nan=False)  # model.json holds no NaN
