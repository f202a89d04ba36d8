"""Attacks with auxiliary knowledge: inference of a continuous or categorical target (§5.11-5.12).

Avatars with identical known-variable vectors are merged into one tree point carrying their
counts and target sums, so ties of thousands of avatars (typical for categorical demographics)
cost one tree point, not thousands.
"""

from __future__ import annotations

import numpy as np

from avatars_server.engine.neighbours import build_tree, nearest_ties
from avatars_server.engine.table import FloatArray, IntArray


def _merge(points: FloatArray) -> tuple[FloatArray, IntArray]:
    """Distinct rows of ``points`` (shape (m, d)) and, per row, the index of its distinct row."""
    distinct, inverse = np.unique(points, axis=0, return_inverse=True)
    return distinct, np.asarray(inverse, dtype=np.int64).ravel()


def _tied_pairs(queries: FloatArray, distinct: FloatArray) -> tuple[IntArray, IntArray]:
    """Pairs (query row, distinct avatar point) at the minimal distance of each query."""
    rows, points, _ = nearest_ties(build_tree(distinct), queries)
    return rows, points


def inference_continuous(
    original: FloatArray, target: FloatArray, avatars: FloatArray, avatar_target: FloatArray
) -> float | None:
    """Attacker's mean absolute error in % of the target's range (method.md §5.11).

    Args:
        original: shape (n, d), originals in the known-variable space.
        target: shape (n,), their targets (NaN when missing).
        avatars: shape (m, d), avatars in the same space.
        avatar_target: shape (m,), their targets (NaN when missing).

    Returns:
        The metric, or None when no original or no avatar has an observed target.
    """
    x_obs = ~np.isnan(target)
    a_obs = ~np.isnan(avatar_target)
    if not x_obs.any() or not a_obs.any():
        return None
    y = target[x_obs]
    spread = float(y.max() - y.min())
    if spread == 0:
        return 0.0
    distinct, inverse = _merge(avatars[a_obs])
    sums = np.bincount(inverse, weights=avatar_target[a_obs], minlength=len(distinct))
    counts = np.bincount(inverse, minlength=len(distinct)).astype(np.float64)
    queries, q_inverse = _merge(original[x_obs])
    rows, points = _tied_pairs(queries, distinct)
    guess = np.bincount(rows, weights=sums[points], minlength=len(queries)) / np.bincount(
        rows, weights=counts[points], minlength=len(queries)
    )
    guess = guess[q_inverse]
    return float(100.0 * np.mean(np.abs(guess - y)) / spread)


def inference_categorical(
    original: FloatArray, target: IntArray, avatars: FloatArray, avatar_target: IntArray
) -> float:
    """Attacker's expected error rate on a categorical target, in % (method.md §5.12).

    Args:
        original: shape (n, d), originals in the known-variable space.
        target: shape (n,), their target level codes (missing is a level).
        avatars: shape (m, d), avatars in the same space.
        avatar_target: shape (m,), their codes in the originals' levels (-1: unseen level).
    """
    distinct, inverse = _merge(avatars)
    width = int(max(target.max(initial=0), avatar_target.max(initial=0))) + 2
    pair_keys, pair_counts = np.unique(inverse * width + (avatar_target + 1), return_counts=True)
    counts = np.bincount(inverse, minlength=len(distinct)).astype(np.float64)
    # Originals sharing a known vector and a target share their success.
    queries, q_inverse = _merge(np.column_stack([original, target.astype(np.float64)]))
    rows, points = _tied_pairs(queries[:, :-1], distinct)
    wanted = points * width + (queries[rows, -1].astype(np.int64) + 1)
    position = np.minimum(np.searchsorted(pair_keys, wanted), len(pair_keys) - 1)
    matches = np.where(pair_keys[position] == wanted, pair_counts[position], 0).astype(np.float64)
    success = np.bincount(rows, weights=matches, minlength=len(queries)) / np.bincount(
        rows, weights=counts[points], minlength=len(queries)
    )
    success = success[q_inverse]
    return float(100.0 * (1.0 - success.mean()))
