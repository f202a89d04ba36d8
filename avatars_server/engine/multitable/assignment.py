"""The square linear sum assignment of the LSA link method, solved without holding the GIL.

``scipy.optimize.linear_sum_assignment`` holds the GIL for the whole solve, so the independent
blocks of method-extended §3.5 step 3 could not share the machine's cores. :func:`solve` is a
numba kernel (``nogil``) of the same algorithm, the shortest augmenting path method with dual
variables described by D. F. Crouse, "On implementing 2D rectangular assignment algorithms",
IEEE Trans. Aerospace and Electronic Systems 52(4), 2016 (pp. 1685-1686), which is the method
SciPy implements. It makes the same choices as SciPy wherever the optimum is not unique (the
order in which unvisited columns are scanned, the preference for a free column among equally
short paths, non-negative costs taken as they are) and evaluates every reduced cost in the same
order, so that its assignment is SciPy's, bit for bit (checked against the installed SciPy
1.17.1 by ``tests/unit/engine/test_assignment.py``, ties and repeated columns included).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from avatars_server.engine.jit import jit as _jit
from avatars_server.engine.table import FloatArray, IntArray


@_jit()
def _solve(cost: Any, col_of_row: Any) -> bool:  # pragma: no cover - compiled
    n = cost.shape[0]
    u = np.zeros(n)
    v = np.zeros(n)
    best = np.empty(n)  # a column's shortest path cost, recorded when the search reaches it
    came_from = np.full(n, -1, dtype=np.int64)  # previous row on that path, recorded then too
    row_of_col = np.full(n, -1, dtype=np.int64)
    seen_row = np.zeros(n, dtype=np.bool_)
    seen_col = np.zeros(n, dtype=np.bool_)
    # The columns not reached yet, packed at the front with what the scan reads of them, so
    # that the scan reads contiguous memory (only the cost row is read by column index).
    todo = np.empty(n, dtype=np.int64)
    todo_v = np.empty(n)
    todo_best = np.empty(n)
    todo_free = np.empty(n, dtype=np.bool_)
    todo_from = np.empty(n, dtype=np.int64)
    for row in range(n):
        col_of_row[row] = -1
    for start in range(n):
        # Dijkstra-like search from `start` for the nearest free column.
        for position in range(n):
            c = n - 1 - position  # scanned from the last column: a constant matrix gives identity
            todo[position] = c
            todo_v[position] = v[c]
            todo_best[position] = np.inf
            todo_free[position] = row_of_col[c] == -1
            seen_col[c] = False
        for r in range(n):
            seen_row[r] = False
        left = n
        reached = 0.0
        row = start
        free = -1
        while free < 0:
            seen_row[row] = True
            pick = -1
            lowest = np.inf
            line = cost[row]
            dual = u[row]
            for position in range(left):  # relax every column reached from `row`
                reduced = reached + line[todo[position]] - dual - todo_v[position]
                if reduced < todo_best[position]:
                    todo_best[position] = reduced
                    todo_from[position] = row
            for position in range(left):  # the nearest; among equals, one that is free
                shortest = todo_best[position]
                if shortest < lowest or (shortest == lowest and todo_free[position]):
                    lowest = shortest
                    pick = position
            reached = lowest
            if reached == np.inf:
                return False
            c = todo[pick]
            best[c] = todo_best[pick]
            came_from[c] = todo_from[pick]
            if row_of_col[c] == -1:
                free = c
            else:
                row = row_of_col[c]
            seen_col[c] = True
            left -= 1
            todo[pick] = todo[left]
            todo_v[pick] = todo_v[left]
            todo_best[pick] = todo_best[left]
            todo_from[pick] = todo_from[left]
            todo_free[pick] = todo_free[left]
        # Dual update, then flip the path's assignments.
        u[start] += reached
        for r in range(n):
            if seen_row[r] and r != start:
                u[r] += reached - best[col_of_row[r]]
        for c in range(n):
            if seen_col[c]:
                v[c] -= reached - best[c]
        c = free
        while True:
            r = came_from[c]
            row_of_col[c] = r
            previous = col_of_row[r]
            col_of_row[r] = c
            c = previous
            if r == start:
                break
    return True


def solve(cost: FloatArray) -> IntArray:
    """The column assigned to each row of a square cost matrix, minimising the total cost;
    SciPy's answer (``linear_sum_assignment(cost)[1]``). Releases the GIL while solving.

    Raises:
        ValueError: the matrix is not square, or holds a non-finite value.
    """
    matrix = np.ascontiguousarray(cost, dtype=np.float64)
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1]:
        raise ValueError(f"the cost matrix must be square, got shape {matrix.shape}")
    out = np.empty(matrix.shape[0], dtype=np.int64)
    if matrix.size == 0:
        return out
    if not np.isfinite(matrix).all():
        raise ValueError("the cost matrix holds a non-finite value")
    lowest = matrix.min()
    if lowest < 0:  # non-negative costs are used as they are, as SciPy does
        matrix = matrix - lowest
    if not _solve(matrix, out):  # pragma: no cover - finite costs are always feasible
        raise ValueError("the cost matrix is infeasible")
    return out
