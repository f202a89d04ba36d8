"""Routes of the `datasets` tag: upload, list, read, patch, download, analyze, correlations."""

from __future__ import annotations

import asyncio
import logging
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Annotated, Any

import anyio
from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, Response, StreamingResponse
from starlette.background import BackgroundTask
from starlette.convertors import StringConvertor, register_url_convertor

from avatars_server.api.access import AccessDep, Operation
from avatars_server.api.deps import CurrentUser, SessionDep, SettingsDep
from avatars_server.api.paging import PageDep, paginate
from avatars_server.config import Settings
from avatars_server.datasets import export
from avatars_server.datasets.ingest import ingest_parts
from avatars_server.datasets.upload import (
    ReceivedUpload,
    UploadReceiver,
    boundary_of,
    disk_full_as_unavailable,
)
from avatars_server.schemas.common import error_responses
from avatars_server.schemas.datasets import Correlations, Dataset, FileType, PatchDataset
from avatars_server.storage import datasets
from avatars_server.storage.tables import DatasetRow

logger = logging.getLogger(__name__)

router = APIRouter(tags=["datasets"])


class _DatasetIdConvertor(StringConvertor):
    """Any path segment but `stream`, so that GET or PATCH /datasets/stream answers 405
    (wrong verb on the upload route) rather than 422 for a malformed id."""

    regex = "(?!stream$)[^/]+"


# Registering is idempotent; FastAPI still validates the value as a UUID (422 when malformed).
register_url_convertor("dataset_id", _DatasetIdConvertor())

# Bytes handed to the parser thread at once: big enough to amortise the thread hop (and the
# parser's per-call Python work), small enough to keep a few in memory.
_FEED_BYTES = 4 * 1024 * 1024
_MEDIA_TYPES = {"csv": "text/csv", "parquet": "application/octet-stream"}


class _FileResponse(FileResponse):
    # Starlette's 64 KiB chunks cost a Python round trip each; 1 MiB streams several times
    # faster on large files and still keeps memory flat.
    chunk_size = 1024 * 1024


def public_base_url(request: Request) -> str:
    """The URL clients reached this server on, for absolute URLs in answers (§1.1).

    It honours the configured root path and, behind a proxy, `X-Forwarded-Proto`,
    `X-Forwarded-Host` and `X-Forwarded-Prefix`.
    """
    headers = request.headers
    scheme = _first(headers.get("x-forwarded-proto")) or request.url.scheme
    host = _first(headers.get("x-forwarded-host")) or headers.get("host") or request.url.netloc
    prefix = _first(headers.get("x-forwarded-prefix"))
    path = prefix if prefix is not None else str(request.scope.get("root_path") or "")
    return f"{scheme}://{host}{path.rstrip('/')}"


def _first(value: str | None) -> str | None:
    return value.split(",")[0].strip() if value else None


# -- upload ---------------------------------------------------------------------------------


def _upload_body(with_name: bool) -> dict[str, Any]:
    """OpenAPI body of an upload: the route reads the stream itself (see upload.py)."""
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


async def _receive(request: Request, settings: Settings) -> ReceivedUpload:
    receiver = UploadReceiver(
        boundary_of(request.headers.get("content-type")),
        settings.tmp_dir,
        settings.max_upload_bytes,
        settings.max_upload_parts,
    )
    # One feed is parsed and written on a worker thread while this loop reads the next one
    # from the socket, so receiving and writing overlap (one feed in flight: order kept).
    feeder = ThreadPoolExecutor(max_workers=1, thread_name_prefix="upload-feed")
    loop = asyncio.get_running_loop()
    in_flight: asyncio.Future[None] | None = None
    # Chunks are gathered in a list and joined once: a single copy per feed.
    pending: list[bytes] = []
    size = 0
    try:
        async for chunk in request.stream():
            pending.append(chunk)
            size += len(chunk)
            if size >= _FEED_BYTES:
                data, pending, size = b"".join(pending), [], 0
                if in_flight is not None:
                    await in_flight
                in_flight = loop.run_in_executor(feeder, receiver.write, data)
        if in_flight is not None:
            await in_flight
        if pending:
            await loop.run_in_executor(feeder, receiver.write, b"".join(pending))
        return receiver.finish()
    except BaseException:
        # The write in flight must end before its files are removed.
        feeder.shutdown(wait=True)
        receiver.abort()
        raise
    finally:
        feeder.shutdown(wait=False)


