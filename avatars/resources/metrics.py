"""The `metrics` namespace: projections, variable contributions and explained variance."""

from __future__ import annotations

from uuid import UUID

from avatar_api_client.api.metrics import (
    get_explained_variance,
    get_job_projections,
    get_variable_contributions,
)
from avatar_api_client.models import Contributions, ExplainedVariance, Projections
from avatars._response import parsed
from avatars.resources._base import Resource


class Metrics(Resource):
    def get_job_projections(
        self, job_id: str | UUID, *, timeout: float | None = None
    ) -> Projections:
        """Coordinates of each original (`records`) and of its avatar (`avatars`) on the first
        three axes of the job's projection (an avatarization or privacy metrics job).

        Raises:
            NotFoundError: unknown job, someone else's, or a kind without a projection.
            ConflictError: the job has not succeeded.
        """
        with self._client.request_options(timeout):
            response = get_job_projections.sync_detailed(
                UUID(str(job_id)), client=self._client.generated
            )
        return parsed(response, Projections)

    def get_variable_contributions(
        self, job_id: str | UUID, dataset_id: str | UUID, *, timeout: float | None = None
    ) -> Contributions:
        """Contribution in percent of each variable to each component ("Dim. 1", ...), on the
        job's original or one of its avatar datasets.

        Raises:
            UnprocessableEntityError: the dataset is not related to the job.
        """
        with self._client.request_options(timeout):
            response = get_variable_contributions.sync_detailed(
                client=self._client.generated,
                job_id=UUID(str(job_id)),
                dataset_id=UUID(str(dataset_id)),
            )
        return parsed(response, Contributions)

    def get_explained_variance(
        self, job_id: str | UUID, *, timeout: float | None = None
    ) -> ExplainedVariance:
        """Variance (`raw`) and share of the total (`ratio`) of each component."""
        with self._client.request_options(timeout):
            response = get_explained_variance.sync_detailed(
                UUID(str(job_id)), client=self._client.generated
            )
        return parsed(response, ExplainedVariance)
