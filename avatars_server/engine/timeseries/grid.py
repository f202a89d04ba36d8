"""Observed points of a series table, the time support of each individual and the grid (§2.3).

Everything is vectorised over individuals: points are held sorted by (individual, time) in flat
arrays, and interpolation at grid times is one sort of points and queries together.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import numpy.typing as npt

from avatars_server.engine.jit import jit
from avatars_server.engine.table import FloatArray, IntArray

BoolArray = npt.NDArray[np.bool_]
DEFAULT_G_MAX = 1024


@dataclass(frozen=True)
class Points:
    """The points of one series table, sorted by (individual, time), equal times averaged.

    Attributes:
        individual: shape (r,), the individual (0..n-1) of each point, non-decreasing.
        time: shape (r,), times (float; datetimes in seconds), increasing within an individual.
        values: shape (r, V), value columns; NaN where missing.
        n_individuals: n.
    """

    individual: IntArray
    time: FloatArray
    values: FloatArray
    n_individuals: int

    @cached_property
    def count(self) -> IntArray:
        """Number of distinct times of each individual (0 when absent), shape (n,)."""
        # Individuals are sorted: each one's points are a run, found by binary search.
        bounds = np.searchsorted(self.individual, np.arange(self.n_individuals + 1))
        return np.diff(bounds).astype(np.int64)

    @cached_property
    def start(self) -> IntArray:
        """Index of each individual's first point, shape (n,)."""
        return np.concatenate([[0], np.cumsum(self.count)[:-1]]).astype(np.int64)

    @cached_property
    def present(self) -> BoolArray:
        """Individuals with at least one point, shape (n,)."""
        return self.count > 0


def collect_points(
    individual: IntArray, time: FloatArray, values: FloatArray, n_individuals: int
) -> Points:
    """Sort rows by (individual, time), stably, and average the values of equal times.

    Args:
        individual: shape (r,), individual of each row.
        time: shape (r,), no NaN.
        values: shape (r, V), NaN for missing; averaged over the non-missing values.
    """
    ordered = _ordered(
        np.ascontiguousarray(individual, dtype=np.int64), np.ascontiguousarray(time, np.float64)
    )
    if ordered:
        # Tables usually come sorted by individual then time, without repeated times.
        ind, t, v = individual, time, values
    else:
        order = np.lexsort((time, individual))
        ind, t, v = individual[order], time[order], values[order]
    if len(ind) > 1 and not ordered:
        new = np.concatenate([[True], (ind[1:] != ind[:-1]) | (t[1:] != t[:-1])])
    else:
        new = np.ones(len(ind), dtype=bool)
    if not new.all():
        starts = np.flatnonzero(new)
        observed = ~np.isnan(v)
        sums = np.add.reduceat(np.where(observed, v, 0.0), starts, axis=0)
        counts = np.add.reduceat(observed.astype(np.int64), starts, axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            v = np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)
        ind, t = ind[starts], t[starts]
    return Points(
        np.ascontiguousarray(ind, dtype=np.int64),
        np.ascontiguousarray(t, dtype=np.float64),
        np.ascontiguousarray(v, dtype=np.float64).reshape(len(ind), values.shape[1]),
        n_individuals,
    )


@jit()
def _ordered(individual: Any, time: Any) -> bool:
    """Whether rows are sorted by individual, then by strictly increasing time: one pass."""
    for i in range(1, individual.shape[0]):
        step = individual[i] - individual[i - 1]
        if step < 0 or (step == 0 and not time[i] - time[i - 1] > 0):
            return False
    return True


@dataclass(frozen=True)
class Support:
    """Time support of each individual, shape (n,) each; NaN (count 0) when absent.

    Attributes:
        t0: first time.
        duration: last - first time.
        count: number of distinct times.
    """

    t0: FloatArray
    duration: FloatArray
    count: IntArray


def support(points: Points) -> Support:
    """First time, duration and number of distinct times of every individual."""
    count = points.count
    present = count > 0
    start = points.start
    t0 = np.full(points.n_individuals, np.nan)
    last = np.full(points.n_individuals, np.nan)
    t0[present] = points.time[start[present]]
    last[present] = points.time[start[present] + count[present] - 1]
    return Support(t0, last - t0, count)


@dataclass(frozen=True)
class Grid:
    """The grid of a series table.

    Attributes:
        common: every present individual has the same times (absolute grid), else normalised.
        times: shape (G,), the common times τ, or u_g = g/(G-1) on a normalised grid.
    """

    common: bool
    times: FloatArray

    @property
    def size(self) -> int:
        """G."""
        return len(self.times)


