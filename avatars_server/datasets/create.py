"""Creating a dataset from an upload: receive, validate and store it, off the event loop."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterable

import anyio
from sqlalchemy.orm import Session

from avatars_server.config import Settings
from avatars_server.datasets import upload
from avatars_server.datasets.ingest import ingest_parts
from avatars_server.storage import datasets
from avatars_server.storage.files import disk_full_as_unavailable
from avatars_server.storage.tables import DatasetRow


async def create_from_upload(
    body: AsyncIterable[bytes],
    content_type: str | None,
    session: Session,
    settings: Settings,
    *,
    owner_id: uuid.UUID,
    name: str | None,
) -> DatasetRow:
    """Store the table of a multipart upload as a new dataset of `owner_id`, committed.

    Args:
        body: the request body, chunk by chunk.
        content_type: the request's Content-Type (multipart/form-data with its boundary).
        name: the display name; when None, the body's `name` field (if any).

    Raises:
        InvalidInputError: not a multipart body, or a table that cannot be read or typed.
        PayloadTooLargeError: the upload is over `settings.max_upload_bytes`, or has more
            than `settings.max_upload_parts` parts.
        UnavailableError: the disk is full.
        Nothing is kept when it raises.
    """
    received = await upload.receive(
        body, content_type, settings.tmp_dir, settings.max_upload_bytes, settings.max_upload_parts
    )
    try:
        if name is None:
            name = received.fields.get("name") or None
        with disk_full_as_unavailable():
            # ingest_parts removes its own partial output when it raises.
            table = await anyio.to_thread.run_sync(ingest_parts, received.parts, settings.tmp_dir)

        def store() -> DatasetRow:
            with disk_full_as_unavailable():
                stored = datasets.add_dataset(
                    session, settings, table, owner_id=owner_id, digest=received.sha256, name=name
                )
            # Commit here, off the event loop: a write that waits for SQLite's lock while
            # blocking the loop would starve the request holding it ("database is locked").
            session.commit()
            return stored

        try:
            return await anyio.to_thread.run_sync(store)
        finally:
            table.path.unlink(missing_ok=True)
    finally:
        received.discard()
