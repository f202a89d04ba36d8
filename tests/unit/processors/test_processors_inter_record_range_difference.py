"""InterRecordRangeDifferenceProcessor: intervals as first start, ranges and gaps, and back."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given

from avatars.processors import InterRecordRangeDifferenceProcessor
from tests.factories import PROPERTY, intervals


def processor(keep_record_order: bool = False) -> InterRecordRangeDifferenceProcessor:
    return InterRecordRangeDifferenceProcessor(
        id_variable="id",
        target_start_variable="start",
        target_end_variable="end",
        sort_by_variable="start",
        new_first_variable="first",
        new_range_variable="range",
        new_difference_variable="gap",
        keep_record_order=keep_record_order,
    )


def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": [1, 2, 1, 1, 2, 2],
            "start": [7, 14, 6, 12, 10, 23],
            "end": [8, 18, 7, 15, 12, 24],
        }
    )


def test_preprocess_hand_checked() -> None:
    out = processor().preprocess(frame())
    assert list(out.columns) == ["id", "range", "first", "gap"]
    assert out["range"].tolist() == [1, 4, 1, 3, 2, 1]
    assert out["first"].tolist() == [6, 10, 6, 6, 10, 10]
    assert out["gap"].tolist() == [0, 2, 0, 4, 0, 5]


def test_postprocess_with_keep_record_order_restores_the_source() -> None:
    out = processor(keep_record_order=True).postprocess(frame(), processor().preprocess(frame()))
    assert list(out.columns) == ["id", "start", "end"]
    assert out["start"].tolist() == [7, 14, 6, 12, 10, 23]
    assert out["end"].tolist() == [8, 18, 7, 15, 12, 24]


def test_postprocess_without_reordering_follows_dest_row_order() -> None:
    avatars = pd.DataFrame(
        {"id": [5, 5, 5], "first": [100, 0, 0], "range": [2, 3, 1], "gap": [1, 4, 0]}
    )
    out = processor().postprocess(frame(), avatars)
    # start_i = first_i + ranges before i + gaps up to i.
    assert out["start"].tolist() == [101, 7, 10]
    assert out["end"].tolist() == [103, 10, 11]


def test_missing_sort_by_in_source_raises_value_error_naming_it() -> None:
    with pytest.raises(ValueError, match="'start'"):
        processor().postprocess(frame().drop(columns=["start"]), processor().preprocess(frame()))


@pytest.mark.parametrize("column", ["id", "start", "end"])
def test_incomplete_inputs_raise_value_error_naming_the_column(column: str) -> None:
    df = frame().astype(float)
    df.loc[3, column] = np.nan
    with pytest.raises(ValueError, match=repr(column)):
        processor().preprocess(df)


@PROPERTY
@given(df=intervals())
def test_round_trip_with_keep_record_order_gives_back_starts_and_ends(df: pd.DataFrame) -> None:
    p = InterRecordRangeDifferenceProcessor(
        id_variable="id",
        target_start_variable="start",
        target_end_variable="end",
        sort_by_variable="rank",
        new_first_variable="f",
        new_range_variable="r",
        new_difference_variable="d",
        keep_record_order=True,
    )
    shuffled = df.sample(frac=1.0, random_state=0)
    out = p.postprocess(shuffled, p.preprocess(shuffled))
    # The records come back in the order of their index labels (as in avatars 0.7.3).
    assert list(out.index) == sorted(shuffled.index)
    np.testing.assert_allclose(out["start"], df["start"], atol=1e-6)
    np.testing.assert_allclose(out["end"], df["end"], atol=1e-6)


@pytest.mark.parametrize(
    ("dtypes", "first", "range_"),
    [
        ({"start": "int64", "end": "int64"}, "int64", "int64"),
        ({"start": "int32", "end": "int32"}, "int32", "int32"),
        ({"start": "Int64", "end": "int64"}, "Int64", "Int64"),
        ({"start": "uint8", "end": "uint8"}, "uint8", "int64"),  # a range can be negative
        ({"start": "int64", "end": "float64"}, "int64", "float64"),
        ({"start": "float64", "end": "float64"}, "float64", "float64"),
    ],
)
def test_first_and_range_keep_integer_dtypes(
    dtypes: dict[str, str], first: str, range_: str
) -> None:
    # As avatars 0.7.3: integer starts give integer first values, integer starts and ends
    # integer ranges; the gaps are floats.
    out = processor().preprocess(frame().astype(dtypes))
    assert (out["first"].dtype, out["range"].dtype, out["gap"].dtype) == (
        first,
        range_,
        "float64",
    )
    assert out["first"].tolist() == [6, 10, 6, 6, 10, 10]
    assert out["range"].tolist() == [1, 4, 1, 3, 2, 1]


def test_keep_record_order_returns_the_records_in_index_label_order() -> None:
    source = frame()
    avatars = processor().preprocess(source).sample(frac=1.0, random_state=3)
    assert list(avatars.index) != sorted(avatars.index)
    out = processor(keep_record_order=True).postprocess(source, avatars)
    assert list(out.index) == [0, 1, 2, 3, 4, 5]
    assert out[["start", "end"]].values.tolist() == source[["start", "end"]].values.tolist()
