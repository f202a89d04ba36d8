"""Routes of the `reports` tag (standard tier): create, read and download reports.

A report's content is assembled and stored as JSON while the create request is answered (it
needs only what the jobs recorded); its PDF and HTML are rendered on the job runner, and the
create call waits for them up to `report_wait_seconds`. A download asked before they exist
answers 409 (avatar-api §2.8).
"""

from __future__ import annotations

import logging
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, status
from fastapi.responses import FileResponse

from avatars_server.api.access import AccessDep, Operation
from avatars_server.api.deps import (
    CurrentUser,
    RunnerDep,
    SessionDep,
    SettingsDep,
    get_public_base_url,
    get_session_factory,
)
from avatars_server.api.views import reports as views
from avatars_server.config import Settings
from avatars_server.errors import ConflictError
from avatars_server.jobs.runner import JobRunner
from avatars_server.reports import service
from avatars_server.reports.geolocation import check_geolocation_report
from avatars_server.reports.rendering import start_rendering
from avatars_server.schemas.common import error_responses
from avatars_server.schemas.reports import (
    Report,
    ReportCreate,
    ReportFormat,
    ReportFromBatchCreate,
    ReportFromDataCreate,
    ReportGeolocationPrivacyCreate,
)
from avatars_server.storage import reports as storage

logger = logging.getLogger(__name__)

router = APIRouter(tags=["reports"], responses=error_responses(401))

_MEDIA_TYPES = {
    ReportFormat.pdf: "application/pdf",
    ReportFormat.html: "text/html; charset=utf-8",
    ReportFormat.json: "application/json",
}
_DOWNLOAD_CONTENT: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The report as PDF (default), self-contained HTML, or JSON evidence",
        "content": {
            "application/pdf": {"schema": {"type": "string", "format": "binary"}},
            "text/html": {"schema": {"type": "string", "format": "binary"}},
            "application/json": {"schema": {"type": "string", "format": "binary"}},
        },
    }
}


def _answer(
    request: Request,
    session: SessionDep,
    settings: Settings,
    runner: JobRunner,
    user: CurrentUser,
    sources: service.ReportSources,
) -> Report:
    row, render = service.find_or_create(session, settings, user.id, sources)
    # Committed before rendering: the worker updates this row, and a re-sent request finds it.
    session.commit()
    if render:
        start_rendering(
            runner,
            get_session_factory(request),
            row.id,
            wait_seconds=settings.report_wait_seconds,
        )
    return views.report(row, get_public_base_url(request))


@router.post(
    "/reports",
    operation_id="create_report",
    response_model=Report,
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(404, 409),
)
def create_report(
    body: ReportCreate,
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    runner: RunnerDep,
) -> Report:
    """A report on an avatarization and its privacy and signal metrics jobs (a full job may be
    named as all three). An identical request returns the same report."""
    sources = service.check_report(
        session, user.id, body.avatarization_job_id, body.privacy_job_id, body.signal_job_id
    )
    return _answer(request, session, settings, runner, user, sources)


@router.post(
    "/reports/from_data",
    operation_id="create_report_from_data",
    response_model=Report,
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(404, 409),
)
def create_report_from_data(
    body: ReportFromDataCreate,
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    runner: RunnerDep,
) -> Report:
    """A report on an original and an avatars dataset and their privacy and signal jobs."""
    sources = service.check_report_from_data(
        session,
        user.id,
        body.dataset_id,
        body.avatars_dataset_id,
        body.privacy_job_id,
        body.signal_job_id,
    )
    return _answer(request, session, settings, runner, user, sources)


@router.post(
    "/reports/from_batch",
    operation_id="create_report_from_batch",
    response_model=Report,
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(404, 409),
)
def create_report_from_batch(
    body: ReportFromBatchCreate,
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    runner: RunnerDep,
) -> Report:
    """A report on an avatarization batch job and the privacy and signal batch jobs run on it:
    the worst privacy metrics over the batches against their targets, the mean signal metrics,
    and a table of every batch's own metrics. `job_id` is the avatarization batch job. An
    identical request returns the same report."""
    sources = service.check_report_from_batch(
        session,
        user.id,
        body.avatarization_batch_job_id,
        body.privacy_batch_job_id,
        body.signal_batch_job_id,
    )
    return _answer(request, session, settings, runner, user, sources)


@router.post(
    "/reports/geolocation_privacy",
    operation_id="create_geolocation_privacy_report",
    response_model=Report,
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(404, 409),
)
def create_geolocation_privacy_report(
    body: ReportGeolocationPrivacyCreate,
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    runner: RunnerDep,
) -> Report:
    """A report on a geolocation privacy job (POST /jobs/metrics/privacy_geolocation): each
    scenario's metrics against their targets and a map of a sample of the original and treated
    trajectories. `dataset_id` and `avatars_dataset_id` must be the job's original and treated
    datasets; `job_id` is the privacy job. An identical request returns the same report."""
    sources = check_geolocation_report(
        session, user.id, body.dataset_id, body.avatars_dataset_id, body.privacy_job_id
    )
    return _answer(request, session, settings, runner, user, sources)


@router.get(
    "/reports/jobs/{id}",
    operation_id="get_report",
    response_model=Report,
    responses=error_responses(404),
)
def get_report(id: uuid.UUID, request: Request, user: CurrentUser, session: SessionDep) -> Report:
    """One of the caller's reports (the path takes the report's id)."""
    row = storage.get_owned_report(session, id, user.id)
    return views.report(row, get_public_base_url(request))


@router.get(
    "/reports/{id}/download",
    operation_id="download_report",
    response_class=FileResponse,
    responses={**_DOWNLOAD_CONTENT, **error_responses(404, 409)},
)
def download_report(
    id: uuid.UUID,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    access: AccessDep,
    format: Annotated[
        ReportFormat, Query(description="pdf (default), html (self-contained) or json (evidence)")
    ] = ReportFormat.pdf,
) -> FileResponse:
    """The report as PDF, HTML or JSON evidence; 409 while the PDF/HTML is being rendered."""
    row = storage.get_owned_report(session, id, user.id)
    path = storage.report_file(settings, row.id, format.value)
    if not path.exists():
        if row.status == "failure":
            raise ConflictError(
                row.error_message or "The report could not be rendered.",
                detail={"status": row.status},
            )
        raise ConflictError(
            f"The report's {format.value.upper()} is still being generated. Retry in a few "
            "seconds; its JSON is available at once (format=json).",
            detail={"status": row.status},
        )
    access(Operation.download_report, report_id=row.id, dataset_id=row.dataset_id)
    return FileResponse(
        path,
        media_type=_MEDIA_TYPES[format],
        filename=f"report-{row.id}.{format.value}",
    )
