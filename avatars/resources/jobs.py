"""The `jobs` namespace: create, read (waiting for the end), list, cancel and wait for jobs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar
from uuid import UUID

from avatar_api_client.api.jobs import (
    cancel_job,
    create_avatarization_batch_job,
    create_avatarization_job,
    create_full_avatarization_job,
    create_privacy_metrics_batch_job,
    create_privacy_metrics_job,
    create_signal_metrics_batch_job,
    create_signal_metrics_job,
    find_all_jobs_by_user,
    get_avatarization_batch_job,
    get_avatarization_job,
    get_avatarization_multi_table_job,
    get_avatarization_time_series_job,
    get_privacy_metrics,
    get_privacy_metrics_batch_job,
    get_privacy_metrics_geolocation_job,
    get_privacy_metrics_multi_table_job,
    get_privacy_metrics_time_series_job,
    get_signal_metrics,
    get_signal_metrics_batch_job,
    get_signal_metrics_time_series_job,
)
from avatar_api_client.models import (
    AvatarizationBatchJob,
    AvatarizationBatchJobCreate,
    AvatarizationJob,
    AvatarizationJobCreate,
    AvatarizationMultiTableJob,
    AvatarizationWithTimeSeriesJob,
    GenericJob,
    PrivacyMetricsBatchJob,
    PrivacyMetricsBatchJobCreate,
    PrivacyMetricsGeolocationJob,
    PrivacyMetricsJob,
    PrivacyMetricsJobCreate,
    PrivacyMetricsMultiTableJob,
    PrivacyMetricsWithTimeSeriesJob,
    SignalMetricsBatchJob,
    SignalMetricsBatchJobCreate,
    SignalMetricsJob,
    SignalMetricsJobCreate,
    SignalMetricsWithTimeSeriesJob,
)
from avatar_api_client.types import UNSET
from avatars._constants import DEFAULT_JOB_TIMEOUT
from avatars._response import parsed
from avatars.exceptions import NotFoundError
from avatars.resources._multi_table_jobs import MultiTableJobs
from avatars.resources._time_series_jobs import TimeSeriesJobs
from avatars.waiting import (
    RUNNING_STATUSES,
    job_end_estimate,
    job_error_message,
    job_progress,
    job_status,
    poll,
    wait_for_job,
)

FinishedJob = (
    AvatarizationJob
    | PrivacyMetricsJob
    | SignalMetricsJob
    | AvatarizationWithTimeSeriesJob
    | PrivacyMetricsWithTimeSeriesJob
    | SignalMetricsWithTimeSeriesJob
    | AvatarizationBatchJob
    | PrivacyMetricsBatchJob
    | SignalMetricsBatchJob
    | PrivacyMetricsGeolocationJob
    | AvatarizationMultiTableJob
    | PrivacyMetricsMultiTableJob
)
"""A job of any kind this client reads (what `wait` returns)."""
J = TypeVar(
    "J",
    AvatarizationJob,
    PrivacyMetricsJob,
    SignalMetricsJob,
    GenericJob,
    AvatarizationBatchJob,
    PrivacyMetricsBatchJob,
    SignalMetricsBatchJob,
)


def _uuid(id: str | UUID) -> UUID:
    return id if isinstance(id, UUID) else UUID(str(id))


def _is_running(job: Any) -> bool:
    return job_status(job) in RUNNING_STATUSES


# The GET of each job kind, in the order `wait` tries them (the API has no GET of one job of
# any kind; the GET of another kind answers 404).
_GETTERS: tuple[Callable[..., Any], ...] = (
    get_avatarization_job.sync_detailed,
    get_privacy_metrics.sync_detailed,
    get_signal_metrics.sync_detailed,
    get_avatarization_time_series_job.sync_detailed,
    get_privacy_metrics_time_series_job.sync_detailed,
    get_signal_metrics_time_series_job.sync_detailed,
    get_avatarization_batch_job.sync_detailed,
    get_privacy_metrics_batch_job.sync_detailed,
    get_signal_metrics_batch_job.sync_detailed,
    get_privacy_metrics_geolocation_job.sync_detailed,
    get_avatarization_multi_table_job.sync_detailed,
    get_privacy_metrics_multi_table_job.sync_detailed,
)


class Jobs(TimeSeriesJobs, MultiTableJobs):
    # -- creation ------------------------------------------------------------------------------
    def create_full_avatarization_job(
        self, request: AvatarizationJobCreate, *, timeout: float | None = None
    ) -> AvatarizationJob:
        """Avatarize a dataset, then compute its privacy and signal metrics, in one job.

        Read it back with `get_avatarization_job`; `result.privacy_metrics` and
        `result.signal_metrics` are set on success.
        """
        with self._client.request_options(timeout):
            response = create_full_avatarization_job.sync_detailed(
                client=self._client.generated, body=request
            )
        return parsed(response, AvatarizationJob)

    def create_avatarization_job(
        self, request: AvatarizationJobCreate, *, timeout: float | None = None
    ) -> AvatarizationJob:
        """Avatarize a dataset (no metrics)."""
        with self._client.request_options(timeout):
            response = create_avatarization_job.sync_detailed(
                client=self._client.generated, body=request
            )
        return parsed(response, AvatarizationJob)

    def create_privacy_metrics_job(
        self, request: PrivacyMetricsJobCreate, *, timeout: float | None = None
    ) -> PrivacyMetricsJob:
        """Privacy metrics of row-aligned (unshuffled) avatars against their original."""
        with self._client.request_options(timeout):
            response = create_privacy_metrics_job.sync_detailed(
                client=self._client.generated, body=request
            )
        return parsed(response, PrivacyMetricsJob)

    def create_signal_metrics_job(
        self, request: SignalMetricsJobCreate, *, timeout: float | None = None
    ) -> SignalMetricsJob:
        """Signal (utility) metrics of avatars against their original."""
        with self._client.request_options(timeout):
            response = create_signal_metrics_job.sync_detailed(
                client=self._client.generated, body=request
            )
        return parsed(response, SignalMetricsJob)

    # -- reading -------------------------------------------------------------------------------
    def _poll(
        self,
        fetch_once: Callable[[], J],
        timeout: float | None,
    ) -> J:
        job: J = poll(fetch_once, _is_running, timeout=timeout, remaining=job_end_estimate())
        return job

    def get_avatarization_job(
        self,
        id: str | UUID,
        *,
        per_request_timeout: float | None = None,
        timeout: float | None = DEFAULT_JOB_TIMEOUT,
    ) -> AvatarizationJob:
        """The job once it has finished, or as it is when `timeout` seconds have passed.

        Args:
            id: the job's id.
            per_request_timeout: HTTP timeout of each GET (None: the client's default).
            timeout: how long to wait for the job to finish (None: no limit). Reaching it is
                not an error: check `job.status`.
        """

        def fetch() -> AvatarizationJob:
            with self._client.request_options(per_request_timeout):
                response = get_avatarization_job.sync_detailed(
                    _uuid(id), client=self._client.generated
                )
            return parsed(response, AvatarizationJob)

        return self._poll(fetch, timeout)

    def get_privacy_metrics(
        self,
        id: str | UUID,
        *,
        per_request_timeout: float | None = None,
        timeout: float | None = DEFAULT_JOB_TIMEOUT,
    ) -> PrivacyMetricsJob:
        """The privacy metrics job once finished, or as it is after `timeout` seconds."""

        def fetch() -> PrivacyMetricsJob:
            with self._client.request_options(per_request_timeout):
                response = get_privacy_metrics.sync_detailed(
                    _uuid(id), client=self._client.generated
                )
            return parsed(response, PrivacyMetricsJob)

        return self._poll(fetch, timeout)

    def get_signal_metrics(
        self,
        id: str | UUID,
        *,
        per_request_timeout: float | None = None,
        timeout: float | None = DEFAULT_JOB_TIMEOUT,
    ) -> SignalMetricsJob:
        """The signal metrics job once finished, or as it is after `timeout` seconds."""

        def fetch() -> SignalMetricsJob:
            with self._client.request_options(per_request_timeout):
                response = get_signal_metrics.sync_detailed(
                    _uuid(id), client=self._client.generated
                )
            return parsed(response, SignalMetricsJob)

        return self._poll(fetch, timeout)

    def find_all_jobs_by_user(
        self,
        nb_days: int | None = None,
        *,
        limit: int | None = None,
        offset: int = 0,
        timeout: float | None = None,
    ) -> list[GenericJob]:
        """Your jobs of every kind created in the last `nb_days` days (server default 5), at
        most `limit` (default: the server's page size cap) from `offset`."""
        with self._client.request_options(timeout):
            response = find_all_jobs_by_user.sync_detailed(
                client=self._client.generated,
                nb_days=UNSET if nb_days is None else nb_days,
                limit=UNSET if limit is None else limit,
                offset=offset,
            )
        return parsed(response, list)

    def cancel_job(self, id: str | UUID, *, timeout: float | None = None) -> GenericJob:
        """Stop a pending or running job; a finished job is returned unchanged."""
        with self._client.request_options(timeout):
            response = cancel_job.sync_detailed(_uuid(id), client=self._client.generated)
        return parsed(response, GenericJob)

    # -- waiting -------------------------------------------------------------------------------
    def wait(
        self,
        id: str | UUID,
        *,
        timeout: float | None = None,
        progress: bool = True,
        per_request_timeout: float | None = None,
    ) -> FinishedJob:
        """Wait until the job succeeds, with a progress bar; raise if it does not.

        Works for a job of any kind. On Ctrl-C the job keeps running on the server.

        Args:
            id: the job's id.
            timeout: how long to wait, in seconds (None: no limit).
            progress: show a progress bar on stderr.
            per_request_timeout: HTTP timeout of each GET.

        Returns:
            The finished job, typed by its kind (its `result` is set).

        Raises:
            JobFailedError: the job ended in failure or was cancelled; carries `error_message`.
            JobTimeoutError: the job was still running after `timeout` seconds.
            NotFoundError: no such job of yours.
        """
        job_id = _uuid(id)
        getter = self._getter_of(job_id, per_request_timeout)

        def fetch() -> FinishedJob:
            with self._client.request_options(per_request_timeout):
                job: FinishedJob = getter(job_id, client=self._client.generated).parsed
            return job

        job: FinishedJob = wait_for_job(
            job_id,
            fetch,
            status=job_status,
            error_message=job_error_message,
            progress=job_progress,
            timeout=timeout,
            show_progress=progress,
        )
        return job

    def _getter_of(self, job_id: UUID, per_request_timeout: float | None) -> Callable[..., Any]:
        """The generated GET of the job's kind: the first kind's GET that finds the job.

        Raises:
            NotFoundError: no kind's GET finds it (no such job of yours); the last 404.
        """
        not_found: NotFoundError | None = None
        for getter in _GETTERS:
            try:
                with self._client.request_options(per_request_timeout):
                    getter(job_id, client=self._client.generated)
            except NotFoundError as exc:
                not_found = exc
                continue
            return getter
        assert not_found is not None
        raise not_found

    # -- batch jobs (extended tier) -------------------------------------------------------------
    def create_avatarization_batch_job(
        self, request: AvatarizationBatchJobCreate, *, timeout: float | None = None
    ) -> AvatarizationBatchJob:
        """Avatarize a table split in batches (training batch first; one task per batch).

        `avatars.batch.avatarize_in_batches` does the split, uploads, job and reassembly in one
        call.
        """
        with self._client.request_options(timeout):
            response = create_avatarization_batch_job.sync_detailed(
                client=self._client.generated, body=request
            )
        return parsed(response, AvatarizationBatchJob)

    def get_avatarization_batch_job(
        self,
        id: str | UUID,
        *,
        per_request_timeout: float | None = None,
        timeout: float | None = DEFAULT_JOB_TIMEOUT,
    ) -> AvatarizationBatchJob:
        """The batch job once finished, or as it is after `timeout` seconds."""

        def fetch() -> AvatarizationBatchJob:
            with self._client.request_options(per_request_timeout):
                response = get_avatarization_batch_job.sync_detailed(
                    _uuid(id), client=self._client.generated
                )
            return parsed(response, AvatarizationBatchJob)

        return self._poll(fetch, timeout)

    def create_privacy_metrics_batch_job(
        self, request: PrivacyMetricsBatchJobCreate, *, timeout: float | None = None
    ) -> PrivacyMetricsBatchJob:
        """Privacy metrics of every batch; the worst and the mean over batches."""
        with self._client.request_options(timeout):
            response = create_privacy_metrics_batch_job.sync_detailed(
                client=self._client.generated, body=request
            )
        return parsed(response, PrivacyMetricsBatchJob)

    def get_privacy_metrics_batch_job(
        self,
        id: str | UUID,
        *,
        per_request_timeout: float | None = None,
        timeout: float | None = DEFAULT_JOB_TIMEOUT,
    ) -> PrivacyMetricsBatchJob:
        """The privacy metrics batch job once finished, or as it is after `timeout` seconds."""

        def fetch() -> PrivacyMetricsBatchJob:
            with self._client.request_options(per_request_timeout):
                response = get_privacy_metrics_batch_job.sync_detailed(
                    _uuid(id), client=self._client.generated
                )
            return parsed(response, PrivacyMetricsBatchJob)

        return self._poll(fetch, timeout)

    def create_signal_metrics_batch_job(
        self, request: SignalMetricsBatchJobCreate, *, timeout: float | None = None
    ) -> SignalMetricsBatchJob:
        """Signal metrics of every batch and their mean."""
        with self._client.request_options(timeout):
            response = create_signal_metrics_batch_job.sync_detailed(
                client=self._client.generated, body=request
            )
        return parsed(response, SignalMetricsBatchJob)

    def get_signal_metrics_batch_job(
        self,
        id: str | UUID,
        *,
        per_request_timeout: float | None = None,
        timeout: float | None = DEFAULT_JOB_TIMEOUT,
    ) -> SignalMetricsBatchJob:
        """The signal metrics batch job once finished, or as it is after `timeout` seconds."""

        def fetch() -> SignalMetricsBatchJob:
            with self._client.request_options(per_request_timeout):
                response = get_signal_metrics_batch_job.sync_detailed(
                    _uuid(id), client=self._client.generated
                )
            return parsed(response, SignalMetricsBatchJob)

        return self._poll(fetch, timeout)
