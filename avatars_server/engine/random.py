"""Independent random streams derived from one master seed (method.md §3.11)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from avatars_server.engine.jit import jit


@dataclass(frozen=True)
class Streams:
    """The five generators of §3.11, in their normative order, then the project's sixth.

    ``exclusion`` (child 5) serves ``exclude_categorical`` (docs/method.md §3.13): spawned children
    do not depend on how many are spawned, so the first five streams, and the avatars of a job
    without excluded columns, are exactly those of §3.11.
    """

    imputation: np.random.Generator
    weights: np.random.Generator
    categorical: np.random.Generator
    shuffle: np.random.Generator
    metrics: np.random.Generator
    exclusion: np.random.Generator


def make_streams(seed: int | np.random.SeedSequence | None) -> Streams:
    """Spawn the streams of §3.11 from ``seed``.

    Args:
        seed: master seed in [0, 2**63), or None for fresh OS entropy that is neither stored nor
            returned (production default: avatars can then not be regenerated), or a child
            seed of an extended job (method-extended.md §0.1), which spawns the five streams.

    Returns:
        The six independent generators.
    """
    root = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    # The children of root.spawn(6), built without advancing root's spawn counter, so that the
    # same child seed always gives the same streams.
    children = [
        np.random.SeedSequence(
            root.entropy, spawn_key=(*root.spawn_key, i), pool_size=root.pool_size
        )
        for i in range(6)
    ]
    gens = [np.random.default_rng(child) for child in children]
    return Streams(*gens)


def cumulative_draw(
    q: npt.NDArray[np.float64], u: npt.NDArray[np.float64]
) -> npt.NDArray[np.int64]:
    """Per row, the first column whose cumulative sum of q is > u (method.md §3.8).

    When rounding leaves the total at or below u (u within a few ulp of 1), the last column
    with q > 0 is taken.

    Args:
        q: shape (n, m), probabilities (each row sums to 1 up to rounding).
        u: shape (n,), uniform draws in [0, 1).

    Returns:
        Shape (n,), column indices.
    """
    out = np.empty(len(q), dtype=np.int64)
    _cumulative_draw(
        np.ascontiguousarray(q, dtype=np.float64), np.ascontiguousarray(u, dtype=np.float64), out
    )
    return out


@jit(inline=True)
def first_above(q: Any, count: int, u: float) -> int:  # pragma: no cover - compiled
    """The position of the first of ``q[:count]`` whose cumulative sum (in order, from 0) is
    > u; when rounding leaves the total at or below u, the last one > 0; -1 when none is."""
    total = 0.0
    for t in range(count):
        total += q[t]
        if total > u:
            return t
    for t in range(count - 1, -1, -1):
        if q[t] > 0:
            return t
    return -1


@jit()
def _cumulative_draw(q: Any, u: Any, out: Any) -> None:  # pragma: no cover - compiled
    m = q.shape[1]
    for i in range(q.shape[0]):
        position = first_above(q[i], m, u[i])
        out[i] = position if position >= 0 else m - 1
