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
Its paths can also start from given duals and a partial assignment, which is how
:mod:`.fast_assignment` finishes an auction.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from avatars_server.engine.jit import jit as _jit
from avatars_server.engine.table import FloatArray, IntArray


@_jit()
def augment_free_rows(  # pragma: no cover - compiled
    cost: Any, u: Any, v: Any, col_of_row: Any, row_of_col: Any
) -> bool:
    """Assigns every free row by shortest augmenting paths, keeping the duals ``u``, ``v``
    feasible and every assigned edge tight; False if a row cannot be assigned (infinite cost).

    From zero duals and no assignment this is SciPy's solve: the same reduced costs, evaluated
    in the same order, and SciPy's choice among equally short paths (scanning its list of
    unreached columns, it keeps the first such column, or the last free one). Columns are
    scanned in place, their position in SciPy's list kept aside for those ties, so that the
    scan reads contiguous memory.
    """
    n = cost.shape[0]
    best = np.empty(n)  # a column's shortest path cost so far, then when reached
    came_from = np.full(n, -1, dtype=np.int64)  # previous row on that path
    reached_col = np.zeros(n, dtype=np.bool_)
    free_col = np.empty(n, dtype=np.bool_)
    listed = np.empty(n, dtype=np.int64)  # SciPy's list of unreached columns...
    place = np.empty(n, dtype=np.int64)  # ...and each column's place in it
    rows_on_tree = np.empty(n, dtype=np.int64)
    cols_on_tree = np.empty(n, dtype=np.int64)
    for start in range(n):
        if col_of_row[start] != -1:
            continue
        for c in range(n):
            best[c] = np.inf
            free_col[c] = row_of_col[c] == -1
            listed[c] = n - 1 - c  # SciPy lists the columns from the last
            place[n - 1 - c] = c
        left = n
        reached = 0.0
        row = start
        free = -1
        tree_rows = 0
        tree_cols = 0
        while free < 0:
            rows_on_tree[tree_rows] = row
            tree_rows += 1
            pick = -1
            lowest = np.inf
            line = cost[row]
            dual = u[row]
            for c in range(n):  # relax every unreached column from `row`, keep the nearest
                if reached_col[c]:
                    continue
                reduced = reached + line[c] - dual - v[c]
                if reduced < best[c]:
                    best[c] = reduced
                    came_from[c] = row
                shortest = best[c]
                if shortest < lowest:
                    lowest = shortest
                    pick = c
                elif shortest == lowest and pick >= 0:
                    if free_col[c]:
                        if not free_col[pick] or place[c] > place[pick]:
                            pick = c
                    elif not free_col[pick] and place[c] < place[pick]:
                        pick = c
            reached = lowest
            if reached == np.inf:
                return False
            c = pick
            reached_col[c] = True
            cols_on_tree[tree_cols] = c
            tree_cols += 1
            left -= 1  # SciPy moves its last listed column into the reached one's place
            moved = listed[left]
            listed[place[c]] = moved
            place[moved] = place[c]
            if row_of_col[c] == -1:
                free = c
            else:
                row = row_of_col[c]
        # Dual update, then flip the path's assignments.
        u[start] += reached
        for t in range(1, tree_rows):
            r = rows_on_tree[t]
            u[r] += reached - best[col_of_row[r]]
        for t in range(tree_cols):
            c = cols_on_tree[t]
            v[c] -= reached - best[c]
            reached_col[c] = False
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


@_jit()
def _solve(cost: Any, col_of_row: Any) -> bool:  # pragma: no cover - compiled
    n = cost.shape[0]
    row_of_col = np.full(n, -1, dtype=np.int64)
    for row in range(n):
        col_of_row[row] = -1
    return augment_free_rows(cost, np.zeros(n), np.zeros(n), col_of_row, row_of_col)


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
