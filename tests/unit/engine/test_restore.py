"""Rounding the avatars back to the originals' decimals: one pass that gives np.round's bits."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from avatars_server.engine.restore import column_format, restore_continuous, round_or_fill


@pytest.mark.parametrize("decimals", range(13))
def test_round_or_fill_is_numpys_round_bit_for_bit(decimals: int) -> None:
    rng = np.random.default_rng(decimals)
    values = np.concatenate(
        [
            rng.normal(size=4000) * 10.0 ** rng.integers(-8, 12, size=4000),
            np.arange(-50, 50) / 2 * 10.0**-decimals,  # exact halves: ties to even
            [np.nan, np.inf, -np.inf, -0.0, 5e-324, 1.7e308, -1.7e308],
        ]
    )
    missing = rng.random(len(values)) < 0.1
    for fill in (np.nan, 0.0):
        with np.errstate(over="ignore", invalid="ignore"):
            expected = np.where(missing, fill, np.round(values, decimals))
        got = round_or_fill(values, decimals, missing, fill)
        assert got.dtype == np.float64
        np.testing.assert_array_equal(got.view(np.int64), expected.view(np.int64))
    # A column of a 2-D array (a strided view), as the avatarization passes them.
    with np.errstate(over="ignore", invalid="ignore"):
        table = np.column_stack([values, values * 3])
        expected = np.where(missing, np.nan, np.round(table[:, 1], decimals))
    got = round_or_fill(table[:, 1], decimals, missing, np.nan)
    np.testing.assert_array_equal(got.view(np.int64), expected.view(np.int64))


def test_restored_columns_keep_their_dtypes_and_missing_values() -> None:
    original = pd.DataFrame(
        {
            "f": [1.25, 2.5, np.nan],
            "i": np.array([1, 2, 3], dtype=np.int32),
            "n": pd.array([1, None, 3], dtype="Int64"),
        }
    )
    means = np.array([1.2549, 2.5, 2.75])
    missing = np.array([False, False, True])
    f = restore_continuous(column_format(original["f"], "continuous"), means, missing)
    np.testing.assert_array_equal(f, [1.25, 2.5, np.nan])
    i = restore_continuous(column_format(original["i"], "continuous"), means, np.zeros(3, bool))
    assert i.dtype == np.int32 and list(i) == [1, 2, 3]  # 2.5 rounds half to even
    n = restore_continuous(column_format(original["n"], "continuous"), means, missing)
    assert str(n.dtype) == "Int64" and list(n[:2]) == [1, 2] and n[2] is pd.NA
