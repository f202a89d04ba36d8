"""Wire models of the geolocation privacy job (reference §3.11)."""

from __future__ import annotations

import uuid
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from avatars_server.schemas.common import ExtraAllowedRequestModel, RequestModel
from avatars_server.schemas.jobs import JobKind, JobProgress, _Job


class GeolocationFeatures(StrEnum):
    length = "length"
    duration = "duration"
    speed = "speed"


class SignalPosition(StrEnum):
    start = "start"
    middle = "middle"
    end = "end"


class PointOfInterest(StrEnum):
    start = "start"
    end = "end"


class GeolocationDensityParameters(RequestModel):
    projection_type: Literal["geolocation_density"] = "geolocation_density"
    n_lon_to_compute: int | None = Field(default=100, ge=1, le=10_000)
    n_lat_to_compute: int | None = Field(default=100, ge=1, le=10_000)


class GeolocationFeaturesParameters(RequestModel):
    projection_type: Literal["geolocation_features"] = "geolocation_features"


class PrivacyMetricsGeolocationScenario(RequestModel):
    projection_parameters: Annotated[
        GeolocationDensityParameters | GeolocationFeaturesParameters,
        Field(discriminator="projection_type"),
    ]
    known_features: list[GeolocationFeatures] | None = None
    target_feature: GeolocationFeatures | None = None
    known_signal_position: SignalPosition | None = None
    target_signal_poi: PointOfInterest | None = None
    inference_metric_threshold: float | None = Field(default=500, ge=0, allow_inf_nan=False)


class PrivacyMetricsGeolocationParameters(ExtraAllowedRequestModel):
    original_dataset_id: uuid.UUID
    unshuffled_avatar_dataset_id: uuid.UUID
    scenarios: list[PrivacyMetricsGeolocationScenario]
    parameter_type: Literal["privacy_metrics_geolocation"] = "privacy_metrics_geolocation"


class PrivacyMetricsGeolocationJobCreate(RequestModel):
    kind: JobKind | None = JobKind.privacy_metrics_geolocation
    parameters: PrivacyMetricsGeolocationParameters


class GeolocationPrivacyMetrics(BaseModel):
    local_cloaking: float
    hidden_rate: float
    specific_hidden_rate: float | None = None
    distance_to_closest: float | None = None
    closest_distances_ratio: float | None = None
    closest_rate: float | None = None
    features_inference_rate: float | None = None
    features_correlation_protection_rate: float | None = None
    thresholded_signal_inference_rate: float | None = None
    trace_correlation_protection_rate: float | None = None
    inference_distances: list[float] | None = None


class PrivacyMetricsGeolocationScenarioResult(BaseModel):
    privacy_metrics: GeolocationPrivacyMetrics
    parameters: PrivacyMetricsGeolocationScenario


class PrivacyMetricsGeolocationResult(BaseModel):
    privacy_metrics_per_scenario: list[PrivacyMetricsGeolocationScenarioResult]


class PrivacyMetricsGeolocationJob(_Job):
    result: PrivacyMetricsGeolocationResult | None = None
    parameters: PrivacyMetricsGeolocationParameters
    current_progress: JobProgress | None = None
