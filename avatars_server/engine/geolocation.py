"""Geolocation privacy metrics of trajectories (method-extended.md §4): haversine, projections,
scenario metrics, computed block by block so that memory stays bounded.

Every metric scans the original × avatar distance matrix D in row blocks of bounded size (never
n × n at once). Three distances exist: Hellinger between density maps (sparse products), Euclidean
between z-scored trip features, and the trace distance between resampled known parts. Choices
where §4 is open: a Hellinger distance below 1e-6 (1 − BC under 1e-12, float noise of the sparse
product) is 0, so that identical density maps are at distance exactly 0.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeAlias

import numpy as np
import numpy.typing as npt
import pandas as pd
import scipy.sparse
from scipy.spatial.distance import cdist

from avatars_server.engine.distances import Closest, closest_rate
from avatars_server.engine.errors import AvatarError
from avatars_server.engine.neighbours import TIE_TOLERANCE
from avatars_server.engine.table import FloatArray, IntArray

EARTH_RADIUS_M = 6_371_000.0
FEATURES = ("length", "duration", "speed")
TRACE_POINTS = 10
DEFAULT_THRESHOLD_M = 500.0
DEFAULT_GRID = 100
# Distances held at once by one block (8 bytes each, plus temporaries of the same size).
_BLOCK_CELLS = 4_000_000
_HELLINGER_ZERO = 1e-12


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


@dataclass(frozen=True)
class Scenario:
    """One attack scenario (wire `PrivacyMetricsGeolocationScenario`, defaults filled in)."""

    projection_type: str = "geolocation_density"
    n_lat: int = DEFAULT_GRID
    n_lon: int = DEFAULT_GRID
    known_features: Sequence[str] | None = None
    target_feature: str | None = None
    known_signal_position: str | None = None
    target_signal_poi: str | None = None
    inference_metric_threshold: float = DEFAULT_THRESHOLD_M


@dataclass(frozen=True)
class GeolocationMetrics:
    """The wire `GeolocationPrivacyMetrics` of one scenario (None = null)."""

    hidden_rate: float
    local_cloaking: float
    distance_to_closest: float | None
    closest_distances_ratio: float | None
    closest_rate: float | None
    specific_hidden_rate: float | None = None
    features_inference_rate: float | None = None
    features_correlation_protection_rate: float | None = None
    thresholded_signal_inference_rate: float | None = None
    trace_correlation_protection_rate: float | None = None
    inference_distances: list[float] | None = None


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


# --- projections (§4.3) and their block distances -----------------------------------------------

# Rows of a projection: a dense array, or a sparse matrix (density maps).
Embedding: TypeAlias = FloatArray | scipy.sparse.csr_matrix
Pairwise = Callable[[Embedding, Embedding], FloatArray]


def density_maps(
    original: Trajectories, avatars: Trajectories, n_lat: int, n_lon: int
) -> tuple[scipy.sparse.csr_matrix, scipy.sparse.csr_matrix]:
    """The square roots of each trajectory's density map, sparse, shape (n, cells) each.

    The grid covers the bounding box of all points of both datasets, cells left-closed and the
    last one also right-closed; a degenerate side is one cell.
    """
    lat = np.concatenate([original.lat, avatars.lat])
    lon = np.concatenate([original.lon, avatars.lon])

    def cells(values: FloatArray, count: int) -> tuple[IntArray, int]:
        low, high = float(values.min()), float(values.max())
        if high <= low:
            return np.zeros(len(values), dtype=np.int64), 1
        index = np.floor((values - low) / (high - low) * count).astype(np.int64)
        return np.clip(index, 0, count - 1), count

    lat_cell, rows = cells(lat, n_lat)
    lon_cell, cols = cells(lon, n_lon)
    cell = lat_cell * cols + lon_cell
    n_cells = rows * cols
    split = len(original.lat)

    def maps(traj: Trajectories, cell_of: IntArray) -> scipy.sparse.csr_matrix:
        owner = np.repeat(np.arange(traj.n), traj.sizes)
        share = np.repeat(1.0 / traj.sizes, traj.sizes)
        counts = scipy.sparse.coo_matrix((share, (owner, cell_of)), shape=(traj.n, n_cells)).tocsr()
        counts.sum_duplicates()
        counts.data = np.sqrt(counts.data)
        return counts

    return maps(original, cell[:split]), maps(avatars, cell[split:])


def hellinger_block(left: Embedding, right: Embedding) -> FloatArray:
    """H between rows of two sqrt-density matrices, shape (rows of left, rows of right)."""
    product = scipy.sparse.csr_matrix(left @ right.T)
    bc = np.asarray(product.toarray())
    h2 = 1.0 - bc
    return np.sqrt(np.where(h2 < _HELLINGER_ZERO, 0.0, h2))


def euclidean_block(left: Embedding, right: Embedding) -> FloatArray:
    return np.asarray(cdist(np.asarray(left), np.asarray(right)))


def trace_block(left: Embedding, right: Embedding) -> FloatArray:
    """Mean haversine between corresponding resampled points, shape (len(left), len(right))."""
    a: FloatArray = np.asarray(left)
    b: FloatArray = np.asarray(right)
    total: FloatArray = np.zeros((len(a), len(b)))
    for p in range(a.shape[1]):
        total += haversine(a[:, None, p, 0], a[:, None, p, 1], b[None, :, p, 0], b[None, :, p, 1])
    mean: FloatArray = total / a.shape[1]
    return mean


def zscore(original: FloatArray, avatars: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Both z-scored with the originals' means and population sds (sd 0 → 1)."""
    mean = original.mean(axis=0)
    sd = original.std(axis=0)
    sd = np.where(sd > 0, sd, 1.0)
    return (original - mean) / sd, (avatars - mean) / sd


