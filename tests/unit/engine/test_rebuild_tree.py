"""A KD-tree rebuilt from its leaf order: the very tree the build gives (every array), exact
searches whatever the order, and the privacy metrics rebuilding the avatarization's tree when
their originals' coordinates are its own."""

from __future__ import annotations

import numpy as np
import pytest

from avatars_server.engine import (
    AvatarizationConfig,
    PrivacyConfig,
    avatarize,
    compute_privacy_metrics,
)
from avatars_server.engine import distances as distances_module
from avatars_server.engine.neighbours import (
    KDTree,
    build_tree,
    count_within,
    exact_knn,
    rebuild_tree,
    self_neighbours,
)
from tests.unit.engine.test_nearest_others import _assert_same_result, _table

_FIELDS = ("points", "columns", "perm", "start", "stop", "lo", "hi", "boxes", "wide_of")


def _points(n: int, dim: int, seed: int) -> np.ndarray:
    """Rounded normal rows (ties), duplicated rows and a constant column."""
    rng = np.random.default_rng(seed)
    x = np.round(rng.normal(size=(n, dim)), 1)
    x[: n // 8] = x[n // 8 : 2 * (n // 8)]
    if dim > 1:
        x[:, -1] = 2.5
    return x


def _assert_same_tree(rebuilt: KDTree, built: KDTree) -> None:
    assert (rebuilt.depth, rebuilt.leaf) == (built.depth, built.leaf)
    for name in _FIELDS:
        a, b = getattr(rebuilt, name), getattr(built, name)
        assert a.dtype == b.dtype and a.shape == b.shape, name
        np.testing.assert_array_equal(a, b, err_msg=name)


@pytest.mark.parametrize(
    ("n", "dim", "leaf_size"),
    [(0, 3, 32), (1, 2, 32), (31, 5, 32), (33, 5, 32), (1000, 1, 32), (2500, 5, 32),
     (3001, 3, 8), (4000, 9, 16), (700, 14, 32)],
)  # fmt: skip
def test_the_rebuilt_tree_is_the_built_one(n: int, dim: int, leaf_size: int) -> None:
    x = _points(n, dim, seed=n + dim)
    built = build_tree(x, leaf_size)
    rebuilt = rebuild_tree(x, built.perm.astype(np.int32), leaf_size)
    _assert_same_tree(rebuilt, built)
    assert rebuilt.data is not None and np.array_equal(rebuilt.data, x.reshape(n, dim))


def test_the_leaf_order_of_the_self_join_rebuilds_its_tree() -> None:
    x = _points(3000, 5, seed=7)
    _, _, order = self_neighbours(x, 20)
    _assert_same_tree(rebuild_tree(x, order), build_tree(x))


def test_searches_are_exact_on_a_tree_rebuilt_from_any_order() -> None:
    """Boxes bound their own points whatever the order: a shuffled order gives a poor tree
    (overlapping boxes) but the same neighbours and counts."""
    rng = np.random.default_rng(3)
    x = _points(2000, 5, seed=3)
    queries = x[:300] + 0.05 * rng.normal(size=(300, 5))
    built = build_tree(x)
    shuffled = rebuild_tree(x, rng.permutation(len(x)))
    assert not np.array_equal(shuffled.perm, built.perm)
    for k in (1, 2, 20):
        got, want = exact_knn(shuffled, queries, k), exact_knn(built, queries, k)
        np.testing.assert_array_equal(got[0], want[0])
        np.testing.assert_array_equal(got[1], want[1])
    radius = np.full(len(queries), 0.4)
    for got_part, want_part in zip(
        count_within(shuffled, queries, radius, closer_than=radius / 2),
        count_within(built, queries, radius, closer_than=radius / 2),
        strict=True,
    ):
        np.testing.assert_array_equal(got_part, want_part)


def test_an_order_that_is_not_a_permutation_of_the_rows_is_refused() -> None:
    x = _points(100, 3, seed=1)
    twice = np.arange(100)
    twice[7] = 8
    for order in (np.arange(99), twice, np.arange(1, 101), np.arange(-1, 99)):
        with pytest.raises(ValueError, match="permutation of the 100 rows"):
            rebuild_tree(x, order)


def test_the_privacy_metrics_rebuild_the_avatarizations_tree(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    table = _table(900, 4, continuous=4, categorical=2)
    out = avatarize(table, AvatarizationConfig(k=10, seed=4), nearest_others=True)
    handed = out.nearest_others
    assert handed is not None and handed.leaf_order is not None
    assert handed.leaf_order.dtype == np.int32
    config = PrivacyConfig(ncp=out.ncp, seed=4)
    alone = compute_privacy_metrics(table, out.unshuffled, config, explain=True)
    rebuilt: list[np.ndarray] = []

    def spy(points: np.ndarray, perm: np.ndarray) -> KDTree:
        rebuilt.append(perm)
        return rebuild_tree(points, perm)

    monkeypatch.setattr(distances_module, "rebuild_tree", spy)
    given = compute_privacy_metrics(
        table, out.unshuffled, config, explain=True, nearest_others=handed
    )
    assert len(rebuilt) == 1 and rebuilt[0] is handed.leaf_order
    _assert_same_result(given, alone)
    # Another metric projection (other axes): its own tree is built, nothing is rebuilt.
    compute_privacy_metrics(
        table, out.unshuffled, PrivacyConfig(ncp=2, seed=4), nearest_others=handed
    )
    assert len(rebuilt) == 1