def fit_grid(points: Points, g_max: int = DEFAULT_G_MAX) -> Grid:
    """The common grid when every present individual has the same distinct times (and at most
    ``g_max`` of them), else the normalised grid of G = max(2, min(max m_i, g_max)) points."""
    count = points.count[points.present]
    if count.size and (count == count[0]).all() and count[0] <= g_max:
        table = points.time.reshape(count.size, int(count[0]))
        if (table == table[0]).all():
            return Grid(True, table[0].copy())
    size = max(2, min(int(count.max(initial=0)), g_max))
    return Grid(False, np.arange(size, dtype=np.float64) / (size - 1))


def positions(points: Points, grid: Grid, sup: Support) -> FloatArray:
    """The abscissa of every point on the grid's axis: its time (common grid) or its normalised
    time u = (t - t0_i)/d_i, 0 when d_i = 0. Shape (r,)."""
    if grid.common:
        return points.time
    t0 = sup.t0[points.individual]
    d = sup.duration[points.individual]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(d > 0, (points.time - t0) / np.where(d > 0, d, 1.0), 0.0)


def interpolate(
    individual: IntArray,
    x: FloatArray,
    y: FloatArray,
    n: int,
    queries: FloatArray,
    count: IntArray | None = None,
) -> FloatArray:
    """Linear interpolation of each individual's (x, y) pairs at common query abscissae, with
    constant extrapolation beyond the first and last pairs (as ``numpy.interp``).

    Args:
        individual: shape (r,), non-decreasing.
        x: shape (r,), increasing within an individual.
        y: shape (r,), no NaN.
        n: number of individuals.
        queries: shape (G,), the abscissae.
        count: shape (n,), the number of pairs of each individual, if known.

    Returns:
        Shape (n, G); rows of individuals without pairs are NaN.
    """
    if count is None:
        count = np.bincount(individual, minlength=n)
    start = np.concatenate([[0], np.cumsum(count)[:-1]])
    size = len(queries)
    out = np.full((n, size), np.nan)
    present = np.flatnonzero(count > 0)
    if not present.size:
        return out
    if (count[present] == size).all() and np.array_equal(
        x.reshape(present.size, size), np.broadcast_to(queries, (present.size, size))
    ):
        if present.size == n:
            return np.array(y.reshape(n, size), dtype=np.float64)
        out[present] = y.reshape(present.size, size)
        return out
    q_ind = np.repeat(present, size)
    q_x = np.tile(queries, present.size)
    r = len(x)
    # Sorting points and queries together: a point sorts before a query at the same abscissa,
    # so the number of points before a query gives the last point at or left of it.
    keys_ind = np.concatenate([individual, q_ind])
    keys_x = np.concatenate([x, q_x])
    flag = np.concatenate([np.zeros(r, dtype=np.int8), np.ones(len(q_x), dtype=np.int8)])
    order = np.lexsort((flag, keys_x, keys_ind))
    is_point = order < r
    before = np.cumsum(is_point)
    query_rank = order[~is_point] - r
    left = np.empty(len(q_x), dtype=np.int64)
    left[query_rank] = before[~is_point] - 1
    first = start[q_ind]
    last = first + count[q_ind] - 1
    lo = np.clip(left, first, last)
    hi = np.clip(left + 1, first, last)
    x_lo, x_hi = x[lo], x[hi]
    span = x_hi - x_lo
    with np.errstate(invalid="ignore", divide="ignore"):
        frac = np.where(span > 0, (q_x - x_lo) / np.where(span > 0, span, 1.0), 0.0)
    frac = np.clip(frac, 0.0, 1.0)
    values = y[lo] + frac * (y[hi] - y[lo])
    values = np.where(frac == 0.0, y[lo], values)
    out[present] = values.reshape(present.size, size)
    return out


def grid_values(points: Points, grid: Grid, sup: Support) -> list[FloatArray]:
    """Grid values Y_i,v(g) of every value column v (§2.3).

    Returns:
        Per value column, shape (n, G); a row is NaN when the individual is absent or has no
        observed value of v (a missing block).
    """
    x = positions(points, grid, sup)
    out: list[FloatArray] = []
    for v in range(points.values.shape[1]):
        y = points.values[:, v]
        observed = ~np.isnan(y)
        if observed.all():
            # No missing value: the points as they are, their counts known.
            out.append(
                interpolate(
                    points.individual,
                    x,
                    np.ascontiguousarray(y),
                    points.n_individuals,
                    grid.times,
                    points.count,
                )
            )
            continue
        out.append(
            interpolate(
                points.individual[observed],
                x[observed],
                y[observed],
                points.n_individuals,
                grid.times,
            )
        )
    return out
