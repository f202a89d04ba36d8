"""Pinned random weights and seeded avatars (issue #12, weight kernels).

The expected digests in ``tests/data/engine/weights_pinned.json`` were computed on the engine
*before* the weights moved to numba kernels (NumPy ``permuted`` + ``ldexp`` + passes over (n, k)
arrays; commit 5f4fe6a, kept in tests/unit/engine/weights_reference.py), so that the kernels are
proven to give the same weights bit for bit, to leave the weights stream in the same state, and
to give byte-identical seeded avatars. Regenerate only for an intended change of results::

    PYTHONPATH=. .venv/bin/python tests/unit/engine/test_weights_pinned.py
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from avatars_server.engine import AvatarizationConfig, avatarize
from avatars_server.engine.avatarize import random_weights
from avatars_server.engine.random import make_streams
from tests.unit.engine import weights_reference
from tests.unit.engine.test_metrics_pinned import _bench, _continuous_ties, _mixed, canonical

EXPECTED = Path(__file__).resolve().parents[2] / "data" / "engine" / "weights_pinned.json"

Dist = Callable[[np.random.Generator], np.ndarray]


def _sorted(n: int, k: int) -> Dist:
    """Increasing positive distances, like a kNN search's."""
    return lambda rng: np.cumsum(rng.random((n, k)) + 1e-3, axis=1)


