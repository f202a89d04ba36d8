"""Queries on job rows; every status change is a conditional UPDATE, so that concurrent writers
(the API cancelling, a worker finishing, a server recovering) never overwrite a final status."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from avatars_server.errors import NotFoundError
from avatars_server.storage.tables import JobRow, utcnow

ACTIVE = ("pending", "started")
INTERRUPTED_MESSAGE = "interrupted by a server restart"
CANCELLED_MESSAGE = "cancelled by user"
# A runner refreshes its jobs' heartbeat every few seconds; a job not refreshed for this long
# belongs to a server that is gone (another host, or a reused pid).
HEARTBEAT_STALE_AFTER = timedelta(seconds=60)


def new_runner_id() -> str:
    """Identity of one server process: host, pid, and a token against pid reuse."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def create_job(
    session: Session,
    *,
    owner_id: uuid.UUID,
    kind: str,
    parameters: dict[str, Any],
    runner_id: str,
    with_metrics: bool = False,
) -> JobRow:
    now = utcnow()
    row = JobRow(
        id=uuid.uuid4(),
        owner_id=owner_id,
        kind=kind,
        status="pending",
        parameters=parameters,
        created_at=now,
        runner_id=runner_id,
        heartbeat_at=now,
        with_metrics=with_metrics,
    )
    session.add(row)
    session.flush()
    return row


def get_job(session: Session, job_id: uuid.UUID) -> JobRow | None:
    """The job with this id, whoever owns it (for workers, which act for the owner)."""
    return session.get(JobRow, job_id)


def get_owned_job(session: Session, job_id: uuid.UUID, owner_id: uuid.UUID) -> JobRow:
    row = session.get(JobRow, job_id)
    if row is None or row.owner_id != owner_id:
        raise NotFoundError(
            f"No job with id {job_id}. Check the id (jobs are visible to their owner)."
        )
    return row


def list_jobs(
    session: Session,
    owner_id: uuid.UUID,
    since: datetime,
    *,
    limit: int | None = None,
    offset: int = 0,
) -> Sequence[JobRow]:
    query = (
        select(JobRow)
        .where(JobRow.owner_id == owner_id, JobRow.created_at >= since)
        .order_by(JobRow.created_at.desc(), JobRow.id)
        .offset(offset)
        .limit(limit)
    )
    return session.scalars(query).all()


def _set(session: Session, job_id: uuid.UUID, statuses: Sequence[str], **values: Any) -> bool:
    statement = (
        update(JobRow)
        .where(JobRow.id == job_id, JobRow.status.in_(statuses))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return bool(session.execute(statement).rowcount)  # type: ignore[attr-defined]


def cancel_job(session: Session, job_id: uuid.UUID) -> bool:
    """pending/started -> killed; False when the job had already finished."""
    return _set(
        session,
        job_id,
        ACTIVE,
        status="killed",
        error_message=CANCELLED_MESSAGE,
        finished_at=utcnow(),
    )


def mark_started(session: Session, job_id: uuid.UUID) -> bool:
    return _set(session, job_id, ("pending",), status="started", started_at=utcnow())


def report_progress(session: Session, job_id: uuid.UUID, name: str, rate: int) -> bool:
    """Record progress; False when the job is no longer running (cancelled, recovered)."""
    return _set(
        session,
        job_id,
        ("started",),
        progress_name=name[:64],
        progress_rate=rate,
        progress_at=utcnow(),
    )


def current_status(session: Session, job_id: uuid.UUID) -> str | None:
    status: str | None = session.scalar(select(JobRow.status).where(JobRow.id == job_id))
    return status


def statuses(session: Session, job_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, str]:
    rows = session.execute(select(JobRow.id, JobRow.status).where(JobRow.id.in_(job_ids)))
    return {job_id: status for job_id, status in rows}


def finish(
    session: Session,
    job_id: uuid.UUID,
    *,
    status: str,
    result: dict[str, Any] | None = None,
    error_message: str | None = None,
    from_statuses: Sequence[str] = ("started",),
) -> bool:
    values: dict[str, Any] = {"status": status, "finished_at": utcnow()}
    if status == "success":
        values.update(result=result, progress_rate=100, progress_at=utcnow())
    else:
        values["error_message"] = error_message
    return _set(session, job_id, from_statuses, **values)


def heartbeat(session: Session, runner_id: str) -> None:
    session.execute(
        update(JobRow)
        .where(JobRow.runner_id == runner_id, JobRow.status.in_(ACTIVE))
        .values(heartbeat_at=utcnow())
        .execution_options(synchronize_session=False)
    )


def fail_runner_jobs(session: Session, runner_id: str) -> int:
    """Fail the unfinished jobs of `runner_id` (its server is shutting down)."""
    result = session.execute(
        update(JobRow)
        .where(JobRow.runner_id == runner_id, JobRow.status.in_(ACTIVE))
        .values(status="failure", error_message=INTERRUPTED_MESSAGE, finished_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


def _runner_is_dead_here(runner_id: str | None, host: str) -> bool:
    """True when `runner_id` names a process of this host that no longer exists."""
    if not runner_id:
        return True
    parts = runner_id.rsplit(":", 2)
    if len(parts) != 3 or parts[0] != host:
        return False
    try:
        os.kill(int(parts[1]), 0)
    except ProcessLookupError:
        return True
    except (PermissionError, ValueError):
        return False
    return False


def recover_interrupted(session: Session, own_runner_id: str) -> list[uuid.UUID]:
    """Mark failed the unfinished jobs whose server process is gone.

    A job is orphaned when its runner is a dead process of this host, or when its heartbeat
    is stale. Jobs of live sibling processes (several uvicorn workers) are left alone.
    """
    host = socket.gethostname()
    stale_before = utcnow() - HEARTBEAT_STALE_AFTER
    rows = session.execute(
        select(JobRow.id, JobRow.runner_id, JobRow.heartbeat_at).where(JobRow.status.in_(ACTIVE))
    ).all()
    recovered: list[uuid.UUID] = []
    for job_id, runner_id, beat in rows:
        if runner_id == own_runner_id:
            continue
        stale = beat is None or _aware(beat) < stale_before
        if (stale or _runner_is_dead_here(runner_id, host)) and finish(
            session,
            job_id,
            status="failure",
            error_message=INTERRUPTED_MESSAGE,
            from_statuses=ACTIVE,
        ):
            recovered.append(job_id)
    return recovered


def _aware(value: datetime) -> datetime:
    # SQLite hands back naive datetimes even for timezone-aware columns; they are UTC.
    from datetime import UTC

    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
