"""Wire models of privacy and signal metric results and their targets (reference §3.7)."""

from __future__ import annotations

import uuid
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, Field


class PrivacyMetricsTargets(BaseModel):
    """Recommended value of each privacy metric, for display."""

    hidden_rate: str
    local_cloaking: str
    distance_to_closest: str
    closest_distances_ratio: str
    column_direct_match_protection: str
    categorical_hidden_rate: str
    row_direct_match_protection: str
    correlation_protection_rate: str
    inference_continuous: str
    inference_categorical: str
    closest_rate: str


class PrivacyMetrics(BaseModel):
    """Privacy metrics; percentages are 0-100 and higher is better for every metric."""

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


class SignalMetricsTargets(BaseModel):
    hellinger_mean: str
    correlation_difference_ratio: str


class SignalMetrics(BaseModel):
    hellinger_mean: float
    hellinger_std: float
    correlation_difference_ratio: float | None = None
    targets: SignalMetricsTargets


REQUIRED_PRIVACY_METRICS = tuple(
    name
    for name, info in PrivacyMetrics.model_fields.items()
    if info.is_required() and name != "targets"
)
OPTIONAL_PRIVACY_METRICS = tuple(
    name
    for name in PrivacyMetrics.model_fields
    if name not in {*REQUIRED_PRIVACY_METRICS, "targets"}
)


# -- Per-dataset results of the extended metrics jobs (reference §3.9-§3.10) ---------------------


class PrivacyMetricsComputationType(StrEnum):
    standalone = "standalone"
    to_bottom_id_propagated = "to_bottom_id_propagated"
    to_top_enriched = "to_top_enriched"
    full_enriched = "full_enriched"


class PrivacyMetricsPerMultiTableDataset(PrivacyMetrics):
    original_id: uuid.UUID
    unshuffled_avatars_id: uuid.UUID
    metrics_type: Literal["multi_table"] = "multi_table"
    individual_identifier_variable: str
    computation_type: PrivacyMetricsComputationType
    dataset_name: str


class PrivacyMetricsPerTimeSeriesDataset(PrivacyMetrics):
    original_id: uuid.UUID
    unshuffled_avatars_id: uuid.UUID
    metrics_type: Literal["time_series"] = "time_series"


class SignalMetricsPerDataset(SignalMetrics):
    original_id: uuid.UUID
    avatars_id: uuid.UUID


class TimeSeriesSignalMetricsPerDataset(BaseModel):
    pointwise_hellinger_mean: float
    pointwise_hellinger_std: float
    density_hellinger_mean: float
    density_hellinger_std: float
    original_id: uuid.UUID
    avatars_id: uuid.UUID


class MetaPrivacyMetrics(BaseModel):
    """One entry per evaluated table, told apart by `metrics_type`."""

    details: list[
        Annotated[
            PrivacyMetricsPerMultiTableDataset | PrivacyMetricsPerTimeSeriesDataset,
            Field(discriminator="metrics_type"),
        ]
    ]


class MetaSignalMetrics(BaseModel):
    """One entry per evaluated table; the shapes differ by their required fields."""

    details: list[SignalMetricsPerDataset | TimeSeriesSignalMetricsPerDataset]


class Projections(BaseModel):
    """Coordinates of the originals and of their row-aligned avatars (first three axes)."""

    records: list[list[float]]
    avatars: list[list[float]]


class Contributions(BaseModel):
    """Component ("Dim. 1", ...) → variable → contribution in percent (each sums to 100)."""

    data: dict[str, dict[str, float]]


class ExplainedVariance(BaseModel):
    """Variance (eigenvalue) and share of the total variance of each component, in order."""

    raw: list[float]
    ratio: list[float]
