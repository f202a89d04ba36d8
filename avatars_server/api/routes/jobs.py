"""Routes of the `jobs` tag (core tier): create, read, list and cancel jobs."""

from __future__ import annotations

import logging
import math
import uuid
from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response, status
from pydantic import BaseModel
from sqlalchemy.orm import Session

from avatars_server.api.access import AccessDep, AccessRecorder, Operation
from avatars_server.api.deps import CurrentUser, RunnerDep, SessionDep, SettingsDep
from avatars_server.api.paging import PageDep, paginate
from avatars_server.api.routes.datasets import public_base_url
from avatars_server.errors import UnavailableError
from avatars_server.jobs import repository, validation, views
from avatars_server.jobs.runner import JobRunner
from avatars_server.schemas.common import error_responses
from avatars_server.schemas.jobs import (
    AvatarizationJob,
    AvatarizationJobCreate,
    GenericJob,
    JobKind,
    PrivacyMetricsJob,
    PrivacyMetricsJobCreate,
    SignalMetricsJob,
    SignalMetricsJobCreate,
)
from avatars_server.storage.tables import JobRow, UserRow, utcnow

logger = logging.getLogger(__name__)

router = APIRouter(tags=["jobs"], responses=error_responses(401))

_MAX_DAYS = 100 * 366
_CREATE_ERRORS = error_responses(404, 503)
_GET_ERRORS = error_responses(404)


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


def _create(
    session: Session,
    runner: JobRunner,
    user: UserRow,
    kind: JobKind,
    parameters: BaseModel,
    access: AccessRecorder,
    *,
    with_metrics: bool = False,
) -> JobRow:
    """Record the job as pending (and in the access log), commit, then queue it (a worker must
    find the row)."""
    row = repository.create_job(
        session,
        owner_id=user.id,
        kind=kind.value,
        parameters=_finite(parameters.model_dump(mode="json")),
        runner_id=runner.runner_id,
        with_metrics=with_metrics,
    )
    access(Operation.create_job, job_id=row.id, dataset_id=_source_dataset(parameters))
    session.commit()
    try:
        runner.submit(row.id)
    except Exception as exc:
        logger.exception("Could not queue job %s", row.id)
        repository.finish(
            session,
            row.id,
            status="failure",
            error_message="The job could not be queued: the job runner is unavailable.",
            from_statuses=repository.ACTIVE,
        )
        session.commit()
        raise UnavailableError(
            "The job runner is unavailable, so the job could not be queued. Try again later or "
            "contact the administrator."
        ) from exc
    return row


def _source_dataset(parameters: BaseModel) -> uuid.UUID | None:
    """The dataset a job reads (its original), for the access log."""
    for name in ("dataset_id", "original_id"):
        value = getattr(parameters, name, None)
        if isinstance(value, uuid.UUID):
            return value
    return None


@router.get(
    "/jobs",
    operation_id="find_all_jobs_by_user",
    response_model=list[GenericJob],
)
def find_all_jobs_by_user(
    user: CurrentUser,
    session: SessionDep,
    http: Request,
    response: Response,
    page: PageDep,
    nb_days: Annotated[int, Query(ge=1, description="Jobs created in the last nb_days days")] = 5,
) -> list[GenericJob]:
    """The caller's jobs of every kind created in the last `nb_days` days, newest first."""
    # Any larger window reaches back before the first job; it also keeps timedelta in range.
    since = utcnow() - timedelta(days=min(nb_days, _MAX_DAYS))
    rows = repository.list_jobs(session, user.id, since, limit=page.fetch, offset=page.offset)
    return [views.generic_job(row) for row in paginate(rows, page, http, response)]


@router.post(
    "/jobs",
    operation_id="create_full_avatarization_job",
    response_model=AvatarizationJob,
    status_code=status.HTTP_201_CREATED,
    responses=_CREATE_ERRORS,
)
def create_full_avatarization_job(
    request: AvatarizationJobCreate,
    http: Request,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    runner: RunnerDep,
    access: AccessDep,
) -> AvatarizationJob:
    """Avatarize a dataset, then compute its privacy and signal metrics, in one job."""
    validation.check_kind(request.kind, JobKind.avatarization, "POST /jobs")
    validation.check_avatarization(session, settings, user.id, request.parameters)
    row = _create(
        session, runner, user, JobKind.avatarization, request.parameters, access, with_metrics=True
    )
    return views.avatarization_job(session, row, public_base_url(http))


