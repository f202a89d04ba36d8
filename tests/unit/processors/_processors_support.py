"""Shared hypothesis settings and strategies for the processor tests."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# Derandomized: the same examples on every run, so the suite is deterministic and fast.
PROPERTY = settings(
    derandomize=True,
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
positive = st.floats(min_value=0.0, max_value=1e4, allow_nan=False, allow_infinity=False)


@st.composite
def records(
    draw: st.DrawFn,
    *,
    values: st.SearchStrategy[float] = finite,
    min_rows: int = 1,
    max_rows: int = 25,
    max_ids: int = 5,
) -> pd.DataFrame:
    """A frame of records: `id` (int), `value` (float) and an unrelated `other` column."""
    n = draw(st.integers(min_value=min_rows, max_value=max_rows))
    ids = draw(st.lists(st.integers(0, max_ids - 1), min_size=n, max_size=n))
    vals = draw(st.lists(values, min_size=n, max_size=n))
    return pd.DataFrame({"id": ids, "value": vals, "other": np.arange(n)})


@st.composite
def intervals(draw: st.DrawFn, *, max_rows: int = 25, max_ids: int = 5) -> pd.DataFrame:
    """A frame of intervals: `id`, `start`, `end` (floats in [0, 1000]) and `rank`."""
    n = draw(st.integers(min_value=1, max_value=max_rows))
    ids = draw(st.lists(st.integers(0, max_ids - 1), min_size=n, max_size=n))
    bound = st.floats(min_value=0.0, max_value=1000.0, allow_nan=False)
    starts = draw(st.lists(bound, min_size=n, max_size=n))
    ends = draw(st.lists(bound, min_size=n, max_size=n))
    return pd.DataFrame({"id": ids, "start": starts, "end": ends, "rank": np.arange(n)})
