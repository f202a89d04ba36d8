"""Uploaded parts -> one validated, typed table file in the stored format (§1.7)."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Literal

import pyarrow as pa

from avatars_server.datasets import csv_format, parquet_format
from avatars_server.datasets.columns import (
    ColumnDescriptor,
    ColumnType,
    TextColumnInference,
    check_labels,
    column_detail,
)
from avatars_server.datasets.csv_format import CsvFormatError
from avatars_server.errors import InvalidInputError
from avatars_server.storage.files import flush_soon

FileType = Literal["csv", "parquet"]
PARQUET_MAGIC = b"PAR1"
_BINARY_SNIFF = 8192
_COPY_BYTES = 4 * 1024 * 1024


@dataclass
class IngestedTable:
    """A table ready to be stored: `path` is a temporary file the caller moves or deletes."""

    path: Path
    filetype: FileType
    columns: list[ColumnDescriptor]
    nb_lines: int
    # True when `path` is one of the uploaded parts itself (stored unchanged).
    is_upload: bool = False


def detect_format(path: Path) -> FileType:
    """Parquet when the content starts with the `PAR1` magic, else CSV (names are not trusted)."""
    with path.open("rb") as handle:
        head = handle.read(len(PARQUET_MAGIC))
    return "parquet" if head == PARQUET_MAGIC else "csv"


def ingest_parts(parts: Sequence[Path], tmp_dir: Path) -> IngestedTable:
    """Validate the parts of one upload and build the table to store.

    Raises:
        InvalidInputError: no part, an empty part, mixed formats, or a file that cannot be
            read as a table (the message says which part and how to fix it).
    """
    if not parts:
        raise InvalidInputError(
            "The request has no file. Send the table as a multipart/form-data part named "
            "'file' (several 'file' parts are concatenated)."
        )
    for number, part in enumerate(parts, start=1):
        if part.stat().st_size == 0:
            raise InvalidInputError(
                f"{_which(number, parts)} is empty. Send a CSV file with a header and data "
                "rows, or a parquet file."
            )
    formats = [detect_format(part) for part in parts]
    if len(set(formats)) > 1:
        raise InvalidInputError(
            "The upload mixes parquet and CSV parts "
            f"({', '.join(f'part {n}: {f}' for n, f in enumerate(formats, start=1))}). Send "
            "every part of a dataset in the same format.",
            detail={"formats": formats},
        )
    if formats[0] == "parquet":
        return _ingest_parquet(parts, tmp_dir)
    return _ingest_csv(parts, tmp_dir)


def _which(number: int, parts: Sequence[object]) -> str:
    return "The file" if len(parts) == 1 else f"File part {number}"


# -- parquet --------------------------------------------------------------------------------


def _ingest_parquet(parts: Sequence[Path], tmp_dir: Path) -> IngestedTable:
    if len(parts) == 1:
        flush_soon(parts[0])  # usually stored as it is (unless it holds an index column)
    try:
        layout = parquet_format.inspect_parts(parts)
    except parquet_format.ParquetFormatError as exc:
        raise InvalidInputError(str(exc)) from exc
    check_labels(layout.labels)
    if layout.nb_lines == 0:
        raise InvalidInputError(
            "The parquet data has no rows. Upload a table with at least one row."
        )
    pairs = zip(layout.labels, layout.types, strict=True)
    columns = [column_detail(label, ctype) for label, ctype in pairs]
    if layout.stored_as_is:
        return IngestedTable(parts[0], "parquet", columns, layout.nb_lines, is_upload=True)
    with _temporary(tmp_dir, ".parquet") as target:
        try:
            parquet_format.write_combined(parts, layout, target)
        except parquet_format.ParquetFormatError as exc:
            raise InvalidInputError(str(exc)) from exc
        return IngestedTable(target, "parquet", columns, layout.nb_lines)


# -- CSV ------------------------------------------------------------------------------------


def _ingest_csv(parts: Sequence[Path], tmp_dir: Path) -> IngestedTable:
    dialects: list[str] = []
    labels: list[str] | None = None
    for number, part in enumerate(parts, start=1):
        _refuse_binary(part, number, parts)
        separator = csv_format.sniff_separator(part)
        try:
            header = csv_format.read_header(part, separator)
        except CsvFormatError as exc:
            raise InvalidInputError(f"{_which(number, parts)}: {exc}") from exc
        if labels is None:
            labels = header
            check_labels(labels)
        elif header != labels:
            raise InvalidInputError(
                f"File part {number} has the header {header!r}, but part 1 has {labels!r}. "
                "Every CSV part must start with the same header row.",
            )
        dialects.append(separator)
    assert labels is not None
    as_is = _stored_as_is(parts, dialects, labels, tmp_dir)
    if as_is is not None:
        types, nb_lines, path = as_is
        columns = [column_detail(label, ctype) for label, ctype in zip(labels, types, strict=True)]
        return IngestedTable(path, "csv", columns, nb_lines, is_upload=path in parts)
    with _temporary(tmp_dir, ".csv") as target:
        types, nb_lines = _write_csv(parts, dialects, labels, target)
        columns = [column_detail(label, ctype) for label, ctype in zip(labels, types, strict=True)]
        return IngestedTable(target, "csv", columns, nb_lines)


def _stored_as_is(
    parts: Sequence[Path], dialects: Sequence[str], labels: Sequence[str], tmp_dir: Path
) -> tuple[list[ColumnType], int, Path] | None:
    """Types, row count and stored file of an upload whose rows are already in the stored
    form (§1.8), or None when they must be formatted.

    Such rows (a common case: files written by pandas or by this server) are only parsed to
    infer the types, then kept byte for byte: the first part itself when its header is the
    stored one, else the stored header plus the parts' rows copied in the kernel. The check
    stops at the first batch that needs formatting, which is usually the first.
    """
    if any(separator != "," for separator in dialects):
        return None
    states = [TextColumnInference() for _ in labels]
    nb_lines = 0
    starts: list[int | None] | None = None
    with _ColumnThreads() as threads:
        for batch in _csv_batches(parts, dialects, labels):
            nb_lines += batch.num_rows
            threads.update(states, batch)
            if not all(state.verbatim() for state in states):
                return None
            if starts is not None:
                continue
            # The bytes are scanned only once the first rows proved to be in stored form.
            starts = [csv_format.canonical_data_start(part) for part in parts]
            if any(start is None for start in starts):
                return None
            if len(parts) == 1:
                flush_soon(parts[0])  # likely stored as it is
    if starts is None:
        return None  # no rows: the formatting path says what is wrong
    types = [s.result() for s in states]
    header = csv_format.header_line(labels)
    first = parts[0]
    if len(parts) == 1 and starts[0] == len(header) and _ends_with_newline(first):
        with first.open("rb") as handle:
            if handle.read(len(header)) == header:
                return types, nb_lines, first
    with _temporary(tmp_dir, ".csv") as target:
        # Unbuffered: the kernel copies and these writes share one file position.
        with target.open("wb", buffering=0) as out:
            out.write(header)
            for part, start in zip(parts, starts, strict=True):
                assert start is not None
                _copy_range(part, start, out)
                if not _ends_with_newline(part):
                    out.write(b"\n")
        return types, nb_lines, target


def _ends_with_newline(path: Path) -> bool:
    with path.open("rb") as handle:
        handle.seek(-1, os.SEEK_END)
        return handle.read(1) == b"\n"


def _copy_range(source: Path, start: int, out: BinaryIO) -> None:
    """Append `source` from `start` to `out`, in the kernel when it can (no user-space copy)."""
    with source.open("rb") as handle:
        remaining = source.stat().st_size - start
        offset = start
        try:
            while remaining > 0:
                copied = os.copy_file_range(handle.fileno(), out.fileno(), remaining, offset)
                if copied == 0:
                    break
                offset += copied
                remaining -= copied
        except OSError as exc:
            if exc.errno not in (errno.EXDEV, errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
                raise
        handle.seek(offset)
        shutil.copyfileobj(handle, out, _COPY_BYTES)


def _refuse_binary(part: Path, number: int, parts: Sequence[Path]) -> None:
    with part.open("rb") as handle:
        head = handle.read(_BINARY_SNIFF)
    if b"\x00" in head:
        raise InvalidInputError(
            f"{_which(number, parts)} is neither a CSV text file nor a parquet file (it "
            "contains binary data). Upload a UTF-8 CSV file or a parquet file.",
        )


def _write_csv(
    parts: Sequence[Path], dialects: Sequence[str], labels: Sequence[str], target: Path
) -> tuple[list[ColumnType], int]:
    """Infer the column types and write the stored CSV (§1.8 format) into `target`.

    Each batch is written with the types inferred so far; when they stay the same to the
    end (the usual case) that single pass is the result. Otherwise (e.g. a missing value
    turns an int column into float in the last rows) the file is written again with the
    final types.
    """
    states = [TextColumnInference() for _ in labels]
    nb_lines = 0
    settled: tuple[list[ColumnType], list[bool]] | None = None
    with target.open("wb") as out, _OrderedWriter(out) as writer, _ColumnThreads() as threads:
        out.write(csv_format.header_line(labels))
        for batch in _csv_batches(parts, dialects, labels):
            nb_lines += batch.num_rows
            threads.update(states, batch)
            if nb_lines == batch.num_rows or settled is not None:
                current = ([s.result() for s in states], [s.verbatim() for s in states])
                settled = current if nb_lines == batch.num_rows or current == settled else None
                if settled is not None:
                    writer.submit(csv_format.format_batch, batch, *settled)
        writer.drain()
        if nb_lines == 0:
            raise InvalidInputError(
                "The CSV file has a header but no data rows. Upload a table with at least one row."
            )
        types = [s.result() for s in states]
        verbatim = [s.verbatim() for s in states]
        if settled is None:
            out.seek(0)
            out.truncate()
            out.write(csv_format.header_line(labels))
            for batch in _csv_batches(parts, dialects, labels):
                writer.submit(csv_format.format_batch, batch, types, verbatim)
            writer.drain()
    return types, nb_lines


class _ColumnThreads:
    """Infers the columns of a batch on two threads: the checks are Arrow kernels, which
    release the GIL, so columns proceed in parallel."""

    _THREADS = 2

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(self._THREADS, thread_name_prefix="csv-infer")

    def update(self, states: Sequence[TextColumnInference], batch: pa.RecordBatch) -> None:
        columns = zip(states, batch.columns, strict=True)
        for future in [self._pool.submit(state.update, column) for state, column in columns]:
            future.result()

    def __enter__(self) -> _ColumnThreads:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


class _OrderedWriter:
    """Formats batches on a worker thread while the caller parses the next ones, writing the
    results in submission order. Arrow kernels release the GIL, so both cores work; a few
    batches in flight bound the memory."""

    _IN_FLIGHT = 2

    def __init__(self, out: BinaryIO) -> None:
        self._out = out
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="csv-format")
        self._pending: deque[Future[bytes]] = deque()

    def submit(self, fn: Callable[..., bytes], *args: Any) -> None:
        self._pending.append(self._pool.submit(fn, *args))
        while len(self._pending) > self._IN_FLIGHT:
            self._out.write(self._pending.popleft().result())

    def drain(self) -> None:
        while self._pending:
            self._out.write(self._pending.popleft().result())

    def __enter__(self) -> _OrderedWriter:
        return self

    def __exit__(self, *exc_info: object) -> None:
        for future in self._pending:
            future.cancel()
        self._pool.shutdown(wait=True)


def _csv_batches(
    parts: Sequence[Path], dialects: Sequence[str], labels: Sequence[str]
) -> Iterator[pa.RecordBatch]:
    for number, (part, separator) in enumerate(zip(parts, dialects, strict=True), start=1):
        try:
            yield from csv_format.text_batches(part, separator, labels)
        except CsvFormatError as exc:
            where = "" if len(parts) == 1 else f"File part {number}: "
            raise InvalidInputError(f"{where}{exc}") from exc


# -- shared ---------------------------------------------------------------------------------


@contextlib.contextmanager
def _temporary(tmp_dir: Path, suffix: str) -> Iterator[Path]:
    """A temporary file path that is deleted if the block raises (kept otherwise)."""
    tmp_dir.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=tmp_dir, suffix=suffix)
    os.close(handle)
    path = Path(name)
    try:
        yield path
    except BaseException:
        path.unlink(missing_ok=True)
        raise
