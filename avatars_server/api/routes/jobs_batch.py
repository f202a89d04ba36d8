"""Routes of the `jobs` tag for batch jobs (extended tier, method-extended §1)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from avatars_server.api.access import AccessDep
from avatars_server.api.deps import (
    CurrentUser,
    PublicBaseUrl,
    RunnerDep,
    SessionDep,
    SettingsDep,
)
from avatars_server.api.views import batch as batch_views
from avatars_server.api.views import jobs as views
from avatars_server.jobs import validation
from avatars_server.jobs.submit import submit_job
from avatars_server.schemas.batch import (
    AvatarizationBatchJob,
    AvatarizationBatchJobCreate,
    PrivacyMetricsBatchJob,
    PrivacyMetricsBatchJobCreate,
    SignalMetricsBatchJob,
    SignalMetricsBatchJobCreate,
)
from avatars_server.schemas.common import JOB_CREATE_ERRORS, JOB_GET_ERRORS, error_responses
from avatars_server.schemas.jobs import (
    JobKind,
)

router = APIRouter(tags=["jobs"], responses=error_responses(401))


@router.post(
    "/jobs/avatarization_batch",
    operation_id="create_avatarization_batch_job",
    response_model=AvatarizationBatchJob,
    status_code=status.HTTP_201_CREATED,
    responses=JOB_CREATE_ERRORS,
)
def create_avatarization_batch_job(
    request: AvatarizationBatchJobCreate,
    base_url: PublicBaseUrl,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    runner: RunnerDep,
    access: AccessDep,
) -> AvatarizationBatchJob:
    """Avatarize a table split in batches: fitted on the training batch, one task per batch."""
    validation.check_kind(
        request.kind, JobKind.avatarization_batch, "POST /jobs/avatarization_batch"
    )
    validation.check_avatarization_batch(session, settings, user.id, request.parameters)
    row = submit_job(session, runner, user.id, JobKind.avatarization_batch, request.parameters)
    access.job_created(row)
    return batch_views.avatarization_batch_job(session, row, base_url)


@router.get(
    "/jobs/avatarization_batch/{id}",
    operation_id="get_avatarization_batch_job",
    response_model=AvatarizationBatchJob,
    responses=JOB_GET_ERRORS,
)
def get_avatarization_batch_job(
    id: uuid.UUID, base_url: PublicBaseUrl, user: CurrentUser, session: SessionDep
) -> AvatarizationBatchJob:
    row = views.owned_job(session, id, user.id, JobKind.avatarization_batch)
    return batch_views.avatarization_batch_job(session, row, base_url)


@router.post(
    "/jobs/metrics/privacy_batch",
    operation_id="create_privacy_metrics_batch_job",
    response_model=PrivacyMetricsBatchJob,
    status_code=status.HTTP_201_CREATED,
    responses=JOB_CREATE_ERRORS,
)
def create_privacy_metrics_batch_job(
    request: PrivacyMetricsBatchJobCreate,
    user: CurrentUser,
    session: SessionDep,
    runner: RunnerDep,
    access: AccessDep,
) -> PrivacyMetricsBatchJob:
    """Privacy metrics of each batch's pair; the worst and the mean over batches."""
    validation.check_kind(
        request.kind, JobKind.privacy_metrics_batch, "POST /jobs/metrics/privacy_batch"
    )
    validation.check_privacy_batch(session, user.id, request.parameters)
    row = submit_job(session, runner, user.id, JobKind.privacy_metrics_batch, request.parameters)
    access.job_created(row)
    return batch_views.privacy_batch_job(row)


@router.get(
    "/jobs/{id}/metrics/privacy_batch",
    operation_id="get_privacy_metrics_batch_job",
    response_model=PrivacyMetricsBatchJob,
    responses=JOB_GET_ERRORS,
)
def get_privacy_metrics_batch_job(
    id: uuid.UUID, user: CurrentUser, session: SessionDep
) -> PrivacyMetricsBatchJob:
    row = views.owned_job(session, id, user.id, JobKind.privacy_metrics_batch)
    return batch_views.privacy_batch_job(row)


@router.post(
    "/jobs/metrics/signal_batch",
    operation_id="create_signal_metrics_batch_job",
    response_model=SignalMetricsBatchJob,
    status_code=status.HTTP_201_CREATED,
    responses=JOB_CREATE_ERRORS,
)
def create_signal_metrics_batch_job(
    request: SignalMetricsBatchJobCreate,
    user: CurrentUser,
    session: SessionDep,
    runner: RunnerDep,
    access: AccessDep,
) -> SignalMetricsBatchJob:
    """Signal metrics of each batch's pair and their mean over batches."""
    validation.check_kind(
        request.kind, JobKind.signal_metrics_batch, "POST /jobs/metrics/signal_batch"
    )
    validation.check_signal_batch(session, user.id, request.parameters)
    row = submit_job(session, runner, user.id, JobKind.signal_metrics_batch, request.parameters)
    access.job_created(row)
    return batch_views.signal_batch_job(row)


@router.get(
    "/jobs/{id}/metrics/signal_batch",
    operation_id="get_signal_metrics_batch_job",
    response_model=SignalMetricsBatchJob,
    responses=JOB_GET_ERRORS,
)
def get_signal_metrics_batch_job(
    id: uuid.UUID, user: CurrentUser, session: SessionDep
) -> SignalMetricsBatchJob:
    row = views.owned_job(session, id, user.id, JobKind.signal_metrics_batch)
    return batch_views.signal_batch_job(row)
