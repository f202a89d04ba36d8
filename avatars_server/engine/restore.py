"""Back to the original format: rounding, dtypes, datetimes and modalities (method.md §3.9)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from avatars_server.engine.jit import jit
from avatars_server.engine.table import (
    Categorical,
    FloatArray,
    IntArray,
    Kind,
    decimal_count,
    to_float,
)

_SECONDS_PER_DAY = 86_400.0
_MAX_SECOND_DECIMALS = 9


@dataclass(frozen=True)
class ColumnFormat:
    """What is needed to give an avatar column the original's format.

    Attributes:
        name: column name.
        kind: role of the column.
        dtype: the original pandas dtype.
        decimals: decimal count (continuous), or decimals of seconds (datetime).
        date_only: datetime column whose values are all at midnight (rounded to days).
        missing: the original's missing marker for object columns (None, NaN...).
    """

    name: str
    kind: Kind
    dtype: Any
    decimals: int
    date_only: bool
    missing: object


def column_format(series: pd.Series, kind: Kind) -> ColumnFormat:
    """Record the format of an original column."""
    name = str(series.name)
    missing: object = np.nan
    if kind == "categorical":
        mask = series.isna().to_numpy(dtype=bool)
        if mask.any():
            missing = series.astype(object).to_numpy(dtype=object)[np.argmax(mask)]
        return ColumnFormat(name, kind, series.dtype, 0, False, missing)
    values = to_float(series, kind)
    if kind == "datetime":
        observed = values[~np.isnan(values)]
        date_only = bool(np.all(np.mod(observed, _SECONDS_PER_DAY) == 0))
        decimals = min(decimal_count(values), _MAX_SECOND_DECIMALS)
        return ColumnFormat(name, kind, series.dtype, decimals, date_only, missing)
    is_int = pd.api.types.is_integer_dtype(series.dtype)
    decimals = 0 if is_int else decimal_count(values)
    return ColumnFormat(name, kind, series.dtype, decimals, False, missing)


def restore_continuous(
    fmt: ColumnFormat, values: FloatArray, missing: npt.NDArray[np.bool_]
) -> Any:
    """An avatar continuous or datetime column in the original format.

    Args:
        fmt: the original column's format.
        values: shape (n,), weighted means (datetimes in seconds).
        missing: shape (n,), where the avatar value is missing.

    Returns:
        A pandas array or numpy array of length n, ready for a DataFrame.
    """
    if fmt.kind == "datetime":
        if fmt.date_only:
            rounded = np.round(values / _SECONDS_PER_DAY) * _SECONDS_PER_DAY
        else:
            rounded = np.round(values, fmt.decimals)
        ns = np.round(rounded * 1e9)
        ns[missing] = 0
        stamps = pd.to_datetime(ns.astype(np.int64), unit="ns")
        tz = getattr(fmt.dtype, "tz", None)
        if tz is not None:
            stamps = stamps.tz_localize("UTC").tz_convert(tz)
        series = pd.Series(stamps).astype(fmt.dtype)
        series[missing] = pd.NaT
        return series.array
    # Rounded half to even, as np.round; rounding happens before any integer cast (never
    # truncate).
    dtype = fmt.dtype
    if isinstance(dtype, np.dtype) and dtype.kind in "iu":
        rounded = round_or_fill(values, fmt.decimals, missing, 0.0)
        if missing.any():
            nullable = pd.array(rounded.astype(np.int64), dtype="Int64")
            nullable[missing] = pd.NA
            return nullable
        return rounded.astype(dtype)
    if isinstance(dtype, np.dtype):
        return round_or_fill(values, fmt.decimals, missing, np.nan).astype(dtype, copy=False)
    # Nullable extension dtypes (Int64, Float64, ...): cast then blank.
    array = pd.array(round_or_fill(values, fmt.decimals, missing, 0.0), dtype=dtype)
    return pd.Series(array).where(~missing, pd.NA).array


def round_or_fill(
    values: FloatArray, decimals: int, missing: npt.NDArray[np.bool_], fill: float
) -> FloatArray:
    """``np.where(missing, fill, np.round(values, decimals))`` in one pass, bit for bit
    (np.round is rint(v·10^d)/10^d for d >= 0); no temporary n-sized arrays."""
    return _round_or_fill(np.asarray(values, dtype=np.float64), decimals, missing, fill)


@jit()
def _round_or_fill(
    values: FloatArray, decimals: int, missing: npt.NDArray[np.bool_], fill: float
) -> FloatArray:
    out = np.empty(values.shape[0])
    scale = 10.0**decimals
    for i in range(values.shape[0]):
        out[i] = fill if missing[i] else np.rint(values[i] * scale) / scale
    return out


def restore_categorical(fmt: ColumnFormat, variable: Categorical, codes: IntArray) -> Any:
    """An avatar categorical column with the original modality values and dtype.

    Args:
        fmt: the original column's format.
        variable: the fitted categorical variable (its modalities).
        codes: shape (n,), drawn level codes; the missing level means a missing value.

    Returns:
        An array-like of length n.
    """
    dtype = fmt.dtype
    n_modalities = len(variable.modalities)
    if isinstance(dtype, pd.CategoricalDtype):
        # Straight to category codes: no object array for large tables.
        position = dtype.categories.get_indexer(pd.Index(variable.modalities, dtype=object))
        category_codes = np.append(position, -1)[np.minimum(codes, n_modalities)]
        return pd.Categorical.from_codes(category_codes, dtype=dtype)
    if isinstance(dtype, np.dtype) and dtype.kind == "b":
        if (codes >= n_modalities).any():
            # Missing values in a bool column (only an excluded column replacing its rare
            # modality by a missing value): pandas' nullable boolean.
            values = np.append(variable.modalities.astype(bool), False)[codes]
            array = pd.array(values, dtype="boolean")
            array[codes >= n_modalities] = pd.NA
            return array
        return variable.modalities.astype(bool)[codes]
    lookup = np.append(variable.modalities.astype(object), np.array([fmt.missing], dtype=object))
    values = lookup[np.minimum(codes, n_modalities)]
    if isinstance(dtype, np.dtype) and dtype.kind == "O":
        return values
    try:
        return pd.Series(values, dtype=object).astype(dtype).array
    except (TypeError, ValueError):
        # An extension dtype that refuses its own modalities back: the values are right, only
        # the container becomes object (docs/method.md §9.2).
        return values
