"""Wire models of the time-series jobs (reference §3.9)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, model_validator

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
    MetaPrivacyMetrics,
    MetaSignalMetrics,
    PrivacyMetrics,
    SignalMetrics,
)


class FPCAParameters(RequestModel):
    """Keep `nf` functional principal components per series variable."""

    nf: int = Field(strict=True, description="Number of degrees of freedom kept by the projection.")
    projection_type: Literal["fpca"] = "fpca"


class FlattenParameters(RequestModel):
    """Use the grid values of equally sampled series as the vector."""

    projection_type: Literal["flatten"] = "flatten"


ProjectionParameters = Annotated[
    FPCAParameters | FlattenParameters, Field(discriminator="projection_type")
]


def _fill_projection_type(data: Any) -> Any:
    """A projection without `projection_type` is FPCA when it has `nf`, else flatten."""
    if not isinstance(data, dict):
        return data
    projection = data.get("projection_parameters")
    if isinstance(projection, dict) and projection.get("projection_type") is None:
        kind = "fpca" if "nf" in projection else "flatten"
        data = {**data, "projection_parameters": {**projection, "projection_type": kind}}
    return data


class AvatarizationTimeSeriesParameters(RequestModel):
    dataset_id: uuid.UUID = Field(description="The dataset containing the time series.")
    projection_parameters: ProjectionParameters

    @model_validator(mode="before")
    @classmethod
    def _projection_type(cls, data: Any) -> Any:
        return _fill_projection_type(data)


class AvatarizationWithTimeSeriesParameters(ExtraAllowedRequestModel):
    k: int = Field(strict=True)
    column_weights: dict[str, float] | None = None
    ncp: int | None = None
    imputation: ImputationParameters | None = None
    use_categorical_reduction: bool | None = None
    to_categorical_threshold: int | None = None
    exclude_categorical: ExcludeCategoricalParameters | None = None
    vanilla_dataset_id: uuid.UUID | None = None
    time_series: list[AvatarizationTimeSeriesParameters]
    seed: int | None = None


class AvatarizationWithTimeSeriesJobCreate(RequestModel):
    kind: JobKind | None = JobKind.avatarization_with_time_series
    parameters: AvatarizationWithTimeSeriesParameters


class AvatarizationResultPerDataset(BaseModel):
    privacy_metrics: PrivacyMetrics | None = None
    signal_metrics: SignalMetrics | None = None
    avatars_dataset: Dataset
    sensitive_unshuffled_avatars_datasets: Dataset
    original_id: uuid.UUID


class AvatarizationWithTimeSeriesResult(BaseModel):
    datasets: list[AvatarizationResultPerDataset]


class AvatarizationWithTimeSeriesJob(_Job):
    result: AvatarizationWithTimeSeriesResult | None = None
    parameters: AvatarizationWithTimeSeriesParameters
    current_progress: JobProgress | None = None


class PrivacyMetricsTimeSeriesParameters(RequestModel):
    dataset_id: uuid.UUID
    unshuffled_avatar_dataset_id: uuid.UUID
    projection_parameters: ProjectionParameters | None = None
    parameter_type: Literal["privacy_metrics_time_series"] = "privacy_metrics_time_series"

    @model_validator(mode="before")
    @classmethod
    def _projection_type(cls, data: Any) -> Any:
        return _fill_projection_type(data)


class PrivacyMetricsWithTimeSeriesParameters(ExtraAllowedRequestModel):
    imputation: ImputationParameters | None = None
    ncp: int | None = None
    use_categorical_reduction: bool | None = None
    known_variables: list[str] | None = None
    target: str | None = None
    closest_rate_percentage_threshold: float | None = Field(default=None, ge=0, le=100)
    closest_rate_ratio_threshold: float | None = Field(default=None, ge=0, le=1)
    vanilla_original_id: uuid.UUID | None = None
    vanilla_unshuffled_avatars_id: uuid.UUID | None = None
    time_series: list[PrivacyMetricsTimeSeriesParameters]
    seed: int | None = None


class PrivacyMetricsWithTimeSeriesJobCreate(RequestModel):
    kind: JobKind | None = JobKind.privacy_metrics_with_time_series
    parameters: PrivacyMetricsWithTimeSeriesParameters


class PrivacyMetricsWithTimeSeriesJob(_Job):
    result: MetaPrivacyMetrics | None = None
    parameters: PrivacyMetricsWithTimeSeriesParameters
    current_progress: JobProgress | None = None


class SignalMetricsTimeSeriesParameters(RequestModel):
    dataset_id: uuid.UUID
    avatar_dataset_id: uuid.UUID


class SignalMetricsWithTimeSeriesParameters(ExtraAllowedRequestModel):
    vanilla_original_id: uuid.UUID | None = None
    vanilla_avatars_id: uuid.UUID | None = None
    time_series: list[SignalMetricsTimeSeriesParameters]
    seed: int | None = None


class SignalMetricsWithTimeSeriesJobCreate(RequestModel):
    kind: JobKind | None = JobKind.signal_metrics_with_time_series
    parameters: SignalMetricsWithTimeSeriesParameters


class SignalMetricsWithTimeSeriesJob(_Job):
    result: MetaSignalMetrics | None = None
    parameters: SignalMetricsWithTimeSeriesParameters
    current_progress: JobProgress | None = None
