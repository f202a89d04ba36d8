"""Downloads: the stored file as is, or converted batch by batch (never whole in memory)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from avatars_server.datasets import csv_format, frames
from avatars_server.datasets.columns import ColumnDescriptor, ColumnType

CHUNK_BYTES = 1024 * 1024
ROW_GROUP_ROWS = 128 * 1024
_TARGET_BUFFER = 1024 * 1024
MEDIA_TYPES = {"csv": "text/csv", "parquet": "application/octet-stream"}


@dataclass(frozen=True)
class Download:
    """What to send for one download: a file on disk, or chunks converted on the fly.

    `file` is set for the stored file and for a parquet conversion (`temporary`: the sender
    deletes it once sent); `chunks` is set for a CSV conversion.
    """

    filename: str
    media_type: str
    file: Path | None = None
    temporary: bool = False
    chunks: Iterator[bytes] | None = None


def prepare_download(
    source: Path,
    stored_filetype: str,
    columns: Sequence[ColumnDescriptor],
    target_filetype: str,
    tmp_dir: Path,
    *,
    stem: str,
) -> Download:
    """The download of the table stored at `source` in `target_filetype` ("csv" or "parquet").

    A CSV conversion is streamed as it is produced; a parquet conversion is written to a
    temporary file in `tmp_dir` first (a parquet file is only valid once complete).
    """
    filename = f"{stem}.{target_filetype}"
    media_type = MEDIA_TYPES[target_filetype]
    if target_filetype == stored_filetype:
        return Download(filename, media_type, file=source)
    if target_filetype == "csv":
        chunks = csv_chunks(source, stored_filetype, columns)
        return Download(filename, media_type, chunks=chunks)
    converted = convert_to_parquet(source, stored_filetype, columns, tmp_dir)
    return Download(filename, media_type, file=converted, temporary=True)


def file_chunks(path: Path, *, delete: bool = False) -> Iterator[bytes]:
    """The bytes of a file in chunks; `delete` removes it once streamed (or abandoned)."""
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(CHUNK_BYTES):
                yield chunk
    finally:
        if delete:
            path.unlink(missing_ok=True)


def csv_chunks(path: Path, filetype: str, columns: Sequence[ColumnDescriptor]) -> Iterator[bytes]:
    """The table in the download CSV format (§1.8), converted batch by batch."""
    labels = [c["label"] for c in columns]
    types: list[ColumnType] = [c["type"] for c in columns]
    buffer = bytearray(csv_format.header_line(labels))
    for batch in frames.raw_batches(path, filetype, labels):
        buffer += csv_format.format_batch(batch, types)
        if len(buffer) >= _TARGET_BUFFER:
            yield bytes(buffer)
            buffer.clear()
    if buffer:
        yield bytes(buffer)


def convert_to_parquet(
    path: Path, filetype: str, columns: Sequence[ColumnDescriptor], tmp_dir: Path
) -> Path:
    """Write the table as one complete parquet file in `tmp_dir` (the caller deletes it).

    Columns get the Arrow types of their declared types, so readers see int64, float64,
    bool, timestamp[ns] and strings.
    """
    tmp_dir.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=tmp_dir, suffix=".parquet")
    os.close(handle)
    target = Path(name)
    try:
        writer: pq.ParquetWriter | None = None
        pending: list[pa.RecordBatch] = []
        for batch in frames.typed_batches(path, filetype, columns):
            if writer is None:
                writer = pq.ParquetWriter(target, batch.schema)
            pending.append(batch)
            # CSV blocks make small batches; gather them into reasonable row groups.
            if sum(b.num_rows for b in pending) >= ROW_GROUP_ROWS:
                writer.write_table(pa.Table.from_batches(pending))
                pending = []
        if writer is None:  # pragma: no cover - stored datasets always have rows
            empty = pa.table({c["label"]: pa.array([], pa.string()) for c in columns})
            pq.write_table(empty, target)
        else:
            if pending:
                writer.write_table(pa.Table.from_batches(pending))
            writer.close()
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return target
