"""Words and numbers shared by the PDF and HTML renderers, so both say exactly the same thing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

from avatars_server.reports.content import (
    AvatarizationSettings,
    MetricResult,
    MetricSettings,
    ReportContent,
)

METRIC_TITLES = {
    "hidden_rate": "Hidden rate",
    "local_cloaking": "Local cloaking",
    "distance_to_closest": "Distance to closest",
    "closest_distances_ratio": "Closest distances ratio",
    "closest_rate": "Closest rate",
    "row_direct_match_protection": "Row direct match protection",
    "column_direct_match_protection": "Column direct match protection",
    "categorical_hidden_rate": "Categorical hidden rate",
    "correlation_protection_rate": "Correlation protection rate",
    "inference_continuous": "Inference (continuous target)",
    "inference_categorical": "Inference (categorical target)",
    "hellinger_mean": "Hellinger distance, mean",
    "hellinger_std": "Hellinger distance, sd",
    "correlation_difference_ratio": "Correlation difference ratio",
    "specific_hidden_rate": "Specific hidden rate (known part)",
    "features_inference_rate": "Feature inference",
    "features_correlation_protection_rate": "Feature linkage protection",
    "thresholded_signal_inference_rate": "Point-of-interest inference",
    "trace_correlation_protection_rate": "Trace linkage protection",
}

_GEOLOCATION_NEEDS = {
    "specific_hidden_rate": "known part of the trace (known_signal_position)",
    "trace_correlation_protection_rate": "known part of the trace (known_signal_position)",
    "features_correlation_protection_rate": "known features (known_features)",
    "features_inference_rate": "known features and target feature (target_feature)",
    "thresholded_signal_inference_rate": (
        "known part of the trace and point to infer (target_signal_poi)"
    ),
}
_NEEDS_KNOWN = {"correlation_protection_rate", "inference_continuous", "inference_categorical"}

ROLE_TITLES = {
    "original": "original",
    "avatars": "avatars (shuffled)",
    "unshuffled_avatars": "avatars (unshuffled, kept on the server)",
}


def metric_title(name: str) -> str:
    """The plain title of a metric (its wire name when unknown)."""
    return METRIC_TITLES.get(name, name)


def format_value(value: float | None) -> str:
    """A metric value as printed in every report: 2 decimals, 3 below 1; "—" when undefined."""
    if value is None:
        return "—"
    return f"{value:.3f}" if abs(value) < 1 else f"{value:.2f}"


def verdict(metric: MetricResult) -> str:
    """``passed``, ``not passed``, ``not computed`` or ``no target``."""
    if metric.value is None:
        return "not computed"
    if metric.passed is None:
        return "no target"
    return "passed" if metric.passed else "not passed"


def why_missing(metric: MetricResult) -> str:
    """Why a metric has no value, for the reader ('' when it has one)."""
    if metric.value is not None:
        return ""
    if metric.name in _NEEDS_KNOWN:
        return "Not computed: it needs the variables an attacker knows (known_variables)"
    if metric.name in _GEOLOCATION_NEEDS:
        return f"Not computed: the scenario sets no {_GEOLOCATION_NEEDS[metric.name]}"
    return "Not computed for this data"


def score(metrics: list[MetricResult]) -> str:
    """``"9 of 11 targets met"`` over the metrics that have a value and a target."""
    judged = [m for m in metrics if m.passed is not None]
    return f"{sum(bool(m.passed) for m in judged)} of {len(judged)} targets met"


def lc_sentences(content: ReportContent) -> Iterator[str]:
    """Plain sentences on the individuals at risk (local cloaking shares, worst column)."""
    privacy = content.privacy
    if privacy.local_cloaking_zero_share is not None:
        yield (
            f"{privacy.local_cloaking_zero_share:.1f} % of the individuals have a local cloaking "
            "of 0: their own avatar is the closest one to their record. They are the ones at risk."
        )
    if privacy.local_cloaking_at_most_5_share is not None:
        yield (
            f"{privacy.local_cloaking_at_most_5_share:.1f} % have a local cloaking of 5 or less."
        )
    if privacy.local_cloaking_mean is not None:
        yield f"The mean local cloaking is {privacy.local_cloaking_mean:.1f}."
    if privacy.worst_column:
        yield f"The column least protected against direct matches is {privacy.worst_column}."


def dimensions(rows: int, columns: int) -> str:
    """``"150 rows × 5 columns"``."""
    return f"{rows:,} rows × {columns:,} columns"


def seed_text(seed: int | None) -> str:
    """The seed, or why there is none."""
    if seed is None:
        return "none (fresh randomness, not stored: the avatars cannot be regenerated)"
    return str(seed)


def when(timestamp: str | None) -> str:
    """An ISO timestamp as ``2026-01-01 09:30 UTC`` (as given when it does not parse)."""
    if not timestamp:
        return "—"
    try:
        moment = datetime.fromisoformat(timestamp.replace("Z", "+00:00"))
    except ValueError:
        return timestamp
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def batch_table(content: ReportContent) -> tuple[list[str], list[list[str]]]:
    """A batch report's per-batch table as text: header and one row per batch."""
    from avatars_server.reports.content import BATCH_TABLE_PRIVACY, BATCH_TABLE_SIGNAL

    names = [*BATCH_TABLE_PRIVACY, *BATCH_TABLE_SIGNAL]
    header = ["Batch", "Dataset", "Rows", *(metric_title(n) for n in names)]
    rows = []
    for batch in content.batches:
        label = "training" if batch.training else str(batch.index)
        dataset = f"{batch.name or 'unnamed'} ({batch.original_id})"
        rows.append(
            [
                label,
                dataset,
                "—" if batch.rows is None else str(batch.rows),
                *(format_value(batch.privacy.get(n)) for n in BATCH_TABLE_PRIVACY),
                *(format_value(batch.signal.get(n)) for n in BATCH_TABLE_SIGNAL),
            ]
        )
    return header, rows


