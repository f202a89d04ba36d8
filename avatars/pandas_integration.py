"""The `pandas_integration` namespace: DataFrame <-> dataset through parquet (reference §4.3)."""

from __future__ import annotations

import shutil
import tempfile
import uuid
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from uuid import UUID

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from avatar_api_client.models import ColumnDetail, ColumnType, Dataset, FileType, PatchDataset
from avatars import _streaming
from avatars.resources._base import Resource

ROWS_PER_PART = 1_000_000
"""Rows per parquet part (and row group) of an uploaded frame."""


def column_type(dtype: Any, values: pd.Series) -> ColumnType:
    """The declared type of a column, from its pandas dtype (first match wins).

    Nullable pandas dtypes map by their content: ``Int64`` -> int without missing values,
    else float; ``boolean`` -> bool without missing values, else category; ``string`` and
    pandas 3's ``str`` -> category.

    Raises:
        TypeError: a dtype with no column type (e.g. timedelta).
    """
    if isinstance(dtype, pd.StringDtype):
        return ColumnType.CATEGORY
    if isinstance(dtype, pd.BooleanDtype):
        return ColumnType.CATEGORY if values.hasnans else ColumnType.BOOL
    if pd.api.types.is_extension_array_dtype(dtype) and pd.api.types.is_integer_dtype(dtype):
        return ColumnType.FLOAT if values.hasnans else ColumnType.INT
    if pd.api.types.is_extension_array_dtype(dtype) and pd.api.types.is_float_dtype(dtype):
        return ColumnType.FLOAT
    name = str(dtype)
    if "float" in name:
        return ColumnType.FLOAT
    if "int" in name:
        return ColumnType.INT
    if "bool" in name:
        return ColumnType.BOOL
    if "datetime" in name:
        return ColumnType.DATETIME
    if name in ("object", "category", "str", "string"):
        return ColumnType.CATEGORY
    raise TypeError(
        f"Columns of dtype {name!r} cannot be uploaded: convert them to numbers, booleans, "
        "strings or datetimes first."
    )


def _refuse_mixed(df: pd.DataFrame) -> None:
    for label in df.columns:
        kind = pd.api.types.infer_dtype(df[label], skipna=True)
        if kind in ("mixed", "mixed-integer"):
            raise ValueError(
                f"Column {label!r} mixes strings and numbers ({kind}). Make it one type, e.g. "
                f"df[{label!r}] = df[{label!r}].astype(str), before uploading."
            )


