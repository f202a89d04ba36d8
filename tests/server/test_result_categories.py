"""Avatars of text categories read as categoricals are stored as those of object columns."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from avatars_server.jobs.steps.categories import as_object_built


def _parquet(frame: pd.DataFrame) -> bytes:
    sink = io.BytesIO()
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), sink)
    return sink.getvalue()


@pytest.mark.parametrize(
    "values",
    [
        ["b", "a", np.nan, "b", "c,d"],  # text with a missing value
        [np.nan, np.nan, np.nan, np.nan, np.nan],  # every value missing (object, not text)
        ["x", "x", "x", "x", "x"],
    ],
)
def test_categoricals_become_what_the_engine_built_from_objects(values: list[object]) -> None:
    objects = np.array(values, dtype=object)
    # The engine's avatars of an object column: the object array, its dtype inferred.
    expected = pd.DataFrame({"n": np.arange(5.0), "c": objects})
    categorical = pd.DataFrame(
        {"n": np.arange(5.0), "c": pd.Categorical(objects, categories=["x", "c,d", "a", "b"])}
    )
    got = as_object_built(categorical)
    assert got["c"].dtype == expected["c"].dtype
    pd.testing.assert_frame_equal(got, expected)
    assert _parquet(got) == _parquet(expected)


def test_frames_without_categoricals_are_returned_as_they_are() -> None:
    frame = pd.DataFrame({"n": [1.0], "c": np.array(["a"], dtype=object)})
    assert as_object_built(frame) is frame
