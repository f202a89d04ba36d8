"""The numba kernels of the exact kNN searches: tree walks and blocked brute force that keep each
query's k + 1 best (distance, label) pairs, over the trees that
:mod:`avatars_server.engine.kdtree_build` stores as arrays (see
:mod:`avatars_server.engine.neighbours`, the interface every search of the engine goes through;
radius searches are in :mod:`avatars_server.engine.kdtree_radius`; the tie rule that picks the k
neighbours from those pairs in :mod:`avatars_server.engine.kdtree_ties`).

Compiled once and cached on disk. Distances are summed in the order of ``scipy.spatial.cKDTree``
(:mod:`avatars_server.engine.kdtree_bounds`) and ties follow method.md §3.5 and §4, as the
interface module describes.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numba import prange

from avatars_server.engine.jit import jit as _jit
from avatars_server.engine.kdtree_bounds import (
    INF,
    QUERY_BLOCK,
    WIDE_FANOUT,
    WIDE_LEVELS,
    box_sq,
    leaf_sq_5,
    leaf_sq_call,
    point_sq,
    wide_bounds,
)
from avatars_server.engine.kdtree_ties import pair_above, resolve_row, sort_pairs

# Points per block of the brute force.
_POINT_BLOCK = 1024


@_jit(inline=True)
def _insert(best_sq: Any, best_label: Any, count: int, capacity: int, sq: float, label: int) -> int:
    """Offer (sq, label) to the max-heap of the ``capacity`` smallest pairs; returns its size.

    The heap's root (index 0) is the largest pair kept: the current k-th neighbour.
    """
    if count == capacity:
        if not pair_above(best_sq[0], best_label[0], sq, label):
            return count
        # Replace the root and sift down.
        position = 0
        while True:
            child = 2 * position + 1
            if child >= capacity:
                break
            right = child + 1
            if right < capacity and pair_above(
                best_sq[right], best_label[right], best_sq[child], best_label[child]
            ):
                child = right
            if not pair_above(best_sq[child], best_label[child], sq, label):
                break
            best_sq[position] = best_sq[child]
            best_label[position] = best_label[child]
            position = child
        best_sq[position] = sq
        best_label[position] = label
        return count
    # Append and sift up.
    position = count
    while position > 0:
        parent = (position - 1) // 2
        if not pair_above(sq, label, best_sq[parent], best_label[parent]):
            break
        best_sq[position] = best_sq[parent]
        best_label[position] = best_label[parent]
        position = parent
    best_sq[position] = sq
    best_label[position] = label
    return count + 1


# A node is pruned only when its bound exceeds the k-th squared distance by this relative margin:
# a safety margin on top of the bounds' exact rounding (see :func:`box_sq`), so that no tie is
# ever missed.
_PRUNE_MARGIN = 1.0 + 1e-10


@_jit()
def _stack_roots(
    lo: Any, hi: Any, roots: int, queries: Any, q: int, stack: Any, stack_sq: Any
) -> int:
    """Stack the kNN walk's starting nodes, the ``roots`` nodes of level r = depth mod 3 (whose
    subtrees are wide nodes down to the leaves), farthest first; returns the stack's size.
    A call rather than inlined: kept out of the walk's body."""
    for c in range(roots):
        bound = box_sq(lo, hi, roots - 1 + c, queries, q, False)
        _insert_decreasing(stack_sq, stack, c, bound, roots - 1 + c)
    return roots


@_jit(inline=True)
def _insert_decreasing(bounds: Any, nodes: Any, size: int, bound: float, node: int) -> None:
    """Insert (bound, node) into the first ``size`` entries, kept by decreasing bound."""
    position = size
    while position > 0 and bounds[position - 1] < bound:
        bounds[position] = bounds[position - 1]
        nodes[position] = nodes[position - 1]
        position -= 1
    bounds[position] = bound
    nodes[position] = node


@_jit(inline=True)
def offer_points(
    scratch: Any, w: int, labels: Any, s: int, excluded: int, best_sq: Any, best_label: Any,
    count: int, capacity: int, limit: float,
) -> tuple[int, float]:  # fmt: skip
    """Offer the w points at positions s.. (their squared distances in ``scratch``, their labels
    in ``labels``) to the heap of the ``capacity`` smallest pairs, skipping ``excluded`` and any
    point beyond ``limit``; returns the heap's size and the limit, which becomes the k-th
    distance (with :data:`_PRUNE_MARGIN`) once the heap is full."""
    for t in range(w):
        sq = scratch[t]
        if sq > limit or (count == capacity and sq > best_sq[0]):
            continue
        label = labels[s + t]
        if label == excluded:
            continue
        count = _insert(best_sq, best_label, count, capacity, sq, label)
        if count == capacity:
            limit = best_sq[0] * _PRUNE_MARGIN
    return count, limit


