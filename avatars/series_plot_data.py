"""The bounded summaries behind the time-series and trajectory figures: sampled individuals,
mean ± sd bands per time stamp or bin, thinned trajectories (see :mod:`avatars.plot_data`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from avatars.plot_data import FloatArray, IntArray, as_float, sample_rows, variable_kind

SERIES_ID_NAME = "id"
SERIES_TIME_NAME = "t"
_DENSE_CELLS = 1 << 23  # (time slot, individual) cells counted in arrays rather than a hash
MAX_BAND_POINTS = 60  # a band has one point per time stamp up to this many, else this many bins


@dataclass(frozen=True)
class SeriesColumns:
    """The identifier, time and value columns of a long series table (method-extended §2.2)."""

    identifier: str
    time: str
    values: list[str]


def series_columns(
    frame: pd.DataFrame,
    *,
    id_column: str | None = None,
    time_column: str | None = None,
    variables: Sequence[str] | None = None,
) -> SeriesColumns:
    """Resolve a long table's columns as the server does, unless they are passed.

    The identifier is ``id``; the time is ``t``, else the only datetime column; the values are
    the other numeric (non-boolean) columns, in table order.

    Raises:
        ValueError: a column is missing or cannot be resolved, with what to pass.
    """
    labels = [str(c) for c in frame.columns]
    identifier = id_column or SERIES_ID_NAME
    if identifier not in labels:
        raise ValueError(f"No identifier column {identifier!r}; pass id_column=.")
    rest = [c for c in labels if c != identifier]
    if time_column is None:
        dates = [c for c in rest if variable_kind(frame[c]) == "datetime"]
        if SERIES_TIME_NAME in rest:
            time_column = SERIES_TIME_NAME
        elif len(dates) == 1:
            time_column = dates[0]
        else:
            raise ValueError(
                f"No column named 't' and {len(dates)} datetime columns; pass time_column=."
            )
    if time_column not in rest:
        raise ValueError(f"No time column {time_column!r}; pass time_column=.")
    if variables is None:
        values = [c for c in rest if c != time_column and variable_kind(frame[c]) == "continuous"]
    else:
        values = [str(v) for v in variables]
        missing = [v for v in values if v not in labels]
        if missing:
            raise ValueError(f"No series column(s) {missing} in the table.")
    return SeriesColumns(identifier, time_column, values)


@dataclass(frozen=True)
class SeriesBand:
    """Pointwise mean ± sd of one series variable, originals vs avatars, over one time axis.

    ``time[b]`` is one of the originals' time stamps when they number at most ``max_points``
    (an avatar's point counts at the nearest one: avatars' series have their own support, so
    their stamps need not be the originals'), else the centre of one of ``max_points`` bins of
    equal width. In each bin, each individual's values are averaged
    first; mean and sd (ddof = 1) are then taken across individuals, so an individual counts once
    per bin however many points it has there. Datetimes are in seconds since the epoch. NaN
    where a bin has no individual (sd: fewer than two).

    Attributes:
        name: the series variable.
        time: shape (b,), time stamps or bin centres.
        bin_edges: shape (b + 1,): the slots the points were counted in; None when every
            point of both tables is at one of the originals' stamps.
        original_mean, original_sd, original_n: per time point, over the original individuals.
        avatars_mean, avatars_sd, avatars_n: the same over the avatars.
        datetime: the time column holds datetimes.
    """

    name: str
    time: list[float]
    bin_edges: list[float] | None
    original_mean: list[float]
    original_sd: list[float]
    original_n: list[int]
    avatars_mean: list[float]
    avatars_sd: list[float]
    avatars_n: list[int]
    datetime: bool = False


def _series_time(series: pd.Series) -> tuple[FloatArray, bool]:
    kind = variable_kind(series)
    if kind not in ("datetime", "continuous"):
        raise ValueError(f"The time column {series.name!r} is neither numeric nor datetime.")
    return as_float(series, kind), kind == "datetime"


def _band(
    individual: IntArray, time_slot: IntArray, values: FloatArray, slots: int
) -> tuple[FloatArray, FloatArray, IntArray]:
    """Mean, sd (ddof 1) and count across individuals per slot, each individual's points in a
    slot averaged first. Hashing one int64 key and bincounts: O(rows) at C speed."""
    keep = (time_slot >= 0) & (individual >= 0) & ~np.isnan(values)
    width = int(individual.max(initial=-1)) + 1
    key = time_slot[keep] * width + individual[keep]
    if slots * width <= _DENSE_CELLS:  # one cell per (slot, individual): no hashing
        sums = np.bincount(key, weights=values[keep], minlength=slots * width)
        points = np.bincount(key, minlength=slots * width)
        cells = np.flatnonzero(points)
        own = sums[cells] / points[cells]
    else:
        codes, cells = pd.factorize(key)
        own = np.bincount(codes, weights=values[keep]) / np.bincount(codes)
    slot = np.asarray(cells, dtype=np.int64) // max(width, 1)  # own: per (slot, individual)
    count = np.bincount(slot, minlength=slots)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.bincount(slot, weights=own, minlength=slots) / count
        squares = np.bincount(slot, weights=(own - mean[slot]) ** 2, minlength=slots)
        sd = np.sqrt(squares / (count - 1))
    mean[count == 0] = np.nan
    sd[count < 2] = np.nan
    return mean.astype(np.float64), sd.astype(np.float64), count.astype(np.int64)


def series_bands(
    original: pd.DataFrame,
    avatars: pd.DataFrame,
    *,
    id_column: str | None = None,
    time_column: str | None = None,
    variables: Sequence[str] | None = None,
    max_points: int = MAX_BAND_POINTS,
) -> list[SeriesBand]:
    """:class:`SeriesBand` of every series variable of two long tables (O(rows), pandas speed).

    Args:
        original: the original long table (identifier, time, values).
        avatars: the avatars' long table, same columns (the avatars' names by default).
        id_column, time_column, variables: as in :func:`series_columns` (resolved on the
            originals).
        max_points: time points of the band: the originals' distinct stamps when there are no
            more, else this many equal bins over the range of both tables.
    """
    columns = series_columns(
        original, id_column=id_column, time_column=time_column, variables=variables
    )
    x_time, is_date = _series_time(original[columns.time])
    a_time, _ = _series_time(avatars[columns.time])
    stamps = np.unique(x_time[~np.isnan(x_time)])
    a_seen = a_time[~np.isnan(a_time)]
    edges: FloatArray | None = None
    if 0 < stamps.size <= max_points:
        # The originals' stamps; an avatar point counts at the nearest one.
        time = stamps
        middles = (stamps[:-1] + stamps[1:]) / 2
        x_slot = np.searchsorted(middles, x_time)
        a_slot = np.searchsorted(middles, a_time)
        if not np.isin(a_seen, stamps).all():
            low = min(float(stamps[0]), float(a_seen.min(initial=np.inf)))
            high = max(float(stamps[-1]), float(a_seen.max(initial=-np.inf)))
            edges = np.concatenate([[low], middles, [high]])
    else:
        both = np.concatenate([stamps, a_seen])
        lo, hi = (float(both.min()), float(both.max())) if both.size else (0.0, 1.0)
        edges = np.linspace(lo, hi if hi > lo else lo + 1.0, max_points + 1)
        time = (edges[:-1] + edges[1:]) / 2
        x_slot = np.clip(np.searchsorted(edges, x_time, side="right") - 1, 0, max_points - 1)
        a_slot = np.clip(np.searchsorted(edges, a_time, side="right") - 1, 0, max_points - 1)
    x_slot = np.where(np.isnan(x_time), -1, x_slot).astype(np.int64)
    a_slot = np.where(np.isnan(a_time), -1, a_slot).astype(np.int64)
    x_who = np.asarray(pd.factorize(original[columns.identifier])[0], dtype=np.int64)
    a_who = np.asarray(pd.factorize(avatars[columns.identifier])[0], dtype=np.int64)
    bands = []
    for name in columns.values:
        xm, xs, xn = _band(x_who, x_slot, as_float(original[name], "continuous"), len(time))
        am, as_, an = _band(a_who, a_slot, as_float(avatars[name], "continuous"), len(time))
        bands.append(
            SeriesBand(
                name=name,
                time=[float(t) for t in time],
                bin_edges=None if edges is None else [float(e) for e in edges],
                original_mean=xm.tolist(),
                original_sd=xs.tolist(),
                original_n=xn.tolist(),
                avatars_mean=am.tolist(),
                avatars_sd=as_.tolist(),
                avatars_n=an.tolist(),
                datetime=is_date,
            )
        )
    return bands


def sample_individuals(
    frame: pd.DataFrame, id_column: str, size: int, seed: int = 0
) -> pd.DataFrame:
    """The rows of ``size`` seeded individuals (all when there are no more), in table order."""
    ids = pd.unique(frame[id_column].dropna())
    chosen = ids[sample_rows(len(ids), size, seed)]
    return frame[frame[id_column].isin(chosen)]


# --- trajectories -------------------------------------------------------------------------------

MAX_TRAJECTORIES = 50  # trajectories drawn on a map
MAX_TRAJECTORY_POINTS = 200  # points kept per drawn trajectory (evenly, first and last kept)


def _thin(frame: pd.DataFrame, id_column: str, max_points: int) -> pd.DataFrame:
    """At most ``max_points`` points of each trajectory: those at the rounded, evenly spaced
    indices ``round(k (m − 1) / (max_points − 1))`` (first and last kept)."""
    groups = frame.groupby(id_column, sort=False)
    position = groups.cumcount().to_numpy(dtype=np.float64)
    last = groups[id_column].transform("size").to_numpy(dtype=np.float64) - 1
    slots = max(2, max_points) - 1
    thin = last > slots
    span = np.where(thin, last, 1.0)
    nearest = np.rint(position * slots / span)
    keep = ~thin | (np.rint(nearest * span / slots) == position)
    kept: pd.DataFrame = frame[keep]
    return kept


def sample_trajectories(
    original: pd.DataFrame,
    avatars: pd.DataFrame,
    *,
    id_column: str = "id",
    time_column: str = "t",
    max_trajectories: int = MAX_TRAJECTORIES,
    max_points: int = MAX_TRAJECTORY_POINTS,
    seed: int = 0,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The same seeded trajectories of both tables, each sorted by time and thinned.

    Trajectories are paired by identifier (method-extended §4.2): ``max_trajectories``
    identifiers are drawn among the originals' (order of first appearance), and both tables keep
    the rows of those identifiers, each trajectory's points sorted by ``time_column`` (stable)
    and thinned to at most ``max_points`` evenly spaced points. Bounded whatever the size of the
    tables: at most ``max_trajectories × max_points`` rows each.
    """
    ids = pd.unique(original[id_column].dropna())
    chosen = ids[sample_rows(len(ids), max_trajectories, seed)]
    order = {value: index for index, value in enumerate(chosen)}

    def pick(frame: pd.DataFrame) -> pd.DataFrame:
        rows = frame[frame[id_column].isin(chosen)]
        rank = rows[id_column].map(order)
        rows = rows.assign(__rank=rank.to_numpy()).sort_values(
            ["__rank", time_column], kind="stable"
        )
        return _thin(rows.drop(columns="__rank"), id_column, max_points).reset_index(drop=True)

    return pick(original), pick(avatars)
