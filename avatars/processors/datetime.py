"""DatetimeProcessor: datetimes as float seconds since the Unix epoch, and back."""

from __future__ import annotations

import numpy as np
import pandas as pd
from pandas.api.types import is_numeric_dtype

from avatars.processors._base import DType

__all__ = ["DatetimeProcessor"]

_EPOCH = pd.Timestamp("1970-01-01T00:00:00")
_MICROSECONDS_PER_SECOND = 1_000_000


def _is_datetime(dtype: DType) -> bool:
    return str(dtype).startswith("datetime")


def _to_seconds(series: pd.Series) -> pd.Series:
    """Float seconds since the epoch; NaT becomes NaN."""
    values = series
    if isinstance(series.dtype, pd.DatetimeTZDtype):
        # Seconds since the epoch are defined in UTC; drop the zone after converting to it.
        values = series.dt.tz_convert("UTC").dt.tz_localize(None)
    # Whole microseconds as exact integers first, then one division: the float is then the
    # closest one to the true value, which `_from_seconds` can round back to the microsecond.
    micros = (values - _EPOCH) // pd.Timedelta(microseconds=1)
    return micros.astype("float64") / _MICROSECONDS_PER_SECOND


def _from_seconds(seconds: pd.Series, dtype: DType) -> pd.Series:
    """Inverse of `_to_seconds`, to the microsecond, cast to `dtype`."""
    values = seconds.to_numpy(dtype="float64", na_value=np.nan)
    missing = np.isnan(values)
    filled = np.where(missing, 0.0, values)
    # Split whole and fractional seconds: multiplying the whole float by 1e6 would lose the
    # last microsecond for present-day dates; `filled - whole` is exact.
    whole = np.floor(filled)
    micros = whole.astype("int64") * _MICROSECONDS_PER_SECOND + np.round(
        (filled - whole) * _MICROSECONDS_PER_SECOND
    ).astype("int64")
    stamps = pd.Series(
        pd.to_datetime(micros, unit="us").as_unit("us"), index=seconds.index, name=seconds.name
    )
    stamps = stamps.mask(missing)
    if isinstance(dtype, pd.DatetimeTZDtype):
        return stamps.dt.tz_localize("UTC").dt.tz_convert(dtype.tz).astype(dtype)
    return stamps.astype(dtype)


class DatetimeProcessor:
    """Express datetime columns as float seconds since 1970-01-01T00:00:00 for the avatarization.

    Missing values stay missing. `postprocess` converts back every column that is a datetime in
    `source` and numeric in `dest`, to the microsecond, with the dtype it has in `source`.

    Example:
        >>> df = pd.DataFrame({"when": pd.to_datetime(["1970-01-01 00:00:01.5", None])})
        >>> DatetimeProcessor().preprocess(df)["when"].tolist()
        [1.5, nan]
    """

    def __init__(self) -> None:
        pass

    def preprocess(self, df: pd.DataFrame) -> pd.DataFrame:
        """Replace each datetime column by its float seconds since the epoch."""
        out = df.copy()
        for column in df.columns:
            if _is_datetime(df[column].dtype):
                out[column] = _to_seconds(df[column])
        return out

    def postprocess(self, source: pd.DataFrame, dest: pd.DataFrame) -> pd.DataFrame:
        """Convert back the columns that are datetimes in `source`, with their `source` dtype."""
        out = dest.copy()
        for column in source.columns:
            if (
                _is_datetime(source[column].dtype)
                and column in dest.columns
                and is_numeric_dtype(dest[column].dtype)
            ):
                out[column] = _from_seconds(dest[column], source[column].dtype)
        return out
