"""Dataset queries: rows in the database, files in the datasets directory."""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
import uuid
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
import pyarrow as pa
from sqlalchemy import select
from sqlalchemy.orm import Session

from avatars_server import errors
from avatars_server.config import Settings
from avatars_server.datasets import analysis, frames
from avatars_server.datasets.columns import ColumnDescriptor, column_detail
from avatars_server.datasets.ingest import IngestedTable
from avatars_server.storage import private_files
from avatars_server.storage.files import durable_replace
from avatars_server.storage.tables import DatasetRow

_HASH_CHUNK = 1024 * 1024


def get_dataset(session: Session, dataset_id: uuid.UUID) -> DatasetRow | None:
    """The dataset with this id, whoever owns it (e.g. a job's result, already checked)."""
    return session.get(DatasetRow, dataset_id)


def get_owned_dataset(session: Session, dataset_id: uuid.UUID, owner_id: uuid.UUID) -> DatasetRow:
    """The dataset if it belongs to `owner_id`.

    Raises:
        NotFoundError: unknown id or someone else's dataset (same message: existence is not
            revealed).
    """
    row = session.get(DatasetRow, dataset_id)
    if row is None or row.owner_id != owner_id:
        raise errors.NotFoundError(
            f"Dataset {dataset_id} was not found. Check the id; list your datasets with "
            "GET /datasets."
        )
    return row


def list_datasets(
    session: Session, owner_id: uuid.UUID, *, limit: int | None = None, offset: int = 0
) -> Sequence[DatasetRow]:
    """The owner's datasets, newest first (`limit` of them from `offset`)."""
    query = (
        select(DatasetRow)
        .where(DatasetRow.owner_id == owner_id)
        .order_by(DatasetRow.created_at.desc(), DatasetRow.id)
        .offset(offset)
        .limit(limit)
    )
    return session.scalars(query).all()


def dataset_path(settings: Settings, row: DatasetRow) -> Path:
    """Where the dataset's file lives."""
    return settings.datasets_dir / row.storage_path


def read_dataframe(
    settings: Settings, row: DatasetRow, *, categories: bool = False
) -> pd.DataFrame:
    """The whole table, dtypes from the declared column types (identifier columns included).

    category -> object (`categories`: text as a pandas categorical), int -> int64,
    float -> float64, bool -> bool, datetime -> datetime64[ns]; columns in file order.
    """
    return frames.read_dataframe(
        dataset_path(settings, row), row.filetype, row.columns, categories=categories
    )


def store_dataframe(
    session: Session,
    settings: Settings,
    df: pd.DataFrame,
    *,
    owner_id: uuid.UUID,
    columns: Sequence[ColumnDescriptor] | None,
    filetype: str,
    name: str | None = None,
) -> DatasetRow:
    """Store a frame as a new dataset of `owner_id` (e.g. a job's result) and flush its row.

    Args:
        columns: column metadata in frame order; inferred from the data when None.
        filetype: "csv" or "parquet".

    Raises:
        ValueError: unknown filetype, or values that do not fit the declared column types.
    """
    if filetype not in ("csv", "parquet"):
        raise ValueError(f"Unknown filetype {filetype!r}: use 'csv' or 'parquet'.")
    table = pa.Table.from_pandas(df, preserve_index=False)
    if columns is None:
        columns = frames.infer_frame_columns(table)
    details = [_copy(c) for c in columns]
    if [c["label"] for c in details] != table.column_names:
        raise ValueError("The column metadata must list the frame's columns in frame order.")
    types = [c["type"] for c in details]
    settings.tmp_dir.mkdir(parents=True, exist_ok=True)
    handle, name_on_disk = tempfile.mkstemp(dir=settings.tmp_dir, suffix=f".{filetype}")
    os.close(handle)
    tmp = Path(name_on_disk)
    try:
        frames.write_table(table, tmp, filetype, types)
        digest = _sha256(tmp)
        ingested = IngestedTable(tmp, filetype, details, table.num_rows)  # type: ignore[arg-type]
        return add_dataset(session, settings, ingested, owner_id=owner_id, digest=digest, name=name)
    finally:
        tmp.unlink(missing_ok=True)


