"""The numba kernel that builds the engine's KD-tree: a balanced tree stored as arrays (each
node's range of leaf-order positions and its points' bounding box), built in parallel below its
first levels, and the wide nodes the kNN walk steps through (every third level, with its
descendants' boxes side by side). :mod:`avatars_server.engine.kdtree_kernels` and
:mod:`avatars_server.engine.kdtree_radius` search it.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numba import prange

from avatars_server.engine.jit import jit as _jit
from avatars_server.engine.kdtree_bounds import WIDE_FANOUT, WIDE_LEVELS

_INF = math.inf


@_jit()
def _nth_element(perm: Any, points: Any, start: int, stop: int, kth: int, axis: int) -> None:
    """Partially sort rows start..stop-1 of ``points`` (and ``perm`` with them) by coordinate
    ``axis`` so that row kth holds its order statistic, smaller-or-equal keys before and
    larger-or-equal after (Hoare). The rows move with their keys, so that every pass reads
    memory in order."""
    dim = points.shape[1]
    left = start
    right = stop - 1
    while right > left:
        middle = (left + right) // 2
        a = points[left, axis]
        b = points[middle, axis]
        c = points[right, axis]
        pivot = max(min(a, b), min(max(a, b), c))
        i = left
        j = right
        while i <= j:
            while points[i, axis] < pivot:
                i += 1
            while points[j, axis] > pivot:
                j -= 1
            if i <= j:
                t = perm[i]
                perm[i] = perm[j]
                perm[j] = t
                for col in range(dim):
                    v = points[i, col]
                    points[i, col] = points[j, col]
                    points[j, col] = v
                i += 1
                j -= 1
        if kth <= j:
            right = j
        elif kth >= i:
            left = i
        else:
            return


@_jit(inline=True)
def _box_5(points: Any, s: int, e: int, lo: Any, hi: Any, node: int) -> None:
    """The bounding box of rows s..e-1 in 5 dimensions, kept in registers: the general loop
    updates the box in memory at every point."""
    l0 = l1 = l2 = l3 = l4 = _INF
    h0 = h1 = h2 = h3 = h4 = -_INF
    for p in range(s, e):
        v0 = points[p, 0]
        v1 = points[p, 1]
        v2 = points[p, 2]
        v3 = points[p, 3]
        v4 = points[p, 4]
        l0 = min(l0, v0)
        h0 = max(h0, v0)
        l1 = min(l1, v1)
        h1 = max(h1, v1)
        l2 = min(l2, v2)
        h2 = max(h2, v2)
        l3 = min(l3, v3)
        h3 = max(h3, v3)
        l4 = min(l4, v4)
        h4 = max(h4, v4)
    lo[node, 0] = l0
    lo[node, 1] = l1
    lo[node, 2] = l2
    lo[node, 3] = l3
    lo[node, 4] = l4
    hi[node, 0] = h0
    hi[node, 1] = h1
    hi[node, 2] = h2
    hi[node, 3] = h3
    hi[node, 4] = h4


@_jit(inline=True)
def _node_box(points: Any, s: int, e: int, lo: Any, hi: Any, node: int) -> None:
    """The bounding box of rows s..e-1 into ``lo[node]``, ``hi[node]``."""
    dim = points.shape[1]
    if dim == 5:
        _box_5(points, s, e, lo, hi, node)
        return
    for j in range(dim):
        lo[node, j] = _INF
        hi[node, j] = -_INF
    for p in range(s, e):
        for j in range(dim):
            v = points[p, j]
            lo[node, j] = min(lo[node, j], v)
            hi[node, j] = max(hi[node, j], v)


@_jit(inline=True)
def _set_children(start: Any, stop: Any, node: int) -> int:
    """The children's ranges of positions: the node's split at its middle position, which
    every tree of this module uses (:func:`rebuild` relies on it); returns the middle."""
    s = start[node]
    e = stop[node]
    middle: int = (s + e) // 2
    start[2 * node + 1] = s
    stop[2 * node + 1] = middle
    start[2 * node + 2] = middle
    stop[2 * node + 2] = e
    return middle


@_jit()
def _node_arrays(n: int, dim: int, depth: int) -> Any:
    """Each node's range of positions and box, allocated for 2**depth leaves; the root's range
    is set (all n positions)."""
    n_nodes = 2 ** (depth + 1) - 1
    start = np.empty(n_nodes, dtype=np.int64)
    stop = np.empty(n_nodes, dtype=np.int64)
    lo = np.empty((n_nodes, dim))
    hi = np.empty((n_nodes, dim))
    start[0] = 0
    stop[0] = n
    return start, stop, lo, hi


@_jit()
def _split_node(
    points: Any,
    perm: Any,
    node: int,
    leaf: bool,
    start: Any,
    stop: Any,
    lo: Any,
    hi: Any,
) -> None:
    """Bounding box of a node; unless a leaf, split its positions at the median of its widest
    axis (left child <= median <= right child) and set its children's ranges."""
    dim = points.shape[1]
    s = start[node]
    e = stop[node]
    _node_box(points, s, e, lo, hi, node)
    if leaf:
        return
    a = 0
    widest = -1.0
    for j in range(dim):
        if hi[node, j] - lo[node, j] > widest:
            widest = hi[node, j] - lo[node, j]
            a = j
    middle = _set_children(start, stop, node)
    if e - s > 1:
        _nth_element(perm, points, s, e, middle, a)


