"""A server killed mid-job leaves no job pending or started once it is started again."""

from __future__ import annotations

import time
from pathlib import Path

from avatars.local import LocalServer
from avatars.models import JobStatus
from tests.factories import large_frame, start_full_job, wait_until_started

RESTART_WAIT = 60.0


def test_jobs_interrupted_by_a_killed_server_are_failed_on_restart(tmp_path: Path) -> None:
    server = LocalServer(data_dir=tmp_path, env={"AVATARS_JOB_WORKERS": "1"})
    with server:
        with server.client() as client:
            dataset_id = client.pandas_integration.upload_dataframe(large_frame()).id
            running = start_full_job(client, dataset_id)
            wait_until_started(client, running)
            pending = start_full_job(client, dataset_id)
        server.stop(kill=True)

        server.start()
        with server.client() as client:
            deadline = time.monotonic() + RESTART_WAIT
            jobs = [client.jobs.get_avatarization_job(i, timeout=0) for i in (running, pending)]
            while any(j.status in (JobStatus.PENDING, JobStatus.STARTED) for j in jobs):
                assert time.monotonic() < deadline, [j.status for j in jobs]
                time.sleep(0.5)
                jobs = [client.jobs.get_avatarization_job(i, timeout=0) for i in (running, pending)]
            for job in jobs:
                assert job.status == JobStatus.FAILURE
                assert job.error_message == "interrupted by a server restart"
            assert client.jobs.get_avatarization_job(running, timeout=0).result is None


def test_a_stopping_server_fails_its_unfinished_jobs(tmp_path: Path) -> None:
    server = LocalServer(data_dir=tmp_path, env={"AVATARS_JOB_WORKERS": "1"})
    with server:
        with server.client() as client:
            dataset_id = client.pandas_integration.upload_dataframe(large_frame()).id
            running = start_full_job(client, dataset_id)
            wait_until_started(client, running)
        server.stop()  # SIGTERM: a graceful shutdown

        server.start()
        with server.client() as client:
            job = client.jobs.get_avatarization_job(running, timeout=0)
            assert (job.status, job.error_message) == (
                JobStatus.FAILURE,
                "interrupted by a server restart",
            )
