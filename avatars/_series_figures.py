"""The figures of trajectories and time series, originals beside avatars (see
:mod:`avatars.plots`)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from avatars._plot_style import (
    AVATAR_COLOR,
    ORIGINAL_COLOR,
    matplotlib_module,
    new_figure,
    short_label,
    styled,
)
from avatars.series_plot_data import (
    MAX_BAND_POINTS,
    MAX_TRAJECTORIES,
    MAX_TRAJECTORY_POINTS,
    SeriesBand,
    sample_individuals,
    sample_trajectories,
    series_bands,
    series_columns,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


# --- trajectories -----------------------------------------------------------------------------


def _draw_trajectories(
    axes: Axes, rows: pd.DataFrame, id_column: str, lat: str, lon: str, colour: str
) -> None:
    for _, one in rows.groupby(id_column, sort=False):
        axes.plot(one[lon], one[lat], color=colour, lw=0.6, alpha=0.55)
        axes.scatter(one[lon], one[lat], s=1.5, c=colour, lw=0, alpha=0.8)


@styled
def plot_trajectories(
    original: pd.DataFrame,
    avatars: pd.DataFrame,
    *,
    id_column: str = "id",
    time_column: str = "t",
    lat_column: str = "lat",
    lon_column: str = "lon",
    max_trajectories: int = MAX_TRAJECTORIES,
    max_points: int = MAX_TRAJECTORY_POINTS,
    seed: int = 0,
    n_total: int | None = None,
) -> Figure:
    """Original and treated trajectories on a map-like longitude/latitude plane, side by side.

    The same seeded trajectories of both tables (paired by identifier,
    :func:`avatars.series_plot_data.sample_trajectories`) are drawn as lines with their points, the
    originals in blue on the left, the treated (avatar) trajectories in orange on the right, on
    shared axes whose aspect is corrected by cos(latitude) so that distances look as on a map.
    Bounded: at most ``max_trajectories × max_points`` points per panel.

    Args:
        original: the original point table (identifier, time, latitude, longitude columns).
        avatars: the treated point table, same columns.
        id_column, time_column, lat_column, lon_column: the columns (method-extended §4.2).
        max_trajectories: trajectories drawn.
        max_points: points kept per trajectory (evenly spaced, first and last kept).
        seed: seed of the draw of trajectories.
        n_total: trajectories of the table when ``original`` is already a sample of it.
    """
    x_rows, a_rows = sample_trajectories(
        original,
        avatars,
        id_column=id_column,
        time_column=time_column,
        max_trajectories=max_trajectories,
        max_points=max_points,
        seed=seed,
    )
    figure = new_figure(3.4)
    left, right = figure.subplots(1, 2, sharex=True, sharey=True)
    _draw_trajectories(left, x_rows, id_column, lat_column, lon_column, ORIGINAL_COLOR)
    _draw_trajectories(right, a_rows, id_column, lat_column, lon_column, AVATAR_COLOR)
    latitudes = pd.concat([x_rows[lat_column], a_rows[lat_column]]).dropna()
    middle = float(latitudes.mean()) if len(latitudes) else 0.0
    aspect = 1.0 / max(0.05, math.cos(math.radians(middle)))
    shown = x_rows[id_column].nunique()
    total = max(n_total or 0, int(original[id_column].nunique()))
    note = f"{shown:,} of {total:,}" if shown < total else f"all {shown:,}"
    left.set_title(f"Original trajectories ({note})")
    right.set_title(f"Treated trajectories (the same {shown:,})")
    for axes in (left, right):
        axes.set_aspect(aspect, adjustable="box")
        axes.set_xlabel("longitude (°)")
        axes.tick_params(axis="x", labelrotation=30)
    left.set_ylabel("latitude (°)")
    return figure


# --- time series ------------------------------------------------------------------------------


def _band_time(band: SeriesBand) -> npt.NDArray[np.float64] | npt.NDArray[np.datetime64]:
    time = np.asarray(band.time, dtype=np.float64)
    if band.datetime:
        return (time * 1e9).astype("datetime64[ns]")
    return time


def _draw_samples(
    axes: Axes, rows: pd.DataFrame, id_column: str, time_column: str, name: str, colour: str
) -> None:
    for _, one in rows.groupby(id_column, sort=False):
        one = one.sort_values(time_column, kind="stable")
        axes.plot(one[time_column], one[name], color=colour, lw=0.9, alpha=0.75)


def _draw_band(axes: Axes, band: SeriesBand) -> None:
    """Originals: a filled band around a solid mean; avatars: dashed mean and dotted ± sd."""
    time = _band_time(band)
    xm = np.asarray(band.original_mean, dtype=np.float64)
    xs = np.asarray(band.original_sd, dtype=np.float64)
    am = np.asarray(band.avatars_mean, dtype=np.float64)
    as_ = np.asarray(band.avatars_sd, dtype=np.float64)
    axes.fill_between(time, xm - xs, xm + xs, color=ORIGINAL_COLOR, alpha=0.2, lw=0)
    axes.plot(time, xm, color=ORIGINAL_COLOR, lw=1.4, label="originals: mean ± sd")
    axes.plot(time, am, color=AVATAR_COLOR, lw=1.4, ls="--", label="avatars: mean ± sd")
    for edge in (am - as_, am + as_):
        axes.plot(time, edge, color=AVATAR_COLOR, lw=0.9, ls=":")


@styled
def plot_time_series(
    original: pd.DataFrame,
    avatars: pd.DataFrame,
    *,
    id_column: str | None = None,
    time_column: str | None = None,
    variables: Sequence[str] | None = None,
    samples: int = 5,
    seed: int = 0,
    max_points: int = MAX_BAND_POINTS,
) -> Figure:
    """Sample series and the pointwise mean ± sd, originals vs avatars, per series variable.

    One row per series variable: ``samples`` seeded original individuals (blue), as many seeded
    avatars (orange; an avatar is not the original drawn next to it), and the mean ± sd band of
    both tables over the time axis (:func:`avatars.series_plot_data.series_bands`: the originals'
    stamps, an avatar's point counting at the nearest one since the avatars' series have their
    own support; ``max_points`` equal bins when the originals have more stamps). Originals: a
    filled band around a solid mean; avatars: a dashed mean between dotted ± sd lines. The
    three panels of a row share their y axis. Cost: O(rows) for the band, the drawn samples
    are bounded by ``samples``.

    Args:
        original: the original long table (identifier, time, value columns).
        avatars: the avatars' long table, same columns.
        id_column: the individuals' column; ``id`` when None.
        time_column: the time column; ``t``, else the only datetime column, when None.
        variables: series variables to show; every other numeric column when None.
        samples: individuals drawn from each table.
        seed: seed of that draw.
        max_points: time points of the band at most.

    Raises:
        ValueError: a column cannot be resolved (the message says which argument to pass).
    """
    columns = series_columns(
        original, id_column=id_column, time_column=time_column, variables=variables
    )
    bands = series_bands(
        original,
        avatars,
        id_column=columns.identifier,
        time_column=columns.time,
        variables=columns.values,
        max_points=max_points,
    )
    x_rows = sample_individuals(original, columns.identifier, samples, seed)
    a_rows = sample_individuals(avatars, columns.identifier, samples, seed + 1)
    n_x = original[columns.identifier].nunique()
    n_a = avatars[columns.identifier].nunique()
    figure = new_figure(0.45 + 1.75 * max(1, len(bands)))
    grid = figure.subplots(max(1, len(bands)), 3, squeeze=False, sharex=True)
    for row, band in zip(grid, bands, strict=False):
        for axes in row[1:]:
            axes.sharey(row[0])
        _draw_samples(row[0], x_rows, columns.identifier, columns.time, band.name, ORIGINAL_COLOR)
        _draw_samples(row[1], a_rows, columns.identifier, columns.time, band.name, AVATAR_COLOR)
        _draw_band(row[2], band)
        row[0].set_ylabel(short_label(band.name, 24))
        for axes in row[1:]:
            axes.tick_params(labelleft=False)
    top = grid[0]
    shown_x = x_rows[columns.identifier].nunique()
    shown_a = a_rows[columns.identifier].nunique()
    top[0].set_title(f"{shown_x} of {n_x:,} originals")
    top[1].set_title(f"{shown_a} of {n_a:,} avatars")
    binned = bool(bands) and bands[0].bin_edges is not None
    top[2].set_title("mean ± sd per time bin" if binned else "pointwise mean ± sd")
    for axes in grid[-1]:
        axes.set_xlabel(columns.time)
    if bands and bands[0].datetime:
        dates = matplotlib_module().dates
        for axes in grid.flat:  # shared x: one locator, short labels
            locator = dates.AutoDateLocator(minticks=2, maxticks=4)
            axes.xaxis.set_major_locator(locator)
            axes.xaxis.set_major_formatter(dates.ConciseDateFormatter(locator))
    if bands:
        handles, labels = top[2].get_legend_handles_labels()
        patch = matplotlib_module().patches.Patch(color=ORIGINAL_COLOR, alpha=0.2, lw=0)
        # A tuple is drawn as one legend entry: the originals' band under their mean line.
        entries: list[Any] = [(patch, handles[0]), handles[1]]
        figure.legend(
            entries,
            labels,
            loc="outside upper right",
            ncols=2,
            frameon=False,
        )
    return figure