def _projection(
    scenario: Scenario, original: Trajectories, avatars: Trajectories
) -> tuple[Embedding, Embedding, Pairwise]:
    if scenario.projection_type == "geolocation_density":
        left, right = density_maps(original, avatars, scenario.n_lat, scenario.n_lon)
        return left, right, hellinger_block
    x, a = zscore(trip_features(original), trip_features(avatars))
    return x, a, euclidean_block


# --- block scans of D ----------------------------------------------------------------------------


def _rows_per_block(columns: int, weight: int = 1) -> int:
    return max(1, _BLOCK_CELLS // max(1, columns * weight))


def _tolerance(d: FloatArray) -> FloatArray:
    return TIE_TOLERANCE * np.maximum(1.0, d)


@dataclass(frozen=True)
class _Scan:
    success: FloatArray  # π_i
    cloaking: IntArray  # LC_i
    dcr: FloatArray  # per avatar
    nndr: FloatArray  # per avatar
    tied_mean: FloatArray | None  # per original: mean of `values` over its tied nearest avatars


def _scan(
    left: Embedding,
    right: Embedding,
    pairwise: Pairwise,
    *,
    weight: int = 1,
    values: FloatArray | None = None,
    want_closest: bool = False,
) -> _Scan:
    """π_i, LC_i (M§5.1-5.2) and, on request, DCR/NNDR per avatar and the mean of ``values``
    (shape (m, v)) over each original's tied nearest avatars, one row block at a time."""
    n = left.shape[0]
    m = right.shape[0]
    success = np.empty(n)
    cloaking = np.empty(n, dtype=np.int64)
    two = np.full((2, m), np.inf)
    tied = None if values is None else np.empty((n, values.shape[1]))
    step = _rows_per_block(m, weight)
    for start in range(0, n, step):
        stop = min(n, start + step)
        d = pairwise(left[start:stop], right)
        rows = np.arange(stop - start)
        own = d[rows, rows + start]
        counts = np.maximum((d <= (own + _tolerance(own))[:, None]).sum(axis=1), 1)
        nearest = d.min(axis=1)
        success[start:stop] = np.where(nearest >= own - _tolerance(own), 1.0 / counts, 0.0)
        cloaking[start:stop] = counts - 1
        if tied is not None and values is not None:
            mask = d <= (nearest + _tolerance(nearest))[:, None]
            tied[start:stop] = (mask @ values) / mask.sum(axis=1)[:, None]
        if want_closest:
            stacked = np.vstack([two, d])
            k = min(1, len(stacked) - 1)
            two = np.sort(np.partition(stacked, k, axis=0)[:2], axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        nndr = np.where(two[1] == 0, 1.0, two[0] / two[1])
    return _Scan(success, cloaking, two[0], nndr, tied)


def _nearest_other(points: Embedding, pairwise: Pairwise) -> FloatArray:
    """Each original's distance to its nearest other original, shape (n,)."""
    n = points.shape[0]
    out = np.empty(n)
    step = _rows_per_block(n)
    for start in range(0, n, step):
        stop = min(n, start + step)
        d = pairwise(points[start:stop], points)
        d[np.arange(stop - start), np.arange(start, stop)] = np.inf
        out[start:stop] = d.min(axis=1)
    return out


def _rate(success: FloatArray) -> float:
    return float(100.0 * (1.0 - success.mean()))


# --- one scenario (§4.4) ------------------------------------------------------------------------


def check_scenario(scenario: Scenario, index: int = 0) -> None:
    """Parameter checks of one scenario (``INVALID_METRIC_PARAMETER``)."""
    field = f"scenarios.{index}"
    if scenario.projection_type not in ("geolocation_density", "geolocation_features"):
        raise AvatarError(
            "INVALID_METRIC_PARAMETER",
            f"unknown projection_type {scenario.projection_type!r}",
            f"{field}.projection_parameters",
        )
    for name, value in (("n_lat_to_compute", scenario.n_lat), ("n_lon_to_compute", scenario.n_lon)):
        if value < 1 or value > 10_000:
            raise AvatarError(
                "INVALID_METRIC_PARAMETER",
                f"{name} must be an integer in [1, 10000], got {value}",
                f"{field}.projection_parameters.{name}",
            )
    known = list(scenario.known_features or [])
    for feature in [*known, scenario.target_feature]:
        if feature is not None and feature not in FEATURES:
            raise AvatarError(
                "INVALID_METRIC_PARAMETER",
                f"unknown feature {feature!r}; features are {list(FEATURES)}",
                field,
            )
    if scenario.target_feature is not None and scenario.target_feature in known:
        raise AvatarError(
            "INVALID_METRIC_PARAMETER",
            f"target_feature {scenario.target_feature!r} is among known_features {known}; the "
            "attacker cannot infer a feature it already knows: remove it from one of them",
            f"{field}.target_feature",
        )
    threshold = scenario.inference_metric_threshold
    if not math.isfinite(threshold) or threshold < 0:
        raise AvatarError(
            "INVALID_METRIC_PARAMETER",
            f"inference_metric_threshold must be a distance in metres >= 0, got {threshold}",
            f"{field}.inference_metric_threshold",
        )


def scenario_metrics(
    scenario: Scenario, original: Trajectories, avatars: Trajectories
) -> GeolocationMetrics:
    """Every metric of one scenario; avatar trajectory i is the treated original i."""
    check_scenario(scenario)
    if original.n < 2:
        raise AvatarError(
            "TOO_FEW_ROWS", f"geolocation metrics need at least 2 trajectories, got {original.n}"
        )
    left, right, pairwise = _projection(scenario, original, avatars)
    scan = _scan(left, right, pairwise, want_closest=True)
    near = Closest(scan.dcr, scan.nndr, _nearest_other(left, pairwise))
    result: dict[str, object] = {
        "hidden_rate": _rate(scan.success),
        "local_cloaking": float(np.median(scan.cloaking)),
        "distance_to_closest": float(np.median(scan.dcr)),
        "closest_distances_ratio": float(np.median(scan.nndr)),
        "closest_rate": closest_rate(near, 0.3, 0.3),
    }
    known = list(scenario.known_features or [])
    if known:
        columns = [FEATURES.index(f) for f in known]
        fo, fa = trip_features(original), trip_features(avatars)
        x, a = zscore(fo[:, columns], fa[:, columns])
        target = scenario.target_feature
        values = None if target is None else fa[:, [FEATURES.index(target)]]
        link = _scan(x, a, euclidean_block, values=values)
        result["features_correlation_protection_rate"] = _rate(link.success)
        if target is not None and link.tied_mean is not None:
            truth = fo[:, FEATURES.index(target)]
            guess = link.tied_mean[:, 0]
            success = np.abs(guess - truth) <= 0.1 * np.abs(truth)
            result["features_inference_rate"] = float(100.0 * (1.0 - success.mean()))
    position = scenario.known_signal_position
    if position is not None:
        ko, ka = known_part(original, position), known_part(avatars, position)
        kl, kr, kpair = _projection(scenario, ko, ka)
        result["specific_hidden_rate"] = _rate(_scan(kl, kr, kpair).success)
        which = scenario.target_signal_poi
        values = None if which is None else poi(avatars, which)
        trace = _scan(
            resample(ko), resample(ka), trace_block, weight=2 * TRACE_POINTS, values=values
        )
        result["trace_correlation_protection_rate"] = _rate(trace.success)
        if which is not None and trace.tied_mean is not None:
            truth = poi(original, which)
            guess = trace.tied_mean
            distances = haversine(guess[:, 0], guess[:, 1], truth[:, 0], truth[:, 1])
            result["inference_distances"] = [float(d) for d in distances]
            result["thresholded_signal_inference_rate"] = float(
                100.0 * (distances > scenario.inference_metric_threshold).mean()
            )
    return GeolocationMetrics(**result)  # type: ignore[arg-type]


def geolocation_privacy(
    original: pd.DataFrame,
    avatars: pd.DataFrame,
    scenarios: Sequence[Scenario],
    *,
    id_column: str = "id",
) -> list[GeolocationMetrics]:
    """The metrics of every scenario, in request order (method-extended.md §4).

    Args:
        original: one row per point: ``id_column``, ``t``, ``lat``, ``lon``.
        avatars: the treated points, same trajectory ids.
        scenarios: the attack scenarios.

    Raises:
        AvatarError: bad columns, coordinates, ids or scenario parameters.
    """
    for index, scenario in enumerate(scenarios):
        check_scenario(scenario, index)
    orig, avat = paired(original, avatars, id_column)
    return [scenario_metrics(s, orig, avat) for s in scenarios]
