"""Routes of the `jobs` tag (core tier): create, read, list and cancel jobs."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status

from avatars_server.api.access import AccessDep
from avatars_server.api.deps import (
    CurrentUser,
    PublicBaseUrl,
    RunnerDep,
    SessionDep,
    SettingsDep,
)
from avatars_server.api.paging import PageDep, paginate
from avatars_server.api.views import jobs as views
from avatars_server.jobs import validation
from avatars_server.jobs.submit import submit_job
from avatars_server.schemas.common import JOB_CREATE_ERRORS, JOB_GET_ERRORS, error_responses
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
from avatars_server.storage import jobs
from avatars_server.storage.tables import utcnow

router = APIRouter(tags=["jobs"], responses=error_responses(401))

_MAX_DAYS = 100 * 366


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
    rows = jobs.list_jobs(session, user.id, since, limit=page.fetch, offset=page.offset)
    return [views.generic_job(row) for row in paginate(rows, page, http, response)]


@router.post(
    "/jobs",
    operation_id="create_full_avatarization_job",
    response_model=AvatarizationJob,
    status_code=status.HTTP_201_CREATED,
    responses=JOB_CREATE_ERRORS,
)
def create_full_avatarization_job(
    request: AvatarizationJobCreate,
    base_url: PublicBaseUrl,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    runner: RunnerDep,
    access: AccessDep,
) -> AvatarizationJob:
    """Avatarize a dataset, then compute its privacy and signal metrics, in one job."""
    validation.check_kind(request.kind, JobKind.avatarization, "POST /jobs")
    validation.check_avatarization(session, settings, user.id, request.parameters)
    row = submit_job(
        session, runner, user.id, JobKind.avatarization, request.parameters, with_metrics=True
    )
    access.job_created(row)
    return views.avatarization_job(session, row, base_url)


@router.post(
    "/jobs/{id}/cancel",
    operation_id="cancel_job",
    response_model=GenericJob,
    responses=JOB_GET_ERRORS,
)
def cancel_job(
    id: uuid.UUID, user: CurrentUser, session: SessionDep, runner: RunnerDep
) -> GenericJob:
    """Stop a pending or running job (status `killed`); a finished job is returned unchanged."""
    row = jobs.get_owned_job(session, id, user.id)
    if jobs.cancel_job(session, id):
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
    responses=JOB_CREATE_ERRORS,
)
def create_avatarization_job(
    request: AvatarizationJobCreate,
    base_url: PublicBaseUrl,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    runner: RunnerDep,
    access: AccessDep,
) -> AvatarizationJob:
    """Avatarize a dataset (no metrics)."""
    validation.check_kind(request.kind, JobKind.avatarization, "POST /jobs/avatarization")
    validation.check_avatarization(session, settings, user.id, request.parameters)
    row = submit_job(session, runner, user.id, JobKind.avatarization, request.parameters)
    access.job_created(row)
    return views.avatarization_job(session, row, base_url)


@router.get(
    "/jobs/avatarization/{id}",
    operation_id="get_avatarization_job",
    response_model=AvatarizationJob,
    responses=JOB_GET_ERRORS,
)
def get_avatarization_job(
    id: uuid.UUID, user: CurrentUser, session: SessionDep, base_url: PublicBaseUrl
) -> AvatarizationJob:
    row = views.owned_job(session, id, user.id, JobKind.avatarization)
    return views.avatarization_job(session, row, base_url)


@router.post(
    "/jobs/metrics/privacy",
    operation_id="create_privacy_metrics_job",
    response_model=PrivacyMetricsJob,
    status_code=status.HTTP_201_CREATED,
    responses=JOB_CREATE_ERRORS,
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
    row = submit_job(session, runner, user.id, JobKind.privacy_metrics, request.parameters)
    access.job_created(row)
    return views.privacy_job(row)


@router.get(
    "/jobs/{id}/metrics/privacy",
    operation_id="get_privacy_metrics",
    response_model=PrivacyMetricsJob,
    responses=JOB_GET_ERRORS,
)
def get_privacy_metrics(id: uuid.UUID, user: CurrentUser, session: SessionDep) -> PrivacyMetricsJob:
    row = views.owned_job(session, id, user.id, JobKind.privacy_metrics)
    return views.privacy_job(row)


@router.post(
    "/jobs/metrics/signal",
    operation_id="create_signal_metrics_job",
    response_model=SignalMetricsJob,
    status_code=status.HTTP_201_CREATED,
    responses=JOB_CREATE_ERRORS,
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
    row = submit_job(session, runner, user.id, JobKind.signal_metrics, request.parameters)
    access.job_created(row)
    return views.signal_job(row)


@router.get(
    "/jobs/{id}/metrics/signal",
    operation_id="get_signal_metrics",
    response_model=SignalMetricsJob,
    responses=JOB_GET_ERRORS,
)
def get_signal_metrics(id: uuid.UUID, user: CurrentUser, session: SessionDep) -> SignalMetricsJob:
    row = views.owned_job(session, id, user.id, JobKind.signal_metrics)
    return views.signal_job(row)
