"""The figures of an avatarization, one implementation for notebooks and the server's reports.

Each ``plot_*`` function takes DataFrames, arrays or the bounded summaries of
:mod:`avatars.plot_data`, and returns a matplotlib ``Figure`` (no pyplot state: safe in a server
thread, shown as is in a notebook). matplotlib is an optional extra, imported on first use:
``pip install "avatars[plots]"``. Figures are 6.7 inches wide, the text width of an A4 page, with
8-point text, so they read the same in a PDF, a web page and a notebook.

The drawing lives in :mod:`avatars._table_figures` and :mod:`avatars._series_figures`; this module
is the public face, and draws the figures of a finished job fetched through the client.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd

from avatars._plot_style import (
    AVATAR_COLOR,
    INSTALL_HINT,
    ORIGINAL_COLOR,
    PER_PAGE,
    TARGET_COLOR,
    CorrelationDataLike,
    DistributionDataLike,
    VariableDistributionLike,
    figure_svg,
)
from avatars._series_figures import plot_time_series, plot_trajectories
from avatars._table_figures import (
    plot_contributions,
    plot_correlations,
    plot_distribution_page,
    plot_distributions,
    plot_explained_variance,
    plot_privacy_distributions,
    plot_projections,
)

if TYPE_CHECKING:
    from uuid import UUID

    from matplotlib.figure import Figure

    from avatars.client import ApiClient

# --- from a job id, through the client ----------------------------------------------------------


def plot_job_projections(
    client: ApiClient, job_id: str | UUID, *, max_points: int = 2_000
) -> Figure:
    """:func:`plot_projections` of a finished avatarization or privacy job
    (``client.metrics.get_job_projections`` and ``get_explained_variance``)."""
    projections = client.metrics.get_job_projections(job_id)
    variance = client.metrics.get_explained_variance(job_id)
    return plot_projections(
        projections.records,
        projections.avatars,
        variance_ratio=variance.ratio,
        max_points=max_points,
    )


def plot_job_explained_variance(
    client: ApiClient, job_id: str | UUID, *, ncp: int | None = None
) -> Figure:
    """:func:`plot_explained_variance` of a finished job (``get_explained_variance``)."""
    return plot_explained_variance(client.metrics.get_explained_variance(job_id).ratio, ncp=ncp)


def plot_job_contributions(
    client: ApiClient, job_id: str | UUID, dataset_id: str | UUID, *, top: int = 15
) -> Figure:
    """:func:`plot_contributions` of a finished job on one of its datasets
    (``get_variable_contributions``)."""
    contributions = client.metrics.get_variable_contributions(job_id, dataset_id)
    data: dict[str, dict[str, float]] = {
        component: {str(k): float(v) for k, v in values.to_dict().items()}
        for component, values in contributions.data.additional_properties.items()
    }
    return plot_contributions(data, top=top)


def _job_tables(client: ApiClient, job_id: str | UUID) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The original and the (shuffled) avatars of a finished avatarization job."""
    job = client.jobs.get_avatarization_job(job_id)
    result = job.result
    if not result:
        raise ValueError(f"Job {job_id} has no result yet (status {job.status}); wait for it.")
    download = client.pandas_integration.download_dataframe
    original = download(job.parameters.dataset_id, progress=False)
    avatars = download(result.avatars_dataset.id, progress=False)
    return original, avatars[original.columns]


def plot_job_distributions(
    client: ApiClient, job_id: str | UUID, *, per_page: int = PER_PAGE
) -> list[Figure]:
    """:func:`plot_distributions` of a finished avatarization job (downloads both tables)."""
    return plot_distributions(*_job_tables(client, job_id), per_page=per_page)


def plot_job_correlations(client: ApiClient, job_id: str | UUID) -> Figure:
    """:func:`plot_correlations` of a finished avatarization job (downloads both tables)."""
    return plot_correlations(*_job_tables(client, job_id))


def _job_series_tables(
    client: ApiClient, job_id: str | UUID, series: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The original and the (released) avatar long tables of one series of a time-series job."""
    job = client.jobs.get_avatarization_time_series_job(job_id)
    result = job.result
    if not result:
        raise ValueError(f"Job {job_id} has no result yet (status {job.status}); wait for it.")
    inputs = job.parameters.time_series
    if not 0 <= series < len(inputs):
        raise ValueError(f"Job {job_id} has {len(inputs)} series; pass series= from 0.")
    original_id = inputs[series].dataset_id
    produced = [r for r in result.datasets if r.original_id == original_id]
    if not produced:
        raise ValueError(f"Job {job_id} has no avatars of series dataset {original_id}.")
    download = client.pandas_integration.download_dataframe
    original = download(original_id, progress=False)
    avatars = download(produced[0].avatars_dataset.id, progress=False)
    return original, avatars


def plot_job_time_series(
    client: ApiClient,
    job_id: str | UUID,
    *,
    series: int = 0,
    variables: Sequence[str] | None = None,
    samples: int = 5,
    seed: int = 0,
) -> Figure:
    """:func:`plot_time_series` of one series of a finished avatarization with time series
    (downloads the original long table and its released avatars).

    Args:
        client: a logged-in client.
        job_id: the ``avatarization_with_time_series`` job.
        series: which of the job's series, in request order.
        variables, samples, seed: as in :func:`plot_time_series`.
    """
    original, avatars = _job_series_tables(client, job_id, series)
    return plot_time_series(original, avatars, variables=variables, samples=samples, seed=seed)


__all__ = [
    "AVATAR_COLOR",
    "INSTALL_HINT",
    "ORIGINAL_COLOR",
    "TARGET_COLOR",
    "CorrelationDataLike",
    "DistributionDataLike",
    "VariableDistributionLike",
    "figure_svg",
    "plot_contributions",
    "plot_correlations",
    "plot_distribution_page",
    "plot_distributions",
    "plot_explained_variance",
    "plot_job_contributions",
    "plot_job_correlations",
    "plot_job_distributions",
    "plot_job_explained_variance",
    "plot_job_projections",
    "plot_job_time_series",
    "plot_privacy_distributions",
    "plot_projections",
    "plot_time_series",
    "plot_trajectories",
]
