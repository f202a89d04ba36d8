"""The `datasets` namespace: upload, metadata, download, analysis."""

from __future__ import annotations

import io
import os
import uuid
import warnings
from pathlib import Path
from typing import IO, Any
from uuid import UUID

from avatar_api_client.api.datasets import (
    analyze_dataset,
    find_all_datasets_by_user,
    get_dataset,
    get_dataset_correlations,
    patch_dataset,
)
from avatar_api_client.models import Dataset, FileType, PatchDataset
from avatar_api_client.types import UNSET
from avatars import _streaming
from avatars._response import json_object, parsed
from avatars.exceptions import InvalidFileType
from avatars.resources._base import Resource

_UPLOAD_PATH = "/datasets/stream"


def _id(value: str | UUID) -> UUID:
    return value if isinstance(value, UUID) else UUID(str(value))


def _filename(source: object) -> str:
    name = getattr(source, "name", None)
    if isinstance(name, str) and name:
        return os.path.basename(name)
    return f"{uuid.uuid4().hex}"


def upload_parts(source: object) -> list[_streaming.UploadPart]:
    """The multipart `file` parts for a path, a list of paths, bytes or a file object."""
    if isinstance(source, str | os.PathLike):
        return [_streaming.UploadPart(source, Path(source).name)]
    if isinstance(source, bytes | bytearray | memoryview):
        return [_streaming.UploadPart(bytes(source), uuid.uuid4().hex)]
    if isinstance(source, list | tuple):
        if not source or not all(isinstance(p, str | os.PathLike) for p in source):
            raise ValueError("A list source must hold one or more file paths (parts of one table).")
        return [_streaming.UploadPart(p, Path(p).name) for p in source]
    if hasattr(source, "read"):
        return [_streaming.UploadPart(source, _filename(source))]  # type: ignore[arg-type]
    raise TypeError(
        f"Cannot upload a {type(source).__name__}: give a file path, a list of paths, bytes, "
        "an open file or a pandas DataFrame."
    )


