"""Time-series job methods of the `jobs` namespace (operation ids of reference §2.6)."""

from __future__ import annotations

from uuid import UUID

from avatar_api_client.api.jobs import (
    create_avatarization_with_time_series_job,
    create_privacy_metrics_time_series_job,
    create_signal_metrics_time_series_job,
    get_avatarization_time_series_job,
    get_privacy_metrics_time_series_job,
    get_signal_metrics_time_series_job,
)
from avatar_api_client.models import (
    AvatarizationWithTimeSeriesJob,
    AvatarizationWithTimeSeriesJobCreate,
    PrivacyMetricsWithTimeSeriesJob,
    PrivacyMetricsWithTimeSeriesJobCreate,
    SignalMetricsWithTimeSeriesJob,
    SignalMetricsWithTimeSeriesJobCreate,
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


class TimeSeriesJobs(Resource):
    """Create and read avatarizations with time series and their metrics jobs."""

    def create_avatarization_with_time_series_job(
        self, request: AvatarizationWithTimeSeriesJobCreate, *, timeout: float | None = None
    ) -> AvatarizationWithTimeSeriesJob:
        """Avatarize individuals (an optional vanilla table) together with their series.

        Read it back with `get_avatarization_time_series_job`: `result.datasets` lists the
        vanilla first (if given), then each series dataset in request order.
        """
        with self._client.request_options(timeout):
            response = create_avatarization_with_time_series_job.sync_detailed(
                client=self._client.generated, body=request
            )
        return parsed(response, AvatarizationWithTimeSeriesJob)

    def create_privacy_metrics_time_series_job(
        self, request: PrivacyMetricsWithTimeSeriesJobCreate, *, timeout: float | None = None
    ) -> PrivacyMetricsWithTimeSeriesJob:
        """Privacy metrics of a vanilla pair and of each series pair (row-aligned avatars)."""
        with self._client.request_options(timeout):
            response = create_privacy_metrics_time_series_job.sync_detailed(
                client=self._client.generated, body=request
            )
        return parsed(response, PrivacyMetricsWithTimeSeriesJob)

    def create_signal_metrics_time_series_job(
        self, request: SignalMetricsWithTimeSeriesJobCreate, *, timeout: float | None = None
    ) -> SignalMetricsWithTimeSeriesJob:
        """Pointwise and density Hellinger of each series pair (and the vanilla's signal)."""
        with self._client.request_options(timeout):
            response = create_signal_metrics_time_series_job.sync_detailed(
                client=self._client.generated, body=request
            )
        return parsed(response, SignalMetricsWithTimeSeriesJob)

    def get_avatarization_time_series_job(
        self,
        id: str | UUID,
        *,
        per_request_timeout: float | None = None,
        timeout: float | None = DEFAULT_JOB_TIMEOUT,
    ) -> AvatarizationWithTimeSeriesJob:
        """The job once it has finished, or as it is when `timeout` seconds have passed."""

        def fetch() -> AvatarizationWithTimeSeriesJob:
            with self._client.request_options(per_request_timeout):
                response = get_avatarization_time_series_job.sync_detailed(
                    _uuid(id), client=self._client.generated
                )
            return parsed(response, AvatarizationWithTimeSeriesJob)

        job: AvatarizationWithTimeSeriesJob = poll(
            fetch, _running, timeout=timeout, remaining=job_end_estimate()
        )
        return job

    def get_privacy_metrics_time_series_job(
        self,
        id: str | UUID,
        *,
        per_request_timeout: float | None = None,
        timeout: float | None = DEFAULT_JOB_TIMEOUT,
    ) -> PrivacyMetricsWithTimeSeriesJob:
        """The privacy metrics job once finished, or as it is after `timeout` seconds."""

        def fetch() -> PrivacyMetricsWithTimeSeriesJob:
            with self._client.request_options(per_request_timeout):
                response = get_privacy_metrics_time_series_job.sync_detailed(
                    _uuid(id), client=self._client.generated
                )
            return parsed(response, PrivacyMetricsWithTimeSeriesJob)

        job: PrivacyMetricsWithTimeSeriesJob = poll(
            fetch, _running, timeout=timeout, remaining=job_end_estimate()
        )
        return job

    def get_signal_metrics_time_series_job(
        self,
        id: str | UUID,
        *,
        per_request_timeout: float | None = None,
        timeout: float | None = DEFAULT_JOB_TIMEOUT,
    ) -> SignalMetricsWithTimeSeriesJob:
        """The signal metrics job once finished, or as it is after `timeout` seconds."""

        def fetch() -> SignalMetricsWithTimeSeriesJob:
            with self._client.request_options(per_request_timeout):
                response = get_signal_metrics_time_series_job.sync_detailed(
                    _uuid(id), client=self._client.generated
                )
            return parsed(response, SignalMetricsWithTimeSeriesJob)

        job: SignalMetricsWithTimeSeriesJob = poll(
            fetch, _running, timeout=timeout, remaining=job_end_estimate()
        )
        return job
