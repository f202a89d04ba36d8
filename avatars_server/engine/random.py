"""Independent random streams derived from one master seed (method.md §3.11)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Streams:
    """The five generators of §3.11, in their normative order."""

    imputation: np.random.Generator
    weights: np.random.Generator
    categorical: np.random.Generator
    shuffle: np.random.Generator
    metrics: np.random.Generator


def make_streams(seed: int | np.random.SeedSequence | None) -> Streams:
    """Spawn the streams of §3.11 from ``seed``.

    Args:
        seed: master seed in [0, 2**63), or None for fresh OS entropy that is neither stored nor
            returned (production default: avatars can then not be regenerated); or a child seed
            of an extended job (method-extended.md §0.1), whose streams it spawns.

    Returns:
        The five independent generators.
    """
    sequence = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    children = sequence.spawn(5)
    gens = [np.random.default_rng(child) for child in children]
    return Streams(*gens)
