"""InterRecordBoundedRangeDifferenceProcessor: bounded ranges and gaps of intervals, and back."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from avatars.processors import InterRecordBoundedRangeDifferenceProcessor
from tests.factories import PROPERTY, intervals


def processor(
    sort_by: str | None = None, round_output: bool = True
) -> InterRecordBoundedRangeDifferenceProcessor:
    return InterRecordBoundedRangeDifferenceProcessor(
        id_variable="id",
        target_start_variable="start",
        target_end_variable="end",
        new_first_variable_name="first",
        new_range_variable="range",
        new_difference_variable_name="gap",
        sort_by_variable=sort_by,
        should_round_output=round_output,
    )


def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "start": [30, 100, 80, 70, 40, 70],
            "end": [10, 80, 70, 60, 30, 5],
            "b": [4, 3, 0, 0, 2, 4],
            "id": [1, 1, 1, 2, 2, 2],
        }
    )


def test_preprocess_hand_checked() -> None:
    out = processor().preprocess(frame())
    assert list(out.columns) == ["b", "id", "range", "first", "gap"]
    # lb 5, ub 100. Row 1: 100 -> 80 is -20 / |100 - 5|; its gap 10 -> 100 is 90 / |10 - 100|.
    np.testing.assert_allclose(
        out["range"], [-20 / 25, -20 / 95, -10 / 75, -10 / 65, -10 / 35, -65 / 65]
    )
    assert out["first"].tolist() == [30, 30, 30, 70, 70, 70]
    np.testing.assert_allclose(out["gap"], [0, 1, 0, 0, -20 / 55, 40 / 70])


def test_postprocess_restores_the_source_with_columns_in_source_order() -> None:
    out = processor().postprocess(frame(), processor().preprocess(frame()))
    pd.testing.assert_frame_equal(out, frame())


def test_postprocess_truncates_when_rounding() -> None:
    avatars = pd.DataFrame({"id": [1], "first": [10.0], "range": [0.5], "gap": [0.0]})
    source = pd.DataFrame({"start": [0.0], "end": [15.0], "id": [1]})
    out = processor().postprocess(source, avatars)
    # end = 10 + 0.5 * |10 - 15| = 12.5, truncated to 12.
    assert out[["start", "end"]].to_numpy().tolist() == [[10, 12]]
    unrounded = processor(round_output=False).postprocess(source, avatars)
    assert unrounded["end"].tolist() == [12.5]


def test_sort_by_orders_records_and_ties_keep_their_order_of_appearance() -> None:
    df = pd.DataFrame(
        {
            "id": [1, 1, 1],
            "start": [50.0, 10.0, 30.0],
            "end": [60.0, 20.0, 40.0],
            "day": [2, 1, 1],
        }
    )
    out = processor(sort_by="day", round_output=False).preprocess(df)
    # Order: row 1 (day 1), row 2 (day 1, after row 1), row 0 (day 2).
    assert out["first"].tolist() == [10.0, 10.0, 10.0]
    np.testing.assert_allclose(out["gap"], [10 / 20, 0.0, 10 / 40])


@pytest.mark.parametrize("column", ["id", "start", "end", "day"])
def test_missing_or_incomplete_inputs_raise_value_error_naming_them(column: str) -> None:
    df = frame().assign(day=1).astype(float)
    df.loc[2, column] = np.nan
    with pytest.raises(ValueError, match=repr(column)):
        processor(sort_by="day").preprocess(df)
    with pytest.raises(ValueError, match=repr(column)):
        processor(sort_by="day").preprocess(frame().assign(day=1).drop(columns=[column]))


@PROPERTY
@given(df=intervals(), use_sort_by=st.booleans())
def test_round_trip_gives_back_starts_and_ends(df: pd.DataFrame, use_sort_by: bool) -> None:
    # "rank" follows the order of appearance, so sorting by it changes nothing.
    p = processor(sort_by="rank" if use_sort_by else None, round_output=False)
    out = p.postprocess(df, p.preprocess(df))
    np.testing.assert_allclose(out["start"], df["start"], atol=1e-6)
    np.testing.assert_allclose(out["end"], df["end"], atol=1e-6)
    assert list(out.columns) == list(df.columns)


@PROPERTY
@given(df=intervals(), data=st.data())
def test_postprocessed_intervals_stay_within_the_source_bounds(
    df: pd.DataFrame, data: st.DataObject
) -> None:
    lb = min(df["start"].min(), df["end"].min())
    ub = max(df["start"].max(), df["end"].max())
    n = len(df)
    share = st.floats(-1.0, 1.0)
    avatars = pd.DataFrame(
        {
            "id": data.draw(st.lists(st.integers(0, 3), min_size=n, max_size=n)),
            "first": data.draw(st.lists(st.floats(lb, ub), min_size=n, max_size=n)),
            "range": data.draw(st.lists(share, min_size=n, max_size=n)),
            "gap": data.draw(st.lists(share, min_size=n, max_size=n)),
            "rank": np.arange(n),
        }
    )
    out = processor(round_output=False).postprocess(df, avatars)
    for column in ("start", "end"):
        assert (out[column] >= lb - 1e-9).all()
        assert (out[column] <= ub + 1e-9).all()


@pytest.mark.parametrize(
    ("dtype", "expected"), [("int64", "int64"), ("uint16", "uint16"), ("float64", "float64")]
)
def test_first_start_keeps_an_integer_starts_dtype(dtype: str, expected: str) -> None:
    out = processor().preprocess(frame().astype({"start": dtype}))
    assert out["first"].dtype == expected
    assert out["first"].tolist() == [30, 30, 30, 70, 70, 70]
    assert (out["range"].dtype, out["gap"].dtype) == ("float64", "float64")