def _coincident(n: int, k: int) -> Dist:
    """Zeros, distances just below and above the 1e-9·median threshold, all-zero rows."""

    def make(rng: np.random.Generator) -> np.ndarray:
        dist = _sorted(n, k)(rng)
        rows = rng.choice(n, size=n // 5, replace=False)
        for share, value in enumerate((0.0, 1e-13, 1e-8, 0.0)):
            part = rows[share * len(rows) // 4 : (share + 1) * len(rows) // 4]
            dist[part, : 1 + share] = value
        dist[rows[:5]] = 0.0
        return dist

    return make


def _scaled(n: int, k: int, scale: float) -> Dist:
    """Distances near ``scale``: tiny ones overflow 1/d sums (uniform rows), huge ones underflow."""
    return lambda rng: (1.0 + rng.random((n, k))) * scale


def _with_nan(n: int, k: int, coincident: bool) -> Dist:
    def make(rng: np.random.Generator) -> np.ndarray:
        dist = (_coincident if coincident else _sorted)(n, k)(rng)
        dist[rng.choice(n, size=n // 50, replace=False), k // 2] = np.nan
        return dist

    return make


WEIGHT_CASES: dict[str, tuple[Dist, int]] = {
    "k1": (_sorted(1000, 1), 0),
    "k2": (_sorted(1000, 2), 1),
    "k3": (_sorted(999, 3), 2),
    "k7": (_sorted(3000, 7), 3),
    "k8": (_sorted(3000, 8), 4),
    "k9": (_sorted(3000, 9), 5),
    "k16": (_sorted(2000, 16), 6),
    "k20": (_sorted(20_000, 20), 7),
    "k20_three_chunks": (_sorted(140_000, 20), 8),
    "k128": (_sorted(300, 128), 9),
    "k129": (_sorted(300, 129), 10),
    "k300": (_sorted(200, 300), 11),
    "k1100": (_sorted(40, 1100), 12),
    "coincident_k1": (_coincident(2000, 1), 13),
    "coincident_k2": (_coincident(2000, 2), 14),
    "coincident_k20": (_coincident(20_000, 20), 15),
    "all_zero": (lambda rng: np.zeros((100, 5)), 16),
    "tiny_overflow": (_scaled(500, 20, 1e-306), 17),
    "huge_underflow": (_scaled(500, 20, 1e306), 18),
    "subnormal": (_scaled(500, 4, 5e-320), 19),
    "nan": (_with_nan(1000, 6, False), 20),
    "nan_coincident": (_with_nan(1000, 6, True), 21),
}


def _weights_case(name: str, *, odd_start: bool = False) -> dict[str, Any]:
    make, seed = WEIGHT_CASES[name]
    dist = make(np.random.default_rng(1000 + seed))
    rng = make_streams(seed).weights
    if odd_start:
        # One 32-bit draw: the next one comes from the half of a 64-bit draw PCG64 kept.
        rng.permuted(np.arange(2))
    with np.errstate(over="ignore"):  # the NumPy reference warns on 1/d overflow
        weights = random_weights(dist, rng)
    return {
        "weights": canonical(weights),
        "state": canonical(rng.bit_generator.state),
        "next": canonical(rng.random(3)),
    }


def _frame(frame: pd.DataFrame) -> dict[str, Any]:
    return {
        "columns": [str(c) for c in frame.columns],
        "dtypes": [str(t) for t in frame.dtypes],
        "values": {str(c): canonical(frame[c].to_numpy()) for c in frame.columns},
    }


def _avatarize_case(table: pd.DataFrame, config: AvatarizationConfig) -> dict[str, Any]:
    out = avatarize(table, config)
    return {"avatars": _frame(out.avatars), "unshuffled": _frame(out.unshuffled)}


AVATAR_CASES: dict[str, Callable[[], dict[str, Any]]] = {
    "bench_30k_k20": lambda: _avatarize_case(_bench(30_000, 8), AvatarizationConfig(k=20, seed=8)),
    "mixed_20k_k5": lambda: _avatarize_case(_mixed(20_000, 9), AvatarizationConfig(k=5, seed=9)),
    "ties_20k_k12": lambda: _avatarize_case(
        _continuous_ties(20_000, 10), AvatarizationConfig(k=12, seed=10)
    ),
}


def _all_cases() -> dict[str, Any]:
    result: dict[str, Any] = {f"weights/{name}": _weights_case(name) for name in WEIGHT_CASES}
    for name in ("k2", "k20", "coincident_k20"):
        result[f"weights/{name}/odd_start"] = _weights_case(name, odd_start=True)
    result["weights/bench_1m"] = _weights_1m()
    for name, case in AVATAR_CASES.items():
        result[f"avatarize/{name}"] = case()
    return result


def _weights_1m() -> dict[str, Any]:
    dist = np.random.default_rng(77).random((1_000_000, 20))
    dist += 0.01
    rng = make_streams(77).weights
    weights = random_weights(dist, rng)
    return {"weights": canonical(weights), "state": canonical(rng.bit_generator.state)}


def _expected() -> dict[str, Any]:
    return dict(json.loads(EXPECTED.read_text()))


@pytest.mark.parametrize("name", list(WEIGHT_CASES))
def test_random_weights_are_pinned(name: str) -> None:
    assert _weights_case(name) == _expected()[f"weights/{name}"]


@pytest.mark.parametrize("name", ["k2", "k20", "coincident_k20"])
def test_random_weights_use_the_buffered_half_draw(name: str) -> None:
    assert _weights_case(name, odd_start=True) == _expected()[f"weights/{name}/odd_start"]


@pytest.mark.slow
def test_random_weights_are_pinned_at_one_million_rows() -> None:
    assert _weights_1m() == _expected()["weights/bench_1m"]


@pytest.mark.parametrize("name", list(AVATAR_CASES))
def test_seeded_avatars_are_pinned(name: str) -> None:
    assert AVATAR_CASES[name]() == _expected()[f"avatarize/{name}"]


@pytest.mark.parametrize(
    "bit_generator", [np.random.MT19937, np.random.Philox, np.random.SFC64, np.random.PCG64DXSM]
)
@pytest.mark.parametrize("k", [1, 5, 20])
def test_random_weights_match_the_numpy_reference(
    bit_generator: Callable[[int], np.random.BitGenerator], k: int
) -> None:
    dist = _coincident(3000, k)(np.random.default_rng(k))
    new, old = np.random.Generator(bit_generator(k)), np.random.Generator(bit_generator(k))
    new.permuted(np.arange(2))
    old.permuted(np.arange(2))
    with np.errstate(over="ignore"):
        expected = weights_reference.random_weights(dist, old)
    assert random_weights(dist, new).tobytes() == expected.tobytes()
    assert canonical(new.bit_generator.state) == canonical(old.bit_generator.state)


if __name__ == "__main__":
    EXPECTED.parent.mkdir(parents=True, exist_ok=True)
    EXPECTED.write_text(json.dumps(_all_cases(), indent=1, sort_keys=True) + "\n")
    print(f"wrote {EXPECTED}")
