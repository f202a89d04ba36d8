"""Shared machinery of the four inter-record processors: ordering, grouping, checks, encodings."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd
from pandas.api.types import is_integer_dtype, is_unsigned_integer_dtype

from avatars.processors._base import check_complete, check_numeric, check_present

__all__ = [
    "RecordOrder",
    "bounded_decode",
    "bounded_encode",
    "check_inputs",
    "drop_and_order_like",
    "in_label_order",
    "integer_like",
    "record_order",
    "source_bounds",
    "source_record_positions",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]


def check_inputs(
    df: pd.DataFrame,
    columns: Sequence[str],
    *,
    owner: str,
    role: str,
    numeric: Sequence[str] = (),
) -> None:
    """Require `columns` to be present and complete in `df`, and `numeric` to be numeric."""
    check_present(df, columns, owner=owner, role=role)
    check_complete(df, columns, owner=owner, role=role)
    check_numeric(df, numeric, owner=owner)


@dataclass(frozen=True)
class RecordOrder:
    """Rows of a frame laid out individual by individual, each individual's records in order.

    Attributes:
        positions: row positions (into the frame) in processing order, shape (n,). Each
            individual's rows are contiguous.
        is_first: whether each processed row starts its individual, shape (n,).
        group: individual number (0…n_individuals−1) of each processed row, shape (n,).
    """

    positions: IntArray
    is_first: npt.NDArray[np.bool_]
    group: IntArray

    def take(self, values: pd.Series) -> FloatArray:
        """The values of a numeric column, in processing order, as floats."""
        return values.to_numpy(dtype="float64", na_value=np.nan)[self.positions]

    def previous(self, values: FloatArray, first_fill: FloatArray) -> FloatArray:
        """Each row's predecessor within its individual; `first_fill` on first rows."""
        shifted = np.empty_like(values)
        shifted[1:] = values[:-1]
        return np.where(self.is_first, first_fill, shifted)

    def first(self, values: FloatArray) -> FloatArray:
        """The value of each individual's first row, broadcast to all its rows."""
        return values[self.is_first][self.group]

    def cumsum(self, values: FloatArray) -> FloatArray:
        """Running sum within each individual (computed per group, so no cross-group rounding)."""
        sums = pd.Series(values).groupby(self.group, sort=False).cumsum()
        return np.asarray(sums, dtype=np.float64)

    def restore(self, values: FloatArray) -> FloatArray:
        """Put values computed in processing order back at their rows' positions."""
        out = np.empty_like(values)
        out[self.positions] = values
        return out

    def recurrence(
        self, start: FloatArray, step: Callable[[FloatArray, IntArray], FloatArray]
    ) -> None:
        """Run `previous = step(previous, rows)` along each individual's records.

        The loop is over record ranks (1st, 2nd, … record), vectorised across individuals, so
        the work is O(n) in total. `start` gives each individual's initial `previous`, shape
        (n_individuals,); `rows` are indices into the processing order.
        """
        n = len(self.positions)
        if n == 0:
            return
        starts = np.flatnonzero(self.is_first)
        rank = np.arange(n) - starts[self.group]
        by_rank = np.argsort(rank, kind="stable")
        bounds = np.searchsorted(rank[by_rank], np.arange(int(rank.max()) + 2))
        previous = start.astype("float64", copy=True)
        for k in range(len(bounds) - 1):
            rows = by_rank[bounds[k] : bounds[k + 1]]
            previous[self.group[rows]] = step(previous[self.group[rows]], rows)


def record_order(
    ids: pd.Series, sort_keys: Sequence[pd.Series] = (), *, base: IntArray | None = None
) -> RecordOrder:
    """Order rows by individual, then by `sort_keys`, keeping ties in order of appearance.

    Args:
        ids: the id column, complete, shape (n,).
        sort_keys: columns ordering each individual's records, aligned with `ids`.
        base: optional initial row order (positions); appearance is judged in that order.

    Returns:
        The processing order. Individuals are numbered in order of first appearance.
    """
    n = len(ids)
    base_positions = np.arange(n, dtype=np.intp) if base is None else base
    codes, _ = pd.factorize(ids.iloc[base_positions], sort=False)
    frame = pd.DataFrame({"__individual__": codes})
    keys = ["__individual__"]
    for i, key in enumerate(sort_keys):
        frame[f"__key_{i}__"] = key.iloc[base_positions].to_numpy()
        keys.append(f"__key_{i}__")
    # A stable sort: records that tie keep their order of appearance, whatever the algorithm.
    within = frame.sort_values(keys, kind="stable").index.to_numpy()
    # Codes number individuals by first appearance and are the primary key, so after the sort
    # they run 0, 0, …, 1, 1, …: contiguous and usable as group numbers.
    group = codes[within].astype(np.intp)
    is_first = np.ones(n, dtype=bool)
    is_first[1:] = group[1:] != group[:-1]
    return RecordOrder(positions=base_positions[within], is_first=is_first, group=group)


