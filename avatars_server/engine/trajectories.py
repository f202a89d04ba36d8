"""Trajectories for the geolocation privacy metrics (method-extended.md §4.2, §4.4): the input
tables read and checked as flat per-trajectory arrays, paired originals and avatars, and what the
scenarios compare of them (trip features, known parts, resampled traces, points of interest).
:mod:`avatars_server.engine.geolocation` computes the metrics.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from avatars_server.engine.errors import AvatarError
from avatars_server.engine.table import FloatArray, IntArray

EARTH_RADIUS_M = 6_371_000.0
FEATURES = ("length", "duration", "speed")
TRACE_POINTS = 10


def haversine(
    lat1: FloatArray | float,
    lon1: FloatArray | float,
    lat2: FloatArray | float,
    lon2: FloatArray | float,
) -> FloatArray:
    """Great-circle distance in metres between points in decimal degrees (broadcasting)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi = p2 - p1
    dlmb = np.radians(lon2) - np.radians(lon1)
    h = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return np.asarray(2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0))))


@dataclass(frozen=True)
class Trajectories:
    """n trajectories as flat arrays, points of trajectory i at ``offsets[i]:offsets[i + 1]``,
    sorted by time (stable).

    Attributes:
        ids: shape (n,), each trajectory's identifier value.
        offsets: shape (n + 1,).
        t, lat, lon: shape (total points,).
    """

    ids: npt.NDArray[np.object_]
    offsets: IntArray
    t: FloatArray
    lat: FloatArray
    lon: FloatArray

    @property
    def n(self) -> int:
        return len(self.offsets) - 1

    @property
    def sizes(self) -> IntArray:
        return np.diff(self.offsets)


# --- inputs (§4.2) -------------------------------------------------------------------------------


def _seconds(series: pd.Series) -> FloatArray:
    if pd.api.types.is_datetime64_any_dtype(series):
        stamps = pd.to_datetime(series, utc=True)
        return np.asarray((stamps - pd.Timestamp(0, tz="UTC")).dt.total_seconds(), dtype=np.float64)
    return np.asarray(pd.to_numeric(series, errors="coerce"), dtype=np.float64)


def check_columns(frame: pd.DataFrame, id_column: str, which: str) -> None:
    """``MISSING_GEO_COLUMN`` / ``INVALID_COORDINATE`` of §4.2 for one dataset."""
    missing = [c for c in (id_column, "t", "lat", "lon") if c not in frame.columns]
    if missing:
        raise AvatarError(
            "MISSING_GEO_COLUMN",
            f"the {which} dataset has no column {missing}; trajectory data needs an identifier "
            f"column ({id_column!r}), a time column 't', and 'lat' and 'lon' in decimal degrees",
            field=which,
        )
    for column, bound in (("lat", 90.0), ("lon", 180.0)):
        values = pd.to_numeric(frame[column], errors="coerce")
        bad = values.isna() | (values.abs() > bound)
        if bool(bad.any()):
            row = int(np.flatnonzero(bad.to_numpy())[0])
            raise AvatarError(
                "INVALID_COORDINATE",
                f"the {which} dataset has an invalid {column!r} at row {row} "
                f"({frame[column].iloc[row]!r}): {column} must be a number in "
                f"[-{bound:g}, {bound:g}], never missing",
                field=which,
            )
    for column in (id_column, "t"):
        if bool(frame[column].isna().any()) or (
            column == "t" and bool(np.isnan(_seconds(frame[column])).any())
        ):
            raise AvatarError(
                "INVALID_COORDINATE",
                f"the {which} dataset has missing or non-numeric values in {column!r}; every "
                "point needs an identifier and a time (seconds or a datetime)",
                field=which,
            )


def _key(values: pd.Series) -> pd.Series:
    # 7, 7.0 and "7" name the same trip in two uploads with different declared types.
    numeric = pd.to_numeric(values, errors="coerce")
    if not bool(numeric.isna().any()) and bool((numeric == np.round(numeric)).all()):
        return numeric.astype(np.int64).astype(str)
    return values.astype(str)


def trajectories(
    frame: pd.DataFrame, id_column: str, order: Sequence[str] | None = None
) -> Trajectories:
    """The trajectories of a point table (columns already checked by :func:`check_columns`).

    Args:
        frame: one row per point.
        id_column: the trajectory identifier.
        order: identifier keys (as strings) giving the trajectory order; default: order of
            first appearance.
    """
    keys = _key(frame[id_column])
    if order is None:
        codes, uniques = pd.factorize(keys, sort=False)
        ids = np.asarray(uniques, dtype=object)
    else:
        ids = np.asarray(order, dtype=object)
        codes = pd.Index(ids).get_indexer(keys)
    codes = np.asarray(codes, dtype=np.int64)
    t = _seconds(frame["t"])
    sort = np.lexsort((t, codes))
    counts = np.bincount(codes, minlength=len(ids))
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    lat = np.asarray(pd.to_numeric(frame["lat"]), dtype=np.float64)[sort]
    lon = np.asarray(pd.to_numeric(frame["lon"]), dtype=np.float64)[sort]
    return Trajectories(ids=ids, offsets=offsets, t=t[sort], lat=lat, lon=lon)