def add_dataset(
    session: Session,
    settings: Settings,
    table: IngestedTable,
    *,
    owner_id: uuid.UUID,
    digest: str,
    name: str | None,
) -> DatasetRow:
    """Move a validated table file into place (named by `digest`) and flush its row."""
    relative = Path(digest[:2]) / f"{digest}.{table.filetype}"
    target = settings.datasets_dir / relative
    private_files.make_private_dir(target.parent)
    size = table.path.stat().st_size
    # Patient data: readable by the server's account only.
    os.chmod(table.path, private_files.FILE_MODE)
    durable_replace(table.path, target)
    row = DatasetRow(
        owner_id=owner_id,
        name=name,
        hash=digest,
        filetype=table.filetype,
        storage_path=relative.as_posix(),
        size_bytes=size,
        columns=table.columns,
        nb_lines=table.nb_lines,
        nb_dimensions=len(table.columns),
    )
    session.add(row)
    session.flush()
    return row


def patch_columns(settings: Settings, row: DatasetRow, changes: Sequence[ColumnDescriptor]) -> None:
    """Replace the metadata of the listed columns, checking each new type against the data.

    Raises:
        InvalidInputError: unknown or duplicate labels (all listed), or a type that does not
            fit the column's values (the column and an offending value are named).
    """
    current = {c["label"]: _copy(c) for c in row.columns}
    labels = [c["label"] for c in changes]
    unknown = [label for label in labels if label not in current]
    duplicates = sorted({label for label in labels if labels.count(label) > 1})
    if unknown or duplicates:
        problems = []
        if unknown:
            problems.append(f"unknown column(s) {', '.join(repr(u) for u in unknown)}")
        if duplicates:
            problems.append(f"column(s) listed twice {', '.join(repr(d) for d in duplicates)}")
        raise errors.InvalidInputError(
            f"Cannot patch the columns: {'; '.join(problems)}. The dataset's columns are "
            f"{', '.join(repr(label) for label in current)}.",
            detail={"unknown_labels": unknown, "duplicate_labels": duplicates},
        )
    retyped = {c["label"]: c["type"] for c in changes if c["type"] != current[c["label"]]["type"]}
    if retyped:
        problem = frames.first_misfit(dataset_path(settings, row), row.filetype, retyped)
        if problem is not None:
            label, reason = problem
            raise errors.InvalidInputError(
                f"Column {label!r} cannot be declared {retyped[label]!r}: {reason}. Declare "
                "a type that fits its values (category always fits), or fix the data.",
                detail={"label": label, "type": retyped[label]},
            )
    for change in changes:
        current[change["label"]] = _copy(change)
    # A new list object: SQLAlchemy does not see in-place changes of a JSON value.
    row.columns = [current[c["label"]] for c in row.columns]


def analyze(settings: Settings, row: DatasetRow) -> None:
    """Compute the dataset's summary (synchronously) and record how long it took."""
    started = time.perf_counter()
    row.summary = analysis.column_stats(read_dataframe(settings, row), row.columns)
    row.analysis_status = "done"
    row.analysis_duration = time.perf_counter() - started


def correlations(settings: Settings, row: DatasetRow) -> dict[str, dict[str, float | None]]:
    """The correlation matrix of the dataset's non-identifier columns."""
    return analysis.correlations(read_dataframe(settings, row), row.columns)


def _copy(column: ColumnDescriptor) -> ColumnDescriptor:
    """A copy with exactly the descriptor's keys (`is_identifier` False when unset)."""
    return column_detail(
        column["label"], column["type"], is_identifier=bool(column.get("is_identifier") or False)
    )


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
