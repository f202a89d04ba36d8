"""Recorded projections as wire JSON, streamed: `Projections` is built chunk by chunk."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.csv as pa_csv

from avatars_server.schemas.metrics import ExplainedVariance

CHUNK_ROWS = 65_536


def _rows_json(array: npt.NDArray[np.float64]) -> Iterator[bytes]:
    """`[x,y,z],[x,y,z],...` chunk by chunk; floats in shortest round-trip form.

    Arrow's CSV writer formats a chunk of floats at C speed; each line then becomes a list.
    """
    columns = array.shape[1] if array.ndim == 2 else 0
    for start in range(0, len(array), CHUNK_ROWS):
        chunk = np.asarray(array[start : start + CHUNK_ROWS], dtype=np.float64)
        if columns == 0:
            yield (b",[]" if start else b"[]") + b",[]" * (len(chunk) - 1)
            continue
        table = pa.table({f"c{j}": chunk[:, j] for j in range(columns)})
        buffer = io.BytesIO()
        pa_csv.write_csv(table, buffer, pa_csv.WriteOptions(include_header=False))
        text = buffer.getvalue().rstrip(b"\n")
        yield (b",[" if start else b"[") + text.replace(b"\n", b"],[") + b"]"


def projections_body(
    records: npt.NDArray[np.float64], avatars: npt.NDArray[np.float64]
) -> Iterator[bytes]:
    """The JSON body of `Projections`, never held whole in memory."""
    yield b'{"records":['
    yield from _rows_json(records)
    yield b'],"avatars":['
    yield from _rows_json(avatars)
    yield b"]}"


def explained_variance(recorded: dict[str, Any]) -> ExplainedVariance:
    return ExplainedVariance(raw=recorded["eigenvalues"], ratio=recorded["ratio"])
