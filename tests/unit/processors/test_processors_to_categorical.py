"""ToCategoricalProcessor: low-cardinality columns become labels, and come back with their dtype."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from avatars.processors import ToCategoricalProcessor
from avatars.processors._base import NotFittedError
from tests.factories import PROPERTY


def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "code": [1, 2, 1, 2],
            "score": [1.5, 2.5, 3.5, 4.5],
            "flag": [True, False, True, True],
            "label": ["a", "b", "a", "a"],
            "cat": pd.Categorical(["x", "y", "x", "y"]),
            "day": pd.to_datetime(["2020-01-01", "2020-01-02", "2020-01-01", None]),
            "nullable": pd.array([1, None, 1, 1], dtype="Int64"),
        }
    )


def test_preprocess_selects_numeric_and_datetime_columns_under_the_threshold() -> None:
    processor = ToCategoricalProcessor(2)
    out = processor.preprocess(frame())
    assert processor.categorical_columns_ == ["code", "day", "nullable"]
    assert out["code"].dtype == object
    assert out["code"].tolist() == [1, 2, 1, 2]
    assert out["day"].dtype == object
    assert out["score"].dtype == np.float64
    assert out["flag"].dtype == bool
    assert list(out.columns) == list(frame().columns)


def test_preprocess_keeps_numeric_copies_when_asked() -> None:
    processor = ToCategoricalProcessor(2, keep_continuous=True, continuous_suffix="_num")
    out = processor.preprocess(frame())
    assert list(out.columns)[-3:] == ["code_num", "day_num", "nullable_num"]
    assert out["code_num"].dtype == np.int64
    assert out["code_num"].tolist() == [1, 2, 1, 2]


def test_postprocess_takes_the_continuous_value_for_the_category_label() -> None:
    source = pd.DataFrame({"code": [1, 2, 3]})
    processor = ToCategoricalProcessor(3, keep_continuous=True, category="OTHER")
    processor.preprocess(source)
    avatars = pd.DataFrame(
        {"code": pd.Series([2, "OTHER", 1], dtype=object), "code__cont": [9.0, 7.0, 8.0]}
    )
    out = processor.postprocess(source, avatars)
    assert list(out.columns) == ["code"]
    assert out["code"].dtype == np.int64
    assert out["code"].tolist() == [2, 7, 1]


def test_postprocess_before_preprocess_says_what_to_call() -> None:
    with pytest.raises(NotFittedError, match="preprocess"):
        ToCategoricalProcessor(2).postprocess(frame(), frame())


def test_postprocess_names_a_missing_selected_column() -> None:
    processor = ToCategoricalProcessor(2)
    processor.preprocess(frame())
    with pytest.raises(ValueError, match="'code'"):
        processor.postprocess(frame(), frame().drop(columns=["code"]))


@PROPERTY
@given(
    ints=st.lists(st.integers(-3, 3), min_size=1, max_size=15),
    threshold=st.integers(0, 8),
    keep_continuous=st.booleans(),
)
def test_round_trip_restores_values_and_dtypes(
    ints: list[int], threshold: int, keep_continuous: bool
) -> None:
    n = len(ints)
    source = pd.DataFrame(
        {
            "i": ints,
            "f": [x / 2 for x in ints],
            "u": np.array(ints, dtype=np.int64) % 3,
            "s": [str(x) for x in ints],
            "d": pd.to_datetime(ints, unit="D"),
            "b": [x > 0 for x in ints],
            "k": np.arange(n),
        }
    )
    processor = ToCategoricalProcessor(threshold, keep_continuous=keep_continuous)
    processed = processor.preprocess(source)
    for column in processor.categorical_columns_:
        assert processed[column].dtype == object
        assert source[column].nunique() <= threshold
    out = processor.postprocess(source, processed)
    pd.testing.assert_frame_equal(out, source)


def test_non_string_column_labels_are_kept_as_they_are() -> None:
    df = pd.DataFrame({0: [1, 2, 1], "b": [1.5, 2.0, 3.0]})
    processor = ToCategoricalProcessor(2, keep_continuous=True)
    processed = processor.preprocess(df)
    assert processor.categorical_columns_ == [0]
    assert list(processed.columns) == [0, "b", "0__cont"]
    pd.testing.assert_frame_equal(processor.postprocess(df, processed), df)
