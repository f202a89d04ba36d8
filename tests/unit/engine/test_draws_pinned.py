"""Pinned categorical draws and barycentres (issue #12, draws and barycentres in one pass).

The expected digests in ``tests/data/engine/draws_pinned.json`` were computed on the engine
*before* the draws moved to one pass over the rows for every variable (one ``_draw_rows`` pass
per variable, commit 9d23457), so that the fused kernel is proven to give the same codes bit for
bit, for every code type (uint8 / uint16 / uint32), dense and sparse level counts, any mix of
variables in one call, however they are grouped into passes, and to leave the categorical
stream in the same state. Regenerate only
for an intended change of results::

    PYTHONPATH=. .venv/bin/python tests/unit/engine/test_draws_pinned.py
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from avatars_server.engine import draws
from avatars_server.engine.avatarize import barycentres, draw_codes
from avatars_server.engine.random import make_streams
from avatars_server.engine.table import Categorical
from avatars_server.engine.weights import random_weights
from tests.unit.engine.test_metrics_pinned import canonical

EXPECTED = Path(__file__).resolve().parents[2] / "data" / "engine" / "draws_pinned.json"

# name: (rows, k, level counts of the variables in call order, seed)
DRAW_CASES: dict[str, tuple[int, int, tuple[int, ...], int]] = {
    "one_level": (3000, 20, (1,), 0),
    "two_levels": (5000, 20, (2,), 1),
    "bench_like": (50_000, 20, (3, 4, 5, 6, 7, 8), 2),
    "dense_edge": (4000, 20, (64, 65), 3),
    "uint8_edge": (4000, 20, (255, 256), 4),
    "uint16": (4000, 20, (257, 65_536), 5),
    "uint32": (4000, 20, (65_537, 70_000), 6),
    "mixed_all": (9000, 20, (3, 1, 70_000, 2, 256, 64, 257, 65, 255, 7), 7),
    "k1": (2000, 1, (2, 5, 300), 8),
    "k2": (2000, 2, (3, 70_000), 9),
    "k3_odd_rows": (1025, 3, (4, 100), 10),
    "k64": (1500, 64, (6, 64, 65, 1000), 11),
    "k100": (700, 100, (9, 80, 70_000), 12),
    "one_row": (1, 20, (3, 300), 13),
    "no_rows": (0, 20, (3, 300), 14),
    "no_variables": (1000, 20, (), 15),
    "many_variables": (3000, 8, tuple(2 + (j * 7) % 90 for j in range(40)), 16),
    # 64 bits of codes: the last variable's field reaches the word's top bit.
    "top_bit": (3000, 20, (256,) * 8, 18),
    "wide_top_bit": (2000, 20, (2**20, 2**20, 2**20, 16), 19),
}


def _inputs(
    n: int, k: int, levels: Sequence[int], seed: int
) -> tuple[np.ndarray, np.ndarray, list[Categorical]]:
    """Seeded weights (with zero weights and one-neighbour rows), neighbours, variables."""
    rng = np.random.default_rng(5000 + seed)
    neighbours = rng.integers(0, max(n, 1), (n, k))
    # Half of the rows take neighbours near themselves (shared levels, like a kNN search's).
    local = rng.random(n) < 0.5
    near = (np.arange(n)[:, None] + rng.integers(-30, 31, (n, k))) % max(n, 1)
    neighbours[local] = near[local]
    dist = np.cumsum(rng.random((n, k)) + 1e-3, axis=1)
    weights = random_weights(dist, rng) if n else np.zeros((0, k))
    if n and k > 2:
        weights[::7, 2] = 0.0
        weights[3::11] = 0.0
        weights[3::11, k - 1] = 1.0
    variables = []
    for j, m in enumerate(levels):
        codes = rng.integers(0, m, n)
        # Some rows draw from a few levels only (levels repeated among the neighbours).
        few = rng.random(n) < 0.4
        codes[few] = (rng.integers(0, 5, int(few.sum())) * (m // 5)) % m
        modalities = np.arange(m - (j % 2)).astype(str).astype(object)
        variables.append(Categorical(f"v{j}", codes, modalities, bool(j % 2)))
    return weights, neighbours, variables


def _draw_case(name: str) -> dict[str, Any]:
    n, k, levels, seed = DRAW_CASES[name]
    weights, neighbours, variables = _inputs(n, k, levels, seed)
    rng = make_streams(seed).categorical
    drawn = draw_codes(weights, neighbours, variables, rng)
    return {
        "codes": [canonical(codes) for codes in drawn],
        "state": canonical(rng.bit_generator.state),
        "next": canonical(rng.random(3)),
    }


class _NearOne:
    """A stream whose draws include u just below 1 (cumulative totals can fall short of u)."""

    def __init__(self, seed: int) -> None:
        self._rng = np.random.default_rng(seed)

    def random(self, n: int) -> np.ndarray:
        u = self._rng.random(n)
        u[::3] = np.nextafter(1.0, 0.0)
        u[1::5] = 1.0 - 1e-16
        return u


def _near_one_case() -> dict[str, Any]:
    weights, neighbours, variables = _inputs(3000, 20, (2, 7, 65, 300, 70_000), 17)
    # Rows whose weights sum to slightly less than 1.
    weights[::2] *= 1.0 - 1e-15
    drawn = draw_codes(weights, neighbours, variables, _NearOne(17))  # type: ignore[arg-type]
    return {"codes": [canonical(codes) for codes in drawn]}


# name: (rows, k, columns, seed)
BARYCENTRE_CASES: dict[str, tuple[int, int, int, int]] = {
    "bench_like": (30_000, 20, 20, 0),
    "one_column": (5000, 7, 1, 1),
    "no_columns": (500, 20, 0, 2),
    "k1": (2000, 1, 3, 3),
}


def _barycentre_case(name: str) -> dict[str, Any]:
    n, k, c, seed = BARYCENTRE_CASES[name]
    weights, neighbours, _ = _inputs(n, k, (), 100 + seed)
    values = np.random.default_rng(seed).normal(size=(n, c)) * 10.0 ** np.arange(c)
    return {"means": canonical(barycentres(weights, neighbours, values))}


def _all_cases() -> dict[str, Any]:
    result: dict[str, Any] = {f"draws/{name}": _draw_case(name) for name in DRAW_CASES}
    result["draws/near_one"] = _near_one_case()
    for name in BARYCENTRE_CASES:
        result[f"barycentres/{name}"] = _barycentre_case(name)
    return result


def _expected() -> dict[str, Any]:
    return dict(json.loads(EXPECTED.read_text()))


@pytest.mark.parametrize("name", list(DRAW_CASES))
def test_draws_are_pinned(name: str) -> None:
    assert _draw_case(name) == _expected()[f"draws/{name}"]


@pytest.mark.parametrize("word_bits", [1, 8, 16, 17])
@pytest.mark.parametrize("name", ["bench_like", "mixed_all", "k100", "many_variables", "top_bit"])
def test_draws_are_pinned_whatever_the_passes(
    name: str, word_bits: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Fewer bits per pass: several passes, uint8/uint16/uint32 words, wide codes alone.
    monkeypatch.setattr(draws, "WORD_BITS", word_bits)
    assert _draw_case(name) == _expected()[f"draws/{name}"]


def test_draws_with_u_just_below_one_are_pinned() -> None:
    assert _near_one_case() == _expected()["draws/near_one"]


@pytest.mark.parametrize("name", list(BARYCENTRE_CASES))
def test_barycentres_are_pinned(name: str) -> None:
    assert _barycentre_case(name) == _expected()[f"barycentres/{name}"]


if __name__ == "__main__":
    EXPECTED.parent.mkdir(parents=True, exist_ok=True)
    EXPECTED.write_text(json.dumps(_all_cases(), indent=1, sort_keys=True) + "\n")
    print(f"wrote {EXPECTED}")
