"""Client-only models of the avatarization pipeline (they carry DataFrames and processors)."""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID

import pandas as pd

from avatar_api_client.models import AvatarizationJobCreate, PrivacyMetrics, SignalMetrics
from avatars.processors import Processor


@dataclass(kw_only=True)
class AvatarizationPipelineCreate:
    """What to run: the job to create, the processors around it and the original frame.

    Args:
        avatarization_job_create: the avatarization job; its ``parameters.dataset_id`` is the
            already-uploaded original dataset.
        processors: applied in order before the avatarization, and in reverse order after it.
        df: the original data (the content of that dataset).
    """

    avatarization_job_create: AvatarizationJobCreate
    processors: list[Processor] = field(default_factory=list)
    df: pd.DataFrame


@dataclass(kw_only=True)
class AvatarizationPipelineResult:
    """The post-processed avatars (rows shuffled, index 0..n-1) and their metrics."""

    privacy_metrics: PrivacyMetrics
    signal_metrics: SignalMetrics
    post_processed_avatars: pd.DataFrame
    avatarization_job_id: UUID
    signal_job_id: UUID
    privacy_job_id: UUID
