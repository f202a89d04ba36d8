"""The numba kernels of the exact neighbour searches: kNN walks, brute force and radius counts
over the trees that :mod:`avatars_server.engine.kdtree_build` stores as arrays (see
:mod:`avatars_server.engine.neighbours`, the interface every search of the engine goes through).

Compiled once and cached on disk. Distances are summed in the order of ``scipy.spatial.cKDTree``
and ties follow method.md §3.5 and §4, as the interface module describes.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numba import prange

from avatars_server.engine.jit import jit as _jit

TIE_TOLERANCE = 1e-9
# Queries per parallel task, and points per block of the brute force.
_QUERY_BLOCK = 64
_POINT_BLOCK = 1024
_INF = math.inf

# --------------------------------------------------------------------------------------------
# Kernels (numba). Every distance and bound is summed like cKDTree's squared distance: below 8
# dimensions a plain running sum; from 8 on, four running sums over blocks of four coordinates,
# added together, then the remaining coordinates.


@_jit(inline=True)
def _sq_fixed(points: Any, p: int, queries: Any, q: int, dim: int) -> float:
    s = 0.0
    for j in range(dim):
        u = points[p, j] - queries[q, j]
        s += u * u
    return s


@_jit(inline=True)
def _point_sq(points: Any, p: int, queries: Any, q: int) -> float:
    """Squared distance between ``points[p]`` and ``queries[q]``, in cKDTree's summation order."""
    dim = points.shape[1]
    # Constant trip counts let the compiler unroll the usual low dimensions.
    if dim == 5:
        return _sq_fixed(points, p, queries, q, 5)
    if dim == 2:
        return _sq_fixed(points, p, queries, q, 2)
    if dim == 3:
        return _sq_fixed(points, p, queries, q, 3)
    if dim == 4:
        return _sq_fixed(points, p, queries, q, 4)
    if dim < 8:
        return _sq_fixed(points, p, queries, q, dim)
    a0 = 0.0
    a1 = 0.0
    a2 = 0.0
    a3 = 0.0
    top = dim - dim % 4
    for j in range(0, top, 4):
        u0 = points[p, j] - queries[q, j]
        u1 = points[p, j + 1] - queries[q, j + 1]
        u2 = points[p, j + 2] - queries[q, j + 2]
        u3 = points[p, j + 3] - queries[q, j + 3]
        a0 += u0 * u0
        a1 += u1 * u1
        a2 += u2 * u2
        a3 += u3 * u3
    s = a0 + a1 + a2 + a3
    for j in range(top, dim):
        u = points[p, j] - queries[q, j]
        s += u * u
    return s


@_jit(inline=True)
def _gap(lo: Any, hi: Any, node: int, j: int, x: float, far: bool) -> float:
    """Distance along axis j from x to the node's box: nearest side, or farthest with ``far``."""
    if far:
        return float(max(x - lo[node, j], hi[node, j] - x))
    return float(max(0.0, lo[node, j] - x, x - hi[node, j]))


@_jit(inline=True)
def _box_sq(lo: Any, hi: Any, node: int, queries: Any, q: int, far: bool) -> float:
    """Squared distance from ``queries[q]`` to the node's box (min, or max with ``far``).

    Summed like :func:`_point_sq`, so that the bound never exceeds (min) or falls below (max)
    the computed distance of a point inside the box: rounding is monotone term by term.
    """
    dim = lo.shape[1]
    if dim < 8:
        s = 0.0
        for j in range(dim):
            u = _gap(lo, hi, node, j, queries[q, j], far)
            s += u * u
        return s
    a0 = 0.0
    a1 = 0.0
    a2 = 0.0
    a3 = 0.0
    top = dim - dim % 4
    for j in range(0, top, 4):
        u0 = _gap(lo, hi, node, j, queries[q, j], far)
        u1 = _gap(lo, hi, node, j + 1, queries[q, j + 1], far)
        u2 = _gap(lo, hi, node, j + 2, queries[q, j + 2], far)
        u3 = _gap(lo, hi, node, j + 3, queries[q, j + 3], far)
        a0 += u0 * u0
        a1 += u1 * u1
        a2 += u2 * u2
        a3 += u3 * u3
    s = a0 + a1 + a2 + a3
    for j in range(top, dim):
        u = _gap(lo, hi, node, j, queries[q, j], far)
        s += u * u
    return s


