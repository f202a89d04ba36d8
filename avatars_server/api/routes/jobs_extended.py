"""Routes of the `jobs` tag for geolocation privacy and multi-table jobs (extended tier, #17)."""

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
from avatars_server.jobs import validation
from avatars_server.jobs.submit import submit_job
from avatars_server.schemas.common import JOB_CREATE_ERRORS, JOB_GET_ERRORS, error_responses
from avatars_server.schemas.geolocation import (
    PrivacyMetricsGeolocationJob,
    PrivacyMetricsGeolocationJobCreate,
)
from avatars_server.schemas.jobs import (
    JobKind,
)
from avatars_server.schemas.multitable import (
    AvatarizationMultiTableJob,
    AvatarizationMultiTableJobCreate,
    PrivacyMetricsMultiTableJob,
    PrivacyMetricsMultiTableJobCreate,
)

router = APIRouter(tags=["jobs"], responses=error_responses(401))


@router.post(
    "/jobs/metrics/privacy_geolocation",
    operation_id="create_privacy_metrics_geolocation_job",
    response_model=PrivacyMetricsGeolocationJob,
    status_code=status.HTTP_201_CREATED,
    responses=JOB_CREATE_ERRORS,
)
def create_privacy_metrics_geolocation_job(
    request: PrivacyMetricsGeolocationJobCreate,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    runner: RunnerDep,
    access: AccessDep,
) -> PrivacyMetricsGeolocationJob:
    """Privacy metrics of treated trajectories against the originals, per attack scenario."""
    validation.check_kind(
        request.kind, JobKind.privacy_metrics_geolocation, "POST /jobs/metrics/privacy_geolocation"
    )
    validation.check_geolocation(session, settings, user.id, request.parameters)
    row = submit_job(
        session, runner, user.id, JobKind.privacy_metrics_geolocation, request.parameters
    )
    access.job_created(row)
    return views.geolocation_job(row)


@router.get(
    "/jobs/{id}/metrics/privacy_geolocation",
    operation_id="get_privacy_metrics_geolocation_job",
    response_model=PrivacyMetricsGeolocationJob,
    responses=JOB_GET_ERRORS,
)
def get_privacy_metrics_geolocation_job(
    id: uuid.UUID, user: CurrentUser, session: SessionDep
) -> PrivacyMetricsGeolocationJob:
    row = views.owned_job(session, id, user.id, JobKind.privacy_metrics_geolocation)
    return views.geolocation_job(row)


@router.post(
    "/jobs/avatarization_multi_table",
    operation_id="create_avatarization_multi_table_job",
    response_model=AvatarizationMultiTableJob,
    status_code=status.HTTP_201_CREATED,
    responses=JOB_CREATE_ERRORS,
)
def create_avatarization_multi_table_job(
    request: AvatarizationMultiTableJobCreate,
    base_url: PublicBaseUrl,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    runner: RunnerDep,
    access: AccessDep,
) -> AvatarizationMultiTableJob:
    """Avatarize linked tables, each with its own parameters, and rebuild the links."""
    validation.check_kind(
        request.kind, JobKind.avatarization_multi_table, "POST /jobs/avatarization_multi_table"
    )
    validation.check_multi_table_avatarization(session, settings, user.id, request.parameters)
    row = submit_job(
        session, runner, user.id, JobKind.avatarization_multi_table, request.parameters
    )
    access.job_created(row)
    return views.multi_table_job(session, row, base_url)


@router.get(
    "/jobs/avatarization_multi_table/{id}",
    operation_id="get_avatarization_multi_table_job",
    response_model=AvatarizationMultiTableJob,
    responses=JOB_GET_ERRORS,
)
def get_avatarization_multi_table_job(
    id: uuid.UUID, user: CurrentUser, session: SessionDep, base_url: PublicBaseUrl
) -> AvatarizationMultiTableJob:
    row = views.owned_job(session, id, user.id, JobKind.avatarization_multi_table)
    return views.multi_table_job(session, row, base_url)


@router.post(
    "/jobs/metrics/privacy_multi_table",
    operation_id="create_privacy_metrics_multi_table_job",
    response_model=PrivacyMetricsMultiTableJob,
    status_code=status.HTTP_201_CREATED,
    responses=JOB_CREATE_ERRORS,
)
def create_privacy_metrics_multi_table_job(
    request: PrivacyMetricsMultiTableJobCreate,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    runner: RunnerDep,
    access: AccessDep,
) -> PrivacyMetricsMultiTableJob:
    """Privacy metrics of linked avatar tables, per table and computation type."""
    validation.check_kind(
        request.kind, JobKind.privacy_metrics_multi_table, "POST /jobs/metrics/privacy_multi_table"
    )
    validation.check_multi_table_privacy(session, settings, user.id, request.parameters)
    row = submit_job(
        session, runner, user.id, JobKind.privacy_metrics_multi_table, request.parameters
    )
    access.job_created(row)
    return views.multi_table_privacy_job(row)


@router.get(
    "/jobs/{id}/metrics/privacy_multi_table",
    operation_id="get_privacy_metrics_multi_table_job",
    response_model=PrivacyMetricsMultiTableJob,
    responses=JOB_GET_ERRORS,
)
def get_privacy_metrics_multi_table_job(
    id: uuid.UUID, user: CurrentUser, session: SessionDep
) -> PrivacyMetricsMultiTableJob:
    row = views.owned_job(session, id, user.id, JobKind.privacy_metrics_multi_table)
    return views.multi_table_privacy_job(row)
