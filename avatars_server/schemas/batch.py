"""Wire models of the batch jobs: avatarization and metrics over batches (reference §3.8)."""

from __future__ import annotations

import uuid
from typing import Annotated

from pydantic import BaseModel, Field, field_validator

from avatars_server.schemas.common import ExtraAllowedRequestModel, RequestModel
from avatars_server.schemas.datasets import Dataset
from avatars_server.schemas.jobs import (
    ExcludeCategoricalParameters,
    ImputationParameters,
    JobKind,
    JobProgress,
    _Job,
)
from avatars_server.schemas.metrics import (
    PrivacyMetrics,
    PrivacyMetricsTargets,
    SignalMetrics,
    SignalMetricsTargets,
)

# minItems in the contract (as 0.7.3 declares it); the check itself is the validator's, so
# that its message says what to send.
_AtLeastOne = Annotated[list[uuid.UUID], Field(json_schema_extra={"minItems": 1})]


class AvatarizationBatchParameters(ExtraAllowedRequestModel):
    k: int = Field(strict=True)
    column_weights: dict[str, float] | None = None
    ncp: int | None = None
    imputation: ImputationParameters | None = None
    use_categorical_reduction: bool | None = None
    to_categorical_threshold: int | None = None
    exclude_categorical: ExcludeCategoricalParameters | None = None
    training_dataset_id: uuid.UUID
    dataset_ids: _AtLeastOne
    seed: int | None = None

    @field_validator("dataset_ids")
    @classmethod
    def _not_empty(cls, value: list[uuid.UUID]) -> list[uuid.UUID]:
        if not value:
            raise ValueError(
                "list at least one batch besides the training batch (for a single table, "
                "use POST /jobs/avatarization)"
            )
        return value


class AvatarizationBatchJobCreate(RequestModel):
    kind: JobKind | None = JobKind.avatarization_batch
    parameters: AvatarizationBatchParameters


class AvatarizationPerBatchResult(BaseModel):
    privacy_metrics: PrivacyMetrics | None = None
    signal_metrics: SignalMetrics | None = None
    avatars_dataset: Dataset
    sensitive_unshuffled_avatars_datasets: Dataset
    original_id: uuid.UUID


class AvatarizationBatchResult(BaseModel):
    privacy_metrics: PrivacyMetrics | None = None
    signal_metrics: SignalMetrics | None = None
    training_result: AvatarizationPerBatchResult
    batch_results: list[AvatarizationPerBatchResult]


class AvatarizationBatchJob(_Job):
    result: AvatarizationBatchResult | None = None
    parameters: AvatarizationBatchParameters
    current_progress: JobProgress | None = None


class PrivacyBatchDatasetMapping(RequestModel):
    original_id: uuid.UUID
    unshuffled_avatars_id: uuid.UUID


class SignalBatchDatasetMapping(RequestModel):
    original_id: uuid.UUID
    avatars_id: uuid.UUID


class CommonPrivacyMetricsParameters(RequestModel):
    imputation: ImputationParameters | None = None
    ncp: int | None = None
    use_categorical_reduction: bool | None = None
    known_variables: list[str] | None = None
    target: str | None = None
    closest_rate_percentage_threshold: float | None = Field(default=None, ge=0, le=100)
    closest_rate_ratio_threshold: float | None = Field(default=None, ge=0, le=1)


class CommonSignalMetricsParameters(ExtraAllowedRequestModel):
    """No declared field (0.7.3's placeholder); extra keys such as ``seed`` are kept."""


class PrivacyMetricsBatchParameters(ExtraAllowedRequestModel):
    avatarization_batch_job_id: uuid.UUID | None = None
    training_dataset_mapping: PrivacyBatchDatasetMapping | None = None
    common_parameters: CommonPrivacyMetricsParameters | None = None
    seed: int | None = None
    batch_dataset_mappings: list[PrivacyBatchDatasetMapping] | None = None


class SignalMetricsBatchParameters(ExtraAllowedRequestModel):
    avatarization_batch_job_id: uuid.UUID | None = None
    training_dataset_mapping: SignalBatchDatasetMapping | None = None
    common_parameters: CommonSignalMetricsParameters | None = None
    seed: int | None = None
    batch_dataset_mappings: list[SignalBatchDatasetMapping] | None = None


class PrivacyMetricsBatchJobCreate(RequestModel):
    kind: JobKind | None = JobKind.privacy_metrics_batch
    parameters: PrivacyMetricsBatchParameters


class SignalMetricsBatchJobCreate(RequestModel):
    kind: JobKind | None = JobKind.signal_metrics_batch
    parameters: SignalMetricsBatchParameters


class PrivacyMetricsPerBatchResult(BaseModel):
    hidden_rate: float
    local_cloaking: float
    distance_to_closest: float | None = None
    closest_distances_ratio: float | None = None
    column_direct_match_protection: float
    categorical_hidden_rate: float
    row_direct_match_protection: float
    correlation_protection_rate: float | None = None
    inference_continuous: float | None = None
    inference_categorical: float | None = None
    closest_rate: float | None = None
    targets: PrivacyMetricsTargets
    original_id: uuid.UUID
    unshuffled_avatars_id: uuid.UUID


class PrivacyMetricsBatchResult(BaseModel):
    worst_metrics: PrivacyMetrics
    mean_metrics: PrivacyMetrics
    training_metrics: PrivacyMetricsPerBatchResult
    batch_metrics: list[PrivacyMetricsPerBatchResult]


class SignalMetricsPerBatchResult(BaseModel):
    hellinger_mean: float
    hellinger_std: float
    correlation_difference_ratio: float | None = None
    targets: SignalMetricsTargets
    original_id: uuid.UUID
    avatars_id: uuid.UUID


class SignalMetricsBatchResult(BaseModel):
    mean_metrics: SignalMetrics
    training_metrics: SignalMetricsPerBatchResult
    batch_metrics: list[SignalMetricsPerBatchResult]


class PrivacyMetricsBatchJob(_Job):
    result: PrivacyMetricsBatchResult | None = None
    parameters: PrivacyMetricsBatchParameters
    current_progress: JobProgress | None = None


class SignalMetricsBatchJob(_Job):
    result: SignalMetricsBatchResult | None = None
    parameters: SignalMetricsBatchParameters
    current_progress: JobProgress | None = None
