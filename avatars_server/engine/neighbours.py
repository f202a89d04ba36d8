"""Exact neighbour searches: the one module every kNN and radius search of the engine goes through.

The searches run in numba kernels (``kdtree_kernels`` for kNN, ``kdtree_radius`` for radius
searches; compiled once, cached on disk) over the KD-tree of :mod:`avatars_server.engine.kdtree`
(re-exported here): a balanced tree split at the median of the widest dimension, stored as
arrays (an implicit complete binary tree: node t has children 2t + 1 and 2t + 2), with the
points copied in leaf order and a bounding box per node; the kNN walk steps through every third
level (wide nodes holding their 8 descendants' boxes side by side, bounded in one loop).
Above :data:`BRUTE_FORCE_DIM` dimensions a blocked brute force replaces the tree walk (method.md
§8). Results are exact and follow the tie rules of method.md §3.5 and §4:

- distances are computed from coordinate differences, summed in the order of
  ``scipy.spatial.cKDTree`` (four running sums over blocks of four coordinates, then the rest),
  so that the results are bitwise those of the previous cKDTree path;
- two distances are tied when they differ by at most 1e-9·max(1, d); ties at the k-th distance
  go to the lowest index (label).

Each kNN query first collects its k + 1 lexicographically smallest (squared distance, label)
points; when the (k + 1)-th is within the tie tolerance of the k-th, a second walk over the ball
of radius (k-th distance + tolerance) keeps the lowest labels among the tied points, in bounded
memory (no widening of the search, however many duplicates).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from avatars_server.engine import kdtree_kernels as kernels
from avatars_server.engine import kdtree_radius as radius_kernels
from avatars_server.engine.kdtree import LEAF_SIZE as LEAF_SIZE
from avatars_server.engine.kdtree import KDTree as KDTree
from avatars_server.engine.kdtree import SearchTree as SearchTree
from avatars_server.engine.kdtree import as_tree as as_tree
from avatars_server.engine.kdtree import build_tree as build_tree
from avatars_server.engine.kdtree import dynamic_scheduling as _dynamic
from avatars_server.engine.kdtree import rebuild_tree as rebuild_tree
from avatars_server.engine.kdtree_ties import TIE_TOLERANCE as TIE_TOLERANCE
from avatars_server.engine.table import FloatArray, IntArray

BoolArray = npt.NDArray[np.bool_]

# Above this many dimensions, kNN searches scan every point in blocks (method.md §8)...
BRUTE_FORCE_DIM = 10
# ... unless the scan would cost more than this many point-to-point distances (then the tree,
# which degrades gracefully in high dimension on discrete data, is cheaper).
BRUTE_FORCE_MAX_PAIRS = 2_000_000_000
# Queries sent in the tree's leaf order start their walk from the previous query's squared k-th
# distance times this factor (then walk again without it if too few points lie within). Of 1.0 to
# 2.0, 1.45-1.6 took least time at k = 20 (one thread, 1M bench coordinates); the 1M self-join
# took 6.11-6.18 against 6.60-6.72 CPU-s, same neighbours (docs/benchmarks.md). It gains about 4 %
# at k = 3 and 8, and nothing measurable for the 2-NN searches of DCR/NNDR, which do without it.
ORDERED_GUESS = 1.6


# --------------------------------------------------------------------------------------------
# The searches.

_NONE = np.zeros(0, dtype=np.int64)


def brute_force_pays(
    n_points: int,
    n_queries: int,
    dim: int,
    *,
    max_dim: int | None = None,
    max_pairs: int | None = None,
) -> bool:
    """Whether a kNN search scans every point in blocks rather than walking the tree: above
    ``max_dim`` dimensions (default :data:`BRUTE_FORCE_DIM`), unless that would cost more than
    ``max_pairs`` point-to-point distances (default :data:`BRUTE_FORCE_MAX_PAIRS`; both read
    when called) (method.md §8)."""
    max_dim = BRUTE_FORCE_DIM if max_dim is None else max_dim
    max_pairs = BRUTE_FORCE_MAX_PAIRS if max_pairs is None else max_pairs
    return dim > max_dim and n_points * n_queries <= max_pairs


def _use_brute(tree: KDTree, m: int) -> bool:
    return brute_force_pays(tree.n, m, tree.m)


def _queries(queries: FloatArray, dim: int) -> FloatArray:
    q = np.ascontiguousarray(queries, dtype=np.float64)
    return q.reshape(len(q), dim)


def exact_knn(
    tree: SearchTree,
    queries: FloatArray,
    k: int,
    *,
    exclude: IntArray | None = None,
    labels: IntArray | None = None,
    positions: IntArray | None = None,
    ties: bool = True,
    brute: bool | None = None,
    ordered: bool = False,
) -> tuple[FloatArray, IntArray]:
    """The k nearest tree points of each query, ties at the k-th distance to the lowest index.

    Args:
        tree: a :class:`KDTree` on n points (or a cKDTree / array, converted).
        queries: shape (m, dim).
        k: neighbours wanted; at most n (n - 1 with ``exclude``).
        exclude: shape (m,), a point label excluded for each query (the query itself), or None.
        labels: shape (n,), the label (row index) of each tree point, when the tree holds the
            points in another order; ties go to the lowest label. Labels must be distinct and
            non-negative.
        positions: shape (m,), a permutation of 0..m-1: the output row of each query
            (default: its own row).
        ties: apply the tie rule (default). Without it, the k smallest distances are returned
            exactly as computed, with one of the points at each (for distance-only queries:
            within the tolerance the rule may pick a point a few ulps farther).
        brute: scan every point in blocks (True) or walk the tree (False); None chooses by
            :func:`brute_force_pays`. Both are exact and give the same answer.
        ordered: the queries come in the tree's leaf order (each near the one before), so
            that each walk can start from its predecessor's k-th distance
            (:data:`ORDERED_GUESS`); faster, and the same answer.

    Returns:
        Distances and indices (labels), each of shape (m, k), sorted by (distance, index).
    """
    t = as_tree(tree)
    q = _queries(queries, t.m)
    m = len(q)
    out_d = np.empty((m, k))
    out_i = np.empty((m, k), dtype=np.int64)
    if m == 0 or k == 0:
        return out_d, out_i
    label_of = t.perm if labels is None else np.ascontiguousarray(labels, dtype=np.int64)[t.perm]
    ex = _NONE if exclude is None else np.ascontiguousarray(exclude, dtype=np.int64)
    rows = _NONE if positions is None else np.ascontiguousarray(positions, dtype=np.int64)
    use_brute = _use_brute(t, m) if brute is None else brute
    with _dynamic():
        _knn(t, q, label_of, ex, rows, k, ties, out_d, out_i, use_brute, ordered)
    return out_d, out_i


def _knn(
    t: KDTree,
    q: FloatArray,
    label_of: IntArray,
    ex: IntArray,
    rows: IntArray,
    k: int,
    ties: bool,
    out_d: FloatArray,
    out_i: IntArray,
    brute: bool,
    ordered: bool,
) -> None:
    if brute:
        kernels.knn_brute(
            t.points, label_of, t.start, t.stop, t.lo, t.hi, q, ex, rows, k, ties, out_d, out_i
        )
    else:
        kernels.knn_tree(
            t.points, t.columns, t.leaf, label_of, t.start, t.stop, t.lo, t.hi, t.boxes,
            t.wide_of, t.depth, q, ex, rows, k, ties, ORDERED_GUESS if ordered else 0.0, out_d,
            out_i,
        )  # fmt: skip


def neighbours_excluding_self(coords: FloatArray, k: int) -> tuple[FloatArray, IntArray]:
    """For every row, its k nearest other rows (method.md §3.5).

    Queries run in the tree's leaf order, on the tree's own contiguous copy of the points.

    Args:
        coords: shape (n, ncp).
        k: 1 <= k <= n - 1.

    Returns:
        Distances and indices, each of shape (n, k), row i sorted by (distance, index).
    """
    distances, indices, _ = self_neighbours(coords, k)
    return distances, indices


def self_neighbours(coords: FloatArray, k: int) -> tuple[FloatArray, IntArray, IntArray]:
    """:func:`neighbours_excluding_self`, and the leaf order of the tree it searched, shape (n,),
    from which :func:`rebuild_tree` rebuilds that tree for a later search in ``coords``."""
    tree = build_tree(coords)
    distances, indices = exact_knn(
        tree, tree.points, k, exclude=tree.perm, positions=tree.perm, ordered=True
    )
    return distances, indices, tree.perm


def nearest_distances(tree: SearchTree, queries: FloatArray, k: int) -> FloatArray:
    """Distances to the k nearest tree points, shape (m, k), ascending; inf beyond n points."""
    t = as_tree(tree)
    kk = min(k, t.n)
    d = np.full((len(queries), k), np.inf)
    if kk:
        d[:, :kk] = exact_knn(t, queries, kk, ties=False)[0]
    return d


def count_within(
    tree: SearchTree, queries: FloatArray, radius: FloatArray, closer_than: FloatArray | None = None
) -> tuple[IntArray, BoolArray]:
    """Radius counts (as ``cKDTree.query_ball_point(..., return_length=True)``).

    Args:
        tree: a :class:`KDTree` (or a cKDTree / array, converted).
        queries: shape (m, dim).
        radius: shape (m,), each query's radius.
        closer_than: shape (m,), optional distances d_q <= radius (points beyond the radius
            are not visited).

    Returns:
        Per query, the number of tree points p with squared distance <= radius² (computed as
        cKDTree does), and whether some tree point lies at a distance < d_q (all False without
        ``closer_than``); the same as comparing the nearest point's distance with d_q.
    """
    t = as_tree(tree)
    q = _queries(queries, t.m)
    counts = np.zeros(len(q), dtype=np.int64)
    closer = np.zeros(len(q), dtype=np.bool_)
    if len(q) and t.n:
        r = np.ascontiguousarray(radius, dtype=np.float64)
        if closer_than is None:
            low = np.full(len(q), -np.inf)
        else:
            low = np.ascontiguousarray(closer_than, dtype=np.float64)
        with _dynamic():
            radius_kernels.count_within(
                t.columns, t.leaf, t.start, t.stop, t.lo, t.hi, t.depth, q, r, low, counts, closer
            )
    return counts, closer


def within(tree: SearchTree, queries: FloatArray, limit: FloatArray) -> tuple[IntArray, IntArray]:
    """Every pair (query row, tree point) at distance <= limit[query row].

    Returns:
        ``(query_rows, points)``, flat, grouped by query row (points are rows of ``tree.data``).
    """
    t = as_tree(tree)
    q = _queries(queries, t.m)
    m = len(q)
    offsets = np.zeros(m + 1, dtype=np.int64)
    if m == 0 or t.n == 0:
        return _NONE.copy(), _NONE.copy()
    high = np.ascontiguousarray(limit, dtype=np.float64)
    args = (t.points, t.start, t.stop, t.lo, t.hi, t.depth, q, high)
    with _dynamic():
        radius_kernels.within(*args, offsets, np.zeros(0, dtype=np.int64))
        np.cumsum(offsets, out=offsets)
        found = np.empty(int(offsets[-1]), dtype=np.int64)
        if found.size:
            radius_kernels.within(*args, offsets, found)
    rows = np.repeat(np.arange(m, dtype=np.int64), np.diff(offsets))
    return rows, t.perm[found]


def nearest_ties(tree: SearchTree, queries: FloatArray) -> tuple[IntArray, IntArray, FloatArray]:
    """All tree points tied at the minimal distance of each query (tolerance of method.md §4).

    Returns:
        ``(query_rows, points, nearest)``: flat pairs (query row, tied tree point) and, for each
        query, shape (m,), the minimal distance.
    """
    t = as_tree(tree)
    nearest = nearest_distances(t, queries, 1)[:, 0]
    limit = nearest + TIE_TOLERANCE * np.maximum(1.0, nearest)
    rows, points = within(t, queries, limit)
    return rows, points, nearest


def leaf_order(points: FloatArray) -> IntArray:
    """A permutation of the rows that follows the KD-tree's leaves, shape (n,)."""
    return build_tree(points).perm


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
