"""Cancelling jobs on a server with one job worker: pending jobs never run, running ones stop."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from avatars.client import ApiClient
from avatars.exceptions import JobFailedError, JobTimeoutError
from avatars.local import LocalServer
from avatars.models import JobStatus
from tests.factories import large_frame, start_full_job, wait_until_started

IRIS = Path(__file__).resolve().parents[2] / "fixtures" / "iris.csv"
WAIT = 120.0


@pytest.fixture(scope="module")
def server() -> Iterator[LocalServer]:
    with LocalServer(env={"AVATARS_JOB_WORKERS": "1"}) as local:
        yield local


@pytest.fixture(scope="module")
def client(server: LocalServer) -> Iterator[ApiClient]:
    with server.client() as logged_in:
        yield logged_in


@pytest.fixture(scope="module")
def large_id(client: ApiClient) -> uuid.UUID:
    return client.pandas_integration.upload_dataframe(large_frame()).id


def _alive(process: psutil.Process) -> bool:
    try:
        return process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _still_there(pid: int, created: float) -> bool:
    try:
        process = psutil.Process(pid)
        return process.create_time() == created and _alive(process)
    except psutil.NoSuchProcess:
        return False


def _workers(server: LocalServer) -> set[int]:
    """Pids of the server's live job worker processes."""
    assert server._process is not None
    pids = set()
    for child in psutil.Process(server._process.pid).children():
        try:
            if "spawn_main" in " ".join(child.cmdline()) and _alive(child):
                pids.add(child.pid)
        except psutil.Error:  # exited while we looked
            continue
    return pids


def test_cancel_pending_and_running_jobs(
    server: LocalServer, client: ApiClient, large_id: uuid.UUID
) -> None:
    running = start_full_job(client, large_id)
    wait_until_started(client, running)
    pending = start_full_job(client, large_id)
    assert client.jobs.get_avatarization_job(pending, timeout=0).status == JobStatus.PENDING
    progress = client.jobs.get_avatarization_job(running, timeout=0).current_progress
    assert progress.name and 0 <= progress.completion_rate_100 < 100
    busy_workers = _workers(server)
    # (pid, start time): pids are reused quickly when many processes come and go.
    identities = {(pid, psutil.Process(pid).create_time()) for pid in busy_workers}

    cancelled = client.jobs.cancel_job(pending)
    assert (cancelled.status, cancelled.error_message) == (JobStatus.KILLED, "cancelled by user")
    cancelled = client.jobs.cancel_job(running)
    assert (cancelled.status, cancelled.error_message) == (JobStatus.KILLED, "cancelled by user")

    # The worker that ran the job is really stopped (a big process takes a moment to exit),
    # and a fresh one takes its place.
    deadline = time.monotonic() + 30
    while any(_still_there(*identity) for identity in identities):
        assert time.monotonic() < deadline, "the cancelled job's worker is still alive"
        time.sleep(0.2)
    while not _workers(server) - busy_workers:
        assert time.monotonic() < deadline, "no fresh worker was started"
        time.sleep(0.2)
    never_ran = client.jobs.get_avatarization_job(pending, timeout=0)
    assert (never_ran.status, never_ran.current_progress) == (JobStatus.KILLED, None)

    with IRIS.open("rb") as handle:
        iris = client.datasets.create_dataset(handle)
    after = client.jobs.get_avatarization_job(start_full_job(client, iris.id, k=20), timeout=WAIT)
    assert after.status == JobStatus.SUCCESS, after.error_message
    unchanged = client.jobs.cancel_job(after.id)  # finished jobs are returned unchanged
    assert unchanged.status == JobStatus.SUCCESS


def test_wait_times_out_then_reports_the_cancellation(
    client: ApiClient, large_id: uuid.UUID
) -> None:
    job_id = start_full_job(client, large_id)
    with pytest.raises(JobTimeoutError):
        client.jobs.wait(job_id, timeout=0.5, progress=False)
    same = client.jobs.get_avatarization_job(job_id, timeout=0.5)  # returns, never raises
    assert same.status in (JobStatus.PENDING, JobStatus.STARTED)
    client.jobs.cancel_job(str(job_id))
    with pytest.raises(JobFailedError, match="cancelled by user"):
        client.jobs.wait(job_id, timeout=WAIT, progress=False)
