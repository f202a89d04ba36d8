"""Hellinger distances between the marginals of originals and avatars (method.md §6.1): one
histogram per variable, categorical levels as they are, continuous values on Sturges bins over
the originals' range (numpy's bin rule, two row-major passes for every column at once)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from avatars_server.engine.jit import jit
from avatars_server.engine.table import FloatArray, IntArray, encode_categorical, encode_like

# Values looked at first when counting distinct values against the number of Sturges bins.
_DISTINCT_PREFIX = 4_096


def _hellinger(p: FloatArray, q: FloatArray) -> float:
    """H(P, Q) = √(1 − Σ √(P·Q)), clipped to [0, 1] against rounding."""
    return math.sqrt(max(0.0, 1.0 - float(np.sqrt(p * q).sum())))


def hellinger_codes(original: IntArray, avatars: IntArray, n_levels: int) -> float:
    """Hellinger distance of two categorical samples given as level codes (§6.1).

    Codes -1 are avatar modalities unknown to the originals. They share one bin here: the
    originals have no mass there, so merging them leaves Σ√(P·Q), hence H, unchanged.
    """
    p = np.bincount(original + 1, minlength=n_levels + 1) / max(1, len(original))
    q = np.bincount(avatars + 1, minlength=n_levels + 1) / max(1, len(avatars))
    return _hellinger(p, q)


def hellinger_categorical(original: pd.Series, avatars: pd.Series) -> float:
    """Hellinger distance over the union of modalities plus a missing bin (§6.1)."""
    fitted = encode_categorical("v", original)
    return hellinger_codes(fitted.codes, encode_like(avatars, fitted), fitted.n_levels)


def hellinger_continuous(original: FloatArray, avatars: FloatArray) -> float:
    """Hellinger distance over Sturges equal-width bins plus a missing bin (§6.1).

    Args:
        original: shape (n,), NaN for missing.
        avatars: shape (m,), NaN for missing.
    """
    x = np.asarray(original, dtype=np.float64).reshape(-1, 1)
    a = np.asarray(avatars, dtype=np.float64).reshape(-1, 1)
    return hellinger_columns(x, a)[0]


def hellinger_columns(original: FloatArray, avatars: FloatArray) -> list[float]:
    """:func:`hellinger_continuous` of every column pair, each table read in two row-major
    passes (observed count / min / max, then the histograms) whatever its number of columns.

    Args:
        original: shape (n, p), NaN for missing.
        avatars: shape (m, p), NaN for missing.
    """
    x, a = column_ranges(original), column_ranges(avatars)
    bins = sturges_bins(original, x, a)
    return bins.distances(bins.histograms(original, x), bins.histograms(avatars, a))


@dataclass(frozen=True)
class Ranges:
    """Per column of a table: its number of observed (non-NaN) values, their min and max."""

    rows: int
    count: IntArray
    lo: FloatArray
    hi: FloatArray


def column_ranges(values: FloatArray) -> Ranges:
    """The :class:`Ranges` of every column of ``values`` (shape (n, p)) in one pass; min/max
    are exact, so equal to ``x_obs.min(initial=inf)`` / ``x_obs.max(initial=-inf)`` (up to
    the sign of a zero, which no bin sees)."""
    count, lo, hi = _ranges_kernel(values)
    return Ranges(int(values.shape[0]), count, lo, hi)


def stacked_ranges(parts: list[Ranges]) -> Ranges:
    """The ranges of a table from those of its columns taken one at a time, in order."""
    if not parts:
        return Ranges(0, np.zeros(0, dtype=np.int64), np.zeros(0), np.zeros(0))
    return Ranges(
        parts[0].rows,
        np.concatenate([r.count for r in parts]),
        np.concatenate([r.lo for r in parts]),
        np.concatenate([r.hi for r in parts]),
    )


@dataclass(frozen=True)
class Bins:
    """Each column's Sturges bins: their number and the range they split (§6.1)."""

    original: Ranges
    avatars: Ranges
    bins: IntArray
    lo: FloatArray
    hi: FloatArray

    def histograms(self, values: FloatArray, ranges: Ranges) -> IntArray:
        """The counts per bin of ``values`` (the originals or the avatars, shape (rows, p)),
        given their ranges."""
        return _histograms(values, ranges.count, self.bins, self.lo, self.hi)

    def distances(self, p_obs: IntArray, q_obs: IntArray) -> list[float]:
        """The Hellinger distance of each column from the originals' and avatars' counts, a
        missing bin last."""
        x, a = self.original, self.avatars
        out = []
        for j in range(len(self.bins)):
            b = int(self.bins[j])
            p = np.append(p_obs[j, :b], x.rows - x.count[j]) / max(1, x.rows)
            q = np.append(q_obs[j, :b], a.rows - a.count[j]) / max(1, a.rows)
            out.append(_hellinger(p, q))
        return out


