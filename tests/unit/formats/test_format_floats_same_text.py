"""The stored text of floats is the same as the plain formula's (job-overhead work: the ".0" of
integral values is inserted into the text buffers instead of joining every value; values with
few decimals are formatted from integers, see avatars_server/datasets/float_text.py)."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from avatars_server.datasets.columns import format_floats
from avatars_server.datasets.float_text import fixed_point_text, use_in_this_process

use_in_this_process()  # format_floats takes the integer formatting where it applies


def _reference(values: pa.Array) -> pa.Array:
    if pc.any(pc.is_nan(values)).as_py():
        values = pc.if_else(pc.is_nan(values), pa.scalar(None, values.type), values)
    text = pc.cast(values, pa.string())
    integral = pc.and_(
        pc.and_(pc.is_finite(values), pc.equal(pc.floor(values), values)),
        pc.invert(pc.match_substring(text, "e")),
    )
    if not pc.any(integral).as_py():
        return text
    return pc.if_else(integral, pc.binary_join_element_wise(text, ".0", ""), text)


def _cases() -> list[pa.Array]:
    rng = np.random.default_rng(0)
    mixed = np.round(rng.normal(size=5_000) * 10, 1)
    mixed[::7] = np.nan
    mixed[::11] = np.inf
    mixed[::13] = -0.0
    mixed[::17] = 1e20
    mixed[::19] = 1e22
    mixed[::23] = -3.0
    mixed[::29] = 1e-7
    with_nulls = pa.array(np.round(rng.normal(size=3_000), 0), mask=rng.random(3_000) < 0.2)
    return [
        pa.array(mixed),
        with_nulls,
        with_nulls.slice(17, 2_000),  # an offset into the buffers
        pa.array(np.round(rng.normal(size=1_000) * 100, 2)),
        pa.array(np.arange(50, dtype=np.float64)),  # every value integral
        pa.array(np.array([0.5, 1.5])),  # none integral
        pa.array([None, None], type=pa.float64()),
        pa.array([], type=pa.float64()),
        pa.array(np.array([2.0, np.nan, 4.5], dtype=np.float32)),
    ]


@pytest.mark.parametrize("values", _cases())
def test_format_floats_gives_the_plain_formulas_text(values: pa.Array) -> None:
    got, expected = format_floats(values), _reference(values)
    assert got.type == expected.type
    assert got.to_pylist() == expected.to_pylist()
    assert got.equals(expected)


def _decimal_cases() -> list[np.ndarray]:
    """Values of 0 to 16 decimals over magnitudes on both sides of the fixed-notation bounds."""
    rng = np.random.default_rng(1)
    cases = [
        np.round(rng.normal(size=300) * scale, decimals)
        for decimals in range(17)
        for scale in (1e-7, 1e-6, 1e-4, 0.1, 1.0, 100.0, 1e6, 1e9, 1e10, 1e15)
    ]
    cases.append(np.arange(-20_000, 20_000) / 1000.0)
    cases.append(np.arange(-2_000, 2_000) / 7.0)  # 16-17 significant digits: Arrow's
    cases.append(np.nextafter(np.round(rng.uniform(-100, 100, 2_000), 2), np.inf))
    cases.append(
        np.array(
            [
                0.0,
                -0.0,
                1.0,
                -1.0,
                1e9,
                999999999.5,
                1e10,
                9999999999.0,
                1e-6,
                9.99e-7,
                1.5e-6,
                1e-5,
                0.1 + 0.2,
                2.0**51,
                2.0**51 - 1,
                2.0**52 + 1,
                2.0**53,
                4503599627370495.5,
                5e-324,
                np.nan,
                -np.inf,
                123456.789,
                -0.000123,
            ]
        )
    )
    return cases


def test_the_integer_formatting_gives_arrows_text_wherever_it_applies() -> None:
    rng = np.random.default_rng(2)
    taken = 0
    for values in _decimal_cases():
        for array in (pa.array(values), pa.array(values, mask=rng.random(len(values)) < 0.1)):
            expected = _reference(array)
            assert format_floats(array).equals(expected)
            fast = fixed_point_text(array)
            if fast is not None:
                taken += 1
                assert fast.equals(expected), values[:5]
    assert taken > 100  # the cases do exercise it


def test_the_integer_formatting_takes_avatar_like_values_and_leaves_exponents() -> None:
    rounded = np.round(np.random.default_rng(3).normal(size=1_000) * 50, 2)
    rounded[::9] = -0.0  # a small negative avatar rounded to zero
    assert fixed_point_text(pa.array(rounded)) is not None
    for odd in (1e-7, 1e10, np.inf, 1 / 3):
        assert fixed_point_text(pa.array(np.append(rounded, odd))) is None
    assert fixed_point_text(pa.array(np.array([1.5], dtype=np.float32))) is None
