"""The names and fields the job runner relies on."""

from __future__ import annotations

import dataclasses
import inspect

import avatars_server.engine as engine


def test_exported_names() -> None:
    assert set(engine.__all__) == {
        "PRIVACY_TARGETS",
        "SIGNAL_TARGETS",
        "AvatarError",
        "AvatarizationConfig",
        "AvatarizationOutput",
        "ImputationConfig",
        "PrivacyConfig",
        "PrivacyMetricsResult",
        "SignalMetricsResult",
        "avatarize",
        "check_avatarization_parameters",
        "check_privacy_parameters",
        "compute_privacy_metrics",
        "compute_signal_metrics",
    }


def _fields(cls: type) -> list[str]:
    return [f.name for f in dataclasses.fields(cls)]


def test_dataclass_fields() -> None:
    assert _fields(engine.ImputationConfig) == ["method", "k", "training_fraction"]
    assert _fields(engine.AvatarizationConfig) == [
        "k",
        "ncp",
        "column_weights",
        "imputation",
        "seed",
        "exclude_categorical",
    ]
    assert _fields(engine.AvatarizationOutput) == [
        "avatars",
        "unshuffled",
        "ncp",
        "order",
        "neighbours",
        "model",
        "nearest_others",
    ]
    assert _fields(engine.PrivacyConfig)[:7] == [
        "ncp",
        "imputation",
        "known_variables",
        "target",
        "closest_rate_percentage_threshold",
        "closest_rate_ratio_threshold",
        "seed",
    ]
    assert _fields(engine.PrivacyMetricsResult) == [
        "hidden_rate",
        "local_cloaking",
        "distance_to_closest",
        "closest_distances_ratio",
        "column_direct_match_protection",
        "categorical_hidden_rate",
        "row_direct_match_protection",
        "correlation_protection_rate",
        "inference_continuous",
        "inference_categorical",
        "closest_rate",
        "targets",
        "details",
        "diagnostics",
    ]
    assert _fields(engine.SignalMetricsResult) == [
        "hellinger_mean",
        "hellinger_std",
        "correlation_difference_ratio",
        "targets",
        "details",
    ]


def test_function_signatures() -> None:
    assert list(inspect.signature(engine.avatarize).parameters)[:4] == [
        "df",
        "config",
        "identifiers",
        "progress",
    ]
    assert list(inspect.signature(engine.compute_privacy_metrics).parameters) == [
        "original",
        "unshuffled_avatars",
        "config",
        "categorical",
        "progress",
        "explain",
        "explain_model",
        "nearest_others",
    ]
    assert list(inspect.signature(engine.compute_signal_metrics).parameters) == [
        "original",
        "avatars",
        "categorical",
    ]


def test_targets_are_the_wire_strings() -> None:
    assert engine.PRIVACY_TARGETS["hidden_rate"] == "> 90%"
    assert engine.PRIVACY_TARGETS["local_cloaking"] == "> 5"
    assert engine.PRIVACY_TARGETS["inference_categorical"] == "> 10%"
    assert len(engine.PRIVACY_TARGETS) == 11
    assert dict(engine.SIGNAL_TARGETS) == {
        "hellinger_mean": "< 0.1",
        "correlation_difference_ratio": "< 10%",
    }


def test_error_carries_code_field_and_message() -> None:
    error = engine.AvatarError("INVALID_K", "k must be between 1 and n−1 = 3, got 9", "k")
    assert (error.code, error.field, error.message) == (
        "INVALID_K",
        "k",
        "k must be between 1 and n−1 = 3, got 9",
    )
    assert isinstance(error, Exception)
