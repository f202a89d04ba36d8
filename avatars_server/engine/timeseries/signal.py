"""Pointwise and density Hellinger of a series dataset and its avatars (method-extended §2.10)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import numpy as np

from avatars_server.engine.hellinger import hellinger_continuous
from avatars_server.engine.table import FloatArray
from avatars_server.engine.timeseries.grid import (
    DEFAULT_G_MAX,
    Grid,
    Points,
    fit_grid,
    grid_values,
    support,
)
from avatars_server.engine.timeseries.pairs import (
    SeriesPair,
    first_appearance,
    pair_columns,
    points_of,
)
from avatars_server.engine.timeseries.tasks import run_all


@dataclass(frozen=True)
class TimeSeriesSignal:
    """Signal metrics of one series dataset (wire names of avatar-api.md §3.9)."""

    pointwise_hellinger_mean: float
    pointwise_hellinger_std: float
    density_hellinger_mean: float
    density_hellinger_std: float


def _signal_grid(x: Points, a: Points, g_max: int) -> Grid:
    x_grid, a_grid = fit_grid(x, g_max), fit_grid(a, g_max)
    if x_grid.common and a_grid.common and np.array_equal(x_grid.times, a_grid.times):
        return x_grid
    size = max(2, min(int(x.count.max(initial=0)), g_max))
    return Grid(False, np.arange(size, dtype=np.float64) / (size - 1))


def _features(points: Points) -> dict[str, FloatArray]:
    """Per present individual: per value column mean, sd, min, max, first, last; per dataset
    the number of distinct times and the duration (§2.10)."""
    present = points.present
    sup = support(points)
    out: dict[str, FloatArray] = {
        "__n_points": sup.count[present].astype(np.float64),
        "__duration": sup.duration[present],
    }
    n = points.n_individuals
    for v in range(points.values.shape[1]):
        y = points.values[:, v]
        observed = ~np.isnan(y)
        stats = {name: np.full(n, np.nan) for name in ("mean", "sd", "min", "max", "first", "last")}
        if observed.all():
            # Every point observes v: the segments are the individuals' own.
            y = np.ascontiguousarray(y)
            who = np.flatnonzero(points.present)
            starts, count = points.start[who], points.count[who]
        else:
            ind, y = points.individual[observed], y[observed]
            # Points are sorted by individual: one segment per individual observing v.
            starts = np.flatnonzero(np.concatenate([[True], ind[1:] != ind[:-1]]))
            who = ind[starts]
            count = np.diff(np.append(starts, y.size))
        if y.size:
            mean = np.add.reduceat(y, starts) / count
            deviation = y - np.repeat(mean, count)
            stats["mean"][who] = mean
            stats["sd"][who] = np.sqrt(np.add.reduceat(deviation * deviation, starts) / count)
            stats["min"][who] = np.minimum.reduceat(y, starts)
            stats["max"][who] = np.maximum.reduceat(y, starts)
            stats["first"][who] = y[starts]
            stats["last"][who] = y[starts + count - 1]
        for name, values in stats.items():
            out[f"{v}.{name}"] = values[present]
    return out


def series_signal_metrics(pair: SeriesPair, *, g_max: int = DEFAULT_G_MAX) -> TimeSeriesSignal:
    """Pointwise and density Hellinger of one series dataset (method-extended.md §2.10)."""
    x_cols, a_cols = pair_columns(pair)

    def describe(points: Points, grid: Grid) -> tuple[list[FloatArray], dict[str, FloatArray]]:
        # Grid points as contiguous rows (the same values as the columns of the curves).
        curves = grid_values(points, grid, support(points))
        return [np.ascontiguousarray(c.T) for c in curves], _features(points)

    x_ind, n_x = first_appearance(pair.original, x_cols)
    a_ind, n_a = first_appearance(pair.avatars, a_cols)
    # Originals and avatars side by side.
    x_points, a_points = run_all(
        [
            partial(points_of, pair.original, x_cols, x_ind, n_x),
            partial(points_of, pair.avatars, a_cols, a_ind, n_a),
        ]
    )
    grid = _signal_grid(x_points, a_points, g_max)
    (x_rows, x_features), (a_rows, a_features) = run_all(
        [partial(describe, x_points, grid), partial(describe, a_points, grid)]
    )
    pointwise = [
        hellinger_continuous(xt[g], at[g])
        for xt, at in zip(x_rows, a_rows, strict=False)
        for g in range(grid.size)
    ]
    density: list[float] = []
    for name, x_values in x_features.items():
        a_values = a_features[name]
        joined = np.concatenate([x_values, a_values])
        observed = joined[~np.isnan(joined)]
        if observed.size and (observed == observed[0]).all() and observed.size == joined.size:
            continue
        density.append(hellinger_continuous(x_values, a_values))
    p = np.asarray(pointwise) if pointwise else np.zeros(1)
    d = np.asarray(density) if density else np.zeros(1)
    return TimeSeriesSignal(float(p.mean()), float(p.std()), float(d.mean()), float(d.std()))
