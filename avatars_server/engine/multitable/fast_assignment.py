"""The LSA link method's blocks solved faster, with SciPy's links (method-extended §3.5 step 3).

SciPy's solver (ported in :mod:`.assignment`) grows one shortest augmenting path per row from
zero dual variables; on a block of children and parent slots most rows are assigned at once,
but the last few hundred paths each sweep most of the block, and they make its cost. Here an
auction with ε-scaling (D. P. Bertsekas, "The auction algorithm: a distributed relaxation
method for the assignment problem", Annals of Operations Research 14, 1988) first prices the
slots to within a small ε of optimal duals; the rows whose auctioned slot is tight under those
duals keep it, and the same shortest augmenting paths assign the others, now short.

The answer is then certified before use: the duals must be feasible on every edge of the block
(the assignment is optimal) and no alternating cycle of tight edges may move a child to another
parent (the optimal links are unique, so they are SciPy's, whichever optimal slots SciPy picks
among a parent's repeated slots). An uncertified block — ties between parents, as with repeated
child or parent rows — is solved again by SciPy's algorithm, so the links never depend on the
route taken.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from avatars_server.engine.jit import jit as _jit
from avatars_server.engine.multitable.assignment import augment_free_rows, solve
from avatars_server.engine.table import IntArray

_EPS_START = 0.25
"""The auction's first ε, relative to the block's largest cost."""
_EPS_FINAL = 2e-3
"""The last ε, relative to the largest cost: the paths finish the job from there (measured on
the benchmark's blocks: going further costs more bids than it saves paths)."""
_EPS_FACTOR = 5.0
_BIDS_PER_ROW = 1_000
"""A bound on the bids of one ε phase, per row; reaching it hands the block to SciPy's
algorithm rather than loop on a pathological block."""
_FEASIBILITY = 1e-11
"""Reduced costs down to -_FEASIBILITY × the largest cost count as non-negative (rounding)."""
_SMALLEST = 16
"""Blocks with fewer rows go straight to SciPy's algorithm: nothing to gain."""


@_jit()
def _auction(
    cost: Any, price: Any, assigned: Any, eps: float, eps_final: float
) -> bool:  # pragma: no cover - compiled
    """Gauss-Seidel auction (minimising), one phase per ε; False if a phase runs too long."""
    n = cost.shape[0]
    owner = np.empty(n, dtype=np.int64)
    waiting = np.empty(n, dtype=np.int64)
    while True:
        for j in range(n):
            owner[j] = -1
        for i in range(n):
            assigned[i] = -1
            waiting[i] = n - 1 - i
        count = n
        bids = 0
        while count > 0:
            bids += 1
            if bids > _BIDS_PER_ROW * n:
                return False
            count -= 1
            i = waiting[count]
            line = cost[i]
            first = np.inf
            second = np.inf
            chosen = -1
            for j in range(n):  # the cheapest slot at today's prices, and the next cheapest
                value = line[j] + price[j]
                if value < second:
                    if value < first:
                        second = first
                        first = value
                        chosen = j
                    else:
                        second = value
            price[chosen] += second - first + eps
            outbid = owner[chosen]
            owner[chosen] = i
            assigned[i] = chosen
            if outbid >= 0:
                assigned[outbid] = -1
                waiting[count] = outbid
                count += 1
        if eps <= eps_final:
            return True
        eps = max(eps / _EPS_FACTOR, eps_final)


@_jit()
def _cross_edges(
    cost: Any, u: Any, v: Any, col_of_row: Any, group: Any, tight: float, source: Any, target: Any
) -> int:  # pragma: no cover - compiled
    """The tight edges from a row to another group than its own, as (own group, other group)
    written to ``source``/``target`` when they have room; returns how many there are."""
    n = cost.shape[0]
    edges = 0
    for i in range(n):
        own = group[col_of_row[i]]
        line = cost[i]
        dual = u[i]
        for j in range(n):
            if line[j] - dual - v[j] <= tight and group[j] != own:
                if edges < source.shape[0]:
                    source[edges] = own
                    target[edges] = group[j]
                edges += 1
    return edges


@_jit()
def _unique_in_groups(
    cost: Any, u: Any, v: Any, col_of_row: Any, group: Any, feasibility: float
) -> bool:  # pragma: no cover - compiled
    """Whether the assignment is optimal under the duals and its groups the only optimal ones.

    Another optimal assignment differs by alternating cycles of tight edges; the moves of such
    a cycle from one group to another make a closed walk in the directed graph "a row's group ->
    the group of another tight edge of that row", so when that graph has no cycle every optimal
    assignment gives each row the same group (a cycle found may still be harmless: the block is
    then merely handed to SciPy's algorithm). Edges count as tight
    up to (n + 2) × the feasibility tolerance, which covers any cycle that rounding could make
    cheaper, so an answer that rounding alone could change is refused.
    """
    n = cost.shape[0]
    tight = (n + 2) * feasibility
    for i in range(n):
        line = cost[i]
        dual = u[i]
        for j in range(n):
            if line[j] - dual - v[j] < -feasibility:
                return False
        j = col_of_row[i]
        if line[j] - dual - v[j] > feasibility:
            return False
    groups = 0
    for j in range(n):
        groups = max(groups, group[j] + 1)
    none = np.empty(0, dtype=np.int64)
    edges = _cross_edges(cost, u, v, col_of_row, group, tight, none, none)
    if edges == 0:
        return True
    source = np.empty(edges, dtype=np.int64)
    target = np.empty(edges, dtype=np.int64)
    _cross_edges(cost, u, v, col_of_row, group, tight, source, target)
    # Kahn's algorithm: the graph is acyclic iff every group can be removed.
    order = np.argsort(source)
    source = source[order]
    target = target[order]
    first = np.searchsorted(source, np.arange(groups + 1))
    entering = np.zeros(groups, dtype=np.int64)
    for e in range(edges):
        entering[target[e]] += 1
    ready = np.empty(groups, dtype=np.int64)
    top = 0
    for g in range(groups):
        if entering[g] == 0:
            ready[top] = g
            top += 1
    removed = 0
    while top > 0:
        top -= 1
        g = ready[top]
        removed += 1
        for e in range(first[g], first[g + 1]):
            h = target[e]
            entering[h] -= 1
            if entering[h] == 0:
                ready[top] = h
                top += 1
    return removed == groups


@_jit()
def _certified(cost: Any, group: Any, col_of_row: Any) -> bool:  # pragma: no cover - compiled
    n = cost.shape[0]
    largest = 0.0
    for i in range(n):
        for j in range(n):
            largest = max(largest, cost[i, j])
    if largest <= 0.0:
        return False
    price = np.zeros(n)
    assigned = np.empty(n, dtype=np.int64)
    if not _auction(cost, price, assigned, _EPS_START * largest, _EPS_FINAL * largest):
        return False
    # Duals from the prices: v = -price, u the row minima; auctioned slots kept where tight.
    v = -price
    u = np.empty(n)
    row_of_col = np.full(n, -1, dtype=np.int64)
    for i in range(n):
        line = cost[i]
        lowest = np.inf
        for j in range(n):
            lowest = min(lowest, line[j] - v[j])
        u[i] = lowest
        j = assigned[i]
        if line[j] - lowest - v[j] <= 0.0:
            col_of_row[i] = j
            row_of_col[j] = i
        else:
            col_of_row[i] = -1
    if not augment_free_rows(cost, u, v, col_of_row, row_of_col):
        return False
    return _unique_in_groups(cost, u, v, col_of_row, group, _FEASIBILITY * largest)


def solve_groups(cost: Any, groups: IntArray) -> IntArray:
    """A column for each row of a square cost matrix, such that ``groups[column]`` is what
    SciPy's ``linear_sum_assignment(cost)`` gives (for the LSA blocks: the parent of each child,
    a parent's slots being its group).

    Raises:
        ValueError: the matrix is not square, or holds a non-finite value.
    """
    matrix = np.ascontiguousarray(cost, dtype=np.float64)
    n = matrix.shape[0] if matrix.ndim == 2 else 0
    if n < _SMALLEST or matrix.shape[1] != n or not np.isfinite(matrix).all():
        return solve(matrix)
    lowest = matrix.min()
    shifted = matrix - lowest if lowest < 0 else matrix  # as solve() does
    _, local = np.unique(groups, return_inverse=True)
    out = np.empty(n, dtype=np.int64)
    if _certified(shifted, np.ascontiguousarray(local, dtype=np.int64), out):
        return out
    return solve(matrix)
