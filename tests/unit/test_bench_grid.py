"""The uniform-grid candidate of bench/bench_grid.py finds the same neighbours as brute force, so
that its timing against the KD-tree compares two exact searches (issue #12: "measure the
candidates against each other")."""

from __future__ import annotations

import numpy as np
import pytest

from bench.bench_grid import build_grid, grid_knn


@pytest.mark.parametrize("side", [0.5, 1.0, 3.0])
def test_the_grid_candidate_returns_the_exact_nearest_distances(side: float) -> None:
    rng = np.random.default_rng(3)
    x = np.vstack([rng.normal(size=(600, 5)), rng.normal(size=(100, 5)) * 0.01 + 4.0])
    x[650:700] = x[600:650]  # duplicates
    k = 20
    grid = build_grid(x, side)
    out_sq = np.empty((len(x), k))
    out_label = np.empty((len(x), k), dtype=np.int64)
    grid_knn(grid, side, k, out_sq, out_label)

    sq = ((x[:, None, :] - x[None, :, :]) ** 2).sum(axis=2)
    np.fill_diagonal(sq, np.inf)
    expected = np.sort(sq, axis=1)[:, :k]
    np.testing.assert_allclose(out_sq, expected, rtol=0, atol=1e-12)
    assert not (out_label == np.arange(len(x))[:, None]).any()
    picked = np.take_along_axis(sq, out_label, axis=1)
    np.testing.assert_allclose(picked, out_sq, rtol=0, atol=1e-12)
