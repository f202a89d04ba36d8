"""The access log: who downloaded which dataset or report, and who started which job, when.

A record names the user, the operation, the dataset / report / job ids, the time, the request
id and the client address, never any value of the data itself.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from avatars_server.storage.tables import AccessLogRow, UserRow, utcnow


class Operation(StrEnum):
    """What was done; the values are stored."""

    download_dataset = "download_dataset"
    download_report = "download_report"
    create_job = "create_job"


def record_access(
    session: Session,
    *,
    user_id: uuid.UUID,
    operation: Operation | str,
    request_id: str | None,
    dataset_id: uuid.UUID | None = None,
    report_id: uuid.UUID | None = None,
    job_id: uuid.UUID | None = None,
    client_address: str | None = None,
    at: datetime | None = None,
) -> AccessLogRow:
    """Add one record to the session (it is committed with the request's other changes).

    Args:
        user_id: who did it.
        operation: what (`Operation`, e.g. `Operation.download_report`).
        request_id: the request's `X-Request-ID` (`request.state.request_id`).
        dataset_id, report_id, job_id: what it was done on (any that apply).
        client_address: the client's address, if known.
        at: when; now by default.
    """
    row = AccessLogRow(
        at=at or utcnow(),
        user_id=user_id,
        operation=str(operation),
        dataset_id=dataset_id,
        report_id=report_id,
        job_id=job_id,
        request_id=request_id,
        client_address=client_address,
    )
    session.add(row)
    session.flush()
    return row


@dataclass(frozen=True)
class AccessRecord:
    """A record with its user's name, as the `access-log` command shows it."""

    at: datetime
    user_id: uuid.UUID
    username: str | None
    operation: str
    dataset_id: uuid.UUID | None
    report_id: uuid.UUID | None
    job_id: uuid.UUID | None
    request_id: str | None
    client_address: str | None


def find_access(
    session: Session,
    *,
    user_id: uuid.UUID | None = None,
    dataset_id: uuid.UUID | None = None,
    since: datetime | None = None,
    limit: int | None = None,
) -> Sequence[AccessRecord]:
    """Records matching every filter given, oldest first."""
    name = UserRow.username
    query = select(AccessLogRow, name, UserRow.email).outerjoin(
        UserRow, UserRow.id == AccessLogRow.user_id
    )
    if user_id is not None:
        query = query.where(AccessLogRow.user_id == user_id)
    if dataset_id is not None:
        query = query.where(AccessLogRow.dataset_id == dataset_id)
    if since is not None:
        query = query.where(AccessLogRow.at >= since)
    query = query.order_by(AccessLogRow.at, AccessLogRow.id)
    if limit is not None:
        query = query.limit(limit)
    return [
        AccessRecord(
            at=_utc(row.at),
            user_id=row.user_id,
            username=username or email,
            operation=row.operation,
            dataset_id=row.dataset_id,
            report_id=row.report_id,
            job_id=row.job_id,
            request_id=row.request_id,
            client_address=row.client_address,
        )
        for row, username, email in session.execute(query)
    ]


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