@_jit(inline=True)
def _above(sq_a: float, label_a: int, sq_b: float, label_b: int) -> bool:
    """Whether (sq_a, label_a) comes after (sq_b, label_b) in (distance, label) order."""
    return sq_a > sq_b or (sq_a == sq_b and label_a > label_b)


@_jit(inline=True)
def _insert(best_sq: Any, best_label: Any, count: int, capacity: int, sq: float, label: int) -> int:
    """Offer (sq, label) to the max-heap of the ``capacity`` smallest pairs; returns its size.

    The heap's root (index 0) is the largest pair kept: the current k-th neighbour.
    """
    if count == capacity:
        if not _above(best_sq[0], best_label[0], sq, label):
            return count
        # Replace the root and sift down.
        position = 0
        while True:
            child = 2 * position + 1
            if child >= capacity:
                break
            right = child + 1
            if right < capacity and _above(
                best_sq[right], best_label[right], best_sq[child], best_label[child]
            ):
                child = right
            if not _above(best_sq[child], best_label[child], sq, label):
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
        if not _above(sq, label, best_sq[parent], best_label[parent]):
            break
        best_sq[position] = best_sq[parent]
        best_label[position] = best_label[parent]
        position = parent
    best_sq[position] = sq
    best_label[position] = label
    return count + 1


@_jit()
def _sort_pairs(best_sq: Any, best_label: Any, count: int) -> None:
    """Sort the first ``count`` pairs by (distance, label) (insertion sort: count <= k + 1)."""
    for t in range(1, count):
        sq = best_sq[t]
        label = best_label[t]
        position = t
        while position > 0 and _above(best_sq[position - 1], best_label[position - 1], sq, label):
            best_sq[position] = best_sq[position - 1]
            best_label[position] = best_label[position - 1]
            position -= 1
        best_sq[position] = sq
        best_label[position] = label


@_jit(inline=True)
def _leaf_sq_fixed(columns: Any, s: int, w: int, queries: Any, q: int, out: Any, dim: int) -> None:
    """:func:`_leaf_sq` below 8 dimensions; inlined with a constant ``dim`` at each call site
    so that the loop over coordinates unrolls and the loop over points runs in SIMD lanes."""
    for u in range(w):
        total = 0.0
        for j in range(dim):
            v = columns[j, s + u] - queries[q, j]
            total += v * v
        out[u] = total


@_jit(inline=True)
def _leaf_sq_5(columns: Any, s: int, w: int, queries: Any, q: int, out: Any) -> None:
    """:func:`_leaf_sq` in 5 dimensions (the default ncp), written out: the fastest form."""
    x0 = queries[q, 0]
    x1 = queries[q, 1]
    x2 = queries[q, 2]
    x3 = queries[q, 3]
    x4 = queries[q, 4]
    c0 = columns[0, s : s + w]
    c1 = columns[1, s : s + w]
    c2 = columns[2, s : s + w]
    c3 = columns[3, s : s + w]
    c4 = columns[4, s : s + w]
    for u in range(w):
        v0 = c0[u] - x0
        v1 = c1[u] - x1
        v2 = c2[u] - x2
        v3 = c3[u] - x3
        v4 = c4[u] - x4
        out[u] = v0 * v0 + v1 * v1 + v2 * v2 + v3 * v3 + v4 * v4


