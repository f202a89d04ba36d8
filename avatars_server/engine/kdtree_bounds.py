"""The distances and bounds every exact neighbour search walks its KD-tree with (the numba
kernels of :mod:`avatars_server.engine.kdtree_kernels` and
:mod:`avatars_server.engine.kdtree_radius`).

Every distance and bound is summed like cKDTree's squared distance: below 8 dimensions a plain
running sum; from 8 on, four running sums over blocks of four coordinates, added together, then
the remaining coordinates. A box's bound is summed like a point's distance, so that it never
exceeds (min) or falls below (max) the computed distance of a point inside the box.
"""

from __future__ import annotations

import math
from typing import Any

from avatars_server.engine.jit import jit as _jit

# Queries per parallel task.
QUERY_BLOCK = 64
INF = math.inf


@_jit(inline=True)
def _sq_fixed(points: Any, p: int, queries: Any, q: int, dim: int) -> float:
    s = 0.0
    for j in range(dim):
        u = points[p, j] - queries[q, j]
        s += u * u
    return s


@_jit(inline=True)
def point_sq(points: Any, p: int, queries: Any, q: int) -> float:
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
def box_sq(lo: Any, hi: Any, node: int, queries: Any, q: int, far: bool) -> float:
    """Squared distance from ``queries[q]`` to the node's box (min, or max with ``far``).

    Summed like :func:`point_sq`, so that the bound never exceeds (min) or falls below (max)
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
def _leaf_sq_fixed(columns: Any, s: int, w: int, queries: Any, q: int, out: Any, dim: int) -> None:
    """:func:`leaf_sq` below 8 dimensions; inlined with a constant ``dim`` at each call site
    so that the loop over coordinates unrolls and the loop over points runs in SIMD lanes."""
    for u in range(w):
        total = 0.0
        for j in range(dim):
            v = columns[j, s + u] - queries[q, j]
            total += v * v
        out[u] = total


@_jit(inline=True)
def leaf_sq_5(columns: Any, s: int, w: int, queries: Any, q: int, out: Any) -> None:
    """:func:`leaf_sq` in 5 dimensions (the default ncp), written out: the fastest form."""
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
def leaf_sq_3(columns: Any, s: int, w: int, queries: Any, q: int, out: Any) -> None:
    """:func:`leaf_sq` in 3 dimensions (the time series' metric spaces)."""
    _leaf_sq_fixed(columns, s, w, queries, q, out, 3)


@_jit(inline=True)
def leaf_sq(columns: Any, s: int, e: int, queries: Any, q: int, out: Any, acc: Any) -> None:
    """Squared distances from ``queries[q]`` to the points at positions s..e-1, into ``out``.

    ``columns`` holds the points by coordinate (dim, n), so that the loops over points run
    on contiguous memory in SIMD lanes; each point's sum keeps :func:`point_sq`'s order.
    """
    dim = columns.shape[0]
    w = e - s
    if dim == 5:
        leaf_sq_5(columns, s, w, queries, q, out)
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


@_jit()
def leaf_sq_call(columns: Any, s: int, e: int, queries: Any, q: int, out: Any, acc: Any) -> None:
    """:func:`leaf_sq` as a call rather than inlined: the kNN walk's path for other dimensions
    than 5, kept out of its body (inlined there, the unused path made the 5-dimension walk
    about 7 % slower, measured)."""
    leaf_sq(columns, s, e, queries, q, out, acc)


@_jit(inline=True)
def _sibling_boxes_fixed(lo: Any, hi: Any, left: int, queries: Any, q: int, dim: int) -> Any:
    """:func:`sibling_boxes` below 8 dimensions, with a constant ``dim`` at each call site."""
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
def sibling_boxes(lo: Any, hi: Any, left: int, queries: Any, q: int) -> Any:
    """Squared distances from ``queries[q]`` to the boxes of nodes ``left`` and ``left + 1``,
    each summed as :func:`box_sq` sums it (one loop for both, unrolled for the usual dims)."""
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
    return box_sq(lo, hi, left, queries, q, False), box_sq(lo, hi, left + 1, queries, q, False)


# Binary levels merged into one node of the kNN walk: a wide node holds the boxes of its
# 2**3 = 8 descendants three levels down, by coordinate, so that one loop bounds all eight.
# Of 2, 4 and 8 children, 8 was fastest (1M bench coordinates, one thread, 200k queries: 5.47
# against 5.65 and 6.42 µs per query with 4 and 2).
WIDE_LEVELS = 3
WIDE_FANOUT = 2**WIDE_LEVELS


@_jit(inline=True)
def _gap_sq(low: float, high: float, x: float) -> float:
    """Squared distance from x to the interval [low, high] (as :func:`_gap` squared), in two-way
    selects: the form the vectorizer packs (:func:`_wide_bounds_fixed`). :func:`_gap` keeps its
    three-way ``max``: the binary walks' sibling boxes measured slower in this form."""
    u = low - x
    v = x - high
    u = u if u > v else v
    u = u if u > 0.0 else 0.0
    return u * u


@_jit(inline=True)
def _wide_bounds_fixed(boxes: Any, w: int, queries: Any, q: int, out: Any, dim: int) -> None:
    """:func:`wide_bounds` below 8 dimensions, with a constant ``dim`` at each call site.

    Eight running sums in locals and two-way selects: the form LLVM's SLP vectorizer
    (:mod:`avatars_server.engine.jit`) packs into SIMD lanes, four boxes at a time. Written as a
    loop over the boxes with a three-way ``max`` and the sums in ``out``, it stayed scalar.
    """
    b0 = b1 = b2 = b3 = b4 = b5 = b6 = b7 = 0.0
    for j in range(dim):
        x = queries[q, j]
        low = boxes[w, 0, j]
        high = boxes[w, 1, j]
        b0 += _gap_sq(low[0], high[0], x)
        b1 += _gap_sq(low[1], high[1], x)
        b2 += _gap_sq(low[2], high[2], x)
        b3 += _gap_sq(low[3], high[3], x)
        b4 += _gap_sq(low[4], high[4], x)
        b5 += _gap_sq(low[5], high[5], x)
        b6 += _gap_sq(low[6], high[6], x)
        b7 += _gap_sq(low[7], high[7], x)
    out[0] = b0
    out[1] = b1
    out[2] = b2
    out[3] = b3
    out[4] = b4
    out[5] = b5
    out[6] = b6
    out[7] = b7


@_jit(inline=True)
def wide_bounds(
    boxes: Any, lo: Any, hi: Any, w: int, first: int, queries: Any, q: int, out: Any
) -> None:
    """Squared distances from ``queries[q]`` to the boxes of the 8 nodes ``first``.. ``first + 7``
    (the descendants of wide node ``w``), each summed as :func:`box_sq` sums it.

    Inlined for 5 dimensions (the default ncp); other dimensions go through a call, which keeps
    their code out of the walk's body (inlined, it slowed the 5-dimension walk by about 5 %).
    """
    if lo.shape[1] == 5:
        _wide_bounds_fixed(boxes, w, queries, q, out, 5)
    else:
        _wide_bounds_any(boxes, lo, hi, w, first, queries, q, out)


@_jit()
def _wide_bounds_any(
    boxes: Any, lo: Any, hi: Any, w: int, first: int, queries: Any, q: int, out: Any
) -> None:
    """:func:`wide_bounds` in any dimension."""
    dim = lo.shape[1]
    if dim == 2:
        _wide_bounds_fixed(boxes, w, queries, q, out, 2)
    elif dim == 3:
        _wide_bounds_fixed(boxes, w, queries, q, out, 3)
    elif dim == 4:
        _wide_bounds_fixed(boxes, w, queries, q, out, 4)
    elif dim < 8:
        _wide_bounds_fixed(boxes, w, queries, q, out, dim)
    else:
        for c in range(WIDE_FANOUT):
            out[c] = box_sq(lo, hi, first + c, queries, q, False)


@_jit(inline=True)
def descend(
    lo: Any,
    hi: Any,
    node: int,
    queries: Any,
    q: int,
    reach: float,
    stack: Any,
    stack_sq: Any,
    top: int,
) -> Any:
    """One step down from internal ``node``: both children's boxes measured in one loop, the
    farther stacked (with its bound) when within ``reach``. Returns (the nearer child, or -1
    when beyond ``reach``; its bound; the new stack top)."""
    left = 2 * node + 1
    bound_left, bound_right = sibling_boxes(lo, hi, left, queries, q)
    if bound_left <= bound_right:
        near, far, near_bound, far_bound = left, left + 1, bound_left, bound_right
    else:
        near, far, near_bound, far_bound = left + 1, left, bound_right, bound_left
    if far_bound <= reach:
        stack[top] = far
        stack_sq[top] = far_bound
        top += 1
    return (near if near_bound <= reach else -1), near_bound, top
