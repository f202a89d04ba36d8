"""The geolocation privacy report (POST /reports/geolocation_privacy, avatar-api §2.8).

Checks a request, and assembles the report's content from what the geolocation privacy job
recorded: its per-scenario metrics against the targets of ``GEOLOCATION_TARGETS``, and the
trajectory sample the job stored for the map (``trajectory_artifacts``). No dataset is read.
"""

from __future__ import annotations

import dataclasses
import statistics
import uuid
from collections.abc import Mapping
from typing import Any

import pandas as pd
from sqlalchemy.orm import Session

from avatars_server import __version__
from avatars_server.config import Settings
from avatars_server.engine.config import GEOLOCATION_TARGETS
from avatars_server.reports import service, wording
from avatars_server.reports.content import (
    Conclusion,
    FailedTarget,
    Figures,
    GeolocationScenarioResult,
    GeolocationSection,
    MetricSettings,
    Parameters,
    PrivacySection,
    Provenance,
    ReportContent,
    SignalSection,
    TrajectorySample,
    from_plain,
    metric_result,
)
from avatars_server.storage import artifacts
from avatars_server.storage.tables import DatasetRow, ReportRow

KIND = "privacy_metrics_geolocation"
GEOLOCATION_METRIC_NAMES: tuple[str, ...] = (
    "hidden_rate",
    "local_cloaking",
    "distance_to_closest",
    "closest_distances_ratio",
    "closest_rate",
    "specific_hidden_rate",
    "trace_correlation_protection_rate",
    "features_correlation_protection_rate",
    "features_inference_rate",
    "thresholded_signal_inference_rate",
)
"""The scalar metrics of a scenario (wire `GeolocationPrivacyMetrics`), in report order."""

_SPREAD = "treat the trajectories more strongly (more noise, coarser or fewer points)"
GEOLOCATION_FIXES = {
    "hidden_rate": _SPREAD,
    "local_cloaking": _SPREAD,
    "closest_distances_ratio": _SPREAD,
    "closest_rate": _SPREAD,
}
"""What usually fixes a distance-based geolocation metric (the others are in METRIC_FIXES)."""

NO_SIGNAL_NOTE = (
    "A geolocation privacy job measures privacy only: this report has no signal section. "
    "Trajectories are compared one to one, paired by their identifier."
)
NO_MAP_NOTE = (
    "The privacy job ran before this server recorded trajectories for reports, so the report "
    "has no map. Run the geolocation privacy job again to get it."
)


def check_geolocation_report(
    session: Session,
    owner_id: uuid.UUID,
    dataset_id: uuid.UUID,
    avatars_dataset_id: uuid.UUID,
    privacy_job_id: uuid.UUID,
) -> service.ReportSources:
    """Check a POST /reports/geolocation_privacy request: 404 unknown (or someone else's)
    datasets and job, 422 a job of another kind or datasets it did not compare, 409 a job that
    has not succeeded."""
    original = service.find_dataset(session, dataset_id, owner_id, "dataset_id")
    treated = service.find_dataset(session, avatars_dataset_id, owner_id, "avatars_dataset_id")
    job = service.find_job(session, privacy_job_id, owner_id, "privacy_job_id")
    if job.kind != KIND:
        raise service.invalid(
            "privacy_job_id",
            f"must name a geolocation privacy job (POST /jobs/metrics/privacy_geolocation); "
            f"job {job.id} is a {job.kind} job.",
        )
    parameters = job.parameters
    for field, row, key in (
        ("dataset_id", original, "original_dataset_id"),
        ("avatars_dataset_id", treated, "unshuffled_avatar_dataset_id"),
    ):
        used = str(parameters.get(key))
        if used != str(row.id):
            raise service.invalid(
                field,
                f"job {job.id} compared dataset {used} as its {key}, not {row.id}. Name the "
                f"datasets the privacy job used (original {parameters.get('original_dataset_id')}"
                f", treated {parameters.get('unshuffled_avatar_dataset_id')}).",
            )
    service.check_success(job, "privacy_job_id")
    datasets: dict[Any, DatasetRow] = {"original": original, "unshuffled_avatars": treated}
    key = f"{owner_id}:geolocation_privacy:{original.id}:{treated.id}:{job.id}"
    return service.ReportSources("geolocation_privacy", job.id, None, job, None, datasets, key)


def scenario_summary(parameters: Mapping[str, Any]) -> str:
    """What the attacker holds in a scenario, in words."""
    projection = parameters.get("projection_parameters") or {}
    if projection.get("projection_type") == "geolocation_features":
        parts = ["trip features (length, duration, speed) as the projection"]
    else:
        parts = [
            f"density maps of {projection.get('n_lat_to_compute')} × "
            f"{projection.get('n_lon_to_compute')} cells as the projection"
        ]
    known = parameters.get("known_features")
    if known:
        parts.append(f"known features: {', '.join(map(str, known))}")
    if parameters.get("target_feature"):
        parts.append(f"inferred feature: {parameters['target_feature']}")
    if parameters.get("known_signal_position"):
        parts.append(f"known part of each trace: its {parameters['known_signal_position']}")
    if parameters.get("target_signal_poi"):
        parts.append(
            f"inferred point: the {parameters['target_signal_poi']} point (success within "
            f"{parameters.get('inference_metric_threshold', 500):g} m)"
        )
    text = "; ".join(parts)
    return text[0].upper() + text[1:]