def paired(
    original: pd.DataFrame, avatars: pd.DataFrame, id_column: str = "id"
) -> tuple[Trajectories, Trajectories]:
    """Originals by first appearance, avatar trajectory i = the one with original i's id (§4.2).

    Raises:
        AvatarError: ``MISSING_GEO_COLUMN``, ``INVALID_COORDINATE`` or ``INDIVIDUAL_MISMATCH``.
    """
    check_columns(original, id_column, "original")
    check_columns(avatars, id_column, "avatar")
    orig = trajectories(original, id_column)
    mine, theirs = set(orig.ids), set(_key(avatars[id_column]))
    if mine != theirs:
        only_o, only_a = sorted(mine - theirs)[:5], sorted(theirs - mine)[:5]
        raise AvatarError(
            "INDIVIDUAL_MISMATCH",
            f"the two datasets must hold the same trajectory ids; only in the original: {only_o}, "
            f"only in the avatars: {only_a} (first 5 of each)",
            field=id_column,
        )
    return orig, trajectories(avatars, id_column, [str(i) for i in orig.ids])


# --- features and known parts (§4.2, §4.4) -------------------------------------------------------


def trip_features(traj: Trajectories) -> FloatArray:
    """Shape (n, 3): length (m), duration (s), speed (m/s; 0 when the duration is 0)."""
    steps = haversine(traj.lat[:-1], traj.lon[:-1], traj.lat[1:], traj.lon[1:])
    # Steps across two trajectories are dropped: only those inside one count.
    inside = np.ones(len(traj.lat), dtype=bool)
    inside[traj.offsets[:-1]] = False
    cumulative = np.concatenate([[0.0], np.cumsum(np.where(inside[1:], steps, 0.0))])
    first, last = traj.offsets[:-1], traj.offsets[1:] - 1
    length = cumulative[last] - cumulative[first]
    duration = traj.t[last] - traj.t[first]
    with np.errstate(divide="ignore", invalid="ignore"):
        speed = np.where(duration > 0, length / np.where(duration > 0, duration, 1.0), 0.0)
    return np.column_stack([length, duration, speed])


def known_part(traj: Trajectories, position: str) -> Trajectories:
    """Each trajectory's known part: q = ⌈m/3⌉ points at its start, middle or end (§4.4)."""
    sizes = traj.sizes
    q = -(-sizes // 3)
    if position == "start":
        begin = np.zeros_like(sizes)
    elif position == "end":
        begin = sizes - q
    elif position == "middle":
        begin = (sizes - q) // 2
    else:
        raise AvatarError(
            "INVALID_METRIC_PARAMETER",
            f"known_signal_position must be start, middle or end, got {position!r}",
        )
    starts = traj.offsets[:-1] + begin
    offsets = np.concatenate([[0], np.cumsum(q)]).astype(np.int64)
    index = np.repeat(starts - offsets[:-1], q) + np.arange(offsets[-1])
    return Trajectories(traj.ids, offsets, traj.t[index], traj.lat[index], traj.lon[index])


def resample(traj: Trajectories, points: int = TRACE_POINTS) -> FloatArray:
    """Shape (n, points, 2): lat and lon at equally spaced fractional point indices (§4.4)."""
    sizes = traj.sizes.astype(np.float64)
    fraction = np.linspace(0.0, 1.0, points)
    position = fraction[None, :] * (sizes[:, None] - 1)
    low = np.floor(position).astype(np.int64)
    high = np.minimum(low + 1, traj.sizes[:, None] - 1)
    w = position - low
    base = traj.offsets[:-1, None]
    out = np.empty((traj.n, points, 2))
    for axis, values in enumerate((traj.lat, traj.lon)):
        out[:, :, axis] = (1 - w) * values[base + low] + w * values[base + high]
    return out


def poi(traj: Trajectories, which: str) -> FloatArray:
    """Shape (n, 2): the start (first) or end (last) point of every trajectory."""
    index = traj.offsets[:-1] if which == "start" else traj.offsets[1:] - 1
    return np.column_stack([traj.lat[index], traj.lon[index]])
