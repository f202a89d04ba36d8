"""The job runner's parts: the warm process pool, recovery, and the job function in-process."""

from __future__ import annotations

import math
import operator
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import CancelledError
from datetime import timedelta

import numpy as np
import pandas as pd
import pytest
from sqlalchemy.orm import Session

from avatars_server.config import Settings
from avatars_server.jobs.execute import run_job
from avatars_server.jobs.pool import WarmProcessPool, WorkerTerminatedError
from avatars_server.storage import datasets, jobs
from avatars_server.storage.tables import DatasetRow, JobRow, utcnow

IRIS_COLUMNS = [
    {"label": "sepal.length", "type": "float"},
    {"label": "sepal.width", "type": "float"},
    {"label": "petal.length", "type": "float"},
    {"label": "petal.width", "type": "float"},
    {"label": "variety", "type": "category"},
]


@pytest.fixture(scope="module")
def pool() -> Iterator[WarmProcessPool]:
    executor = WarmProcessPool(2)
    yield executor
    executor.shutdown()


def test_pool_returns_results_and_raises_task_errors(pool: WarmProcessPool) -> None:
    assert pool.submit(operator.add, 2, 3).result(timeout=60) == 5
    with pytest.raises(ValueError, match="math domain error"):
        pool.submit(math.sqrt, -1.0).result(timeout=60)


def test_pool_terminate_kills_one_running_task_and_keeps_serving(pool: WarmProcessPool) -> None:
    long = pool.submit(time.sleep, 60)
    other = pool.submit(time.sleep, 1.5)
    deadline = time.monotonic() + 30
    while pool.busy() < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    pool.terminate(long)
    with pytest.raises(WorkerTerminatedError):
        long.result(timeout=30)
    assert other.result(timeout=30) is None  # the sibling task was not disturbed
    assert pool.submit(operator.mul, 6, 7).result(timeout=60) == 42  # a fresh worker serves


def test_pool_cancels_a_queued_task_without_running_it() -> None:
    executor = WarmProcessPool(1)
    try:
        blocker = executor.submit(time.sleep, 2)
        queued = executor.submit(operator.add, 1, 1)
        executor.terminate(queued)
        assert queued.cancelled()
        with pytest.raises(CancelledError):
            queued.result(timeout=1)
        assert blocker.result(timeout=30) is None
    finally:
        executor.shutdown()


# -- recovery ----------------------------------------------------------------------------------
def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def _job(session: Session, owner_id: uuid.UUID, runner_id: str, status: str = "started") -> JobRow:
    row = jobs.create_job(
        session, owner_id=owner_id, kind="avatarization", parameters={}, runner_id=runner_id
    )
    row.status = status
    session.commit()
    return row


def test_recovery_fails_jobs_of_dead_processes_and_spares_live_ones(
    session: Session, owner_id: uuid.UUID
) -> None:
    host = jobs.new_runner_id().split(":")[0]
    dead = _job(session, owner_id, f"{host}:{_dead_pid()}:aaaa")
    dead_pending = _job(session, owner_id, f"{host}:{_dead_pid()}:bbbb", status="pending")
    sibling = _job(session, owner_id, f"{host}:{os.getpid()}:cccc")  # a live sibling worker
    other_host = _job(session, owner_id, "elsewhere:1:dddd")
    stale = _job(session, owner_id, "elsewhere:2:eeee")
    stale.heartbeat_at = utcnow() - timedelta(minutes=5)
    finished = _job(session, owner_id, f"{host}:{_dead_pid()}:ffff", status="success")
    session.commit()

    recovered = jobs.recover_interrupted(session, "me")
    session.commit()

    assert set(recovered) == {dead.id, dead_pending.id, stale.id}
    for row in (dead, dead_pending, stale):
        session.refresh(row)
        assert (row.status, row.error_message) == ("failure", "interrupted by a server restart")
    for row, status in ((sibling, "started"), (other_host, "started"), (finished, "success")):
        session.refresh(row)
        assert row.status == status


def test_cancel_only_moves_unfinished_jobs(session: Session, owner_id: uuid.UUID) -> None:
    running = _job(session, owner_id, "me")
    done = _job(session, owner_id, "me", status="success")
    assert jobs.cancel_job(session, running.id)
    assert not jobs.cancel_job(session, done.id)
    session.commit()
    session.refresh(running)
    assert (running.status, running.error_message) == ("killed", "cancelled by user")


# -- the job function, in this process ---------------------------------------------------------
def _iris(session: Session, settings: Settings, owner_id: uuid.UUID) -> DatasetRow:
    frame = pd.read_csv("fixtures/iris.csv")
    row = datasets.store_dataframe(
        session, settings, frame, owner_id=owner_id, columns=IRIS_COLUMNS, filetype="csv"
    )
    session.commit()
    return row


def _run(session: Session, settings: Settings, row: JobRow) -> JobRow:
    outcome = run_job(str(row.id), settings.model_dump(mode="json"))
    session.expire_all()
    refreshed = session.get(JobRow, row.id)
    assert refreshed is not None, outcome
    return refreshed


