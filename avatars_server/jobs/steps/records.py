"""What jobs record for the metrics and reports routes, next to their results.

A job that fits a projection records its coordinates, explained variance and contributions; a
privacy job its per-individual distributions and settings; a signal job the binned
distributions and correlation matrices. All is computed from data the job already holds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from avatars_server.jobs.context import JobContext

if TYPE_CHECKING:
    import pandas as pd

    from avatars_server.engine import PrivacyConfig
    from avatars_server.engine.explain import ProjectionModel
    from avatars_server.engine.privacy import PrivacyMetricsResult

PROJECTION_AXES = 3
"""Axes served by GET /projections/{job_id} (avatar-api §2.7)."""


def record_projection(context: JobContext, model: ProjectionModel, source: str) -> None:
    """Coordinates (first three axes), explained variance and contributions of a FAMD."""
    from avatars_server.reports.build import projection_artifacts
    from avatars_server.storage import artifacts

    axes = min(PROJECTION_AXES, model.original_coords.shape[1])
    records = model.original_coords[:, :axes]
    avatars = model.avatar_coords[:, :axes]
    artifacts.write_array(context.settings, context.job_id, artifacts.RECORDS, records)
    artifacts.write_array(context.settings, context.job_id, artifacts.AVATARS, avatars)
    data = projection_artifacts(
        source,
        model.eigenvalues,
        model.explained_variance_ratio,
        {"original": model.contributions_original, "avatars": model.contributions_avatars},
        records,
        avatars,
    )
    artifacts.write_json(context.settings, context.job_id, artifacts.PROJECTION, data)


def record_privacy(
    context: JobContext,
    result: PrivacyMetricsResult,
    config: PrivacyConfig,
    variables: Sequence[str],
    categorical: Sequence[str],
) -> None:
    """Histograms of local cloaking, DCR and NNDR, shares, and the settings used."""
    from avatars_server.reports.build import privacy_artifacts
    from avatars_server.reports.content import MetricSettings
    from avatars_server.storage import artifacts

    diagnostics = result.diagnostics
    if diagnostics is None:
        return
    ncp = result.details.get("ncp")
    settings = MetricSettings(
        ncp=ncp if isinstance(ncp, int) else None,
        imputation_method=config.imputation.method,
        imputation_k=config.imputation.k,
        imputation_training_fraction=float(config.imputation.training_fraction),
        seed=config.seed,
        known_variables=list(config.known_variables) if config.known_variables else None,
        target=config.target,
        closest_rate_percentage_threshold=float(config.closest_rate_percentage_threshold),
        closest_rate_ratio_threshold=float(config.closest_rate_ratio_threshold),
        variables=list(variables),
        categorical=list(categorical),
    )
    worst = result.details.get("column_direct_match_protection_worst_column")
    data = privacy_artifacts(
        diagnostics.local_cloaking,
        diagnostics.distance_to_closest,
        diagnostics.closest_distances_ratio,
        result.targets,
        settings,
        None if worst is None else str(worst),
    )
    artifacts.write_json(context.settings, context.job_id, artifacts.PRIVACY, data)


def record_signal(
    context: JobContext,
    original: pd.DataFrame,
    avatars: pd.DataFrame,
    columns: Sequence[Mapping[str, Any]],
    hellinger: Mapping[str, float],
    figures: Mapping[str, Any] | None = None,
) -> None:
    """Per-variable Hellinger, binned distributions and correlation matrices.

    Args:
        figures: ``signal_figures`` of the same tables and columns when already computed (a
            full job computes them while its metrics run).
    """
    from avatars_server.reports.build import signal_figures, with_hellinger
    from avatars_server.storage import artifacts

    if figures is None:
        figures = signal_figures(original, avatars, columns)
    data = with_hellinger(figures, hellinger)
    artifacts.write_json(context.settings, context.job_id, artifacts.SIGNAL, data)
