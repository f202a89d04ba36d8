"""Stored table files <-> typed Arrow batches and pandas DataFrames."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from avatars_server.datasets import csv_format, parquet_format
from avatars_server.datasets.columns import (
    ColumnDescriptor,
    ColumnType,
    cast_to_declared,
    check_fits,
    column_detail,
    infer_arrow_column,
)

BATCH_ROWS = 64 * 1024


def raw_batches(
    path: Path, filetype: str, labels: Sequence[str], *, include: Sequence[str] | None = None
) -> Iterator[pa.RecordBatch]:
    """Batches as stored: CSV values as text, parquet values in their Arrow types."""
    if filetype == "csv":
        yield from csv_format.text_batches(path, ",", labels, include=include)
        return
    parquet = parquet_format.streaming_reader(path)
    yield from parquet.iter_batches(
        batch_size=BATCH_ROWS, columns=list(include if include is not None else labels)
    )


def typed_batches(
    path: Path, filetype: str, columns: Sequence[ColumnDescriptor], *, categories: bool = False
) -> Iterator[pa.RecordBatch]:
    """Batches with every column cast to the Arrow type of its declared type (`categories`:
    category columns of text dictionary-encoded)."""
    labels = [c["label"] for c in columns]
    types: list[ColumnType] = [c["type"] for c in columns]
    for batch in raw_batches(path, filetype, labels):
        arrays = []
        for column, ctype in zip(batch.columns, types, strict=True):
            values = cast_to_declared(column, ctype)
            if categories and ctype == "category" and _is_text(values.type):
                values = pc.dictionary_encode(values)
            arrays.append(values)
        yield pa.RecordBatch.from_arrays(arrays, names=labels)


def _is_text(kind: pa.DataType) -> bool:
    return bool(pa.types.is_string(kind) or pa.types.is_large_string(kind))


def first_misfit(
    path: Path, filetype: str, declared: dict[str, ColumnType]
) -> tuple[str, str] | None:
    """The first column (and why) whose stored values do not fit its new declared type."""
    labels = list(declared)
    if filetype == "csv":
        all_labels = csv_format.read_header(path, ",")
        batches = raw_batches(path, filetype, all_labels, include=labels)
    else:
        batches = raw_batches(path, filetype, labels)
    for batch in batches:
        for label in labels:
            reason = check_fits(batch.column(label), declared[label])
            if reason is not None:
                return label, reason
    return None


def read_dataframe(
    path: Path, filetype: str, columns: Sequence[ColumnDescriptor], *, categories: bool = False
) -> pd.DataFrame:
    """The whole table as a DataFrame with dtypes from the declared types.

    category -> object (`categories`: text as a pandas categorical, whose categories are the
    values found), int -> int64, float -> float64, bool -> bool, datetime -> datetime64[ns];
    columns in file order.
    """
    batches = list(typed_batches(path, filetype, columns, categories=categories))
    if batches:
        table = pa.Table.from_batches(batches)
    else:
        table = pa.table({c["label"]: pa.array([], pa.string()) for c in columns})
    frame: pd.DataFrame = table.to_pandas()
    for column in columns:
        label, ctype = column["label"], column["type"]
        if ctype == "category" and not isinstance(frame[label].dtype, pd.CategoricalDtype):
            frame[label] = frame[label].astype(object)
        elif ctype == "datetime":
            frame[label] = frame[label].astype("datetime64[ns]")
    return frame


def infer_frame_columns(table: pa.Table) -> list[ColumnDescriptor]:
    """Column metadata of an Arrow table, per the API reference's inference table."""
    metadata = table.schema.pandas_metadata or {}
    pandas_types = {
        str(c.get("name")): str(c.get("pandas_type")) for c in metadata.get("columns", [])
    }
    return [
        column_detail(
            name,
            infer_arrow_column(
                column.type,
                has_missing=column.null_count > 0,
                pandas_type=pandas_types.get(name),
            ),
        )
        for name, column in zip(table.column_names, table.columns, strict=True)
    ]


def write_table(table: pa.Table, path: Path, filetype: str, types: Sequence[ColumnType]) -> None:
    """Write a table in the stored format: parquet as is, CSV in the download format (§1.8)."""
    if filetype == "parquet":
        pq.write_table(table, path)
        return
    with path.open("wb") as out:
        out.write(csv_format.header_line(table.column_names))
        for batch in table.to_batches(max_chunksize=BATCH_ROWS):
            out.write(csv_format.format_batch(batch, types))