@_jit()
def _walk_knn(
    labels: Any,
    start: Any,
    stop: Any,
    lo: Any,
    hi: Any,
    boxes: Any,
    wide_of: Any,
    first_leaf: int,
    roots: int,
    queries: Any,
    q: int,
    excluded: int,
    best_sq: Any,
    best_label: Any,
    capacity: int,
    stack: Any,
    stack_sq: Any,
    columns: Any,
    scratch: Any,
    acc: Any,
    bounds: Any,
    order_sq: Any,
    order_node: Any,
    guess: float,
) -> int:
    """The ``capacity`` lexicographically smallest (squared distance, label) pairs of query q
    among the points within squared distance ``guess`` (inf: all points); returns how many it
    found (fewer than ``capacity`` when fewer lie within ``guess``).

    Depth-first through the wide nodes (:func:`kdtree_build.wide_nodes`): at each, the distances
    to its 8 descendants' boxes are computed in one loop; those within the k-th distance are
    stacked farthest first, with their bounds, and the nearest is visited next (a stacked node
    is skipped when popped if the k-th distance has since dropped below its bound). A leaf's
    distances are computed in one SIMD loop; the pairs are kept in a max-heap (``best_*``,
    unsorted: sort them after).
    """
    dim = columns.shape[0]
    count = 0
    limit = guess
    top = 0
    node = 0
    if roots > 1:
        top = _stack_roots(lo, hi, roots, queries, q, stack, stack_sq)
        node = -1
    while True:
        if node >= first_leaf:
            s = start[node]
            if dim == 5:
                leaf_sq_5(columns, s, stop[node] - s, queries, q, scratch)
            else:
                leaf_sq_call(columns, s, stop[node], queries, q, scratch, acc)
            count, limit = offer_points(
                scratch, stop[node] - s, labels, s, excluded, best_sq, best_label, count,
                capacity, limit,
            )  # fmt: skip
            node = -1
        elif node >= 0:
            child = WIDE_FANOUT * node + WIDE_FANOUT - 1
            wide_bounds(boxes, lo, hi, wide_of[node], child, queries, q, bounds)
            # The descendants within reach, by decreasing bound (insertion sort of at most 8).
            kept = 0
            for c in range(WIDE_FANOUT):
                bound = bounds[c]
                if bound <= limit:
                    _insert_decreasing(order_sq, order_node, kept, bound, child + c)
                    kept += 1
            node = -1
            if kept:
                for c in range(kept - 1):
                    stack[top] = order_node[c]
                    stack_sq[top] = order_sq[c]
                    top += 1
                node = order_node[kept - 1]
        while node < 0 and top > 0:
            top -= 1
            if stack_sq[top] <= limit:
                node = stack[top]
        if node < 0:
            return count


@_jit()
def _raw_row(
    best_sq: Any, best_label: Any, count: int, k: int, out_d: Any, out_i: Any, row: int
) -> None:
    """Write the k smallest distances (and their labels) as they are, without the tie rule."""
    for t in range(min(k, count)):
        out_d[row, t] = math.sqrt(best_sq[t])
        out_i[row, t] = best_label[t]


