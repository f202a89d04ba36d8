"""Parquet parts of an upload: validation, pandas index columns, type unification, merging."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from avatars_server.datasets.columns import (
    ColumnType,
    UntypableColumnError,
    check_labels,
    infer_arrow_column,
    is_flat_type,
)

BATCH_ROWS = 64 * 1024
_MAGIC = b"PAR1"
_READ_BUFFER = 1024 * 1024
_PANDAS_INDEX = "__index_level_0__"


class ParquetFormatError(ValueError):
    """A parquet upload that cannot be used; the message says why and how to fix it."""


@dataclass
class ParquetLayout:
    labels: list[str]
    types: list[ColumnType]
    schema: pa.Schema  # unified Arrow schema of the data columns, without pandas metadata
    nb_lines: int
    stored_as_is: bool
    dropped: list[list[str]] = field(default_factory=list)


def _which(number: int, count: int) -> str:
    return "The parquet file" if count == 1 else f"Parquet part {number}"


def open_part(path: Path, number: int = 1, count: int = 1) -> pq.ParquetFile:
    """Open a parquet file, checking it is complete.

    Raises:
        ParquetFormatError: truncated or unreadable file.
    """
    with path.open("rb") as handle:
        handle.seek(max(path.stat().st_size - len(_MAGIC), 0))
        tail = handle.read()
    if tail != _MAGIC:
        raise ParquetFormatError(
            f"{_which(number, count)} is truncated: it starts like a parquet file but does not "
            "end with the parquet footer. Upload the complete file."
        )
    try:
        return streaming_reader(path)
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise ParquetFormatError(
            f"{_which(number, count)} cannot be read as parquet ({exc}). Write it again, e.g. "
            "with pandas df.to_parquet(path, index=False), and upload it again."
        ) from exc


def streaming_reader(path: Path, *, read_dictionary: list[str] | None = None) -> pq.ParquetFile:
    """A reader whose memory stays flat: pre-buffering would cache every row group's bytes
    (hundreds of MB for a large file), buffered reads take one column chunk at a time.

    Args:
        read_dictionary: columns whose dictionary-encoded text is left as dictionaries
            rather than expanded (other columns ignore it).
    """
    return pq.ParquetFile(
        path, pre_buffer=False, buffer_size=_READ_BUFFER, read_dictionary=read_dictionary
    )


def index_columns(schema: pa.Schema) -> list[str]:
    """Columns that pandas stored for the frame's index: row labels, not data."""
    names = set(schema.names)
    found = {_PANDAS_INDEX} & names
    metadata = schema.pandas_metadata or {}
    for entry in metadata.get("index_columns", []):
        if isinstance(entry, str) and entry in names:
            found.add(entry)
    return [name for name in schema.names if name in found]


def _pandas_types(schema: pa.Schema) -> dict[str, str]:
    metadata = schema.pandas_metadata or {}
    return {
        str(c.get("name")): str(c.get("pandas_type"))
        for c in metadata.get("columns", [])
        if isinstance(c, dict)
    }


def inspect_parts(parts: Sequence[Path]) -> ParquetLayout:
    """Read every part once (validating all of its pages) and describe the merged table.

    Raises:
        ParquetFormatError: unreadable part, mismatching columns or types, nested columns.
        InvalidInputError: empty or duplicate column names.
    """
    labels: list[str] | None = None
    arrow_types: dict[str, list[pa.DataType]] = {}
    missing: dict[str, bool] = {}
    pandas_types: dict[str, str] = {}
    dropped: list[list[str]] = []
    nb_lines = 0
    for number, part in enumerate(parts, start=1):
        parquet = open_part(part, number, len(parts))
        schema = parquet.schema_arrow
        index = index_columns(schema)
        dropped.append(index)
        data = [name for name in schema.names if name not in index]
        if labels is None:
            labels = data
            check_labels(labels)
            missing = dict.fromkeys(labels, False)
            pandas_types = _pandas_types(schema)
        elif data != labels:
            raise ParquetFormatError(
                f"Parquet part {number} has the columns {data!r}, but part 1 has {labels!r}. "
                "Every part must have the same columns in the same order."
            )
        for label in labels:
            arrow_type = schema.field(label).type
            if not is_flat_type(arrow_type):
                raise ParquetFormatError(
                    f"Column {label!r} holds values of type {arrow_type}, which cannot be typed "
                    "as int, float, bool, datetime or category. Flatten it into scalar columns "
                    "(or convert it to strings) and upload again."
                )
            arrow_types.setdefault(label, []).append(arrow_type)
        try:
            # Checking every page only needs the values decoded, not text expanded from its
            # dictionary (about a sixth less work on a table with a text column).
            pages = streaming_reader(part, read_dictionary=labels)
            for batch in pages.iter_batches(batch_size=BATCH_ROWS, columns=labels):
                nb_lines += batch.num_rows
                for label, column in zip(labels, batch.columns, strict=True):
                    if column.null_count:
                        missing[label] = True
        except (pa.ArrowException, OSError, ValueError) as exc:
            raise ParquetFormatError(
                f"{_which(number, len(parts))} is corrupted and cannot be read ({exc}). Write "
                "it again and upload it again."
            ) from exc
    assert labels is not None
    fields = [pa.field(label, _unify(label, arrow_types[label])) for label in labels]
    try:
        types = [
            infer_arrow_column(
                f.type, has_missing=missing[f.name], pandas_type=pandas_types.get(f.name)
            )
            for f in fields
        ]
    except UntypableColumnError as exc:  # pragma: no cover - nested types are refused above
        raise ParquetFormatError(f"A column has an unsupported type: {exc}.") from exc
    stored_as_is = len(parts) == 1 and not dropped[0]
    return ParquetLayout(labels, types, pa.schema(fields), nb_lines, stored_as_is, dropped)


def _unify(label: str, kinds: list[pa.DataType]) -> pa.DataType:
    """One Arrow type holding every part's values of a column."""
    distinct = [k for k in dict.fromkeys(kinds) if not pa.types.is_null(k)]
    if not distinct:
        return kinds[0]
    if len(distinct) == 1:
        return distinct[0]
    values = [k.value_type if pa.types.is_dictionary(k) else k for k in distinct]
    if all(pa.types.is_integer(k) for k in values):
        return pa.int64()
    if all(pa.types.is_integer(k) or pa.types.is_floating(k) for k in values):
        return pa.float64()
    if all(pa.types.is_string(k) or pa.types.is_large_string(k) for k in values):
        return pa.large_string()
    if all(pa.types.is_timestamp(k) or pa.types.is_date(k) for k in values):
        return pa.timestamp("ns")
    raise ParquetFormatError(
        f"Column {label!r} has different types in different parts "
        f"({', '.join(str(k) for k in distinct)}). Give it the same type in every part."
    )


def write_combined(parts: Sequence[Path], layout: ParquetLayout, target: Path) -> None:
    """Write the parts' data columns, in part order, as one parquet file."""
    with pq.ParquetWriter(target, layout.schema) as writer:
        for number, part in enumerate(parts, start=1):
            parquet = open_part(part, number, len(parts))
            for batch in parquet.iter_batches(batch_size=BATCH_ROWS, columns=layout.labels):
                table = pa.Table.from_batches([batch]).replace_schema_metadata(None)
                try:
                    writer.write_table(table.cast(layout.schema))
                except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
                    raise ParquetFormatError(
                        f"Parquet part {number} has values that do not fit the merged column "
                        f"types ({exc}). Give each column the same type in every part."
                    ) from exc
