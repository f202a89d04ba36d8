"""PerturbationProcessor: interpolate numbers, mix labels, between original (0) and avatar (1)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from avatars.processors import PerturbationProcessor
from tests.factories import PROPERTY


def source() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "x": [0.0, 10.0, 20.0, 30.0],
            "n": [1, 2, 3, 4],
            "label": ["a", "b", "c", "d"],
            "kind": pd.Categorical(["p", "p", "q", "q"]),
        }
    )


def avatars() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "x": [10.0, 20.0, 30.0, 40.0],
            "n": [3, 3, 3, 3],
            "label": ["w", "x", "y", "z"],
            "kind": pd.Categorical(["r", "r", "r", "p"]),
        },
        index=[10, 11, 12, 13],
    )


def test_preprocess_is_the_identity() -> None:
    out = PerturbationProcessor({"x": 0.5}).preprocess(source())
    pd.testing.assert_frame_equal(out, source())


@pytest.mark.parametrize("levels", [None, {}])
def test_without_levels_postprocess_returns_the_avatars(levels: dict[str, float] | None) -> None:
    out = PerturbationProcessor(levels).postprocess(source(), avatars())
    pd.testing.assert_frame_equal(out, avatars())


def test_numeric_columns_are_interpolated_by_position() -> None:
    out = PerturbationProcessor({"x": 0.25, "n": 0.5}).postprocess(source(), avatars())
    assert out["x"].tolist() == [2.5, 12.5, 22.5, 32.5]
    assert out["n"].tolist() == [2.0, 2.5, 3.0, 3.5]
    assert list(out.index) == [10, 11, 12, 13]
    assert out["label"].tolist() == ["w", "x", "y", "z"]


def test_label_columns_keep_the_avatar_value_with_the_given_probability_and_seed() -> None:
    processor = PerturbationProcessor({"label": 0.5, "kind": 0.5}, seed=3)
    first = processor.postprocess(source(), avatars())
    again = processor.postprocess(source(), avatars())
    pd.testing.assert_frame_equal(first, again)
    for column in ("label", "kind"):
        for got, orig, avatar in zip(
            first[column], source()[column], avatars()[column], strict=True
        ):
            assert got in (orig, avatar)
    assert isinstance(first["kind"].dtype, pd.CategoricalDtype)


def test_keys_missing_from_source_raise_value_error_naming_them() -> None:
    with pytest.raises(ValueError, match="'ghost'"):
        PerturbationProcessor({"ghost": 0.5}).postprocess(source(), avatars())


def test_levels_outside_zero_one_raise_value_error_naming_the_column() -> None:
    with pytest.raises(ValueError, match="'x'"):
        PerturbationProcessor({"x": 1.5}).postprocess(source(), avatars())


def test_frames_that_are_not_row_aligned_are_rejected() -> None:
    with pytest.raises(ValueError, match="row-aligned"):
        PerturbationProcessor({"x": 0.5}).postprocess(source(), avatars().iloc[:3])


@st.composite
def pair(draw: st.DrawFn) -> tuple[pd.DataFrame, pd.DataFrame]:
    n = draw(st.integers(1, 20))
    number = st.floats(-1e6, 1e6, allow_nan=False)
    label = st.sampled_from(["a", "b", "c"])

    def frame() -> pd.DataFrame:
        return pd.DataFrame(
            {
                "x": draw(st.lists(number, min_size=n, max_size=n)),
                "label": draw(st.lists(label, min_size=n, max_size=n)),
            }
        )

    return frame(), frame()


@PROPERTY
@given(frames=pair(), seed=st.integers(0, 2**32 - 1))
def test_level_zero_gives_the_source_and_level_one_the_avatars(
    frames: tuple[pd.DataFrame, pd.DataFrame], seed: int
) -> None:
    original, avatar = frames
    zero = PerturbationProcessor({"x": 0.0, "label": 0.0}, seed=seed)
    pd.testing.assert_frame_equal(zero.postprocess(original, avatar), original)
    one = PerturbationProcessor({"x": 1.0, "label": 1.0}, seed=seed)
    pd.testing.assert_frame_equal(one.postprocess(original, avatar), avatar)


@PROPERTY
@given(frames=pair(), level=st.floats(0.0, 1.0))
def test_numeric_output_lies_between_source_and_avatar(
    frames: tuple[pd.DataFrame, pd.DataFrame], level: float
) -> None:
    original, avatar = frames
    out = PerturbationProcessor({"x": level}).postprocess(original, avatar)["x"].to_numpy()
    low = np.minimum(original["x"], avatar["x"]).to_numpy()
    high = np.maximum(original["x"], avatar["x"]).to_numpy()
    tolerance = 1e-9 * np.maximum(1.0, np.abs(high))
    assert np.all(out >= low - tolerance)
    assert np.all(out <= high + tolerance)
