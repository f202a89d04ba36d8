"""What a running job sees: its database, throttled progress reports, and cancellation.

A job stops when its row stops being `started` (cancelled by a user, or failed by a restarted
server): progress reports notice it (at the report after the write that found it), and a
watchdog thread notices it even while the engine is busy between two reports and raises
`JobCancelled` inside the job's thread.

Progress is written by a short-lived writer thread, so that the job does not wait for the
database's commit (a few to tens of milliseconds each, on the job's critical path otherwise):
while a write is in flight, later reports replace the one waiting, and only the latest is
written.
"""

from __future__ import annotations

import ctypes
import logging
import threading
import time
import uuid
from collections.abc import Callable
from functools import lru_cache

from sqlalchemy.orm import Session, sessionmaker

from avatars_server.config import Settings
from avatars_server.storage import jobs
from avatars_server.storage.db import make_engine, make_session_factory, session_scope

logger = logging.getLogger(__name__)

PROGRESS_INTERVAL = 0.5
"""Least time between two progress writes, in seconds (a new step is always written)."""
WATCH_INTERVAL = 1.0
"""How often the watchdog reads the job's status, in seconds."""

Progress = Callable[[str, float], None]


class JobCancelled(BaseException):
    """The job's row is no longer `started`: stop working and write nothing.

    A BaseException, so that no `except Exception` in the engine swallows it.
    """


class JobFailure(Exception):
    """A failure whose message is meant for the user (it becomes `error_message`)."""


@lru_cache(maxsize=4)
def session_factory_for(database_url: str, settings_json: str) -> sessionmaker[Session]:
    """One engine per worker process and database, reused by every job it runs."""
    settings = Settings.model_validate_json(settings_json)
    return make_session_factory(make_engine(settings))


class _Watchdog:
    """Raises JobCancelled in `thread_id` once the job's row leaves `started`."""

    def __init__(self, context: JobContext, thread_id: int) -> None:
        self._context = context
        self._thread_id = thread_id
        self._lock = threading.Lock()
        self._armed = True
        self.fired = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="job-watchdog", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(WATCH_INTERVAL):
            try:
                running = self._context.is_running()
            except Exception:  # a busy database is not a reason to stop the job
                logger.warning("Could not read the status of job %s", self._context.job_id)
                continue
            if running:
                continue
            with self._lock:
                if self._armed:
                    self.fired = True
                    ctypes.pythonapi.PyThreadState_SetAsyncExc(
                        ctypes.c_ulong(self._thread_id), ctypes.py_object(JobCancelled)
                    )
            return

    def disarm(self) -> None:
        """After this returns, no JobCancelled will be raised asynchronously."""
        self._stop.set()
        with self._lock:
            self._armed = False
            if self.fired:
                # Clear an exception set but not yet delivered; the caller checks `fired`.
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(self._thread_id), None)


class JobContext:
    """Database access and progress reporting for one job, inside a worker."""

    def __init__(self, job_id: uuid.UUID, settings: Settings) -> None:
        self.job_id = job_id
        self.settings = settings
        self.sessions = session_factory_for(
            settings.resolved_database_url(), settings.model_dump_json()
        )
        self._last_name: str | None = None
        self._last_write = 0.0
        self._step: tuple[str, float] | None = None
        self._timings: dict[str, float] = {}
        self._progress_lock = threading.Lock()
        self._pending: tuple[str, int] | None = None
        self._writer: threading.Thread | None = None
        self._stopped = False

    def session(self) -> Session:
        return self.sessions()

    def start(self) -> bool:
        """pending -> started; False when the job was cancelled or recovered meanwhile."""
        with session_scope(self.sessions) as session:
            return jobs.mark_started(session, self.job_id)

    def is_running(self) -> bool:
        with session_scope(self.sessions) as session:
            return jobs.current_status(session, self.job_id) == "started"

    def report(self, name: str, completion: float) -> None:
        """Record the current step and overall completion in [0, 1] (throttled; written in
        the background, see the module docstring).

        Raises:
            JobCancelled: an earlier write found the job no longer running.
        """
        if self._stopped:
            raise JobCancelled()
        now = time.monotonic()
        if self._step is None or self._step[0] != name:
            self._close_step(now)
            self._step = (name, now)
        if name == self._last_name and now - self._last_write < PROGRESS_INTERVAL:
            return
        self._last_name, self._last_write = name, now
        rate = max(0, min(100, round(100 * completion)))
        with self._progress_lock:
            self._pending = (name, rate)
            if self._writer is None:
                self._writer = threading.Thread(
                    target=self._write_progress, name="job-progress", daemon=True
                )
                self._writer.start()

    def _write_progress(self) -> None:
        """Write the waiting progress until none is left (then the thread ends)."""
        while True:
            with self._progress_lock:
                pending, self._pending = self._pending, None
                if pending is None:
                    self._writer = None
                    return
            try:
                with session_scope(self.sessions) as session:
                    still_running = jobs.report_progress(session, self.job_id, *pending)
            except Exception:  # a busy database is not a reason to stop the job
                logger.warning("Could not record the progress of job %s", self.job_id)
                continue
            if not still_running:
                self._stopped = True

    def flush_progress(self) -> None:
        """Wait for the progress being written (before the job's row is finished)."""
        with self._progress_lock:
            writer = self._writer
        if writer is not None:
            writer.join()

    def _close_step(self, now: float) -> None:
        if self._step is not None:
            name, since = self._step
            self._timings[name] = self._timings.get(name, 0.0) + now - since

    def step_times(self) -> dict[str, float]:
        """Seconds spent in each reported step so far (for the log)."""
        self._close_step(time.monotonic())
        self._step = None
        return dict(self._timings)

    def phase(self, start: float, end: float) -> Progress:
        """A progress callback mapping a step's fraction into [start, end] of the job."""

        def callback(name: str, fraction: float) -> None:
            self.report(name, start + (end - start) * min(max(fraction, 0.0), 1.0))

        return callback

    def watch(self) -> _Watchdog:
        """Start a watchdog that interrupts the calling thread when the job is cancelled."""
        return _Watchdog(self, threading.get_ident())
