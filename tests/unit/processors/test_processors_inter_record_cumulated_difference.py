"""InterRecordCumulatedDifferenceProcessor: first value + increments per individual, and back."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest
from hypothesis import given

from avatars.processors import InterRecordCumulatedDifferenceProcessor
from tests.factories import PROPERTY, records


def processor(keep_record_order: bool = False) -> InterRecordCumulatedDifferenceProcessor:
    return InterRecordCumulatedDifferenceProcessor(
        id_variable="id",
        target_variable="value",
        new_first_variable_name="first",
        new_difference_variable_name="diff",
        keep_record_order=keep_record_order,
    )


def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {"id": [1, 2, 1, 1, 2, 2], "value": [1025, 20042, 1000, 1130, 20000, 20040]}
    )


def test_preprocess_hand_checked() -> None:
    out = processor().preprocess(frame())
    assert list(out.columns) == ["id", "first", "diff"]
    assert out["first"].tolist() == [1000, 20000, 1000, 1000, 20000, 20000]
    assert out["diff"].tolist() == [25, 2, 0, 105, 0, 40]
    assert out["id"].tolist() == [1, 2, 1, 1, 2, 2]


def test_postprocess_with_keep_record_order_restores_the_source() -> None:
    out = processor(keep_record_order=True).postprocess(frame(), processor().preprocess(frame()))
    assert list(out.columns) == ["id", "value"]
    assert out["value"].tolist() == [1025, 20042, 1000, 1130, 20000, 20040]


def test_postprocess_accumulates_in_dest_row_order_and_accepts_extra_records() -> None:
    avatars = pd.DataFrame(
        {
            "id": [1, 2, 1, 1, 2, 2, 2],
            "first": [1000, 20000, 1000, 1000, 20000, 20000, 20000],
            "diff": [25, 2, 0, 105, 0, 40, 8],
        }
    )
    out = processor().postprocess(frame(), avatars)
    assert out["value"].tolist() == [1025, 20002, 1025, 1130, 20002, 20042, 20050]


def test_keep_record_order_needs_the_same_index_labels() -> None:
    avatars = processor().preprocess(frame()).set_axis([10, 11, 12, 13, 14, 15])
    with pytest.raises(ValueError, match="keep_record_order"):
        processor(keep_record_order=True).postprocess(frame(), avatars)


@pytest.mark.parametrize(
    ("mutate", "column"),
    [
        (lambda df: df.drop(columns=["id"]), "id"),
        (lambda df: df.astype({"id": float}).assign(id=[1, np.nan, 1, 1, 2, 2]), "id"),
        (lambda df: df.astype({"value": float}).assign(value=[1, 2, np.nan, 4, 5, 6]), "value"),
        (lambda df: df.assign(value=list("abcdef")), "value"),
    ],
)
def test_bad_inputs_raise_value_error_naming_the_column(
    mutate: Callable[[pd.DataFrame], pd.DataFrame], column: str
) -> None:
    with pytest.raises(ValueError, match=repr(column)):
        processor().preprocess(mutate(frame()))


def test_postprocess_requires_complete_new_columns() -> None:
    avatars = processor().preprocess(frame()).astype({"diff": float})
    avatars.loc[2, "diff"] = np.nan
    with pytest.raises(ValueError, match="'diff'"):
        processor().postprocess(frame(), avatars)


@PROPERTY
@given(df=records())
def test_round_trip_with_keep_record_order_gives_back_the_values(df: pd.DataFrame) -> None:
    processed = processor().preprocess(df)
    out = processor(keep_record_order=True).postprocess(df, processed)
    np.testing.assert_allclose(out["value"], df["value"], rtol=1e-9, atol=1e-6)
    pd.testing.assert_series_equal(out["other"], df["other"])


@PROPERTY
@given(df=records())
def test_differences_are_non_negative_and_first_is_the_individual_minimum(
    df: pd.DataFrame,
) -> None:
    processed = processor().preprocess(df)
    assert (processed["diff"] >= 0).all()
    minimum = df.groupby("id")["value"].transform("min")
    np.testing.assert_array_equal(processed["first"], minimum)


@PROPERTY
@given(df=records())
def test_round_trip_on_records_sorted_within_individuals_needs_no_reordering(
    df: pd.DataFrame,
) -> None:
    df = df.sort_values(["id", "value"], kind="stable").reset_index(drop=True)
    out = processor().postprocess(df, processor().preprocess(df))
    np.testing.assert_allclose(out["value"], df["value"], rtol=1e-9, atol=1e-6)


@pytest.mark.parametrize(
    ("dtype", "expected"),
    [("int64", "int64"), ("int32", "int32"), ("Int64", "Int64"), ("float64", "float64")],
)
def test_first_value_keeps_an_integer_targets_dtype(dtype: str, expected: str) -> None:
    # As avatars 0.7.3: the first value is one of the target's values, so it keeps its type.
    out = processor().preprocess(frame().astype({"value": dtype}))
    assert out["first"].dtype == expected
    assert out["first"].tolist() == [1000, 20000, 1000, 1000, 20000, 20000]
    assert out["diff"].dtype == "float64"


def test_keep_record_order_returns_the_records_in_index_label_order() -> None:
    # The avatars come back shuffled but with the source's labels: rows are returned in the
    # order of the labels (as avatars 0.7.3 does), each with its own record's value.
    source = frame()
    avatars = processor().preprocess(source).sample(frac=1.0, random_state=3)
    assert list(avatars.index) != sorted(avatars.index)
    out = processor(keep_record_order=True).postprocess(source, avatars)
    assert list(out.index) == [0, 1, 2, 3, 4, 5]
    assert out["value"].tolist() == [1025, 20042, 1000, 1130, 20000, 20040]
