"""Exact-match privacy metrics: row and column direct match, categorical hidden rate (§5.6-5.8).

Values are compared by hashing: each column becomes integer codes shared by the originals and the
avatars (floats rounded to 9 decimals, missing equal to missing), and rows become one code.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd
from numba import prange

from avatars_server.engine.jit import jit
from avatars_server.engine.table import FloatArray, IntArray, Kind, to_float

_DECIMALS = 9
_MISSING = -1
# Row direct match: rows per partition matched apart, and the most partitions.
_PARTITION_ROWS = 131_072
_MAX_PARTITIONS = 64


_EMPTY_KEY = 0xFFFFFFFFFFFFFFFF  # a NaN's bits: no rounded value has them
_GOLDEN = 0x9E3779B97F4A7C15


@jit()
def _grow(keys: Any, slots: Any, shift: int) -> tuple[Any, Any, int]:  # pragma: no cover
    """The open-addressing table twice as large, its entries reinserted."""
    size = keys.shape[0] * 2
    shift -= 1
    new_keys = np.full(size, np.uint64(_EMPTY_KEY))
    new_slots = np.empty(size, dtype=np.int64)
    mask = np.uint64(size - 1)
    for s in range(keys.shape[0]):
        if keys[s] != np.uint64(_EMPTY_KEY):
            h = (keys[s] * np.uint64(_GOLDEN)) >> np.uint64(shift)
            while new_keys[h] != np.uint64(_EMPTY_KEY):
                h = (h + np.uint64(1)) & mask
            new_keys[h] = keys[s]
            new_slots[h] = slots[s]
    return new_keys, new_slots, shift


@jit()
def _factorize_run(
    values: Any, start: int, out: Any, offset: int, keys: Any, slots: Any, count: int, shift: int
) -> tuple[int, int]:  # pragma: no cover - compiled
    """out[offset + i] = first-appearance code of np.round(values[i], 9) for i from ``start``
    (−1 for NaN; −0.0 is 0.0, as pandas hashes them), continuing the table ``keys``/``slots`` of
    the ``count`` codes given so far: Fibonacci hashing of the value's bits with ``shift`` =
    64 − log2(size), linear probing. Stops before a new code would fill half the table.

    Returns:
        The row reached (``len(values)`` when done) and the new count.
    """
    cell = np.empty(1, dtype=np.float64)
    bits = cell.view(np.uint64)
    mask = np.uint64(keys.shape[0] - 1)
    limit = keys.shape[0] // 2
    empty = np.uint64(_EMPTY_KEY)
    for i in range(start, values.shape[0]):
        r = np.rint(values[i] * 1e9) / 1e9
        if r != r:
            out[offset + i] = -1
            continue
        cell[0] = r + 0.0  # −0.0 + 0.0 is +0.0
        key = bits[0]
        # Fibonacci hashing: the product's high bits (the low ones of round numbers are 0).
        h = (key * np.uint64(_GOLDEN)) >> np.uint64(shift)
        while keys[h] != key and keys[h] != empty:
            h = (h + np.uint64(1)) & mask
        if keys[h] == key:
            out[offset + i] = slots[h]
            continue
        if count + 1 > limit:
            return i, count
        keys[h] = key
        slots[h] = count
        out[offset + i] = count
        count += 1
    return values.shape[0], count


def factorize_rounded(parts: Sequence[FloatArray]) -> IntArray:
    """``pd.factorize(np.round(np.concatenate(parts), 9), use_na_sentinel=True)[0]``, without
    the concatenated copy: codes by first appearance, NaN → −1, −0.0 equal to 0.0.

    Returns:
        Shape (sum of the parts' lengths,).
    """
    out = np.empty(sum(len(p) for p in parts), dtype=np.int64)
    keys = np.full(1024, _EMPTY_KEY, dtype=np.uint64)
    slots = np.empty(1024, dtype=np.int64)
    count, shift, offset = 0, 64 - 10, 0
    for part in parts:
        values = np.ascontiguousarray(part, dtype=np.float64)
        done = 0
        while True:
            done, count = _factorize_run(values, done, out, offset, keys, slots, count, shift)
            if done == len(values):
                break
            keys, slots, shift = _grow(keys, slots, shift)
        offset += len(values)
    return out


def joint_codes(original: pd.Series, avatars: pd.Series, kind: Kind) -> tuple[IntArray, IntArray]:
    """Integer codes of the returned values of one column, shared by both tables.

    Missing values get code -1 on both sides, so missing equals missing.

    Returns:
        Codes of the originals, shape (n,), and of the avatars, shape (m,).
    """
    if kind != "categorical":
        codes = factorize_rounded([to_float(original, kind), to_float(avatars, kind)])
        return codes[: len(original)], codes[len(original) :]
    if isinstance(original.dtype, pd.CategoricalDtype) and isinstance(
        avatars.dtype, pd.CategoricalDtype
    ):
        codes = _categorical_codes(original, avatars)
    else:
        values = np.concatenate([_objects(original), _objects(avatars)])
        codes = np.asarray(pd.factorize(values, use_na_sentinel=True)[0], dtype=np.int64)
    return codes[: len(original)], codes[len(original) :]


def _categorical_codes(original: pd.Series, avatars: pd.Series) -> IntArray:
    """The joint codes of two pandas categoricals as the object path gives them: their
    categories are factorized together (the same equality as on the values), then every value
    is numbered by first appearance."""
    categories = np.concatenate(
        [
            np.asarray(original.cat.categories.astype(object), dtype=object),
            np.asarray(avatars.cat.categories.astype(object), dtype=object),
        ]
    )
    joint = np.asarray(pd.factorize(categories, use_na_sentinel=True)[0], dtype=np.int64)
    n_x = len(original.cat.categories)
    out = np.empty(len(original) + len(avatars), dtype=np.int64)
    first = np.full(max(1, int(joint.max(initial=-1)) + 1), -1, dtype=np.int64)
    x_codes = np.asarray(original.cat.codes, dtype=np.int64)
    a_codes = np.asarray(avatars.cat.codes, dtype=np.int64)
    count = _renumber(x_codes, joint[:n_x], out, 0, first, 0)
    _renumber(a_codes, joint[n_x:], out, len(original), first, count)
    return out


@jit()
def _renumber(
    codes: Any, joint: Any, out: Any, offset: int, first: Any, count: int
) -> int:  # pragma: no cover - compiled
    """out[offset + i] = first-appearance number of category ``joint[codes[i]]`` (−1 stays −1);
    ``first`` maps joint categories to the numbers given so far. Returns the new count."""
    for i in range(codes.shape[0]):
        c = codes[i]
        if c < 0:
            out[offset + i] = -1
            continue
        j = joint[c]
        if first[j] < 0:
            first[j] = count
            count += 1
        out[offset + i] = first[j]
    return count


def _objects(series: pd.Series) -> np.ndarray:
    values = series.astype(object).to_numpy(dtype=object, copy=True)
    values[series.isna().to_numpy(dtype=bool)] = None
    return values


def combine(columns: Iterable[IntArray]) -> IntArray:
    """One code per row from several code columns (equal rows get equal codes); the columns may
    come one at a time (a generator), only one of them being needed at once."""
    key: IntArray | None = None
    for codes in columns:
        previous = np.zeros(len(codes), dtype=np.int64) if key is None else key
        key = previous * (int(codes.max(initial=0)) + 2) + (codes + 1)
        key = np.asarray(pd.factorize(key)[0], dtype=np.int64)
    return key if key is not None else np.zeros(0, dtype=np.int64)


def row_direct_match_protection(columns: Iterable[tuple[IntArray, IntArray]]) -> float:
    """100 · share of avatar rows that copy no original row on every column (§5.6).

    Columns are matched one after the other and both sides keep only the rows that can still
    match: after a few columns with many distinct values almost nothing is left, so the cost is
    that of the first columns, and the later ones (a lazy iterable) are never computed. Rows are
    split by their first column's value into partitions matched apart (rows of two partitions
    never match), so the working arrays of one match step are those of one partition.

    Args:
        columns: per column, the joint codes (originals, avatars) of :func:`joint_codes`; most
            distinct first is fastest.
    """
    # Per partition: surviving original rows, their key, surviving avatar rows, their key.
    states: list[list[IntArray]] = []
    n_avatars = -1
    for x_codes, a_codes in columns:
        if n_avatars < 0:
            n_avatars = len(a_codes)
            states = _partitions(x_codes, a_codes)
        width = int(max(x_codes.max(initial=-1), a_codes.max(initial=-1))) + 2
        for state in states:
            x_rows, x_key, a_rows, a_key = state
            if not a_rows.size:
                continue
            joint = np.concatenate(
                [x_key * width + x_codes[x_rows] + 1, a_key * width + a_codes[a_rows] + 1]
            )
            key = np.asarray(pd.factorize(joint)[0], dtype=np.int64)
            x_key, a_key = key[: len(x_rows)], key[len(x_rows) :]
            keep_a = np.isin(a_key, x_key)
            keep_x = np.isin(x_key, a_key)
            state[:] = [x_rows[keep_x], x_key[keep_x], a_rows[keep_a], a_key[keep_a]]
        if not any(state[2].size for state in states):
            break
    if n_avatars <= 0:
        return 100.0
    copies = sum(len(state[2]) for state in states)
    return float(100.0 * (1.0 - copies / n_avatars))


def _partitions(x_codes: IntArray, a_codes: IntArray) -> list[list[IntArray]]:
    """Rows of both sides split by their code (missing included) modulo a partition count
    (about 131,072 rows per partition, at most 64), each with a zero key."""
    count = int(np.clip((len(x_codes) + len(a_codes)) // _PARTITION_ROWS, 1, _MAX_PARTITIONS))
    if count == 1:
        x_rows, a_rows = np.arange(len(x_codes)), np.arange(len(a_codes))
        return [[x_rows, np.zeros(len(x_rows), np.int64), a_rows, np.zeros(len(a_rows), np.int64)]]
    x_part = ((x_codes + 1) % count).astype(np.int8)
    a_part = ((a_codes + 1) % count).astype(np.int8)
    states = []
    for p in range(count):
        x_rows, a_rows = np.flatnonzero(x_part == p), np.flatnonzero(a_part == p)
        states.append(
            [x_rows, np.zeros(len(x_rows), np.int64), a_rows, np.zeros(len(a_rows), np.int64)]
        )
    return states


def column_direct_match_protection(x_codes: IntArray, a_codes: IntArray) -> float:
    """100 · share of avatar values that are not an identifying (unique) original value (§5.7)."""
    observed = x_codes[x_codes != _MISSING]
    counts = np.bincount(observed) if observed.size else np.zeros(0, dtype=np.int64)
    unique = counts == 1
    if not unique.any():
        return 100.0
    # A lookup by code (as np.isin(a_codes, unique codes)): -1 (missing) and codes of values
    # only the avatars have map to False.
    lookup = np.zeros(max(len(unique), int(a_codes.max(initial=-1)) + 1) + 1, dtype=bool)
    lookup[1 : len(unique) + 1] = unique
    return float(100.0 * (1.0 - lookup[a_codes + 1].mean()))


def categorical_hidden_rate(x_codes: Sequence[IntArray], a_codes: Sequence[IntArray]) -> float:
    """Hidden rate on categorical profiles under the Hamming distance (method.md §5.8).

    Args:
        x_codes: per variable, shape (n,), the originals' level codes.
        a_codes: per variable, shape (n,), the row-aligned avatars' codes (-1: unseen level).

    Returns:
        100 · (1 − mean π_i), π_i = 1/#argmin_j H(i, j) when i's own avatar is at minimal H.
    """
    n = len(x_codes[0])
    # One variable's joined codes at a time: no (2n, variables) block at the metrics' peak.
    keys = combine(np.concatenate([xc, ac]) for xc, ac in zip(x_codes, a_codes, strict=True))
    x_key, a_key = keys[:n], keys[n:]
    a_count = np.bincount(a_key, minlength=int(keys.max()) + 1)
    success = np.zeros(n)
    exact = a_count[x_key] > 0
    # Minimum H = 0: the argmin is the set of avatars with i's exact profile.
    same = exact & (a_key == x_key)
    success[same] = 1.0 / a_count[x_key[same]]
    rest = np.flatnonzero(~exact)
    if rest.size:
        a = np.column_stack(a_codes)
        queries = np.column_stack([codes[rest] for codes in x_codes])
        success[rest] = _hamming_success(queries, a[rest], a, a_key)
    return float(100.0 * (1.0 - success.mean()))


_PROFILE_BLOCK = 64  # original profiles per parallel task of the Hamming search


@jit(parallel=True)
def _hamming_minimum(
    profiles: Any, distinct: Any, counts: Any, minimum: Any, tied: Any
) -> None:  # pragma: no cover - compiled
    """For each original profile (row of ``profiles``, shape (m, variables)): the smallest
    Hamming distance to the distinct avatar profiles (columns of ``distinct``, shape
    (variables, d)), and the number of avatars at it (``counts`` of each distinct profile).

    Agreements are counted variable by variable over all distinct profiles at once, a loop that
    runs in SIMD lanes; an original code < 0 agrees with nothing (originals have no such code:
    -1 marks an avatar's level unknown to them).
    """
    m, n_vars = profiles.shape
    d = distinct.shape[1]
    for block in prange((m + _PROFILE_BLOCK - 1) // _PROFILE_BLOCK):
        agree = np.empty(d, dtype=np.int32)
        for i in range(block * _PROFILE_BLOCK, min(m, (block + 1) * _PROFILE_BLOCK)):
            agree[:] = 0
            for v in range(n_vars):
                code = profiles[i, v]
                if code < 0:
                    continue
                row = distinct[v]
                for j in range(d):
                    agree[j] += row[j] == code
            best = np.int32(0)
            for j in range(d):
                best = max(best, agree[j])
            total = 0
            for j in range(d):
                total += counts[j] if agree[j] == best else 0
            minimum[i] = n_vars - best
            tied[i] = total


def _hamming_success(
    queries: IntArray, own: IntArray, avatars: IntArray, avatar_key: IntArray
) -> FloatArray:
    """π for originals whose profile no avatar has: Hamming search of each distinct original
    profile over the distinct avatar profiles (:func:`_hamming_minimum`)."""
    _, first, counts = np.unique(avatar_key, return_index=True, return_counts=True)
    # Codes fit 32 bits (levels of one column): twice the SIMD lanes of 64-bit ones.
    distinct = np.ascontiguousarray(avatars[first].T, dtype=np.int32)
    q_key = combine([queries[:, v] for v in range(queries.shape[1])])
    _, q_first, q_inverse = np.unique(q_key, return_index=True, return_inverse=True)
    profiles = np.ascontiguousarray(queries[q_first], dtype=np.int32)
    minimum = np.empty(len(profiles), dtype=np.int64)
    tied = np.empty(len(profiles), dtype=np.int64)
    _hamming_minimum(profiles, distinct, counts.astype(np.int64), minimum, tied)
    own_h = (queries != own).sum(axis=1)
    q_inverse = np.asarray(q_inverse).ravel()
    hit = own_h == minimum[q_inverse]
    return np.where(hit, 1.0 / tied[q_inverse], 0.0)
