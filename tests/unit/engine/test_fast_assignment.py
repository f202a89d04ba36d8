"""The auction route to the LSA blocks: SciPy's parents on every block, certified on the usual
ones, handed back to SciPy's algorithm on ties (method-extended §3.5 step 3)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import linear_sum_assignment
from scipy.spatial.distance import cdist

from avatars_server.engine.multitable.fast_assignment import _certified, solve_groups


def _block(
    rng: np.random.Generator, n: int, dims: int = 6, levels: int = 5
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Children, parents and slots as §3.5 draws them: continuous parts with one-hot ones,
    children shifted from their parents' distribution, each parent with 1-4 slots."""
    parents = np.hstack([rng.normal(size=(n, dims)), np.eye(levels)[rng.integers(0, levels, n)]])
    children = np.hstack(
        [
            rng.normal(0.4, 1.3, size=(n, dims)),
            np.eye(levels)[np.minimum(rng.geometric(0.4, n) - 1, levels - 1)],
        ]
    )
    slots = rng.choice(np.repeat(np.arange(n), rng.integers(1, 5, n)), size=n, replace=False)
    return children, parents, slots


def _scipy_parents(cost: np.ndarray, slots: np.ndarray) -> np.ndarray:
    return slots[linear_sum_assignment(cost)[1]]


@pytest.mark.parametrize("seed", range(8))
def test_the_auction_is_certified_and_gives_scipy_s_parents(seed: int) -> None:
    rng = np.random.default_rng(seed)
    children, parents, slots = _block(rng, int(rng.integers(200, 700)))
    cost = cdist(children, parents[slots])
    out = np.empty(len(cost), dtype=np.int64)
    assert _certified(cost, np.unique(slots, return_inverse=True)[1], out)
    assert sorted(out.tolist()) == list(range(len(cost)))  # a permutation: every slot once
    assert slots[out].tolist() == _scipy_parents(cost, slots).tolist()
    assert slots[solve_groups(cost, slots)].tolist() == _scipy_parents(cost, slots).tolist()


def test_ties_between_parents_are_not_certified_and_still_give_scipy_s_parents() -> None:
    rng = np.random.default_rng(1)
    children, parents, slots = _block(rng, 300)
    children[1::2] = children[::2]  # repeated children: their parents can be swapped
    cost = cdist(children, parents[slots])
    out = np.empty(len(cost), dtype=np.int64)
    assert not _certified(cost, np.unique(slots, return_inverse=True)[1], out)
    assert slots[solve_groups(cost, slots)].tolist() == _scipy_parents(cost, slots).tolist()


@pytest.mark.parametrize("seed", range(6))
def test_any_block_gives_scipy_s_parents(seed: int) -> None:
    rng = np.random.default_rng(100 + seed)
    n = int(rng.integers(1, 120))
    children, parents, slots = _block(rng, n, dims=2, levels=2)
    matrices = [
        cdist(children, parents[slots]),
        cdist(np.eye(3)[rng.integers(0, 3, n)], np.eye(3)[rng.integers(0, 3, n)]),  # ties
        rng.normal(size=(n, n)),  # negative costs
        rng.integers(0, 3, size=(n, n)).astype(np.float64),
        np.full((n, n), 2.5),
        cdist(children, parents[np.repeat(slots[:1], n)]),  # one parent for all
    ]
    for cost in matrices:
        assert slots[solve_groups(cost, slots)].tolist() == _scipy_parents(cost, slots).tolist()


def test_distinct_groups_give_scipy_s_columns() -> None:
    rng = np.random.default_rng(7)
    cost = cdist(rng.normal(size=(400, 5)), rng.normal(size=(400, 5)))
    assert solve_groups(cost, np.arange(400)).tolist() == linear_sum_assignment(cost)[1].tolist()


def test_bad_matrices_are_refused_as_scipy_refuses_them() -> None:
    with pytest.raises(ValueError, match="square"):
        solve_groups(np.zeros((20, 30)), np.arange(30))
    with pytest.raises(ValueError, match="non-finite"):
        solve_groups(np.full((20, 20), np.nan), np.arange(20))
    assert solve_groups(np.zeros((0, 0)), np.arange(0)).tolist() == []
