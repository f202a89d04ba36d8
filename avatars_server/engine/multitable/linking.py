"""Linking child avatars to parent avatars (method-extended.md §3.5): the linking space, the
nearest parent (`bottom_projection`) and the capacitated assignment (`linear_sum_assignement`)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numba
import numpy as np
import pandas as pd
from scipy.spatial.distance import cdist

from avatars_server.engine.config import ImputationConfig, PrivacyConfig
from avatars_server.engine.metric_space import build_metric_space, known_variable_space
from avatars_server.engine.multitable.fast_assignment import solve_groups
from avatars_server.engine.neighbours import (
    BRUTE_FORCE_MAX_PAIRS,
    brute_force_pays,
    build_tree,
    exact_knn,
)
from avatars_server.engine.table import FloatArray, IntArray

DEFAULT_BLOCK_SIZE = 2_000
NEAREST_PARENT_TREE_MAX_DIM = 10
"""Nearest-parent search walks a KD-tree up to this encoded dimension of P, and scans the
parents in blocks (brute force) above it (method-extended §5)."""


def link_space(
    parent_original: pd.DataFrame,
    parent_avatars: pd.DataFrame,
    child_parts: pd.DataFrame,
    imputation: ImputationConfig,
    rng: np.random.Generator,
) -> tuple[FloatArray, FloatArray]:
    """Parent avatars and child avatars' parent parts in P's scaled encoding (no SVD).

    Args:
        parent_original: P's own columns, originals (the encoding is fitted on them).
        parent_avatars: P's own columns, unshuffled avatars, shape (n_P, p).
        child_parts: the child avatars' P-parts with P's labels, shape (n_C, p).

    Returns:
        Shapes (n_P, d) and (n_C, d).
    """
    candidates = pd.concat(
        [parent_avatars.reset_index(drop=True), child_parts.reset_index(drop=True)],
        ignore_index=True,
    )
    space = build_metric_space(
        parent_original, candidates, PrivacyConfig(ncp=1, imputation=imputation), None, rng
    )
    _, encoded = known_variable_space(space, [str(c) for c in parent_original.columns])
    n_p = len(parent_avatars)
    return encoded[:n_p], encoded[n_p:]


def nearest_parent(
    parents: FloatArray, children: FloatArray, *, max_pairs: int = BRUTE_FORCE_MAX_PAIRS
) -> IntArray:
    """`bottom_projection`: each child to its nearest parent, ties to the lowest index.

    The search follows method-extended §5: a KD-tree when P's encoded dimension is at most
    :data:`NEAREST_PARENT_TREE_MAX_DIM`, the blocked brute force of
    :mod:`~avatars_server.engine.neighbours` above it, except when n_P × n_C exceeds
    ``max_pairs`` distances (method.md §8's bound: the tree is then far cheaper, as measured in
    docs/method.md §12.5). Both searches are exact with the same tie rule, so the choice never
    changes the links.

    Returns:
        Shape (n_C,), the parent row of each child.
    """
    tree = build_tree(parents)
    brute = brute_force_pays(
        len(parents),
        len(children),
        tree.m,
        max_dim=NEAREST_PARENT_TREE_MAX_DIM,
        max_pairs=max_pairs,
    )
    _, index = exact_knn(tree, children, 1, brute=brute)
    return np.asarray(index[:, 0], dtype=np.int64)


def capacities(estimated: IntArray, n_children: int, smallest_original: int) -> IntArray:
    """c_j of §3.5 step 1: m_min each, the rest shared by largest remainder (exact integers).

    Args:
        estimated: shape (n_P,), ĉ_j, the parent avatars' child counts.
        n_children: n_C.
        smallest_original: the smallest original child count.
    """
    n_p = len(estimated)
    m_min = smallest_original if n_p * smallest_original <= n_children else 0
    rest = n_children - n_p * m_min
    excess = np.maximum(0, np.asarray(estimated, dtype=np.int64) - m_min)
    total = int(excess.sum())
    if total == 0:
        excess, total = np.ones(n_p, dtype=np.int64), n_p
    share = rest * excess
    whole, remainder = share // total, share % total
    leftover = rest - int(whole.sum())
    # Largest fractional parts first, ties to the lowest j.
    order = np.lexsort((np.arange(n_p), -remainder))
    whole[order[:leftover]] += 1
    return np.asarray(m_min + whole, dtype=np.int64)


def _solve_block(
    parents: FloatArray, children: FloatArray, rows: IntArray, block_slots: IntArray
) -> IntArray:
    """One block of §3.5 step 3: the parent of each of its children (rows in order), SciPy's
    (a parent's slots are interchangeable, so only the parent chosen matters)."""
    cost = cdist(children[rows], parents[block_slots])
    return block_slots[solve_groups(cost, block_slots)]


def assign_with_capacities(
    parents: FloatArray,
    children: FloatArray,
    capacity: IntArray,
    rng: np.random.Generator,
    block_size: int = DEFAULT_BLOCK_SIZE,
    *,
    workers: int | None = None,
) -> IntArray:
    """`linear_sum_assignement`: children to parent slots (parent j repeated c_j times) with
    minimal total distance, in blocks of at most ``block_size`` children (§3.5 steps 2-3).

    The blocks are independent once the linking stream has drawn the two permutations, so they
    are solved on ``workers`` threads at once (the solver releases the GIL); each block's answer
    is written to its own children, so the result does not depend on ``workers``.

    Args:
        workers: threads solving blocks at once; numba's thread count when None.

    Returns:
        Shape (n_C,), the parent row of each child; parent j gets exactly c_j children.
    """
    n_c = len(children)
    slots = np.repeat(np.arange(len(parents), dtype=np.int64), capacity)
    assert len(slots) == n_c
    out = np.empty(n_c, dtype=np.int64)
    if n_c <= block_size:
        blocks_c: list[IntArray] = [np.arange(n_c)]
        blocks_s: list[IntArray] = [np.arange(n_c)]
    else:
        child_order = rng.permutation(n_c)
        slot_order = rng.permutation(n_c)
        count = -(-n_c // block_size)
        blocks_c = np.array_split(child_order, count)
        blocks_s = np.array_split(slot_order, count)
    threads = max(1, min(len(blocks_c), workers or numba.get_num_threads()))
    tasks = [(rows, slots[slot_rows]) for rows, slot_rows in zip(blocks_c, blocks_s, strict=True)]
    if threads == 1:
        answers = [_solve_block(parents, children, rows, block) for rows, block in tasks]
    else:
        with ThreadPoolExecutor(threads, thread_name_prefix="lsa") as pool:
            answers = list(pool.map(lambda task: _solve_block(parents, children, *task), tasks))
    for (rows, _), answer in zip(tasks, answers, strict=True):
        out[rows] = answer
    return out
