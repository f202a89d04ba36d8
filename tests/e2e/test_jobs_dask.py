"""Jobs on a Dask cluster: a real LocalCluster started by the test, the server as its client."""

from __future__ import annotations

import time
import uuid
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from avatars.client import ApiClient
from avatars.local import LocalServer
from avatars.models import JobStatus
from tests.factories import large_frame, start_full_job, wait_until_started

distributed = pytest.importorskip("distributed")

IRIS = Path(__file__).resolve().parents[2] / "fixtures" / "iris.csv"
WAIT = 120.0


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # dask's start-up chatter is not under test
        cluster = distributed.LocalCluster(
            n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None
        )
    try:
        yield cluster
    finally:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            cluster.close()


@pytest.fixture(scope="module")
def client(cluster: Any) -> Iterator[ApiClient]:
    env = {"AVATARS_DASK_ADDRESS": cluster.scheduler_address}
    with LocalServer(env=env) as server, server.client() as logged_in:
        yield logged_in


def _iris(client: ApiClient) -> uuid.UUID:
    with IRIS.open("rb") as handle:
        return client.datasets.create_dataset(handle).id


def test_full_job_runs_on_the_dask_cluster(client: ApiClient) -> None:
    job = client.jobs.get_avatarization_job(
        start_full_job(client, _iris(client), k=20), timeout=WAIT
    )
    assert job.status == JobStatus.SUCCESS, job.error_message
    assert job.result.privacy_metrics is not None and job.result.signal_metrics is not None


def test_cancel_stops_a_job_running_on_the_dask_cluster(client: ApiClient, cluster: Any) -> None:
    running = start_full_job(client, client.pandas_integration.upload_dataframe(large_frame()).id)
    wait_until_started(client, running)

    def running_jobs(dask_worker: Any) -> int:
        """Threads of the worker process that are inside the job function now."""
        import sys
        import traceback

        frames = sys._current_frames().values()
        return sum(any(f.name == "run_job" for f in traceback.extract_stack(fr)) for fr in frames)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with distributed.Client(cluster, set_as_default=False) as observer:
            seen = sum(observer.run(running_jobs).values())
            job = client.jobs.get_avatarization_job(running, timeout=0)
            # The status is read after the threads: a job that ended in between says so here.
            assert seen == 1, (
                f"{seen} worker threads run the job; it is {job.status.value}"
                f" (progress {job.current_progress}, error {job.error_message!r})"
            )
            assert client.jobs.cancel_job(running).status == JobStatus.KILLED
            deadline = time.monotonic() + 60
            while sum(observer.run(running_jobs).values()):
                assert time.monotonic() < deadline, "the cancelled job is still running"
                time.sleep(0.2)
    # The single worker thread is free again: a new job runs to its end.
    after = client.jobs.get_avatarization_job(
        start_full_job(client, _iris(client), k=20), timeout=WAIT
    )
    assert after.status == JobStatus.SUCCESS, after.error_message


def test_cluster_stats_and_reports_on_the_dask_cluster(client: ApiClient) -> None:
    from avatars.exceptions import ConflictError
    from avatars.models import ReportCreate

    stats = client.stats.get_cluster_stats()
    assert "dask cluster at" in (stats.status_message or "")
    assert stats.available_concurrency is not None and stats.available_concurrency >= 0
    job_id = start_full_job(client, _iris(client), k=20)
    assert client.jobs.get_avatarization_job(job_id, timeout=WAIT).status == JobStatus.SUCCESS
    report = client.reports.create_report(
        ReportCreate(avatarization_job_id=job_id, privacy_job_id=job_id, signal_job_id=job_id)
    )
    deadline = time.monotonic() + WAIT
    while True:  # the PDF is drawn by a Dask worker
        try:
            pdf = client.reports.download_report(report.id)
            break
        except ConflictError:
            assert time.monotonic() < deadline, "the report was never rendered"
            time.sleep(0.5)
    assert pdf is not None and pdf.startswith(b"%PDF-")
    assert len(client.metrics.get_job_projections(job_id).records) == 150
