"""Dataset repository: rows in the database, files in the datasets directory."""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any, cast

import pandas as pd
import pyarrow as pa
from sqlalchemy import select
from sqlalchemy.orm import Session

from avatars_server import errors
from avatars_server.config import Settings
from avatars_server.datasets import analysis, frames
from avatars_server.datasets.columns import ColumnType
from avatars_server.datasets.ingest import IngestedTable
from avatars_server.datasets.upload import fsync_path
from avatars_server.schemas import datasets as schemas
from avatars_server.storage import private_files
from avatars_server.storage.tables import DatasetRow

_HASH_CHUNK = 1024 * 1024


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


def read_dataframe(settings: Settings, row: DatasetRow) -> pd.DataFrame:
    """The whole table, dtypes from the declared column types (identifier columns included).

    category -> object, int -> int64, float -> float64, bool -> bool,
    datetime -> datetime64[ns]; columns in file order.
    """
    return frames.read_dataframe(dataset_path(settings, row), row.filetype, row.columns)


def store_dataframe(
    session: Session,
    settings: Settings,
    df: pd.DataFrame,
    *,
    owner_id: uuid.UUID,
    columns: list[dict[str, object]] | None,
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
    details = [_column_dict(c) for c in columns]
    if [c["label"] for c in details] != table.column_names:
        raise ValueError("The column metadata must list the frame's columns in frame order.")
    types = [cast(ColumnType, c["type"]) for c in details]
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
    os.chmod(
        table.path, private_files.FILE_MODE
    )  # patient data: readable by the server's account only
    _durable_replace(table.path, target)
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


def _durable_replace(source: Path, target: Path) -> None:
    """Move `source` to `target` so that it survives a crash once this returns.

    The data is flushed before the rename (a crash never leaves a named but partial file) and
    the directory after it (the name itself is on disk before the row is committed).
    """
    fsync_path(source)
    # os.replace is atomic on one filesystem: readers see the old file or the whole new one.
    os.replace(source, target)
    if os.name == "posix":  # elsewhere a directory cannot be opened (nor needs the flush)
        fsync_path(target.parent)


def patch_columns(settings: Settings, row: DatasetRow, changes: list[dict[str, Any]]) -> None:
    """Replace the metadata of the listed columns, checking each new type against the data.

    Raises:
        InvalidInputError: unknown or duplicate labels (all listed), or a type that does not
            fit the column's values (the column and an offending value are named).
    """
    current = {str(c["label"]): _column_dict(c) for c in row.columns}
    labels = [str(c["label"]) for c in changes]
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
    retyped = {
        str(c["label"]): cast(ColumnType, str(c["type"]))
        for c in changes
        if str(c["type"]) != current[str(c["label"])]["type"]
    }
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
        current[str(change["label"])] = _column_dict(change)
    # A new list object: SQLAlchemy does not see in-place changes of a JSON value.
    row.columns = [current[str(c["label"])] for c in row.columns]


def analyze(settings: Settings, row: DatasetRow) -> None:
    """Compute the dataset's summary (synchronously) and record how long it took."""
    started = time.perf_counter()
    row.summary = analysis.column_stats(read_dataframe(settings, row), row.columns)
    row.analysis_status = "done"
    row.analysis_duration = time.perf_counter() - started


def correlations(settings: Settings, row: DatasetRow) -> dict[str, dict[str, float | None]]:
    """The correlation matrix of the dataset's non-identifier columns."""
    return analysis.correlations(read_dataframe(settings, row), row.columns)


def dataset_schema(row: DatasetRow, base_url: str) -> schemas.Dataset:
    """The wire model of a dataset; `download_url` is built on `base_url`."""
    summary = schemas.DatasetSummary.model_validate(row.summary) if row.summary else None
    return schemas.Dataset(
        id=row.id,
        hash=row.hash,
        name=row.name,
        columns=[schemas.ColumnDetail.model_validate(c) for c in row.columns],
        download_url=f"{base_url.rstrip('/')}/datasets/{row.id}/download",
        analysis_status=schemas.AnalysisStatus(row.analysis_status)
        if row.analysis_status
        else None,
        analysis_duration=row.analysis_duration,
        nb_lines=row.nb_lines,
        nb_dimensions=row.nb_dimensions,
        summary=summary,
        filetype=schemas.FileType(row.filetype),
    )


def _column_dict(column: dict[str, Any]) -> dict[str, object]:
    return {
        "label": str(column["label"]),
        "type": str(column["type"]),
        "is_identifier": bool(column.get("is_identifier") or False),
    }


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