def sturges_bins(original: FloatArray, x: Ranges, a: Ranges) -> Bins:
    """The bins of every column: Sturges' number on the originals' observed values, at most
    their distinct count, over the range of both tables (one bin for a constant column).

    Args:
        original: shape (n, p), NaN for missing (read for the distinct counts).
        x, a: the ranges of the originals' and the avatars' columns.
    """
    p_cols = len(x.count)
    bins = np.ones(p_cols, dtype=np.int64)
    lo = np.zeros(p_cols)
    hi = np.zeros(p_cols)
    for j in range(p_cols):
        if x.count[j] or a.count[j]:
            n_obs = int(x.count[j])
            sturges = math.ceil(math.log2(n_obs)) + 1 if n_obs else 1
            distinct = _distinct_up_to(original[:, j], n_obs, sturges)
            bins[j] = max(1, min(sturges, distinct))
            lo[j] = float(min(x.lo[j], a.lo[j]))
            hi[j] = float(max(x.hi[j], a.hi[j]))
        if lo[j] == hi[j]:
            bins[j] = 1
            hi[j] = lo[j] + 1.0
    return Bins(x, a, bins, lo, hi)


@jit()
def _ranges_kernel(values: Any) -> tuple[Any, Any, Any]:  # pragma: no cover - compiled
    """Per column: number of non-NaN values, their minimum and maximum (inf, −inf if none)."""
    p = values.shape[1]
    count = np.zeros(p, dtype=np.int64)
    lo = np.full(p, np.inf)
    hi = np.full(p, -np.inf)
    for i in range(values.shape[0]):
        for j in range(p):
            v = values[i, j]
            if v == v:
                count[j] += 1
                lo[j] = min(lo[j], v)
                hi[j] = max(hi[j], v)
    return count, lo, hi


@jit()
def _histograms_kernel(
    values: Any, lo: Any, hi: Any, bins: Any, edges: Any, active: Any, counts: Any
) -> None:  # pragma: no cover - compiled
    """Per active column j, ``np.histogram(values[~isnan, j], bins[j], (lo[j], hi[j]))[0]``
    added to ``counts[j]``: numpy's uniform bin rule, step by step (index from the scaled
    offset, the last edge in the last bin, then one step down or up against the linspace
    ``edges[j]``); values outside [lo, hi] (NaN too) skipped."""
    p = values.shape[1]
    denom = hi - lo
    for i in range(values.shape[0]):
        for j in range(p):
            if not active[j]:
                continue
            v = values[i, j]
            if not (v >= lo[j] and v <= hi[j]):
                continue
            b = bins[j]
            index = int(((v - lo[j]) / denom[j]) * b)
            if index == b:
                index -= 1
            if v < edges[j, index]:
                index -= 1
            if v >= edges[j, index + 1] and index != b - 1:
                index += 1
            counts[j, index] += 1


def _histograms(
    values: FloatArray, observed: IntArray, bins: IntArray, lo: FloatArray, hi: FloatArray
) -> IntArray:
    """Per column j, the counts of its non-missing values in ``bins[j]`` equal-width bins of
    [lo[j], hi[j]], exactly ``np.histogram(values[~np.isnan(values[:, j]), j], bins=bins[j],
    range=(lo[j], hi[j]))[0]``, shape (p, max bins), zero-padded."""
    p_cols = values.shape[1]
    width = int(bins.max(initial=1))
    edges = np.zeros((p_cols, width + 1))
    counts = np.zeros((p_cols, width), dtype=np.intp)
    active = np.zeros(p_cols, dtype=np.bool_)
    for j in range(p_cols):
        b = int(bins[j])
        column_edges = np.linspace(lo[j], hi[j], b + 1, endpoint=True, dtype=np.float64)
        if not observed[j] or np.any(column_edges[:-1] >= column_edges[1:]):
            # Nothing to count, or numpy's "too many bins" error: numpy's own path.
            column = _observed(values[:, j])
            counts[j, :b] = np.histogram(column, bins=b, range=(lo[j], hi[j]))[0]
            continue
        edges[j, : b + 1] = column_edges
        active[j] = True
    if active.any():
        _histograms_kernel(values, lo, hi, bins, edges, active, counts)
    return counts


def _observed(values: FloatArray) -> FloatArray:
    """The non-missing values (the array itself when none is missing)."""
    missing = np.isnan(values)
    return values[~missing] if missing.any() else values


def _distinct_up_to(values: FloatArray, observed: int, limit: int) -> int:
    """min(limit, number of distinct non-missing values) or more: the exact count when it is
    below ``limit``. A prefix of ``_DISTINCT_PREFIX`` observed values with ``limit`` distinct
    values already settles it.

    Args:
        values: shape (n,), NaN for missing.
        observed: the number of non-missing values.
    """
    if observed > _DISTINCT_PREFIX:
        head = values[: 2 * _DISTINCT_PREFIX]
        while True:
            prefix = head[~np.isnan(head)]
            if len(prefix) >= _DISTINCT_PREFIX or len(head) == len(values):
                break
            head = values[: 2 * len(head)]
        if len(pd.unique(prefix[:_DISTINCT_PREFIX])) >= limit:
            return limit
    return len(pd.unique(_observed(values)))