class PandasIntegration(Resource):
    def upload_dataframe(
        self,
        request: pd.DataFrame,
        name: str | None = None,
        *,
        timeout: float | None = None,
        identifier_variables: Sequence[str] = (),
        progress: bool = True,
        **kwargs: Any,
    ) -> Dataset:
        """Upload a DataFrame as a dataset and declare its column types from its dtypes.

        Args:
            request: the frame (its index is not uploaded).
            name: display name of the dataset.
            timeout: HTTP timeout of each request, in seconds.
            identifier_variables: labels of identifier columns.
            progress: show a progress bar for large uploads.

        Returns:
            The dataset, with the declared column types.

        Raises:
            ValueError: a column mixes strings and numbers, or an unknown identifier.
            TypeError: a column's dtype has no column type.
        """
        if kwargs.pop("should_stream", None) is not None:
            warnings.warn(
                "should_stream is deprecated and ignored: uploads are always streamed.",
                DeprecationWarning,
                stacklevel=2,
            )
        if kwargs:
            raise TypeError(f"Unexpected arguments: {', '.join(sorted(kwargs))}.")
        df = request
        _refuse_mixed(df)
        unknown = [v for v in identifier_variables if v not in df.columns]
        if unknown:
            raise ValueError(f"identifier_variables names unknown columns: {unknown}.")
        columns = [
            ColumnDetail(
                type_=column_type(df[label].dtype, df[label]),
                label=str(label),
                is_identifier=label in identifier_variables,
            )
            for label in df.columns
        ]
        folder = Path(tempfile.mkdtemp(prefix="avatars-upload-"))
        try:
            parts = _write_parts(df, folder)
            body = _streaming.upload(
                self._client,
                "/datasets/stream",
                [_streaming.UploadPart(path, path.name) for path in parts],
                params={"name": name} if name is not None else None,
                timeout=timeout,
                progress=progress,
            )
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        dataset = Dataset.from_dict(body)
        return self._client.datasets.patch_dataset(
            dataset.id, PatchDataset(columns=columns), timeout=timeout
        )

    def download_dataframe(
        self,
        id: str | UUID,
        *,
        filetype: FileType | str | None = None,
        timeout: float | None = None,
        progress: bool = True,
        **kwargs: Any,
    ) -> pd.DataFrame:
        """Download a dataset as a DataFrame, with dtypes from its declared column types.

        category -> object (CSV values kept as text, e.g. "01234"), int -> int64,
        float -> float64, bool -> bool, datetime -> datetime64[ns].
        """
        if kwargs.pop("should_stream", None) is not None:
            warnings.warn(
                "should_stream is deprecated and ignored: downloads are always streamed.",
                DeprecationWarning,
                stacklevel=2,
            )
        if kwargs:
            raise TypeError(f"Unexpected arguments: {', '.join(sorted(kwargs))}.")
        dataset = self._client.datasets.get_dataset(id, timeout=timeout)
        kind = filetype.value if isinstance(filetype, FileType) else filetype
        kind = kind or dataset.filetype.value
        columns = dataset.columns if isinstance(dataset.columns, list) else []
        folder = Path(tempfile.mkdtemp(prefix="avatars-download-"))
        try:
            path = folder / f"dataset.{kind}"
            with path.open("wb", buffering=_streaming.WRITE_BUFFER_BYTES) as handle:
                _streaming.download(
                    self._client,
                    f"/datasets/{dataset.id}/download",
                    handle,
                    params={"filetype": kind},
                    timeout=timeout,
                    progress=progress,
                )
            frame = _read(path, kind, columns)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return _restore_dtypes(frame, columns)


def _write_parts(df: pd.DataFrame, folder: Path) -> list[Path]:
    """Parquet files of at most ROWS_PER_PART rows, named ``<32 hex>-<n>.parquet``."""
    stem = uuid.uuid4().hex
    table = pa.Table.from_pandas(df, preserve_index=False)
    paths: list[Path] = []
    starts = range(0, max(table.num_rows, 1), ROWS_PER_PART)
    for number, start in enumerate(starts):
        path = folder / f"{stem}-{number}.parquet"
        pq.write_table(table.slice(start, ROWS_PER_PART), path, row_group_size=ROWS_PER_PART)
        paths.append(path)
    return paths


def _read(path: Path, kind: str, columns: Sequence[ColumnDetail]) -> pd.DataFrame:
    if kind == "parquet":
        return pd.read_parquet(path)
    as_text = {c.label: str for c in columns if c.type_ == ColumnType.CATEGORY}
    # Only empty fields are missing (as on the server): "NA" or "None" are values.
    return pd.read_csv(path, dtype=as_text, keep_default_na=False, na_values=[""])


def _restore_dtypes(frame: pd.DataFrame, columns: Sequence[ColumnDetail]) -> pd.DataFrame:
    missing = [c.label for c in columns if c.label not in frame.columns]
    if missing:
        raise ValueError(f"The downloaded file lacks the declared columns {missing}.")
    casts = {
        ColumnType.CATEGORY: object,
        ColumnType.INT: "int64",
        ColumnType.FLOAT: "float64",
        ColumnType.BOOL: bool,
    }
    for column in columns:
        if column.type_ in casts:
            frame[column.label] = frame[column.label].astype(casts[column.type_])  # type: ignore[call-overload]
    for column in columns:
        if column.type_ == ColumnType.DATETIME:
            frame[column.label] = _datetimes(frame[column.label])
    return frame.reset_index(drop=True)


def _datetimes(values: pd.Series) -> pd.Series:
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        values = values.dt.tz_convert("UTC").dt.tz_localize(None)
    elif not pd.api.types.is_datetime64_any_dtype(values):
        values = pd.to_datetime(values, format="ISO8601")
    return values.astype("datetime64[ns]")
