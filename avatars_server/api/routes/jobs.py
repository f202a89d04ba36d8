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
from avatars_server.api.views import batch as batch_views
from avatars_server.api.views import jobs as views
from avatars_server.api.views import time_series as time_series_views
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
from avatars_server.schemas.common import error_responses
from avatars_server.schemas.geolocation import (
    PrivacyMetricsGeolocationJob,
    PrivacyMetricsGeolocationJobCreate,
)
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
from avatars_server.schemas.multitable import (
    AvatarizationMultiTableJob,
    AvatarizationMultiTableJobCreate,
    PrivacyMetricsMultiTableJob,
    PrivacyMetricsMultiTableJobCreate,
)
from avatars_server.schemas.time_series import (
    AvatarizationWithTimeSeriesJob,
    AvatarizationWithTimeSeriesJobCreate,
    PrivacyMetricsWithTimeSeriesJob,
    PrivacyMetricsWithTimeSeriesJobCreate,
    SignalMetricsWithTimeSeriesJob,
    SignalMetricsWithTimeSeriesJobCreate,
)
from avatars_server.storage import jobs
from avatars_server.storage.tables import utcnow

router = APIRouter(tags=["jobs"], responses=error_responses(401))

_MAX_DAYS = 100 * 366
_CREATE_ERRORS = error_responses(404, 503)
_GET_ERRORS = error_responses(404)


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
    responses=_CREATE_ERRORS,
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
    responses=_GET_ERRORS,
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
    responses=_CREATE_ERRORS,
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
    responses=_GET_ERRORS,
)
def get_avatarization_job(
    id: uuid.UUID, user: CurrentUser, session: SessionDep, base_url: PublicBaseUrl
) -> AvatarizationJob:
    row = jobs.get_owned_job(session, id, user.id)
    views.check_kind(row, JobKind.avatarization.value)
    return views.avatarization_job(session, row, base_url)


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
    row = submit_job(session, runner, user.id, JobKind.privacy_metrics, request.parameters)
    access.job_created(row)
    return views.privacy_job(row)


@router.get(
    "/jobs/{id}/metrics/privacy",
    operation_id="get_privacy_metrics",
    response_model=PrivacyMetricsJob,
    responses=_GET_ERRORS,
)
def get_privacy_metrics(id: uuid.UUID, user: CurrentUser, session: SessionDep) -> PrivacyMetricsJob:
    row = jobs.get_owned_job(session, id, user.id)
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
    row = submit_job(session, runner, user.id, JobKind.signal_metrics, request.parameters)
    access.job_created(row)
    return views.signal_job(row)


@router.get(
    "/jobs/{id}/metrics/signal",
    operation_id="get_signal_metrics",
    response_model=SignalMetricsJob,
    responses=_GET_ERRORS,
)
def get_signal_metrics(id: uuid.UUID, user: CurrentUser, session: SessionDep) -> SignalMetricsJob:
    row = jobs.get_owned_job(session, id, user.id)
    views.check_kind(row, JobKind.signal_metrics.value)
    return views.signal_job(row)


# -- Time series (extended tier, reference §2.6 and §3.9) ----------------------------------------


@router.post(
    "/jobs/avatarization_with_time_series",
    operation_id="create_avatarization_with_time_series_job",
    response_model=AvatarizationWithTimeSeriesJob,
    status_code=status.HTTP_201_CREATED,
    responses=_CREATE_ERRORS,
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
    responses=_GET_ERRORS,
)
def get_avatarization_time_series_job(
    id: uuid.UUID, base_url: PublicBaseUrl, user: CurrentUser, session: SessionDep
) -> AvatarizationWithTimeSeriesJob:
    row = jobs.get_owned_job(session, id, user.id)
    views.check_kind(row, JobKind.avatarization_with_time_series.value)
    return time_series_views.avatarization_time_series_job(session, row, base_url)


@router.post(
    "/jobs/metrics/privacy_time_series",
    operation_id="create_privacy_metrics_time_series_job",
    response_model=PrivacyMetricsWithTimeSeriesJob,
    status_code=status.HTTP_201_CREATED,
    responses=_CREATE_ERRORS,
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
    responses=_GET_ERRORS,
)
def get_privacy_metrics_time_series_job(
    id: uuid.UUID, user: CurrentUser, session: SessionDep
) -> PrivacyMetricsWithTimeSeriesJob:
    row = jobs.get_owned_job(session, id, user.id)
    views.check_kind(row, JobKind.privacy_metrics_with_time_series.value)
    return time_series_views.privacy_time_series_job(row)


