"""Imputation of missing continuous values: mean, median, mode, knn, fast_knn (method.md §3.3)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.spatial import cKDTree

from avatars_server.engine.config import ImputationConfig
from avatars_server.engine.neighbours import TIE_TOLERANCE, exact_knn
from avatars_server.engine.table import Encoded, FloatArray, IntArray

# Memory bound of one block of the brute-force knn distance matrix (float64 cells).
_BLOCK_CELLS = 4_000_000


@dataclass(frozen=True)
class Imputer:
    """An imputer fitted on a training subset of a table.

    Attributes:
        config: the method and its parameters.
        train: shape (m,), row indices of the training subset in the fitted table.
        fill: shape (n_continuous,), the fill value of mean/median/mode (NaN for knn).
        features: shape (m, n_features), training feature vectors (knn methods); NaN where missing.
        train_values: shape (m, n_continuous), training continuous values (NaN where missing).
        scale_mean, scale_sd: shape (n_continuous,), the z-scoring of the feature vectors.
        levels: number of levels of each categorical variable (one-hot widths).
    """

    config: ImputationConfig
    train: IntArray
    fill: FloatArray
    features: FloatArray
    train_values: FloatArray
    scale_mean: FloatArray
    scale_sd: FloatArray
    levels: tuple[int, ...]


def training_rows(n: int, config: ImputationConfig, rng: np.random.Generator) -> IntArray:
    """Sorted training subset: round(f·n) rows, at least 1 and at least k when possible.

    Returns:
        Shape (m,).
    """
    if config.training_fraction >= 1:
        return np.arange(n, dtype=np.int64)
    size = max(round(config.training_fraction * n), 1, min(config.k, n))
    return np.sort(rng.choice(n, size=size, replace=False)).astype(np.int64)


def _mode(values: FloatArray) -> float:
    uniques, counts = np.unique(values, return_counts=True)
    # np.unique sorts, so argmax returns the smallest of the most frequent values.
    return float(uniques[np.argmax(counts)])


def _features(table: Encoded, mean: FloatArray, sd: FloatArray) -> FloatArray:
    """z-scored continuous columns (NaN kept) followed by one-hot categorical levels.

    Returns:
        Shape (n, n_continuous + total levels).
    """
    n = table.n_rows
    parts = [(table.continuous - mean) / sd]
    for var in table.categoricals:
        onehot = np.zeros((n, var.n_levels), dtype=np.float64)
        known = var.codes >= 0
        onehot[np.flatnonzero(known), var.codes[known]] = 1.0
        parts.append(onehot)
    return np.hstack(parts) if parts else np.zeros((n, 0))


def fit_imputer(table: Encoded, config: ImputationConfig, rng: np.random.Generator) -> Imputer:
    """Fit the imputer of ``config.method`` on a training subset of ``table``."""
    train = training_rows(table.n_rows, config, rng)
    values = table.continuous[train]
    full = table.continuous
    n_cont = values.shape[1]
    fill = np.full(n_cont, np.nan)
    for j in range(n_cont):
        observed = values[:, j][~np.isnan(values[:, j])]
        if observed.size == 0:
            # The subset saw no value of this column: fall back to the whole table.
            observed = full[:, j][~np.isnan(full[:, j])]
        if observed.size == 0:
            continue
        if config.method == "mean":
            fill[j] = float(np.mean(observed))
        elif config.method == "median":
            fill[j] = float(np.median(observed))
        elif config.method == "mode":
            fill[j] = _mode(observed)
    scale_mean = np.zeros(n_cont)
    scale_sd = np.ones(n_cont)
    features = np.zeros((0, 0))
    if config.method in ("knn", "fast_knn"):
        with np.errstate(invalid="ignore"):
            observed_mean = np.nanmean(np.where(np.isnan(values).all(0), full, values), axis=0)
            observed_sd = np.nanstd(np.where(np.isnan(values).all(0), full, values), axis=0)
        scale_mean = np.nan_to_num(observed_mean)
        scale_sd = np.where((observed_sd > 0) & np.isfinite(observed_sd), observed_sd, 1.0)
        features = _features(table, scale_mean, scale_sd)[train]
    levels = tuple(v.n_levels for v in table.categoricals)
    return Imputer(config, train, fill, features, values, scale_mean, scale_sd, levels)


def impute(imputer: Imputer, table: Encoded) -> FloatArray:
    """Fill the missing continuous values of ``table`` (the fitted table or another one).

    Args:
        imputer: the fitted imputer.
        table: encoded with the fitted table's levels.

    Returns:
        Shape (n, n_continuous), without NaN.
    """
    result = table.continuous.copy()
    missing = np.isnan(result)
    if not missing.any():
        return result
    method = imputer.config.method
    if method in ("mean", "median", "mode"):
        rows, cols = np.nonzero(missing)
        result[rows, cols] = imputer.fill[cols]
        return result
    features = _features(table, imputer.scale_mean, imputer.scale_sd)
    rows_with_missing = np.flatnonzero(missing.any(axis=1))
    complete = np.asarray(~np.isnan(imputer.train_values).any(axis=1), dtype=bool)
    if method == "fast_knn" and int(complete.sum()) >= imputer.config.k:
        _fast_knn(imputer, features, result, rows_with_missing, complete)
    else:
        _knn(imputer, features, result, rows_with_missing)
    return result


def _nan_euclidean(query: FloatArray, train: FloatArray, n_cont: int) -> FloatArray:
    """NaN-Euclidean distances (method.md §3.3) between two sets of feature vectors.

    Continuous coordinates may be NaN; one-hot coordinates are always present.

    Returns:
        Shape (len(query), len(train)).
    """
    total = query.shape[1]
    qc, tc = query[:, :n_cont], train[:, :n_cont]
    qm, tm = (~np.isnan(qc)).astype(np.float64), (~np.isnan(tc)).astype(np.float64)
    q0, t0 = np.nan_to_num(qc), np.nan_to_num(tc)
    squared = (q0**2) @ tm.T + qm @ (t0**2).T - 2.0 * (q0 @ t0.T)
    qd, td = query[:, n_cont:], train[:, n_cont:]
    if qd.shape[1]:
        squared += (qd**2).sum(1)[:, None] + (td**2).sum(1)[None, :] - 2.0 * (qd @ td.T)
    present = qm @ tm.T + float(total - n_cont)
    np.maximum(squared, 0.0, out=squared)
    with np.errstate(divide="ignore", invalid="ignore"):
        dist = np.sqrt(squared * total / present)
    # No shared coordinate: as far as possible, but still a donor.
    dist[present == 0] = np.finfo(np.float64).max
    return np.asarray(dist, dtype=np.float64)


def _k_smallest_mask(dist: FloatArray, k: int) -> npt.NDArray[np.bool_]:
    """Per row, the k smallest finite-or-max entries, ties at the k-th going to the lowest column.

    ``inf`` marks excluded columns. Rows with fewer than k candidates keep all of them.
    """
    candidates = np.isfinite(dist)
    kk = min(k, dist.shape[1])
    kth = np.partition(dist, kk - 1, axis=1)[:, kk - 1 : kk]
    # Tolerant ties (method.md §4), so rounding noise of the z-scores cannot break them.
    tol = TIE_TOLERANCE * np.maximum(1.0, np.where(np.isfinite(kth), kth, 1.0))
    below = dist < kth - tol
    with np.errstate(invalid="ignore"):
        tied = (np.abs(dist - kth) <= tol) & candidates
    room = kk - below.sum(axis=1, keepdims=True)
    return np.asarray(below | (tied & (np.cumsum(tied, axis=1) <= room)), dtype=bool)


def _knn(imputer: Imputer, features: FloatArray, result: FloatArray, rows: IntArray) -> None:
    n_cont = result.shape[1]
    train_values = imputer.train_values
    train_observed = ~np.isnan(train_values)
    block = max(1, _BLOCK_CELLS // max(1, len(imputer.train)))
    for start in range(0, len(rows), block):
        batch = rows[start : start + block]
        dist = _nan_euclidean(features[batch], imputer.features, n_cont)
        for j in np.flatnonzero(np.isnan(result[batch]).any(axis=0)):
            need = np.isnan(result[batch, j])
            d = np.where(train_observed[:, j][None, :], dist[need], np.inf)
            if not train_observed[:, j].any():
                continue
            chosen = _k_smallest_mask(d, imputer.config.k) & train_observed[:, j][None, :]
            donors = np.nan_to_num(train_values[:, j])
            result[batch[need], j] = (chosen @ donors) / chosen.sum(axis=1)


def _fast_knn(
    imputer: Imputer,
    features: FloatArray,
    result: FloatArray,
    rows: IntArray,
    complete: npt.NDArray[np.bool_],
) -> None:
    n_cont = result.shape[1]
    donors = imputer.features[complete]
    donor_values = imputer.train_values[complete]
    patterns, inverse = np.unique(np.isnan(result[rows]), axis=0, return_inverse=True)
    for p, pattern in enumerate(patterns):
        group = rows[inverse.ravel() == p]
        keep = np.concatenate([~pattern, np.ones(features.shape[1] - n_cont, dtype=bool)])
        tree = cKDTree(donors[:, keep])
        k = min(imputer.config.k, len(donors))
        _, idx = exact_knn(tree, features[group][:, keep], k)
        for j in np.flatnonzero(pattern):
            result[group, j] = donor_values[idx, j].mean(axis=1)