def scenario_result(index: int, entry: Mapping[str, Any]) -> GeolocationScenarioResult:
    """One scenario of the job's result against the targets."""
    values = entry.get("privacy_metrics") or {}
    parameters = dict(entry.get("parameters") or {})
    distances = [float(d) for d in values.get("inference_distances") or []]
    return GeolocationScenarioResult(
        index=index,
        summary=scenario_summary(parameters),
        parameters=parameters,
        metrics=[
            metric_result(name, values.get(name), GEOLOCATION_TARGETS.get(name))
            for name in GEOLOCATION_METRIC_NAMES
        ],
        inference_distance_median=statistics.median(distances) if distances else None,
        inference_distance_count=len(distances),
    )


def conclusion(scenarios: list[GeolocationScenarioResult]) -> Conclusion:
    """Every metric of every scenario that misses its target, with what usually fixes it."""
    from avatars_server.reports.content import METRIC_FIXES

    failed = [
        FailedTarget(
            f"scenario {s.index + 1}: {wording.metric_title(m.name)}",
            m.value,
            m.target or "",
            GEOLOCATION_FIXES.get(m.name) or METRIC_FIXES.get(m.name, ""),
        )
        for s in scenarios
        for m in s.metrics
        if m.passed is False
    ]
    if not failed:
        summary = "Every metric with a target meets it, in every scenario."
    else:
        summary = f"{len(failed)} metric(s) miss their target: {'; '.join(f.name for f in failed)}."
    return Conclusion(all_passed=not failed, failed=failed, summary=summary)


def trajectory_artifacts(
    original: pd.DataFrame, avatars: pd.DataFrame, id_column: str
) -> dict[str, Any]:
    """What a geolocation privacy job records for reports: a seeded sample of trajectories of
    both tables (paired by identifier, thinned), bounded whatever the data's size."""
    from avatars.series_plot_data import MAX_TRAJECTORY_POINTS, sample_trajectories

    x, a = sample_trajectories(original, avatars, id_column=id_column, time_column="t")
    sample = TrajectorySample(
        original_ids=[str(v) for v in x[id_column]],
        original_lat=[float(v) for v in x["lat"]],
        original_lon=[float(v) for v in x["lon"]],
        avatars_ids=[str(v) for v in a[id_column]],
        avatars_lat=[float(v) for v in a["lat"]],
        avatars_lon=[float(v) for v in a["lon"]],
        n_total=int(original[id_column].nunique()),
        n_sampled=int(x[id_column].nunique()),
        max_points=MAX_TRAJECTORY_POINTS,
        sample_seed=0,
    )
    return {"id_column": id_column, "sample": dataclasses.asdict(sample)}


def build_geolocation_content(
    settings: Settings, report: ReportRow, sources: service.ReportSources
) -> ReportContent:
    """The report's content from the geolocation privacy job's result and recorded sample."""
    job = sources.privacy_job
    result = job.result or {}
    scenarios = [
        scenario_result(index, entry)
        for index, entry in enumerate(result.get("privacy_metrics_per_scenario") or [])
    ]
    recorded = artifacts.read_json(settings, job.id, artifacts.GEOLOCATION) or {}
    sample = from_plain(TrajectorySample, recorded["sample"]) if recorded.get("sample") else None
    original = sources.datasets["original"]
    notes = [NO_SIGNAL_NOTE] + ([] if sample is not None else [NO_MAP_NOTE])
    return ReportContent(
        title=f"Geolocation privacy report: {original.name or original.id}",
        provenance=Provenance(
            report_id=str(report.id),
            kind="geolocation_privacy",
            created_at=service.iso(report.created_at) or "",
            server_version=__version__,
            engine_version=__version__,
            avatarization_job_id=None,
            privacy_job_id=str(job.id),
            signal_job_id=None,
            privacy_job_created_at=service.iso(job.created_at),
        ),
        datasets=[service.dataset_description(r, row) for r, row in sources.datasets.items()],
        parameters=Parameters(
            avatarization=None,
            metrics=MetricSettings.unknown(),
            raw_privacy=dict(job.parameters),
        ),
        privacy=PrivacySection(metrics=[], local_cloaking_zero_share=None),
        signal=SignalSection(metrics=[], hellinger_per_variable=[]),
        figures=Figures(None, None, None, [], None, None, None, None),
        conclusion=conclusion(scenarios),
        notes=notes,
        geolocation=GeolocationSection(
            scenarios=scenarios,
            trajectories=sample,
            id_column=str(recorded.get("id_column") or "id"),
            n_trajectories=sample.n_total if sample is not None else None,
        ),
    )
