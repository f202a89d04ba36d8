"""Signal (utility) metrics: Hellinger distances of marginals and correlation differences (§6).

Correlations come from moments accumulated over row batches of the encoded table, so no dense
n × d copy of the dummies is ever held.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from avatars_server.engine.config import SIGNAL_TARGETS
from avatars_server.engine.metric_space import align_avatars
from avatars_server.engine.table import (
    Encoded,
    FloatArray,
    IntArray,
    column_kinds,
    encode,
    encode_categorical,
    encode_like,
)

BoolArray = npt.NDArray[np.bool_]
Blocks = Callable[[int, int], FloatArray]
_BATCH_ROWS = 65_536
# Values looked at first when counting distinct values against the number of Sturges bins.
_DISTINCT_PREFIX = 4_096


@dataclass(frozen=True)
class SignalMetricsResult:
    """Signal metrics (wire names of avatar-api.md §3.7); every float is finite.

    ``details`` holds ``hellinger`` (per variable) and ``correlation_pairs`` (pairs compared).
    """

    hellinger_mean: float
    hellinger_std: float
    correlation_difference_ratio: float | None
    targets: Mapping[str, str]
    details: Mapping[str, object]


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
    x_obs = _observed(original)
    a_obs = _observed(avatars)
    bins = 1
    lo = hi = 0.0
    if x_obs.size or a_obs.size:
        sturges = math.ceil(math.log2(x_obs.size)) + 1 if x_obs.size else 1
        bins = max(1, min(sturges, _distinct_up_to(x_obs, sturges)))
        lo = float(min(x_obs.min(initial=np.inf), a_obs.min(initial=np.inf)))
        hi = float(max(x_obs.max(initial=-np.inf), a_obs.max(initial=-np.inf)))
    if lo == hi:
        bins = 1
        hi = lo + 1.0
    # np.histogram: left-closed bins, the last one also right-closed.
    p_obs = np.histogram(x_obs, bins=bins, range=(lo, hi))[0]
    q_obs = np.histogram(a_obs, bins=bins, range=(lo, hi))[0]
    p = np.append(p_obs, original.size - x_obs.size) / max(1, original.size)
    q = np.append(q_obs, avatars.size - a_obs.size) / max(1, avatars.size)
    return _hellinger(p, q)


def _observed(values: FloatArray) -> FloatArray:
    """The non-missing values (the array itself when none is missing)."""
    missing = np.isnan(values)
    return values[~missing] if missing.any() else values


def _distinct_up_to(values: FloatArray, limit: int) -> int:
    """min(limit, number of distinct values) or more: the exact count when it is below
    ``limit``. A prefix with ``limit`` distinct values already settles it."""
    if values.size > _DISTINCT_PREFIX and len(pd.unique(values[:_DISTINCT_PREFIX])) >= limit:
        return limit
    return len(pd.unique(values))


def _blocks(table: Encoded) -> tuple[Blocks, IntArray]:
    """Row batches of the encoded matrix: continuous columns as they are, then one 0/1 dummy per
    level of the originals for each categorical column.

    Returns:
        A function giving rows [start, stop) as shape (stop - start, d), and for each column of
        the matrix the index of its variable (continuous first, then categorical), shape (d,).
    """
    n_cont = len(table.continuous_names)
    owner = list(range(n_cont))
    for v, var in enumerate(table.categoricals):
        owner.extend([n_cont + v] * var.n_levels)

    def rows(start: int, stop: int) -> FloatArray:
        parts = [table.continuous[start:stop]]
        for var in table.categoricals:
            levels = np.arange(var.n_levels)
            parts.append((var.codes[start:stop, None] == levels[None, :]).astype(np.float64))
        return np.hstack(parts)

    return rows, np.asarray(owner, dtype=np.int64)


def _mask_groups(continuous: FloatArray, d: int) -> tuple[list[BoolArray], IntArray]:
    """Distinct observed-row masks and each matrix column's group, shape (d,).

    Only continuous columns (the first ones) can be missing; dummies join the complete group.
    """
    n = continuous.shape[0]
    keys: dict[bytes, int] = {b"": 0}
    masks: list[BoolArray] = [np.ones(n, dtype=bool)]
    group = np.zeros(d, dtype=np.int64)
    for j in range(continuous.shape[1]):
        observed = ~np.isnan(continuous[:, j])
        key = b"" if observed.all() else np.packbits(observed).tobytes()
        if key not in keys:
            keys[key] = len(masks)
            masks.append(observed)
        group[j] = keys[key]
    return masks, group


def _block_correlation(blocks: Blocks, n: int, rows: BoolArray, cols: IntArray) -> FloatArray:
    """Pearson correlations of the given columns on the given rows; NaN for a column that is
    constant there (max = min) or with fewer than 2 rows. Shape (len(cols), len(cols))."""
    d = len(cols)
    count = 0
    shift: FloatArray | None = None
    total = np.zeros(d)
    cross = np.zeros((d, d))
    low = np.full(d, np.inf)
    high = np.full(d, -np.inf)
    for start in range(0, n, _BATCH_ROWS):
        stop = min(n, start + _BATCH_ROWS)
        batch = blocks(start, stop)[rows[start:stop]][:, cols]
        if not len(batch):
            continue
        if shift is None:
            # Shifting by a first mean keeps the one-pass moments accurate.
            shift = batch.mean(axis=0)
        low = np.minimum(low, batch.min(axis=0))
        high = np.maximum(high, batch.max(axis=0))
        batch = batch - shift
        count += len(batch)
        total += batch.sum(axis=0)
        cross += batch.T @ batch
    result = np.full((d, d), np.nan)
    if count < 2:
        return result
    mean = total / count
    cov = cross / count - np.outer(mean, mean)
    sd = np.sqrt(np.maximum(np.diag(cov), 0.0))
    with np.errstate(divide="ignore", invalid="ignore"):
        result = cov / np.outer(sd, sd)
    constant = ~(high > low)
    result[constant, :] = np.nan
    result[:, constant] = np.nan
    return np.asarray(np.clip(result, -1.0, 1.0), dtype=np.float64)


def correlations(blocks: Blocks, n: int, continuous: FloatArray, d: int) -> FloatArray:
    """Pearson correlations on pairwise complete observations, shape (d, d); NaN if undefined.

    Columns are grouped by missingness mask; each pair of groups is computed on exactly the
    rows where both are observed.
    """
    masks, group = _mask_groups(continuous, d)
    result = np.full((d, d), np.nan)
    for g in range(len(masks)):
        for h in range(g, len(masks)):
            cols_g, cols_h = np.flatnonzero(group == g), np.flatnonzero(group == h)
            if not cols_g.size or not cols_h.size:
                continue
            cols = np.concatenate([cols_g, cols_h]) if g != h else cols_g
            block = _block_correlation(blocks, n, masks[g] & masks[h], cols)
            sub = block[: len(cols_g), len(cols) - len(cols_h) :]
            result[np.ix_(cols_g, cols_h)] = sub
            result[np.ix_(cols_h, cols_g)] = sub.T
    return result


def pairwise_correlation(matrix: FloatArray) -> FloatArray:
    """Pairwise-complete Pearson correlations of a dense matrix (n, d), NaN where undefined."""
    n, d = matrix.shape
    nan_columns = np.flatnonzero(np.isnan(matrix).any(axis=0))
    order = np.concatenate([nan_columns, np.setdiff1d(np.arange(d), nan_columns)])
    ordered = matrix[:, order]
    result = correlations(lambda a, b: ordered[a:b], n, ordered[:, : len(nan_columns)], d)
    back = np.empty(d, dtype=np.int64)
    back[order] = np.arange(d)
    return result[np.ix_(back, back)]


def compute_signal_metrics(
    original: pd.DataFrame,
    avatars: pd.DataFrame,
    *,
    categorical: Collection[str] | None = None,
) -> SignalMetricsResult:
    """Hellinger mean/sd and correlation difference ratio (method.md §6).

    Args:
        original: shape (n, p), identifiers removed.
        avatars: shape (m, p), same columns, any row order.
        categorical: explicit list of categorical columns (default: from the dtypes).
    """
    original = original.reset_index(drop=True)
    original.columns = pd.Index([str(c) for c in original.columns])
    avatars = align_avatars(original, avatars.set_axis([str(c) for c in avatars.columns], axis=1))
    kinds = column_kinds(original, categorical)
    x = encode(original, kinds)
    a = encode(avatars, kinds, reference=x)
    per_variable: dict[str, float] = {}
    for j, name in enumerate(x.continuous_names):
        per_variable[name] = hellinger_continuous(x.continuous[:, j], a.continuous[:, j])
    for xv, av in zip(x.categoricals, a.categoricals, strict=True):
        per_variable[xv.name] = hellinger_codes(xv.codes, av.codes, xv.n_levels)
    per_variable = {name: per_variable[name] for name in original.columns}
    values = np.array(list(per_variable.values()))

    x_blocks, owner = _blocks(x)
    a_blocks, _ = _blocks(a)
    d = len(owner)
    r_x = correlations(x_blocks, x.n_rows, x.continuous, d)
    r_a = np.nan_to_num(correlations(a_blocks, a.n_rows, a.continuous, d), nan=0.0)
    valid = (owner[:, None] != owner[None, :]) & ~np.isnan(r_x)
    valid &= np.triu(np.ones((d, d), dtype=bool), k=1)
    ratio = float(100.0 * np.abs(r_x - r_a)[valid].mean()) if valid.any() else None
    return SignalMetricsResult(
        hellinger_mean=float(values.mean()),
        hellinger_std=float(values.std()),
        correlation_difference_ratio=ratio,
        targets=SIGNAL_TARGETS,
        details={"hellinger": per_variable, "correlation_pairs": int(valid.sum())},
    )