async def _create(
    request: Request, session: SessionDep, settings: Settings, owner: uuid.UUID, name: str | None
) -> Dataset:
    upload = await _receive(request, settings)
    try:
        if name is None:
            name = upload.fields.get("name") or None
        with disk_full_as_unavailable():
            # ingest_parts removes its own partial output when it raises.
            table = await anyio.to_thread.run_sync(ingest_parts, upload.parts, settings.tmp_dir)

        def store() -> DatasetRow:
            with disk_full_as_unavailable():
                stored = datasets.add_dataset(
                    session, settings, table, owner_id=owner, digest=upload.sha256, name=name
                )
            # Commit here, off the event loop: a write that waits for SQLite's lock while
            # blocking the loop would starve the request holding it ("database is locked").
            session.commit()
            return stored

        try:
            row = await anyio.to_thread.run_sync(store)
        finally:
            table.path.unlink(missing_ok=True)
    finally:
        upload.discard()
    return datasets.dataset_schema(row, public_base_url(request))


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
    name: Annotated[str | None, Query(description="Display name of the dataset")] = None,
) -> Dataset:
    """Upload a table (CSV or parquet, one or more `file` parts), streamed to storage."""
    return await _create(request, session, settings, user.id, name)


@router.post(
    "/datasets",
    operation_id="create_dataset",
    status_code=201,
    response_model=Dataset,
    responses=error_responses(401, 413),
    openapi_extra=_upload_body(with_name=True),
)
async def create_dataset(
    request: Request, session: SessionDep, settings: SettingsDep, user: CurrentUser
) -> Dataset:
    """Upload a table (CSV or parquet, one or more `file` parts, optional `name` field)."""
    return await _create(request, session, settings, user.id, None)


# -- metadata -------------------------------------------------------------------------------


@router.get(
    "/datasets",
    operation_id="find_all_datasets_by_user",
    response_model=list[Dataset],
    responses=error_responses(401),
)
def find_all_datasets_by_user(
    request: Request, response: Response, session: SessionDep, user: CurrentUser, page: PageDep
) -> list[Dataset]:
    """The caller's datasets (uploads and job results), newest first, a page at a time."""
    base = public_base_url(request)
    rows = datasets.list_datasets(session, user.id, limit=page.fetch, offset=page.offset)
    return [datasets.dataset_schema(row, base) for row in paginate(rows, page, request, response)]


@router.get(
    "/datasets/{id:dataset_id}",
    operation_id="get_dataset",
    response_model=Dataset,
    responses=error_responses(401, 404),
)
def get_dataset(id: uuid.UUID, request: Request, session: SessionDep, user: CurrentUser) -> Dataset:
    """One of the caller's datasets."""
    row = datasets.get_owned_dataset(session, id, user.id)
    return datasets.dataset_schema(row, public_base_url(request))


@router.patch(
    "/datasets/{id:dataset_id}",
    operation_id="patch_dataset",
    response_model=Dataset,
    responses=error_responses(401, 404),
)
def patch_dataset(
    id: uuid.UUID,
    body: PatchDataset,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: CurrentUser,
) -> Dataset:
    """Declare column types and identifiers; each type is checked against the data."""
    row = datasets.get_owned_dataset(session, id, user.id)
    if body.columns is not None:
        changes = [c.model_dump(mode="json") for c in body.columns]
        datasets.patch_columns(settings, row, changes)
        session.flush()
    return datasets.dataset_schema(row, public_base_url(request))


# -- download -------------------------------------------------------------------------------

FiletypeQuery = Annotated[
    FileType | None,
    Query(description="Format of the file; default: the dataset's stored format"),
]


def _download(
    row: DatasetRow, settings: Settings, filetype: FileType | None, *, streamed: bool
) -> Response:
    target = (filetype or FileType(row.filetype)).value
    source = datasets.dataset_path(settings, row)
    media_type = _MEDIA_TYPES[target]
    disposition = {"Content-Disposition": f'attachment; filename="{row.id}.{target}"'}
    if target == row.filetype:
        if streamed:
            return StreamingResponse(
                export.file_chunks(source), media_type=media_type, headers=disposition
            )
        return _FileResponse(source, media_type=media_type, headers=disposition)
    if target == "csv":
        chunks = export.csv_chunks(source, row.filetype, row.columns)
        return StreamingResponse(chunks, media_type=media_type, headers=disposition)
    converted = export.convert_to_parquet(source, row.filetype, row.columns, settings.tmp_dir)
    if streamed:
        return StreamingResponse(
            export.file_chunks(converted, delete=True), media_type=media_type, headers=disposition
        )
    return _FileResponse(
        converted,
        media_type=media_type,
        headers=disposition,
        background=BackgroundTask(converted.unlink, missing_ok=True),
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
    id: uuid.UUID, request: Request, session: SessionDep, settings: SettingsDep, user: CurrentUser
) -> Dataset:
    """Compute the dataset's summary statistics (synchronously: `analysis_status` is done)."""
    row = datasets.get_owned_dataset(session, id, user.id)
    datasets.analyze(settings, row)
    session.flush()
    return datasets.dataset_schema(row, public_base_url(request))


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
