"""Exact neighbour searches: the one module every kNN and radius search of the engine goes through.

The searches run in numba kernels (``kdtree_kernels`` for kNN, ``kdtree_radius`` for radius
searches; compiled once, cached on disk) over a KD-tree built here: a balanced tree split at the
median of the widest dimension, stored as arrays (an implicit complete binary tree: node t has
children 2t + 1 and 2t + 2), with the points copied in leaf order and a bounding box per node;
the kNN walk steps through every third level (wide nodes holding their 8 descendants' boxes side
by side, bounded in one loop).
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

import math
from dataclasses import dataclass
from typing import Any

import numba
import numpy as np
import numpy.typing as npt

from avatars_server.engine import kdtree_kernels as kernels
from avatars_server.engine import kdtree_radius as radius_kernels
from avatars_server.engine.kdtree_build import build, rebuild, wide_nodes
from avatars_server.engine.kdtree_ties import TIE_TOLERANCE as TIE_TOLERANCE
from avatars_server.engine.table import FloatArray, IntArray

BoolArray = npt.NDArray[np.bool_]

# Above this many dimensions, kNN searches scan every point in blocks (method.md §8)...
BRUTE_FORCE_DIM = 10
# ... unless the scan would cost more than this many point-to-point distances (then the tree,
# which degrades gracefully in high dimension on discrete data, is cheaper).
BRUTE_FORCE_MAX_PAIRS = 2_000_000_000
# Points per leaf at most: of 8, 16, 32 and 64, 32 was fastest for k = 20 in 5 dimensions
# (100k rows; 64 within noise, 8 about 40 % slower).
LEAF_SIZE = 32
# Queries sent in the tree's leaf order start their walk from the previous query's squared k-th
# distance times this factor (then walk again without it if too few points lie within). Of 1.0 to
# 2.0, 1.45-1.6 took least time at k = 20 (one thread, 1M bench coordinates); the 1M self-join
# took 6.11-6.18 against 6.60-6.72 CPU-s, same neighbours (docs/benchmarks.md). It gains about 4 %
# at k = 3 and 8, and nothing measurable for the 2-NN searches of DCR/NNDR, which do without it.
ORDERED_GUESS = 1.6


# --------------------------------------------------------------------------------------------
# The tree and the searches.

_NONE = np.zeros(0, dtype=np.int64)


def _dynamic() -> Any:
    """Parallel loops hand out their iterations one at a time (dynamic scheduling), so that a
    thread held up by other work on the machine does not hold up the whole loop."""
    return numba.parallel_chunksize(1)


@dataclass(frozen=True, eq=False)
class KDTree:
    """A KD-tree on n points, as arrays for the numba kernels.

    Attributes:
        data: shape (n, dim), the points as given (row i is point i).
        points: shape (n, dim), the points in leaf order.
        columns: shape (dim, n), the same by coordinate (for SIMD distance loops).
        perm: shape (n,), the row of ``data`` at each leaf-order position.
        start, stop: shape (nodes,), each node's range of leaf-order positions.
        lo, hi: shape (nodes, dim), each node's bounding box.
        depth: leaves are the 2**depth nodes of the last level.
        leaf: the largest number of points in a leaf.
        boxes, wide_of: the kNN walk's wide nodes (:func:`kdtree_build.wide_nodes`).
    """

    data: FloatArray
    points: FloatArray
    columns: FloatArray
    perm: IntArray
    start: IntArray
    stop: IntArray
    lo: FloatArray
    hi: FloatArray
    depth: int
    leaf: int
    boxes: FloatArray
    wide_of: IntArray

    @property
    def n(self) -> int:
        """Number of points."""
        return int(self.data.shape[0])

    @property
    def m(self) -> int:
        """Number of dimensions."""
        return int(self.data.shape[1])

    @property
    def indices(self) -> IntArray:
        """Leaf order (as ``cKDTree.indices``): rows of ``data`` that are close in space are close
        in this order, which makes queries sent in it touch memory contiguously."""
        return self.perm


def _tree_data(points: FloatArray, leaf_size: int) -> tuple[FloatArray, int]:
    data = np.ascontiguousarray(points, dtype=np.float64)
    if data.ndim != 2:
        raise ValueError(f"points must be a 2-D array, got shape {data.shape}")
    n = data.shape[0]
    return data, max(0, math.ceil(math.log2(n / leaf_size))) if n > leaf_size else 0


def build_tree(points: FloatArray, leaf_size: int = LEAF_SIZE) -> KDTree:
    """Build the KD-tree of ``points`` (shape (n, dim)); O(n log n), parallel per level."""
    data, depth = _tree_data(points, leaf_size)
    # Eight subtrees per thread balance the parallel part of the build.
    top = max(0, math.ceil(math.log2(8 * numba.get_num_threads())))
    points_in_order = data.copy()
    perm = np.arange(len(data), dtype=np.int64)
    with _dynamic():
        start, stop, lo, hi = build(points_in_order, perm, depth, top)
    return _tree(data, perm, points_in_order, start, stop, lo, hi, depth)


def rebuild_tree(points: FloatArray, perm: IntArray, leaf_size: int = LEAF_SIZE) -> KDTree:
    """The tree ``build_tree(points, leaf_size)`` gives, from its ``perm`` (leaf order) alone,
    without seeking any median: a few passes over the points instead of one per level (a later
    search in the same coordinates, e.g. the privacy metrics' originals when their projection is
    the avatarization's, whose search built it). With any other permutation of the rows the
    tree is still exact (every box bounds its own points), only slower to search."""
    data, depth = _tree_data(points, leaf_size)
    order = np.ascontiguousarray(perm, dtype=np.int64)
    n = data.shape[0]
    # A row twice and another missing would search the wrong points: refused (a few ms per
    # million rows).
    if order.shape != (n,) or (n and not _is_permutation(order)):
        raise ValueError(f"perm must be a permutation of the {n} rows, got shape {order.shape}")
    points_in_order, start, stop, lo, hi = rebuild(data, order, depth)
    return _tree(data, order, points_in_order, start, stop, lo, hi, depth)


def _is_permutation(order: IntArray) -> bool:
    n = len(order)
    if order.min() < 0 or order.max() >= n:
        return False
    return bool(np.bincount(order, minlength=n).max() == 1)


def _tree(
    data: FloatArray,
    perm: IntArray,
    points_in_order: FloatArray,
    start: IntArray,
    stop: IntArray,
    lo: FloatArray,
    hi: FloatArray,
    depth: int,
) -> KDTree:
    leaf = int((stop - start)[2**depth - 1 :].max(initial=1))
    boxes, wide_of = wide_nodes(lo, hi, depth)
    return KDTree(
        data, points_in_order, np.ascontiguousarray(points_in_order.T), perm, start, stop, lo, hi,
        depth, leaf, boxes, wide_of,
    )  # fmt: skip


SearchTree = Any  # a KDTree, or for compatibility anything with the points in ``.data``


def as_tree(tree: SearchTree) -> KDTree:
    """``tree`` itself when it is a :class:`KDTree`; otherwise a KDTree on ``tree.data`` (e.g. a
    ``scipy.spatial.cKDTree``, kept as a reference in tests) or on the array ``tree``."""
    if isinstance(tree, KDTree):
        return tree
    return build_tree(np.asarray(getattr(tree, "data", tree), dtype=np.float64))


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
