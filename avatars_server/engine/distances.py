"""Distance-based privacy metrics: hidden rate, local cloaking, DCR, NNDR, closest rate (§5.1-5.5).

Everything runs as queries of :mod:`avatars_server.engine.neighbours` (nearest neighbours and
radius counts on its KD-tree kernel); no n × n matrix.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from avatars_server.engine.neighbours import (
    TIE_TOLERANCE,
    build_tree,
    count_within,
    nearest_distances,
    rebuild_tree,
)
from avatars_server.engine.neighbours import leaf_order as _leaf_order
from avatars_server.engine.table import FloatArray, IntArray

_ROWS_PER_CHUNK = 1 << 16


def _tolerance(distance: FloatArray) -> FloatArray:
    """Two distances are equal when they differ by at most 1e-9·max(1, d) (method.md §4)."""
    return TIE_TOLERANCE * np.maximum(1.0, distance)


def leaf_order(points: FloatArray) -> IntArray:
    """A permutation of the rows that follows KD-tree leaves, shape (n,).

    Trees built on rows in this order, and queries sent in this order, touch memory
    contiguously: several times faster than in input order at a million rows.
    """
    return _leaf_order(points)


def _unpermute(order: IntArray, values: npt.NDArray[Any]) -> npt.NDArray[Any]:
    out = np.empty_like(values)
    out[order] = values
    return out


def coordinates_digest(coords: FloatArray) -> bytes:
    """A digest of coordinates (shape, dtype and values): equal digests, equal coordinates."""
    contiguous = np.ascontiguousarray(coords)
    header = f"{contiguous.shape}{contiguous.dtype.str}".encode()
    digest = hashlib.sha256(header)
    digest.update(contiguous.data)  # hashed in place, no copy of the values
    return digest.digest()


@dataclass(frozen=True)
class NearestOthers:
    """Each row's distance to its nearest other row, and the digest of the coordinates it was
    measured in: a later search in the same coordinates (the privacy metrics' originals, when
    their projection is the avatarization's) takes them instead of searching again, and
    rebuilds the searched tree from its leaf order instead of building it.

    Attributes:
        digest: :func:`coordinates_digest` of the coordinates.
        distances: shape (n,), row i's distance to its nearest other row (NaN: not known).
        leaf_order: shape (n,), the leaf order of the KD-tree built on the coordinates
            (:func:`neighbours.rebuild_tree`), int32 when n allows; None when not known.
    """

    digest: bytes
    distances: FloatArray
    leaf_order: npt.NDArray[np.signedinteger[Any]] | None = None

    @classmethod
    def measured(
        cls,
        coords: FloatArray,
        distances: FloatArray,
        leaf_order: npt.NDArray[np.signedinteger[Any]] | None = None,
    ) -> NearestOthers:
        """The distances (and leaf order, :func:`compact_order`) found in ``coords``."""
        order = None if leaf_order is None else compact_order(leaf_order)
        return cls(coordinates_digest(coords), distances, order)

    def for_coordinates(self, coords: FloatArray) -> NearestOthers | None:
        """Itself when ``coords`` are the coordinates it was measured in, else None."""
        return self if coordinates_digest(coords) == self.digest else None


def compact_order(order: npt.NDArray[np.signedinteger[Any]]) -> npt.NDArray[np.signedinteger[Any]]:
    """A leaf order in 32 bits when the rows allow: 4 MB instead of 8 per million rows, held
    from the avatarization's search until the metrics."""
    return order.astype(np.int32, copy=False) if len(order) < 2**31 else order


def nearest_from_neighbours(distances: FloatArray) -> FloatArray:
    """Each row's distance to its nearest other row, read from its k neighbours' distances
    (shape (n, k), sorted, after the tie rule), shape (n,); NaN where the rule may have
    exchanged the nearest point for a tied one of lower label: when the first distance lies
    within the tie window of the k-th. Outside the window the first pair is the search's own,
    so the value is the one a 2-NN search computes (same kernel, same sums)."""
    n = len(distances)
    nearest = np.empty(n)
    # In row chunks: the temporaries of whole columns would add about 25 bytes a row just
    # after the avatarization's search, where its memory peaks.
    for s in range(0, n, _ROWS_PER_CHUNK):
        first, last = distances[s : s + _ROWS_PER_CHUNK, 0], distances[s : s + _ROWS_PER_CHUNK, -1]
        window = 3.0 * TIE_TOLERANCE * np.maximum(1.0, last)
        exact = (first == 0.0) | (first < last - window)
        nearest[s : s + _ROWS_PER_CHUNK] = np.where(exact, first, np.nan)
    return nearest


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
        order: a leaf order of the rows (:func:`leaf_order`) to send the queries in; by
            default the order of the avatars' tree.

    Returns:
        π_i and LC_i for every original.
    """
    if order is None:
        # The avatars' tree gives the order: queries sent in it touch memory contiguously.
        tree = build_tree(avatars)
        order = tree.perm
        a = tree.points
    else:
        a = np.ascontiguousarray(avatars[order])
        tree = build_tree(a)
    x = np.ascontiguousarray(original[order])
    own = np.sqrt(((x - a) ** 2).sum(axis=1))
    tol = _tolerance(own)
    # Avatars within own + tol (own avatar and every tie included), and whether an avatar is
    # closer than own - tol (the nearest avatar's distance compared with own - tol).
    counts, closer = count_within(tree, x, own + tol, closer_than=own - tol)
    counts = np.maximum(counts, 1)
    nobody_closer = ~closer
    success = np.where(nobody_closer, 1.0 / counts, 0.0)
    return Linkage(_unpermute(order, success), _unpermute(order, counts - 1))


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


def closest(
    original: FloatArray,
    avatars: FloatArray,
    order: IntArray | None = None,
    *,
    original_nn: FloatArray | None = None,
    tree_order: npt.NDArray[np.signedinteger[Any]] | None = None,
) -> Closest:
    """DCR, NNDR and original-to-original nearest distances (method.md §5.3-5.5).

    Args:
        original: shape (n, d).
        avatars: shape (m, d).
        order: a leaf order of the originals (:func:`leaf_order`); by default their tree's.
        original_nn: shape (n,), each original's distance to its nearest other original when
            already known in these coordinates (:class:`NearestOthers`; NaN where unknown):
            only the unknown ones are searched.
        tree_order: without ``order``, the leaf order of the originals' tree when already
            known (:class:`NearestOthers`): the tree is rebuilt from it, no median sought.
    """
    if order is None:
        tree = build_tree(original) if tree_order is None else rebuild_tree(original, tree_order)
        order = tree.perm
        x = tree.points
    else:
        x = np.ascontiguousarray(original[order])
        tree = build_tree(x)
    # Row-aligned avatars sit near their originals: the originals' order suits them too.
    a_order = order if len(avatars) == len(original) else leaf_order(avatars)

    def two_nearest(points: FloatArray) -> FloatArray:
        return nearest_distances(tree, points, 2)

    pair = _unpermute(a_order, two_nearest(np.ascontiguousarray(avatars[a_order])))
    d1, d2 = pair[:, 0], pair[:, 1]
    with np.errstate(divide="ignore", invalid="ignore"):
        nndr = np.where(d2 == 0, 1.0, d1 / d2)
    if original_nn is None:
        original_nn = _unpermute(order, two_nearest(x)[:, 1])
    elif (unknown := np.flatnonzero(np.isnan(original_nn))).size:
        original_nn = original_nn.copy()
        original_nn[unknown] = two_nearest(np.ascontiguousarray(original[unknown]))[:, 1]
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
