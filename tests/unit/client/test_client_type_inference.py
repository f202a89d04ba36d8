"""Client side of the pandas round trip: dtypes -> declared types, and back."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from avatars.models import ColumnDetail, ColumnType
from avatars.pandas_integration import _restore_dtypes, column_type


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (pd.Series([1, 2], dtype="int64"), ColumnType.INT),
        (pd.Series([1, 2], dtype="uint8"), ColumnType.INT),
        (pd.Series([1, 2], dtype="Int64"), ColumnType.INT),
        (pd.Series([1, None], dtype="Int64"), ColumnType.FLOAT),
        (pd.Series([1.5, np.nan], dtype="float32"), ColumnType.FLOAT),
        (pd.Series([1.5, None], dtype="Float64"), ColumnType.FLOAT),
        (pd.Series([True, False]), ColumnType.BOOL),
        (pd.Series([True, False], dtype="boolean"), ColumnType.BOOL),
        (pd.Series([True, None], dtype="boolean"), ColumnType.CATEGORY),
        (pd.Series(["a", None], dtype=object), ColumnType.CATEGORY),
        (pd.Series(["a", "b"]), ColumnType.CATEGORY),  # pandas 3: the `str` dtype
        (pd.Series(["a", None], dtype="string"), ColumnType.CATEGORY),
        (pd.Series(["a", "b"], dtype="category"), ColumnType.CATEGORY),
        (pd.Series(pd.to_datetime(["2020-01-01", None])), ColumnType.DATETIME),
        (pd.Series(pd.to_datetime(["2020-01-01"]).tz_localize("UTC")), ColumnType.DATETIME),
    ],
)
def test_dtype_maps_to_a_column_type(values: pd.Series, expected: ColumnType) -> None:
    assert column_type(values.dtype, values) == expected


def test_dtype_without_a_column_type_is_refused() -> None:
    values = pd.Series(pd.to_timedelta([1, 2], unit="s"))
    with pytest.raises(TypeError, match="timedelta"):
        column_type(values.dtype, values)


def test_restore_dtypes_casts_every_declared_column() -> None:
    frame = pd.DataFrame(
        {
            "i": [1.0, 2.0],
            "b": [1, 0],
            "c": pd.Series([5, 6]),
            "d": ["2020-01-01 10:00:00", "2020-01-02 10:00:00.500000"],
            "z": pd.Series(pd.to_datetime(["2020-01-01T10:00:00"]).tz_localize("Europe/Paris"))
            .repeat(2)
            .reset_index(drop=True),
        }
    )
    columns = [
        ColumnDetail(type_=ColumnType.INT, label="i"),
        ColumnDetail(type_=ColumnType.BOOL, label="b"),
        ColumnDetail(type_=ColumnType.CATEGORY, label="c"),
        ColumnDetail(type_=ColumnType.DATETIME, label="d"),
        ColumnDetail(type_=ColumnType.DATETIME, label="z"),
    ]
    restored = _restore_dtypes(frame, columns)
    assert list(restored.dtypes.astype(str)) == [
        "int64",
        "bool",
        "object",
        "datetime64[ns]",
        "datetime64[ns]",
    ]
    assert restored["d"].iloc[1] == pd.Timestamp("2020-01-02 10:00:00.5")
    assert restored["z"].iloc[0] == pd.Timestamp("2020-01-01 09:00:00")  # in UTC


def test_restore_dtypes_refuses_a_file_without_a_declared_column() -> None:
    with pytest.raises(ValueError, match="lacks the declared columns"):
        _restore_dtypes(pd.DataFrame({"a": [1]}), [ColumnDetail(type_=ColumnType.INT, label="b")])
