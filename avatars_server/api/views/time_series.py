"""Time-series job rows as wire models (reference §3.9)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from avatars_server.api.views.jobs import job_envelope, result_dataset
from avatars_server.schemas.time_series import (
    AvatarizationResultPerDataset,
    AvatarizationWithTimeSeriesJob,
    AvatarizationWithTimeSeriesResult,
    PrivacyMetricsWithTimeSeriesJob,
    SignalMetricsWithTimeSeriesJob,
)
from avatars_server.storage.tables import JobRow


def _per_dataset(
    session: Session, stored: dict[str, Any], base_url: str
) -> AvatarizationResultPerDataset | None:
    avatars = result_dataset(session, stored["avatars_dataset_id"], base_url)
    unshuffled = result_dataset(
        session, stored["sensitive_unshuffled_avatars_datasets_id"], base_url
    )
    if avatars is None or unshuffled is None:
        return None
    return AvatarizationResultPerDataset(
        avatars_dataset=avatars,
        sensitive_unshuffled_avatars_datasets=unshuffled,
        original_id=stored["original_id"],
    )


def avatarization_time_series_job(
    session: Session, row: JobRow, base_url: str
) -> AvatarizationWithTimeSeriesJob:
    result: AvatarizationWithTimeSeriesResult | None = None
    stored = row.result if row.status == "success" else None
    if stored:
        datasets = [_per_dataset(session, item, base_url) for item in stored["datasets"]]
        # Result datasets deleted by their owner leave a job without a result.
        if all(item is not None for item in datasets):
            result = AvatarizationWithTimeSeriesResult(
                datasets=[item for item in datasets if item is not None]
            )
    return AvatarizationWithTimeSeriesJob.model_validate({**job_envelope(row), "result": result})


def privacy_time_series_job(row: JobRow) -> PrivacyMetricsWithTimeSeriesJob:
    result = row.result if row.status == "success" else None
    return PrivacyMetricsWithTimeSeriesJob.model_validate({**job_envelope(row), "result": result})


def signal_time_series_job(row: JobRow) -> SignalMetricsWithTimeSeriesJob:
    result = row.result if row.status == "success" else None
    return SignalMetricsWithTimeSeriesJob.model_validate({**job_envelope(row), "result": result})
