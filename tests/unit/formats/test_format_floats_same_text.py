"""The stored text of floats is the same as the plain formula's (job-overhead work: the ".0" of
integral values is inserted into the text buffers instead of joining every value)."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from avatars_server.datasets.columns import format_floats


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
