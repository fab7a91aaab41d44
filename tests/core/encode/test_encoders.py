"""Column encoders: hand-computed outputs, JSON state, and new-data reports."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from clusterlab.core.encode.encoders import (
    BinaryEncoder,
    DatetimeEncoder,
    NominalEncoder,
    NumericEncoder,
    OrdinalRankEncoder,
    TextEncoder,
)


def _frame(name: str, values: list[object]) -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(values, dtype=object)})


def _restore(encoder):  # type: ignore[no-untyped-def]
    state = json.loads(json.dumps(encoder.get_state()))
    return type(encoder).from_state(encoder.get_params(), state)


def test_numeric_fills_the_median_and_reads_text() -> None:
    enc = NumericEncoder("x", decimal=".").fit(_frame("x", ["1,000", None, "3,000", "$2,000"]))
    assert enc.median_ == 2000.0
    assert enc.transform(_frame("x", ["1,000", None, "5"]))[:, 0].tolist() == [1000.0, 2000.0, 5.0]
    assert (
        "Column 'x' has 1 empty cell(s); they were filled with the median (2,000)"
        in enc.fit_notes()[0].message
    )


def test_binary_maps_sorted_levels_and_fills_the_commoner() -> None:
    enc = BinaryEncoder("b").fit(_frame("b", ["Yes", "No", "Yes", None]))
    assert enc.levels_ == ["No", "Yes"]
    assert enc.transform(_frame("b", ["No", "Yes", None]))[:, 0].tolist() == [0.0, 1.0, 1.0]
    notes = enc.new_data_notes(pd.Series(["Maybe", "Yes"]))
    assert "Column 'b' has 1 value(s) not seen in training: 'Maybe' (1 row)" in notes[0].message


def test_binary_numeric_levels_match_across_int_and_float() -> None:
    enc = BinaryEncoder("f").fit(_frame("f", [0.0, 1.0, 1.0]))
    assert enc.transform(_frame("f", [1, 0]))[:, 0].tolist() == [1.0, 0.0]


def test_ordinal_ranks_case_insensitively_with_median_fill() -> None:
    enc = OrdinalRankEncoder("s", order=["S", "M", "L", "XL"]).fit(_frame("s", ["S", "m", "L", "XL", None]))
    assert enc.fill_ == 1.5
    assert enc.transform(_frame("s", ["xl", "S", None, "XXL"]))[:, 0].tolist() == [3.0, 0.0, 1.5, 1.5]


def test_nominal_one_hot_with_other_and_missing_levels() -> None:
    values = ["a"] * 5 + ["b"] * 3 + ["c", "d"] + [None]
    enc = NominalEncoder("c", max_levels=3, min_share=0.0).fit(_frame("c", values))
    assert enc.levels_ == ["a", "b", "Other", "(missing)"]
    out = enc.transform(_frame("c", ["a", "d", None, "zzz"]))
    assert out.tolist() == [[1, 0, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1], [0, 0, 1, 0]]
    assert (
        "the 2 most common are kept and the 2 rarer ones (2 rows) are grouped as 'Other'"
        in enc.fit_notes()[1].message
    )


def test_nominal_min_share_folds_rare_levels() -> None:
    values = ["a"] * 50 + ["b"] * 49 + ["rare"]
    enc = NominalEncoder("c", max_levels=20, min_share=0.02).fit(_frame("c", values))
    assert enc.levels_ == ["a", "b", "Other"]


def test_nominal_with_every_level_rare_says_the_column_no_longer_counts() -> None:
    # 500 codes of 6 rows each: every one is under 1% of rows, so all fold into 'Other' and the
    # column is constant. The note must say so, not "the 0 most common are kept".
    values = [f"k{i % 500}" for i in range(3000)]
    enc = NominalEncoder("c2", max_levels=20, min_share=0.01).fit(_frame("c2", values))
    assert enc.levels_ == ["Other"]
    (note,) = enc.fit_notes()
    assert note.level == "warning"
    assert note.text() == (  # as Python names the controls; the CLI says --min-category-share...
        "Column 'c2' has 500 different values, each in fewer than 1% of rows; all were grouped as "
        "'Other', so the column does not affect the clusters (lower min_category_share to keep "
        'the commonest, or leave it out with exclude=["c2"]).'
    )


def test_nominal_without_other_level_encodes_unseen_as_zeros_and_says_so() -> None:
    enc = NominalEncoder("c").fit(_frame("c", ["x", "y", "x"]))
    assert enc.transform(_frame("c", ["new"])).tolist() == [[0.0, 0.0]]
    assert "counted as no level (all zeros)" in enc.new_data_notes(pd.Series(["new"]))[0].message


def test_datetime_parts() -> None:
    enc = DatetimeEncoder("d", date_format="%Y-%m-%d").fit(_frame("d", ["2020-01-01", "2020-07-02", None]))
    out = enc.transform(_frame("d", ["2020-01-01", "2020-07-02"]))
    assert out[0, 0] == pytest.approx(2020.0)
    assert out[1, 0] == pytest.approx(2020 + 183 / 365.25)
    assert out[0, 1:].tolist() == pytest.approx([0.0, 1.0])  # 1 January: start of the season circle


def test_text_components_and_empty_vocabulary(rng: np.random.Generator) -> None:
    words = ["late delivery broken box", "fast delivery great price", "great support quick answer"]
    texts = [words[i % 3] for i in range(30)]
    enc = TextEncoder("t", n_components=2).fit(_frame("t", texts))
    out = enc.transform(_frame("t", texts))
    assert out.shape == (30, 2)
    assert np.allclose(out[0], out[3])  # the same text gives the same components
    empty = TextEncoder("t").fit(_frame("t", ["the", "a", None]))
    assert empty.transform(_frame("t", ["x"])).shape == (1, 0)


@pytest.mark.parametrize(
    ("encoder", "values"),
    [
        (NumericEncoder("c"), [1.0, None, 3.0]),
        (BinaryEncoder("c"), ["y", "n", None]),
        (OrdinalRankEncoder("c", order=["lo", "hi"]), ["lo", "hi", None]),
        (NominalEncoder("c", max_levels=2), ["a", "b", "c", None]),
        (TextEncoder("c", n_components=2), ["red apple pie", "green apple tart", "red cherry pie", None]),
        (DatetimeEncoder("c"), ["2021-03-04", "2022-12-31", None]),
    ],
)
def test_json_state_round_trip_gives_identical_output(encoder, values) -> None:  # type: ignore[no-untyped-def]
    frame = _frame("c", values)
    fitted = encoder.fit(frame)
    restored = _restore(fitted)
    assert np.array_equal(fitted.transform(frame), restored.transform(frame))
    # A restored encoder is frozen: refitting on other data must not change it.
    restored.fit(_frame("c", [None]))
    assert np.array_equal(fitted.transform(frame), restored.transform(frame))
