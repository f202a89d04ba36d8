"""Fast paths of the series metrics equal the plain computations: row direct match of series
(§2.9 step 4) by hashed candidates, and the pairing of integer identifiers by lookup table."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from avatars_server.engine.errors import AvatarError
from avatars_server.engine.timeseries import metrics
from avatars_server.engine.timeseries.grid import Points, collect_points
from avatars_server.engine.timeseries.individuals import individual_index
from avatars_server.engine.timeseries.metrics import _copied_series


def _bytes_reference(points: Points) -> list[bytes]:
    """Each individual's series as bytes, as the metric was first written."""
    table = np.round(np.column_stack([points.time, points.values]), 9)
    table += 0.0
    start, count = points.start.tolist(), points.count.tolist()
    return [table[s : s + c].tobytes() for s, c in zip(start, count, strict=True)]


def _random_points(rng: np.random.Generator, n: int) -> Points:
    individual, time, values = [], [], []
    for i in range(n):
        if rng.random() < 0.1:
            continue
        m = int(rng.integers(1, 6))
        times = np.sort(rng.choice(10, size=m, replace=False)).astype(np.float64)
        individual.extend([i] * m)
        time.extend(times)
        values.extend(rng.integers(-2, 3, size=(m, 2)).astype(np.float64) / 2)
    v = np.asarray(values)
    v[rng.random(v.shape) < 0.1] = np.nan
    v[v == 0] = -0.0
    return collect_points(np.asarray(individual), np.asarray(time), v, n)


@pytest.mark.parametrize("few", [256, 0])
def test_hashed_copies_match_bytes(few: int, monkeypatch: pytest.MonkeyPatch) -> None:
    # few = 0: every candidate series goes through the bulk rounding.
    monkeypatch.setattr(metrics, "_FEW_CANDIDATES", few)
    rng = np.random.default_rng(0)
    for trial in range(20):
        x = _random_points(rng, 60)
        if trial % 2:
            # Avatars that copy some originals exactly (with +0.0 where the originals had -0.0).
            rows = x.individual < 30
            a_values = x.values[rows] + 0.0
            a = collect_points(x.individual[rows], x.time[rows], a_values, 60)
            b = _random_points(rng, 30)
            a = Points(
                np.concatenate([a.individual, b.individual + 30]),
                np.concatenate([a.time, b.time]),
                np.concatenate([a.values, b.values]),
                60,
            )
            a = collect_points(a.individual, a.time, a.values, 60)
        else:
            a = _random_points(rng, 60)
        x_rows, a_rows = np.flatnonzero(x.present), np.flatnonzero(a.present)
        x_bytes, a_bytes = _bytes_reference(x), _bytes_reference(a)
        originals = {x_bytes[i] for i in x_rows.tolist()}
        expected = sum(a_bytes[i] in originals for i in a_rows.tolist())
        assert _copied_series(x, x_rows, a, a_rows) == expected
        if trial % 2:
            assert expected > 0


@pytest.mark.parametrize(
    "individuals",
    [np.arange(50), np.arange(50)[::-1] * 3 - 40, np.array([5, 900, 7, -3, 12])],
)
def test_dense_positions_match_get_indexer(individuals: np.ndarray) -> None:
    rng = np.random.default_rng(1)
    index = pd.Index(individuals.astype(np.int64))
    inside = rng.choice(individuals, size=200)
    keys = pd.Index(np.sort(inside).astype(np.int64))
    assert np.array_equal(individual_index(keys, index, "s"), index.get_indexer(keys))
    unknown = pd.Index(np.append(inside, [individuals.max() - 1, -1000]).astype(np.int64))
    missing = unknown[~unknown.isin(index)]
    if len(missing):
        with pytest.raises(AvatarError) as info:
            individual_index(unknown, index, "s")
        assert info.value.code == "UNKNOWN_INDIVIDUAL"
