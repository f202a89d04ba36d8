"""A batch job on a real Dask cluster of two worker processes: its batches run on both."""

from __future__ import annotations

import time
import warnings
from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd
import pytest

from avatars.batch import avatarize_in_batches
from avatars.client import ApiClient
from avatars.local import LocalServer
from avatars.models import (
    AvatarizationBatchJobCreate,
    AvatarizationBatchParameters,
    JobStatus,
)

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # dask's start-up chatter is not under test
        cluster = distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
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


def _batches_run_here(job_id: str) -> list[int]:
    """On a worker: the indices of the job's batches this worker process avatarized."""
    from avatars_server.jobs.steps.batch import EXECUTED

    return sorted(index for job, index in EXECUTED if job == job_id)


def test_the_batches_of_one_job_run_on_both_workers(client: ApiClient, cluster: Any) -> None:
    rng = np.random.default_rng(1)
    n = 60_000
    df = pd.DataFrame(
        {
            "a": rng.normal(size=n),
            "b": rng.normal(size=n),
            "c": rng.integers(0, 5, n).astype(str),
        }
    )
    out = avatarize_in_batches(client, df, k=20, row_limit=10_000, seed=1, progress=False)
    assert out.job.status == JobStatus.SUCCESS
    assert out.sensitive_unshuffled_avatars.index.equals(df.index)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with distributed.Client(cluster, set_as_default=False) as observer:
            ran: dict[str, list[int]] = observer.run(_batches_run_here, str(out.job.id))
    assert len(ran) == 2
    assert all(ran.values()), f"a worker ran no batch: {ran}"
    # Each of the six batches ran exactly once, over the two workers.
    assert sorted(i for indices in ran.values() for i in indices) == list(range(6))


def _parts_running(dask_worker: Any) -> int:
    """On a worker: threads inside a batch task now."""
    import sys
    import traceback

    frames = sys._current_frames().values()
    return sum(
        any(f.name == "run_job_part" for f in traceback.extract_stack(frame)) for frame in frames
    )


def test_cancel_stops_every_batch_on_the_cluster(client: ApiClient, cluster: Any) -> None:
    rng = np.random.default_rng(2)
    ids = []
    for _ in range(3):
        n = 150_000
        frame = pd.DataFrame(
            {"a": rng.normal(size=n), "b": rng.normal(size=n), "c": rng.integers(0, 5, n)}
        ).astype({"c": str})
        ids.append(client.pandas_integration.upload_dataframe(frame, progress=False).id)
    job = client.jobs.create_avatarization_batch_job(
        AvatarizationBatchJobCreate(
            parameters=AvatarizationBatchParameters(
                k=100, training_dataset_id=ids[0], dataset_ids=ids[1:], seed=1
            )
        )
    )
    deadline = time.monotonic() + 120
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with distributed.Client(cluster, set_as_default=False) as observer:
            while sum(observer.run(_parts_running).values()) < 2:
                current = client.jobs.get_avatarization_batch_job(job.id, timeout=0)
                assert current.status in (JobStatus.PENDING, JobStatus.STARTED)
                assert time.monotonic() < deadline, "the batches did not start on both workers"
                time.sleep(0.2)
            assert client.jobs.cancel_job(job.id).status == JobStatus.KILLED
            while sum(observer.run(_parts_running).values()):
                assert time.monotonic() < deadline, "a batch of the cancelled job still runs"
                time.sleep(0.2)
    # The job stays killed, without a result.
    after = client.jobs.get_avatarization_batch_job(job.id, timeout=0)
    assert after.status == JobStatus.KILLED and after.result is None
