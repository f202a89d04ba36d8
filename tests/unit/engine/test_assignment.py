"""The LSA link method's solver and its parallel blocks: SciPy's answer bit for bit, and the
same links whatever the number of threads (method-extended §3.5)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import linear_sum_assignment
from scipy.spatial.distance import cdist

from avatars_server.engine.multitable.assignment import solve
from avatars_server.engine.multitable.linking import assign_with_capacities, capacities


def _one_hot(rng: np.random.Generator, n: int, levels: int) -> np.ndarray:
    return np.eye(levels)[rng.integers(0, levels, n)]


@pytest.mark.parametrize("seed", range(12))
def test_the_solver_gives_scipy_s_assignment_ties_included(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 80))
    matrices = [
        rng.normal(size=(n, n)),
        rng.integers(0, 3, size=(n, n)).astype(np.float64),  # many optimal assignments
        cdist(_one_hot(rng, n, 3), _one_hot(rng, n, 3)),  # distances of one-hot rows: ties
        np.full((n, n), 2.5),  # constant: SciPy answers the identity
    ]
    for cost in matrices:
        rows, columns = linear_sum_assignment(cost)
        assert rows.tolist() == list(range(n))
        assert solve(cost).tolist() == columns.tolist()


def test_the_solver_gives_scipy_s_assignment_on_lsa_blocks() -> None:
    """Blocks as §3.5 builds them: distances (non-negative) from children to parent slots, a
    parent's slots being identical columns; large enough for the float ties to matter."""
    rng = np.random.default_rng(3)
    parents = np.hstack([rng.normal(size=(500, 6)), _one_hot(rng, 500, 7)])
    children = np.hstack([rng.normal(size=(900, 6)), _one_hot(rng, 900, 7)])
    slots = rng.choice(np.repeat(np.arange(500), 4), size=900, replace=False)
    cost = cdist(children, parents[slots])
    assert solve(cost).tolist() == linear_sum_assignment(cost)[1].tolist()


def test_the_solver_refuses_what_scipy_refuses() -> None:
    with pytest.raises(ValueError, match="square"):
        solve(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="non-finite"):
        solve(np.array([[0.0, np.nan], [1.0, 2.0]]))
    assert solve(np.zeros((0, 0))).tolist() == []


def _reference(
    parents: np.ndarray, children: np.ndarray, capacity: np.ndarray, seed: int, block: int
) -> np.ndarray:
    """The blocked assignment with SciPy's solver, one block after the other."""
    rng = np.random.default_rng(seed)
    n_c = len(children)
    slots = np.repeat(np.arange(len(parents)), capacity)
    count = -(-n_c // block)
    blocks_c = np.array_split(rng.permutation(n_c), count)
    blocks_s = np.array_split(rng.permutation(n_c), count)
    out = np.empty(n_c, dtype=np.int64)
    for rows, slot_rows in zip(blocks_c, blocks_s, strict=True):
        chosen = slots[slot_rows]
        child_index, slot_index = linear_sum_assignment(cdist(children[rows], parents[chosen]))
        out[rows[child_index]] = chosen[slot_index]
    return out


def test_parallel_blocks_give_the_sequential_links_byte_for_byte() -> None:
    rng = np.random.default_rng(5)
    parents = np.hstack([rng.normal(size=(300, 4)), _one_hot(rng, 300, 4)])
    children = np.hstack([rng.normal(size=(2_300, 4)), _one_hot(rng, 2_300, 4)])
    capacity = capacities(rng.integers(0, 15, 300), len(children), 1)
    runs = [
        assign_with_capacities(
            parents, children, capacity, np.random.default_rng(11), 250, workers=workers
        )
        for workers in (1, 2, 4)
    ]
    assert runs[0].tobytes() == runs[1].tobytes() == runs[2].tobytes()
    assert runs[0].tobytes() == _reference(parents, children, capacity, 11, 250).tobytes()
    assert (np.bincount(runs[0], minlength=300) == capacity).all()