@_jit(inline=True)
def _leaf_sq(columns: Any, s: int, e: int, queries: Any, q: int, out: Any, acc: Any) -> None:
    """Squared distances from ``queries[q]`` to the points at positions s..e-1, into ``out``.

    ``columns`` holds the points by coordinate (dim, n), so that the loops over points run
    on contiguous memory in SIMD lanes; each point's sum keeps :func:`_point_sq`'s order.
    """
    dim = columns.shape[0]
    w = e - s
    if dim == 5:
        _leaf_sq_5(columns, s, w, queries, q, out)
    elif dim == 2:
        _leaf_sq_fixed(columns, s, w, queries, q, out, 2)
    elif dim == 3:
        _leaf_sq_fixed(columns, s, w, queries, q, out, 3)
    elif dim == 4:
        _leaf_sq_fixed(columns, s, w, queries, q, out, 4)
    elif dim == 6:
        _leaf_sq_fixed(columns, s, w, queries, q, out, 6)
    elif dim == 7:
        _leaf_sq_fixed(columns, s, w, queries, q, out, 7)
    elif dim < 8:
        _leaf_sq_fixed(columns, s, w, queries, q, out, dim)
    else:
        top = dim - dim % 4
        for r in range(4):
            for t in range(w):
                acc[r, t] = 0.0
        for j0 in range(0, top, 4):
            for r in range(4):
                x = queries[q, j0 + r]
                for t in range(w):
                    u = columns[j0 + r, s + t] - x
                    acc[r, t] += u * u
        for t in range(w):
            out[t] = acc[0, t] + acc[1, t] + acc[2, t] + acc[3, t]
        for j in range(top, dim):
            x = queries[q, j]
            for t in range(w):
                u = columns[j, s + t] - x
                out[t] += u * u


# A node is pruned only when its bound exceeds the k-th squared distance by this relative margin:
# a safety margin on top of the bounds' exact rounding (see :func:`_box_sq`), so that no tie is
# ever missed.
_PRUNE_MARGIN = 1.0 + 1e-10


@_jit(inline=True)
def _sibling_boxes_fixed(lo: Any, hi: Any, left: int, queries: Any, q: int, dim: int) -> Any:
    """:func:`_sibling_boxes` below 8 dimensions, with a constant ``dim`` at each call site."""
    a = 0.0
    b = 0.0
    for j in range(dim):
        x = queries[q, j]
        u = max(0.0, lo[left, j] - x, x - hi[left, j])
        v = max(0.0, lo[left + 1, j] - x, x - hi[left + 1, j])
        a += u * u
        b += v * v
    return a, b


@_jit(inline=True)
def _sibling_boxes(lo: Any, hi: Any, left: int, queries: Any, q: int) -> Any:
    """Squared distances from ``queries[q]`` to the boxes of nodes ``left`` and ``left + 1``,
    each summed as :func:`_box_sq` sums it (one loop for both, unrolled for the usual dims)."""
    dim = lo.shape[1]
    if dim == 5:
        return _sibling_boxes_fixed(lo, hi, left, queries, q, 5)
    if dim == 2:
        return _sibling_boxes_fixed(lo, hi, left, queries, q, 2)
    if dim == 3:
        return _sibling_boxes_fixed(lo, hi, left, queries, q, 3)
    if dim == 4:
        return _sibling_boxes_fixed(lo, hi, left, queries, q, 4)
    if dim < 8:
        return _sibling_boxes_fixed(lo, hi, left, queries, q, dim)
    return _box_sq(lo, hi, left, queries, q, False), _box_sq(lo, hi, left + 1, queries, q, False)


@_jit()
def _walk_knn(
    labels: Any,
    start: Any,
    stop: Any,
    lo: Any,
    hi: Any,
    first_leaf: int,
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
) -> int:
    """The ``capacity`` lexicographically smallest (squared distance, label) pairs of query q.

    Depth-first: at each node, the distances to both children's tight bounding boxes are
    computed in one loop; the walk goes down into the nearer child and stacks the farther one
    with its bound, skipped when popped if the k-th distance has since dropped below it. A
    leaf's distances are computed in one SIMD loop; the pairs are kept in a max-heap
    (``best_*``, unsorted: sort them after). The stack holds at most one frame per level.
    """
    dim = columns.shape[0]
    count = 0
    limit = _INF
    node = 0
    top = 0
    while True:
        if node >= first_leaf:
            s = start[node]
            if dim == 5:
                _leaf_sq_5(columns, s, stop[node] - s, queries, q, scratch)
            else:
                _leaf_sq(columns, s, stop[node], queries, q, scratch, acc)
            for t in range(stop[node] - s):
                sq = scratch[t]
                if sq > limit or (count == capacity and sq > best_sq[0]):
                    continue
                label = labels[s + t]
                if label == excluded:
                    continue
                count = _insert(best_sq, best_label, count, capacity, sq, label)
                if count == capacity:
                    limit = best_sq[0] * _PRUNE_MARGIN
            node = -1
        else:
            left = 2 * node + 1
            bound_left, bound_right = _sibling_boxes(lo, hi, left, queries, q)
            if bound_left <= bound_right:
                node, far, near_bound, far_bound = left, left + 1, bound_left, bound_right
            else:
                node, far, near_bound, far_bound = left + 1, left, bound_right, bound_left
            if far_bound <= limit:
                stack[top] = far
                stack_sq[top] = far_bound
                top += 1
            if near_bound > limit:
                node = -1
        while node < 0 and top > 0:
            top -= 1
            if stack_sq[top] <= limit:
                node = stack[top]
        if node < 0:
            return count


