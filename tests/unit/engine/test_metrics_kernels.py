"""The metrics' numba kernels against the numpy / pandas code they replace (issue 12)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from avatars_server.engine import matching
from avatars_server.engine.matching import _objects, factorize_rounded, joint_codes


def _pandas_codes(parts: list[np.ndarray]) -> np.ndarray:
    with np.errstate(over="ignore", invalid="ignore"):
        values = np.round(np.concatenate(parts), 9)
    return np.asarray(pd.factorize(values, use_na_sentinel=True)[0], dtype=np.int64)


@pytest.mark.parametrize("kind", ["integers", "scaled", "two_decimals", "edge"])
def test_factorize_rounded_gives_pandas_codes(kind: str) -> None:
    rng = np.random.default_rng(len(kind))
    for _ in range(20):

        def values(size: int) -> np.ndarray:
            if kind == "integers":
                out = rng.integers(-5, 5, size).astype(np.float64)
            elif kind == "scaled":
                out = rng.normal(size=size) * 10.0 ** rng.integers(-12, 12)
            elif kind == "two_decimals":
                out = np.round(rng.normal(size=size) * 100, 2)
            else:
                edge = [0.0, -0.0, 1e-10, -1e-10, np.nan, 0.1 + 0.2, 0.3, 1e300, -1e300, 5e-10]
                out = rng.choice(edge, size)
            out[rng.random(size) < 0.1] = np.nan
            return out

        parts = [values(int(rng.integers(0, 3000))), values(int(rng.integers(0, 3000)))]
        assert np.array_equal(factorize_rounded(parts), _pandas_codes(parts))


def test_factorize_rounded_grows_its_table() -> None:
    values = np.arange(5000, dtype=np.float64) / 7
    parts = [values[:1234], values[::-1]]
    assert np.array_equal(factorize_rounded(parts), _pandas_codes(parts))


def test_categorical_joint_codes_are_those_of_the_object_path() -> None:
    rng = np.random.default_rng(0)
    for trial in range(30):
        levels = [f"m{i}" for i in range(int(rng.integers(1, 10)))]
        a_levels = levels[: int(rng.integers(1, len(levels) + 1))] + (["new"] if trial % 2 else [])
        x = pd.Series(pd.Categorical(rng.choice([*levels, None], 300), categories=levels))
        a = pd.Series(
            pd.Categorical(rng.choice([*a_levels, None], 200), categories=rng.permutation(a_levels))
        )
        expected = pd.factorize(np.concatenate([_objects(x), _objects(a)]), use_na_sentinel=True)
        got = np.concatenate(joint_codes(x, a, "categorical"))
        assert np.array_equal(got, np.asarray(expected[0], dtype=np.int64))


@pytest.mark.parametrize("partition_rows", [1, 16, 10**9])
def test_row_direct_match_partitions_count_the_copied_rows(
    partition_rows: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Partitions by the first column's value give the exact share of copied rows."""
    monkeypatch.setattr(matching, "_PARTITION_ROWS", partition_rows)
    rng = np.random.default_rng(partition_rows)
    for _ in range(10):
        n, m = int(rng.integers(1, 400)), int(rng.integers(1, 400))
        x = rng.integers(-1, 4, size=(n, 3))
        a = rng.integers(-1, 4, size=(m, 3))
        copied = rng.choice(n, size=min(n, m) // 3, replace=False)
        a[: len(copied)] = x[copied]
        originals = {tuple(row) for row in x.tolist()}
        copies = sum(tuple(row) in originals for row in a.tolist())
        columns = [(x[:, j].copy(), a[:, j].copy()) for j in range(3)]
        expected = 100.0 * (1.0 - copies / m)
        assert matching.row_direct_match_protection(columns) == pytest.approx(expected, abs=1e-12)
