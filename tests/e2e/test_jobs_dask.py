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


def _running_jobs(dask_worker: Any) -> int:
    """Threads of the worker process that are inside the job function now."""
    import sys
    import traceback

    frames = sys._current_frames().values()
    return sum(any(f.name == "run_job" for f in traceback.extract_stack(fr)) for fr in frames)


def _job_running_on_the_worker(client: ApiClient, observer: Any) -> uuid.UUID:
    """A full job that the worker's thread is running now. A job seen started that ended
    before the worker was looked at (its first progress write delayed on a busy machine) is
    replaced, at most twice; a job still started that no thread runs fails the test."""
    dataset_id = client.pandas_integration.upload_dataframe(large_frame()).id
    for _ in range(3):
        running = start_full_job(client, dataset_id)
        wait_until_started(client, running)
        seen = sum(observer.run(_running_jobs).values())
        if seen == 1:
            return running
        # The status is read after the threads: a job that ended in between says so here.
        job = client.jobs.get_avatarization_job(running, timeout=0)
        assert job.status != JobStatus.STARTED, (
            f"{seen} worker threads run a started job (progress {job.current_progress})"
        )
    raise AssertionError("three jobs ended before the worker could be looked at")


def test_cancel_stops_a_job_running_on_the_dask_cluster(client: ApiClient, cluster: Any) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with distributed.Client(cluster, set_as_default=False) as observer:
            running = _job_running_on_the_worker(client, observer)
            assert client.jobs.cancel_job(running).status == JobStatus.KILLED
            deadline = time.monotonic() + 60
            while sum(observer.run(_running_jobs).values()):
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
