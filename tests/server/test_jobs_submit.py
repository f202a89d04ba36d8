"""Submitting a job: recorded as pending and committed before the runner sees it."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import cast

import pytest
from pydantic import BaseModel
from sqlalchemy.orm import Session

from avatars_server.errors import UnavailableError
from avatars_server.jobs.runner import JobRunner
from avatars_server.jobs.submit import submit_job
from avatars_server.schemas.jobs import JobKind
from avatars_server.storage import jobs


class _Parameters(BaseModel):
    k: int
    weights: list[float]


class _Runner:
    """The runner seam: records what it is given, or refuses it."""

    runner_id = "test-host:1:runner"

    def __init__(self, session: Session, *, refuse: bool = False) -> None:
        self.session = session
        self.refuse = refuse
        self.statuses: list[str | None] = []

    def submit(self, job_id: uuid.UUID, kind: str | None = None) -> None:
        self.statuses.append(jobs.current_status(self.session, job_id))
        if self.refuse:
            raise RuntimeError("the pool is gone")


def test_a_submitted_job_is_pending_with_finite_parameters(
    session: Session, owner_id: uuid.UUID
) -> None:
    runner = _Runner(session)
    parameters = _Parameters(k=3, weights=[1.0, float("nan"), float("inf")])
    row = submit_job(session, cast(JobRunner, runner), owner_id, JobKind.signal_metrics, parameters)
    assert runner.statuses == ["pending"]
    assert (row.kind, row.status, row.runner_id) == ("signal_metrics", "pending", runner.runner_id)
    assert row.parameters == {"k": 3, "weights": [1.0, None, None]}


def test_a_job_the_runner_refuses_is_recorded_failed_and_unavailable(
    session: Session, owner_id: uuid.UUID
) -> None:
    runner = _Runner(session, refuse=True)
    with pytest.raises(UnavailableError, match="could not be queued"):
        submit_job(
            session,
            cast(JobRunner, runner),
            owner_id,
            JobKind.avatarization,
            _Parameters(k=3, weights=[]),
        )
    assert runner.statuses == ["pending"]
    [row] = jobs.list_jobs(session, owner_id, since=datetime(2000, 1, 1, tzinfo=UTC))
    session.refresh(row)
    assert (row.status, row.error_message) == (
        "failure",
        "The job could not be queued: the job runner is unavailable.",
    )
