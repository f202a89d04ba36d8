"""Each avatar's series rebuilt on its own support, and the two output tables (§2.7-§2.8).

Time stamps are never copied from the source individual: an avatar's times are spread evenly over
its own drawn support (normalised grid) or are the common grid's times.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from avatars_server.engine.identifiers import surrogate_column
from avatars_server.engine.restore import column_format, restore_continuous
from avatars_server.engine.table import FloatArray, IntArray
from avatars_server.engine.timeseries.columns import TableColumns, frame_kinds
from avatars_server.engine.timeseries.individuals import SeriesModel

_SECONDS_PER_DAY = 86_400.0


def declared_type(series: pd.Series) -> str:
    """The declared type an identifier column would have (for the §0.2 cast rule)."""
    if pd.api.types.is_bool_dtype(series.dtype):
        return "bool"
    if pd.api.types.is_integer_dtype(series.dtype):
        return "int"
    if pd.api.types.is_float_dtype(series.dtype):
        return "float"
    return "category"


def _round_times(fmt_kind: str, decimals: int, date_only: bool, seconds: FloatArray) -> FloatArray:
    if fmt_kind == "datetime" and date_only:
        return np.asarray(np.round(seconds / _SECONDS_PER_DAY) * _SECONDS_PER_DAY)
    return np.asarray(np.round(seconds, decimals))


def reconstruct(
    frame: pd.DataFrame,
    columns: TableColumns,
    model: SeriesModel,
    avatars: pd.DataFrame,
    surrogates: IntArray,
    first_seen: IntArray,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Each avatar's series on its own support (§2.7) and the two output tables (§2.8).

    Args:
        frame: the original series table.
        columns: its columns' roles.
        model: its fitted grid and projections.
        avatars: shape (n, q), row i = avatar of individual i, block and support unrounded.
        surrogates: shape (n,), the surrogate key of the avatar of individual i.
        first_seen: the individuals present in the original series, in order of first
            appearance.

    Returns:
        The released rows (avatars by surrogate, each by increasing time) and the unshuffled
        rows (avatars in their sources' order of first appearance), the original's columns.
    """
    n = len(avatars)
    assert columns.time is not None
    if model.presence_name in avatars.columns:
        present = np.asarray(avatars[model.presence_name].to_numpy(), dtype=bool)
    else:
        present = np.ones(n, dtype=bool)
    grid = model.grid
    who = np.flatnonzero(present)
    time_fmt = column_format(frame[columns.time], frame_kinds(frame)[columns.time])
    size = grid.size
    # Rows are grouped by avatar (``owner``, an index into ``who``), by increasing time.
    shared: FloatArray | None = None
    if grid.common:
        grid_times = _round_times(time_fmt.kind, time_fmt.decimals, time_fmt.date_only, grid.times)
        if size < 2 or bool((grid_times[1:] != grid_times[:-1]).all()):
            # Every avatar has every grid time (no two equal after rounding): one pattern.
            shared = grid_times
    if shared is not None:
        count = np.full(who.size, size, dtype=np.int64)
        rounded = np.tile(shared, who.size)
        u_shared = np.arange(size, dtype=np.float64)
    else:
        if grid.common:
            count = np.full(who.size, size, dtype=np.int64)
            times = np.tile(grid.times, who.size)
            u = np.tile(np.arange(size, dtype=np.float64), who.size)
        else:
            t0_name, duration_name, count_name = model.support_names()
            m = np.maximum(1, np.round(avatars[count_name].to_numpy(np.float64)[who]))
            m = m.astype(np.int64)
            d = np.maximum(0.0, avatars[duration_name].to_numpy(np.float64)[who])
            t0 = avatars[t0_name].to_numpy(np.float64)[who]
            count = m
            owner = np.repeat(np.arange(who.size), m)
            step = np.arange(len(owner)) - np.repeat(np.cumsum(m) - m, m)
            with np.errstate(invalid="ignore", divide="ignore"):
                fraction = np.where(m[owner] > 1, step / np.maximum(m[owner] - 1, 1), 0.0)
            times = t0[owner] + d[owner] * fraction
            u = fraction * (size - 1)
        owner = np.repeat(np.arange(who.size), count)
        rounded = _round_times(time_fmt.kind, time_fmt.decimals, time_fmt.date_only, times)
        keep = np.ones(len(rounded), dtype=bool)
        if len(rounded) > 1:
            keep[1:] = ~((owner[1:] == owner[:-1]) & (rounded[1:] == rounded[:-1]))
        owner, rounded, u = owner[keep], rounded[keep], u[keep]
        count = np.bincount(owner, minlength=who.size).astype(np.int64)
    values: dict[str, FloatArray] = {}
    for v, label in enumerate(model.values):
        block = avatars[model.block_names(v)].to_numpy(np.float64)[who]
        curves = model.blocks[v].curves(block)
        blank = np.isnan(block).any(axis=1)
        if shared is not None:
            # The same abscissae for every avatar: the interpolation below, one column at a time.
            values[label] = _interpolate(curves, u_shared, size, blank[:, None]).ravel()
        else:
            values[label] = _interpolate(curves, u, size, blank[owner], owner=owner)
    # Unshuffled: the sources' order of first appearance in the original table, then avatars
    # of sources absent from it; released: by surrogate (the released individuals' order).
    # Each avatar's rows are contiguous and its key is its own, so ordering whole groups gives
    # the stable sort of the rows by key.
    rank = np.full(n, n + np.arange(n), dtype=np.int64)
    rank[first_seen] = np.arange(first_seen.size)
    starts = np.cumsum(count) - count
    unshuffled_rows = _group_rows(np.argsort(rank[who], kind="stable"), starts, count)
    released_rows = _group_rows(np.argsort(surrogates[who], kind="stable"), starts, count)
    total = int(count.sum())
    if released_rows is None:
        row_key = np.arange(total, dtype=np.int64)
    else:
        row_key = np.empty(total, dtype=np.int64)
        row_key[released_rows] = np.arange(total)
    individual_keys = np.repeat(surrogates[who], count)
    out: dict[str, object] = {}
    for label in frame.columns:
        name = str(label)
        kind = declared_type(frame[label])
        if name == columns.identifier:
            out[name] = surrogate_column(individual_keys, kind).to_numpy()
        elif name in columns.row_keys:
            out[name] = surrogate_column(row_key, kind).to_numpy()
        elif name == columns.time:
            out[name] = restore_continuous(time_fmt, rounded, np.zeros(len(rounded), dtype=bool))
        else:
            fmt = column_format(frame[label], "continuous")
            out[name] = restore_continuous(fmt, values[name], np.isnan(values[name]))
    released = _frame(out, released_rows, frame.columns)
    unshuffled = _frame(out, unshuffled_rows, frame.columns)
    return released, unshuffled


