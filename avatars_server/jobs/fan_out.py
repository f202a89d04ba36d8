"""Jobs that fan out: a preparing task, then one task per part (batch) on the runner's executor.

So a batch job uses every local worker process, or every worker of a Dask cluster. The server
process only coordinates: it submits the parts when the preparing task is done, records
progress as parts done / total, stops every part when one fails or the job is cancelled, and
writes the job's result when the last part is done. The tasks are module-level functions called
with the job id, plain settings values and plain part arguments.

A fan-out kind's step module provides (names with the kind's prefix, see :data:`KINDS`)
``prepare(context, owner_id, parameters) -> list[dict]``
(run in a worker; returns the parts' arguments), ``run_part(context, owner_id, parameters, part)
-> dict`` (run in a worker) and ``finish(parameters, results) -> dict`` (run in the server: the
job's result from the parts' results, in part order). What the parts share lives in the job's
:func:`work_dir`, removed when the job ends (and, after a crash, by the next server's sweep).
"""

from __future__ import annotations

import functools
import importlib
import logging
import shutil
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from avatars_server.config import Settings
from avatars_server.jobs.context import JobCancelled, JobContext
from avatars_server.jobs.execute import record_failure
from avatars_server.storage import jobs as repository
from avatars_server.storage.db import session_scope

logger = logging.getLogger(__name__)

KINDS: dict[str, tuple[str, str]] = {
    "avatarization_batch": ("avatars_server.jobs.steps.batch", ""),
    "privacy_metrics_batch": ("avatars_server.jobs.steps.batch", "privacy_"),
    "signal_metrics_batch": ("avatars_server.jobs.steps.batch", "signal_"),
}
"""Job kinds that fan out: the step module of each and the prefix of its three functions."""

WORKER_LOST_MESSAGE = (
    "A worker running part of the job stopped unexpectedly (it may have run out of memory). "
    "Try again, or with smaller batches."
)


def work_dir(settings: Settings, job_id: uuid.UUID) -> Path:
    """The job's working directory, in the data directory that every worker shares."""
    return settings.tmp_dir / "jobs" / str(job_id)


@dataclass(frozen=True)
class _Steps:
    prepare: Callable[..., list[dict[str, Any]]]
    run_part: Callable[..., dict[str, Any]]
    finish: Callable[..., dict[str, Any]]


def _steps(kind: str) -> _Steps:
    module_name, prefix = KINDS[kind]
    module = importlib.import_module(module_name)
    return _Steps(*(getattr(module, prefix + name) for name in ("prepare", "run_part", "finish")))


def _job(context: JobContext) -> tuple[str, uuid.UUID, dict[str, Any]]:
    with session_scope(context.sessions) as session:
        row = repository.get_job(session, context.job_id)
        assert row is not None
        return row.kind, row.owner_id, dict(row.parameters)


def _guarded(context: JobContext, work: Callable[[], Any]) -> Any:
    """``work()`` under the cancellation watchdog; None when the job stopped or failed (the
    failure is recorded in the job's row)."""
    from avatars_server.datasets.float_text import use_in_this_process

    use_in_this_process()  # a worker's warmup did it already, unless it has none (Dask)
    try:
        watchdog = context.watch()
        try:
            value = work()
        finally:
            watchdog.disarm()
            context.flush_progress()
        if watchdog.fired:
            raise JobCancelled()
        return value
    except JobCancelled:
        logger.info("Job %s: part stopped, the job is no longer running", context.job_id)
    except Exception as exc:
        record_failure(context, exc)
    return None


def run_job_prepare(job_id: str, settings_values: dict[str, Any]) -> list[dict[str, Any]] | None:
    """First task of a fan-out job: mark it started and prepare its parts.

    Returns:
        The parts' arguments, or None when the job did not start, failed or was cancelled.
    """
    context = JobContext(uuid.UUID(job_id), Settings.model_validate(settings_values))
    if not context.start():
        return None
    kind, owner_id, parameters = _job(context)
    steps = _steps(kind)
    parts: list[dict[str, Any]] | None = _guarded(
        context, lambda: steps.prepare(context, owner_id, parameters)
    )
    return parts