class Datasets(Resource):
    # -- upload -----------------------------------------------------------------------------
    def create_dataset(
        self,
        request: object = None,
        name: str | None = None,
        source: object = None,
        *,
        timeout: float | None = None,
        progress: bool = True,
    ) -> Dataset:
        """Upload a table (CSV or parquet, detected from its content) as a new dataset.

        Args:
            request: the table, positionally (0.7.3 style, e.g. ``open("iris.csv", "r")``).
            name: display name of the dataset.
            source: the table: a path, a list of paths (parts of one table, in order), bytes,
                a binary or text file object, or a pandas DataFrame.
            timeout: HTTP timeout of the upload, in seconds; by default the client's,
                lengthened in proportion to the size of a large file.
            progress: show a progress bar for large uploads.

        Returns:
            The created dataset, with its inferred column types.

        Raises:
            UnprocessableEntityError: the server cannot read the table (the message says why).
            FileTooLarge: the upload exceeds the server's limit.
        """
        table = _one_source(request, source)
        if _is_dataframe(table):
            return self._client.pandas_integration.upload_dataframe(
                table,  # type: ignore[arg-type]
                name,
                timeout=timeout,
                progress=progress,
            )
        body = _streaming.upload(
            self._client,
            _UPLOAD_PATH,
            upload_parts(table),
            params={"name": name} if name is not None else None,
            timeout=timeout,
            progress=progress,
        )
        return Dataset.from_dict(body)

    def create_dataset_from_stream(
        self,
        request: object = None,
        name: str | None = None,
        source: object = None,
        *,
        timeout: float | None = None,
        progress: bool = True,
    ) -> Dataset:
        """Same as `create_dataset` (both stream the file to ``POST /datasets/stream``)."""
        return self.create_dataset(request, name, source, timeout=timeout, progress=progress)

    # -- metadata ---------------------------------------------------------------------------
    def get_dataset(self, id: str | UUID, *, timeout: float | None = None) -> Dataset:
        """One of your datasets."""
        with self._client.request_options(timeout):
            response = get_dataset.sync_detailed(_id(id), client=self._client.generated)
        return parsed(response, Dataset)

    def find_all_datasets_by_user(
        self,
        *,
        limit: int | None = None,
        offset: int = 0,
        timeout: float | None = None,
    ) -> list[Dataset]:
        """Your datasets (uploads and job results), newest first.

        The server returns at most its page size cap (`limit`, default: the cap); ask for the
        next page with `offset`.
        """
        with self._client.request_options(timeout):
            response = find_all_datasets_by_user.sync_detailed(
                client=self._client.generated,
                limit=UNSET if limit is None else limit,
                offset=offset,
            )
        return parsed(response, list)

    def patch_dataset(
        self, id: str | UUID, request: PatchDataset, *, timeout: float | None = None
    ) -> Dataset:
        """Declare column types and identifier columns (checked against the data)."""
        with self._client.request_options(timeout):
            response = patch_dataset.sync_detailed(
                _id(id), client=self._client.generated, body=request
            )
        return parsed(response, Dataset)

    def analyze_dataset(self, id: str | UUID, *, timeout: float | None = None) -> Dataset:
        """Compute the dataset's summary statistics; the answer carries them."""
        with self._client.request_options(timeout):
            response = analyze_dataset.sync_detailed(_id(id), client=self._client.generated)
        return parsed(response, Dataset)

    def get_dataset_correlations(
        self, id: str | UUID, *, timeout: float | None = None
    ) -> dict[str, Any]:
        """Correlation matrix ``{label: {label: value or None}}`` of the dataset's columns."""
        with self._client.request_options(timeout):
            response = get_dataset_correlations.sync_detailed(
                _id(id), client=self._client.generated
            )
        return json_object(response)

    # -- download ---------------------------------------------------------------------------
    def download_dataset(
        self,
        id: str | UUID,
        destination: str | os.PathLike[str] | IO[Any] | None = None,
        filetype: FileType | str | None = None,
        *,
        timeout: float | None = None,
        progress: bool = True,
    ) -> str | bytes | None:
        """Download a dataset's file, streamed into `destination`.

        Args:
            id: the dataset's id.
            destination: a path (the file is written) or an open file object (bytes, or text
                for CSV). None is deprecated: the content is returned (CSV as text).
            filetype: "csv" or "parquet"; default: the dataset's stored format.
            timeout: HTTP timeout between two chunks, in seconds.
            progress: show a progress bar for large downloads.

        Returns:
            None when written to `destination`, else the content.

        Raises:
            InvalidFileType: parquet asked into a text file object.
        """
        kind = _filetype(filetype)
        if destination is None:
            warnings.warn(
                "download_dataset without a destination is deprecated: pass a path or a file "
                "object.",
                DeprecationWarning,
                stacklevel=2,
            )
            kind = kind or "csv"
            buffer = io.BytesIO()
            self._download(id, buffer, kind, timeout=timeout, progress=progress)
            content = buffer.getvalue()
            return content.decode("utf-8") if kind == "csv" else content
        if isinstance(destination, str | os.PathLike):
            with Path(destination).open("wb", buffering=_streaming.WRITE_BUFFER_BYTES) as handle:
                self._download(id, handle, kind, timeout=timeout, progress=progress)
            return None
        if isinstance(destination, io.TextIOBase) and kind != "csv":
            if kind is None and self.get_dataset(id, timeout=timeout).filetype == FileType.CSV:
                kind = "csv"
            else:
                raise InvalidFileType(
                    "A parquet file cannot be written into a text file object: open the "
                    "destination in binary mode ('wb') or ask for filetype='csv'."
                )
        self._download(id, destination, kind, timeout=timeout, progress=progress)
        return None

    def download_dataset_as_stream(
        self,
        id: str | UUID,
        destination: str | os.PathLike[str] | IO[Any] | None = None,
        *,
        filetype: FileType | str | None = None,
        timeout: float | None = None,
        progress: bool = True,
    ) -> io.BytesIO | None:
        """Deprecated alias of `download_dataset`; returns a BytesIO without a destination."""
        warnings.warn(
            "download_dataset_as_stream is deprecated: use download_dataset(id, destination).",
            DeprecationWarning,
            stacklevel=2,
        )
        if destination is not None:
            self.download_dataset(id, destination, filetype, timeout=timeout, progress=progress)
            return None
        buffer = io.BytesIO()
        self._download(id, buffer, _filetype(filetype), timeout=timeout, progress=progress)
        buffer.seek(0)
        return buffer

    def _download(
        self,
        id: str | UUID,
        destination: IO[Any],
        filetype: str | None,
        *,
        timeout: float | None,
        progress: bool,
    ) -> int:
        return _streaming.download(
            self._client,
            f"/datasets/{_id(id)}/download",
            destination,
            params={"filetype": filetype} if filetype else None,
            timeout=timeout,
            progress=progress,
        )


def _filetype(value: FileType | str | None) -> str | None:
    if value is None:
        return None
    return value.value if isinstance(value, FileType) else str(value)


def _one_source(request: object, source: object) -> object:
    if request is not None and source is not None:
        raise ValueError("Give the table once: either positionally (request) or as source=.")
    table = source if source is not None else request
    if table is None:
        raise ValueError("Nothing to upload: pass source=<path, file, bytes or DataFrame>.")
    return table


def _is_dataframe(value: object) -> bool:
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - pandas is a dependency
        return False
    return isinstance(value, pd.DataFrame)
