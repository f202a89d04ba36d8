"""Wire models of the multi-table jobs (reference §3.10)."""

from __future__ import annotations

import uuid
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, Field

from avatars_server.schemas.common import ExtraAllowedRequestModel, RequestModel
from avatars_server.schemas.datasets import Dataset
from avatars_server.schemas.jobs import (
    ExcludeCategoricalParameters,
    ImputationParameters,
    JobKind,
    JobProgress,
    _Job,
)
from avatars_server.schemas.metrics import PrivacyMetrics, SignalMetrics


class LinkMethod(StrEnum):
    bottom_projection = "bottom_projection"
    linear_sum_assignement = "linear_sum_assignement"  # sic: the wire's spelling


class PrivacyMetricsComputationType(StrEnum):
    standalone = "standalone"
    to_bottom_id_propagated = "to_bottom_id_propagated"
    to_top_enriched = "to_top_enriched"
    full_enriched = "full_enriched"


class TableReference(RequestModel):
    dataset_id: uuid.UUID
    is_individual_level: bool


class TableLink(RequestModel):
    parent_table: TableReference
    child_table: TableReference
    parent_link_key: str
    child_link_key: str
    link_method: LinkMethod | None = LinkMethod.bottom_projection


class _AvatarizationKnobs(RequestModel):
    k: int = Field(strict=True)
    column_weights: dict[str, float] | None = None
    ncp: int | None = None
    imputation: ImputationParameters | None = None
    use_categorical_reduction: bool | None = None
    to_categorical_threshold: int | None = None
    exclude_categorical: ExcludeCategoricalParameters | None = None


class BaseAvatarizationParameters(_AvatarizationKnobs):
    dataset_id: uuid.UUID


class BaseAvatarizationWithTimeSeriesParameters(_AvatarizationKnobs):
    vanilla_dataset_id: uuid.UUID | None = None
    # TODO(#14): list[AvatarizationTimeSeriesParameters] once the time-series models land;
    # such an entry is refused with a 422 until then.
    time_series: list[dict[str, Any]]


class AvatarizationMultiTableParameters(ExtraAllowedRequestModel):
    table_links: list[TableLink] = Field(min_length=1)
    table_parameters: list[
        BaseAvatarizationParameters | BaseAvatarizationWithTimeSeriesParameters
    ] = Field(min_length=1)
    seed: int | None = None


class AvatarizationMultiTableJobCreate(RequestModel):
    kind: JobKind | None = JobKind.avatarization_multi_table
    parameters: AvatarizationMultiTableParameters


class AvatarizationResultPerDataset(BaseModel):
    privacy_metrics: PrivacyMetrics | None = None
    signal_metrics: SignalMetrics | None = None
    avatars_dataset: Dataset
    sensitive_unshuffled_avatars_datasets: Dataset
    original_id: uuid.UUID


class AvatarizationMultiTableResult(BaseModel):
    datasets: list[AvatarizationResultPerDataset]


class AvatarizationMultiTableJob(_Job):
    result: AvatarizationMultiTableResult | None = None
    parameters: AvatarizationMultiTableParameters
    current_progress: JobProgress | None = None


class _PrivacyKnobs(ExtraAllowedRequestModel):
    imputation: ImputationParameters | None = None
    ncp: int | None = None
    use_categorical_reduction: bool | None = None
    known_variables: list[str] | None = None
    target: str | None = None
    closest_rate_percentage_threshold: float | None = Field(default=None, ge=0, le=100)
    closest_rate_ratio_threshold: float | None = Field(default=None, ge=0, le=1)


class BasePrivacyMetricsParameters(_PrivacyKnobs):
    original_id: uuid.UUID
    persistance_job_id: uuid.UUID | None = None
    avatarization_job_id: uuid.UUID | None = None
    unshuffled_avatars_id: uuid.UUID


class BasePrivacyMetricsWithTimeSeriesParameters(_PrivacyKnobs):
    vanilla_original_id: uuid.UUID | None = None
    vanilla_unshuffled_avatars_id: uuid.UUID | None = None
    # TODO(#14): list[PrivacyMetricsTimeSeriesParameters]; refused with a 422 until then.
    time_series: list[dict[str, Any]]


class PrivacyMetricsMultiTableParameters(ExtraAllowedRequestModel):
    table_links: list[TableLink] = Field(min_length=1)
    table_parameters: list[
        BasePrivacyMetricsParameters | BasePrivacyMetricsWithTimeSeriesParameters
    ] = Field(min_length=1)
    seed: int | None = None


class PrivacyMetricsMultiTableJobCreate(RequestModel):
    kind: JobKind | None = JobKind.privacy_metrics_multi_table
    parameters: PrivacyMetricsMultiTableParameters


class PrivacyMetricsPerMultiTableDataset(PrivacyMetrics):
    original_id: uuid.UUID
    unshuffled_avatars_id: uuid.UUID
    metrics_type: Literal["multi_table"] = "multi_table"
    individual_identifier_variable: str
    computation_type: PrivacyMetricsComputationType
    dataset_name: str


class MetaPrivacyMetrics(BaseModel):
    # TODO(#14): | PrivacyMetricsPerTimeSeriesDataset once the time-series models land.
    details: list[PrivacyMetricsPerMultiTableDataset]


class PrivacyMetricsMultiTableJob(_Job):
    result: MetaPrivacyMetrics | None = None
    parameters: PrivacyMetricsMultiTableParameters
    current_progress: JobProgress | None = None