@_jit(parallel=True)
def knn_tree(
    points: Any,
    columns: Any,
    leaf: int,
    labels: Any,
    start: Any,
    stop: Any,
    lo: Any,
    hi: Any,
    boxes: Any,
    wide_of: Any,
    depth: int,
    queries: Any,
    exclude: Any,
    rows: Any,
    k: int,
    ties: bool,
    guess_factor: float,
    out_d: Any,
    out_i: Any,
) -> None:
    """k nearest tree points of every query (tree walk), written to output row ``rows[q]``.

    With ``ties`` the tolerant lowest-label rule picks the neighbours; without it the k
    smallest distances are returned as computed (distance-only queries).

    With ``guess_factor`` > 0 the queries come in spatial order (each near the one before):
    each walk starts from the previous query's squared k-th distance times the factor, so that
    it visits fewer leaves and keeps fewer points on the way; when fewer points than it keeps
    (k + 1 with ``ties``, else k) lie within that guess, the query walks again without it.
    Either way the walk returns the same smallest pairs, so the neighbours are the same.
    """
    m = queries.shape[0]
    # One more than k detects a tie straddling the k-th distance; distance-only queries need k.
    capacity = k + 1 if ties else k
    first_leaf = 2**depth - 1
    # The walk's roots: the 2**r nodes of level r = depth mod 3 (wide nodes below them).
    roots = 2 ** (depth % WIDE_LEVELS)
    for block in prange((m + QUERY_BLOCK - 1) // QUERY_BLOCK):
        best_sq = np.empty(capacity)
        best_label = np.empty(capacity, dtype=np.int64)
        tied_d = np.empty(k)
        tied_label = np.empty(k, dtype=np.int64)
        # The kNN walk stacks up to 4 roots and 7 nodes per wide level; the tie walk 2 per level.
        stack = np.empty(8 * depth + 16, dtype=np.int64)
        stack_sq = np.empty(8 * depth + 16)
        scratch = np.empty(leaf)
        acc = np.empty((4, leaf))
        bounds = np.empty(WIDE_FANOUT)
        order_sq = np.empty(WIDE_FANOUT)
        order_node = np.empty(WIDE_FANOUT, dtype=np.int64)
        guess = INF
        for q in range(block * QUERY_BLOCK, min(m, (block + 1) * QUERY_BLOCK)):
            excluded = exclude[q] if exclude.shape[0] else -1
            row = rows[q] if rows.shape[0] else q
            reach = guess
            while True:
                count = _walk_knn(
                    labels, start, stop, lo, hi, boxes, wide_of, first_leaf, roots, queries, q,
                    excluded, best_sq, best_label, capacity, stack, stack_sq, columns, scratch,
                    acc, bounds, order_sq, order_node, reach,
                )  # fmt: skip
                if count == capacity or reach == INF:
                    break
                reach = INF  # too few points within the guess: walk again without it
            # The next query, near this one in space, starts from this one's k-th distance.
            guess = best_sq[0] * guess_factor if count == capacity and guess_factor > 0 else INF
            sort_pairs(best_sq, best_label, count)
            if ties:
                resolve_row(
                    points, labels, start, stop, lo, hi, first_leaf, queries, q, excluded,
                    best_sq, best_label, count, k, tied_d, tied_label, stack, out_d, out_i, row,
                )  # fmt: skip
            else:
                _raw_row(best_sq, best_label, count, k, out_d, out_i, row)


@_jit(parallel=True)
def knn_brute(
    points: Any,
    labels: Any,
    start: Any,
    stop: Any,
    lo: Any,
    hi: Any,
    queries: Any,
    exclude: Any,
    rows: Any,
    k: int,
    ties: bool,
    out_d: Any,
    out_i: Any,
) -> None:
    """Blocked brute force: blocks of queries scan blocks of points, keeping a running top k+1."""
    n = points.shape[0]
    m = queries.shape[0]
    # One more than k detects a tie straddling the k-th distance; distance-only queries need k.
    capacity = k + 1 if ties else k
    for block in prange((m + QUERY_BLOCK - 1) // QUERY_BLOCK):
        first = block * QUERY_BLOCK
        size = min(m, first + QUERY_BLOCK) - first
        best_sq = np.empty((size, capacity))
        best_label = np.empty((size, capacity), dtype=np.int64)
        counts = np.zeros(size, dtype=np.int64)
        tied_d = np.empty(k)
        tied_label = np.empty(k, dtype=np.int64)
        stack = np.empty(4, dtype=np.int64)
        for p0 in range(0, n, _POINT_BLOCK):
            p1 = min(n, p0 + _POINT_BLOCK)
            for t in range(size):
                q = first + t
                excluded = exclude[q] if exclude.shape[0] else -1
                count = counts[t]
                worst = best_sq[t, 0] if count == capacity else INF
                for p in range(p0, p1):
                    sq = point_sq(points, p, queries, q)
                    if sq > worst:
                        continue
                    label = labels[p]
                    if label == excluded:
                        continue
                    count = _insert(best_sq[t], best_label[t], count, capacity, sq, label)
                    if count == capacity:
                        worst = best_sq[t, 0]
                counts[t] = count
        for t in range(size):
            q = first + t
            excluded = exclude[q] if exclude.shape[0] else -1
            row = rows[q] if rows.shape[0] else q
            sort_pairs(best_sq[t], best_label[t], counts[t])
            # The root as the only leaf: the tie walk scans every point.
            if ties:
                resolve_row(
                    points, labels, start, stop, lo, hi, 0, queries, q, excluded,
                    best_sq[t], best_label[t], counts[t], k, tied_d, tied_label, stack,
                    out_d, out_i, row,
                )  # fmt: skip
            else:
                _raw_row(best_sq[t], best_label[t], counts[t], k, out_d, out_i, row)
