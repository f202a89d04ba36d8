"""Properties on random small tables: valid input gives well-formed avatars, finite metrics."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from avatars_server.engine import (
    AvatarizationConfig,
    ImputationConfig,
    avatarize,
    compute_privacy_metrics,
    compute_signal_metrics,
)


@st.composite
def tables(draw: st.DrawFn) -> tuple[pd.DataFrame, int, str]:
    n = draw(st.integers(min_value=3, max_value=25))
    seed = draw(st.integers(min_value=0, max_value=2**32 - 1))
    rng = np.random.default_rng(seed)
    columns: dict[str, object] = {
        "x": np.round(rng.normal(size=n), draw(st.integers(0, 3))),
        "n": rng.integers(0, draw(st.integers(1, 4)), n),
        "c": pd.Categorical(rng.choice(["a", "b", "c"][: draw(st.integers(1, 3))], n)),
    }
    if draw(st.booleans()):
        x = np.array(columns["x"], dtype=float)
        x[rng.random(n) < 0.3] = np.nan
        x[0] = 1.0  # never an entirely missing column
        columns["x"] = x
    if draw(st.booleans()):
        columns["flag"] = rng.random(n) < 0.5
    k = draw(st.integers(min_value=1, max_value=n - 1))
    method = draw(st.sampled_from(["knn", "fast_knn", "mean", "median", "mode"]))
    return pd.DataFrame(columns), k, method


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables())
def test_any_small_table_gives_well_formed_avatars_and_finite_metrics(
    case: tuple[pd.DataFrame, int, str],
) -> None:
    frame, k, method = case
    config = AvatarizationConfig(k=k, seed=0, imputation=ImputationConfig(method=method))
    out = avatarize(frame, config)
    assert list(out.unshuffled.columns) == list(frame.columns)
    assert len(out.avatars) == len(frame)
    assert list(out.unshuffled.dtypes) == list(frame.dtypes)
    # Continuous avatars stay within the range of the originals.
    observed = frame["x"].dropna()
    avatar_x = out.unshuffled["x"].dropna()
    assert avatar_x.empty or (
        avatar_x.min() >= observed.min() - 1e-9 and avatar_x.max() <= observed.max() + 1e-9
    )
    privacy = compute_privacy_metrics(frame, out.unshuffled)
    signal = compute_signal_metrics(frame, out.avatars)
    for value in (
        privacy.hidden_rate,
        privacy.local_cloaking,
        privacy.column_direct_match_protection,
        privacy.categorical_hidden_rate,
        privacy.row_direct_match_protection,
        signal.hellinger_mean,
        signal.hellinger_std,
    ):
        assert math.isfinite(value)
    assert 0 <= privacy.hidden_rate <= 100
    assert 0 <= signal.hellinger_mean <= 1
    for optional in (
        privacy.distance_to_closest,
        privacy.closest_distances_ratio,
        privacy.closest_rate,
        signal.correlation_difference_ratio,
    ):
        assert optional is None or math.isfinite(optional)
