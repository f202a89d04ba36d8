"""The engine's KD-tree as arrays for the numba kernels: built on points
(:mod:`avatars_server.engine.kdtree_build`'s median splits, parallel below the first levels) or
rebuilt from a leaf order already known, without seeking any median.
:mod:`avatars_server.engine.neighbours` searches it and re-exports what callers use.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numba
import numpy as np

from avatars_server.engine.kdtree_build import build, rebuild, wide_nodes
from avatars_server.engine.table import FloatArray, IntArray

# Points per leaf at most: of 8, 16, 32 and 64, 32 was fastest for k = 20 in 5 dimensions
# (100k rows; 64 within noise, 8 about 40 % slower).
LEAF_SIZE = 32


def dynamic_scheduling() -> Any:
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
    with dynamic_scheduling():
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