@_jit()
def _walk_tied(
    points: Any,
    labels: Any,
    start: Any,
    stop: Any,
    lo: Any,
    hi: Any,
    first_leaf: int,
    queries: Any,
    q: int,
    excluded: int,
    low: float,
    high: float,
    tied_d: Any,
    tied_label: Any,
    room: int,
    stack: Any,
) -> int:
    """Among points with low <= distance <= high, the ``room`` lowest labels (sorted by label)."""
    count = 0
    stack[0] = 0
    top = 1
    while top > 0:
        top -= 1
        node = stack[top]
        # The square root of the bound, as for points: monotone, so never above theirs.
        if math.sqrt(_box_sq(lo, hi, node, queries, q, False)) > high:
            continue
        if node >= first_leaf:
            for p in range(start[node], stop[node]):
                d = math.sqrt(_point_sq(points, p, queries, q))
                if d > high or d < low:
                    continue
                label = labels[p]
                if label == excluded:
                    continue
                if count == room and label > tied_label[room - 1]:
                    continue
                # Sorted insertion by label (labels are distinct).
                if count < room:
                    position = count
                    count += 1
                else:
                    position = room - 1
                while position > 0 and tied_label[position - 1] > label:
                    tied_label[position] = tied_label[position - 1]
                    tied_d[position] = tied_d[position - 1]
                    position -= 1
                tied_label[position] = label
                tied_d[position] = d
        else:
            stack[top] = 2 * node + 1
            stack[top + 1] = 2 * node + 2
            top += 2
    return count


@_jit()
def _finish_row(
    best_d: Any, best_label: Any, count: int, k: int, out_d: Any, out_i: Any, q: int
) -> None:
    """Write the k chosen pairs to output row q, sorted by (distance, label) (insertion sort)."""
    for t in range(min(k, count)):
        d = best_d[t]
        label = best_label[t]
        position = t
        while position > 0 and (
            out_d[q, position - 1] > d
            or (out_d[q, position - 1] == d and out_i[q, position - 1] > label)
        ):
            out_d[q, position] = out_d[q, position - 1]
            out_i[q, position] = out_i[q, position - 1]
            position -= 1
        out_d[q, position] = d
        out_i[q, position] = label


@_jit()
def _raw_row(
    best_sq: Any, best_label: Any, count: int, k: int, out_d: Any, out_i: Any, row: int
) -> None:
    """Write the k smallest distances (and their labels) as they are, without the tie rule."""
    for t in range(min(k, count)):
        out_d[row, t] = math.sqrt(best_sq[t])
        out_i[row, t] = best_label[t]


