"""RelativeDifferenceProcessor: target expressed against the sum of its references, and back."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from avatars.processors import RelativeDifferenceProcessor
from tests.factories import PROPERTY


def frame() -> pd.DataFrame:
    return pd.DataFrame({"total": [110, 230], "a": [50, 100], "b": [40, 100], "c": ["x", "y"]})


def test_preprocess_writes_the_scaled_difference_in_place_by_default() -> None:
    out = RelativeDifferenceProcessor("total", ["a", "b"], scaling_unit=10).preprocess(frame())
    assert list(out.columns) == ["total", "a", "b", "c"]
    assert out["total"].tolist() == [2.0, 3.0]


def test_preprocess_can_rename_and_drop_the_original_target() -> None:
    processor = RelativeDifferenceProcessor(
        "total", ["a", "b"], target_rename="rest", drop_original_target=True
    )
    out = processor.preprocess(frame())
    assert list(out.columns) == ["a", "b", "c", "rest"]
    assert out["rest"].tolist() == [20.0, 30.0]


def test_postprocess_rebuilds_the_target_and_leaves_a_renamed_column() -> None:
    processor = RelativeDifferenceProcessor(
        "total", ["a", "b"], scaling_unit=2, target_rename="rest"
    )
    avatars = pd.DataFrame({"a": [1.0, 2.0], "b": [3.0, 4.0], "rest": [0.5, -1.0]})
    out = processor.postprocess(frame(), avatars)
    assert out["total"].tolist() == [5.0, 4.0]
    assert out["rest"].tolist() == [0.5, -1.0]


def test_drop_original_target_needs_a_distinct_target_rename() -> None:
    with pytest.raises(ValueError, match="target_rename"):
        RelativeDifferenceProcessor("total", ["a"], drop_original_target=True)
    with pytest.raises(ValueError, match="target_rename"):
        RelativeDifferenceProcessor(
            "total", ["a"], target_rename="total", drop_original_target=True
        )


@pytest.mark.parametrize(
    ("target", "references", "column"),
    [("nope", ["a"], "nope"), ("total", ["a", "zz"], "zz"), ("total", ["c"], "c")],
)
def test_bad_columns_raise_value_error_naming_them(
    target: str, references: list[str], column: str
) -> None:
    with pytest.raises(ValueError, match=repr(column)):
        RelativeDifferenceProcessor(target, references).preprocess(frame())


def test_references_must_be_complete() -> None:
    df = frame().astype({"a": float})
    df.loc[1, "a"] = np.nan
    with pytest.raises(ValueError, match=r"'a'.*missing"):
        RelativeDifferenceProcessor("total", ["a", "b"]).preprocess(df)


def test_postprocess_requires_the_references_in_dest() -> None:
    processor = RelativeDifferenceProcessor("total", ["a", "b"])
    with pytest.raises(ValueError, match="'b'"):
        processor.postprocess(frame(), frame().drop(columns=["b"]))


@PROPERTY
@given(
    values=hnp.arrays(
        np.float64,
        st.tuples(st.integers(1, 15), st.just(3)),
        elements=st.floats(-1e5, 1e5, allow_nan=False),
    ),
    scaling=st.one_of(st.none(), st.integers(1, 1000)),
    rename=st.sampled_from([None, "diff"]),
)
def test_round_trip_gives_back_the_target(
    values: np.ndarray, scaling: int | None, rename: str | None
) -> None:
    df = pd.DataFrame(values, columns=["target", "r1", "r2"])
    processor = RelativeDifferenceProcessor(
        "target",
        ["r1", "r2"],
        scaling_unit=scaling,
        target_rename=rename,
        drop_original_target=rename is not None,
    )
    out = processor.postprocess(df, processor.preprocess(df))
    np.testing.assert_allclose(out["target"], df["target"], atol=1e-6)