def glance_groups(content: ReportContent) -> list[tuple[str, list[MetricResult]]]:
    """The groups of the "at a glance" table: privacy and signal, or one per geolocation
    scenario."""
    if content.geolocation is not None:
        return [
            (f"Scenario {s.index + 1}: {s.summary}", s.metrics)
            for s in content.geolocation.scenarios
        ]
    return [("Privacy", content.privacy.metrics), ("Signal", content.signal.metrics)]


def summary_line(content: ReportContent) -> str:
    """The one-paragraph summary under the title."""
    if content.geolocation is not None:
        metrics = [m for s in content.geolocation.scenarios for m in s.metrics]
        count = len(content.geolocation.scenarios)
        return (
            f"Geolocation privacy over {count} scenario(s): {score(metrics)}. "
            f"{content.conclusion.summary}"
        )
    return (
        f"Privacy: {score(content.privacy.metrics)}. Signal: {score(content.signal.metrics)}. "
        f"{content.conclusion.summary}"
    )


def avatarization_rows(a: AvatarizationSettings) -> list[tuple[str, str]]:
    """The avatarization's parameters as (name, value) rows, as every report format shows them."""
    weights = (
        ", ".join(f"{k}: {v:g}" for k, v in a.column_weights.items())
        if a.column_weights
        else "every column 1"
    )
    return [
        ("k (neighbours per avatar)", str(a.k)),
        ("ncp requested", "default" if a.ncp is None else str(a.ncp)),
        ("ncp used (axes of the neighbour search)", str(a.ncp_used or "—")),
        ("column weights", weights),
        (
            "imputation",
            f"{a.imputation_method}, k = {a.imputation_k}, "
            f"training fraction {a.imputation_training_fraction:g}",
        ),
        ("seed", seed_text(a.seed)),
    ]


def metric_rows(m: MetricSettings) -> list[tuple[str, str]]:
    """The metrics' parameters as (name, value) rows, as every report format shows them."""
    return [
        ("ncp", "default" if m.ncp is None else str(m.ncp)),
        ("imputation", f"{m.imputation_method}, k = {m.imputation_k}"),
        ("seed", seed_text(m.seed)),
        ("known variables", ", ".join(m.known_variables or []) or "none"),
        ("target variable", m.target or "none"),
        (
            "closest-rate thresholds",
            f"percentile {m.closest_rate_percentage_threshold:g}, "
            f"ratio {m.closest_rate_ratio_threshold:g}",
        ),
        ("variables compared", f"{len(m.variables)}, of which {len(m.categorical)} categorical"),
    ]