@router.post(
    "/jobs/metrics/signal_time_series",
    operation_id="create_signal_metrics_time_series_job",
    response_model=SignalMetricsWithTimeSeriesJob,
    status_code=status.HTTP_201_CREATED,
    responses=_CREATE_ERRORS,
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
    responses=_GET_ERRORS,
)
def get_signal_metrics_time_series_job(
    id: uuid.UUID, user: CurrentUser, session: SessionDep
) -> SignalMetricsWithTimeSeriesJob:
    row = jobs.get_owned_job(session, id, user.id)
    views.check_kind(row, JobKind.signal_metrics_with_time_series.value)
    return time_series_views.signal_time_series_job(row)


# -- batch jobs (extended tier, method-extended §1) --------------------------------------------


@router.post(
    "/jobs/avatarization_batch",
    operation_id="create_avatarization_batch_job",
    response_model=AvatarizationBatchJob,
    status_code=status.HTTP_201_CREATED,
    responses=_CREATE_ERRORS,
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
    responses=_GET_ERRORS,
)
def get_avatarization_batch_job(
    id: uuid.UUID, base_url: PublicBaseUrl, user: CurrentUser, session: SessionDep
) -> AvatarizationBatchJob:
    row = jobs.get_owned_job(session, id, user.id)
    views.check_kind(row, JobKind.avatarization_batch.value)
    return batch_views.avatarization_batch_job(session, row, base_url)


@router.post(
    "/jobs/metrics/privacy_batch",
    operation_id="create_privacy_metrics_batch_job",
    response_model=PrivacyMetricsBatchJob,
    status_code=status.HTTP_201_CREATED,
    responses=_CREATE_ERRORS,
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
    responses=_GET_ERRORS,
)
def get_privacy_metrics_batch_job(
    id: uuid.UUID, user: CurrentUser, session: SessionDep
) -> PrivacyMetricsBatchJob:
    row = jobs.get_owned_job(session, id, user.id)
    views.check_kind(row, JobKind.privacy_metrics_batch.value)
    return batch_views.privacy_batch_job(row)


@router.post(
    "/jobs/metrics/signal_batch",
    operation_id="create_signal_metrics_batch_job",
    response_model=SignalMetricsBatchJob,
    status_code=status.HTTP_201_CREATED,
    responses=_CREATE_ERRORS,
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
    responses=_GET_ERRORS,
)
def get_signal_metrics_batch_job(
    id: uuid.UUID, user: CurrentUser, session: SessionDep
) -> SignalMetricsBatchJob:
    row = jobs.get_owned_job(session, id, user.id)
    views.check_kind(row, JobKind.signal_metrics_batch.value)
    return batch_views.signal_batch_job(row)


# --- extended tier: geolocation privacy and multi-table (issue #17) -------------------------------


@router.post(
    "/jobs/metrics/privacy_geolocation",
    operation_id="create_privacy_metrics_geolocation_job",
    response_model=PrivacyMetricsGeolocationJob,
    status_code=status.HTTP_201_CREATED,
    responses=_CREATE_ERRORS,
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
    responses=_GET_ERRORS,
)
def get_privacy_metrics_geolocation_job(
    id: uuid.UUID, user: CurrentUser, session: SessionDep
) -> PrivacyMetricsGeolocationJob:
    row = jobs.get_owned_job(session, id, user.id)
    views.check_kind(row, JobKind.privacy_metrics_geolocation.value)
    return views.geolocation_job(row)


@router.post(
    "/jobs/avatarization_multi_table",
    operation_id="create_avatarization_multi_table_job",
    response_model=AvatarizationMultiTableJob,
    status_code=status.HTTP_201_CREATED,
    responses=_CREATE_ERRORS,
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
    responses=_GET_ERRORS,
)
def get_avatarization_multi_table_job(
    id: uuid.UUID, user: CurrentUser, session: SessionDep, base_url: PublicBaseUrl
) -> AvatarizationMultiTableJob:
    row = jobs.get_owned_job(session, id, user.id)
    views.check_kind(row, JobKind.avatarization_multi_table.value)
    return views.multi_table_job(session, row, base_url)


@router.post(
    "/jobs/metrics/privacy_multi_table",
    operation_id="create_privacy_metrics_multi_table_job",
    response_model=PrivacyMetricsMultiTableJob,
    status_code=status.HTTP_201_CREATED,
    responses=_CREATE_ERRORS,
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
    responses=_GET_ERRORS,
)
def get_privacy_metrics_multi_table_job(
    id: uuid.UUID, user: CurrentUser, session: SessionDep
) -> PrivacyMetricsMultiTableJob:
    row = jobs.get_owned_job(session, id, user.id)
    views.check_kind(row, JobKind.privacy_metrics_multi_table.value)
    return views.multi_table_privacy_job(row)
