"""Column roles, codes and decimal counts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from avatars_server.engine.avatarize import barycentres
from avatars_server.engine.table import column_kinds, decimal_count, encode_categorical


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([1.5, 2.25, 3.0], 2),
        ([1.0, 2.0, np.nan], 0),
        ([0.1 + 0.2, 4.0], 1),
        ([89.8128, 49.4424, 70.0], 4),
        ([1e-13, 0.0], 12),
        ([np.nan], 0),
    ],
)
def test_decimal_count(values: list[float], expected: int) -> None:
    assert decimal_count(np.array(values)) == expected


def test_decimal_count_finds_a_rare_long_value_beyond_the_sample() -> None:
    values = np.round(np.random.default_rng(0).normal(size=200_000), 1)
    values[123_457] = 0.12345
    assert decimal_count(values) == 5


def _decimal_count_with_numpy(values: np.ndarray) -> int:
    """The numpy form the kernel replaced (np.round, np.spacing), as a reference."""
    observed = values[np.isfinite(values)]
    for decimals in range(12):
        with np.errstate(over="ignore", invalid="ignore"):  # the largest floats times 10^d
            moved = np.abs(np.round(observed, decimals) - observed)
        if np.all(moved <= 2 * np.spacing(np.abs(observed))):
            return decimals
    return 12


@pytest.mark.parametrize("seed", range(8))
def test_decimal_count_is_the_numpy_forms(seed: int) -> None:
    """Magnitudes from 1e-9 to 1e12, every rounding, missing and infinite values, signed
    zeros, subnormals, the largest floats, and arrays that are strided views."""
    rng = np.random.default_rng(seed)
    for trial in range(40):
        scale = 10.0 ** rng.integers(-9, 13)
        values = np.round(rng.normal(size=int(rng.integers(1, 3000))) * scale, trial % 14)
        special = [np.nan, np.inf, -np.inf, -0.0, 5e-324, 1.7e308, -2.5e-310]
        values[rng.integers(0, len(values), size=3)] = rng.choice(special, size=3)
        with np.errstate(over="ignore"):
            single = values.astype(np.float32)  # the largest floats become infinite
        for view in (values, values[::3], values[values > 0], single):
            assert decimal_count(view) == _decimal_count_with_numpy(view.astype(np.float64))


def test_roles_come_from_dtypes_and_the_override() -> None:
    frame = pd.DataFrame(
        {
            "i": [1, 2],
            "f": [1.0, 2.5],
            "b": [True, False],
            "s": ["a", "b"],
            "c": pd.Categorical(["x", "y"]),
            "d": pd.to_datetime(["2020-01-01", "2021-01-01"]),
            "n": pd.array([1, None], dtype="Int64"),
        }
    )
    assert column_kinds(frame) == {
        "i": "continuous",
        "f": "continuous",
        "b": "categorical",
        "s": "categorical",
        "c": "categorical",
        "d": "datetime",
        "n": "continuous",
    }
    override = column_kinds(frame, categorical=["i"])
    assert override["i"] == "categorical"
    assert override["s"] == "categorical"  # not numeric: stays categorical


def test_modalities_sorted_by_string_form_with_missing_last() -> None:
    variable = encode_categorical("v", pd.Series([10, 9, None, 10], dtype=object))
    assert list(variable.modalities) == [10, 9]  # "10" < "9"
    assert variable.codes.tolist() == [0, 1, 2, 0]
    assert variable.has_missing and variable.n_levels == 3


def test_barycentres_match_a_dense_weighted_mean() -> None:
    rng = np.random.default_rng(0)
    values = rng.normal(size=(50, 3))
    neighbours = rng.integers(0, 50, size=(50, 4))
    weights = rng.random((50, 4))
    weights /= weights.sum(axis=1, keepdims=True)
    expected = (weights[:, :, None] * values[neighbours]).sum(axis=1)
    assert np.allclose(barycentres(weights, neighbours, values), expected)


def test_encoded_dimensions_is_the_d_enc_avatarize_checks(mixed: pd.DataFrame) -> None:
    from avatars_server.engine import AvatarError, AvatarizationConfig, avatarize
    from avatars_server.engine.table import encoded_dimensions

    frame = mixed.assign(visit=mixed["visit"].where(mixed.index % 7 != 0))
    kinds = column_kinds(frame)
    # age 1, weight 1 + 2 (missing), group 3, smoker 2, city 2 + missing 1, visit 1 + 2.
    assert encoded_dimensions(frame, kinds) == 15
    big = pd.concat([frame] * 2, ignore_index=True)
    with pytest.raises(AvatarError) as info:
        avatarize(big, AvatarizationConfig(k=3, ncp=16))
    assert "= 15" in info.value.message
    assert avatarize(big, AvatarizationConfig(k=3, ncp=15, seed=0)).ncp == 15
