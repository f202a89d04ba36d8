"""InterRecordBoundedCumulatedDifferenceProcessor: bounded relative changes, and back."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from avatars.processors import InterRecordBoundedCumulatedDifferenceProcessor
from tests.factories import PROPERTY, records


def processor(round_output: bool = False) -> InterRecordBoundedCumulatedDifferenceProcessor:
    return InterRecordBoundedCumulatedDifferenceProcessor(
        "id", "value", "first", "share", should_round_output=round_output
    )


def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {"id": [1, 2, 1, 1, 2, 2], "value": [1025, 20042, 1000, 1130, 20000, 20040]},
        index=[5, 4, 3, 2, 1, 0],
    )


def test_keyword_arguments_are_accepted_too() -> None:
    p = InterRecordBoundedCumulatedDifferenceProcessor(
        id_variable="id",
        target_variable="value",
        new_first_variable_name="first",
        new_difference_variable_name="share",
    )
    assert p.should_round_output is False


def test_preprocess_hand_checked_in_order_of_appearance_with_a_reset_index() -> None:
    out = processor().preprocess(frame())
    assert list(out.index) == [0, 1, 2, 3, 4, 5]
    assert list(out.columns) == ["id", "first", "share"]
    assert out["first"].tolist() == [1025, 20042, 1025, 1025, 20042, 20042]
    np.testing.assert_allclose(
        out["share"], [0, 0, -1, 130 / 19042, -42 / 19042, 40 / 42], rtol=1e-12
    )


def test_postprocess_hand_checked_and_rounded() -> None:
    avatars = pd.DataFrame(
        {"id": [7, 7, 7], "first": [1500.0, 0.0, 0.0], "share": [0.5, -0.5, 1.0]}
    )
    out = processor(round_output=True).postprocess(frame(), avatars)
    # lb 1000, ub 20042: 1500 -> +0.5 * 18542 = 10771 -> -0.5 * 9771 = 5885.5 -> ub.
    assert out["value"].tolist() == [10771, 5886, 20042]
    assert out["value"].dtype == np.int64
    assert list(out.columns) == ["id", "value"]


def test_round_trip_restores_the_source_values() -> None:
    df = frame()
    out = processor(round_output=True).postprocess(df, processor().preprocess(df))
    assert out["value"].tolist() == df["value"].tolist()


@pytest.mark.parametrize("column", ["id", "value"])
def test_incomplete_id_or_target_raises_value_error_naming_it(column: str) -> None:
    df = frame().astype(float)
    df.iloc[2, df.columns.get_loc(column)] = np.nan
    with pytest.raises(ValueError, match=repr(column)):
        processor().preprocess(df)


def test_postprocess_names_a_missing_new_column() -> None:
    avatars = processor().preprocess(frame()).drop(columns=["share"])
    with pytest.raises(ValueError, match="'share'"):
        processor().postprocess(frame(), avatars)


def test_a_long_individual_is_rebuilt_in_order() -> None:
    n = 5000
    df = pd.DataFrame({"id": np.zeros(n, dtype=int), "value": np.arange(n, dtype=float)})
    out = processor().postprocess(df, processor().preprocess(df))
    np.testing.assert_allclose(out["value"], df["value"], atol=1e-6)


@PROPERTY
@given(df=records(values=st.floats(-1e4, 1e4, allow_nan=False)))
def test_round_trip_gives_back_the_values(df: pd.DataFrame) -> None:
    out = processor().postprocess(df, processor().preprocess(df))
    np.testing.assert_allclose(out["value"], df["value"], atol=1e-6)
    assert list(out.columns) == ["id", "other", "value"]


@PROPERTY
@given(
    df=records(values=st.floats(-1e4, 1e4, allow_nan=False), min_rows=2),
    data=st.data(),
)
def test_postprocessed_values_stay_within_the_source_bounds(
    df: pd.DataFrame, data: st.DataObject
) -> None:
    lb, ub = df["value"].min(), df["value"].max()
    n = len(df)
    avatars = pd.DataFrame(
        {
            "id": data.draw(st.lists(st.integers(0, 3), min_size=n, max_size=n)),
            "first": data.draw(st.lists(st.floats(lb, ub), min_size=n, max_size=n)),
            "share": data.draw(st.lists(st.floats(-1.0, 1.0), min_size=n, max_size=n)),
        }
    )
    out = processor().postprocess(df, avatars)["value"]
    slack = 1e-9 * max(1.0, abs(lb), abs(ub))
    assert (out >= lb - slack).all()
    assert (out <= ub + slack).all()


@pytest.mark.parametrize(
    ("dtype", "expected"), [("int64", "int64"), ("Int32", "Int32"), ("float64", "float64")]
)
def test_first_value_keeps_an_integer_targets_dtype(dtype: str, expected: str) -> None:
    out = processor().preprocess(frame().astype({"value": dtype}))
    assert out["first"].dtype == expected
    assert out["first"].tolist() == [1025, 20042, 1025, 1025, 20042, 20042]
    assert out["share"].dtype == "float64"
