"""Routes of the `jobs` tag for time series (extended tier, reference §2.6 and §3.9)."""

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
from avatars_server.api.views import jobs as views
from avatars_server.api.views import time_series as time_series_views
from avatars_server.jobs import validation
from avatars_server.jobs.submit import submit_job
from avatars_server.schemas.common import JOB_CREATE_ERRORS, JOB_GET_ERRORS, error_responses
from avatars_server.schemas.jobs import (
    JobKind,
)
from avatars_server.schemas.time_series import (
    AvatarizationWithTimeSeriesJob,
    AvatarizationWithTimeSeriesJobCreate,
    PrivacyMetricsWithTimeSeriesJob,
    PrivacyMetricsWithTimeSeriesJobCreate,
    SignalMetricsWithTimeSeriesJob,
    SignalMetricsWithTimeSeriesJobCreate,
)

router = APIRouter(tags=["jobs"], responses=error_responses(401))


@router.post(
    "/jobs/avatarization_with_time_series",
    operation_id="create_avatarization_with_time_series_job",
    response_model=AvatarizationWithTimeSeriesJob,
    status_code=status.HTTP_201_CREATED,
    responses=JOB_CREATE_ERRORS,
)
def create_avatarization_with_time_series_job(
    request: AvatarizationWithTimeSeriesJobCreate,
    base_url: PublicBaseUrl,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    runner: RunnerDep,
    access: AccessDep,
) -> AvatarizationWithTimeSeriesJob:
    """Avatarize individuals (an optional vanilla table) together with their time series."""
    validation.check_kind(
        request.kind,
        JobKind.avatarization_with_time_series,
        "POST /jobs/avatarization_with_time_series",
    )
    validation.check_avatarization_time_series(session, settings, user.id, request.parameters)
    row = submit_job(
        session, runner, user.id, JobKind.avatarization_with_time_series, request.parameters
    )
    access.job_created(row)
    return time_series_views.avatarization_time_series_job(session, row, base_url)


@router.get(
    "/jobs/avatarization_with_time_series/{id}",
    operation_id="get_avatarization_time_series_job",
    response_model=AvatarizationWithTimeSeriesJob,
    responses=JOB_GET_ERRORS,
)
def get_avatarization_time_series_job(
    id: uuid.UUID, base_url: PublicBaseUrl, user: CurrentUser, session: SessionDep
) -> AvatarizationWithTimeSeriesJob:
    row = views.owned_job(session, id, user.id, JobKind.avatarization_with_time_series)
    return time_series_views.avatarization_time_series_job(session, row, base_url)


@router.post(
    "/jobs/metrics/privacy_time_series",
    operation_id="create_privacy_metrics_time_series_job",
    response_model=PrivacyMetricsWithTimeSeriesJob,
    status_code=status.HTTP_201_CREATED,
    responses=JOB_CREATE_ERRORS,
)
def create_privacy_metrics_time_series_job(
    request: PrivacyMetricsWithTimeSeriesJobCreate,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    runner: RunnerDep,
    access: AccessDep,
) -> PrivacyMetricsWithTimeSeriesJob:
    """Privacy metrics of a vanilla pair and of each series pair (row-aligned avatars)."""
    validation.check_kind(
        request.kind,
        JobKind.privacy_metrics_with_time_series,
        "POST /jobs/metrics/privacy_time_series",
    )
    validation.check_privacy_time_series(session, settings, user.id, request.parameters)
    row = submit_job(
        session, runner, user.id, JobKind.privacy_metrics_with_time_series, request.parameters
    )
    access.job_created(row)
    return time_series_views.privacy_time_series_job(row)


@router.get(
    "/jobs/{id}/metrics/privacy_time_series",
    operation_id="get_privacy_metrics_time_series_job",
    response_model=PrivacyMetricsWithTimeSeriesJob,
    responses=JOB_GET_ERRORS,
)
def get_privacy_metrics_time_series_job(
    id: uuid.UUID, user: CurrentUser, session: SessionDep
) -> PrivacyMetricsWithTimeSeriesJob:
    row = views.owned_job(session, id, user.id, JobKind.privacy_metrics_with_time_series)
    return time_series_views.privacy_time_series_job(row)


@router.post(
    "/jobs/metrics/signal_time_series",
    operation_id="create_signal_metrics_time_series_job",
    response_model=SignalMetricsWithTimeSeriesJob,
    status_code=status.HTTP_201_CREATED,
    responses=JOB_CREATE_ERRORS,
)
def create_signal_metrics_time_series_job(
    request: SignalMetricsWithTimeSeriesJobCreate,
    user: CurrentUser,
    session: SessionDep,
    runner: RunnerDep,
    access: AccessDep,
) -> SignalMetricsWithTimeSeriesJob:
    """Pointwise and density Hellinger of each series pair, signal metrics of the vanilla."""
    validation.check_kind(
        request.kind,
        JobKind.signal_metrics_with_time_series,
        "POST /jobs/metrics/signal_time_series",
    )
    validation.check_signal_time_series(session, user.id, request.parameters)
    row = submit_job(
        session, runner, user.id, JobKind.signal_metrics_with_time_series, request.parameters
    )
    access.job_created(row)
    return time_series_views.signal_time_series_job(row)


@router.get(
    "/jobs/{id}/metrics/signal_time_series",
    operation_id="get_signal_metrics_time_series_job",
    response_model=SignalMetricsWithTimeSeriesJob,
    responses=JOB_GET_ERRORS,
)
def get_signal_metrics_time_series_job(
    id: uuid.UUID, user: CurrentUser, session: SessionDep
) -> SignalMetricsWithTimeSeriesJob:
    row = views.owned_job(session, id, user.id, JobKind.signal_metrics_with_time_series)
    return time_series_views.signal_time_series_job(row)
