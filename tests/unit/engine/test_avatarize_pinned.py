"""Pinned avatars of seeded avatarizations (issue 12, fixed costs at 100k rows).

The digests were computed on the engine *before* the work on per-call costs (branch
``fixed100k``, base 5f4fe6a), so that the changes are proven to give the same avatars bit for
bit: every column's name, dtype and values (categorical codes and categories), the shuffle
order and the ncp. Change them only for an intended change of results.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from avatars_server.engine import AvatarizationConfig, avatarize
from tests.unit.engine.test_metrics_pinned import _mixed


def frame_digest(frame: pd.DataFrame) -> str:
    """SHA-256 of every column's label, dtype and values."""
    digest = hashlib.sha256()
    for label in frame.columns:
        column = frame[label]
        digest.update(f"{label}|{column.dtype}|".encode())
        if isinstance(column.dtype, pd.CategoricalDtype):
            digest.update(np.asarray(column.cat.codes).tobytes())
            digest.update(repr(list(column.cat.categories)).encode())
        elif column.dtype.kind in "fiubM":
            digest.update(column.to_numpy().tobytes())
        else:
            digest.update(repr(column.tolist()).encode())
    return digest.hexdigest()


def _bench(n: int) -> pd.DataFrame:
    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
    from bench.bench_engine import make_table

    return make_table(n)


def _digests(frame: pd.DataFrame, config: AvatarizationConfig) -> tuple[str, str, str, int]:
    out = avatarize(frame, config)
    assert out.order is not None
    order = hashlib.sha256(np.ascontiguousarray(out.order).tobytes()).hexdigest()
    return frame_digest(out.avatars), frame_digest(out.unshuffled), order, out.ncp


CASES: dict[str, tuple[Callable[[], pd.DataFrame], AvatarizationConfig]] = {
    "bench_20k": (lambda: _bench(20_000), AvatarizationConfig(k=20, ncp=5, seed=0)),
    "mixed_3k": (lambda: _mixed(3_000, 8), AvatarizationConfig(k=10, seed=4)),
}

EXPECTED: dict[str, tuple[str, str, str, int]] = {
    "bench_20k": (
        "e956b13735cae889eb8eb299f6de4f7938f48c2bf3044d689b741c7a0ecc28a9",
        "2f53f1ce5075efcfbfc1c3cae92f8df6ee5686d451215f938808e6ec156113b7",
        "f0cc9d729d2b8cc0ddd8d440a92f98791cf34850651f7e05e289841883ab0664",
        5,
    ),
    "mixed_3k": (
        "139c33b19dbe59286607ff984ffaa85870fc735dc1d2dcc4fb35f0a338da8d06",
        "523609d4a5e5a6962767529b9a31915189481929a9314b9e397aa84d10eec820",
        "38ebf3ec176733de7e058e03fb640c25ea2de7f098070c0db9aab30c4cd3a90b",
        5,
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_avatars_are_pinned(name: str) -> None:
    make, config = CASES[name]
    assert _digests(make(), config) == EXPECTED[name]


if __name__ == "__main__":
    for name, (make, config) in CASES.items():
        print(f"    {name!r}: {_digests(make(), config)!r},")
