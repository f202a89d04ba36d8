"""Creating a job: record it as pending, commit, then hand it to the runner."""

from __future__ import annotations

import logging
import math
import uuid
from typing import Any

from pydantic import BaseModel
from sqlalchemy.orm import Session

from avatars_server.errors import UnavailableError
from avatars_server.jobs.runner import JobRunner
from avatars_server.schemas.jobs import JobKind
from avatars_server.storage import jobs
from avatars_server.storage.tables import JobRow

logger = logging.getLogger(__name__)


def submit_job(
    session: Session,
    runner: JobRunner,
    owner_id: uuid.UUID,
    kind: JobKind,
    parameters: BaseModel,
    *,
    with_metrics: bool = False,
) -> JobRow:
    """Record the job as pending, commit, then queue it (a worker must find the row).

    Raises:
        UnavailableError: the runner refused the job; the job is recorded as failed.
    """
    row = jobs.create_job(
        session,
        owner_id=owner_id,
        kind=kind.value,
        parameters=_finite(parameters.model_dump(mode="json")),
        runner_id=runner.runner_id,
        with_metrics=with_metrics,
    )
    session.commit()
    try:
        runner.submit(row.id, kind.value)
    except Exception as exc:
        logger.exception("Could not queue job %s", row.id)
        jobs.finish(
            session,
            row.id,
            status="failure",
            error_message="The job could not be queued: the job runner is unavailable.",
            from_statuses=jobs.ACTIVE,
        )
        session.commit()
        raise UnavailableError(
            "The job runner is unavailable, so the job could not be queued. Try again later or "
            "contact the administrator."
        ) from exc
    return row


def _finite(value: Any) -> Any:
    """`value` with NaN and infinities (accepted by the JSON parser in extra keys) as null, so
    that echoing the parameters never produces invalid JSON."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_finite(item) for item in value]
    return value
