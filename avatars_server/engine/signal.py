"""Signal (utility) metrics: Hellinger distances of marginals (:mod:`.hellinger`) and correlation
differences (§6).

Correlations come from moments accumulated over row batches of the encoded table, so no dense
n × d copy of the dummies is ever held.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from avatars_server.engine.config import SIGNAL_TARGETS
from avatars_server.engine.hellinger import (
    column_ranges,
    hellinger_codes,
    stacked_ranges,
    sturges_bins,
)
from avatars_server.engine.jit import jit
from avatars_server.engine.memory import release_free_memory
from avatars_server.engine.metric_space import align_avatars
from avatars_server.engine.table import (
    Encoded,
    FloatArray,
    IntArray,
    column_kinds,
    encode,
    to_float,
)

BoolArray = npt.NDArray[np.bool_]
_BATCH_ROWS = 65_536


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


# gather(start, stop, rows, cols, shift, low, high) -> batch: the rows [start, stop) kept by
# ``rows`` (shape (stop - start,)) and the matrix columns ``cols``, shape (m, len(cols)),
# Fortran-ordered (the layout of numpy's ``matrix[rows][:, cols]``, which the reductions and
# the product below depend on, to the last bit), minus ``shift`` when given; ``low``/``high``
# take the minimum / maximum of the values (unshifted).
Gather = Callable[
    [int, int, BoolArray, IntArray, FloatArray | None, FloatArray, FloatArray], FloatArray
]


def _owners(table: Encoded) -> IntArray:
    """For each column of the encoded matrix (continuous columns as they are, then one 0/1
    dummy per level of the originals for each categorical column) the index of its variable
    (continuous first, then categorical), shape (d,)."""
    n_cont = len(table.continuous_names)
    owner = list(range(n_cont))
    for v, var in enumerate(table.categoricals):
        owner.extend([n_cont + v] * var.n_levels)
    return np.asarray(owner, dtype=np.int64)


_TILE = 256  # rows per tile of the gather kernel: their values stay in the L1/L2 cache


@jit()
def _gather_encoded(
    continuous: Any,
    codes: Any,
    start: int,
    rows: Any,
    source: Any,
    level: Any,
    shift: Any,
    shifted: bool,
    out: Any,
    low: Any,
    high: Any,
) -> None:  # pragma: no cover - compiled
    """The kept rows of the encoded matrix, built in place (``out`` Fortran-ordered, one row
    per kept row): matrix column c is continuous column ``source[c]`` (>= 0) or the dummy
    ``codes[:, -source[c] - 1] == level[c]``; ``codes`` holds the batch's rows. Values minus
    ``shift`` when ``shifted``; their min/max into low/high. Tiles of rows, column by column,
    so every write is sequential."""
    kept = np.flatnonzero(rows)
    for t0 in range(0, kept.shape[0], _TILE):
        t1 = min(kept.shape[0], t0 + _TILE)
        for c in range(source.shape[0]):
            s = source[c]
            lo = low[c]
            hi = high[c]
            if s >= 0:
                for m in range(t0, t1):
                    v = continuous[start + kept[m], s]
                    lo = min(lo, v)
                    hi = max(hi, v)
                    out[m, c] = v - shift[c] if shifted else v
            else:
                for m in range(t0, t1):
                    v = 1.0 if codes[kept[m], -s - 1] == level[c] else 0.0
                    lo = min(lo, v)
                    hi = max(hi, v)
                    out[m, c] = v - shift[c] if shifted else v
            low[c] = lo
            high[c] = hi


def _encoded_gather(table: Encoded) -> Gather:
    """Row batches of ``table``'s encoded matrix (see :func:`_owners`), built by a kernel
    without the dense batch of every dummy."""
    n_cont = len(table.continuous_names)
    source_all = list(range(n_cont))
    level_all = [0] * n_cont
    for v, var in enumerate(table.categoricals):
        source_all.extend([-v - 1] * var.n_levels)
        level_all.extend(range(var.n_levels))
    sources = np.asarray(source_all, dtype=np.int64)
    levels = np.asarray(level_all, dtype=np.int64)
    no_shift = np.zeros(len(sources))

    def gather(
        start: int,
        stop: int,
        rows: BoolArray,
        cols: IntArray,
        shift: FloatArray | None,
        low: FloatArray,
        high: FloatArray,
    ) -> FloatArray:
        out = np.empty((int(np.count_nonzero(rows)), len(cols)), order="F")
        if table.categoricals:
            codes = np.stack([var.codes[start:stop] for var in table.categoricals], axis=1)
        else:
            codes = np.zeros((stop - start, 0), dtype=np.int64)
        _gather_encoded(
            table.continuous,
            codes,
            start,
            rows,
            sources[cols],
            levels[cols],
            no_shift if shift is None else shift,
            shift is not None,
            out,
            low,
            high,
        )
        return out

    return gather


def _dense_gather(matrix: FloatArray) -> Gather:
    """Row batches of a dense matrix (n, d)."""

    def gather(
        start: int,
        stop: int,
        rows: BoolArray,
        cols: IntArray,
        shift: FloatArray | None,
        low: FloatArray,
        high: FloatArray,
    ) -> FloatArray:
        batch = matrix[start:stop][rows][:, cols]
        if len(batch):
            np.minimum(low, batch.min(axis=0), out=low)
            np.maximum(high, batch.max(axis=0), out=high)
        return batch if shift is None else batch - shift

    return gather


@jit()
def _nan_columns(continuous: Any) -> Any:  # pragma: no cover - compiled
    """Whether each column has a NaN, shape (n_continuous,), in one row-major pass."""
    found = np.zeros(continuous.shape[1], dtype=np.bool_)
    for i in range(continuous.shape[0]):
        for j in range(continuous.shape[1]):
            if continuous[i, j] != continuous[i, j]:
                found[j] = True
    return found


def _mask_groups(continuous: FloatArray, d: int) -> tuple[list[BoolArray], IntArray]:
    """Distinct observed-row masks and each matrix column's group, shape (d,).

    Only continuous columns (the first ones) can be missing; dummies join the complete group.
    """
    n = continuous.shape[0]
    keys: dict[bytes, int] = {b"": 0}
    masks: list[BoolArray] = [np.ones(n, dtype=bool)]
    group = np.zeros(d, dtype=np.int64)
    has_nan = _nan_columns(continuous) if continuous.shape[1] else np.zeros(0, dtype=bool)
    for j in range(continuous.shape[1]):
        if not has_nan[j]:
            continue
        observed = ~np.isnan(continuous[:, j])
        key = np.packbits(observed).tobytes()
        if key not in keys:
            keys[key] = len(masks)
            masks.append(observed)
        group[j] = keys[key]
    return masks, group


def _block_correlation(gather: Gather, n: int, rows: BoolArray, cols: IntArray) -> FloatArray:
    """Pearson correlations of the given columns on the given rows; NaN for a column that is
    constant there (max = min) or with fewer than 2 rows. Shape (len(cols), len(cols)).

    One-pass moments over row batches shifted by the first batch's mean; the batches are the
    same arrays (values and shapes) whatever builds them, so the products are the same."""
    d = len(cols)
    count = 0
    shift: FloatArray | None = None
    total = np.zeros(d)
    cross = np.zeros((d, d))
    low = np.full(d, np.inf)
    high = np.full(d, -np.inf)
    for start in range(0, n, _BATCH_ROWS):
        stop = min(n, start + _BATCH_ROWS)
        batch = gather(start, stop, rows[start:stop], cols, shift, low, high)
        if not len(batch):
            continue
        if shift is None:
            # Shifting by a first mean keeps the one-pass moments accurate.
            shift = batch.mean(axis=0)
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


def correlations(gather: Gather, n: int, continuous: FloatArray, d: int) -> FloatArray:
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
            block = _block_correlation(gather, n, masks[g] & masks[h], cols)
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
    result = correlations(_dense_gather(ordered), n, ordered[:, : len(nan_columns)], d)
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
    owner = _owners(x)
    d = len(owner)
    # One encoded table at a time: the originals' correlations and histograms (the avatars'
    # ranges, which set the bins, read a column at a time), then the avatars'.
    r_x = correlations(_encoded_gather(x), x.n_rows, x.continuous, d)
    x_ranges = column_ranges(x.continuous)
    a_ranges = stacked_ranges(
        [
            column_ranges(to_float(avatars[name], kinds[name]).reshape(-1, 1))
            for name in x.continuous_names
        ]
    )
    bins = sturges_bins(x.continuous, x_ranges, a_ranges)
    p_obs = bins.histograms(x.continuous, x_ranges)
    levels = Encoded(x.continuous_names, np.empty((0, len(x.continuous_names))), x.categoricals)
    del x
    a = encode(avatars, kinds, reference=levels)
    per_variable = dict(
        zip(
            levels.continuous_names,
            bins.distances(p_obs, bins.histograms(a.continuous, a_ranges)),
            strict=True,
        )
    )
    for xv, av in zip(levels.categoricals, a.categoricals, strict=True):
        per_variable[xv.name] = hellinger_codes(xv.codes, av.codes, xv.n_levels)
    per_variable = {name: per_variable[name] for name in original.columns}
    values = np.array(list(per_variable.values()))
    r_a = np.nan_to_num(correlations(_encoded_gather(a), a.n_rows, a.continuous, d), nan=0.0)
    del a
    valid = (owner[:, None] != owner[None, :]) & ~np.isnan(r_x)
    valid &= np.triu(np.ones((d, d), dtype=bool), k=1)
    ratio = float(100.0 * np.abs(r_x - r_a)[valid].mean()) if valid.any() else None
    release_free_memory()
    return SignalMetricsResult(
        hellinger_mean=float(values.mean()),
        hellinger_std=float(values.std()),
        correlation_difference_ratio=ratio,
        targets=SIGNAL_TARGETS,
        details={"hellinger": per_variable, "correlation_pairs": int(valid.sum())},
    )
