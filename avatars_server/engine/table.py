"""Column roles and the numeric encoding of a table: floats for continuous, codes for categories.

Roles come from dtypes only (method.md §2.2): numeric → continuous, datetime → continuous in
seconds since the epoch, anything else (object, string, category, bool) → categorical.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from avatars_server.engine.errors import AvatarError
from avatars_server.engine.jit import jit

Kind = Literal["continuous", "categorical", "datetime"]
FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

_NS_PER_SECOND = 1e9
_MAX_DECIMALS = 12
# encode: continuous columns converted at a time, and rows per block of the copy into the matrix.
_COLUMN_GROUP = 8
_ROW_BLOCK = 8_192


@dataclass(frozen=True)
class Categorical:
    """One categorical variable encoded as integer codes.

    Attributes:
        name: column name.
        codes: shape (n,); ``0..len(modalities)-1`` for observed modalities, ``len(modalities)``
            for the missing level, -1 for a modality unknown to the fitted table.
        modalities: observed modalities sorted by string form, original values.
        has_missing: whether the fitted table has a missing level (then it is the last level).
    """

    name: str
    codes: IntArray
    modalities: npt.NDArray[np.object_]
    has_missing: bool

    @property
    def n_levels(self) -> int:
        """Number of levels, missing level included."""
        return len(self.modalities) + int(self.has_missing)

    @property
    def missing_code(self) -> int:
        """Code of the missing level (meaningful when ``has_missing``)."""
        return len(self.modalities)


@dataclass(frozen=True)
class Encoded:
    """A table as numbers.

    Attributes:
        continuous_names: names of the continuous (and datetime) columns, in input order.
        continuous: shape (n, n_continuous); NaN where missing; datetimes in seconds.
        categoricals: the categorical variables, in input order.
    """

    continuous_names: list[str]
    continuous: FloatArray
    categoricals: list[Categorical]

    @property
    def n_rows(self) -> int:
        """Number of rows."""
        return int(self.continuous.shape[0])

    @property
    def n_dimensions(self) -> int:
        """D_enc: continuous columns plus the levels of every categorical variable."""
        return len(self.continuous_names) + sum(v.n_levels for v in self.categoricals)


def column_kind(series: pd.Series) -> Kind:
    """Role of a column from its dtype alone (method.md §2.2)."""
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return "categorical"
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return "datetime"
    if isinstance(dtype, pd.CategoricalDtype):
        return "categorical"
    if pd.api.types.is_numeric_dtype(dtype):
        return "continuous"
    return "categorical"


def column_kinds(df: pd.DataFrame, categorical: Collection[str] | None = None) -> dict[str, Kind]:
    """Role of every column; ``categorical`` (when given) lists exactly the categorical ones."""
    kinds: dict[str, Kind] = {}
    for name in df.columns:
        kind = column_kind(df[name])
        if categorical is not None:
            if name in categorical:
                kind = "categorical"
            elif kind == "categorical":
                # Not listed: continuous, provided its values are numbers.
                kind = "continuous" if _is_numeric_like(df[name]) else "categorical"
        kinds[str(name)] = kind
    return kinds


def _is_numeric_like(series: pd.Series) -> bool:
    converted = pd.to_numeric(series.astype(object), errors="coerce")
    return bool(converted.notna().sum() == series.notna().sum())


def to_float(series: pd.Series, kind: Kind) -> FloatArray:
    """Continuous values as float64 with NaN for missing; datetimes as seconds since the epoch.

    Returns:
        Shape (n,).
    """
    if kind == "datetime":
        values = series
        if getattr(values.dt, "tz", None) is not None:
            values = values.dt.tz_convert("UTC").dt.tz_localize(None)
        as_ns = values.astype("datetime64[ns]")
        mask = as_ns.isna().to_numpy()
        seconds = as_ns.to_numpy().view(np.int64).astype(np.float64) / _NS_PER_SECOND
        seconds[mask] = np.nan
        return seconds
    if not pd.api.types.is_numeric_dtype(series.dtype) or pd.api.types.is_bool_dtype(series.dtype):
        series = pd.to_numeric(series.astype(object), errors="coerce")
    return np.asarray(series.to_numpy(dtype=np.float64, na_value=np.nan), dtype=np.float64)


def to_objects(series: pd.Series) -> tuple[npt.NDArray[np.object_], npt.NDArray[np.bool_]]:
    """Values as an object array plus the missing mask, both of shape (n,)."""
    mask = series.isna().to_numpy(dtype=bool)
    values = series.astype(object).to_numpy(dtype=object)
    return values, mask


def _sort_modalities(uniques: npt.NDArray[np.object_]) -> npt.NDArray[np.int64]:
    """Order of modalities by string form (type name breaks ties such as 1 and '1')."""
    keys = [(str(value), type(value).__name__) for value in uniques]
    return np.array(sorted(range(len(keys)), key=keys.__getitem__), dtype=np.int64)


def _factorize(series: pd.Series) -> tuple[IntArray, npt.NDArray[np.object_]]:
    """Codes (-1 for missing) and distinct observed values of a column, without object copies."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        codes = np.asarray(series.cat.codes, dtype=np.int64)
        categories = np.asarray(series.cat.categories.astype(object), dtype=object)
        present = np.flatnonzero(np.bincount(codes[codes >= 0], minlength=len(categories)))
        remap = np.full(len(categories) + 1, -1, dtype=np.int64)
        remap[present] = np.arange(len(present))
        return remap[codes], categories[present]
    codes_raw, uniques = pd.factorize(series, use_na_sentinel=True)
    values = np.asarray(pd.Index(uniques).astype(object), dtype=object)
    return np.asarray(codes_raw, dtype=np.int64), values


