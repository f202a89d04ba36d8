"""The polling loop and wait_for_job, with a fake clock and sleep; and the transfer progress bar."""

from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace

import pytest

from avatars._constants import PROGRESS_MIN_BYTES
from avatars._progress import transfer_bar
from avatars.exceptions import JobFailedError, JobTimeoutError
from avatars.waiting import EndEstimate, job_end_estimate, poll, wait_for_job


class FakeClock:
    """A monotonic clock that only moves when `sleep` is called."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        assert seconds > 0
        self.sleeps.append(seconds)
        self.now += seconds


@dataclass
class Job:
    id: str
    status: str
    error_message: str | None = None
    step: str | None = None
    fraction: float | None = None


def _jobs(*statuses: str) -> Callable[[], Job]:
    """A fetch returning jobs with these statuses in turn, then the last one forever."""
    remaining = list(statuses)

    def fetch() -> Job:
        status = remaining.pop(0) if len(remaining) > 1 else remaining[0]
        return Job("j1", status, error_message="boom" if status == "failure" else None)

    return fetch


def _counter(finish_after: int) -> tuple[Callable[[], int], list[int]]:
    calls: list[int] = []

    def fetch() -> int:
        calls.append(len(calls))
        return min(len(calls), finish_after)

    return fetch, calls


def _schedule(count: int) -> list[float]:
    """The client's sleeps: 0.1 s, times 1.25 each time, capped at 5 s."""
    sleeps, delay = [], 0.1
    for _ in range(count):
        sleeps.append(delay)
        delay = min(delay * 1.25, 5.0)
    return sleeps


def test_poll_backs_off_up_to_the_cap() -> None:
    clock = FakeClock()
    fetch, calls = _counter(finish_after=25)
    value = poll(fetch, lambda n: n < 25, timeout=None, clock=clock, sleep=clock.sleep)
    assert value == 25
    assert len(calls) == 25
    assert clock.sleeps == pytest.approx(_schedule(24))
    assert clock.sleeps[:3] == pytest.approx([0.1, 0.125, 0.15625])
    assert clock.sleeps[-1] == 5.0


def test_poll_sees_a_job_done_soon_after_it_ends() -> None:
    # A job that ends at t: seen done at most about a quarter of t late (doubling from 0.5 s
    # saw a 2.2 s job done at 3.5 s).
    for ends in (0.3, 1.0, 2.2, 7.0, 20.0):
        clock = FakeClock()
        poll(
            lambda clock=clock, ends=ends: clock.now - 1000.0 >= ends,
            lambda done: not done,
            timeout=None,
            clock=clock,
            sleep=clock.sleep,
        )
        assert clock.now - 1000.0 <= max(1.3 * ends, ends + 0.15)


def test_poll_returns_the_first_value_without_sleeping_when_done() -> None:
    clock = FakeClock()
    assert poll(lambda: "success", lambda s: s == "started", timeout=10, clock=clock) == "success"
    assert clock.sleeps == []


def test_poll_respects_the_deadline_and_returns_the_last_value() -> None:
    clock = FakeClock()
    fetch, calls = _counter(finish_after=1000)
    value = poll(fetch, lambda n: True, timeout=10, clock=clock, sleep=clock.sleep)
    # Full sleeps while they fit, then the last one is cut to what is left of the 10 s.
    full = [s for i, s in enumerate(_schedule(30)) if sum(_schedule(30)[: i + 1]) <= 10.0]
    assert clock.sleeps[:-1] == pytest.approx(full)
    assert clock.sleeps[-1] == pytest.approx(10.0 - sum(full))
    assert clock.now == pytest.approx(1010.0)
    assert value == len(calls) == len(full) + 2  # one last fetch at the deadline


def test_poll_never_sleeps_past_the_deadline() -> None:
    for timeout in (0.1, 0.7, 3.3, 12.0, 31.4):
        clock = FakeClock()
        poll(lambda: 0, lambda _: True, timeout=timeout, clock=clock, sleep=clock.sleep)
        assert clock.now == pytest.approx(1000.0 + timeout)
        assert all(s <= 5.0 for s in clock.sleeps)


def test_poll_with_zero_timeout_fetches_once() -> None:
    clock = FakeClock()
    fetch, _ = _counter(finish_after=5)
    assert poll(fetch, lambda n: True, timeout=0, clock=clock, sleep=clock.sleep) == 1
    assert clock.sleeps == []


