"""Heavy tails are log-scaled and far-out cells clipped: reported, stored, and switchable off."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from tests.conftest import make_blob_table

from clusterlab.core import ClusterLab, Preprocessor, Settings, detect_roles
from clusterlab.core.encode.encoders import NumericEncoder


def _fit(values: np.ndarray, **params: object) -> NumericEncoder:
    return NumericEncoder("spend", **params).fit(pd.DataFrame({"spend": values}))  # type: ignore[arg-type]


def test_lognormal_spend_is_log_scaled(rng: np.random.Generator) -> None:
    enc = _fit(np.exp(rng.normal(5, 1, 1000)))
    assert enc.log_scale_ is not None
    assert enc.skew_ is not None
    assert enc.skew_[0] > 2
    assert abs(enc.skew_[1]) <= enc.skew_[0] / 2
    notes = enc.fit_notes()
    assert any("log-scaled" in n.message and n.column == "spend" for n in notes)
    assert enc.choices()[0]["step"] == "log"


@pytest.mark.parametrize(
    "make",
    [
        lambda rng: rng.normal(50, 10, 1000),  # symmetric
        lambda rng: rng.normal(0, 1, 1000) ** 3,  # skewed both ways, has negatives
        lambda rng: rng.integers(0, 4, 1000) * 1.0,  # few distinct values, barely skewed
    ],
)
def test_other_columns_stay_linear(rng: np.random.Generator, make: object) -> None:
    assert _fit(make(rng)).log_scale_ is None  # type: ignore[operator]


def test_log_off_with_heavy_tails_keep(rng: np.random.Generator) -> None:
    enc = _fit(np.exp(rng.normal(5, 1, 1000)), heavy_tails="keep")
    assert enc.log_scale_ is None


def test_log_formula_by_hand() -> None:
    values = 2.0 * np.exp(np.linspace(-3, 3, 101))  # skewness 2.5; median 2
    enc = _fit(values, outliers="keep")
    assert enc.log_scale_ == pytest.approx(2.0)  # median of the positive values
    encoded = enc.transform(pd.DataFrame({"spend": [0.0, 2.0, -5.0]})).ravel()
    np.testing.assert_allclose(encoded, [0.0, np.log(2.0), 0.0])  # negatives in new data count as 0


def test_one_absurd_cell_is_clipped_to_the_far_out_fence(rng: np.random.Generator) -> None:
    values = rng.normal(5, 1, 200)
    values[17] = 9_899_999.0
    enc = _fit(values, heavy_tails="keep")
    q1, q3 = np.percentile(values, [25, 75])
    assert enc.upper_ == pytest.approx(q3 + 3 * (q3 - q1))
    assert enc.n_clipped_ == 1
    encoded = enc.transform(pd.DataFrame({"spend": values})).ravel()
    assert encoded[17] == pytest.approx(enc.upper_)
    np.testing.assert_allclose(np.delete(encoded, 17), np.delete(values, 17))
    note = next(n for n in enc.fit_notes() if "far outside" in n.message)
    assert note.level == "warning"
    assert note.count == 1
    assert "(row 18: 9,899,999)" in note.message  # the 1-based data row and the cell's own value
    clip = next(c for c in enc.choices() if c["step"] == "clip")
    assert clip["detail"]["examples"] == [{"row": 18, "value": 9_899_999.0}]


def test_far_out_cells_are_named_farthest_first_and_counted_beyond_five(rng: np.random.Generator) -> None:
    values = rng.normal(5, 1, 1000)
    values[[3, 50, 60, 70, 80, 90]] = [100.0, 900.0, 200.0, 300.0, 400.0, 500.0]
    enc = _fit(values, heavy_tails="keep")
    assert enc.n_clipped_ == 6
    note = next(n for n in enc.fit_notes() if "far outside" in n.message)
    assert "(row 51: 900; row 91: 500; row 81: 400; row 71: 300; row 61: 200 and 1 more)" in note.message


def test_far_out_cells_of_a_sample_are_named_without_row_numbers(rng: np.random.Generator) -> None:
    values = rng.normal(5, 1, 200)
    values[17] = 9_899_999.0
    sample = pd.DataFrame({"spend": values}, index=np.arange(200) * 7)  # rows of a bigger table
    enc = NumericEncoder("spend", heavy_tails="keep").fit(sample)
    note = next(n for n in enc.fit_notes() if "far outside" in n.message)
    assert "(9,899,999)" in note.message
    assert "row" not in note.message.split("(")[1]


def test_clean_gaussian_column_is_not_clipped(rng: np.random.Generator) -> None:
    assert _fit(rng.normal(size=2000)).lower_ is None


def test_mostly_one_value_is_not_clipped() -> None:
    values = np.r_[np.zeros(95), np.arange(1, 6) * 10.0]
    assert _fit(values, heavy_tails="keep").n_clipped_ == 0


def test_absurd_cell_does_not_take_a_cluster() -> None:
    centres = [(0.0, 0.0, 5.0), (4.0, -3.0, 6.0), (8.0, -6.0, 7.0)]
    frame, _ = make_blob_table(60, centres, columns=["a", "b", "colour_intensity"])
    frame.loc[7, "colour_intensity"] = 9_899_999.0
    clipped = ClusterLab(k=3, settings={"resamples": 0}).fit(frame)
    assert min(np.bincount(clipped.labels_)[1:]) > 40
    # Kept, the cell squashes its column's other values to one point: nothing depends on the column
    # any more, and number_weight="auto" weighs it down; with both off the cell takes a cluster.
    kept = ClusterLab(k=3, settings={"resamples": 0, "outliers": "keep", "number_weight": "keep"}).fit(frame)
    assert min(np.bincount(kept.labels_)[1:]) == 1  # the cell takes a cluster of its own


def test_choices_reach_the_preprocessor_and_its_state(rng: np.random.Generator) -> None:
    frame = pd.DataFrame({"spend": np.exp(rng.normal(5, 1, 300)), "age": rng.normal(40, 5, 300)})
    frame.loc[3, "age"] = 4000.0
    roles, _ = detect_roles(frame)
    pre = Preprocessor(roles, Settings())
    matrix = pre.fit_transform(frame)
    steps = {(c["column"], c["step"]) for c in pre.choices_}
    assert {("spend", "log"), ("age", "clip")} <= steps
    restored = Preprocessor.from_state(pre.to_state(), roles, Settings())
    np.testing.assert_allclose(restored.transform(frame), matrix)


def test_old_state_without_new_entries_still_loads(rng: np.random.Generator) -> None:
    state = {"median_": 3.0, "n_missing_": 0}
    enc = NumericEncoder.from_state({"column": "x", "decimal": "."}, state)
    assert enc.transform(pd.DataFrame({"x": [1.0, None]})).ravel().tolist() == [1.0, 3.0]


def test_summary_lists_every_automatic_choice(rng: np.random.Generator) -> None:
    from clusterlab import cluster

    frame = pd.DataFrame(
        {
            "spend": np.exp(rng.normal(5, 1, 200)),
            "age": rng.normal(40, 5, 200),
            "plan": rng.choice(["a", "b", "c", "d"], 200),
        }
    )
    frame.loc[3, "age"] = 4000.0
    summary = cluster(frame, k=2, resamples=0).summary()
    steps = {(c["column"], c["step"]) for c in summary["preprocessing"]}
    assert {("spend", "log"), ("age", "clip"), (None, "weighting")} <= steps
    assert summary["settings"]["heavy_tails"] == "log"
    assert summary["settings"]["outliers"] == "clip"
    assert summary["settings"]["weighting"] == "balanced"
    off = cluster(
        frame, k=2, resamples=0, heavy_tails="keep", outliers="keep", weighting="none", category_weight=1.0
    ).summary()
    assert off["preprocessing"] == []
    assert {"agreement", "stability", "admissible", "k_range"} <= set(summary["recommendation"])


def test_many_values_beyond_the_fence_are_a_tail_not_outliers() -> None:
    # A frequency near 1 for most rows, with 12% of rows far lower: a tail, nothing is clipped.
    values = np.r_[np.linspace(0.9, 1.0, 880), np.linspace(0.0, 0.3, 120)]
    q1, q3 = np.percentile(values, [25, 75])
    assert (values < q1 - 3 * (q3 - q1)).sum() == 120  # all beyond the far-out fence
    enc = _fit(values, heavy_tails="keep")
    assert enc.n_clipped_ == 0
    assert enc.lower_ is None
