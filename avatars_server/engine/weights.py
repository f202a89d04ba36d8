"""The random weights of the neighbours (method.md §3.6) in numba kernels (issue #12).

The weights are those of NumPy's formulation, bit for bit, drawing the same numbers from the
weights stream in the same order (tests/unit/engine/test_weights_pinned.py pins them on that
formulation, kept in tests/unit/engine/weights_reference.py): R ~ Exp(1) as one (n, k)
``standard_exponential`` call, then the random ranks as ``permuted(1..k, axis=1)`` would draw
them, row after row (Fisher-Yates from the last position, each swap position by NumPy's
``random_interval``: masked rejection on the bit generator's ``next_uint32``, called through the
generator's own function pointer so that its state, buffered half draw included, is the
generator's). The kernel then gives, row by row in the weights' own array, R·2^(−s), the
zero-distance rule or 1/d, the row sum (NumPy's pairwise order) and the normalisation: no (n, k)
array besides the weights.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
from numba import prange
from numba.np.random import generator_core

from avatars_server.engine.jit import jit
from avatars_server.engine.table import FloatArray

COINCIDENCE_FACTOR = 1e-9
# numpy's PW_BLOCKSIZE: pairwise sums split blocks longer than this.
_PAIRWISE_BLOCK = 128
# 2^(−1074), the smallest positive double: the powers of two that are doubles.
_SMALLEST_POWER = 1074
# The bit generator's own next_uint32 (its function pointer), inside numba kernels.
_next_uint32: Callable[[Any], int] = generator_core.next_uint32


def random_weights(dist: FloatArray, rng: np.random.Generator) -> FloatArray:
    """Normalised random weights of the neighbours, zero-distance rule included (§3.6).

    R ~ Exp(1) is drawn first as an (n, k) array (row by row), then the random ranks s as a
    row-wise permutation of 1..k; P_ij = R_ij·2^(−s_ij)/d_ij, or, in a row with a coincident
    neighbour (d <= 1e-9·median of the positive distances), R_ij·2^(−s_ij) for the coincident
    ones and 0 for the others; a row whose P sum is 0 or not finite gets uniform weights.

    Args:
        dist: shape (n, k), distances to the k neighbours.
        rng: the weights stream.

    Returns:
        Shape (n, k); each row sums to 1.
    """
    dist = np.asarray(dist, dtype=np.float64)
    n, k = dist.shape
    # The threshold first, while the weights do not exist yet (peak memory).
    smallest = np.empty(n, dtype=np.float64)
    largest = np.empty(n, dtype=np.float64)
    _row_extremes(dist, smallest, largest)
    threshold = _coincidence_threshold(dist, smallest, largest)
    del largest
    weights = rng.standard_exponential((n, k))
    # 2^0 .. 2^(−k), exact while they are doubles (down to 2^(−1074)).
    powers = np.ldexp(1.0, -np.arange(min(k, _SMALLEST_POWER) + 1, dtype=np.int32))
    # The kernel draws through the bit generator without NumPy's methods: hold its lock as they do.
    with rng.bit_generator.lock:
        _weigh(dist, smallest, threshold, rng, weights, powers)
    return weights


def _coincidence_threshold(dist: FloatArray, smallest: FloatArray, largest: FloatArray) -> float:
    """1e-9·m, m the median of the positive distances (1 when none is), or -inf when no row has
    a coincident neighbour.

    The median, a selection over n·k values, is only needed when some distance is that small
    relative to the largest one (m <= max d); with continuous data it usually is not.
    """
    if not (smallest <= COINCIDENCE_FACTOR * float(largest.max())).any():
        return -math.inf
    positive = dist[dist > 0]
    median = float(np.median(positive)) if positive.size else 1.0
    return COINCIDENCE_FACTOR * median


@jit(parallel=True)
def _row_extremes(dist: Any, smallest: Any, largest: Any) -> None:  # pragma: no cover - compiled
    """Each row's minimum and maximum, NaN when the row has one (as ``np.min``/``np.max``)."""
    for i in prange(dist.shape[0]):
        low = dist[i, 0]
        high = low
        for j in range(1, dist.shape[1]):
            value = dist[i, j]
            if value < low:
                low = value
            if value > high:
                high = value
            if np.isnan(value):
                low = value
                high = value
                break
        if np.isnan(high):
            low = high
        smallest[i] = low
        largest[i] = high


@jit()
def _random_interval(bitgen: Any, high: int) -> int:  # pragma: no cover - compiled
    """numpy's ``random_interval`` for 0 < high <= 0xffffffff: a uniform integer in [0, high]
    by masked rejection on 32-bit draws."""
    mask = np.uint64(high)
    mask |= mask >> np.uint64(1)
    mask |= mask >> np.uint64(2)
    mask |= mask >> np.uint64(4)
    mask |= mask >> np.uint64(8)
    mask |= mask >> np.uint64(16)
    value = np.uint64(_next_uint32(bitgen)) & mask
    while value > np.uint64(high):
        value = np.uint64(_next_uint32(bitgen)) & mask
    return int(value)


