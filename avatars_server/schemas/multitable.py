"""Wire models of the multi-table jobs (reference §3.10)."""

from __future__ import annotations

import uuid
from enum import StrEnum

from pydantic import BaseModel, Field

from avatars_server.schemas.common import ExtraAllowedRequestModel, RequestModel
from avatars_server.schemas.jobs import (
    ExcludeCategoricalParameters,
    ImputationParameters,
    JobKind,
    JobProgress,
    _Job,
)
from avatars_server.schemas.metrics import MetaPrivacyMetrics
from avatars_server.schemas.time_series import (
    AvatarizationResultPerDataset,
    AvatarizationTimeSeriesParameters,
    PrivacyMetricsTimeSeriesParameters,
)


class LinkMethod(StrEnum):
    bottom_projection = "bottom_projection"
    linear_sum_assignement = "linear_sum_assignement"  # sic: the wire's spelling


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
    # The vanilla pair is the table's node; the series are measured by §2.9 (method-extended §3.7).
    time_series: list[AvatarizationTimeSeriesParameters]


class AvatarizationMultiTableParameters(ExtraAllowedRequestModel):
    table_links: list[TableLink] = Field(min_length=1)
    table_parameters: list[
        BaseAvatarizationParameters | BaseAvatarizationWithTimeSeriesParameters
    ] = Field(min_length=1)
    seed: int | None = None


class AvatarizationMultiTableJobCreate(RequestModel):
    kind: JobKind | None = JobKind.avatarization_multi_table
    parameters: AvatarizationMultiTableParameters


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
    # The vanilla pair is the table's node; the series are measured by §2.9 (method-extended §3.7).
    time_series: list[PrivacyMetricsTimeSeriesParameters]


class PrivacyMetricsMultiTableParameters(ExtraAllowedRequestModel):
    table_links: list[TableLink] = Field(min_length=1)
    table_parameters: list[
        BasePrivacyMetricsParameters | BasePrivacyMetricsWithTimeSeriesParameters
    ] = Field(min_length=1)
    seed: int | None = None


class PrivacyMetricsMultiTableJobCreate(RequestModel):
    kind: JobKind | None = JobKind.privacy_metrics_multi_table
    parameters: PrivacyMetricsMultiTableParameters


class PrivacyMetricsMultiTableJob(_Job):
    result: MetaPrivacyMetrics | None = None
    parameters: PrivacyMetricsMultiTableParameters
    current_progress: JobProgress | None = None
