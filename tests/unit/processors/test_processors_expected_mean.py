"""ExpectedMeanProcessor: avatar group means (and stds) moved to the original ones."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from avatars.processors import ExpectedMeanProcessor
from avatars.processors._base import NotFittedError
from avatars.processors.expected_mean import ZeroStandardDeviationWarning
from tests.factories import PROPERTY


def source() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "g": ["a", "a", None, None, "b", "b"],
            "x": [1.0, 3.0, 5.0, 7.0, 10.0, 20.0],
            "y": [1, 2, 3, 4, 5, 6],
        }
    )


def test_preprocess_returns_the_frame_unchanged_without_a_helper_column() -> None:
    df = source()
    for processor in (
        ExpectedMeanProcessor(["x"]),
        ExpectedMeanProcessor(["x"], groupby_variables=["g"]),
    ):
        out = processor.preprocess(df)
        pd.testing.assert_frame_equal(out, df)
        assert out is not df


def test_preprocess_learns_group_means_and_sample_stds_with_missing_keys_as_a_group() -> None:
    processor = ExpectedMeanProcessor(["x"], groupby_variables=["g"])
    processor.preprocess(source())
    stats = processor.reference_stats_
    assert stats["x__mean__"].tolist() == [2.0, 6.0, 15.0]
    np.testing.assert_allclose(stats["x__std__"], [np.sqrt(2), np.sqrt(2), np.sqrt(50)])
    assert stats["g"].isna().tolist() == [False, True, False]


def test_postprocess_shifts_each_group_to_its_reference_mean_in_avatar_row_order() -> None:
    processor = ExpectedMeanProcessor(["x"], groupby_variables=["g"])
    processor.preprocess(source())
    avatars = pd.DataFrame(
        {"g": ["b", None, "a", "a", None], "x": [0.0, 0.0, 10.0, 20.0, 2.0], "y": [1, 2, 3, 4, 5]},
        index=[9, 8, 7, 6, 5],
    )
    out = processor.postprocess(source(), avatars)
    assert list(out.index) == [0, 1, 2, 3, 4]
    assert list(out.columns) == ["g", "x", "y"]
    # b: mean 0 -> 15; missing key: mean 1 -> 6; a: mean 15 -> 2.
    assert out["x"].tolist() == [15.0, 5.0, -3.0, 7.0, 7.0]
    assert out["y"].tolist() == [1, 2, 3, 4, 5]


def test_postprocess_drops_rows_of_groups_unknown_to_the_reference() -> None:
    processor = ExpectedMeanProcessor(["x"], groupby_variables=["g"])
    processor.preprocess(source())
    avatars = pd.DataFrame({"g": ["zzz", "a", "a"], "x": [1.0, 1.0, 3.0], "y": [0, 0, 0]})
    out = processor.postprocess(source(), avatars)
    assert out["g"].tolist() == ["a", "a"]
    assert out["x"].tolist() == [1.0, 3.0]


def test_postprocess_with_same_std_matches_the_reference_std() -> None:
    processor = ExpectedMeanProcessor(["x", "y"], same_std=True)
    processor.preprocess(source())
    avatars = pd.DataFrame({"g": ["a"] * 4, "x": [0.0, 1.0, 2.0, 3.0], "y": [1, 1, 2, 2]})
    out = processor.postprocess(source(), avatars)
    np.testing.assert_allclose(out[["x", "y"]].mean(), source()[["x", "y"]].mean())
    np.testing.assert_allclose(out[["x", "y"]].std(), source()[["x", "y"]].std())


def test_same_std_with_a_constant_avatar_group_warns_and_only_shifts() -> None:
    processor = ExpectedMeanProcessor(["x"], groupby_variables=["g"], same_std=True)
    processor.preprocess(source())
    avatars = pd.DataFrame({"g": ["a", "a", "b", "b"], "x": [4.0, 4.0, 0.0, 2.0], "y": 0})
    with pytest.warns(ZeroStandardDeviationWarning, match="'x'"):
        out = processor.postprocess(source(), avatars)
    assert out["x"].tolist()[:2] == [2.0, 2.0]
    np.testing.assert_allclose(
        out["x"].tolist()[2:], [15 - np.sqrt(50) / np.sqrt(2), 15 + np.sqrt(50) / np.sqrt(2)]
    )


def test_without_same_std_a_constant_group_does_not_warn() -> None:
    processor = ExpectedMeanProcessor(["x"])
    processor.preprocess(source())
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        processor.postprocess(source(), pd.DataFrame({"g": "a", "x": [1.0, 1.0], "y": 0}))


@pytest.mark.parametrize(
    ("kwargs", "column"),
    [
        ({"target_variables": ["nope"]}, "nope"),
        ({"target_variables": ["g"]}, "g"),
        ({"target_variables": ["x"], "groupby_variables": ["missing"]}, "missing"),
    ],
)
def test_bad_columns_raise_value_error_naming_them(kwargs: dict[str, object], column: str) -> None:
    processor = ExpectedMeanProcessor(**kwargs)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=repr(column)):
        processor.preprocess(source())


def test_postprocess_before_preprocess_raises_not_fitted() -> None:
    with pytest.raises(NotFittedError):
        ExpectedMeanProcessor(["x"]).postprocess(source(), source())


@st.composite
def grouped(draw: st.DrawFn) -> pd.DataFrame:
    n = draw(st.integers(2, 30))
    keys = draw(st.lists(st.sampled_from(["a", "b", "c", None]), min_size=n, max_size=n))
    values = draw(st.lists(st.floats(-1e3, 1e3, allow_nan=False), min_size=n, max_size=n))
    return pd.DataFrame({"g": keys, "x": values})


@PROPERTY
@given(original=grouped(), avatars=grouped(), same_std=st.booleans(), by_group=st.booleans())
def test_output_group_means_equal_the_reference_group_means(
    original: pd.DataFrame, avatars: pd.DataFrame, same_std: bool, by_group: bool
) -> None:
    groupby = ["g"] if by_group else None
    processor = ExpectedMeanProcessor(["x"], groupby_variables=groupby, same_std=same_std)
    processor.preprocess(original)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ZeroStandardDeviationWarning)
        out = processor.postprocess(original, avatars)
    keys = groupby or (lambda _: 0)
    expected = original.groupby(keys, dropna=False)["x"].mean()
    got = out.groupby(keys, dropna=False)["x"].mean()
    assert set(got.index) <= set(expected.index)
    np.testing.assert_allclose(got, expected.loc[got.index], atol=1e-6, rtol=1e-9)