@jit()
def _block_sum(a: Any, first: int, count: int) -> float:  # pragma: no cover - compiled
    """numpy's pairwise sum of ``a[first:first + count]`` for count <= 128 (no split)."""
    if count < 8:
        res = 0.0
        for t in range(first, first + count):
            res += a[t]
        return float(res)
    r0 = a[first]
    r1 = a[first + 1]
    r2 = a[first + 2]
    r3 = a[first + 3]
    r4 = a[first + 4]
    r5 = a[first + 5]
    r6 = a[first + 6]
    r7 = a[first + 7]
    t = 8
    while t < count - count % 8:
        r0 += a[first + t]
        r1 += a[first + t + 1]
        r2 += a[first + t + 2]
        r3 += a[first + t + 3]
        r4 += a[first + t + 4]
        r5 += a[first + t + 5]
        r6 += a[first + t + 6]
        r7 += a[first + t + 7]
        t += 8
    res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
    while t < count:
        res += a[first + t]
        t += 1
    return float(res)


@jit()
def _pairwise_sum(a: Any, count: int) -> float:  # pragma: no cover - compiled
    """numpy's pairwise sum of ``a[:count]`` (``DOUBLE_pairwise_sum``), the order of
    ``sum(axis=1)`` along a contiguous row: blocks of up to 128 summed by :func:`_block_sum`,
    longer ones split at half their length rounded down to a multiple of 8, left + right.

    The recursion runs on an explicit stack (numba's cache does not reload recursive kernels).
    """
    if count <= _PAIRWISE_BLOCK:
        return _block_sum(a, 0, count)
    # Each frame: a span being summed, and its left half's sum once known (stage 1).
    firsts = np.zeros(64, dtype=np.int64)
    counts = np.zeros(64, dtype=np.int64)
    stages = np.zeros(64, dtype=np.int64)
    lefts = np.zeros(64, dtype=np.float64)
    counts[0] = count
    depth = 1
    while True:
        top = depth - 1
        half = counts[top] // 2
        half -= half % 8
        if stages[top] == 0:
            first, length = firsts[top], half
        else:
            first, length = firsts[top] + half, counts[top] - half
        if length > _PAIRWISE_BLOCK:
            firsts[depth] = first
            counts[depth] = length
            stages[depth] = 0
            depth += 1
            continue
        value = _block_sum(a, first, length)
        # Hand the sum up: a left half waits for its right one, a right one completes its span.
        while True:
            top = depth - 1
            if stages[top] == 0:
                lefts[top] = value
                stages[top] = 1
                break
            value = lefts[top] + value
            depth -= 1
            if depth == 0:
                return float(value)


@jit(inline=True)
def _scale(value: float, rank: int, powers: Any) -> float:  # pragma: no cover - compiled
    """``ldexp(value, -rank)``: one product by the exact power 2^(−rank), rounded once like
    ldexp, while that power is a double (rank <= 1074); ldexp itself (a libm call) beyond."""
    if rank < powers.size:
        return float(value * powers[rank])
    return math.ldexp(value, -rank)


@jit()
def _weigh(
    dist: Any, smallest: Any, threshold: float, rng: Any, weights: Any, powers: Any
) -> None:  # pragma: no cover - compiled
    """Turn ``weights`` (R, shape (n, k)) into the normalised weights, row after row, drawing
    each row's ranks from ``rng`` as ``permuted(1..k, axis=1)`` does."""
    n, k = weights.shape
    bitgen = rng.bit_generator
    ranks = np.empty(k, dtype=np.int64)
    for i in range(n):
        for j in range(k):
            ranks[j] = j + 1
        for j in range(k - 1, 0, -1):
            swap = _random_interval(bitgen, j)
            held = ranks[swap]
            ranks[swap] = ranks[j]
            ranks[j] = held
        row = weights[i]
        # R·2^(−s); 1/d → ∞ as d → 0: coincident neighbours dominate, every other one gets 0.
        if smallest[i] <= threshold:
            for j in range(k):
                scaled = _scale(row[j], ranks[j], powers)
                row[j] = scaled if dist[i, j] <= threshold else 0.0
        else:
            for j in range(k):
                row[j] = _scale(row[j], ranks[j], powers) / dist[i, j]
        total = 0.0 + _pairwise_sum(row, k)
        # Every P_ij of a row 0, or a sum that is not finite (d > 1e300, ranks beyond 1074,
        # 1/d overflow): never reached with real data; uniform weights (docs/method.md §9.2).
        if not (total > 0 and np.isfinite(total)):
            row[:] = 1.0
            total = float(k)
        for j in range(k):
            row[j] = row[j] / total