def source_record_positions(
    source: pd.DataFrame, dest: pd.DataFrame, sort_keys: Sequence[str], *, owner: str
) -> IntArray:
    """Positions in `dest` of `source`'s rows sorted by `sort_keys` (for `keep_record_order`).

    Raises:
        ValueError: when `source` and `dest` do not have the same (unique) index labels.
    """
    same = (
        source.index.is_unique
        and dest.index.is_unique
        and len(source.index) == len(dest.index)
        and source.index.isin(dest.index).all()
    )
    if not same:
        raise ValueError(
            f"{owner}: keep_record_order=True needs source and dest with the same unique index "
            "labels; reset the indexes or set keep_record_order=False."
        )
    ordered = source.sort_values(list(sort_keys), kind="stable").index
    return dest.index.get_indexer(ordered).astype(np.intp)


def integer_like(values: FloatArray, *sources: pd.Series) -> pd.Series | FloatArray:
    """`values` derived from `sources` (whole numbers when the sources are integers), typed as
    avatars 0.7.3 types them: with the dtype of a single integer source column, with pandas'
    dtype for the difference of integer columns (int64 where that would be unsigned: a
    difference can be negative), as floats when a source is not an integer column or has a
    missing value.

    Args:
        values: derived values in row order, shape (n,).
        sources: the columns they derive from, aligned with `values`.
    """
    if not all(is_integer_dtype(s.dtype) and not s.isna().any() for s in sources):
        return values
    dtype = sources[0].dtype
    if len(sources) > 1:
        dtype = (sources[-1].iloc[:0] - sources[0].iloc[:0]).dtype
        if is_unsigned_integer_dtype(dtype):
            dtype = np.dtype("int64")
    return pd.Series(values, index=sources[0].index).astype("int64").astype(dtype)


def in_label_order(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with its rows in the order of their index labels (what `keep_record_order`
    returns, as in avatars 0.7.3: the labels are the records' original positions)."""
    return frame.sort_index(kind="stable")


def bounded_encode(value: FloatArray, previous: FloatArray, lb: float, ub: float) -> FloatArray:
    """Change from `previous` to `value` as a share of the room left towards the bound.

    An increase is divided by |previous − ub|, a decrease (negated) by |previous − lb|; a
    division by zero gives 0.
    """
    increase = value >= previous
    room = np.where(increase, np.abs(previous - ub), np.abs(previous - lb))
    change = np.where(increase, value - previous, -(previous - value))
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(room == 0, 0.0, change / room)
    return np.nan_to_num(share, nan=0.0, posinf=0.0, neginf=0.0)


def bounded_decode(previous: FloatArray, share: FloatArray, lb: float, ub: float) -> FloatArray:
    """Inverse of `bounded_encode`: move from `previous` by `share` of the room to the bound."""
    return np.where(
        share >= 0,
        previous + share * np.abs(previous - ub),
        previous - np.abs(share) * np.abs(previous - lb),
    )


def source_bounds(source: pd.DataFrame, columns: Sequence[str]) -> tuple[float, float]:
    """[lb, ub]: the minimum and maximum over all `columns` of `source`."""
    values = source[list(columns)].to_numpy(dtype="float64", na_value=np.nan)
    if np.isnan(values).all():
        return float("nan"), float("nan")
    return float(np.nanmin(values)), float(np.nanmax(values))


def drop_and_order_like(
    out: pd.DataFrame, drop: Sequence[str], reference_columns: Sequence[str] | None = None
) -> pd.DataFrame:
    """Drop helper columns; optionally order columns as in a reference frame, extras after."""
    out = out.drop(columns=list(drop))
    if reference_columns is None:
        return out
    common = [c for c in reference_columns if c in out.columns]
    extra = [c for c in out.columns if c not in set(reference_columns)]
    return out[common + extra]
