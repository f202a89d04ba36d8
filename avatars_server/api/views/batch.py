"""Batch job rows as wire models (reference §3.8): the result's datasets and metrics by batch."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from avatars_server.api.views.jobs import job_envelope as envelope
from avatars_server.api.views.jobs import result_dataset
from avatars_server.schemas.batch import (
    AvatarizationBatchJob,
    AvatarizationBatchResult,
    AvatarizationPerBatchResult,
    PrivacyMetricsBatchJob,
    SignalMetricsBatchJob,
)
from avatars_server.storage.tables import JobRow


def _per_batch(
    session: Session, stored: Mapping[str, Any], base_url: str
) -> AvatarizationPerBatchResult | None:
    avatars = result_dataset(session, stored["avatars_dataset_id"], base_url)
    unshuffled = result_dataset(
        session, stored["sensitive_unshuffled_avatars_datasets_id"], base_url
    )
    if avatars is None or unshuffled is None:
        return None  # deleted by their owner
    return AvatarizationPerBatchResult(
        avatars_dataset=avatars,
        sensitive_unshuffled_avatars_datasets=unshuffled,
        original_id=uuid.UUID(stored["original_id"]),
    )


def avatarization_batch_job(session: Session, row: JobRow, base_url: str) -> AvatarizationBatchJob:
    result: AvatarizationBatchResult | None = None
    stored = row.result if row.status == "success" else None
    if stored:
        training = _per_batch(session, stored["training_result"], base_url)
        batches = [_per_batch(session, item, base_url) for item in stored["batch_results"]]
        # A job whose result datasets were deleted has no result any more.
        if training is not None and all(batch is not None for batch in batches):
            result = AvatarizationBatchResult(
                training_result=training,
                batch_results=[batch for batch in batches if batch is not None],
            )
    return AvatarizationBatchJob.model_validate({**envelope(row), "result": result})


def privacy_batch_job(row: JobRow) -> PrivacyMetricsBatchJob:
    result = row.result if row.status == "success" else None
    return PrivacyMetricsBatchJob.model_validate({**envelope(row), "result": result})


def signal_batch_job(row: JobRow) -> SignalMetricsBatchJob:
    result = row.result if row.status == "success" else None
    return SignalMetricsBatchJob.model_validate({**envelope(row), "result": result})
