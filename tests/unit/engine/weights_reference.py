"""The NumPy random weights the engine used before issue #12's weight kernels, kept as a reference.

Tests (tests/unit/engine/test_weights_pinned.py) and bench/bench_weights.py compare
``avatars_server.engine.weights.random_weights`` with this function, which must give the same
bits and leave the stream in the same state; the engine never calls it. Copied from
avatars_server/engine/avatarize.py at commit 5f4fe6a.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

COINCIDENCE_FACTOR = 1e-9
_RANK_ROWS = 65_536


def random_weights(dist: FloatArray, rng: np.random.Generator) -> FloatArray:
    """Normalised random weights of the neighbours, zero-distance rule included (§3.6)."""
    n, k = dist.shape
    base = rng.standard_exponential((n, k))
    for first in range(0, n, _RANK_ROWS):
        last = min(n, first + _RANK_ROWS)
        one_to_k = np.broadcast_to(np.arange(1, k + 1, dtype=np.int32), (last - first, k))
        ranks = rng.permuted(one_to_k, axis=1)
        np.negative(ranks, out=ranks)
        np.ldexp(base[first:last], ranks, out=base[first:last])
    rows, threshold = _coincident_rows(dist)
    kept = np.where(dist[rows] <= threshold, base[rows], 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        raw = np.divide(base, dist, out=base)
    raw[rows] = kept
    total = raw.sum(axis=1, keepdims=True)
    bad = ~((total[:, 0] > 0) & np.isfinite(total[:, 0]))
    raw[bad] = 1.0
    total[bad] = k
    raw /= total
    return raw


def _positive_median(dist: FloatArray) -> float:
    positive = dist[dist > 0]
    return float(np.median(positive)) if positive.size else 1.0


def _coincident_rows(dist: FloatArray) -> tuple[IntArray, float]:
    smallest = dist.min(axis=1)
    if not (smallest <= COINCIDENCE_FACTOR * float(dist.max())).any():
        return np.zeros(0, dtype=np.int64), 0.0
    threshold = COINCIDENCE_FACTOR * _positive_median(dist)
    return np.flatnonzero(smallest <= threshold), threshold