@router.post(
    "/jobs/{id}/cancel",
    operation_id="cancel_job",
    response_model=GenericJob,
    responses=_GET_ERRORS,
)
def cancel_job(
    id: uuid.UUID, user: CurrentUser, session: SessionDep, runner: RunnerDep
) -> GenericJob:
    """Stop a pending or running job (status `killed`); a finished job is returned unchanged."""
    row = repository.get_owned_job(session, id, user.id)
    if repository.cancel_job(session, id):
        session.commit()
        # Jobs queued by a sibling server process stop by themselves when they see the status.
        runner.cancel(id)
        session.refresh(row)
    return views.generic_job(row)


@router.post(
    "/jobs/avatarization",
    operation_id="create_avatarization_job",
    response_model=AvatarizationJob,
    status_code=status.HTTP_201_CREATED,
    responses=_CREATE_ERRORS,
)
def create_avatarization_job(
    request: AvatarizationJobCreate,
    http: Request,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    runner: RunnerDep,
    access: AccessDep,
) -> AvatarizationJob:
    """Avatarize a dataset (no metrics)."""
    validation.check_kind(request.kind, JobKind.avatarization, "POST /jobs/avatarization")
    validation.check_avatarization(session, settings, user.id, request.parameters)
    row = _create(session, runner, user, JobKind.avatarization, request.parameters, access)
    return views.avatarization_job(session, row, public_base_url(http))


@router.get(
    "/jobs/avatarization/{id}",
    operation_id="get_avatarization_job",
    response_model=AvatarizationJob,
    responses=_GET_ERRORS,
)
def get_avatarization_job(
    id: uuid.UUID, http: Request, user: CurrentUser, session: SessionDep
) -> AvatarizationJob:
    row = repository.get_owned_job(session, id, user.id)
    views.check_kind(row, JobKind.avatarization.value)
    return views.avatarization_job(session, row, public_base_url(http))


@router.post(
    "/jobs/metrics/privacy",
    operation_id="create_privacy_metrics_job",
    response_model=PrivacyMetricsJob,
    status_code=status.HTTP_201_CREATED,
    responses=_CREATE_ERRORS,
)
def create_privacy_metrics_job(
    request: PrivacyMetricsJobCreate,
    user: CurrentUser,
    session: SessionDep,
    runner: RunnerDep,
    access: AccessDep,
) -> PrivacyMetricsJob:
    """Privacy metrics of row-aligned (unshuffled) avatars against their original."""
    validation.check_kind(request.kind, JobKind.privacy_metrics, "POST /jobs/metrics/privacy")
    validation.check_privacy(session, user.id, request.parameters)
    row = _create(session, runner, user, JobKind.privacy_metrics, request.parameters, access)
    return views.privacy_job(row)


@router.get(
    "/jobs/{id}/metrics/privacy",
    operation_id="get_privacy_metrics",
    response_model=PrivacyMetricsJob,
    responses=_GET_ERRORS,
)
def get_privacy_metrics(id: uuid.UUID, user: CurrentUser, session: SessionDep) -> PrivacyMetricsJob:
    row = repository.get_owned_job(session, id, user.id)
    views.check_kind(row, JobKind.privacy_metrics.value)
    return views.privacy_job(row)


@router.post(
    "/jobs/metrics/signal",
    operation_id="create_signal_metrics_job",
    response_model=SignalMetricsJob,
    status_code=status.HTTP_201_CREATED,
    responses=_CREATE_ERRORS,
)
def create_signal_metrics_job(
    request: SignalMetricsJobCreate,
    user: CurrentUser,
    session: SessionDep,
    runner: RunnerDep,
    access: AccessDep,
) -> SignalMetricsJob:
    """Signal (utility) metrics of avatars, in any row order, against their original."""
    validation.check_kind(request.kind, JobKind.signal_metrics, "POST /jobs/metrics/signal")
    validation.check_signal(session, user.id, request.parameters)
    row = _create(session, runner, user, JobKind.signal_metrics, request.parameters, access)
    return views.signal_job(row)


@router.get(
    "/jobs/{id}/metrics/signal",
    operation_id="get_signal_metrics",
    response_model=SignalMetricsJob,
    responses=_GET_ERRORS,
)
def get_signal_metrics(id: uuid.UUID, user: CurrentUser, session: SessionDep) -> SignalMetricsJob:
    row = repository.get_owned_job(session, id, user.id)
    views.check_kind(row, JobKind.signal_metrics.value)
    return views.signal_job(row)
