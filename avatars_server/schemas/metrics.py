"""Wire models of privacy and signal metric results and their targets (reference §3.7)."""

from __future__ import annotations

from pydantic import BaseModel


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
