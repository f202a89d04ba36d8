"""Routes of the `datasets` tag: upload, list, read, patch, download, analyze, correlations."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, Response, StreamingResponse
from starlette.background import BackgroundTask
from starlette.convertors import StringConvertor, register_url_convertor

from avatars_server.api.access import AccessDep, Operation
from avatars_server.api.deps import CurrentUser, PublicBaseUrl, SessionDep, SettingsDep
from avatars_server.api.paging import PageDep, paginate
from avatars_server.api.views.datasets import column_descriptor, dataset_schema
from avatars_server.config import Settings
from avatars_server.datasets import export
from avatars_server.datasets.create import create_from_upload
from avatars_server.schemas.common import error_responses
from avatars_server.schemas.datasets import Correlations, Dataset, FileType, PatchDataset
from avatars_server.storage import datasets
from avatars_server.storage.tables import DatasetRow

router = APIRouter(tags=["datasets"])


class _DatasetIdConvertor(StringConvertor):
    """Any path segment but `stream`, so that GET or PATCH /datasets/stream answers 405
    (wrong verb on the upload route) rather than 422 for a malformed id."""

    regex = "(?!stream$)[^/]+"


# Registering is idempotent; FastAPI still validates the value as a UUID (422 when malformed).
register_url_convertor("dataset_id", _DatasetIdConvertor())


class _FileResponse(FileResponse):
    # Starlette's 64 KiB chunks cost a Python round trip each; 1 MiB streams several times
    # faster on large files and still keeps memory flat.
    chunk_size = 1024 * 1024


# -- upload ---------------------------------------------------------------------------------


def _upload_body(with_name: bool) -> dict[str, Any]:
    """OpenAPI body of an upload: the route reads the stream itself (datasets/upload.py)."""
    properties: dict[str, Any] = {
        "file": {
            "type": "array",
            "items": {"type": "string", "format": "binary"},
            "description": "The table (CSV or parquet); several parts are concatenated.",
        }
    }
    if with_name:
        properties["name"] = {
            "anyOf": [{"type": "string"}, {"type": "null"}],
            "description": "Display name of the dataset.",
        }
    return {
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {"type": "object", "properties": properties, "required": ["file"]}
                }
            },
        }
    }


@router.post(
    "/datasets/stream",
    operation_id="create_dataset_from_stream",
    status_code=201,
    response_model=Dataset,
    responses=error_responses(401, 413),
    openapi_extra=_upload_body(with_name=False),
)
async def create_dataset_from_stream(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: CurrentUser,
    base_url: PublicBaseUrl,
    name: Annotated[str | None, Query(description="Display name of the dataset")] = None,
) -> Dataset:
    """Upload a table (CSV or parquet, one or more `file` parts), streamed to storage."""
    row = await create_from_upload(
        request.stream(),
        request.headers.get("content-type"),
        session,
        settings,
        owner_id=user.id,
        name=name,
    )
    return dataset_schema(row, base_url)


@router.post(
    "/datasets",
    operation_id="create_dataset",
    status_code=201,
    response_model=Dataset,
    responses=error_responses(401, 413),
    openapi_extra=_upload_body(with_name=True),
)
async def create_dataset(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: CurrentUser,
    base_url: PublicBaseUrl,
) -> Dataset:
    """Upload a table (CSV or parquet, one or more `file` parts, optional `name` field)."""
    row = await create_from_upload(
        request.stream(),
        request.headers.get("content-type"),
        session,
        settings,
        owner_id=user.id,
        name=None,
    )
    return dataset_schema(row, base_url)


# -- metadata -------------------------------------------------------------------------------


@router.get(
    "/datasets",
    operation_id="find_all_datasets_by_user",
    response_model=list[Dataset],
    responses=error_responses(401),
)
def find_all_datasets_by_user(
    request: Request,
    response: Response,
    session: SessionDep,
    user: CurrentUser,
    base_url: PublicBaseUrl,
    page: PageDep,
) -> list[Dataset]:
    """The caller's datasets (uploads and job results), newest first, a page at a time."""
    rows = datasets.list_datasets(session, user.id, limit=page.fetch, offset=page.offset)
    return [dataset_schema(row, base_url) for row in paginate(rows, page, request, response)]


@router.get(
    "/datasets/{id:dataset_id}",
    operation_id="get_dataset",
    response_model=Dataset,
    responses=error_responses(401, 404),
)
def get_dataset(
    id: uuid.UUID, session: SessionDep, user: CurrentUser, base_url: PublicBaseUrl
) -> Dataset:
    """One of the caller's datasets."""
    row = datasets.get_owned_dataset(session, id, user.id)
    return dataset_schema(row, base_url)


