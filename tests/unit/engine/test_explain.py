"""Projection model for reports: contributions match squared loadings on the fitted table."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from avatars_server.engine import AvatarizationConfig, PrivacyConfig, avatarize
from avatars_server.engine.explain import component_names
from avatars_server.engine.privacy import compute_privacy_metrics


def _frame(n: int = 300) -> pd.DataFrame:
    rng = np.random.default_rng(3)
    a = rng.normal(size=n)
    return pd.DataFrame(
        {
            "a": a,
            "b": a * 2 + rng.normal(size=n),
            "c": np.where(rng.random(n) < 0.1, np.nan, rng.normal(size=n)),
            "g": rng.choice(["x", "y", "z"], size=n).astype(object),
        }
    )


def test_contributions_on_the_originals_are_squared_loadings() -> None:
    frame = _frame()
    out = avatarize(frame, AvatarizationConfig(k=5, seed=1), explain=True)
    model = out.model
    assert model is not None
    assert model.original_coords.shape == (len(frame), 5)
    assert model.avatar_coords.shape == (len(frame), 5)
    first = model.contributions_original["Dim. 1"]
    # Is-missing indicators count towards their variable.
    assert set(first) == {"a", "b", "c", "g"}
    for component in component_names(5):
        assert sum(model.contributions_original[component].values()) == pytest.approx(100.0)
        assert sum(model.contributions_avatars[component].values()) == pytest.approx(100.0)
    assert model.explained_variance_ratio.sum() == pytest.approx(1.0)
    # Variance of each original coordinate is its eigenvalue (method.md §3.4).
    assert model.original_coords.var(axis=0) == pytest.approx(model.eigenvalues[:5], rel=1e-9)


def test_explained_model_is_deterministic_under_a_seed() -> None:
    frame = _frame()
    first = avatarize(frame, AvatarizationConfig(k=5, seed=7), explain=True).model
    second = avatarize(frame, AvatarizationConfig(k=5, seed=7), explain=True).model
    assert first is not None and second is not None
    np.testing.assert_array_equal(first.avatar_coords, second.avatar_coords)
    assert first.contributions_avatars == second.contributions_avatars


def test_privacy_diagnostics_give_the_medians_reported() -> None:
    frame = _frame()
    out = avatarize(frame, AvatarizationConfig(k=5, seed=1))
    result = compute_privacy_metrics(frame, out.unshuffled, PrivacyConfig(seed=1), explain=True)
    diagnostics = result.diagnostics
    assert diagnostics is not None
    assert float(np.median(diagnostics.local_cloaking)) == result.local_cloaking
    assert float(np.median(diagnostics.distance_to_closest)) == result.distance_to_closest
    assert float(np.median(diagnostics.closest_distances_ratio)) == result.closest_distances_ratio
    contributions = diagnostics.model.contributions_original["Dim. 1"]
    assert sum(contributions.values()) == pytest.approx(100.0)


def test_contributions_equal_squared_loadings_with_column_weights() -> None:
    from avatars_server.engine.explain import explain_projection
    from avatars_server.engine.projection import fit_projection
    from avatars_server.engine.table import column_kinds, encode

    rng = np.random.default_rng(0)
    frame = pd.DataFrame(
        {"a": rng.normal(size=200), "g": rng.choice(list("xyz"), 200).astype(object)}
    )
    frame["b"] = frame["a"] + rng.normal(size=200)
    frame = frame[["a", "b", "g"]]
    table = encode(frame, column_kinds(frame))
    projection = fit_projection(table, table.continuous, [1.0, 2.0, 1.0])
    encoded = (table.continuous, [v.codes for v in table.categoricals])
    model = explain_projection(projection, ["a", "b", "g"], encoded, encoded, components=3)
    v = projection.components
    for a, component in enumerate(component_names(3)):
        shares = model.contributions_original[component]
        assert shares["a"] == pytest.approx(100 * v[0, a] ** 2)
        assert shares["b"] == pytest.approx(100 * v[1, a] ** 2)
        assert shares["g"] == pytest.approx(100 * (v[2:, a] ** 2).sum())
