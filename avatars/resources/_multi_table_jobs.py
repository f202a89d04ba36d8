"""Multi-table and geolocation job methods of the `jobs` namespace (reference §2.6)."""

from __future__ import annotations

from uuid import UUID

from avatar_api_client.api.jobs import (
    create_avatarization_multi_table_job,
    create_privacy_metrics_geolocation_job,
    create_privacy_metrics_multi_table_job,
    get_avatarization_multi_table_job,
    get_privacy_metrics_geolocation_job,
    get_privacy_metrics_multi_table_job,
)
from avatar_api_client.models import (
    AvatarizationMultiTableJob,
    AvatarizationMultiTableJobCreate,
    PrivacyMetricsGeolocationJob,
    PrivacyMetricsGeolocationJobCreate,
    PrivacyMetricsMultiTableJob,
    PrivacyMetricsMultiTableJobCreate,
)
from avatars._constants import DEFAULT_JOB_TIMEOUT
from avatars._response import parsed
from avatars.resources._base import Resource
from avatars.waiting import RUNNING_STATUSES, job_end_estimate, poll


def _running(job: object) -> bool:
    status = getattr(job, "status", None)
    return str(getattr(status, "value", status)) in RUNNING_STATUSES


def _uuid(id: str | UUID) -> UUID:
    return id if isinstance(id, UUID) else UUID(str(id))


class MultiTableJobs(Resource):
    """Create and read multi-table avatarizations and the multi-table and geolocation privacy
    jobs."""

    def create_privacy_metrics_geolocation_job(
        self, request: PrivacyMetricsGeolocationJobCreate, *, timeout: float | None = None
    ) -> PrivacyMetricsGeolocationJob:
        """Privacy metrics of treated trajectories against the originals, one per scenario."""
        with self._client.request_options(timeout):
            response = create_privacy_metrics_geolocation_job.sync_detailed(
                client=self._client.generated, body=request
            )
        return parsed(response, PrivacyMetricsGeolocationJob)

    def create_avatarization_multi_table_job(
        self, request: AvatarizationMultiTableJobCreate, *, timeout: float | None = None
    ) -> AvatarizationMultiTableJob:
        """Avatarize linked tables, each with its own parameters, and rebuild the links."""
        with self._client.request_options(timeout):
            response = create_avatarization_multi_table_job.sync_detailed(
                client=self._client.generated, body=request
            )
        return parsed(response, AvatarizationMultiTableJob)

    def create_privacy_metrics_multi_table_job(
        self, request: PrivacyMetricsMultiTableJobCreate, *, timeout: float | None = None
    ) -> PrivacyMetricsMultiTableJob:
        """Privacy metrics of linked avatar tables, per table and computation type."""
        with self._client.request_options(timeout):
            response = create_privacy_metrics_multi_table_job.sync_detailed(
                client=self._client.generated, body=request
            )
        return parsed(response, PrivacyMetricsMultiTableJob)

    def get_privacy_metrics_geolocation_job(
        self,
        id: str | UUID,
        *,
        per_request_timeout: float | None = None,
        timeout: float | None = DEFAULT_JOB_TIMEOUT,
    ) -> PrivacyMetricsGeolocationJob:
        """The geolocation privacy job once finished, or as it is after `timeout` seconds."""

        def fetch() -> PrivacyMetricsGeolocationJob:
            with self._client.request_options(per_request_timeout):
                response = get_privacy_metrics_geolocation_job.sync_detailed(
                    _uuid(id), client=self._client.generated
                )
            return parsed(response, PrivacyMetricsGeolocationJob)

        job: PrivacyMetricsGeolocationJob = poll(
            fetch, _running, timeout=timeout, remaining=job_end_estimate()
        )
        return job

    def get_avatarization_multi_table_job(
        self,
        id: str | UUID,
        *,
        per_request_timeout: float | None = None,
        timeout: float | None = DEFAULT_JOB_TIMEOUT,
    ) -> AvatarizationMultiTableJob:
        """The multi-table avatarization job once finished, or as it is after `timeout` s."""

        def fetch() -> AvatarizationMultiTableJob:
            with self._client.request_options(per_request_timeout):
                response = get_avatarization_multi_table_job.sync_detailed(
                    _uuid(id), client=self._client.generated
                )
            return parsed(response, AvatarizationMultiTableJob)

        job: AvatarizationMultiTableJob = poll(
            fetch, _running, timeout=timeout, remaining=job_end_estimate()
        )
        return job

    def get_privacy_metrics_multi_table_job(
        self,
        id: str | UUID,
        *,
        per_request_timeout: float | None = None,
        timeout: float | None = DEFAULT_JOB_TIMEOUT,
    ) -> PrivacyMetricsMultiTableJob:
        """The multi-table privacy job once finished, or as it is after `timeout` seconds."""

        def fetch() -> PrivacyMetricsMultiTableJob:
            with self._client.request_options(per_request_timeout):
                response = get_privacy_metrics_multi_table_job.sync_detailed(
                    _uuid(id), client=self._client.generated
                )
            return parsed(response, PrivacyMetricsMultiTableJob)

        job: PrivacyMetricsMultiTableJob = poll(
            fetch, _running, timeout=timeout, remaining=job_end_estimate()
        )
        return job
