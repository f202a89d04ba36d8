"""Report repository: rows in the database, files under ``<data_dir>/reports/<id>/``."""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from pathlib import Path
from typing import Literal

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from avatars_server import errors
from avatars_server.config import Settings
from avatars_server.storage.files import fsync_path
from avatars_server.storage.tables import ReportRow, utcnow

ReportFile = Literal["json", "pdf", "html"]
_FILE_NAMES: dict[str, str] = {"json": "report.json", "pdf": "report.pdf", "html": "report.html"}


def get_owned_report(session: Session, report_id: uuid.UUID, owner_id: uuid.UUID) -> ReportRow:
    """The report if it belongs to `owner_id`.

    Raises:
        NotFoundError: unknown id or someone else's report (existence is not revealed).
    """
    row = session.get(ReportRow, report_id)
    if row is None or row.owner_id != owner_id:
        raise errors.NotFoundError(
            f"No report with id {report_id}. Check the id (reports are visible to their owner); "
            "create one with POST /reports."
        )
    return row


def find_by_request(session: Session, request_key: str) -> ReportRow | None:
    """The report made by an identical earlier request, if any."""
    found: ReportRow | None = session.scalar(
        select(ReportRow).where(ReportRow.request_key == request_key)
    )
    return found


def create_report(session: Session, row: ReportRow) -> ReportRow:
    """Insert `row`; when an identical request won the race, return that one instead.

    The insert runs in a savepoint so that losing the race leaves the session usable.
    """
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        existing = find_by_request(session, row.request_key)
        if existing is None:
            raise
        return existing
    return row


def mark_rendering(session: Session, report_id: uuid.UUID) -> None:
    """(Re)start rendering: status pending, since now."""
    session.execute(
        update(ReportRow)
        .where(ReportRow.id == report_id)
        .values(status="pending", error_message=None, rendering_since=utcnow(), finished_at=None)
        .execution_options(synchronize_session=False)
    )


def finish_rendering(
    session: Session, report_id: uuid.UUID, *, status: str, error_message: str | None = None
) -> None:
    """Record the end of rendering (success or failure)."""
    session.execute(
        update(ReportRow)
        .where(ReportRow.id == report_id)
        .values(status=status, error_message=error_message, finished_at=utcnow())
        .execution_options(synchronize_session=False)
    )


def report_dir(settings: Settings, report_id: uuid.UUID) -> Path:
    return settings.data_dir / "reports" / str(report_id)


def report_file(settings: Settings, report_id: uuid.UUID, kind: ReportFile) -> Path:
    """Where the report's JSON, PDF or HTML file lives (it may not exist yet)."""
    return report_dir(settings, report_id) / _FILE_NAMES[kind]


def write_report_file(
    settings: Settings, report_id: uuid.UUID, kind: ReportFile, data: bytes
) -> Path:
    """Write one of the report's files durably (temporary name, flush, rename)."""
    target = report_file(settings, report_id, kind)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    tmp = Path(name)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        fsync_path(tmp)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target


def remove_report_files(settings: Settings, report_id: uuid.UUID) -> None:
    """Delete a report's files (a report that lost the race to an identical request)."""
    shutil.rmtree(report_dir(settings, report_id), ignore_errors=True)
