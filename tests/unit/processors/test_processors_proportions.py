"""ProportionProcessor: shares in preprocess, parts that add up to the reference in postprocess."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from avatars.processors import ProportionProcessor
from avatars.processors.proportions import _sum_preserving_round
from tests.factories import PROPERTY

PARTS = ["variable_2", "variable_3", "variable_4"]


def tutorial_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "variable_1": [100, 150, 120, 100],
            "variable_2": [10, 30, 30, 22],
            "variable_3": [30, 60, 30, 35],
            "variable_4": [60, 60, 60, 65],
        }
    )


def tutorial_processor() -> ProportionProcessor:
    return ProportionProcessor(variable_names=PARTS, reference="variable_1", sum_to_one=True)


def test_preprocess_gives_each_part_its_share_of_the_parts_sum() -> None:
    out = tutorial_processor().preprocess(tutorial_frame())
    assert list(out.columns) == ["variable_1", *PARTS]
    assert out["variable_1"].tolist() == [100, 150, 120, 100]
    np.testing.assert_allclose(out.loc[0, PARTS].to_numpy(dtype=float), [0.1, 0.3, 0.6])
    np.testing.assert_allclose(out.loc[1, PARTS].to_numpy(dtype=float), [0.2, 0.4, 0.4])
    np.testing.assert_allclose(
        out.loc[3, PARTS].to_numpy(dtype=float), [22 / 122, 35 / 122, 65 / 122]
    )


def test_preprocess_without_sum_to_one_gives_ratios_to_the_reference() -> None:
    processor = ProportionProcessor(PARTS, "variable_1", sum_to_one=False)
    out = processor.preprocess(tutorial_frame())
    np.testing.assert_allclose(out["variable_2"], [0.1, 0.2, 0.25, 0.22])


def test_zero_parts_get_a_zero_share_without_dividing_zero_by_zero() -> None:
    df = pd.DataFrame({"total": [0.0, 10.0], "a": [0.0, 0.0], "b": [0.0, 5.0]})
    out = ProportionProcessor(["a", "b"], "total").preprocess(df)
    assert out[["a", "b"]].to_numpy().tolist() == [[0.0, 0.0], [0.0, 1.0]]
    ratios = ProportionProcessor(["a", "b"], "total", sum_to_one=False).preprocess(df)
    assert ratios.loc[0, ["a", "b"]].tolist() == [0.0, 0.0]


def test_tutorial_example_parts_add_up_to_the_reference_after_perturbed_avatars() -> None:
    df = tutorial_frame()
    processor = tutorial_processor()
    preprocessed = processor.preprocess(df)
    # Stand-in for the avatarization: seeded noise on every column, shares no longer sum to 1.
    rng = np.random.default_rng(7)
    avatars = preprocessed.astype(float) + rng.normal(0, 0.03, preprocessed.shape)
    avatars["variable_1"] = preprocessed["variable_1"] + rng.normal(0, 5, len(df))

    result = processor.postprocess(df, avatars)

    total = result["variable_2"] + result["variable_3"] + result["variable_4"]
    np.testing.assert_allclose(total, result["variable_1"], atol=0.05 + 1e-9)
    np.testing.assert_allclose(total, result["variable_1"].round(1), atol=1e-9)
    assert list(result.columns) == list(df.columns)


def test_postprocess_hand_checked_values_and_sum_preserving_rounding() -> None:
    df = pd.DataFrame({"total": [10.0], "a": [1.0], "b": [1.0], "c": [1.0]})
    avatars = pd.DataFrame({"total": [10.0], "a": [0.2], "b": [0.2], "c": [0.2]})
    out = ProportionProcessor(["a", "b", "c"], "total").postprocess(df, avatars)
    # 3.333… each rounds to 3.3 (total 9.9); one unit goes to the first of the equal errors.
    assert out.loc[0, ["a", "b", "c"]].tolist() == [3.4, 3.3, 3.3]


def test_postprocess_without_sum_to_one_multiplies_by_the_reference() -> None:
    avatars = pd.DataFrame({"total": [10.0, 20.0], "a": [0.25, 0.5], "b": [0.5, 0.1]})
    out = ProportionProcessor(["a", "b"], "total", sum_to_one=False).postprocess(avatars, avatars)
    assert out[["a", "b"]].to_numpy().tolist() == [[2.5, 5.0], [10.0, 2.0]]


def test_postprocess_works_by_position_whatever_the_index() -> None:
    df = tutorial_frame()
    processor = tutorial_processor()
    avatars = processor.preprocess(df)
    shuffled_index = avatars.set_axis([30, 10, 20, 0])
    out_plain = processor.postprocess(df, avatars)
    out_shuffled = processor.postprocess(df, shuffled_index)
    assert list(out_shuffled.index) == [30, 10, 20, 0]
    np.testing.assert_array_equal(out_plain.to_numpy(), out_shuffled.to_numpy())
    restored = out_plain[PARTS].to_numpy(dtype=float)
    np.testing.assert_allclose(restored[:3], df[PARTS].to_numpy()[:3])
    # Row 3's parts (122) exceed its reference (100): they are scaled down to add up to it.
    np.testing.assert_allclose(restored[3], [18.0, 28.7, 53.3])


def test_rows_with_missing_values_are_left_unrounded() -> None:
    avatars = pd.DataFrame({"total": [10.0, 10.0], "a": [1 / 3, np.nan], "b": [2 / 3, 0.5]})
    out = ProportionProcessor(["a", "b"], "total").postprocess(avatars, avatars)
    assert out.loc[0, ["a", "b"]].tolist() == [3.3, 6.7]
    assert np.isnan(out.loc[1, "a"])


@pytest.mark.parametrize(
    ("kwargs", "column"),
    [
        ({"variable_names": ["a"], "reference": "missing"}, "missing"),
        ({"variable_names": ["a", "nope"], "reference": "total"}, "nope"),
        ({"variable_names": ["label"], "reference": "total"}, "label"),
    ],
)
def test_bad_columns_raise_value_error_naming_them(kwargs: dict[str, object], column: str) -> None:
    df = pd.DataFrame({"total": [1.0], "a": [1.0], "label": ["x"]})
    processor = ProportionProcessor(**kwargs)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=repr(column)):
        processor.preprocess(df)


def test_postprocess_requires_the_reference_in_dest() -> None:
    processor = ProportionProcessor(["a"], "total")
    with pytest.raises(ValueError, match="'total'"):
        processor.postprocess(pd.DataFrame({"a": [1.0]}), pd.DataFrame({"a": [1.0]}))


share_rows = hnp.arrays(
    np.float64,
    st.tuples(st.integers(1, 12), st.integers(1, 6)),
    elements=st.floats(min_value=0.0, max_value=1.0, allow_nan=False),
)


@PROPERTY
@given(
    shares=share_rows,
    total=st.floats(min_value=0.0, max_value=1e5, allow_nan=False),
    decimals=st.integers(0, 3),
)
def test_postprocessed_parts_sum_to_the_reference(
    shares: np.ndarray, total: float, decimals: int
) -> None:
    names = [f"p{i}" for i in range(shares.shape[1])]
    avatars = pd.DataFrame(shares, columns=names)
    avatars["ref"] = total
    out = ProportionProcessor(names, "ref", decimal_count=decimals).postprocess(avatars, avatars)
    parts = out[names].to_numpy()
    positive = shares.sum(axis=1) > 0
    # Each part is rounded; their sum is within half a unit of the reference.
    assert np.all(np.abs(parts.sum(axis=1)[positive] - total) <= 0.5 * 10.0**-decimals + 1e-6)
    np.testing.assert_allclose(parts, np.round(parts, decimals), atol=1e-9)
    assert np.all(parts >= 0)


@PROPERTY
@given(
    values=hnp.arrays(
        np.float64,
        st.tuples(st.integers(1, 10), st.integers(1, 7)),
        elements=st.floats(min_value=-1e4, max_value=1e4, allow_nan=False),
    ),
    decimals=st.integers(0, 3),
)
def test_rounding_preserves_the_rounded_total_and_moves_each_value_by_under_one_unit(
    values: np.ndarray, decimals: int
) -> None:
    rounded = _sum_preserving_round(values, decimals)
    unit = 10.0**-decimals
    units_total = np.round(rounded.sum(axis=1) / unit)
    np.testing.assert_array_equal(units_total, np.round(values.sum(axis=1) / unit))
    assert np.all(np.abs(rounded - values) < unit + 1e-9)


@PROPERTY
@given(
    parts=hnp.arrays(
        np.float64,
        st.tuples(st.integers(1, 10), st.integers(1, 5)),
        elements=st.floats(min_value=0.0, max_value=1e4, allow_nan=False),
    )
)
def test_round_trip_on_unchanged_data_restores_the_rounded_parts(parts: np.ndarray) -> None:
    names = [f"p{i}" for i in range(parts.shape[1])]
    df = pd.DataFrame(parts, columns=names)
    df["ref"] = parts.sum(axis=1)
    processor = ProportionProcessor(names, "ref", decimal_count=2)
    out = processor.postprocess(df, processor.preprocess(df))
    np.testing.assert_allclose(out[names].to_numpy(), parts, atol=0.01 + 1e-6)
    np.testing.assert_allclose(out["ref"], df["ref"])
