"""Job rows as wire models (reference §3.5): envelope, progress, and results with datasets."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from avatars_server.api.views.datasets import dataset_schema
from avatars_server.errors import NotFoundError
from avatars_server.schemas.datasets import Dataset
from avatars_server.schemas.geolocation import PrivacyMetricsGeolocationJob
from avatars_server.schemas.jobs import (
    AvatarizationJob,
    AvatarizationResult,
    GenericJob,
    JobKind,
    JobProgress,
    PrivacyMetricsJob,
    SignalMetricsJob,
)
from avatars_server.schemas.multitable import (
    AvatarizationMultiTableJob,
    PrivacyMetricsMultiTableJob,
)
from avatars_server.schemas.time_series import AvatarizationResultPerDataset
from avatars_server.storage import datasets, jobs
from avatars_server.storage.tables import JobRow

# Where each kind is read back, for the 404 of a kind-specific GET on another kind.
READ_ROUTES = {
    "avatarization": "GET /jobs/avatarization/{id}",
    "privacy_metrics": "GET /jobs/{id}/metrics/privacy",
    "signal_metrics": "GET /jobs/{id}/metrics/signal",
    "avatarization_with_time_series": "GET /jobs/avatarization_with_time_series/{id}",
    "privacy_metrics_with_time_series": "GET /jobs/{id}/metrics/privacy_time_series",
    "signal_metrics_with_time_series": "GET /jobs/{id}/metrics/signal_time_series",
    "avatarization_batch": "GET /jobs/avatarization_batch/{id}",
    "privacy_metrics_batch": "GET /jobs/{id}/metrics/privacy_batch",
    "signal_metrics_batch": "GET /jobs/{id}/metrics/signal_batch",
    "privacy_metrics_geolocation": "GET /jobs/{id}/metrics/privacy_geolocation",
    "avatarization_multi_table": "GET /jobs/avatarization_multi_table/{id}",
    "privacy_metrics_multi_table": "GET /jobs/{id}/metrics/privacy_multi_table",
}


def _utc(value: datetime) -> datetime:
    # SQLite returns naive datetimes for timezone-aware columns; every stored time is UTC.
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _progress(row: JobRow) -> JobProgress | None:
    if row.progress_rate is None:
        return None
    return JobProgress(
        completion_rate_100=row.progress_rate,
        name=row.progress_name,
        created_at=_utc(row.progress_at or row.created_at),
    )


def job_envelope(row: JobRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "kind": row.kind,
        "created_at": _utc(row.created_at),
        "status": row.status,
        "error_message": row.error_message,
        "traceback": None,
        "parameters": row.parameters,
        "current_progress": _progress(row),
    }


def owned_job(session: Session, job_id: uuid.UUID, owner_id: uuid.UUID, kind: JobKind) -> JobRow:
    """The caller's job of this kind; 404 when there is none, naming the route that reads it
    when the job is of another kind."""
    row = jobs.get_owned_job(session, job_id, owner_id)
    if row.kind != kind.value:
        route = READ_ROUTES.get(row.kind, "GET /jobs").replace("{id}", str(row.id))
        raise NotFoundError(
            f"No {kind.value} job with id {row.id}: it is a {row.kind} job. Read it with {route}.",
            detail={"kind": row.kind, "route": route},
        )
    return row


def generic_job(row: JobRow) -> GenericJob:
    return GenericJob.model_validate({**job_envelope(row), "result": None})


def result_dataset(session: Session, dataset_id: str, base_url: str) -> Dataset | None:
    row = datasets.get_dataset(session, uuid.UUID(dataset_id))
    return None if row is None else dataset_schema(row, base_url)


def avatarization_job(session: Session, row: JobRow, base_url: str) -> AvatarizationJob:
    result: AvatarizationResult | None = None
    stored = row.result if row.status == "success" else None
    if stored:
        avatars = result_dataset(session, stored["avatars_dataset_id"], base_url)
        unshuffled = result_dataset(
            session, stored["sensitive_unshuffled_avatars_datasets_id"], base_url
        )
        # Result datasets deleted by their owner leave a job without a result.
        if avatars is not None and unshuffled is not None:
            result = AvatarizationResult(
                privacy_metrics=stored.get("privacy_metrics"),
                signal_metrics=stored.get("signal_metrics"),
                avatars_dataset=avatars,
                sensitive_unshuffled_avatars_datasets=unshuffled,
            )
    return AvatarizationJob.model_validate({**job_envelope(row), "result": result})


def privacy_job(row: JobRow) -> PrivacyMetricsJob:
    result = row.result if row.status == "success" else None
    return PrivacyMetricsJob.model_validate({**job_envelope(row), "result": result})


def signal_job(row: JobRow) -> SignalMetricsJob:
    result = row.result if row.status == "success" else None
    return SignalMetricsJob.model_validate({**job_envelope(row), "result": result})
    return SignalMetricsJob.model_validate({**job_envelope(row), "result": result})


def geolocation_job(row: JobRow) -> PrivacyMetricsGeolocationJob:
    result = row.result if row.status == "success" else None
    return PrivacyMetricsGeolocationJob.model_validate({**job_envelope(row), "result": result})


def multi_table_job(session: Session, row: JobRow, base_url: str) -> AvatarizationMultiTableJob:
    result: dict[str, Any] | None = None
    stored = row.result if row.status == "success" else None
    if stored:
        datasets = []
        for entry in stored["datasets"]:
            avatars = result_dataset(session, entry["avatars_dataset_id"], base_url)
            unshuffled = result_dataset(
                session, entry["sensitive_unshuffled_avatars_datasets_id"], base_url
            )
            if avatars is None or unshuffled is None:
                break  # result datasets deleted by their owner: no result
            datasets.append(
                AvatarizationResultPerDataset(
                    avatars_dataset=avatars,
                    sensitive_unshuffled_avatars_datasets=unshuffled,
                    original_id=entry["original_id"],
                )
            )
        else:
            result = {"datasets": datasets}
    return AvatarizationMultiTableJob.model_validate({**job_envelope(row), "result": result})


def multi_table_privacy_job(row: JobRow) -> PrivacyMetricsMultiTableJob:
    result = row.result if row.status == "success" else None
    return PrivacyMetricsMultiTableJob.model_validate({**job_envelope(row), "result": result})
