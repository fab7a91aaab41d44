"""The preprocessing pipeline: shapes, weights, PCA, notes and the JSON round trip."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from clusterlab.core import ColumnChoices, InputError, Preprocessor, Settings, detect_roles


def _fit(frame: pd.DataFrame, **settings: object) -> Preprocessor:
    roles, _ = detect_roles(frame)
    return Preprocessor(roles, Settings.parse(settings)).fit(frame)


@pytest.mark.parametrize("weight", [1.0, 0.5, 0.25])
def test_a_category_block_weighs_category_weight_numeric_columns(weight: float) -> None:
    frame = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0], "c": ["a", "b", "c", "a", "b", "c"]})
    pre = _fit(frame, pca_variance=1.0, category_weight=weight)
    matrix = pre.transform(frame)
    assert pre.encoded_names_ == ["x", "c=a", "c=b", "c=c"]
    assert matrix[:, 0].var() == pytest.approx(1.0)  # a numeric column: variance 1
    assert matrix[:, 1:].var(axis=0).sum() == pytest.approx(weight)  # the whole one-hot block


def test_pca_keeps_the_asked_variance() -> None:
    rng = np.random.default_rng(0)
    base = rng.normal(size=(200, 2))
    frame = pd.DataFrame(
        np.column_stack([base, base + rng.normal(scale=0.01, size=(200, 2))]), columns=list("abcd")
    )
    pre = _fit(frame, pca_variance=0.95)
    assert pre.n_components_ == 2  # four columns, two directions
    assert pre.transform(frame).shape == (200, 2)


def test_no_feature_columns_is_a_clear_error() -> None:
    frame = pd.DataFrame({"id": [f"r{i}" for i in range(20)], "k": ["x"] * 20})
    roles, _ = detect_roles(frame)
    with pytest.raises(InputError, match=r"no columns to cluster.*e\.g\. roles=\{\"id\": \"numeric\"\}"):
        Preprocessor(roles).fit(frame)


def test_numbers_too_large_to_scale_are_a_clear_error() -> None:
    # Squares of 1e300 overflow in the scaler; this was "internal error (Input X contains NaN)".
    rng = np.random.default_rng(4)
    frame = pd.DataFrame({"huge": rng.normal(size=30) * 1e300, "x": rng.normal(size=30)})
    roles, _ = detect_roles(frame)
    with pytest.raises(
        InputError, match=r"Column 'huge' has values too large to cluster \(up to [\d.]+e\+300\)"
    ):
        Preprocessor(roles).fit(frame)


def test_datetime_exclude_setting() -> None:
    frame = pd.DataFrame({"d": pd.date_range("2020-01-01", periods=10), "x": [3, 1, 4, 1, 5, 9, 2, 6, 5, 3]})
    assert _fit(frame, datetime="exclude").feature_names_in_.tolist() == ["x"]
    assert _fit(frame).feature_names_in_.tolist() == ["d", "x"]


def test_json_round_trip_transforms_new_rows_identically(mixed_table: pd.DataFrame) -> None:
    roles, _ = detect_roles(
        mixed_table, ColumnChoices(label="truth", ordinal={"plan": ["Basic", "Plus", "Premium"]})
    )
    settings = Settings()
    pre = Preprocessor(roles, settings).fit(mixed_table)
    restored = Preprocessor.from_state(json.loads(json.dumps(pre.to_state())), roles, settings)
    new = mixed_table.sample(40, random_state=1).assign(region="Z", extra=1)  # unseen level, extra column
    assert np.allclose(pre.transform(new), restored.transform(new), atol=1e-12)
    assert restored.encoded_names_ == pre.encoded_names_
    assert restored.n_components_ == pre.n_components_


def test_notes_name_the_column_and_count() -> None:
    frame = pd.DataFrame({"income": [10.0, None, 30.0, None, 50.0], "plan": ["a", "b", None, "a", "c"]})
    messages = [n.message for n in _fit(frame).notes_]
    assert "Column 'income' has 2 empty cell(s); they were filled with the median (30)." in messages
    assert "Column 'plan' has 1 empty cell(s); they form their own level '(missing)'." in messages


def test_transform_names_missing_columns() -> None:
    frame = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [3.0, 1.0, 2.0]})
    with pytest.raises(InputError, match=r"Columns used in training are missing: 'b'"):
        _fit(frame).transform(frame[["a"]])


@pytest.mark.parametrize(
    ("extra", "continuous"),
    [
        ({}, True),  # numbers of many values only
        ({"day": pd.date_range("2026-01-01", periods=200, freq="D")}, False),  # a season is a circle
        ({"colour": ["red", "green", "blue", "red"] * 50}, False),  # a category
        ({"member": ["yes", "no"] * 100}, False),  # a yes/no
        ({"children": [0, 1, 2, 3] * 50}, False),  # a number of a few whole values (codes)
    ],
)
def test_continuous_only_when_every_column_is_a_measurement(
    extra: dict[str, object], continuous: bool
) -> None:
    # The recommendation refines its answer by valleys only among measurements: between the levels
    # of a category or a count the dip test finds gaps that are no groups.
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"a": rng.normal(size=200), "b": rng.gamma(2.0, size=200), **extra})
    assert _fit(frame).continuous_ is continuous
