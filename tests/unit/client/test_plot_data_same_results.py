"""The faster figure summaries give exactly what the plain formulas give (job-overhead work).

The references below are the implementations before the change (a full distinct count for the
Sturges bins, one η computed from scratch per pair): the results must be equal, not close.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from avatars import plot_data


def _sturges_reference(x_obs: np.ndarray, a_obs: np.ndarray) -> np.ndarray:
    if not (x_obs.size or a_obs.size):
        return np.array([0.0, 1.0])
    distinct = len(pd.unique(x_obs)) if x_obs.size else 1
    sturges = math.ceil(math.log2(x_obs.size)) + 1 if x_obs.size else 1
    bins = max(1, min(sturges, distinct))
    lo = float(min(x_obs.min(initial=np.inf), a_obs.min(initial=np.inf)))
    hi = float(max(x_obs.max(initial=-np.inf), a_obs.max(initial=-np.inf)))
    if lo == hi:
        return np.array([lo - 0.5, hi + 0.5])
    return np.linspace(lo, hi, bins + 1)


def _eta_reference(codes: np.ndarray, y: np.ndarray) -> float | None:
    observed = ~np.isnan(y)
    codes, y = codes[observed], y[observed]
    total = float(((y - y.mean()) ** 2).sum()) if y.size else 0.0
    if total <= 0:
        return None
    counts = np.bincount(codes)
    sums = np.bincount(codes, weights=y)
    present = counts > 0
    between = float((sums[present] ** 2 / counts[present]).sum() - y.sum() ** 2 / y.size)
    return math.sqrt(min(1.0, max(0.0, between / total)))


@pytest.mark.parametrize(
    "values",
    [
        np.random.default_rng(0).normal(size=10_000),  # many distinct values
        np.random.default_rng(1).integers(0, 7, size=10_000).astype(float),  # few, past the prefix
        np.concatenate([np.zeros(5_000), np.arange(30.0)]),  # the distinct ones after the prefix
        np.full(6_000, 2.5),  # constant
        np.arange(12.0),  # fewer rows than the prefix
        np.empty(0),
    ],
)
def test_sturges_edges_are_those_of_a_full_distinct_count(values: np.ndarray) -> None:
    avatars = np.random.default_rng(2).normal(size=500)
    got = plot_data._sturges_edges(values, avatars)
    np.testing.assert_array_equal(got, _sturges_reference(values, avatars))


def _table(n: int, seed: int) -> tuple[pd.DataFrame, dict[str, plot_data.VariableKind]]:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 3))
    x[rng.random(n) < 0.1, 1] = np.nan
    frame = pd.DataFrame(
        {
            "a": x[:, 0],
            "b": x[:, 1],
            "c": np.full(n, 4.0),  # constant: η undefined
            "g": pd.Categorical(rng.choice(["u", "v", "w", None], size=n)),
            "h": rng.choice(["p", "q"], size=n).astype(object),
            "when": pd.Timestamp("2020-01-01") + pd.to_timedelta(rng.integers(0, 99, n), "D"),
        }
    )
    kinds: dict[str, plot_data.VariableKind] = {
        "a": "continuous",
        "b": "continuous",
        "c": "continuous",
        "g": "categorical",
        "h": "categorical",
        "when": "datetime",
    }
    return frame, kinds


def test_association_matrix_gives_each_eta_of_the_plain_formula() -> None:
    frame, kinds = _table(3_000, 4)
    matrix = plot_data.association_matrix(frame, kinds)
    names = list(kinds)
    for i, first in enumerate(names):
        for j, second in enumerate(names):
            if (kinds[first] == "categorical") == (kinds[second] == "categorical"):
                continue
            cat, cont = (first, second) if kinds[first] == "categorical" else (second, first)
            expected = _eta_reference(
                plot_data._codes(frame[cat]), plot_data.as_float(frame[cont], kinds[cont])
            )
            assert matrix[i][j] == expected, (first, second)