def encode_categorical(name: str, series: pd.Series) -> Categorical:
    """Codes of a categorical column, its sorted modalities and its missing level."""
    raw, uniques = _factorize(series)
    order = _sort_modalities(uniques)
    rank = np.empty(len(order) + 1, dtype=np.int64)
    rank[order] = np.arange(len(order), dtype=np.int64)
    missing = raw < 0
    # The missing level is the last one; raw -1 indexes the extra slot of ``rank``.
    rank[-1] = len(order)
    return Categorical(name, rank[raw], uniques[order], bool(missing.any()))


def encode_like(series: pd.Series, fitted: Categorical) -> IntArray:
    """Codes of another table's column in a fitted variable's levels; -1 for unknown values.

    Returns:
        Shape (n,).
    """
    raw, uniques = _factorize(series)
    index = pd.Index(fitted.modalities, dtype=object)
    lookup = np.append(
        np.asarray(index.get_indexer(pd.Index(uniques, dtype=object)), dtype=np.int64),
        fitted.missing_code if fitted.has_missing else -1,
    )
    return np.asarray(lookup[raw], dtype=np.int64)


def encode(
    df: pd.DataFrame, kinds: dict[str, Kind], *, reference: Encoded | None = None
) -> Encoded:
    """Encode ``df`` (all of its columns, in order).

    Args:
        df: the table, shape (n, p).
        kinds: role of each column.
        reference: when given, categorical codes use its levels (for avatars or new rows).

    Raises:
        AvatarError: ``NON_FINITE_VALUE`` for ±inf in a continuous column.
    """
    cont_names = [str(c) for c in df.columns if kinds[str(c)] != "categorical"]
    cont = np.empty((len(df), len(cont_names)), dtype=np.float64)
    # A few columns at a time, written in cache-sized row blocks: a whole column written at
    # once into the row-major matrix touches every cache line of it, once per column.
    for first in range(0, len(cont_names), _COLUMN_GROUP):
        group = list(enumerate(cont_names))[first : first + _COLUMN_GROUP]
        columns = []
        for _, name in group:
            values = to_float(df[name], kinds[name])
            if np.isinf(values).any():
                raise AvatarError(
                    "NON_FINITE_VALUE", f"column {name!r} contains an infinite value", field=name
                )
            columns.append(values)
        for start in range(0, len(df), _ROW_BLOCK):
            stop = start + _ROW_BLOCK
            for (j, _), values in zip(group, columns, strict=True):
                cont[start:stop, j] = values[start:stop]
    return Encoded(cont_names, cont, encode_categoricals(df, kinds, reference=reference))


