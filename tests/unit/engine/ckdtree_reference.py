"""The cKDTree neighbour searches the engine used before issue #12, kept as a reference.

Tests (tests/unit/engine/test_neighbours_kernel.py) and the benchmark (bench/bench_engine.py)
compare ``avatars_server.engine.neighbours`` with these functions; the engine never calls them.
Copied from avatars_server/engine/neighbours.py and distances.py at commit fab2e5d; the
time-series ``count_within`` and linkage (at the end) from main at commit f8e4cb7.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy.spatial import cKDTree

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

TIE_TOLERANCE = 1e-9
# Larger leaves than scipy's default (16) query faster in 2-10 dimensions.
_LEAF_SIZE = 64
# Queries per chunk of the exact search.
_CHUNK = 131_072


def _query(
    tree: cKDTree, queries: FloatArray, q: int, labels: IntArray | None = None
) -> tuple[FloatArray, IntArray]:
    dist, idx = tree.query(queries, k=q, workers=-1)
    dist = np.asarray(dist, dtype=np.float64).reshape(len(queries), q)
    idx = np.asarray(idx, dtype=np.int64).reshape(len(queries), q)
    return dist, (labels[idx] if labels is not None else idx)


def _select(
    dist: FloatArray, idx: IntArray, k: int, exclude: IntArray | None, complete: bool
) -> tuple[FloatArray, IntArray, BoolArray]:
    """Keep the k nearest by (distance, index); flag rows where a non-returned point may tie.

    The tree returns each row sorted by distance, so only rows with (near-)ties need sorting:
    distances within the tie tolerance count as tied, so that rounding noise in the
    coordinates cannot override the lowest-index rule.

    Args:
        dist, idx: shape (m, q), a tree query's result.
        k: neighbours to keep (k < q, or k <= q without ``exclude``).
        exclude: shape (m,), the label to drop from each row, or None.
        complete: whether the query returned every point (no tie can be missing).
    """
    m, q = dist.shape
    if exclude is not None:
        # Drop the excluded point (or the last column when it was not returned).
        is_self = idx == exclude[:, None]
        position = np.where(is_self.any(axis=1), is_self.argmax(axis=1), q - 1)
        # The query point usually comes first (distance 0): a view drops it.
        d, i = dist[:, 1:], idx[:, 1:]
        other = np.flatnonzero(position != 0)
        if other.size:
            columns = np.arange(q - 1)[None, :]
            columns = columns + (columns >= position[other, None])
            d, i = d.copy(), i.copy()
            d[other] = np.take_along_axis(dist[other], columns, axis=1)
            i[other] = np.take_along_axis(idx[other], columns, axis=1)
    else:
        d, i = dist, idx
    width = min(k + 1, d.shape[1])
    gaps = np.diff(d[:, :width], axis=1)
    tied_rows = np.flatnonzero((gaps <= TIE_TOLERANCE * np.maximum(1.0, d[:, 1:width])).any(axis=1))
    if tied_rows.size:
        d, i = np.array(d), np.array(i)
        d[tied_rows], i[tied_rows] = order_ties(d[tied_rows], i[tied_rows], k)
    boundary = d[:, k - 1]
    limit = boundary + TIE_TOLERANCE * np.maximum(1.0, boundary)
    # Every point not returned is at least as far as the last returned one: the selection is
    # exact when that distance is beyond the tie limit.
    unresolved = np.zeros(m, dtype=bool) if complete else ~(dist[:, -1] > limit)
    return d[:, :k], i[:, :k], unresolved


def order_ties(d: FloatArray, i: IntArray, k: int) -> tuple[FloatArray, IntArray]:
    """Rows reordered so that the first k follow the tolerant lowest-index rule, by (d, index).

    Args:
        d, i: shape (r, w), w >= k, each row sorted by distance.
    """
    r = len(d)
    boundary = d[:, k - 1 : k]
    tol = TIE_TOLERANCE * np.maximum(1.0, boundary)
    below = d < boundary - tol
    tied = np.abs(d - boundary) <= tol
    room = k - below.sum(axis=1)
    candidates = np.sort(np.where(tied, i, np.iinfo(np.int64).max), axis=1)
    cut = candidates[np.arange(r), room - 1][:, None]
    chosen = below | (tied & (i <= cut))
    order = np.lexsort((i, np.where(chosen, d, np.inf)), axis=1)
    return np.take_along_axis(d, order, axis=1), np.take_along_axis(i, order, axis=1)


def exact_knn(
    tree: cKDTree,
    queries: FloatArray,
    k: int,
    *,
    exclude: IntArray | None = None,
    labels: IntArray | None = None,
    positions: IntArray | None = None,
) -> tuple[FloatArray, IntArray]:
    """The k nearest tree points of each query, ties at the k-th distance to the lowest index.

    Args:
        tree: KD-tree on n points.
        queries: shape (m, dim).
        k: neighbours wanted; at most n (n - 1 with ``exclude``).
        exclude: shape (m,), a point label excluded for each query (the query itself), or None.
        labels: shape (n,), the label (row index) of each tree point, when the tree holds the
            points in another order; ties go to the lowest label.
        positions: shape (m,), a permutation of 0..m-1: the output row of each query
            (default: its own row).

    Returns:
        Distances and indices, each of shape (m, k), sorted by (distance, index).
    """
    m = len(queries)
    out_d = np.empty((m, k))
    out_i = np.empty((m, k), dtype=np.int64)
    # Chunks of queries bound the temporaries of the search and of the tie handling.
    for start in range(0, m, _CHUNK):
        chunk = slice(start, min(m, start + _CHUNK))
        sub_ex = exclude[chunk] if exclude is not None else None
        out_d[chunk], out_i[chunk] = _exact_knn_chunk(tree, queries[chunk], k, sub_ex, labels)
    if positions is None:
        return out_d, out_i
    # One gather by the inverse permutation is cheaper than scattering every chunk.
    inverse = np.empty(m, dtype=np.int64)
    inverse[positions] = np.arange(m)
    return out_d[inverse], out_i[inverse]


def _exact_knn_chunk(
    tree: cKDTree,
    queries: FloatArray,
    k: int,
    exclude: IntArray | None,
    labels: IntArray | None,
) -> tuple[FloatArray, IntArray]:
    n = int(tree.n)
    q = min(k + (2 if exclude is not None else 1), n)
    dist, idx = _query(tree, queries, q, labels)
    out_d, out_i, todo = _select(dist, idx, k, exclude, q == n)
    del dist, idx
    rows = np.flatnonzero(todo)
    while rows.size:
        # Ties straddle the search boundary (duplicates): widen the search for those rows only.
        q = min(2 * q, n)
        dist, idx = _query(tree, queries[rows], q, labels)
        sub_ex = exclude[rows] if exclude is not None else None
        d, i, todo = _select(dist, idx, k, sub_ex, q == n)
        out_d[rows], out_i[rows] = d, i
        rows = rows[todo]
    return out_d, out_i


def neighbours_excluding_self(coords: FloatArray, k: int) -> tuple[FloatArray, IntArray]:
    """For every row, its k nearest other rows (method.md §3.5).

    Queries run in the tree's leaf order, which keeps consecutive queries close in memory and
    makes the search several times faster than in input order.

    Args:
        coords: shape (n, ncp).
        k: 1 <= k <= n - 1.

    Returns:
        Distances and indices, each of shape (n, k), row i sorted by (distance, index).
    """
    distances, indices, _ = self_neighbours(coords, k)
    return distances, indices


def self_neighbours(coords: FloatArray, k: int) -> tuple[FloatArray, IntArray, IntArray]:
    """:func:`neighbours_excluding_self` and the leaf order it used, as the engine's
    ``self_neighbours`` returns its tree's (here a cKDTree's order, which ``closest`` takes as
    its ``order``)."""
    # A first tree gives the leaf order; the searched tree holds the points in that order, so
    # that both the queries and the tree's points are contiguous in memory (~2x faster).
    leaf_order = np.asarray(cKDTree(coords, leafsize=_LEAF_SIZE).indices, dtype=np.int64)
    ordered = np.ascontiguousarray(coords[leaf_order])
    tree = cKDTree(ordered, leafsize=_LEAF_SIZE, balanced_tree=False)
    distances, indices = exact_knn(
        tree, ordered, k, exclude=leaf_order, labels=leaf_order, positions=leaf_order
    )
    return distances, indices, leaf_order


def nearest_ties(tree: cKDTree, queries: FloatArray) -> tuple[IntArray, IntArray, FloatArray]:
    """All tree points tied at the minimal distance of each query (tolerance of method.md §4).

    Returns:
        ``(query_rows, points, nearest)``: flat pairs (query row, tied tree point) and, for each
        query, shape (m,), the minimal distance.
    """
    n = int(tree.n)
    m = len(queries)
    q = min(4, n)
    dist, idx = _query(tree, queries, q)
    nearest = dist[:, 0].copy()
    limit = nearest + TIE_TOLERANCE * np.maximum(1.0, nearest)
    pair_rows: list[IntArray] = []
    pair_points: list[IntArray] = []
    rows = np.arange(m)
    while True:
        done = (dist[:, -1] > limit[rows]) | (q == n)
        hit = (dist <= limit[rows][:, None]) & done[:, None]
        r, c = np.nonzero(hit)
        pair_rows.append(rows[r])
        pair_points.append(idx[r, c])
        rows = rows[~done]
        if not rows.size:
            break
        q = min(2 * q, n)
        dist, idx = _query(tree, queries[rows], q)
    return np.concatenate(pair_rows), np.concatenate(pair_points), nearest


# --- distances.py (fab2e5d) ---


def _tolerance(distance: FloatArray) -> FloatArray:
    """Two distances are equal when they differ by at most 1e-9·max(1, d) (method.md §4)."""
    return TIE_TOLERANCE * np.maximum(1.0, distance)


def leaf_order(points: FloatArray) -> IntArray:
    """A permutation of the rows that follows KD-tree leaves, shape (n,).

    Trees built on rows in this order, and queries sent in this order, touch memory
    contiguously: several times faster than in input order at a million rows.
    """
    return np.asarray(cKDTree(points, leafsize=_LEAF_SIZE).indices, dtype=np.int64)


def _unpermute(order: IntArray, values: npt.NDArray[Any]) -> npt.NDArray[Any]:
    out = np.empty_like(values)
    out[order] = values
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
        order: the originals' leaf order (:func:`leaf_order`), computed when None.

    Returns:
        π_i and LC_i for every original.
    """
    if order is None:
        order = leaf_order(original)
    x = np.ascontiguousarray(original[order])
    a = np.ascontiguousarray(avatars[order])
    own = np.sqrt(((x - a) ** 2).sum(axis=1))
    tol = _tolerance(own)
    # Radius counts visit every point of the ball: larger leaves are faster here.
    tree = cKDTree(a, leafsize=2 * _LEAF_SIZE, balanced_tree=False)
    nearest = np.asarray(tree.query(x, k=1, workers=-1)[0], dtype=np.float64)
    # Avatars within own + tol: own avatar and every tie included.
    counts = np.asarray(
        tree.query_ball_point(x, r=own + tol, return_length=True, workers=-1), dtype=np.int64
    )
    counts = np.maximum(counts, 1)
    nobody_closer = nearest >= own - tol
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
        order: the originals' leaf order (:func:`leaf_order`), computed when None.
        original_nn: the originals' nearest-other distances when known (NaN where not), as
            the engine's ``closest`` takes them (added with it, so that the cKDTree path skips
            the same search).
        tree_order: without ``order``, a leaf order of the originals when already known (the
            avatarization's): taken as ``order``, so that, as the engine skips its tree's
            median splits, this path skips its ordering tree.
    """
    if order is None:
        order = leaf_order(original) if tree_order is None else np.asarray(tree_order, np.int64)
    x = np.ascontiguousarray(original[order])
    tree = cKDTree(x, leafsize=_LEAF_SIZE, balanced_tree=False)
    k = min(2, len(original))
    # Row-aligned avatars sit near their originals: the originals' order suits them too.
    a_order = order if len(avatars) == len(original) else leaf_order(avatars)

    def two_nearest(points: FloatArray) -> FloatArray:
        d = np.asarray(tree.query(points, k=k, workers=-1)[0], dtype=np.float64)
        d = d.reshape(len(points), k)
        if k == 1:
            d = np.column_stack([d[:, 0], np.full(len(points), np.inf)])
        return d

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


# The time-series radius count and linkage as they were on main at commit f8e4cb7 (issue #14),
# before #12's kernel replaced that duplicate ``count_within``.


def count_within(
    points: FloatArray, queries: FloatArray, radius: FloatArray
) -> tuple[IntArray, FloatArray]:
    """Radius counts, and the smallest distance among the points within (inf when none)."""
    counts = np.zeros(len(queries), dtype=np.int64)
    nearest = np.full(len(queries), np.inf)
    if not len(points) or not len(queries):
        return counts, nearest
    tree = cKDTree(points, leafsize=2 * _LEAF_SIZE)
    first = np.asarray(tree.query(queries, k=1, workers=-1)[0], dtype=np.float64).reshape(-1)
    found = tree.query_ball_point(queries, r=radius, return_length=True, workers=-1)
    counts[:] = np.asarray(found, dtype=np.int64).reshape(-1)
    nearest = np.where(first <= radius, first, np.inf)
    return counts, nearest


def series_linkage(x: FloatArray, a: FloatArray, own: IntArray) -> tuple[FloatArray, IntArray]:
    """π_i and LC_i of the time-series metrics when some originals' avatars are absent."""
    n = len(x)
    success = np.zeros(n)
    cloaking = np.full(n, len(a), dtype=np.int64)
    paired = np.flatnonzero(own >= 0)
    if paired.size and len(a):
        distance = np.sqrt(((x[paired] - a[own[paired]]) ** 2).sum(axis=1))
        tol = TIE_TOLERANCE * np.maximum(1.0, distance)
        counts, nearest = count_within(a, x[paired], distance + tol)
        counts = np.maximum(counts, 1)
        success[paired] = np.where(nearest >= distance - tol, 1.0 / counts, 0.0)
        cloaking[paired] = counts - 1
    return success, cloaking
