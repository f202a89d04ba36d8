"""Series tables shared by the time-series engine tests."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

DATA = Path(__file__).resolve().parents[3] / "data" / "extended"


@pytest.fixture(scope="session")
def sensors() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The tutorial's vanilla table and its two series tables (tests/data/extended)."""
    return (
        pd.read_csv(DATA / "sensors_vanilla.csv"),
        pd.read_csv(DATA / "sensors_timeseries1.csv"),
        pd.read_csv(DATA / "sensors_timeseries2.csv"),
    )


def _irregular(n: int = 120, seed: int = 0, absent: float = 0.0) -> pd.DataFrame:
    """Series with individual times, lengths and spans (a normalised grid), some individuals
    absent, a few missing values, equal times repeated."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n):
        if rng.random() < absent:
            continue
        m = int(rng.integers(3, 12))
        start = int(rng.integers(0, 100))
        times = np.sort(start + rng.choice(60, size=m, replace=False))
        level = rng.normal()
        for t in times:
            rows.append((i, int(t), round(level + 0.05 * t + rng.normal(0, 0.1), 3)))
    frame = pd.DataFrame(rows, columns=["id", "t", "hr"])
    frame.loc[frame.index[::17], "hr"] = np.nan
    return frame


@pytest.fixture(scope="session")
def irregular() -> pd.DataFrame:
    """120 individuals on their own times (normalised grid), 1 missing value in 17."""
    return _irregular()


@pytest.fixture(scope="session")
def irregular_absent() -> pd.DataFrame:
    """Like ``irregular``, with about 30 % of the individuals absent."""
    return _irregular(n=300, seed=1, absent=0.3)