def _interpolate(
    curves: FloatArray,
    u: FloatArray,
    size: int,
    blank: npt.NDArray[np.bool_],
    *,
    owner: IntArray | None = None,
) -> FloatArray:
    """Grid curves read at abscissae u on the grid's axis (linear between grid points), NaN
    where ``blank``.

    Args:
        curves: shape (a, G), one curve per avatar.
        u: shape (r,), the abscissa of each row of avatar ``owner`` (shape (r,)); without
            ``owner``, shape (P,), abscissae shared by every avatar (the result is (a, P)).
    """
    left = np.clip(np.floor(u).astype(np.int64), 0, max(size - 2, 0))
    right = np.minimum(left + 1, size - 1)
    frac = u - left
    if owner is None:
        return _interpolate_shared(curves, left, right, frac, blank[:, 0])
    lo, hi = curves[owner, left], curves[owner, right]
    point = np.where(frac == 0.0, lo, lo + frac * (hi - lo))
    return np.asarray(np.where(blank, np.nan, point))


def _interpolate_shared(
    curves: FloatArray,
    left: IntArray,
    right: IntArray,
    frac: FloatArray,
    blank: npt.NDArray[np.bool_],
) -> FloatArray:
    """:func:`_interpolate` at abscissae shared by every avatar, column by column: a column
    at a grid point (frac = 0) is that grid column; others are lo + frac·(hi − lo)."""
    on_grid = frac == 0.0
    if on_grid.all():
        point = np.array(curves[:, left], dtype=np.float64)
    elif left.size == curves.shape[1] and np.array_equal(left[on_grid], np.flatnonzero(on_grid)):
        # The grid's own points (a common grid): a copy, then the columns between points.
        point = np.array(curves, dtype=np.float64)
    else:
        point = np.array(curves[:, left], dtype=np.float64)
    for g in np.flatnonzero(~on_grid).tolist():
        lo, hi = curves[:, left[g]], curves[:, right[g]]
        point[:, g] = lo + frac[g] * (hi - lo)
    point[blank] = np.nan
    return point


def _group_rows(groups: IntArray, starts: IntArray, count: IntArray) -> IntArray | None:
    """The rows of the given groups, in that order, each group's rows in order, shape (Σ c,);
    None when that is every row in order (groups already in order)."""
    if bool((groups[1:] > groups[:-1]).all()):
        return None
    lengths = count[groups]
    offsets = np.cumsum(lengths) - lengths
    return np.asarray(
        np.arange(int(lengths.sum()), dtype=np.int64) + np.repeat(starts[groups] - offsets, lengths)
    )


def _frame(columns: dict[str, object], rows: IntArray | None, labels: pd.Index) -> pd.DataFrame:
    """The columns' rows in the given order (None: as they are), as a DataFrame with the
    original's labels."""
    taken: dict[str, object] = {}
    for name, values in columns.items():
        if rows is None:
            taken[name] = values
        elif isinstance(values, np.ndarray):
            taken[name] = values[rows]
        else:
            taken[name] = values.take(rows)  # type: ignore[attr-defined]
    frame = pd.DataFrame(taken)
    frame.columns = pd.Index(list(labels))
    return frame
