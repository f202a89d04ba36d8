"""Signal metrics of method.md §6 on hand-computed tables."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from avatars_server.engine import SIGNAL_TARGETS, compute_signal_metrics
from avatars_server.engine.hellinger import hellinger_categorical, hellinger_continuous
from avatars_server.engine.signal import pairwise_correlation


def test_hellinger_categorical() -> None:
    value = hellinger_categorical(pd.Series(list("aabb")), pd.Series(list("abbb")))
    expected = math.sqrt(1 - (math.sqrt(0.5 * 0.25) + math.sqrt(0.5 * 0.75)))
    assert value == pytest.approx(expected)


def test_hellinger_categorical_union_of_modalities_and_missing_bin() -> None:
    value = hellinger_categorical(pd.Series(["a", None]), pd.Series(["c", None]))
    assert value == pytest.approx(math.sqrt(1 - 0.5))
    assert hellinger_categorical(pd.Series(["a", "b"]), pd.Series(["b", "a"])) == 0.0


def test_hellinger_continuous_sturges_bins_over_both_ranges() -> None:
    # b = min(ceil(log2 4) + 1, 4 distinct) = 3 bins over [0, 3]: [0,1) [1,2) [2,3].
    value = hellinger_continuous(np.array([0.0, 1.0, 2.0, 3.0]), np.array([0.0, 0.0, 3.0, 3.0]))
    p, q = np.array([1, 1, 2]) / 4, np.array([2, 0, 2]) / 4
    assert value == pytest.approx(math.sqrt(1 - np.sqrt(p * q).sum()))


def test_hellinger_continuous_missing_bin_and_constant_range() -> None:
    value = hellinger_continuous(np.array([0.0, np.nan]), np.array([np.nan, np.nan]))
    assert value == pytest.approx(math.sqrt(1 - math.sqrt(0.5)))
    assert hellinger_continuous(np.array([5.0, 5.0]), np.array([5.0, 5.0])) == 0.0


def test_hellinger_continuous_bins_capped_by_distinct_values() -> None:
    # Two distinct values → 2 bins, even with 100 observations.
    x = np.array([0.0] * 50 + [1.0] * 50)
    a = np.array([0.0] * 50 + [0.6] * 50)
    assert hellinger_continuous(x, a) == 0.0


def test_pairwise_correlation_uses_complete_pairs_and_flags_constants() -> None:
    matrix = np.array([[1.0, 2.0, 1.0], [2.0, 4.0, 1.0], [np.nan, 6.0, 0.0], [4.0, 8.0, 1.0]])
    corr = pairwise_correlation(matrix)
    assert corr[0, 1] == pytest.approx(1.0)
    # Column 2 is constant where column 0 is observed: undefined there, defined with column 1.
    assert math.isnan(corr[0, 2])
    assert not math.isnan(corr[1, 2])


def test_correlation_difference_ratio() -> None:
    original = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0], "y": [1.0, 2.0, 3.0, 4.0]})
    avatars = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0], "y": [4.0, 3.0, 2.0, 1.0]})
    result = compute_signal_metrics(original, avatars)
    assert result.correlation_difference_ratio == pytest.approx(200.0)
    assert result.hellinger_mean == 0.0 and result.hellinger_std == 0.0
    assert result.targets == SIGNAL_TARGETS


def test_correlation_pairs_skip_same_variable_dummies_and_undefined_ones() -> None:
    original = pd.DataFrame(
        {"x": [1.0, 2.0, 3.0, 4.0], "c": ["a", "a", "b", "b"], "k": [1.0, 1.0, 1.0, 1.0]}
    )
    avatars = original.assign(c=["a", "a", "a", "a"])
    result = compute_signal_metrics(original, avatars)
    # Pairs: (x, c=a), (x, c=b); k is constant; the avatar's c dummies are constant → 0.
    assert result.details["correlation_pairs"] == 2
    r = np.corrcoef([1, 2, 3, 4], [1, 1, 0, 0])[0, 1]
    assert result.correlation_difference_ratio == pytest.approx(100 * abs(r))


def test_no_pair_gives_none_and_std_is_population() -> None:
    original = pd.DataFrame({"c": ["a", "b", "a", "b"]})
    avatars = pd.DataFrame({"c": ["a", "a", "a", "a"]})
    result = compute_signal_metrics(original, avatars)
    assert result.correlation_difference_ratio is None
    assert result.hellinger_std == 0.0
    assert result.details["hellinger"]["c"] == pytest.approx(math.sqrt(1 - math.sqrt(0.5)))


def test_avatars_in_any_order_with_float_columns() -> None:
    original = pd.DataFrame({"n": [1, 2, 3, 4, 5], "c": pd.Categorical(list("abcab"))})
    avatars = pd.DataFrame({"n": [5.0, 4.0, 3.0, 2.0, 1.0], "c": list("baacb")})
    result = compute_signal_metrics(original, avatars)
    assert result.details["hellinger"]["n"] == 0.0
    assert result.details["hellinger"]["c"] == 0.0
