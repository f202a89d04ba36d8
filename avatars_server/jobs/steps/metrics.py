"""Privacy and signal metric steps, standalone (metrics jobs) or after an avatarization."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from avatars_server.jobs.context import JobContext, Progress
from avatars_server.jobs.steps.common import (
    categorical,
    conform,
    finite,
    finite_or_none,
    load_dataset,
    variables,
)
from avatars_server.jobs.steps.records import record_privacy, record_projection, record_signal
from avatars_server.schemas.metrics import OPTIONAL_PRIVACY_METRICS, REQUIRED_PRIVACY_METRICS
from avatars_server.storage import jobs

if TYPE_CHECKING:
    import pandas as pd

    from avatars_server.datasets.columns import ColumnDescriptor
    from avatars_server.engine import ImputationConfig, PrivacyConfig
    from avatars_server.engine.distances import NearestOthers


def imputation_config(values: Mapping[str, Any] | None) -> ImputationConfig:
    """The engine's imputation settings from wire parameters (null fields take defaults)."""
    from avatars_server.engine import ImputationConfig

    values = values or {}
    defaults = ImputationConfig()
    return ImputationConfig(
        method=values.get("method") or defaults.method,
        k=values["k"] if values.get("k") is not None else defaults.k,
        training_fraction=(
            values["training_fraction"]
            if values.get("training_fraction") is not None
            else defaults.training_fraction
        ),
    )


def privacy_config(parameters: Mapping[str, Any]) -> PrivacyConfig:
    from avatars_server.engine import PrivacyConfig

    defaults = PrivacyConfig()
    percentage = parameters.get("closest_rate_percentage_threshold")
    ratio = parameters.get("closest_rate_ratio_threshold")
    return PrivacyConfig(
        ncp=parameters.get("ncp"),
        imputation=imputation_config(parameters.get("imputation")),
        known_variables=parameters.get("known_variables"),
        target=parameters.get("target"),
        closest_rate_percentage_threshold=(
            defaults.closest_rate_percentage_threshold if percentage is None else percentage
        ),
        closest_rate_ratio_threshold=defaults.closest_rate_ratio_threshold
        if ratio is None
        else ratio,
        seed=parameters.get("seed"),
        # Not a declared wire field (published clients send it as an extra parameter).
        categorical_hidden_rate_variables=parameters.get("categorical_hidden_rate_variables"),
    )


def _frames(
    columns: Sequence[ColumnDescriptor], aligned: bool, *frames: pd.DataFrame
) -> list[pd.DataFrame]:
    """The frames' variables with the columns' roles; `aligned` frames (the engine's own
    output next to its input) already agree and only lose their identifier columns."""
    if not aligned:
        return [conform(frame, columns) for frame in frames]
    labels = [column["label"] for column in variables(columns)]
    return [frame[labels] for frame in frames]


def privacy_metrics(
    original: pd.DataFrame,
    unshuffled: pd.DataFrame,
    columns: Sequence[ColumnDescriptor],
    config: PrivacyConfig,
    progress: Progress,
    *,
    aligned: bool = False,
    record: JobContext | None = None,
    with_projection: bool = False,
    nearest_others: NearestOthers | None = None,
) -> dict[str, Any]:
    """The wire `PrivacyMetrics` of `unshuffled` avatars against `original`.

    With `record`, the job also records what reports show (and, `with_projection`, the metric
    projection for the projections, variance and contributions routes). `nearest_others`: the
    avatarization's, which spares a search when the metric projection is its own.
    """
    from avatars_server.engine import PRIVACY_TARGETS, compute_privacy_metrics

    original, unshuffled = _frames(columns, aligned, original, unshuffled)
    roles = categorical(columns)
    result = compute_privacy_metrics(
        original,
        unshuffled,
        config,
        categorical=roles,
        progress=progress,
        explain=record is not None,
        # The metric projection is recorded by a privacy job only (a full job records the
        # avatarization's): not built otherwise.
        explain_model=with_projection,
        nearest_others=nearest_others,
    )
    if record is not None and result.diagnostics is not None:
        record_privacy(record, result, config, list(original.columns), roles)
        if with_projection and result.diagnostics.model is not None:
            record_projection(record, result.diagnostics.model, "privacy_metrics")
    metrics: dict[str, Any] = {
        name: finite(getattr(result, name), name) for name in REQUIRED_PRIVACY_METRICS
    }
    for name in OPTIONAL_PRIVACY_METRICS:
        metrics[name] = finite_or_none(getattr(result, name))
    metrics["targets"] = dict(PRIVACY_TARGETS)
    return metrics