def encode_categoricals(
    df: pd.DataFrame, kinds: dict[str, Kind], *, reference: Encoded | None = None
) -> list[Categorical]:
    """The categorical columns of ``df`` encoded, in order; with ``reference``, by its levels."""
    cats: list[Categorical] = []
    ref_cats = {v.name: v for v in reference.categoricals} if reference is not None else {}
    for name in (str(c) for c in df.columns if kinds[str(c)] == "categorical"):
        if reference is None:
            cats.append(encode_categorical(name, df[name]))
        else:
            ref = ref_cats[name]
            cats.append(
                Categorical(name, encode_like(df[name], ref), ref.modalities, ref.has_missing)
            )
    return cats


def column_dimensions(
    kind: Kind, n_modalities: int, has_missing: bool, exclude_threshold: int | None = None
) -> int:
    """Encoded dimensions of one column (method.md §2.1, D_enc).

    A continuous (or datetime) column has 1, plus the 2 levels of its is-missing indicator when
    it has missing values; a categorical column one per observed modality, plus its missing
    level; a categorical column excluded by ``exclude_categorical`` (at least
    ``exclude_threshold`` observed modalities) has none.
    """
    if kind != "categorical":
        return 1 + 2 * int(has_missing)
    if exclude_threshold is not None and n_modalities >= exclude_threshold:
        return 0
    return n_modalities + int(has_missing)


def encoded_dimensions(
    df: pd.DataFrame, kinds: Mapping[str, Kind], *, exclude_threshold: int | None = None
) -> int:
    """D_enc of a table (identifiers removed): the sum of :func:`column_dimensions`.

    The one definition of D_enc: job validation calls it on the stored dataset, and
    :func:`avatarize` applies :func:`column_dimensions` to the same counts.

    Args:
        df: the table.
        kinds: role of each column of ``df``.
        exclude_threshold: ``exclude_categorical.exclude_cardinality_threshold``, or None.
    """
    total = 0
    for name in df.columns:
        series = df[name]
        kind = kinds[str(name)]
        missing = bool(series.isna().any())
        modalities = int(series.nunique(dropna=True)) if kind == "categorical" else 0
        total += column_dimensions(kind, modalities, missing, exclude_threshold)
    return total


def check_not_empty(df: pd.DataFrame) -> None:
    """Raise ``EMPTY_COLUMN`` when a column has no observed value."""
    for name in df.columns:
        if not df[name].notna().any():
            raise AvatarError(
                "EMPTY_COLUMN", f"column {name!r} has no non-missing value", field=str(name)
            )


def decimal_count(values: FloatArray) -> int:
    """Largest number of decimals among the observed values, capped at 12 (method.md §3.9)."""
    values = np.asarray(values, dtype=np.float64)
    # A sample gives a lower bound (every d below it fails for the sample, hence for the
    # column), so the full column is usually checked once.
    start = _decimals(values[:: max(1, values.size // 10_000)], 0)
    return _decimals(values, start)


def _decimals(values: FloatArray, start: int) -> int:
    """The fewest decimals d >= ``start`` that every finite value has (12 at most)."""
    for decimals in range(start, _MAX_DECIMALS):
        if _has_decimals(values, decimals):
            return decimals
    return _MAX_DECIMALS


@jit()
def _has_decimals(values: FloatArray, decimals: int) -> bool:
    """Whether every finite value "has" ``decimals`` decimals: rounding it to them as np.round
    does (rint(v·10^d)/10^d) moves it by at most 2 ulps (2·np.spacing(|v|)); stops at the first
    value that has more. One pass, no temporary arrays (the numpy form made eight per chunk)."""
    scale = 10.0**decimals
    for v in values:
        if not np.isfinite(v):
            continue
        rounded = np.rint(v * scale) / scale
        if rounded == v:
            continue
        a = abs(v)
        if abs(rounded - v) > 2 * (np.nextafter(a, np.inf) - a):
            return False
    return True


def column_names(df: pd.DataFrame) -> Sequence[str]:
    """Column labels as strings."""
    return [str(c) for c in df.columns]
