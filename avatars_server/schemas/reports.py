"""Wire models of reports (reference §3.12) and of the cluster stats (§2.9)."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel

from avatars_server.schemas.common import RequestModel


class Report(BaseModel):
    """A report; `download_url` is the absolute URL of GET /reports/{id}/download."""

    id: uuid.UUID
    user_id: uuid.UUID
    job_id: uuid.UUID
    created_at: datetime | None = None
    download_url: str


class ReportCreate(RequestModel):
    """A report on an avatarization and its metrics; a full job (POST /jobs) may be named as
    all three."""

    avatarization_job_id: uuid.UUID
    privacy_job_id: uuid.UUID
    signal_job_id: uuid.UUID


class ReportFromDataCreate(RequestModel):
    """A report on an original and an avatars dataset and their metrics jobs."""

    dataset_id: uuid.UUID
    avatars_dataset_id: uuid.UUID
    privacy_job_id: uuid.UUID
    signal_job_id: uuid.UUID


class ReportFromBatchCreate(RequestModel):
    """A report on an avatarization batch job and the privacy and signal batch jobs run on it:
    worst privacy and mean signal over the batches, and a table of every batch."""

    avatarization_batch_job_id: uuid.UUID
    privacy_batch_job_id: uuid.UUID
    signal_batch_job_id: uuid.UUID


class ReportGeolocationPrivacyCreate(RequestModel):
    """A report on a geolocation privacy job: its per-scenario metrics against their targets
    and a map of original and treated trajectories. `dataset_id` and `avatars_dataset_id` are
    the job's original and treated (unshuffled avatar) datasets."""

    dataset_id: uuid.UUID
    avatars_dataset_id: uuid.UUID
    privacy_job_id: uuid.UUID


class ReportFormat(StrEnum):
    """Format of a report download."""

    pdf = "pdf"
    html = "html"
    json = "json"


class ClusterStats(BaseModel):
    """State of the job runner (process pool or Dask cluster)."""

    n_active_tasks: int | None = None
    available_concurrency: int | None = None
    utilization_rate_100: int | None = None
    status_message: str | None = ""
