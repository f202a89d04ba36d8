"""Waiting for jobs: the one polling loop (capped back-off up to a deadline; injectable clock
and sleep) and the one decision on how a job ended (`finished_job`)."""

import sys
import time
from collections.abc import Callable
from typing import Any, TypeVar
from uuid import UUID

from tqdm import tqdm

from avatar_api_client.types import Unset
from avatars._constants import POLL_BACKOFF, POLL_INITIAL_DELAY, POLL_MAX_DELAY
from avatars.exceptions import JobFailedError, JobTimeoutError

__all__ = [
    "FAILED_STATUSES",
    "RUNNING_STATUSES",
    "SUCCESS_STATUS",
    "EndEstimate",
    "finished_job",
    "job_end_estimate",
    "job_error_message",
    "job_progress",
    "job_status",
    "poll",
    "wait_for_job",
]

T = TypeVar("T")

RUNNING_STATUSES = frozenset({"pending", "started"})
"""Statuses of a job that has not finished yet."""
SUCCESS_STATUS = "success"
FAILED_STATUSES = frozenset({"failure", "killed"})


def job_status(job: Any) -> str:
    """The status of a job model of any kind, as a string ("pending", "success", ...)."""
    return str(getattr(job.status, "value", job.status))


def job_error_message(job: Any) -> str | None:
    """The `error_message` of a job model of any kind, None when unset."""
    message = job.error_message
    return message if isinstance(message, str) else None


def job_progress(job: Any) -> tuple[str | None, float | None]:
    """The current step name and completed fraction in [0, 1] of a job model (each may be None)."""
    progress = job.current_progress
    if progress is None or isinstance(progress, Unset):
        return (None, None)
    name = progress.name if isinstance(progress.name, str) else None
    return (name, progress.completion_rate_100 / 100)


def finished_job(
    job_id: str | UUID, job: T, *, status: str, error_message: str | None, waited: float
) -> T:
    """Decide how a job read for the last time ended: return it when it succeeded, else raise.

    This is the client's one outcome rule, for `client.jobs.wait` and the pipelines alike.

    Args:
        job_id: Id of the job, for messages.
        job: The job as last read.
        status: Its status ("pending", "started", "success", "failure", "killed", ...).
        error_message: Its `error_message`.
        waited: Seconds spent waiting for it, for the timeout message.

    Returns:
        `job`, whose status is "success".

    Raises:
        JobTimeoutError: If the job is still pending or started.
        JobFailedError: If the job ended with any status other than "success".
    """
    if status in RUNNING_STATUSES:
        raise JobTimeoutError(job_id, waited, status)
    if status != SUCCESS_STATUS:
        raise JobFailedError(job_id, error_message, job, status)
    return job


