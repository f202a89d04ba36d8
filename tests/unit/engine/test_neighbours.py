"""Exact neighbour search: self-exclusion, tie rules, duplicates beyond the first query."""

from __future__ import annotations

import numpy as np
from scipy.spatial import cKDTree

from avatars_server.engine.neighbours import exact_knn, nearest_ties, neighbours_excluding_self


def test_individual_is_excluded_and_ties_go_to_the_lowest_index() -> None:
    coords = np.array([[0.0], [1.0], [-1.0], [2.0], [5.0]])
    dist, idx = neighbours_excluding_self(coords, 2)
    # Row 0: rows 1 and 2 both at distance 1.
    assert idx[0].tolist() == [1, 2]
    # Row 1: rows 0 and 3 tie at 1: both kept, in index order.
    assert idx[1].tolist() == [0, 3]
    assert dist[1].tolist() == [1.0, 1.0]
    # Row 4: nearest are 3 (3.0) then 1 (4.0).
    assert idx[4].tolist() == [3, 1]
    assert not (idx == np.arange(5)[:, None]).any()


def test_many_duplicates_keep_the_lowest_indices_and_never_self() -> None:
    # 30 identical points: far more ties at distance 0 than the first query returns.
    coords = np.zeros((30, 2))
    coords[-1] = [1.0, 1.0]
    dist, idx = neighbours_excluding_self(coords, 3)
    assert idx[0].tolist() == [1, 2, 3]
    assert idx[5].tolist() == [0, 1, 2]
    assert idx[2].tolist() == [0, 1, 3]
    assert (dist[:29] == 0).all()
    assert idx[29].tolist() == [0, 1, 2]


def test_matches_brute_force_on_random_points() -> None:
    rng = np.random.default_rng(0)
    # Integer coordinates: many exact ties, and equal distances are bitwise equal.
    coords = rng.integers(0, 6, size=(300, 3)).astype(np.float64)
    dist, idx = neighbours_excluding_self(coords, 7)
    full = np.sqrt(((coords[:, None, :] - coords[None, :, :]) ** 2).sum(-1))
    np.fill_diagonal(full, np.inf)
    for i in range(len(coords)):
        order = np.lexsort((np.arange(len(coords)), full[i]))[:7]
        assert idx[i].tolist() == order.tolist()
        assert np.allclose(dist[i], full[i, order])


def test_exact_knn_without_exclusion() -> None:
    tree = cKDTree(np.array([[0.0], [0.0], [0.0], [3.0]]))
    dist, idx = exact_knn(tree, np.array([[0.0], [3.0]]), 2)
    assert idx.tolist() == [[0, 1], [3, 0]]
    assert dist.tolist() == [[0.0, 0.0], [0.0, 3.0]]


def test_nearest_ties_returns_every_tied_point() -> None:
    points = np.array([[0.0], [10.0], [10.0], [-10.0], [4.0]])
    rows, found, nearest = nearest_ties(cKDTree(points), np.array([[0.0], [7.0], [-5.0]]))
    pairs = sorted(zip(rows.tolist(), found.tolist(), strict=True))
    assert pairs == [(0, 0), (1, 1), (1, 2), (1, 4), (2, 0), (2, 3)]
    rows, found, _ = nearest_ties(cKDTree(points), np.array([[5.0]]))
    assert sorted(found.tolist()) == [4]
    rows, found, _ = nearest_ties(cKDTree(points[:4]), np.array([[5.0]]))
    assert sorted(found.tolist()) == [0, 1, 2]
    assert nearest.tolist() == [0.0, 3.0, 5.0]
