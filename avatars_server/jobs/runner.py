"""JobRunner: queues recorded jobs on a concurrent.futures Executor, cancels them, and keeps the
jobs table honest about server processes that died (heartbeat + recovery)."""

from __future__ import annotations

import importlib
import logging
import os
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import Executor, Future
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from avatars_server.config import Settings
from avatars_server.jobs.execute import run_job, warmup
from avatars_server.jobs.fan_out import KINDS as FAN_OUT_KINDS
from avatars_server.jobs.fan_out import FanOutTracker
from avatars_server.storage import jobs
from avatars_server.storage.db import session_scope

logger = logging.getLogger(__name__)

HEARTBEAT_INTERVAL = 5.0
"""Seconds between two heartbeats (and recovery sweeps) of a runner."""
WORKER_LOST_MESSAGE = (
    "The job's worker stopped unexpectedly (it may have run out of memory). Try again, or "
    "with a smaller dataset."
)


@dataclass(frozen=True)
class RunnerStats:
    active: int
    capacity: int
    description: str


class JobRunner:
    """Runs jobs on `executor` and tracks their futures.

    Args:
        executor: any concurrent.futures Executor able to pickle module-level functions.
        settings: the server settings, handed to workers as plain values.
        session_factory: the server's sessions, for recovery and heartbeats.
        capacity: number of jobs the executor runs at once (for stats).
        terminate: stops a running future (kills its worker); None when the executor
            cannot, then cancellation relies on the job noticing its status.
        close: releases the executor's resources at shutdown.
        description: what the runner is, for logs and stats.
        live_stats: reads (tasks running, slots) from the cluster itself (Dask), so that the
            stats see workers that joined or left and other clients' tasks.
    """

    def __init__(
        self,
        executor: Executor,
        settings: Settings,
        session_factory: sessionmaker[Session],
        *,
        capacity: int,
        terminate: Callable[[Future[Any]], None] | None = None,
        close: Callable[[], None] | None = None,
        description: str = "",
        live_stats: Callable[[], tuple[int, int]] | None = None,
    ) -> None:
        self.runner_id = jobs.new_runner_id()
        self._executor = executor
        # The signing key stays in the server: workers (maybe remote Dask ones) never need it.
        self._settings_values = settings.model_dump(mode="json", exclude={"secret_key"})
        self._sessions = session_factory
        self._capacity = capacity
        self._terminate = terminate
        self._close = close
        self._description = description
        self._live_stats = live_stats
        self._futures: dict[uuid.UUID, Future[Any]] = {}
        self._tasks: set[Future[Any]] = set()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        # Batch jobs: one task per batch, coordinated here.
        self._fan_out = FanOutTracker(
            executor, settings, self._settings_values, session_factory, terminate
        )

    # -- jobs ----------------------------------------------------------------------------------
    def submit(self, job_id: uuid.UUID, kind: str | None = None) -> None:
        """Queue a job whose row is already committed as pending (`kind`: the row's kind)."""
        if kind in FAN_OUT_KINDS:
            self._fan_out.submit(job_id, kind)
            return
        future = self._executor.submit(run_job, str(job_id), self._settings_values)
        with self._lock:
            self._futures[job_id] = future
        future.add_done_callback(lambda done: self._finished(job_id, done))

    def submit_task(self, fn: Callable[..., Any], *args: Any) -> Future[Any]:
        """Run a module-level function that is not a job (a report's rendering) on the same
        workers, called as ``fn(*args, settings_values)``; it counts in the stats while it runs.
        """
        future = self._executor.submit(fn, *args, self._settings_values)
        with self._lock:
            self._tasks.add(future)

        def done(finished: Future[Any]) -> None:
            with self._lock:
                self._tasks.discard(finished)

        future.add_done_callback(done)
        return future

    def cancel(self, job_id: uuid.UUID) -> None:
        """Stop a job this runner queued; its row must already say `killed`."""
        if self._fan_out.owns(job_id):
            self._fan_out.cancel(job_id)
            return
        with self._lock:
            future = self._futures.get(job_id)
        if future is None or future.cancel():
            return
        if self._terminate is not None:
            self._terminate(future)

    def _finished(self, job_id: uuid.UUID, future: Future[Any]) -> None:
        with self._lock:
            self._futures.pop(job_id, None)
        if future.cancelled():
            return
        error = future.exception()
        if error is None:
            return
        try:
            with session_scope(self._sessions) as session:
                recorded = jobs.finish(
                    session,
                    job_id,
                    status="failure",
                    error_message=WORKER_LOST_MESSAGE,
                    from_statuses=jobs.ACTIVE,
                )
        except Exception:
            logger.exception("Could not record the failure of job %s", job_id)
            return
        if recorded:
            logger.error("Job %s: its worker failed: %r", job_id, error)
        else:  # killed on purpose (cancelled) after its row was finished
            logger.info("Job %s: its worker was stopped", job_id)

    def stats(self) -> RunnerStats:
        """Tasks running and slots of the runner, as it is now."""
        with self._lock:
            futures = [*self._futures.values(), *self._tasks]
        active = sum(not f.done() for f in futures) + self._fan_out.active()
        if self._live_stats is not None:
            try:
                running, slots = self._live_stats()
            except Exception:
                logger.exception("Could not read the cluster's state")
                return RunnerStats(active, self._capacity, f"{self._description} (unreachable now)")
            return RunnerStats(active=running, capacity=slots, description=self._description)
        return RunnerStats(active=active, capacity=self._capacity, description=self._description)

    # -- recovery and heartbeats ---------------------------------------------------------------
    def recover(self) -> list[uuid.UUID]:
        """Fail the unfinished jobs of server processes that are gone."""
        with session_scope(self._sessions) as session:
            recovered = jobs.recover_interrupted(session, self.runner_id)
        if recovered:
            logger.warning("Marked %d interrupted job(s) as failed", len(recovered))
            self._fan_out.sweep()
        return recovered

    def start(self) -> None:
        """Recover orphaned jobs now, then heartbeat and re-check in the background."""
        self.recover()
        self._fan_out.sweep()
        self._thread = threading.Thread(target=self._background, name="job-heartbeat", daemon=True)
        self._thread.start()

    def _background(self) -> None:
        while not self._stop.wait(HEARTBEAT_INTERVAL):
            try:
                with session_scope(self._sessions) as session:
                    jobs.heartbeat(session, self.runner_id)
                self.recover()
                self._stop_finished_elsewhere()
            except Exception:
                logger.exception("Job heartbeat failed; retrying")

    def _stop_finished_elsewhere(self) -> None:
        """Stop the running jobs whose row another server process finished (a cancel sent to
        a sibling uvicorn worker): the job's own watchdog cannot interrupt a long C call."""
        with self._lock:
            running = [job_id for job_id, future in self._futures.items() if not future.done()]
        running += self._fan_out.running()
        if not running:
            return
        with session_scope(self._sessions) as session:
            statuses = jobs.statuses(session, running)
        for job_id in running:
            # Only "killed": a job that just wrote its own success or failure is ending anyway.
            if statuses.get(job_id) == "killed":
                self.cancel(job_id)

    def shutdown(self) -> None:
        """Stop the workers and fail this runner's unfinished jobs at once (rather than at the
        next start), which also stops jobs still running on a Dask cluster."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
        try:
            with session_scope(self._sessions) as session:
                failed = jobs.fail_runner_jobs(session, self.runner_id)
            if failed:
                logger.warning("Server stopping: marked %d unfinished job(s) as failed", failed)
        except Exception:
            logger.exception("Could not mark the unfinished jobs as failed; the next start will")
        with self._lock:
            futures = list(self._futures.values())
        for future in futures:
            future.cancel()
        self._fan_out.shutdown()
        if self._close is not None:
            self._close()
        else:
            self._executor.shutdown(wait=False, cancel_futures=True)


def create_runner(settings: Settings, session_factory: sessionmaker[Session]) -> JobRunner:
    """A runner over a Dask cluster when `dask_address` is set, else a local process pool."""
    if settings.dask_address:
        # distributed is untyped and optional (the `dask` extra): import it only here.
        distributed: Any = importlib.import_module("distributed")
        try:
            client = distributed.Client(settings.dask_address, set_as_default=False)
        except OSError as exc:
            raise RuntimeError(
                f"Cannot reach the Dask scheduler at {settings.dask_address} "
                f"(AVATARS_DASK_ADDRESS): {exc}"
            ) from exc
        nthreads = client.nthreads()
        executor = client.get_executor(pure=False)

        def close() -> None:
            executor.shutdown(wait=False)
            client.close()

        def live_stats() -> tuple[int, int]:
            running = sum(len(keys) for keys in client.processing().values())
            return int(running), max(1, sum(client.nthreads().values()))

        return JobRunner(
            executor,
            settings,
            session_factory,
            capacity=max(1, sum(nthreads.values())),
            close=close,
            description=f"dask cluster at {settings.dask_address}",
            live_stats=live_stats,
        )
    from avatars_server.jobs.pool import WarmProcessPool

    workers = settings.job_workers or os.cpu_count() or 1
    pool = WarmProcessPool(workers, warmup=warmup)
    return JobRunner(
        pool,
        settings,
        session_factory,
        capacity=workers,
        terminate=pool.terminate,
        close=pool.shutdown,
        description=f"{workers} local worker process(es)",
    )