class EndEstimate:
    """Predicts the seconds until a job ends from how fast its completed fraction has grown since
    the first reading that had one (the job may have started before the wait did).

    Progress that has not moved for a while predicts no end sooner than that while, so that a
    long step without reports is polled with growing pauses rather than every `initial_delay`.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._first: tuple[float, float] | None = None
        self._last = 0.0
        self._moved = 0.0

    def __call__(self, fraction: float | None) -> float | None:
        """The prediction after reading `fraction` in [0, 1] (None: unknown, or not moving yet)."""
        if fraction is None:
            return None
        now = self._clock()
        if self._first is None or fraction < self._last:
            # The first reading, or a new attempt that started over.
            self._first = (now, fraction)
            self._last, self._moved = fraction, now
            return None
        if fraction > self._last:
            self._last, self._moved = fraction, now
        since, start = self._first
        if fraction <= start or now <= since:
            return None
        predicted = (1.0 - min(fraction, 1.0)) * (now - since) / (fraction - start)
        return max(predicted, now - self._moved)


def job_end_estimate(clock: Callable[[], float] = time.monotonic) -> Callable[[Any], float | None]:
    """A `remaining` for `poll` over job models of any kind: the end predicted from the progress
    each job reading carries (`EndEstimate`)."""
    estimate = EndEstimate(clock)
    return lambda job: estimate(job_progress(job)[1])


def poll(
    fetch: Callable[[], T],
    is_running: Callable[[T], bool],
    *,
    timeout: float | None,
    on_update: Callable[[T], None] | None = None,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
    initial_delay: float = POLL_INITIAL_DELAY,
    max_delay: float = POLL_MAX_DELAY,
    backoff: float = POLL_BACKOFF,
    remaining: Callable[[T], float | None] | None = None,
) -> T:
    """Fetch a value until it stops running or the deadline passes, and return it as last read.

    Fetches once; then, while `is_running` and the deadline has not passed, sleeps (`initial_delay`,
    times `backoff` each time, capped at `max_delay`, and never past the deadline) and fetches
    again. When `remaining` predicts the end, a sleep lasts at most half the predicted time left
    (and at least `initial_delay`): the back-off keeps long waits cheap, and the end is seen soon
    after it comes instead of up to `max_delay` later. Reaching the deadline is not an error: the
    caller checks the returned value.

    Args:
        fetch: Reads the current value (e.g. GETs a job).
        is_running: True while the value is still expected to change (e.g. pending or started).
        timeout: Seconds from the call to the deadline; None waits without a deadline.
        on_update: Called with each value fetched (e.g. to move a progress bar).
        clock: Monotonic clock in seconds (injected by tests).
        sleep: Sleeps for the given seconds (injected by tests).
        initial_delay: First sleep, in seconds.
        max_delay: Longest sleep, in seconds.
        backoff: Factor from one sleep to the next (>= 1).
        remaining: Predicts the seconds left until the value stops running, from the value just
            fetched (None: no prediction).

    Returns:
        The last value fetched.

    Raises:
        ValueError: If `timeout` is negative.
    """
    if timeout is not None and timeout < 0:
        raise ValueError(f"timeout must be None or a number >= 0. Got {timeout} instead.")
    deadline = None if timeout is None else clock() + timeout
    delay = initial_delay
    value = fetch()
    if on_update is not None:
        on_update(value)
    while is_running(value):
        pause = delay
        left = remaining(value) if remaining is not None else None
        if left is not None:
            pause = min(pause, max(initial_delay, left / 2))
        if deadline is not None:
            until_deadline = deadline - clock()
            if until_deadline <= 0:
                break
            pause = min(pause, until_deadline)
        sleep(pause)
        value = fetch()
        if on_update is not None:
            on_update(value)
        delay = min(delay * backoff, max_delay)
    return value


def wait_for_job(
    job_id: str | UUID,
    fetch: Callable[[], T],
    *,
    status: Callable[[T], str],
    error_message: Callable[[T], str | None],
    progress: Callable[[T], tuple[str | None, float | None]] | None = None,
    timeout: float | None = None,
    show_progress: bool = True,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
    initial_delay: float = POLL_INITIAL_DELAY,
    max_delay: float = POLL_MAX_DELAY,
) -> T:
    """Wait until a job succeeds, showing its progress; raise if it fails or the deadline passes.

    On Ctrl-C the job keeps running on the server: a note on stderr says how to resume or cancel,
    and the KeyboardInterrupt propagates.

    Args:
        job_id: Id of the job, for messages.
        fetch: GETs the job.
        status: Returns the job's status string ("pending", "started", "success", ...).
        error_message: Returns the job's `error_message`.
        progress: Returns the job's current step name and completed fraction in [0, 1] (each may
            be None); without it the bar shows the status only.
        timeout: Seconds from the call to the deadline; None waits without a deadline.
        show_progress: Whether to show a tqdm bar on stderr.
        clock: Monotonic clock in seconds (injected by tests).
        sleep: Sleeps for the given seconds (injected by tests).
        initial_delay: First sleep between two GETs, in seconds.
        max_delay: Longest sleep between two GETs, in seconds.

    Returns:
        The job as last read, with status "success".

    Raises:
        JobFailedError: If the job ends with any status other than "success" (failure, killed).
        JobTimeoutError: If the job is still pending or started at the deadline.
        ValueError: If `timeout` is negative.
    """
    start = clock()
    bar = tqdm(total=100, unit="%", desc=f"Job {job_id}", disable=not show_progress, leave=False)

    def on_update(job: T) -> None:
        step, fraction = progress(job) if progress is not None else (None, None)
        bar.set_description(f"Job {job_id}: {step or status(job)}", refresh=False)
        if fraction is not None:
            bar.n = round(100 * min(max(fraction, 0.0), 1.0))
        bar.refresh()

    estimate = EndEstimate(clock)

    def remaining(job: T) -> float | None:
        return estimate(progress(job)[1]) if progress is not None else None

    try:
        job = poll(
            fetch,
            lambda job: status(job) in RUNNING_STATUSES,
            timeout=timeout,
            on_update=on_update,
            clock=clock,
            sleep=sleep,
            initial_delay=initial_delay,
            max_delay=max_delay,
            remaining=remaining,
        )
    except KeyboardInterrupt:
        bar.close()
        sys.stderr.write(
            f"\nStopped waiting for job {job_id}; the job is still running on the server.\n"
            f"Resume with client.jobs.wait('{job_id}') "
            f"or cancel it with client.jobs.cancel_job('{job_id}').\n"
        )
        raise
    finally:
        bar.close()
    return finished_job(
        job_id, job, status=status(job), error_message=error_message(job), waited=clock() - start
    )