def test_poll_counts_the_time_spent_fetching() -> None:
    clock = FakeClock()

    def slow_fetch() -> str:
        clock.now += 3.0  # each GET takes 3 s
        return "started"

    poll(slow_fetch, lambda s: s == "started", timeout=10, clock=clock, sleep=clock.sleep)
    # fetch@3, sleep 0.1, fetch@6.1, sleep 0.125, fetch@9.225, sleep 0.15625, fetch@12.38
    # -> past the deadline: stop.
    assert clock.sleeps == pytest.approx([0.1, 0.125, 0.15625])


def test_poll_reports_each_value() -> None:
    clock = FakeClock()
    seen: list[str] = []
    poll(
        _jobs("pending", "started", "success"),
        lambda job: job.status in {"pending", "started"},
        timeout=None,
        on_update=lambda job: seen.append(job.status),
        clock=clock,
        sleep=clock.sleep,
    )
    assert seen == ["pending", "started", "success"]


def test_poll_rejects_a_negative_timeout() -> None:
    with pytest.raises(ValueError, match="timeout"):
        poll(lambda: 0, lambda _: False, timeout=-1)


def _wait(fetch: Callable[[], Job], clock: FakeClock, **kwargs: object) -> Job:
    return wait_for_job(
        "j1",
        fetch,
        status=lambda job: job.status,
        error_message=lambda job: job.error_message,
        progress=lambda job: (job.step, job.fraction),
        clock=clock,
        sleep=clock.sleep,
        **kwargs,  # type: ignore[arg-type]
    )


def test_wait_for_job_returns_the_successful_job() -> None:
    clock = FakeClock()
    job = _wait(_jobs("pending", "started", "success"), clock, show_progress=False)
    assert job.status == "success"
    assert clock.sleeps == pytest.approx([0.1, 0.125])


@pytest.mark.parametrize("final", ["failure", "killed", "unknown"])
def test_wait_for_job_raises_job_failed_error(final: str) -> None:
    clock = FakeClock()
    with pytest.raises(JobFailedError) as info:
        _wait(_jobs("started", final), clock, show_progress=False)
    assert info.value.job_id == "j1"
    assert info.value.status == final
    assert isinstance(info.value.job, Job)
    assert info.value.reason == ("boom" if final == "failure" else None)


def test_wait_for_job_raises_timeout_when_still_running() -> None:
    clock = FakeClock()
    with pytest.raises(JobTimeoutError) as info:
        _wait(_jobs("pending", "started"), clock, timeout=4.0, show_progress=False)
    assert info.value.job_id == "j1"
    assert info.value.waited == 4.0
    assert info.value.last_status == "started"


def test_wait_for_job_shows_step_and_fraction(capsys: pytest.CaptureFixture[str]) -> None:
    clock = FakeClock()
    jobs = iter(
        [
            Job("j1", "started", step="projection", fraction=0.25),
            Job("j1", "started", step="metrics", fraction=0.9),
            Job("j1", "success", fraction=1.0),
        ]
    )
    job = _wait(lambda: next(jobs), clock, show_progress=True)
    assert job.status == "success"
    err = capsys.readouterr().err
    assert "Job j1: projection" in err
    assert "Job j1: metrics" in err
    assert "90%" in err


def test_ctrl_c_says_how_to_resume_or_cancel(capsys: pytest.CaptureFixture[str]) -> None:
    clock = FakeClock()
    statuses = iter(["started"])

    def fetch() -> Job:
        status = next(statuses, None)
        if status is None:
            raise KeyboardInterrupt
        return Job("j1", status)

    with pytest.raises(KeyboardInterrupt):
        _wait(fetch, clock, show_progress=False)
    err = capsys.readouterr().err
    assert "the job is still running on the server" in err
    assert "client.jobs.wait('j1')" in err
    assert "client.jobs.cancel_job('j1')" in err


@pytest.mark.parametrize(
    ("total", "enabled", "disabled"),
    [
        (None, True, False),
        (PROGRESS_MIN_BYTES, True, False),
        (PROGRESS_MIN_BYTES - 1, True, True),
        (10, True, True),
        (PROGRESS_MIN_BYTES * 10, False, True),
    ],
)
def test_transfer_bar_is_shown_only_for_large_transfers(
    total: int | None, enabled: bool, disabled: bool
) -> None:
    with transfer_bar(total, enabled=enabled, desc="Uploading") as bar:
        bar.update(3)
        assert bar.disable is disabled


