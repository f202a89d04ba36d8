"""The uniform grid, the other candidate issue #12 names for the exact kNN ("a KD-tree or uniform
grid"), against the engine's KD-tree on the avatarization's self-join, same run.

Usage: ``.venv/bin/python bench/bench_grid.py [--rows 1000000] [--sides 0.9,1.1,1.3,1.5,1.7]``

One thread each, every row's k = 20 nearest other rows of the engine bench's FAMD coordinates
(bench/bench_engine.py's table, 5 dimensions). The grid has cubic cells of the given sides (in
multiples of the median distance to the 20th neighbour), its points counting-sorted by cell. A
query enumerates the rows of cells along the first four axes whose boxes lie within its limit
(pruned axis by axis on the partial sums of squared gaps) and scans each row's run of cells
along the last axis as one contiguous block, with the engine's leaf-distance code. Like the
engine's walk over queries in leaf order, it starts from the previous query's squared k-th
distance × 1.6 and widens the limit when fewer than k points lie within; both offer their points
through the same filter and max-heap (``kdtree_kernels.offer_points``) and keep the k smallest
(distance, label) pairs, without the tie rule (``ties=False``: no (k + 1)-th pair, no final
resolution), and both must return the same distances. Each figure carries the
1-minute load average measured with it (the box may be shared).
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time
from pathlib import Path
from typing import Any

import numba
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from avatars_server.engine import neighbours  # also sets numba's SLP option
from avatars_server.engine.kdtree_bounds import leaf_sq_5
from avatars_server.engine.kdtree_kernels import offer_points
from avatars_server.engine.kdtree_ties import sort_pairs
from bench.bench_engine import K, bench_coordinates

GUESS = 1.6  # the engine's ORDERED_GUESS
_njit = numba.njit(nogil=True, error_model="numpy")


@_njit
def build_grid(x: Any, side: float) -> Any:
    """Cells of ``side`` over ``x``'s bounding box, the points counting-sorted by cell (C order).

    Returns (mins, size, stride, start, order, rows, columns): per axis the grid's origin, cell
    count and stride; each cell's first position (``start[c]..start[c + 1]``); the points' grid
    order, and the points in it by row and by column.
    """
    n, dim = x.shape
    mins = np.empty(dim)
    size = np.empty(dim, dtype=np.int64)
    for d in range(dim):
        mins[d] = x[:, d].min()
        size[d] = int((x[:, d].max() - mins[d]) / side) + 1
    stride = np.empty(dim, dtype=np.int64)
    cells = 1
    for d in range(dim - 1, -1, -1):
        stride[d] = cells
        cells *= size[d]
    cell = np.empty(n, dtype=np.int64)
    for i in range(n):
        c = 0
        for d in range(dim):
            c += min(int((x[i, d] - mins[d]) / side), size[d] - 1) * stride[d]
        cell[i] = c
    start = np.zeros(cells + 1, dtype=np.int32)
    for i in range(n):
        start[cell[i] + 1] += 1
    for c in range(cells):
        start[c + 1] += start[c]
    fill = start[:-1].copy()
    order = np.empty(n, dtype=np.int64)
    for i in range(n):
        order[fill[cell[i]]] = i
        fill[cell[i]] += 1
    rows = np.empty((n, dim))
    columns = np.empty((dim, n))
    for j in range(n):
        for d in range(dim):
            rows[j, d] = x[order[j], d]
            columns[d, j] = rows[j, d]
    return mins, size, stride, start, order, rows, columns


@_njit
def _offsets(gaps: Any, span: int, low: int, high: int, rest: float) -> tuple[int, int]:
    """The cell offsets a..b along one axis whose squared gap fits in ``rest`` (gaps grow away
    from offset 0 on both sides); a > b when none does."""
    if rest < 0.0:
        return 1, 0
    a = 0
    while a > low and gaps[a - 1 + span] <= rest:
        a -= 1
    b = 0
    while b < high and gaps[b + 1 + span] <= rest:
        b += 1
    return a, b


@_njit
def _scan(
    columns: Any, order: Any, s: int, e: int, rows: Any, j: int, best_sq: Any, best_label: Any,
    count: int, limit: Any, scratch: Any,
) -> int:  # fmt: skip
    """Offer the points of a run of cells to point j's heap, as the KD-tree's leaves are."""
    leaf_sq_5(columns, s, e - s, rows, j, scratch)
    count, limit[0] = offer_points(
        scratch, e - s, order, s, order[j], best_sq, best_label, count, best_sq.shape[0], limit[0]
    )
    return count


@_njit
def _search(
    grid: Any, side: float, j: int, cell: Any, span: int, best_sq: Any, best_label: Any,
    gaps: Any, low: Any, high: Any, limit: Any, scratch: Any,
) -> int:  # fmt: skip
    """The nearest pairs of grid point ``j`` within ``limit[0]`` (squared), as many as
    ``best_sq`` holds, by rows of cells within ``span`` cells of its own."""
    mins, size, stride, start, order, rows, columns = grid
    for d in range(5):
        f = rows[j, d] - (mins[d] + cell[d] * side)
        for o in range(-span, span + 1):
            v = 0.0 if o == 0 else (o * side - f if o > 0 else (-o - 1) * side + f)
            gaps[d, o + span] = v * v
        low[d] = max(-span, -cell[d])
        high[d] = min(span, size[d] - 1 - cell[d])
    count = 0
    a0, b0 = _offsets(gaps[0], span, low[0], high[0], limit[0])
    for o0 in range(a0, b0 + 1):
        p0 = gaps[0, o0 + span]
        a1, b1 = _offsets(gaps[1], span, low[1], high[1], limit[0] - p0)
        for o1 in range(a1, b1 + 1):
            p1 = p0 + gaps[1, o1 + span]
            a2, b2 = _offsets(gaps[2], span, low[2], high[2], limit[0] - p1)
            for o2 in range(a2, b2 + 1):
                p2 = p1 + gaps[2, o2 + span]
                a3, b3 = _offsets(gaps[3], span, low[3], high[3], limit[0] - p2)
                for o3 in range(a3, b3 + 1):
                    p3 = p2 + gaps[3, o3 + span]
                    a, b = _offsets(gaps[4], span, low[4], high[4], limit[0] - p3)
                    if a > b:
                        continue
                    base = cell[4]
                    base += (cell[0] + o0) * stride[0] + (cell[1] + o1) * stride[1]
                    base += (cell[2] + o2) * stride[2] + (cell[3] + o3) * stride[3]
                    s = start[base + a]
                    e = start[base + b + 1]
                    if e > s:
                        count = _scan(
                            columns, order, s, e, rows, j, best_sq, best_label, count, limit,
                            scratch,
                        )  # fmt: skip
    return count


@_njit
def grid_knn(grid: Any, side: float, k: int, out_sq: Any, out_label: Any) -> None:
    """Every grid point's k nearest other points (squared distances, labels), in grid order,
    rows of ``out_*`` by label."""
    mins, size, _, _, order, rows, _ = grid
    capacity = k
    best_sq = np.empty(capacity)
    best_label = np.empty(capacity, dtype=np.int64)
    widest = max(size[0], max(size[1], max(size[2], max(size[3], size[4]))))
    gaps = np.empty((5, 2 * widest + 3))
    low = np.empty(5, dtype=np.int64)
    high = np.empty(5, dtype=np.int64)
    limit = np.empty(1)
    cell = np.empty(5, dtype=np.int64)
    scratch = np.empty(rows.shape[0])
    guess = math.inf
    for j in range(rows.shape[0]):
        for d in range(5):
            cell[d] = min(int((rows[j, d] - mins[d]) / side), size[d] - 1)
        bound = guess
        while True:
            span = widest if bound == math.inf else min(int(math.sqrt(bound) / side) + 1, widest)
            limit[0] = bound
            count = _search(
                grid, side, j, cell, span, best_sq, best_label, gaps, low, high, limit, scratch
            )
            if count == capacity or bound == math.inf:
                break
            bound = bound * 4.0 if span < widest else math.inf
        guess = best_sq[0] * GUESS
        sort_pairs(best_sq, best_label, count)
        for t in range(capacity):
            out_sq[order[j], t] = best_sq[t]
            out_label[order[j], t] = best_label[t]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--sides", default="0.9,1.1,1.3,1.5,1.7")
    args = parser.parse_args()
    numba.set_num_threads(1)
    x = np.ascontiguousarray(bench_coordinates(args.rows))
    n = len(x)

    def tree_run() -> tuple[Any, float, float]:
        load = os.getloadavg()[0]
        cpu = time.process_time()
        tree = neighbours.build_tree(x)
        dist, _ = neighbours.exact_knn(
            tree, tree.points, K, exclude=tree.perm, ties=False, ordered=True
        )
        cpu = time.process_time() - cpu
        by_label = np.empty_like(dist)
        by_label[tree.perm] = dist
        return by_label, cpu, load

    tree_run()  # compile (or load the cache) first
    distances, _, _ = tree_run()
    median = float(np.median(distances[:, K - 1]))
    print(f"{n:,} rows, k = {K}, one thread; median distance to the 20th neighbour {median:.3f}")
    small = build_grid(x[:1000], median)
    grid_knn(small, median, K, np.empty((1000, K)), np.empty((1000, K), dtype=np.int64))
    for factor in (float(v) for v in args.sides.split(",")):
        side = factor * median
        _, tree_cpu, tree_load = tree_run()
        load = os.getloadavg()[0]
        cpu = time.process_time()
        grid = build_grid(x, side)
        out_sq = np.empty((n, K))
        out_label = np.empty((n, K), dtype=np.int64)
        grid_knn(grid, side, K, out_sq, out_label)
        cpu = time.process_time() - cpu
        same = np.allclose(np.sqrt(out_sq), distances, rtol=0.0, atol=1e-12)
        print(
            f"side {factor:.2f} x median ({side:.3f}, {grid[3].size - 1:,} cells,"
            f" index {grid[3].nbytes / 2**20:,.0f} MiB): grid {cpu / n * 1e6:.2f} µs/query"
            f" (load {load:.2f}), KD-tree {tree_cpu / n * 1e6:.2f} µs/query"
            f" (load {tree_load:.2f}), both with their build; same distances: {same}",
            flush=True,
        )
        assert same, "the grid found other neighbours than the KD-tree"


if __name__ == "__main__":
    main()
