"""Figure data for reports: bounded, deterministic, and faithful to the data."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from avatars_server.api.views.metrics import CHUNK_ROWS, projections_body
from avatars_server.reports.build import (
    correlation_data,
    distribution_data,
    projection_sample,
    signal_figures,
    variable_distributions,
)

COLUMNS = [
    {"label": "id", "type": "int", "is_identifier": True},
    {"label": "x", "type": "float"},
    {"label": "when", "type": "datetime"},
    {"label": "g", "type": "category"},
]


def _frame(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    x[::10] = np.nan
    return pd.DataFrame(
        {
            "id": np.arange(n),
            "x": x,
            "when": pd.Timestamp("2020-01-01") + pd.to_timedelta(rng.integers(0, 900, n), "D"),
            "g": rng.choice([f"m{i}" for i in range(40)], size=n).astype(object),
        }
    )


def test_distributions_cover_every_variable_with_shares_that_add_up() -> None:
    original, avatars = _frame(500, 1), _frame(500, 2)
    items = variable_distributions(original, avatars, COLUMNS, {"x": 0.1})
    assert [d.name for d in items] == ["x", "when", "g"]
    x, when, g = items
    assert x.kind == "continuous" and x.hellinger == 0.1
    assert x.bin_edges is not None and len(x.bin_edges) == len(x.labels) + 1
    assert sum(x.original) + x.original_missing == pytest.approx(1.0)
    assert x.original_missing == pytest.approx(0.1)
    assert when.kind == "datetime" and when.bin_edges is not None
    # 40 modalities: the rarest are grouped as "other".
    assert g.labels[-1].startswith("other") and len(g.labels) < 40
    assert sum(g.original) == pytest.approx(1.0) and sum(g.avatars) == pytest.approx(1.0)


def test_correlations_are_sampled_deterministically() -> None:
    original, avatars = _frame(3000, 1), _frame(3000, 2)
    first = correlation_data(original, avatars, COLUMNS, limit=1000)
    second = correlation_data(original, avatars, COLUMNS, limit=1000)
    assert first != correlation_data(original, avatars, COLUMNS, limit=2000)
    assert first == second
    assert first.variables == ["x", "when", "g"]
    assert first.original[0][0] == 1.0
    diff = first.difference[0][1]
    assert diff is not None
    assert diff == pytest.approx(first.avatars[0][1] - first.original[0][1])


def test_signal_figures_are_the_same_for_categorical_and_object_columns() -> None:
    # A full job reads its categories as pandas categoricals; equal counts (40 modalities on
    # 500 rows tie) must be ordered as the object columns other jobs read would order them.
    original, avatars = _frame(500, 0), _frame(500, 1)
    original.loc[::7, "g"] = np.nan
    as_objects = signal_figures(original, avatars, COLUMNS)
    # Categories sorted, and (second) listed in reverse with some never observed.
    unobserved = [f"z{i}" for i in range(5)]
    for categories in (None, unobserved + [f"m{i}" for i in reversed(range(40))]):
        dtype = pd.CategoricalDtype(categories)
        categorical = signal_figures(
            original.astype({"g": dtype}), avatars.astype({"g": dtype}), COLUMNS
        )
        assert categorical == as_objects


def test_privacy_histogram_counts_every_individual_and_keeps_the_median() -> None:
    values = np.concatenate([np.arange(100), [10_000]])
    item = distribution_data("local_cloaking", values, "> 5")
    assert sum(item.counts) == 101 and item.n == 101
    assert item.median == 50.0 and item.threshold == 5.0
    assert len(item.counts) == len(item.bin_edges) - 1 <= 102


def test_projection_sample_is_bounded_and_row_aligned() -> None:
    records = np.arange(30_000, dtype=np.float64).reshape(10_000, 3)
    sample = projection_sample(records, records + 0.5, limit=100)
    assert sample.n_total == 10_000 and sample.n_sampled == 100
    assert sample.axes == ["Dim. 1", "Dim. 2"]
    assert all(a[0] == r[0] + 0.5 for r, a in zip(sample.original, sample.avatars, strict=True))


@pytest.mark.parametrize("n", [0, 1, CHUNK_ROWS, CHUNK_ROWS + 3])
def test_streamed_projections_are_the_exact_json(n: int) -> None:
    rng = np.random.default_rng(n)
    records, avatars = rng.normal(size=(n, 3)), rng.normal(size=(n, 3))
    body = json.loads(b"".join(projections_body(records, avatars)))
    assert np.array_equal(np.array(body["records"]).reshape(n, 3), records)
    assert np.array_equal(np.array(body["avatars"]).reshape(n, 3), avatars)