@_jit(parallel=True)
def build(points: Any, perm: Any, depth: int, top: int) -> Any:
    """A balanced KD-tree with 2**depth leaves, built in place: ``points`` (a copy of the data's
    rows) and ``perm`` (0..n-1) are reordered into leaf order.

    The first ``top`` levels are split in turn; then the 2**top subtrees below them are built
    in parallel, each by one thread, level by level. (The caller makes both arrays: made here,
    they would be parallel loops over n items, which the searches' chunk size of 1 item,
    :func:`kdtree.dynamic_scheduling`, would hand out one by one: 0.15 s at 1M rows.)

    Returns:
        (start, stop, lo, hi): each node's range of positions and its points' bounding box (an
        internal node's left child holds the points <= the median of its widest axis, the right
        child those >=).
    """
    n, dim = points.shape
    start, stop, lo, hi = _node_arrays(n, dim, depth)
    top = min(top, depth + 1)
    for level in range(top):
        for t in range(2**level):
            node = 2**level - 1 + t
            _split_node(points, perm, node, level == depth, start, stop, lo, hi)
    if top <= depth:
        for r in prange(2**top):
            root = 2**top - 1 + r
            for d in range(depth + 1 - top):
                first = (root + 1) * 2**d - 1
                for t in range(2**d):
                    leaf = top + d == depth
                    _split_node(points, perm, first + t, leaf, start, stop, lo, hi)
    return start, stop, lo, hi


@_jit(parallel=True)
def rebuild(data: Any, perm: Any, depth: int) -> Any:
    """The tree :func:`build` gives on ``data``, from its leaf order ``perm`` alone: the points
    are gathered in that order, every node's range follows from n and ``depth`` (each split is
    at the middle position), and the boxes are the leaves' points' then their children's; no
    median is sought. Same arrays as :func:`build`'s (a box bound of 0 may differ only in the
    sign of the zero, which no distance sees).

    Returns:
        (points, start, stop, lo, hi), as :func:`build` returns them after ``perm``.
    """
    n, dim = data.shape
    first_leaf = 2**depth - 1
    points = np.empty((n, dim))
    for p in prange(n):
        for j in range(dim):
            points[p, j] = data[perm[p], j]
    start, stop, lo, hi = _node_arrays(n, dim, depth)
    for node in range(first_leaf):
        _set_children(start, stop, node)
    for t in prange(2**depth):
        node = first_leaf + t
        _node_box(points, start[node], stop[node], lo, hi, node)
    for level in range(depth - 1, -1, -1):
        for t in prange(2**level):
            node = 2**level - 1 + t
            for j in range(dim):
                lo[node, j] = min(lo[2 * node + 1, j], lo[2 * node + 2, j])
                hi[node, j] = max(hi[2 * node + 1, j], hi[2 * node + 2, j])
    return points, start, stop, lo, hi


def wide_nodes(lo: Any, hi: Any, depth: int) -> tuple[Any, Any]:
    """The wide nodes the kNN walk steps through: the internal nodes at levels depth − 3,
    depth − 6, ... (>= 0), each with the boxes of its 8 descendants three levels down.

    Returns:
        (boxes, wide_of): shape (w, 2, dim, 8), each wide node's descendants' lows ([:, 0]) and
        highs ([:, 1]) by coordinate; shape (2**depth − 1,), each internal node's row in
        ``boxes`` (−1 for the internal nodes that are not wide).
    """
    dim = lo.shape[1]
    levels = list(range(depth - WIDE_LEVELS, -1, -WIDE_LEVELS))
    boxes = np.empty((sum(2**level for level in levels), 2, dim, WIDE_FANOUT))
    wide_of = np.full(2**depth - 1, -1, dtype=np.int64)
    row = 0
    for level in levels:
        nodes = np.arange(2**level - 1, 2 ** (level + 1) - 1)
        rows = np.arange(row, row + len(nodes))
        wide_of[nodes] = rows
        for c in range(WIDE_FANOUT):
            descendants = WIDE_FANOUT * nodes + WIDE_FANOUT - 1 + c
            boxes[rows, 0, :, c] = lo[descendants]
            boxes[rows, 1, :, c] = hi[descendants]
        row += len(nodes)
    return boxes, wide_of
