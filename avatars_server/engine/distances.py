"""Distance-based privacy metrics: hidden rate, local cloaking, DCR, NNDR, closest rate (§5.1-5.5).

Everything runs as KD-tree queries (nearest neighbours and radius counts); no n × n matrix.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.spatial import cKDTree

from avatars_server.engine.neighbours import TIE_TOLERANCE
from avatars_server.engine.table import FloatArray, IntArray


def _tolerance(distance: FloatArray) -> FloatArray:
    """Two distances are equal when they differ by at most 1e-9·max(1, d) (method.md §4)."""
    return TIE_TOLERANCE * np.maximum(1.0, distance)


def _in_order(
    order: IntArray, points: FloatArray, query: Callable[[FloatArray], FloatArray]
) -> FloatArray:
    """Run ``query`` on the points in a locality-friendly order and restore the input order."""
    result = query(points[order])
    out = np.empty_like(result)
    out[order] = result
    return out


@dataclass(frozen=True)
class Linkage:
    """Per-original results of the nearest-avatar attack.

    Attributes:
        success: shape (n,), π_i, the attacker's probability of picking i's own avatar.
        cloaking: shape (n,), LC_i, other avatars at least as close as i's own.
    """

    success: FloatArray
    cloaking: IntArray

    @property
    def hidden_rate(self) -> float:
        """100 · (1 − mean π)."""
        return float(100.0 * (1.0 - self.success.mean()))


def linkage(original: FloatArray, avatars: FloatArray, order: IntArray | None = None) -> Linkage:
    """Hidden-rate and local-cloaking counts (method.md §5.1-5.2).

    Args:
        original: shape (n, d), originals in the metric space.
        avatars: shape (n, d), row-aligned avatars in the same space.
        order: a permutation of the originals used to order the queries (tree leaf order).

    Returns:
        π_i and LC_i for every original.
    """
    own = np.sqrt(((original - avatars) ** 2).sum(axis=1))
    tol = _tolerance(own)
    tree = cKDTree(avatars)
    if order is None:
        order = np.arange(len(original))
    nearest = _in_order(order, original, lambda q: tree.query(q, k=1, workers=-1)[0])
    radius = own + tol
    # Radius count of the avatars within own + tol: own avatar and every tie included.
    counts = _in_order(
        order,
        np.hstack([original, radius[:, None]]),
        lambda q: np.asarray(
            tree.query_ball_point(q[:, :-1], r=q[:, -1], return_length=True, workers=-1),
            dtype=np.float64,
        ),
    ).astype(np.int64)
    counts = np.maximum(counts, 1)
    nobody_closer = nearest >= own - tol
    success = np.where(nobody_closer, 1.0 / counts, 0.0)
    return Linkage(success, counts - 1)


@dataclass(frozen=True)
class Closest:
    """Per-avatar distances to the originals.

    Attributes:
        dcr: shape (m,), distance to the closest original.
        nndr: shape (m,), closest / second-closest distance (1 when the second is 0).
        original_nn: shape (n,), distance of each original to its nearest other original.
    """

    dcr: FloatArray
    nndr: FloatArray
    original_nn: FloatArray


def closest(original: FloatArray, avatars: FloatArray, order: IntArray | None = None) -> Closest:
    """DCR, NNDR and original-to-original nearest distances (method.md §5.3-5.5).

    Args:
        original: shape (n, d).
        avatars: shape (m, d).
        order: a permutation of the rows of ``avatars`` used to order the queries.
    """
    tree = cKDTree(original)
    k = min(2, len(original))
    if order is None:
        order = np.arange(len(avatars))

    def two_nearest(points: FloatArray) -> FloatArray:
        d = np.asarray(tree.query(points, k=2, workers=-1)[0]) if k == 2 else None
        if d is None:
            first = np.asarray(tree.query(points, k=1, workers=-1)[0])
            return np.column_stack([first, np.full(len(points), np.inf)])
        return np.asarray(d, dtype=np.float64)

    pair = _in_order(order, avatars, two_nearest)
    d1, d2 = pair[:, 0], pair[:, 1]
    with np.errstate(divide="ignore", invalid="ignore"):
        nndr = np.where(d2 == 0, 1.0, d1 / d2)
    leaf = np.asarray(tree.indices, dtype=np.int64)
    original_nn = _in_order(leaf, original, two_nearest)[:, 1]
    return Closest(d1, nndr, original_nn)


def closest_rate(
    result: Closest, percentage_threshold: float, ratio_threshold: float
) -> float | None:
    """100 · (1 − share of avatars at risk): DCR ≤ τ and NNDR < ρ (method.md §5.5)."""
    finite = result.original_nn[np.isfinite(result.original_nn)]
    if finite.size == 0:
        return None
    tau = float(np.percentile(finite, percentage_threshold))
    at_risk = (result.dcr <= tau + TIE_TOLERANCE * max(1.0, tau)) & (result.nndr < ratio_threshold)
    return float(100.0 * (1.0 - at_risk.mean()))
