"""Imputation of missing continuous values: mean, median, mode, knn, fast_knn (method.md §3.3)."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt
from scipy.spatial import cKDTree

from avatars_server.engine.config import ImputationConfig
from avatars_server.engine.neighbours import TIE_TOLERANCE, exact_knn, order_ties
from avatars_server.engine.table import Encoded, FloatArray, IntArray

# Memory bound of one block of the brute-force knn distance matrix (float64 cells).
_BLOCK_CELLS = 4_000_000
# Above this many (query × training) pairs, knn searches KD-trees per missingness pattern pair.
TREE_MIN_CELLS = 20_000_000
_MAX_PATTERN_PAIRS = 256


@dataclass(frozen=True)
class Imputer:
    """An imputer fitted on a training subset of a table.

    The statistics are computed lazily, by :func:`impute`, and only for the columns that have
    missing values: a complete table costs nothing.

    Attributes:
        config: the method and its parameters.
        fitted: the table the imputer is fitted on.
        train: shape (m,), row indices of the training subset in the fitted table.
    """

    config: ImputationConfig
    fitted: Encoded
    train: IntArray


def training_rows(n: int, config: ImputationConfig, rng: np.random.Generator) -> IntArray:
    """Sorted training subset: round(f·n) rows, at least 1 and at least k when possible.

    Returns:
        Shape (m,).
    """
    if config.training_fraction >= 1:
        return np.arange(n, dtype=np.int64)
    size = max(round(config.training_fraction * n), 1, min(config.k, n))
    return np.sort(rng.choice(n, size=size, replace=False)).astype(np.int64)


def fit_imputer(table: Encoded, config: ImputationConfig, rng: np.random.Generator) -> Imputer:
    """Fit the imputer of ``config.method`` on a training subset of ``table``."""
    return Imputer(config, table, training_rows(table.n_rows, config, rng))


def _observed(imputer: Imputer, j: int) -> FloatArray:
    """Observed training values of continuous column j.

    When the training subset (training_fraction < 1) holds no observed value of j, the values
    of every row where j is observed: the column's statistics then come from the whole fitted
    table (docs/method.md §9.2). The fitted table always has one (EMPTY_COLUMN).
    """
    values = imputer.fitted.continuous[imputer.train, j]
    observed = values[~np.isnan(values)]
    if observed.size == 0:
        full = imputer.fitted.continuous[:, j]
        observed = full[~np.isnan(full)]
    return np.asarray(observed, dtype=np.float64)


def _mode(values: FloatArray) -> float:
    uniques, counts = np.unique(values, return_counts=True)
    # np.unique sorts, so argmax returns the smallest of the most frequent values.
    return float(uniques[np.argmax(counts)])


def _fill_value(imputer: Imputer, j: int) -> float:
    observed = _observed(imputer, j)
    if imputer.config.method == "mean":
        return float(np.mean(observed))
    if imputer.config.method == "median":
        return float(np.median(observed))
    return _mode(observed)


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
    return np.hstack(parts)


def impute(imputer: Imputer, table: Encoded) -> FloatArray:
    """Fill the missing continuous values of ``table`` (the fitted table or another one).

    Args:
        imputer: the fitted imputer.
        table: encoded with the fitted table's levels.

    Returns:
        Shape (n, n_continuous), without NaN; ``table.continuous`` itself when it has no NaN.
    """
    missing = np.isnan(table.continuous)
    if not missing.any():
        # Nothing to fill: share the array (callers only read it).
        return table.continuous
    result = table.continuous.copy()
    method = imputer.config.method
    if method in ("mean", "median", "mode"):
        rows, cols = np.nonzero(missing)
        fills = np.array([_fill_value(imputer, j) for j in range(result.shape[1])])
        result[rows, cols] = fills[cols]
        return result
    n_cont = result.shape[1]
    stats = [_observed(imputer, j) for j in range(n_cont)]
    mean = np.array([s.mean() if s.size else 0.0 for s in stats])
    sd = np.array([s.std() if s.size else 1.0 for s in stats])
    sd = np.where(sd > 0, sd, 1.0)
    fitted = imputer.fitted
    if len(imputer.train) < fitted.n_rows:
        fitted = _subset(fitted, imputer.train)
    train_features = _features(fitted, mean, sd)
    train_values = imputer.fitted.continuous[imputer.train]
    rows_with_missing = np.flatnonzero(missing.any(axis=1))
    features = _features(_subset(table, rows_with_missing), mean, sd)
    complete = np.asarray(~np.isnan(train_values).any(axis=1), dtype=bool)
    if method == "fast_knn" and int(complete.sum()) >= imputer.config.k:
        filled = _fast_knn(
            imputer.config.k,
            train_features[complete],
            train_values[complete],
            features,
            result[rows_with_missing],
        )
    else:
        knn = _knn_by_patterns if _use_trees(train_values, result[rows_with_missing]) else _knn
        filled = knn(
            imputer.config.k, train_features, train_values, features, result[rows_with_missing]
        )
    uncovered = np.isnan(filled).any(axis=0)
    if uncovered.any():
        # The training subset holds no observed value of these columns (training_fraction < 1):
        # their donors are every row of the fitted table where they are observed, at the same
        # NaN-Euclidean distances (docs/method.md §9.2).
        whole = imputer.fitted
        before = result[rows_with_missing]
        again = (_knn_by_patterns if _use_trees(whole.continuous, before) else _knn)(
            imputer.config.k, _features(whole, mean, sd), whole.continuous, features, before
        )
        filled[:, uncovered] = again[:, uncovered]
    result[rows_with_missing] = filled
    return result


def _subset(table: Encoded, rows: IntArray) -> Encoded:
    """The given rows of an encoded table."""
    cats = [replace(v, codes=v.codes[rows]) for v in table.categoricals]
    return Encoded(table.continuous_names, table.continuous[rows], cats)


def _nan_euclidean(query: FloatArray, train: FloatArray, n_cont: int) -> FloatArray:
    """NaN-Euclidean distances (method.md §3.3) between two sets of feature vectors.

    Continuous coordinates may be NaN; one-hot coordinates are always present.

    Returns:
        Shape (len(query), len(train)).
    """
    total = query.shape[1]
    squared = np.zeros((len(query), len(train)))
    present = np.full((len(query), len(train)), float(total - n_cont))
    # Continuous coordinates from their differences, so that equal values give exactly 0
    # (the expanded ‖a‖² + ‖b‖² − 2a·b would leave rounding noise that sqrt magnifies).
    for j in range(n_cont):
        diff = query[:, j, None] - train[None, :, j]
        shared = ~np.isnan(diff)
        squared += np.where(shared, diff * diff, 0.0)
        present += shared
    qd, td = query[:, n_cont:], train[:, n_cont:]
    if qd.shape[1]:
        # 0/1 one-hot columns: the expanded form is exact in floating point.
        squared += (qd**2).sum(1)[:, None] + (td**2).sum(1)[None, :] - 2.0 * (qd @ td.T)
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


def _knn(
    k: int,
    train_features: FloatArray,
    train_values: FloatArray,
    features: FloatArray,
    values: FloatArray,
) -> FloatArray:
    """Brute-force NaN-Euclidean knn, in blocks of query rows.

    Args:
        k: donors per value.
        train_features, train_values: shapes (m, f) and (m, c), the training rows.
        features, values: shapes (q, f) and (q, c), the rows to fill.

    Returns:
        ``values`` filled, shape (q, c).
    """
    result = values.copy()
    n_cont = values.shape[1]
    train_observed = ~np.isnan(train_values)
    block = max(1, _BLOCK_CELLS // max(1, len(train_values)))
    for start in range(0, len(values), block):
        stop = min(len(values), start + block)
        dist = _nan_euclidean(features[start:stop], train_features, n_cont)
        for j in np.flatnonzero(np.isnan(result[start:stop]).any(axis=0)):
            if not train_observed[:, j].any():
                continue
            need = np.isnan(result[start:stop, j])
            d = np.where(train_observed[:, j][None, :], dist[need], np.inf)
            chosen = _k_smallest_mask(d, k) & train_observed[:, j][None, :]
            donors = np.nan_to_num(train_values[:, j])
            result[start + np.flatnonzero(need), j] = (chosen @ donors) / chosen.sum(axis=1)
    return result


def _fast_knn(
    k: int, donors: FloatArray, donor_values: FloatArray, features: FloatArray, values: FloatArray
) -> FloatArray:
    """knn restricted to complete donors, one exact KD-tree search per missingness pattern.

    Args:
        k: donors per value.
        donors, donor_values: shapes (m, f) and (m, c), the complete training rows.
        features, values: shapes (q, f) and (q, c), the rows to fill.

    Returns:
        ``values`` filled, shape (q, c).
    """
    result = values.copy()
    n_cont = values.shape[1]
    patterns, inverse = np.unique(np.isnan(values), axis=0, return_inverse=True)
    for p, pattern in enumerate(patterns):
        group = np.flatnonzero(np.asarray(inverse).ravel() == p)
        keep = np.concatenate([~pattern, np.ones(features.shape[1] - n_cont, dtype=bool)])
        tree = cKDTree(donors[:, keep])
        _, idx = exact_knn(tree, features[group][:, keep], min(k, len(donors)))
        for j in np.flatnonzero(pattern):
            result[group, j] = donor_values[idx, j].mean(axis=1)
    return result


def _use_trees(train_values: FloatArray, values: FloatArray) -> bool:
    """Tree searches pay off on large tables with few missingness patterns."""
    if len(train_values) * len(values) < TREE_MIN_CELLS:
        return False
    patterns = len(np.unique(np.isnan(values), axis=0)) * len(
        np.unique(np.isnan(train_values), axis=0)
    )
    return patterns <= _MAX_PATTERN_PAIRS


def _knn_by_patterns(
    k: int,
    train_features: FloatArray,
    train_values: FloatArray,
    features: FloatArray,
    values: FloatArray,
) -> FloatArray:
    """The knn imputation of :func:`_knn`, exact, with KD-trees instead of brute force.

    Within one (query pattern, donor pattern) pair the coordinates present in both rows are
    fixed, so the NaN-Euclidean distance is a plain Euclidean distance times a constant
    √(total / present): one exact tree search per pair gives that pair's k best donors, and
    the k best over all pairs follow the same tolerant lowest-index rule.

    Args:
        k: donors per value.
        train_features, train_values: shapes (m, f) and (m, c), the training rows.
        features, values: shapes (q, f) and (q, c), the rows to fill.

    Returns:
        ``values`` filled, shape (q, c).
    """
    result = values.copy()
    n_cont = values.shape[1]
    total = train_features.shape[1]
    n_dummies = total - n_cont
    q_patterns, q_inverse = np.unique(~np.isnan(values), axis=0, return_inverse=True)
    t_patterns, t_inverse = np.unique(~np.isnan(train_values), axis=0, return_inverse=True)
    q_inverse, t_inverse = np.asarray(q_inverse).ravel(), np.asarray(t_inverse).ravel()
    for p, q_pattern in enumerate(q_patterns):
        rows = np.flatnonzero(q_inverse == p)
        missing = np.flatnonzero(~q_pattern)
        found: dict[int, list[tuple[FloatArray, IntArray]]] = {int(c): [] for c in missing}
        for g, t_pattern in enumerate(t_patterns):
            useful = [int(c) for c in missing if t_pattern[c]]
            if not useful:
                continue
            donors = np.flatnonzero(t_inverse == g)
            shared = q_pattern & t_pattern
            present = int(shared.sum()) + n_dummies
            kk = min(k, len(donors))
            if present == 0:
                # No shared coordinate: all donors equally far, the lowest indices win.
                d = np.full((len(rows), kk), np.finfo(np.float64).max)
                i = np.broadcast_to(donors[:kk], (len(rows), kk)).copy()
            else:
                keep = np.concatenate([shared, np.ones(n_dummies, dtype=bool)])
                tree = cKDTree(train_features[donors][:, keep])
                d, i = exact_knn(tree, features[rows][:, keep], kk, labels=donors)
                d = d * np.sqrt(total / present)
            for c in useful:
                found[c].append((d, i))
        for c, parts in found.items():
            if not parts:
                continue
            d = np.hstack([part[0] for part in parts])
            i = np.hstack([part[1] for part in parts])
            order = np.lexsort((i, d), axis=1)
            d, i = np.take_along_axis(d, order, axis=1), np.take_along_axis(i, order, axis=1)
            kk = min(k, d.shape[1])
            if d.shape[1] > kk:
                d, i = order_ties(d, i, kk)
            result[rows, c] = train_values[i[:, :kk], c].mean(axis=1)
    return result
