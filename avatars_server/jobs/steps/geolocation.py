"""The geolocation privacy step: two point tables in, the metrics of every scenario out."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from avatars_server.jobs.context import JobContext
from avatars_server.jobs.steps.common import identifiers, load_dataset

if TYPE_CHECKING:
    import pandas as pd

    from avatars_server.datasets.columns import ColumnDescriptor
    from avatars_server.engine.geolocation import Scenario


def id_column(columns: Sequence[ColumnDescriptor]) -> str:
    """The trajectory identifier: the declared identifier column, else `id` (§4.2)."""
    declared = identifiers(columns)
    return declared[0] if declared else "id"


def scenario(values: Mapping[str, Any]) -> Scenario:
    """The engine's scenario from a wire scenario (null fields take their defaults)."""
    from avatars_server.engine.geolocation import DEFAULT_GRID, DEFAULT_THRESHOLD_M, Scenario

    projection = values.get("projection_parameters") or {}
    threshold = values.get("inference_metric_threshold")
    return Scenario(
        projection_type=projection.get("projection_type") or "geolocation_density",
        n_lat=projection.get("n_lat_to_compute") or DEFAULT_GRID,
        n_lon=projection.get("n_lon_to_compute") or DEFAULT_GRID,
        known_features=values.get("known_features"),
        target_feature=values.get("target_feature"),
        known_signal_position=values.get("known_signal_position"),
        target_signal_poi=values.get("target_signal_poi"),
        inference_metric_threshold=DEFAULT_THRESHOLD_M if threshold is None else float(threshold),
    )


def echo(values: Mapping[str, Any]) -> dict[str, Any]:
    """The scenario as the result echoes it: defaults filled in (§4.4)."""
    from avatars_server.engine.geolocation import DEFAULT_GRID, DEFAULT_THRESHOLD_M

    out = dict(values)
    projection = dict(out.get("projection_parameters") or {})
    if projection.get("projection_type", "geolocation_density") == "geolocation_density":
        projection["projection_type"] = "geolocation_density"
        for key in ("n_lat_to_compute", "n_lon_to_compute"):
            projection[key] = projection.get(key) or DEFAULT_GRID
    out["projection_parameters"] = projection
    if out.get("inference_metric_threshold") is None:
        out["inference_metric_threshold"] = DEFAULT_THRESHOLD_M
    return out


def run_geolocation_job(
    context: JobContext, owner_id: uuid.UUID, parameters: Mapping[str, Any]
) -> dict[str, Any]:
    from avatars_server.engine.geolocation import scenario_metrics
    from avatars_server.engine.trajectories import paired

    progress = context.phase(0.0, 1.0)
    progress("reading", 0.0)
    original_row, original = load_dataset(
        context, uuid.UUID(parameters["original_dataset_id"]), owner_id
    )
    _, avatars = load_dataset(
        context, uuid.UUID(parameters["unshuffled_avatar_dataset_id"]), owner_id
    )
    identifier = id_column(original_row.columns)
    trajectories = paired(original, avatars, identifier)
    scenarios = list(parameters.get("scenarios") or [])
    results = []
    for index, values in enumerate(scenarios):
        progress(f"scenario {index + 1} of {len(scenarios)}", 0.1 + 0.9 * index / len(scenarios))
        metrics = scenario_metrics(scenario(values), *trajectories)
        results.append({"privacy_metrics": dict(vars(metrics)), "parameters": echo(values)})
    _record_trajectories(context, original, avatars, identifier)
    return {"privacy_metrics_per_scenario": results}


def _record_trajectories(
    context: JobContext, original: pd.DataFrame, avatars: pd.DataFrame, identifier: str
) -> None:
    """The trajectory sample the geolocation report draws its map from (bounded)."""
    from avatars_server.reports.geolocation import trajectory_artifacts
    from avatars_server.storage import artifacts

    data = trajectory_artifacts(original, avatars, identifier)
    artifacts.write_json(context.settings, context.job_id, artifacts.GEOLOCATION, data)
