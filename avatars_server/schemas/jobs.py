"""Wire models of the jobs namespace: envelopes, parameters and results (reference §3.5-§3.7)."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from avatars_server.schemas.common import ExtraAllowedRequestModel, RequestModel
from avatars_server.schemas.datasets import Dataset
from avatars_server.schemas.metrics import PrivacyMetrics, SignalMetrics


class JobStatus(StrEnum):
    pending = "pending"
    started = "started"
    success = "success"
    failure = "failure"
    killed = "killed"
    unknown = "unknown"


class JobKind(StrEnum):
    avatarization = "avatarization"
    privacy_metrics = "privacy_metrics"
    signal_metrics = "signal_metrics"
    avatarization_batch = "avatarization_batch"
    privacy_metrics_batch = "privacy_metrics_batch"
    signal_metrics_batch = "signal_metrics_batch"
    avatarization_with_time_series = "avatarization_with_time_series"
    avatarization_multi_table = "avatarization_multi_table"
    privacy_metrics_with_time_series = "privacy_metrics_with_time_series"
    privacy_metrics_multi_table = "privacy_metrics_multi_table"
    signal_metrics_with_time_series = "signal_metrics_with_time_series"
    privacy_metrics_geolocation = "privacy_metrics_geolocation"
    generic = "generic"


class ImputeMethod(StrEnum):
    knn = "knn"
    mode = "mode"
    median = "median"
    mean = "mean"
    fast_knn = "fast_knn"


class ExcludeCategoricalMethod(StrEnum):
    row_order = "row_order"
    coordinate_similarity = "coordinate_similarity"


class RareCategoricalMethod(StrEnum):
    most_similar = "most_similar"
    probabilistic = "probabilistic"
    missing = "missing"


class ImputationParameters(RequestModel):
    method: ImputeMethod | None = None
    k: int | None = None
    training_fraction: float | None = Field(default=None, ge=0, le=1)


class ExcludeCategoricalParameters(RequestModel):
    exclude_cardinality_threshold: int = Field(ge=1)
    exclude_replacement_strategy: ExcludeCategoricalMethod
    rare_occurence_threshold: int = Field(ge=0)
    rare_replacement_strategy: RareCategoricalMethod | None = None
    number_reference_records: int | None = None


class AvatarizationParameters(ExtraAllowedRequestModel):
    # strict: true and 5.0 are not a number of neighbours (method.md §2.3 rejects bools).
    k: int = Field(strict=True)
    column_weights: dict[str, float] | None = None
    ncp: int | None = None
    imputation: ImputationParameters | None = None
    use_categorical_reduction: bool | None = None
    to_categorical_threshold: int | None = None
    exclude_categorical: ExcludeCategoricalParameters | None = None
    dataset_id: uuid.UUID
    seed: int | None = None


class PrivacyMetricsParameters(ExtraAllowedRequestModel):
    original_id: uuid.UUID
    persistance_job_id: uuid.UUID | None = None
    avatarization_job_id: uuid.UUID | None = None
    imputation: ImputationParameters | None = None
    ncp: int | None = None
    use_categorical_reduction: bool | None = None
    known_variables: list[str] | None = None
    target: str | None = None
    closest_rate_percentage_threshold: float | None = Field(default=None, ge=0, le=100)
    closest_rate_ratio_threshold: float | None = Field(default=None, ge=0, le=1)
    unshuffled_avatars_id: uuid.UUID
    seed: int | None = None


class SignalMetricsParameters(ExtraAllowedRequestModel):
    original_id: uuid.UUID
    persistance_job_id: uuid.UUID | None = None
    avatarization_job_id: uuid.UUID | None = None
    avatars_id: uuid.UUID


class GenericParameters(ExtraAllowedRequestModel):
    """A job's parameters object, whatever its kind."""


class GenericResult(BaseModel):
    """A job's result, whatever its kind (null in listings)."""

    model_config = ConfigDict(extra="allow")


class AvatarizationJobCreate(RequestModel):
    kind: JobKind | None = JobKind.avatarization
    parameters: AvatarizationParameters


class PrivacyMetricsJobCreate(RequestModel):
    kind: JobKind | None = JobKind.privacy_metrics
    parameters: PrivacyMetricsParameters


class SignalMetricsJobCreate(RequestModel):
    kind: JobKind | None = JobKind.signal_metrics
    parameters: SignalMetricsParameters


class JobProgress(BaseModel):
    completion_rate_100: int
    name: str | None = None
    created_at: datetime


class AvatarizationResult(BaseModel):
    privacy_metrics: PrivacyMetrics | None = None
    signal_metrics: SignalMetrics | None = None
    avatars_dataset: Dataset
    sensitive_unshuffled_avatars_datasets: Dataset


class _Job(BaseModel):
    id: uuid.UUID
    kind: JobKind
    created_at: datetime
    status: JobStatus
    error_message: str | None = None
    traceback: str | None = None


class GenericJob(_Job):
    result: GenericResult | None = None
    parameters: GenericParameters
    current_progress: JobProgress | None = None


class AvatarizationJob(_Job):
    result: AvatarizationResult | None = None
    parameters: AvatarizationParameters
    current_progress: JobProgress | None = None


class PrivacyMetricsJob(_Job):
    result: PrivacyMetrics | None = None
    parameters: PrivacyMetricsParameters
    current_progress: JobProgress | None = None


class SignalMetricsJob(_Job):
    result: SignalMetrics | None = None
    parameters: SignalMetricsParameters
    current_progress: JobProgress | None = None