def test_end_estimate_extrapolates_progress_and_waits_out_stalls() -> None:
    clock = FakeClock()
    estimate = EndEstimate(clock)
    assert estimate(None) is None
    assert estimate(0.0) is None  # the first reading only sets the origin
    clock.now += 10.0
    assert estimate(0.25) == pytest.approx(30.0)  # a quarter in 10 s: 30 s left
    clock.now += 10.0
    assert estimate(0.5) == pytest.approx(20.0)
    clock.now += 10.0
    assert estimate(0.95) == pytest.approx(0.05 * 30.0 / 0.95)
    clock.now += 40.0  # stuck for 40 s near the end: no end expected sooner than in 40 s
    assert estimate(0.95) == pytest.approx(40.0)
    assert estimate(0.1) is None  # progress went back: a new attempt, a new origin


def _linear_job(clock: FakeClock, duration: float) -> Callable[[], Job]:
    """A job whose progress grows evenly and which succeeds after `duration` seconds."""
    start = clock.now

    def fetch() -> Job:
        elapsed = clock.now - start
        if elapsed >= duration:
            return Job("j1", "success", fraction=1.0)
        return Job("j1", "started", step="avatarization", fraction=elapsed / duration)

    return fetch


@pytest.mark.parametrize("duration", [1.3, 60.0, 600.0])
def test_wait_for_job_sees_the_end_soon_after_it_comes(duration: float) -> None:
    """Back-off alone reads a 60-s job up to 5 s after it ended; with the end predicted from its
    progress, the wait sleeps at most half the time left and sees the end within 0.1 s."""
    clock = FakeClock()
    start = clock.now
    job_at = _linear_job(clock, duration)
    fetched: list[Job] = []

    def fetch() -> Job:
        fetched.append(job_at())
        return fetched[-1]

    job = wait_for_job(
        "j1", fetch, status=lambda j: j.status, error_message=lambda j: j.error_message,
        progress=lambda j: (j.step, j.fraction), show_progress=False,
        clock=clock, sleep=clock.sleep,
    )  # fmt: skip
    assert job.status == "success"
    assert clock.now - start - duration <= 0.1 + 1e-9
    assert max(clock.sleeps) <= 5.0 and min(clock.sleeps) >= 0.1 - 1e-12
    # Not many more GETs than back-off alone would make.
    assert len(fetched) <= 30 + duration / 5.0


def test_a_stalled_job_is_polled_with_growing_pauses() -> None:
    """Progress stuck at 95 % from 10 s to 100 s: the pauses grow back to the back-off's 5 s
    (about 18 GETs over those 90 s) instead of staying at 0.1 s (about 900)."""
    clock = FakeClock()
    start = clock.now

    def fetch() -> Job:
        elapsed = clock.now - start
        if elapsed >= 100.0:
            return Job("j1", "success", fraction=1.0)
        return Job("j1", "started", fraction=min(0.95, elapsed / 10.0 * 0.95))

    wait_for_job(
        "j1", fetch, status=lambda j: j.status, error_message=lambda j: j.error_message,
        progress=lambda j: (None, j.fraction), show_progress=False,
        clock=clock, sleep=clock.sleep,
    )  # fmt: skip
    stalled = [t for t in _times(clock.sleeps, start) if t >= start + 10.0]
    assert len(stalled) <= 30
    assert clock.now - start - 100.0 <= 5.0


def _times(sleeps: list[float], start: float) -> list[float]:
    """The clock reading before each sleep."""
    out, now = [], start
    for pause in sleeps:
        out.append(now)
        now += pause
    return out


def test_job_getters_predict_the_end_from_the_jobs_progress() -> None:
    """The `remaining` the job getters pass to `poll` reads `current_progress` of any job model
    (percent), and knows nothing while a job reports none."""
    clock = FakeClock()
    remaining = job_end_estimate(clock)

    def job(percent: float | None) -> SimpleNamespace:
        progress = (
            None if percent is None else SimpleNamespace(name="x", completion_rate_100=percent)
        )
        return SimpleNamespace(current_progress=progress)

    assert remaining(job(None)) is None
    assert remaining(job(20.0)) is None
    clock.now += 4.0
    assert remaining(job(60.0)) == pytest.approx(4.0)  # 40 points in 4 s: 40 more to go
