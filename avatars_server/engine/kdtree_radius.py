"""The numba kernels of the exact radius searches: counts within a radius per query (hidden rate,
local cloaking) and the points within a distance (ties), over the trees of
:mod:`avatars_server.engine.kdtree_build` (see :mod:`avatars_server.engine.neighbours`).
Distances are summed as cKDTree sums them (:mod:`avatars_server.engine.kdtree_bounds`).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numba import prange

from avatars_server.engine.jit import jit as _jit
from avatars_server.engine.kdtree_bounds import (
    QUERY_BLOCK,
    box_sq,
    descend,
    leaf_sq_3,
    leaf_sq_5,
    leaf_sq_call,
    point_sq,
)


@_jit(inline=True)
def _count_below(scratch: Any, w: int, r2: float) -> int:
    """How many of the first w squared distances are <= r2: a branch-free loop that runs in
    SIMD lanes (most leaves a ball's surface crosses are scanned this way)."""
    n = 0
    for u in range(w):
        n += scratch[u] <= r2
    return n


@_jit(inline=True)
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
    fixed: int,
) -> Any:
    """:func:`count_within` for query q: (points with squared distance <= r2, whether a point
    lies at a distance < below). Both children's boxes are measured in one loop; only those
    that reach the ball are visited (the nearer first), the other stacked.

    Inlined with a constant ``fixed`` (5, 3, or 0 for any dimension) into one compiled walk per
    value (:func:`_count_5`, ...): each keeps only its own leaf code, since the code of other
    dimensions inlined in one walk slowed the others.
    """
    count = 0
    found = False
    near = box_sq(lo, hi, 0, queries, q, False)
    node = 0 if near <= r2 else -1
    top = 0
    while node >= 0:
        inside = box_sq(lo, hi, node, queries, q, True) <= r2
        if inside or node >= first_leaf:
            # The square root of the bound, as for points: monotone, never above theirs.
            look = not found and math.sqrt(near) < below
            if inside:
                count += stop[node] - start[node]
            if look or not inside:
                # In chunks of a leaf's size (a node inside the ball may be larger).
                for c in range(start[node], stop[node], leaf):
                    w = min(stop[node] - c, leaf)
                    if fixed == 5:
                        leaf_sq_5(columns, c, w, queries, q, scratch)
                    elif fixed == 3:
                        leaf_sq_3(columns, c, w, queries, q, scratch)
                    else:
                        leaf_sq_call(columns, c, c + w, queries, q, scratch, acc)
                    if look:
                        for u in range(w):
                            sq = scratch[u]
                            if not inside and sq <= r2:
                                count += 1
                            if look and math.sqrt(sq) < below:
                                found = True
                                look = False
                    elif not inside:
                        count += _count_below(scratch, w, r2)
                    if inside and not look:
                        break
            node = -1
        else:
            node, near, top = descend(lo, hi, node, queries, q, r2, stack, stack_sq, top)
        if node < 0 and top > 0:
            top -= 1
            node = stack[top]
            near = stack_sq[top]
    return count, found


@_jit()
def _count_5(
    columns: Any, leaf: int, start: Any, stop: Any, lo: Any, hi: Any, first_leaf: int,
    queries: Any, q: int, r2: float, below: float, stack: Any, stack_sq: Any, scratch: Any,
    acc: Any,
) -> Any:  # fmt: skip
    """:func:`_count_ball` compiled for 5 dimensions (the default ncp)."""
    return _count_ball(
        columns, leaf, start, stop, lo, hi, first_leaf, queries, q, r2, below, stack, stack_sq,
        scratch, acc, 5,
    )  # fmt: skip


@_jit()
def _count_3(
    columns: Any, leaf: int, start: Any, stop: Any, lo: Any, hi: Any, first_leaf: int,
    queries: Any, q: int, r2: float, below: float, stack: Any, stack_sq: Any, scratch: Any,
    acc: Any,
) -> Any:  # fmt: skip
    """:func:`_count_ball` compiled for 3 dimensions (the time series' metric spaces)."""
    return _count_ball(
        columns, leaf, start, stop, lo, hi, first_leaf, queries, q, r2, below, stack, stack_sq,
        scratch, acc, 3,
    )  # fmt: skip


@_jit()
def _count_any(
    columns: Any, leaf: int, start: Any, stop: Any, lo: Any, hi: Any, first_leaf: int,
    queries: Any, q: int, r2: float, below: float, stack: Any, stack_sq: Any, scratch: Any,
    acc: Any,
) -> Any:  # fmt: skip
    """:func:`_count_ball` for any dimension."""
    return _count_ball(
        columns, leaf, start, stop, lo, hi, first_leaf, queries, q, r2, below, stack, stack_sq,
        scratch, acc, 0,
    )  # fmt: skip


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
    m, dim = queries.shape
    first_leaf = 2**depth - 1
    for block in prange((m + QUERY_BLOCK - 1) // QUERY_BLOCK):
        stack = np.empty(depth + 1, dtype=np.int64)
        stack_sq = np.empty(depth + 1)
        scratch = np.empty(leaf)
        acc = np.empty((4, leaf))
        for q in range(block * QUERY_BLOCK, min(m, (block + 1) * QUERY_BLOCK)):
            args = (
                columns, leaf, start, stop, lo, hi, first_leaf, queries, q,
                radius[q] * radius[q], low[q], stack, stack_sq, scratch, acc,
            )  # fmt: skip
            if dim == 5:
                counts[q], closer[q] = _count_5(*args)
            elif dim == 3:
                counts[q], closer[q] = _count_3(*args)
            else:
                counts[q], closer[q] = _count_any(*args)


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
    for block in prange((m + QUERY_BLOCK - 1) // QUERY_BLOCK):
        stack = np.empty(2 * depth + 4, dtype=np.int64)
        for q in range(block * QUERY_BLOCK, min(m, (block + 1) * QUERY_BLOCK)):
            limit = high[q]
            count = 0
            stack[0] = 0
            top = 1
            while top > 0:
                top -= 1
                node = stack[top]
                if math.sqrt(box_sq(lo, hi, node, queries, q, False)) > limit:
                    continue
                if node >= first_leaf:
                    for p in range(start[node], stop[node]):
                        if math.sqrt(point_sq(points, p, queries, q)) <= limit:
                            if fill:
                                found[offsets[q] + count] = p
                            count += 1
                else:
                    stack[top] = 2 * node + 1
                    stack[top + 1] = 2 * node + 2
                    top += 2
            if not fill:
                offsets[q + 1] = count
