"""The tie rule of the exact kNN searches (method.md §3.5 and §4): from a query's k + 1 smallest
(squared distance, label) pairs, collected by :mod:`avatars_server.engine.kdtree_kernels`, the k
neighbours, where distances within the tolerance of the k-th count as tied and the lowest labels
among the tied points are chosen, searched again over the tree when the tie straddles the k-th;
and that (distance, label) order itself, which the kNN kernels keep their pairs in.
"""

from __future__ import annotations

import math
from typing import Any

from avatars_server.engine.jit import jit as _jit
from avatars_server.engine.kdtree_bounds import box_sq, point_sq

# Two distances are tied when they differ by at most this times max(1, d).
TIE_TOLERANCE = 1e-9


@_jit(inline=True)
def pair_above(sq_a: float, label_a: int, sq_b: float, label_b: int) -> bool:
    """Whether (sq_a, label_a) comes after (sq_b, label_b) in (distance, label) order."""
    return sq_a > sq_b or (sq_a == sq_b and label_a > label_b)


@_jit()
def sort_pairs(best_sq: Any, best_label: Any, count: int) -> None:
    """Sort the first ``count`` pairs by (distance, label), distances squared or not (insertion
    sort: count <= k + 1)."""
    for t in range(1, count):
        sq = best_sq[t]
        label = best_label[t]
        position = t
        while position > 0 and pair_above(
            best_sq[position - 1], best_label[position - 1], sq, label
        ):
            best_sq[position] = best_sq[position - 1]
            best_label[position] = best_label[position - 1]
            position -= 1
        best_sq[position] = sq
        best_label[position] = label


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
        if math.sqrt(box_sq(lo, hi, node, queries, q, False)) > high:
            continue
        if node >= first_leaf:
            for p in range(start[node], stop[node]):
                d = math.sqrt(point_sq(points, p, queries, q))
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
    """Write the first min(k, count) pairs to output row q, sorted by (distance, label)."""
    n = min(k, count)
    sort_pairs(best_d, best_label, n)
    for t in range(n):
        out_d[q, t] = best_d[t]
        out_i[q, t] = best_label[t]


@_jit()
def resolve_row(
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
