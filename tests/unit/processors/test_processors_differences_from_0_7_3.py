"""The intended differences from avatars 0.7.3 listed in the README's processors section that the
per-processor test modules do not already pin down."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from avatars.processors import (
    DatetimeProcessor,
    ExpectedMeanProcessor,
    GroupModalitiesProcessor,
    InterRecordCumulatedDifferenceProcessor,
    PerturbationProcessor,
    ProportionProcessor,
    ToCategoricalProcessor,
)


def test_to_categorical_leaves_boolean_columns_alone() -> None:
    df = pd.DataFrame({"flag": [True, False, True], "code": [1, 2, 1]})
    processor = ToCategoricalProcessor(5, keep_continuous=True)
    out = processor.preprocess(df)
    assert processor.categorical_columns_ == ["code"]
    assert out["flag"].dtype == bool and "flag__cont" not in out.columns


def test_datetime_postprocess_converts_back_every_resolution() -> None:
    source = pd.DataFrame({"when": pd.to_datetime(["2020-01-01 00:00:01"]).astype("datetime64[s]")})
    out = DatetimeProcessor().postprocess(source, pd.DataFrame({"when": [1.5]}))
    assert out["when"].dtype == "datetime64[s]"
    assert out["when"].iloc[0] == pd.Timestamp("1970-01-01 00:00:01")


def test_expected_mean_same_std_never_fills_a_one_record_group_with_nan() -> None:
    source = pd.DataFrame({"g": ["a", "a", "b", "b"], "v": [1.0, 3.0, 10.0, 14.0]})
    avatars = pd.DataFrame({"g": ["a", "a", "b"], "v": [2.0, 6.0, 9.0]})  # "b": one record
    processor = ExpectedMeanProcessor(["v"], groupby_variables=["g"], same_std=True)
    processor.preprocess(source)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an undefined std is not a zero std: no warning either
        out = processor.postprocess(source, avatars)
    assert not out["v"].isna().any()
    assert out["v"].tolist()[2] == 12.0  # only shifted to the reference mean


def test_group_modalities_global_mode_leaves_datetime_and_boolean_columns_out() -> None:
    df = pd.DataFrame(
        {
            "city": ["A", "A", "B", "C"],
            "day": pd.to_datetime(["2020-01-01", "2020-01-02", "2020-01-03", "2020-01-03"]),
            "flag": pd.array([True, False, None, True], dtype="boolean"),
        }
    )
    processor = GroupModalitiesProcessor(min_unique=2, global_threshold=1)
    out = processor.preprocess(df)
    assert processor.thresholds_ == {"city": 1}
    pd.testing.assert_series_equal(out["day"], df["day"])
    pd.testing.assert_series_equal(out["flag"], df["flag"])


def test_perturbation_gives_the_same_mix_on_every_call() -> None:
    source = pd.DataFrame({"label": list("aaaaaaaa")})
    avatars = pd.DataFrame({"label": list("bbbbbbbb")})
    processor = PerturbationProcessor({"label": 0.5}, seed=7)
    first = processor.postprocess(source, avatars)
    assert set(first["label"]) == {"a", "b"}
    pd.testing.assert_frame_equal(processor.postprocess(source, avatars), first)


def test_proportion_postprocess_keeps_zero_parts_of_a_zero_total() -> None:
    avatars = pd.DataFrame({"total": [10.0, 4.0], "a": [0.2, 0.0], "b": [0.8, 0.0]})
    out = ProportionProcessor(["a", "b"], "total").postprocess(avatars, avatars)
    assert out[["a", "b"]].values.tolist() == [[2.0, 8.0], [0.0, 0.0]]


def test_inter_record_rows_keep_the_order_they_came_in_when_the_index_is_not_sorted() -> None:
    df = pd.DataFrame({"id": [1, 2, 1], "value": [5, 7, 3]}, index=[2, 0, 1])
    processor = InterRecordCumulatedDifferenceProcessor(
        id_variable="id",
        target_variable="value",
        new_first_variable_name="first",
        new_difference_variable_name="diff",
    )
    processed = processor.preprocess(df)
    assert list(processed.index) == [2, 0, 1]
    assert processed["diff"].tolist() == [2.0, 0.0, 0.0]
    out = processor.postprocess(df, processed)
    assert list(out.index) == [2, 0, 1]
    assert out["value"].tolist() == [5.0, 7.0, 5.0]  # accumulated in dest's row order
    np.testing.assert_array_equal(df["value"], [5, 7, 3])  # the input is unchanged
