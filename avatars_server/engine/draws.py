"""Kernels of the barycentres and the categorical draws (method.md §3.7-3.8; issue #12).

The draws of all the categorical variables share one pass over the rows (one per 64 bits of
codes): the codes of each original are packed side by side into one word (a few bits per
variable), and each block of rows first gathers its neighbours' words into a small buffer — a
loop of independent loads that keeps many cache misses in flight — then, row by row, adds each
neighbour's weight to the q of every variable. The arithmetic of each variable is that of §3.8
as written in :func:`avatars_server.engine.avatarize.draw_codes`, so the draws are bit for bit
those of one pass per variable.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
from numba import prange

from avatars_server.engine.jit import jit
from avatars_server.engine.table import Categorical, FloatArray, IntArray

# Rows per parallel task of the categorical draw; up to DENSE_LEVELS levels, q is a dense row.
DRAW_BLOCK = 1024
DENSE_LEVELS = 64
_WORDS = (np.uint8, np.uint16, np.uint32, np.uint64)
# Bits of packed codes per pass (tests lower it to run several passes).
WORD_BITS = 64


def code_bits(n_levels: int) -> int:
    """Bits of one code of a variable with ``n_levels`` levels (0 for a single level)."""
    return max(n_levels - 1, 0).bit_length()


def pass_groups(n_levels: Sequence[int], word_bits: int = WORD_BITS) -> list[list[int]]:
    """The variables drawn by each pass, in variable order: as many as fit ``word_bits``."""
    groups: list[list[int]] = []
    used = 0
    for t, levels in enumerate(n_levels):
        bits = code_bits(levels)
        if not groups or used + bits > word_bits:
            groups.append([])
            used = 0
        groups[-1].append(t)
        used += bits
    return groups


def pack_codes(
    variables: Sequence[Categorical],
) -> tuple[npt.NDArray[np.unsignedinteger[Any]], IntArray, IntArray]:
    """The codes of ``variables`` packed into one word per row (the narrowest type that holds
    them), with each variable's shift and mask."""
    bits = [code_bits(v.n_levels) for v in variables]
    shifts = np.cumsum([0, *bits[:-1]]).astype(np.int64)
    masks = np.array([(1 << b) - 1 for b in bits], dtype=np.int64)
    dtype = next(d for d in _WORDS if 8 * np.dtype(d).itemsize >= sum(bits))
    words: npt.NDArray[np.unsignedinteger[Any]] = np.zeros(len(variables[0].codes), dtype=dtype)
    for variable, shift, mask in zip(variables, shifts, masks, strict=True):
        _pack_into(words, np.asarray(variable.codes, dtype=np.int64), int(shift), int(mask))
    return words, shifts, masks


@jit()
def _pack_into(words: Any, codes: Any, shift: int, mask: int) -> None:
    """words |= (codes & mask) << shift, in place (no temporary of n codes)."""
    for r in range(codes.shape[0]):
        words[r] = words[r] | np.uint64((codes[r] & mask) << shift)


@jit(parallel=True)
def weighted_sums(weights: Any, neighbours: Any, values: Any, out: Any) -> None:
    """out[i] = Σ_j weights[i, j] · values[neighbours[i, j]], summed in neighbour order from 0
    (the order of the sparse product it replaces, so the avatars are bitwise the same)."""
    n, k = weights.shape
    c = values.shape[1]
    for i in prange(n):
        for j in range(k):
            w = weights[i, j]
            row = neighbours[i, j]
            for t in range(c):
                out[i, t] += w * values[row, t]