@_jit()
def _resolve_row(
    points: Any,
    labels: Any,
    start: Any,
    stop: Any,
    lo: Any,
    hi: Any,
    first_leaf: int,
    queries: Any,
    q: int,
    excluded: int,
    best_sq: Any,
    best_label: Any,
    count: int,
    k: int,
    tied_d: Any,
    tied_label: Any,
    stack: Any,
    out_d: Any,
    out_i: Any,
    row: int,
) -> None:
    """Apply the tolerant lowest-label rule to row q and write its k neighbours.

    ``best_*`` hold the ``count`` (<= k + 1) smallest (sq, label) pairs. Pairs below the
    tie window are kept; the window [b − tol, b + tol] around the k-th distance b is filled
    with its lowest labels, searched again over the whole tree when the (k + 1)-th pair is in
    the window (a tied point may not have been collected).
    """
    for t in range(count):
        best_sq[t] = math.sqrt(best_sq[t])
    if count <= k:
        _finish_row(best_sq, best_label, count, k, out_d, out_i, row)
        return
    boundary = best_sq[k - 1]
    tol = TIE_TOLERANCE * max(1.0, boundary)
    low = boundary - tol
    high = boundary + tol
    below = 0
    while below < k and best_sq[below] < low:
        below += 1
    room = k - below
    if best_sq[k] > high:
        # Every point beyond the buffer is beyond the window: the tied points are the pairs
        # below..k-1, exactly ``room`` of them, all chosen.
        _finish_row(best_sq, best_label, k, k, out_d, out_i, row)
        return
    found = _walk_tied(
        points, labels, start, stop, lo, hi, first_leaf, queries, q, excluded, low, high,
        tied_d, tied_label, room, stack,
    )  # fmt: skip
    for t in range(found):
        best_sq[below + t] = tied_d[t]
        best_label[below + t] = tied_label[t]
    _finish_row(best_sq, best_label, below + found, k, out_d, out_i, row)


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
    depth: int,
    queries: Any,
    exclude: Any,
    rows: Any,
    k: int,
    ties: bool,
    out_d: Any,
    out_i: Any,
) -> None:
    """k nearest tree points of every query (tree walk), written to output row ``rows[q]``.

    With ``ties`` the tolerant lowest-label rule picks the neighbours; without it the k
    smallest distances are returned as computed (distance-only queries).
    """
    m = queries.shape[0]
    # One more than k detects a tie straddling the k-th distance; distance-only queries need k.
    capacity = k + 1 if ties else k
    first_leaf = 2**depth - 1
    for block in prange((m + _QUERY_BLOCK - 1) // _QUERY_BLOCK):
        best_sq = np.empty(capacity)
        best_label = np.empty(capacity, dtype=np.int64)
        tied_d = np.empty(k)
        tied_label = np.empty(k, dtype=np.int64)
        stack = np.empty(2 * depth + 4, dtype=np.int64)
        stack_sq = np.empty(depth + 1)
        scratch = np.empty(leaf)
        acc = np.empty((4, leaf))
        for q in range(block * _QUERY_BLOCK, min(m, (block + 1) * _QUERY_BLOCK)):
            excluded = exclude[q] if exclude.shape[0] else -1
            row = rows[q] if rows.shape[0] else q
            count = _walk_knn(
                labels, start, stop, lo, hi, first_leaf, queries, q, excluded, best_sq,
                best_label, capacity, stack, stack_sq, columns, scratch, acc,
            )  # fmt: skip
            _sort_pairs(best_sq, best_label, count)
            if ties:
                _resolve_row(
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
    for block in prange((m + _QUERY_BLOCK - 1) // _QUERY_BLOCK):
        first = block * _QUERY_BLOCK
        size = min(m, first + _QUERY_BLOCK) - first
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
                worst = best_sq[t, 0] if count == capacity else _INF
                for p in range(p0, p1):
                    sq = _point_sq(points, p, queries, q)
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
            _sort_pairs(best_sq[t], best_label[t], counts[t])
            # The root as the only leaf: the tie walk scans every point.
            if ties:
                _resolve_row(
                    points, labels, start, stop, lo, hi, 0, queries, q, excluded,
                    best_sq[t], best_label[t], counts[t], k, tied_d, tied_label, stack,
                    out_d, out_i, row,
                )  # fmt: skip
            else:
                _raw_row(best_sq[t], best_label[t], counts[t], k, out_d, out_i, row)


@_jit()
def _count_ball(
    columns: Any,
    leaf: int,
    start: Any,
    stop: Any,
    lo: Any,
    hi: Any,
    first_leaf: int,
    queries: Any,
    q: int,
    r2: float,
    below: float,
    stack: Any,
    stack_sq: Any,
    scratch: Any,
    acc: Any,
) -> Any:
    """:func:`count_within` for query q: (points with squared distance <= r2, whether a point
    lies at a distance < below). Both children's boxes are measured in one loop; only those
    that reach the ball are visited (the nearer first), the other stacked."""
    dim = columns.shape[0]
    count = 0
    found = False
    near = _box_sq(lo, hi, 0, queries, q, False)
    node = 0 if near <= r2 else -1
    top = 0
    while node >= 0:
        inside = _box_sq(lo, hi, node, queries, q, True) <= r2
        if inside or node >= first_leaf:
            # The square root of the bound, as for points: monotone, never above theirs.
            look = not found and math.sqrt(near) < below
            if inside:
                count += stop[node] - start[node]
            if look or not inside:
                # In chunks of a leaf's size (a node inside the ball may be larger).
                for c in range(start[node], stop[node], leaf):
                    w = min(stop[node] - c, leaf)
                    if dim == 5:
                        _leaf_sq_5(columns, c, w, queries, q, scratch)
                    else:
                        _leaf_sq(columns, c, c + w, queries, q, scratch, acc)
                    for u in range(w):
                        sq = scratch[u]
                        if not inside and sq <= r2:
                            count += 1
                        if look and math.sqrt(sq) < below:
                            found = True
                            look = False
                    if inside and not look:
                        break
            node = -1
        else:
            left = 2 * node + 1
            bound_left, bound_right = _sibling_boxes(lo, hi, left, queries, q)
            if bound_left <= bound_right:
                node, other, near, other_near = left, left + 1, bound_left, bound_right
            else:
                node, other, near, other_near = left + 1, left, bound_right, bound_left
            if other_near <= r2:
                stack[top] = other
                stack_sq[top] = other_near
                top += 1
            if near > r2:
                node = -1
        if node < 0 and top > 0:
            top -= 1
            node = stack[top]
            near = stack_sq[top]
    return count, found


@_jit(parallel=True)
def count_within(
    columns: Any,
    leaf: int,
    start: Any,
    stop: Any,
    lo: Any,
    hi: Any,
    depth: int,
    queries: Any,
    radius: Any,
    low: Any,
    counts: Any,
    closer: Any,
) -> None:
    """Per query: points with squared distance <= radius², and whether a point lies at a
    distance < low[q].

    Like cKDTree's ``query_ball_point``, the count compares squared distances with
    radius * radius; whole nodes inside the ball are counted without visiting their points,
    which are scanned only while no point closer than ``low`` has been found and the node's
    box reaches below it (and then only until one is found).
    """
    m = queries.shape[0]
    first_leaf = 2**depth - 1
    for block in prange((m + _QUERY_BLOCK - 1) // _QUERY_BLOCK):
        stack = np.empty(depth + 1, dtype=np.int64)
        stack_sq = np.empty(depth + 1)
        scratch = np.empty(leaf)
        acc = np.empty((4, leaf))
        for q in range(block * _QUERY_BLOCK, min(m, (block + 1) * _QUERY_BLOCK)):
            counts[q], closer[q] = _count_ball(
                columns, leaf, start, stop, lo, hi, first_leaf, queries, q,
                radius[q] * radius[q], low[q], stack, stack_sq, scratch, acc,
            )  # fmt: skip


@_jit(parallel=True)
def within(
    points: Any,
    start: Any,
    stop: Any,
    lo: Any,
    hi: Any,
    depth: int,
    queries: Any,
    high: Any,
    offsets: Any,
    found: Any,
) -> None:
    """Tree positions of the points at distance <= high[q] of each query.

    With an empty ``found``, writes each query's count to ``offsets[q + 1]``; otherwise writes
    the positions of query q to ``found[offsets[q]:offsets[q + 1]]``.
    """
    m = queries.shape[0]
    first_leaf = 2**depth - 1
    fill = found.shape[0] > 0
    for block in prange((m + _QUERY_BLOCK - 1) // _QUERY_BLOCK):
        stack = np.empty(2 * depth + 4, dtype=np.int64)
        for q in range(block * _QUERY_BLOCK, min(m, (block + 1) * _QUERY_BLOCK)):
            limit = high[q]
            count = 0
            stack[0] = 0
            top = 1
            while top > 0:
                top -= 1
                node = stack[top]
                if math.sqrt(_box_sq(lo, hi, node, queries, q, False)) > limit:
                    continue
                if node >= first_leaf:
                    for p in range(start[node], stop[node]):
                        if math.sqrt(_point_sq(points, p, queries, q)) <= limit:
                            if fill:
                                found[offsets[q] + count] = p
                            count += 1
                else:
                    stack[top] = 2 * node + 1
                    stack[top + 1] = 2 * node + 2
                    top += 2
            if not fill:
                offsets[q + 1] = count