def run_job_part(
    job_id: str, settings_values: dict[str, Any], part: dict[str, Any]
) -> dict[str, Any] | None:
    """One part of a fan-out job, on whichever worker the executor picked.

    Returns:
        The part's result, or None when the job stopped or this part failed (recorded).
    """
    context = JobContext(uuid.UUID(job_id), Settings.model_validate(settings_values))
    if not context.is_running():
        return None
    kind, owner_id, parameters = _job(context)
    steps = _steps(kind)
    result: dict[str, Any] | None = _guarded(
        context, lambda: steps.run_part(context, owner_id, parameters, part)
    )
    return result


@dataclass
class _Group:
    kind: str
    futures: list[Future[Any]] = field(default_factory=list)
    results: dict[int, dict[str, Any]] = field(default_factory=dict)
    total: int = 0
    ended: bool = False


class FanOutTracker:
    """The server side of fan-out jobs: submits parts, counts them, stops them, finishes.

    Args:
        executor: the runner's executor.
        settings: the server settings (the tasks get ``settings_values``).
        settings_values: the settings as plain values, for the workers.
        sessions: the server's sessions.
        terminate: stops a running future (kills its worker), or None.
    """

    def __init__(
        self,
        executor: Executor,
        settings: Settings,
        settings_values: dict[str, Any],
        sessions: sessionmaker[Session],
        terminate: Callable[[Future[Any]], None] | None,
    ) -> None:
        self._executor = executor
        self._settings = settings
        self._values = settings_values
        self._sessions = sessions
        self._terminate = terminate
        self._groups: dict[uuid.UUID, _Group] = {}
        self._lock = threading.Lock()
        # Callbacks come from the executor's threads (a pool's loop, Dask's event loop): the
        # follow-up work (database writes, new submissions) runs on this thread instead.
        self._dispatcher = ThreadPoolExecutor(1, thread_name_prefix="job-fan-out")

    def submit(self, job_id: uuid.UUID, kind: str) -> None:
        group = _Group(kind)
        with self._lock:
            self._groups[job_id] = group
        future = self._executor.submit(run_job_prepare, str(job_id), self._values)
        group.futures.append(future)
        future.add_done_callback(lambda done: self._later(self._prepared, job_id, done))

    def _later(self, fn: Callable[..., None], *args: Any) -> None:
        def run() -> None:
            try:
                fn(*args)
            except Exception:
                logger.exception("Job %s: coordinating its parts failed", args[0])
                self._fail(args[0], "The job could not be coordinated; the server log says why.")

        try:
            self._dispatcher.submit(run)
        except RuntimeError:  # shutting down
            return

    def _group(self, job_id: uuid.UUID) -> _Group | None:
        with self._lock:
            group = self._groups.get(job_id)
        return None if group is None or group.ended else group

    def _prepared(self, job_id: uuid.UUID, future: Future[Any]) -> None:
        group = self._group(job_id)
        if group is None or future.cancelled():
            self._end(job_id)
            return
        error = future.exception()
        if error is not None:
            logger.error("Job %s: its preparing worker failed: %r", job_id, error)
            self._fail(job_id, WORKER_LOST_MESSAGE)
            return
        parts: list[dict[str, Any]] | None = future.result()
        if parts is None:  # failed (recorded) or cancelled
            self._end(job_id)
            return
        group.total = len(parts)
        if not self._progress(job_id, group):
            self._end(job_id)
            return
        for index, part in enumerate(parts):
            with self._lock:
                if group.ended:
                    return
                part_future = self._executor.submit(run_job_part, str(job_id), self._values, part)
                group.futures.append(part_future)
            part_future.add_done_callback(functools.partial(self._on_part, job_id, index))

    def _on_part(self, job_id: uuid.UUID, index: int, future: Future[Any]) -> None:
        self._later(self._part_done, job_id, index, future)

    def _part_done(self, job_id: uuid.UUID, index: int, future: Future[Any]) -> None:
        group = self._group(job_id)
        if group is None:
            return
        if future.cancelled():
            self._end(job_id)
            return
        error = future.exception()
        if error is not None:
            logger.error("Job %s: the worker of part %d failed: %r", job_id, index, error)
            self._fail(job_id, WORKER_LOST_MESSAGE)
            return
        result: dict[str, Any] | None = future.result()
        if result is None:  # this part failed (recorded) or the job stopped
            self._end(job_id)
            return
        group.results[index] = result
        if not self._progress(job_id, group):
            self._end(job_id)
            return
        if len(group.results) < group.total:
            return
        steps = _steps(group.kind)
        with session_scope(self._sessions) as session:
            row = repository.get_job(session, job_id)
            parameters = dict(row.parameters) if row is not None else {}
        outcome = steps.finish(parameters, [group.results[i] for i in range(group.total)])
        with session_scope(self._sessions) as session:
            repository.finish(session, job_id, status="success", result=outcome)
        logger.info("Job %s succeeded (%d parts)", job_id, group.total)
        self._end(job_id)

    def _progress(self, job_id: uuid.UUID, group: _Group) -> bool:
        """Record parts done / total; False when the job is no longer running."""
        done = len(group.results)
        rate = round(100 * done / group.total) if group.total else 0
        with session_scope(self._sessions) as session:
            return repository.report_progress(
                session, job_id, f"batches {done}/{group.total}", rate
            )

    def _fail(self, job_id: uuid.UUID, message: str) -> None:
        with session_scope(self._sessions) as session:
            repository.finish(
                session,
                job_id,
                status="failure",
                error_message=message,
                from_statuses=repository.ACTIVE,
            )
        self._end(job_id)

    def _end(self, job_id: uuid.UUID) -> None:
        """Stop every task of the job still queued or running, forget it, remove its files."""
        with self._lock:
            group = self._groups.pop(job_id, None)
            if group is None:
                return
            group.ended = True
            futures = list(group.futures)
        for future in futures:
            if not future.done() and not future.cancel() and self._terminate is not None:
                self._terminate(future)
        shutil.rmtree(work_dir(self._settings, job_id), ignore_errors=True)

    def sweep(self) -> None:
        """Remove the working directories of jobs no longer pending or started (left behind by
        a server that stopped abruptly); they may hold a fitted model of the training data."""
        root = self._settings.tmp_dir / "jobs"
        if not root.is_dir():
            return
        found: dict[uuid.UUID, Path] = {}
        for path in root.iterdir():
            try:
                found[uuid.UUID(path.name)] = path
            except ValueError:
                continue
        if not found:
            return
        with session_scope(self._sessions) as session:
            statuses = repository.statuses(session, list(found))
        for job_id, path in found.items():
            if statuses.get(job_id) not in repository.ACTIVE:
                shutil.rmtree(path, ignore_errors=True)

    # -- the runner's view ---------------------------------------------------------------------
    def owns(self, job_id: uuid.UUID) -> bool:
        with self._lock:
            return job_id in self._groups

    def cancel(self, job_id: uuid.UUID) -> None:
        """Stop every task of the job (its row already says `killed`)."""
        self._end(job_id)

    def running(self) -> list[uuid.UUID]:
        with self._lock:
            return list(self._groups)

    def active(self) -> int:
        with self._lock:
            return sum(not f.done() for g in self._groups.values() for f in g.futures)

    def shutdown(self) -> None:
        with self._lock:
            futures = [f for g in self._groups.values() for f in g.futures]
            for group in self._groups.values():
                group.ended = True
        for future in futures:
            future.cancel()
        self._dispatcher.shutdown(wait=False, cancel_futures=True)
        with self._lock:
            ended = list(self._groups)
        for job_id in ended:
            shutil.rmtree(work_dir(self._settings, job_id), ignore_errors=True)
