"""Signal (utility) metrics: Hellinger distances of marginals and correlation differences (§6)."""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from avatars_server.engine.config import SIGNAL_TARGETS
from avatars_server.engine.matching import joint_codes
from avatars_server.engine.metric_space import align_avatars
from avatars_server.engine.table import FloatArray, Kind, column_kinds, encode, to_float


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


def hellinger_categorical(original: pd.Series, avatars: pd.Series) -> float:
    """Hellinger distance over the union of modalities plus a missing bin (§6.1)."""
    x, a = joint_codes(original, avatars, "categorical")
    size = int(max(x.max(initial=-1), a.max(initial=-1))) + 2
    p = np.bincount(x + 1, minlength=size) / len(x)
    q = np.bincount(a + 1, minlength=size) / len(a)
    return _hellinger(p, q)


def hellinger_continuous(original: FloatArray, avatars: FloatArray) -> float:
    """Hellinger distance over Sturges equal-width bins plus a missing bin (§6.1).

    Args:
        original: shape (n,), NaN for missing.
        avatars: shape (m,), NaN for missing.
    """
    x_obs = original[~np.isnan(original)]
    a_obs = avatars[~np.isnan(avatars)]
    both = np.concatenate([x_obs, a_obs])
    if both.size == 0:
        bins = 1
        lo = hi = 0.0
    else:
        distinct = len(np.unique(x_obs))
        sturges = math.ceil(math.log2(x_obs.size)) + 1 if x_obs.size else 1
        bins = max(1, min(sturges, distinct))
        lo, hi = float(both.min()), float(both.max())
    if lo == hi:
        bins = 1
        hi = lo + 1.0
    # np.histogram: left-closed bins, the last one also right-closed.
    p_obs = np.histogram(x_obs, bins=bins, range=(lo, hi))[0]
    q_obs = np.histogram(a_obs, bins=bins, range=(lo, hi))[0]
    p = np.append(p_obs, original.size - x_obs.size) / max(1, original.size)
    q = np.append(q_obs, avatars.size - a_obs.size) / max(1, avatars.size)
    return _hellinger(p, q)


def _encoded_columns(
    df: pd.DataFrame, kinds: dict[str, Kind], reference: pd.DataFrame
) -> tuple[FloatArray, npt.NDArray[np.int64]]:
    """Continuous columns as they are, categorical ones as 0/1 dummies of the originals' levels.

    Returns:
        The matrix, shape (n, d), NaN for missing continuous values, and for each of its columns
        the index of the variable it comes from, shape (d,).
    """
    x_table = encode(reference, kinds)
    table = encode(df, kinds, reference=x_table)
    parts: list[FloatArray] = []
    owner: list[int] = []
    names = list(df.columns)
    for j, name in enumerate(table.continuous_names):
        parts.append(table.continuous[:, j : j + 1])
        owner.append(names.index(name))
    for var in table.categoricals:
        levels = np.arange(var.n_levels)
        parts.append((var.codes[:, None] == levels[None, :]).astype(np.float64))
        owner.extend([names.index(var.name)] * var.n_levels)
    matrix = np.hstack(parts) if parts else np.zeros((len(df), 0))
    return matrix, np.asarray(owner, dtype=np.int64)


def pairwise_correlation(matrix: FloatArray) -> FloatArray:
    """Pearson correlations on pairwise complete observations; NaN where undefined.

    Columns are grouped by missingness mask, so each block is computed on exactly the rows where
    both columns are observed. A column constant on those rows (max = min) gives NaN.

    Args:
        matrix: shape (n, d), NaN for missing.

    Returns:
        Shape (d, d).
    """
    d = matrix.shape[1]
    masks, group = _missingness_groups(matrix)
    result = np.full((d, d), np.nan)
    for g in range(len(masks)):
        for h in range(g, len(masks)):
            rows = masks[g] & masks[h]
            cols_g, cols_h = np.flatnonzero(group == g), np.flatnonzero(group == h)
            if rows.sum() < 2:
                continue
            sub_g = matrix[np.ix_(rows, cols_g)]
            sub_h = matrix[np.ix_(rows, cols_h)]
            block = _correlate(sub_g, sub_h)
            result[np.ix_(cols_g, cols_h)] = block
            result[np.ix_(cols_h, cols_g)] = block.T
    return result


def _missingness_groups(
    matrix: FloatArray,
) -> tuple[list[npt.NDArray[np.bool_]], npt.NDArray[np.int64]]:
    """Distinct observed-masks of the columns and each column's group, shape (d,)."""
    keys: dict[bytes, int] = {}
    masks: list[npt.NDArray[np.bool_]] = []
    group = np.empty(matrix.shape[1], dtype=np.int64)
    for j in range(matrix.shape[1]):
        observed = ~np.isnan(matrix[:, j])
        key = b"" if observed.all() else np.packbits(observed).tobytes()
        if key not in keys:
            keys[key] = len(masks)
            masks.append(observed)
        group[j] = keys[key]
    return masks, group


def _correlate(left: FloatArray, right: FloatArray) -> FloatArray:
    """Correlations between the columns of two complete blocks with the same rows."""
    constant_l = left.max(axis=0) == left.min(axis=0)
    constant_r = right.max(axis=0) == right.min(axis=0)
    lc = left - left.mean(axis=0)
    rc = right - right.mean(axis=0)
    norm_l = np.sqrt((lc**2).sum(axis=0))
    norm_r = np.sqrt((rc**2).sum(axis=0))
    with np.errstate(divide="ignore", invalid="ignore"):
        corr = (lc.T @ rc) / np.outer(norm_l, norm_r)
    corr[constant_l, :] = np.nan
    corr[:, constant_r] = np.nan
    return np.asarray(np.clip(corr, -1.0, 1.0), dtype=np.float64)


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
    avatars = avatars.set_axis([str(c) for c in avatars.columns], axis=1)
    avatars = align_avatars(original, avatars)
    kinds = column_kinds(original, categorical)
    per_variable: dict[str, float] = {}
    for name in original.columns:
        kind = kinds[name]
        if kind == "categorical":
            per_variable[name] = hellinger_categorical(original[name], avatars[name])
        else:
            per_variable[name] = hellinger_continuous(
                to_float(original[name], kind), to_float(avatars[name], kind)
            )
    values = np.array(list(per_variable.values()))
    x_matrix, owner = _encoded_columns(original, kinds, original)
    a_matrix, _ = _encoded_columns(avatars, kinds, original)
    r_x = pairwise_correlation(x_matrix)
    r_a = np.nan_to_num(pairwise_correlation(a_matrix), nan=0.0)
    valid = (owner[:, None] != owner[None, :]) & ~np.isnan(r_x)
    valid &= np.triu(np.ones_like(valid), k=1).astype(bool)
    ratio = float(100.0 * np.abs(r_x - r_a)[valid].mean()) if valid.any() else None
    return SignalMetricsResult(
        hellinger_mean=float(values.mean()),
        hellinger_std=float(values.std()),
        correlation_difference_ratio=ratio,
        targets=SIGNAL_TARGETS,
        details={"hellinger": per_variable, "correlation_pairs": int(valid.sum())},
    )