@jit(parallel=True)
def draw_rows(
    weights: Any,
    neighbours: Any,
    words: Any,
    members: Any,
    shifts: Any,
    masks: Any,
    n_levels: Any,
    uniforms: Any,
    out: Any,
) -> None:
    """The draws of §3.8 for every row and the variables ``members``, written to ``out``.

    Variable ``members[g]`` has code ``(word >> shifts[g]) & masks[g]`` in each original's word
    and ``n_levels[g]`` levels; ``uniforms[t, i]`` is variable t's u for row i. ``out`` (shape
    (n_variables, n), int64) may share its memory: each u is read before its own cell is
    written, and no other.

    For each variable, q_im sums its neighbours' weights from 0 in neighbour order. Variables
    with few levels have a dense row of q over every level, side by side in one buffer: each
    neighbour adds its weight to every such variable's q in turn (independent sums, the order of
    each unchanged). For the others, only the levels present among the row's k neighbours are
    kept (sorted by code), since adding q = 0 leaves a cumulative sum unchanged: bit for bit the
    sums over every level, in O(k²) per row whatever the number of levels.
    """
    n, k = weights.shape
    count = members.shape[0]
    dense = np.zeros(count, dtype=np.int64)
    sparse = np.zeros(count, dtype=np.int64)
    n_dense = 0
    n_sparse = 0
    for g in range(count):
        if n_levels[g] <= DENSE_LEVELS:
            dense[n_dense] = g
            n_dense += 1
        else:
            sparse[n_sparse] = g
            n_sparse += 1
    # The dense variables' shifts, masks, and the offsets of their q in one buffer.
    dense_shifts = shifts[dense[:n_dense]]
    dense_masks = masks[dense[:n_dense]]
    offsets = np.zeros(n_dense + 1, dtype=np.int64)
    for d in range(n_dense):
        offsets[d + 1] = offsets[d] + n_levels[dense[d]]
    total = offsets[n_dense]
    for block in prange((n + DRAW_BLOCK - 1) // DRAW_BLOCK):
        start = block * DRAW_BLOCK
        stop = min(n, start + DRAW_BLOCK)
        # The block's neighbours' words first: independent loads, many misses in flight.
        gathered = np.empty((stop - start, k), dtype=words.dtype)
        for i in range(start, stop):
            for j in range(k):
                gathered[i - start, j] = words[neighbours[i, j]]
        levels = np.empty(k, dtype=np.int64)
        q = np.empty(max(k, total))
        for i in range(start, stop):
            local = gathered[i - start]
            if n_dense > 0:
                for level in range(total):
                    q[level] = 0.0
                for j in range(k):
                    w = weights[i, j]
                    word = np.int64(local[j])
                    for d in range(n_dense):
                        q[offsets[d] + ((word >> dense_shifts[d]) & dense_masks[d])] += w
                for d in range(n_dense):
                    t = members[dense[d]]
                    m = offsets[d + 1] - offsets[d]
                    position = _first_above(q[offsets[d] :], m, uniforms[t, i])
                    out[t, i] = position if position >= 0 else m - 1
            for s in range(n_sparse):
                g = sparse[s]
                t = members[g]
                present = _present_levels(weights, local, shifts[g], masks[g], i, levels, q)
                position = _first_above(q, present, uniforms[t, i])
                out[t, i] = levels[position] if position >= 0 else n_levels[g] - 1


@jit(inline=True)
def _first_above(q: Any, count: int, u: float) -> int:
    """:func:`avatars_server.engine.random.first_above` without a branch on each sum: the
    position of the first of ``q[:count]`` whose cumulative sum (in order, from 0) is > u; when
    none is, the last one > 0; -1 when none is."""
    total = 0.0
    found = 0
    position = 0
    for t in range(count):
        total += q[t]
        found |= total > u
        position += 1 - found
    if found:
        return position
    for t in range(count - 1, -1, -1):
        if q[t] > 0:
            return t
    return -1


@jit(inline=True)
def _present_levels(
    weights: Any, local: Any, shift: int, mask: int, i: int, levels: Any, q: Any
) -> int:
    """Row i's distinct neighbour levels of one variable (code ``(local[j] >> shift) & mask``
    for neighbour j), sorted, into ``levels`` with their q; their count."""
    present = 0
    for j in range(weights.shape[1]):
        code = (np.int64(local[j]) >> shift) & mask
        slot = present
        while slot > 0 and levels[slot - 1] > code:
            slot -= 1
        if slot > 0 and levels[slot - 1] == code:
            q[slot - 1] += weights[i, j]
            continue
        for s in range(present, slot, -1):
            levels[s] = levels[s - 1]
            q[s] = q[s - 1]
        levels[slot] = code
        q[slot] = 0.0 + weights[i, j]
        present += 1
    return present


def draw(
    weights: FloatArray,
    neighbours: IntArray,
    variables: Sequence[Categorical],
    uniforms: FloatArray,
    out: IntArray,
) -> None:
    """The draws of ``variables`` (u of variable t in ``uniforms[t]``) into ``out[t]``, one
    :func:`draw_rows` pass per group of :func:`pass_groups`."""
    w = np.ascontiguousarray(weights, dtype=np.float64)
    rows = np.ascontiguousarray(neighbours, dtype=np.int64)
    n_levels = [max(v.n_levels, 1) for v in variables]
    for group in pass_groups(n_levels, WORD_BITS):
        words, shifts, masks = pack_codes([variables[t] for t in group])
        draw_rows(
            w,
            rows,
            words,
            np.array(group, dtype=np.int64),
            shifts,
            masks,
            np.array([n_levels[t] for t in group], dtype=np.int64),
            uniforms,
            out,
        )
