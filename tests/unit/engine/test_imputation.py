"""Imputation methods of method.md §3.3 on hand-checked tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from avatars_server.engine.config import ImputationConfig
from avatars_server.engine.imputation import fit_imputer, impute, training_rows
from avatars_server.engine.table import column_kinds, encode


def _impute(frame: pd.DataFrame, config: ImputationConfig) -> np.ndarray:
    table = encode(frame, column_kinds(frame))
    imputer = fit_imputer(table, config, np.random.default_rng(0))
    return impute(imputer, table)


@pytest.mark.parametrize(("method", "expected"), [("mean", 3.75), ("median", 2.0), ("mode", 2.0)])
def test_simple_fills(method: str, expected: float) -> None:
    frame = pd.DataFrame({"x": [1.0, 2.0, 2.0, 10.0, np.nan]})
    filled = _impute(frame, ImputationConfig(method=method))
    assert filled[4, 0] == expected
    assert filled[:4, 0].tolist() == [1.0, 2.0, 2.0, 10.0]


def test_mode_ties_go_to_the_smallest_value_and_median_averages_the_middle() -> None:
    frame = pd.DataFrame({"x": [3.0, 1.0, 3.0, 1.0, np.nan]})
    assert _impute(frame, ImputationConfig(method="mode"))[4, 0] == 1.0
    assert _impute(frame, ImputationConfig(method="median"))[4, 0] == 2.0


@pytest.mark.parametrize("method", ["knn", "fast_knn"])
def test_knn_uses_the_nearest_donors_with_ties_to_the_lowest_index(method: str) -> None:
    frame = pd.DataFrame({"a": [0.0, 1.0, 10.0, np.nan], "b": [0.0, 1.0, 10.0, 0.5]})
    # Rows 0 and 1 are both at the same distance from row 3 on b.
    assert _impute(frame, ImputationConfig(method=method, k=2))[3, 0] == 0.5
    assert _impute(frame, ImputationConfig(method=method, k=1))[3, 0] == 0.0
    # Fewer donors than k: all of them.
    assert _impute(frame, ImputationConfig(method=method, k=10))[3, 0] == pytest.approx(11 / 3)


def test_knn_uses_categorical_columns_and_nan_euclidean_weighting() -> None:
    frame = pd.DataFrame(
        {
            "a": [1.0, 2.0, 100.0, np.nan],
            "b": [np.nan, 0.0, 0.0, 0.0],
            "c": pd.Categorical(["u", "v", "u", "u"]),
        }
    )
    # Row 3 shares c with rows 0 and 2; row 2 also matches on b, row 0 has no b (so its distance
    # is scaled up by total/present coordinates but stays on c alone: 0).
    filled = _impute(frame, ImputationConfig(method="knn", k=1))
    assert filled[3, 0] == 1.0
    assert filled[0, 1] == 0.0


def test_fast_knn_donors_are_complete_rows_only() -> None:
    frame = pd.DataFrame(
        {"a": [0.0, 0.1, 5.0, np.nan], "b": [np.nan, 1.0, 1.0, 1.0], "c": [0.0, 0.0, 9.0, 0.0]}
    )
    # knn may use row 0 (b missing, equal on c: distance 0); fast_knn may not.
    assert _impute(frame, ImputationConfig(method="knn", k=1))[3, 0] == 0.0
    assert _impute(frame, ImputationConfig(method="fast_knn", k=1))[3, 0] == 0.1
    assert _impute(frame, ImputationConfig(method="fast_knn", k=2))[3, 0] == pytest.approx(2.55)


def test_training_subset_size_and_reproducibility() -> None:
    config = ImputationConfig(training_fraction=0.25, k=5)
    rows = training_rows(100, config, np.random.default_rng(3))
    assert len(rows) == 25 and len(set(rows.tolist())) == 25
    assert np.array_equal(rows, training_rows(100, config, np.random.default_rng(3)))
    assert (
        len(
            training_rows(
                10, ImputationConfig(training_fraction=0.01, k=4), np.random.default_rng(0)
            )
        )
        == 4
    )
    assert training_rows(7, ImputationConfig(), np.random.default_rng(0)).tolist() == list(range(7))


def test_imputer_fitted_on_originals_fills_another_table() -> None:
    original = pd.DataFrame({"a": [0.0, 1.0, 10.0], "b": [0.0, 1.0, 10.0]})
    other = pd.DataFrame({"a": [np.nan], "b": [9.0]})
    kinds = column_kinds(original)
    table = encode(original, kinds)
    imputer = fit_imputer(table, ImputationConfig(k=1), np.random.default_rng(0))
    assert impute(imputer, encode(other, kinds, reference=table))[0, 0] == 10.0


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_tree_knn_matches_brute_force(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    import avatars_server.engine.imputation as imputation

    rng = np.random.default_rng(seed)
    n = 400
    # Small integers make many exact ties, which both paths must break the same way.
    frame = pd.DataFrame(
        {
            "a": rng.integers(0, 5, n).astype(float),
            "b": rng.integers(0, 5, n).astype(float),
            "c": rng.normal(size=n),
            "g": pd.Categorical(rng.choice(["x", "y", "z"], n)),
        }
    )
    for name, share in (("a", 0.2), ("b", 0.1), ("c", 0.05)):
        frame.loc[rng.random(n) < share, name] = np.nan
    config = ImputationConfig(method="knn", k=3)
    brute = _impute(frame, config)
    monkeypatch.setattr(imputation, "TREE_MIN_CELLS", 0)
    trees = _impute(frame, config)
    assert np.allclose(brute, trees)


@pytest.mark.parametrize("method", ["knn", "fast_knn", "mean", "median", "mode"])
def test_training_subset_without_an_observed_value_takes_the_whole_table(method: str) -> None:
    # x is observed in rows 0 and 1 only; the 5-row training subset of seed 0 misses both.
    n = 100
    x = np.full(n, np.nan)
    x[:2] = [2.0, 6.0]
    frame = pd.DataFrame({"x": x, "y": np.arange(n, dtype=float)})
    config = ImputationConfig(method=method, k=5, training_fraction=0.05)
    train = training_rows(n, config, np.random.default_rng(0))
    assert len(train) == 5 and not set(train.tolist()) & {0, 1}
    filled = _impute(frame, config)
    assert not np.isnan(filled).any()
    # Both observed rows are the donors (fewer than k), or give the mean, median and mode.
    expected = {"knn": 4.0, "fast_knn": 4.0, "mean": 4.0, "median": 4.0, "mode": 2.0}[method]
    assert filled[2:, 0].tolist() == [expected] * (n - 2)
    assert filled[:2, 0].tolist() == [2.0, 6.0]


def test_uncovered_column_keeps_the_training_donors_of_the_others(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import avatars_server.engine.imputation as imputation

    rng = np.random.default_rng(4)
    n = 300
    rare = np.full(n, np.nan)
    rare[[5, 250]] = [1.0, 3.0]
    frame = pd.DataFrame({"a": rng.normal(size=n), "b": rng.normal(size=n), "rare": rare})
    frame.loc[rng.random(n) < 0.2, "a"] = np.nan
    config = ImputationConfig(method="knn", k=3, training_fraction=0.1)
    brute = _impute(frame, config)
    # a keeps its donors from the training subset: the uncovered column changes nothing here.
    alone = _impute(frame.drop(columns="rare"), config)
    assert np.array_equal(brute[:, 0], alone[:, 0])
    assert set(brute[:, 2].tolist()) <= {1.0, 2.0, 3.0}
    monkeypatch.setattr(imputation, "TREE_MIN_CELLS", 0)
    assert np.allclose(_impute(frame, config), brute)


def test_avatarize_with_an_uncovered_column_succeeds() -> None:
    from avatars_server.engine import AvatarizationConfig, avatarize
    from avatars_server.engine.random import make_streams

    n = 100
    x = np.full(n, np.nan)
    x[:2] = [2.0, 6.0]
    frame = pd.DataFrame({"x": x, "y": np.arange(n, dtype=float)})
    config = AvatarizationConfig(k=5, seed=2, imputation=ImputationConfig(training_fraction=0.05))
    # Seed 2's training subset (imputation stream) misses rows 0 and 1.
    train = training_rows(n, config.imputation, make_streams(2).imputation)
    assert not set(train.tolist()) & {0, 1}
    out = avatarize(frame, config)
    assert out.unshuffled["y"].notna().all()
    assert set(out.unshuffled["x"].dropna().tolist()) <= set(np.arange(2.0, 6.01, 0.01).round(2))