@router.patch(
    "/datasets/{id:dataset_id}",
    operation_id="patch_dataset",
    response_model=Dataset,
    responses=error_responses(401, 404),
)
def patch_dataset(
    id: uuid.UUID,
    body: PatchDataset,
    session: SessionDep,
    settings: SettingsDep,
    user: CurrentUser,
    base_url: PublicBaseUrl,
) -> Dataset:
    """Declare column types and identifiers; each type is checked against the data."""
    row = datasets.get_owned_dataset(session, id, user.id)
    if body.columns is not None:
        changes = [column_descriptor(c) for c in body.columns]
        datasets.patch_columns(settings, row, changes)
        session.flush()
    return dataset_schema(row, base_url)


# -- download -------------------------------------------------------------------------------

FiletypeQuery = Annotated[
    FileType | None,
    Query(description="Format of the file; default: the dataset's stored format"),
]


def _download(
    row: DatasetRow, settings: Settings, filetype: FileType | None, *, streamed: bool
) -> Response:
    download = export.prepare_download(
        datasets.dataset_path(settings, row),
        row.filetype,
        row.columns,
        (filetype or FileType(row.filetype)).value,
        settings.tmp_dir,
        stem=str(row.id),
    )
    headers = {"Content-Disposition": f'attachment; filename="{download.filename}"'}
    if download.chunks is not None:
        return StreamingResponse(download.chunks, media_type=download.media_type, headers=headers)
    assert download.file is not None
    if streamed:
        chunks = export.file_chunks(download.file, delete=download.temporary)
        return StreamingResponse(chunks, media_type=download.media_type, headers=headers)
    cleanup = BackgroundTask(download.file.unlink, missing_ok=True) if download.temporary else None
    return _FileResponse(
        download.file, media_type=download.media_type, headers=headers, background=cleanup
    )


_DOWNLOAD_CONTENT: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The table as CSV (text/csv) or parquet (application/octet-stream)",
        "content": {
            "text/csv": {"schema": {"type": "string", "format": "binary"}},
            "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
        },
    }
}


@router.get(
    "/datasets/{id:dataset_id}/download/stream",
    operation_id="download_dataset_as_stream",
    response_class=StreamingResponse,
    responses={**_DOWNLOAD_CONTENT, **error_responses(401, 404)},
)
def download_dataset_as_stream(
    id: uuid.UUID,
    session: SessionDep,
    settings: SettingsDep,
    user: CurrentUser,
    access: AccessDep,
    filetype: FiletypeQuery = None,
) -> Response:
    """The dataset's file, streamed in chunks (converted when another format is asked)."""
    row = datasets.get_owned_dataset(session, id, user.id)
    access(Operation.download_dataset, dataset_id=row.id)
    return _download(row, settings, filetype, streamed=True)


@router.get(
    "/datasets/{id:dataset_id}/download",
    operation_id="download_dataset",
    response_class=FileResponse,
    responses={**_DOWNLOAD_CONTENT, **error_responses(401, 404)},
)
def download_dataset(
    id: uuid.UUID,
    session: SessionDep,
    settings: SettingsDep,
    user: CurrentUser,
    access: AccessDep,
    filetype: FiletypeQuery = None,
) -> Response:
    """The dataset's file (converted when another format is asked)."""
    row = datasets.get_owned_dataset(session, id, user.id)
    access(Operation.download_dataset, dataset_id=row.id)
    return _download(row, settings, filetype, streamed=False)


# -- analysis -------------------------------------------------------------------------------


@router.post(
    "/datasets/{id:dataset_id}/analyze",
    operation_id="analyze_dataset",
    response_model=Dataset,
    responses=error_responses(401, 404),
)
def analyze_dataset(
    id: uuid.UUID,
    session: SessionDep,
    settings: SettingsDep,
    user: CurrentUser,
    base_url: PublicBaseUrl,
) -> Dataset:
    """Compute the dataset's summary statistics (synchronously: `analysis_status` is done)."""
    row = datasets.get_owned_dataset(session, id, user.id)
    datasets.analyze(settings, row)
    session.flush()
    return dataset_schema(row, base_url)


@router.get(
    "/datasets/{id:dataset_id}/correlations",
    operation_id="get_dataset_correlations",
    response_model=Correlations,
    responses=error_responses(401, 404),
)
def get_dataset_correlations(
    id: uuid.UUID, session: SessionDep, settings: SettingsDep, user: CurrentUser
) -> Correlations:
    """Correlation matrix over the non-identifier columns (Pearson, Cramér's V, η)."""
    row = datasets.get_owned_dataset(session, id, user.id)
    return Correlations(datasets.correlations(settings, row))
