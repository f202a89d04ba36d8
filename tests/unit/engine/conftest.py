"""Small tables shared by the engine unit tests."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest


@pytest.fixture
def mixed() -> pd.DataFrame:
    """60 rows: int, float with missing values, category, bool, object and datetime columns."""
    rng = np.random.default_rng(7)
    n = 60
    weight = np.round(rng.normal(70, 10, n), 2)
    weight[[3, 17, 42]] = np.nan
    return pd.DataFrame(
        {
            "age": rng.integers(18, 90, n),
            "weight": weight,
            "group": pd.Categorical(rng.choice(["a", "b", "c"], n)),
            "smoker": rng.random(n) < 0.3,
            "city": pd.Series(rng.choice(["Paris", "Lyon", None], n), dtype=object),
            "visit": pd.to_datetime("2020-01-01") + pd.to_timedelta(rng.integers(0, 900, n), "D"),
        }
    )
