"""Geolocation privacy metrics of trajectories (method-extended.md §4): projections and scenario
metrics, computed block by block so that memory stays bounded (the trajectories themselves:
:mod:`avatars_server.engine.trajectories`).

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
import pandas as pd
import scipy.sparse
from scipy.spatial.distance import cdist

from avatars_server.engine.distances import Closest, closest_rate
from avatars_server.engine.errors import AvatarError
from avatars_server.engine.neighbours import TIE_TOLERANCE
from avatars_server.engine.table import FloatArray, IntArray
from avatars_server.engine.trajectories import (
    FEATURES,
    TRACE_POINTS,
    Trajectories,
    haversine,
    known_part,
    paired,
    poi,
    resample,
    trip_features,
)

DEFAULT_THRESHOLD_M = 500.0
DEFAULT_GRID = 100
# Distances held at once by one block (8 bytes each, plus temporaries of the same size).
_BLOCK_CELLS = 4_000_000
_HELLINGER_ZERO = 1e-12


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
