"""DatetimeProcessor: datetimes to float epoch seconds and back, to the microsecond."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from avatars.processors import DatetimeProcessor
from tests.factories import PROPERTY


def test_preprocess_gives_float_seconds_since_the_epoch_and_keeps_missing() -> None:
    df = pd.DataFrame(
        {
            "when": pd.to_datetime(["1970-01-01 00:00:01.5", None, "1969-12-31 23:59:59.0"]),
            "n": [1, 2, 3],
        }
    )
    out = DatetimeProcessor().preprocess(df)
    assert out["when"].dtype == np.float64
    assert out["when"].tolist()[0] == 1.5
    assert np.isnan(out["when"].tolist()[1])
    assert out["when"].tolist()[2] == -1.0
    assert out["n"].tolist() == [1, 2, 3]


def test_preprocess_converts_every_datetime_unit_and_time_zone() -> None:
    stamp = pd.Timestamp("2001-09-09 01:46:40")  # 1e9 seconds after the epoch
    df = pd.DataFrame(
        {
            "ns": pd.Series([stamp]).astype("datetime64[ns]"),
            "s": pd.Series([stamp]).astype("datetime64[s]"),
            "paris": pd.Series([stamp.tz_localize("UTC")]).dt.tz_convert("Europe/Paris"),
            "label": ["x"],
        }
    )
    out = DatetimeProcessor().preprocess(df)
    assert out[["ns", "s", "paris"]].iloc[0].tolist() == [1e9, 1e9, 1e9]
    assert out["label"].tolist() == ["x"]


def test_postprocess_converts_back_the_source_datetime_columns_only() -> None:
    source = pd.DataFrame(
        {
            "when": pd.Series(pd.to_datetime(["2020-01-01"])).astype("datetime64[ns]"),
            "n": [0.5],
        }
    )
    avatars = pd.DataFrame({"when": [1.5, np.nan], "n": [2.5, 3.0]})
    out = DatetimeProcessor().postprocess(source, avatars)
    assert out["when"].dtype == "datetime64[ns]"
    assert out["when"].iloc[0] == pd.Timestamp("1970-01-01 00:00:01.5")
    assert pd.isna(out["when"].iloc[1])
    assert out["n"].tolist() == [2.5, 3.0]
    assert avatars["when"].dtype == np.float64  # not written in place


def test_postprocess_keeps_sub_second_precision() -> None:
    source = pd.DataFrame({"when": pd.to_datetime(["2024-02-29 12:00:00.654321"])})
    processor = DatetimeProcessor()
    out = processor.postprocess(source, processor.preprocess(source))
    assert out["when"].iloc[0] == pd.Timestamp("2024-02-29 12:00:00.654321")


stamps = st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2200, 1, 1)).map(
    pd.Timestamp
)


@PROPERTY
@given(
    values=st.lists(st.one_of(stamps, st.none()), min_size=1, max_size=20),
    unit=st.sampled_from(["ns", "us"]),
    tz=st.sampled_from([None, "UTC", "America/New_York"]),
)
def test_round_trip_is_exact_to_the_microsecond(
    values: list[pd.Timestamp | None], unit: str, tz: str | None
) -> None:
    column = pd.Series(pd.to_datetime(values)).astype(f"datetime64[{unit}]")
    if tz is not None:
        column = column.dt.tz_localize("UTC").dt.tz_convert(tz)
    source = pd.DataFrame({"when": column, "other": np.arange(len(values))})
    processor = DatetimeProcessor()
    out = processor.postprocess(source, processor.preprocess(source))
    pd.testing.assert_frame_equal(out, source)


@pytest.mark.parametrize("value", ["2024-01-01", 3])
def test_postprocess_leaves_columns_that_are_not_numeric_in_dest(value: object) -> None:
    source = pd.DataFrame({"when": pd.to_datetime(["2020-01-01"])})
    avatars = pd.DataFrame({"when": [value]})
    out = DatetimeProcessor().postprocess(source, avatars)
    if isinstance(value, str):
        assert out["when"].tolist() == ["2024-01-01"]
    else:
        assert out["when"].iloc[0] == pd.Timestamp("1970-01-01 00:00:03")