def test_full_job_stores_typed_avatars_and_finite_metrics(
    session: Session, settings: Settings, owner_id: uuid.UUID
) -> None:
    iris = _iris(session, settings, owner_id)
    job = jobs.create_job(
        session,
        owner_id=owner_id,
        kind="avatarization",
        parameters={"k": 20, "dataset_id": str(iris.id), "seed": 3},
        runner_id="me",
        with_metrics=True,
    )
    session.commit()
    done = _run(session, settings, job)
    assert done.status == "success", done.error_message
    assert (done.progress_rate, done.started_at is not None) == (100, True)
    result = done.result
    assert result is not None
    avatars = session.get(DatasetRow, uuid.UUID(result["avatars_dataset_id"]))
    assert avatars is not None
    assert (avatars.owner_id, avatars.columns, avatars.nb_lines) == (owner_id, iris.columns, 150)
    frame = datasets.read_dataframe(settings, avatars)
    assert set(frame["variety"]) <= {"Setosa", "Versicolor", "Virginica"}
    assert all(math.isfinite(result["privacy_metrics"][name]) for name in ("hidden_rate",))
    assert 0 <= result["signal_metrics"]["hellinger_mean"] <= 1
    assert len(result["privacy_metrics"]["targets"]) == 11


def test_a_job_failing_at_run_time_records_the_engine_message(
    session: Session, settings: Settings, owner_id: uuid.UUID
) -> None:
    iris = _iris(session, settings, owner_id)
    # ncp above D_enc (here 7) is only detectable with the data, i.e. by the job.
    job = jobs.create_job(
        session,
        owner_id=owner_id,
        kind="avatarization",
        parameters={"k": 5, "ncp": 100, "dataset_id": str(iris.id)},
        runner_id="me",
    )
    session.commit()
    done = _run(session, settings, job)
    assert done.status == "failure"
    assert done.error_message is not None and "ncp" in done.error_message
    assert "Traceback" not in done.error_message


def test_an_unexpected_error_is_reported_without_internals(
    session: Session, settings: Settings, owner_id: uuid.UUID
) -> None:
    iris = _iris(session, settings, owner_id)
    datasets.dataset_path(settings, iris).unlink()  # storage lost under the job's feet
    job = jobs.create_job(
        session,
        owner_id=owner_id,
        kind="avatarization",
        parameters={"k": 5, "dataset_id": str(iris.id)},
        runner_id="me",
    )
    session.commit()
    done = _run(session, settings, job)
    assert done.status == "failure"
    assert done.error_message == (
        f"The job failed because of an internal error (job {job.id}). Report this id to the "
        "administrator; the server log has the details."
    )


def test_a_cancelled_job_never_runs(
    session: Session, settings: Settings, owner_id: uuid.UUID
) -> None:
    frame = pd.DataFrame({"a": np.arange(10.0), "b": np.arange(10.0) % 3})
    row = datasets.store_dataframe(
        session, settings, frame, owner_id=owner_id, columns=None, filetype="csv"
    )
    job = jobs.create_job(
        session,
        owner_id=owner_id,
        kind="avatarization",
        parameters={"k": 3, "dataset_id": str(row.id)},
        runner_id="me",
    )
    jobs.cancel_job(session, job.id)
    session.commit()
    assert run_job(str(job.id), settings.model_dump(mode="json")) == "skipped"
    done = _run(session, settings, job)
    assert (done.status, done.started_at, done.result) == ("killed", None, None)


def test_runner_stops_its_jobs_cancelled_by_a_sibling_process(
    session: Session, settings: Settings, owner_id: uuid.UUID
) -> None:
    from avatars_server.jobs.runner import JobRunner
    from avatars_server.storage.db import make_session_factory

    executor = WarmProcessPool(1)
    runner = JobRunner(
        executor,
        settings,
        make_session_factory(session.get_bind()),  # type: ignore[arg-type]
        capacity=1,
        terminate=executor.terminate,
        close=executor.shutdown,
    )
    try:
        job = _job(session, owner_id, runner.runner_id)
        # Stands for the job's task: running in the runner's pool, as submit() would do.
        task = executor.submit(time.sleep, 60)
        runner._futures[job.id] = task
        deadline = time.monotonic() + 30
        while executor.busy() < 1 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert jobs.cancel_job(session, job.id)  # another server process cancels it
        session.commit()
        runner._stop_finished_elsewhere()
        with pytest.raises(WorkerTerminatedError):
            task.result(timeout=30)
    finally:
        runner.shutdown()


def test_progress_is_written_in_the_background_and_a_cancel_is_noticed_at_a_later_report(
    session: Session, settings: Settings, owner_id: uuid.UUID
) -> None:
    from avatars_server.jobs.context import JobCancelled, JobContext

    row = jobs.create_job(
        session,
        owner_id=owner_id,
        kind="avatarization",
        parameters={},
        runner_id="me",
        with_metrics=False,
    )
    session.commit()
    context = JobContext(row.id, settings)
    assert context.start()
    context.report("reading", 0.25)
    context.report("projection", 0.5)  # a new step: written (the latest waiting one wins)
    context.flush_progress()
    session.expire_all()
    done = session.get(JobRow, row.id)
    assert done is not None
    assert (done.progress_name, done.progress_rate) == ("projection", 50)

    assert jobs.cancel_job(session, row.id)
    session.commit()
    context.report("neighbours", 0.6)  # the write finds the job cancelled...
    context.flush_progress()
    with pytest.raises(JobCancelled):  # ...and the next report stops the job
        context.report("neighbours", 0.7)