def signal_metrics(
    original: pd.DataFrame,
    avatars: pd.DataFrame,
    columns: Sequence[ColumnDescriptor],
    *,
    aligned: bool = False,
    record: JobContext | None = None,
    figures: Callable[[], Mapping[str, Any]] | None = None,
) -> dict[str, Any]:
    """The wire `SignalMetrics` of `avatars` against `original` (with `record`, the job also
    records the distributions and correlations reports show; `figures` gives their figure data
    when computed elsewhere, see `signal_figures`)."""
    from avatars_server.engine import SIGNAL_TARGETS, compute_signal_metrics

    original, avatars = _frames(columns, aligned, original, avatars)
    result = compute_signal_metrics(original, avatars, categorical=categorical(columns))
    if record is not None:
        hellinger = result.details.get("hellinger")
        per_variable = dict(hellinger) if isinstance(hellinger, Mapping) else {}
        record_signal(
            record,
            original,
            avatars,
            variables(columns),
            per_variable,
            figures=None if figures is None else figures(),
        )
    return {
        "hellinger_mean": finite(result.hellinger_mean, "hellinger_mean"),
        "hellinger_std": finite(result.hellinger_std, "hellinger_std"),
        "correlation_difference_ratio": finite_or_none(result.correlation_difference_ratio),
        "targets": dict(SIGNAL_TARGETS),
    }


def _with_avatarization_settings(
    context: JobContext, owner_id: uuid.UUID, parameters: Mapping[str, Any]
) -> dict[str, Any]:
    """`parameters` whose unset ncp, imputation and seed come from `avatarization_job_id`, so
    that the metrics measure the avatarization's own space (the worst case, method.md §4)."""
    merged = dict(parameters)
    job_id = parameters.get("avatarization_job_id")
    if not job_id:
        return merged
    with context.session() as session:
        row = jobs.get_job(session, uuid.UUID(job_id))
        if row is None or row.owner_id != owner_id or row.kind != "avatarization":
            return merged
        used = dict(row.parameters)
        # Re-encoded columns (to_categorical_threshold) give the avatarization another space.
        if row.status == "success" and row.result and used.get("to_categorical_threshold") is None:
            used["ncp"] = row.result.get("ncp", used.get("ncp"))
        else:
            used["ncp"] = None
    for key in ("ncp", "imputation", "seed"):
        if merged.get(key) is None:
            merged[key] = used.get(key)
    return merged


def run_privacy_job(
    context: JobContext, owner_id: uuid.UUID, parameters: Mapping[str, Any]
) -> dict[str, Any]:
    parameters = _with_avatarization_settings(context, owner_id, parameters)
    progress = context.phase(0.0, 1.0)
    progress("reading", 0.0)
    original_row, original = load_dataset(context, uuid.UUID(parameters["original_id"]), owner_id)
    _, avatars = load_dataset(context, uuid.UUID(parameters["unshuffled_avatars_id"]), owner_id)
    progress("metrics", 0.1)
    return privacy_metrics(
        original,
        avatars,
        original_row.columns,
        privacy_config(parameters),
        context.phase(0.1, 1.0),
        record=context,
        with_projection=True,
    )


def run_signal_job(
    context: JobContext, owner_id: uuid.UUID, parameters: Mapping[str, Any]
) -> dict[str, Any]:
    progress = context.phase(0.0, 1.0)
    progress("reading", 0.0)
    original_row, original = load_dataset(context, uuid.UUID(parameters["original_id"]), owner_id)
    _, avatars = load_dataset(context, uuid.UUID(parameters["avatars_id"]), owner_id)
    progress("metrics", 0.3)
    return signal_metrics(original, avatars, original_row.columns, record=context)
