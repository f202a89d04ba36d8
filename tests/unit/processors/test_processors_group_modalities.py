"""GroupModalitiesProcessor: rare modalities merged into one label; kept ones untouched."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from avatars.processors import GroupModalitiesProcessor
from tests.factories import PROPERTY


def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "city": ["Paris", "Paris", "Lyon", None, "Nice", "Paris"],
            "kind": pd.Categorical(["x", "x", "y", "y", "z", "x"]),
            "size": [1, 1, 2, 2, 3, 1],
            "few": ["u", "u", "v", "v", "u", "v"],
        }
    )


def test_per_variable_thresholds_replace_modalities_at_or_below_them() -> None:
    processor = GroupModalitiesProcessor(variable_thresholds={"city": 1, "kind": 2})
    out = processor.preprocess(frame())
    assert out["city"].tolist()[:3] == ["Paris", "Paris", "other"]
    assert pd.isna(out["city"].iloc[3])
    assert out["city"].tolist()[4:] == ["other", "Paris"]
    assert out["kind"].tolist() == ["x", "x", "other", "other", "other", "x"]
    assert isinstance(out["kind"].dtype, pd.CategoricalDtype)
    pd.testing.assert_series_equal(out["size"], frame()["size"])


def test_global_mode_picks_non_numeric_columns_with_enough_distinct_values_once() -> None:
    processor = GroupModalitiesProcessor(min_unique=3, global_threshold=1, new_category="RARE")
    out = processor.preprocess(frame())
    assert processor.thresholds_ == {"city": 1, "kind": 1}
    assert out["city"].tolist()[4] == "RARE"
    assert out["few"].tolist() == frame()["few"].tolist()
    # Decided on the first call: a later frame with fewer distinct values is still grouped.
    later = pd.DataFrame({"city": ["A", "A", "B"], "kind": ["x", "x", "x"], "few": "u"})
    assert processor.preprocess(later)["city"].tolist() == ["A", "A", "RARE"]


def test_a_numeric_column_can_be_grouped_when_named() -> None:
    out = GroupModalitiesProcessor(variable_thresholds={"size": 1}).preprocess(frame())
    assert out["size"].tolist() == [1, 1, 2, 2, "other", 1]


def test_postprocess_returns_the_avatars_unchanged() -> None:
    processor = GroupModalitiesProcessor(variable_thresholds={"city": 1})
    avatars = processor.preprocess(frame())
    out = processor.postprocess(frame(), avatars)
    pd.testing.assert_frame_equal(out, avatars)
    assert out is not avatars


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"min_unique": 2},
        {"global_threshold": 2},
        {"variable_thresholds": {"city": 1}, "min_unique": 2, "global_threshold": 1},
        {"variable_thresholds": {"city": 1}, "min_unique": 2},
    ],
)
def test_constructor_requires_exactly_one_mode(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="variable_thresholds"):
        GroupModalitiesProcessor(**kwargs)  # type: ignore[arg-type]


def test_unknown_column_raises_value_error_naming_it() -> None:
    processor = GroupModalitiesProcessor(variable_thresholds={"town": 1})
    with pytest.raises(ValueError, match="'town'"):
        processor.preprocess(frame())


@PROPERTY
@given(
    values=st.lists(st.sampled_from(["a", "b", "c", "d", "e", None]), min_size=1, max_size=40),
    threshold=st.integers(0, 5),
    as_category=st.booleans(),
)
def test_kept_modalities_are_unchanged_and_rare_ones_become_the_new_category(
    values: list[str | None], threshold: int, as_category: bool
) -> None:
    column = pd.Series(values, dtype="category" if as_category else "str")
    df = pd.DataFrame({"v": column})
    out = GroupModalitiesProcessor(variable_thresholds={"v": threshold}).preprocess(df)
    counts = column.value_counts()
    for before, after in zip(column, out["v"], strict=True):
        if pd.isna(before):
            assert pd.isna(after)
        elif counts[before] > threshold:
            assert after == before
        else:
            assert after == "other"


def test_global_mode_keeps_non_string_column_labels() -> None:
    df = pd.DataFrame({1: ["a", "a", "b"], "n": [1, 2, 3]})
    processor = GroupModalitiesProcessor(min_unique=2, global_threshold=1)
    assert processor.preprocess(df)[1].tolist() == ["a", "a", "other"]
    assert processor.thresholds_ == {1: 1}
