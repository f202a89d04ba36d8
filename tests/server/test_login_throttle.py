"""Login throttling with a controllable clock: a real server (uvicorn, in a thread) on a real
SQLite database, `create_app(clock=...)` gives it our clock, and time moves without sleeping."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from avatars_server.config import Settings
from avatars_server.storage import users
from avatars_server.storage.db import make_engine, make_session_factory, session_scope
from avatars_server.storage.migrate import upgrade_to_head
from tests.server.live import live_server

PASSWORD = "right-password-1"


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def _settings(data_dir: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "data_dir": data_dir,
        "secret_key": "test-secret-" + "x" * 40,
        "job_workers": 1,
        "login_max_failures_per_account": 5,
        "login_max_failures_per_address": 1000,
        "login_failure_window_seconds": 900,
        "login_lock_seconds": 30,
        "login_lock_max_seconds": 3600,
        "login_lock_memory_seconds": 86400,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


def _add_user(settings: Settings, name: str, email: str | None = None) -> None:
    engine = make_engine(settings)
    upgrade_to_head(engine)
    with session_scope(make_session_factory(engine)) as session:
        users.create_user(session, username=name, email=email, password=PASSWORD)
    engine.dispose()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    settings = _settings(tmp_path)
    _add_user(settings, "alice", "alice@example.org")
    return settings


@pytest.fixture
def client(settings: Settings, clock: FakeClock) -> Iterator[httpx.Client]:
    with live_server(settings, clock) as client:
        yield client


def _login(client: httpx.Client, name: str, password: str) -> tuple[int, str | None, str]:
    response = client.post("/login", data={"username": name, "password": password})
    return (
        response.status_code,
        response.headers.get("retry-after"),
        response.json().get("message", ""),
    )


def test_five_failures_lock_the_account_even_for_the_right_password(
    client: httpx.Client, clock: FakeClock
) -> None:
    for _ in range(5):
        assert _login(client, "alice", "wrong")[0] == 401
    status, retry_after, message = _login(client, "alice", PASSWORD)
    assert (status, retry_after) == (429, "30")
    assert "Try again in 30 s" in message and "after 20" in message
    clock.advance(29)
    assert _login(client, "alice", PASSWORD)[:2] == (429, "1")
    clock.advance(1)
    assert _login(client, "alice", PASSWORD)[0] == 200


def test_each_further_lock_lasts_twice_as_long_up_to_the_cap(
    client: httpx.Client, clock: FakeClock
) -> None:
    expected = [30, 60, 120, 240]
    for seconds in expected:
        for _ in range(5):
            assert _login(client, "alice", "wrong")[0] == 401
        status, retry_after, _ = _login(client, "alice", "wrong")
        assert (status, retry_after) == (429, str(seconds))
        clock.advance(seconds)


def test_lock_length_is_capped(tmp_path: Path, clock: FakeClock) -> None:
    settings = _settings(tmp_path, login_lock_max_seconds=50)
    with live_server(settings, clock) as client:
        for seconds in (30, 50, 50):
            for _ in range(5):
                _login(client, "bob", "wrong")
            assert _login(client, "bob", "wrong")[1] == str(seconds)
            clock.advance(seconds)


def test_past_locks_are_forgotten_after_a_quiet_day(client: httpx.Client, clock: FakeClock) -> None:
    for _ in range(5):
        _login(client, "alice", "wrong")
    clock.advance(30)
    clock.advance(86400)
    for _ in range(5):
        _login(client, "alice", "wrong")
    assert _login(client, "alice", "wrong")[1] == "30"


def test_an_unknown_name_gets_exactly_the_answers_of_a_real_account(
    client: httpx.Client, clock: FakeClock
) -> None:
    def sequence(name: str) -> list[tuple[int, str | None, str]]:
        answers = [_login(client, name, "wrong") for _ in range(6)]
        clock.advance(30)
        answers.append(_login(client, name, "wrong"))
        # The messages name a time; compare them without it.
        return [(s, r, m.split(" (after")[0]) for s, r, m in answers]

    real = sequence("alice")
    clock.advance(86400 * 2)
    unknown = sequence(f"nobody-{uuid.uuid4().hex[:6]}")
    assert real == unknown
    assert [s for s, _, _ in real] == [401] * 5 + [429, 401]


def test_failures_outside_the_window_do_not_add_up(client: httpx.Client, clock: FakeClock) -> None:
    for _ in range(4):
        assert _login(client, "alice", "wrong")[0] == 401
    clock.advance(901)
    for _ in range(4):
        assert _login(client, "alice", "wrong")[0] == 401
    assert _login(client, "alice", PASSWORD)[0] == 200


def test_a_successful_login_clears_the_account_count(client: httpx.Client) -> None:
    for _ in range(4):
        _login(client, "alice", "wrong")
    assert _login(client, "alice", PASSWORD)[0] == 200
    for _ in range(4):
        assert _login(client, "alice", "wrong")[0] == 401
    assert _login(client, "alice", PASSWORD)[0] == 200


def test_failures_from_one_address_lock_it_for_every_name(tmp_path: Path, clock: FakeClock) -> None:
    settings = _settings(tmp_path, login_max_failures_per_address=8)
    _add_user(settings, "carol")
    with live_server(settings, clock) as client:
        for number in range(8):
            assert _login(client, f"guess-{number}", "wrong")[0] == 401
        status, retry_after, _ = _login(client, "carol", PASSWORD)
        assert (status, retry_after) == (429, "30")
        clock.advance(30)
        assert _login(client, "carol", PASSWORD)[0] == 200


def test_forgotten_password_requests_are_throttled(client: httpx.Client, clock: FakeClock) -> None:
    for email in ("alice@example.org", "unknown@example.org"):
        for _ in range(5):
            response = client.post("/login/forgotten_password", json={"email": email})
            assert response.status_code == 200
        response = client.post("/login/forgotten_password", json={"email": email})
        assert response.status_code == 429
        assert response.headers["retry-after"] == "30"
        assert "password reset requests" in response.json()["message"]
        clock.advance(86400 * 2)


def test_reset_password_guesses_are_throttled(client: httpx.Client) -> None:
    body = {
        "email": "alice@example.org",
        "new_password": "new-password-1",
        "new_password_repeated": "new-password-1",
    }
    for _ in range(5):
        response = client.post("/login/reset_password", json={**body, "token": str(uuid.uuid4())})
        assert response.status_code == 401
    response = client.post("/login/reset_password", json={**body, "token": str(uuid.uuid4())})
    assert response.status_code == 429
    assert response.headers["retry-after"] == "30"


def test_a_password_reset_ends_the_login_lock(
    client: httpx.Client, settings: Settings, clock: FakeClock
) -> None:
    for _ in range(5):
        _login(client, "alice", "wrong")
    assert _login(client, "alice", PASSWORD)[0] == 429
    engine = make_engine(settings)
    with session_scope(make_session_factory(engine)) as session:
        user = users.get_user_by_login(session, "alice")
        assert user is not None
        token = users.create_reset_token(session, user, lifetime_seconds=3600)
    engine.dispose()
    response = client.post(
        "/login/reset_password",
        json={
            "email": "alice@example.org",
            "new_password": "new-password-1",
            "new_password_repeated": "new-password-1",
            "token": str(token),
        },
    )
    assert response.status_code == 200
    assert _login(client, "alice", "new-password-1")[0] == 200


def test_counts_are_shared_by_processes_and_survive_a_restart(
    settings: Settings, clock: FakeClock
) -> None:
    # Two apps on one database stand for two server processes (or a restart).
    with (
        live_server(settings, clock) as first,
        live_server(settings, clock) as second,
    ):
        for _ in range(3):
            assert _login(first, "alice", "wrong")[0] == 401
        for _ in range(2):
            assert _login(second, "alice", "wrong")[0] == 401
        assert _login(first, "alice", PASSWORD)[0] == 429
        assert _login(second, "alice", PASSWORD)[0] == 429
    with live_server(settings, clock) as restarted:
        assert _login(restarted, "alice", PASSWORD)[:2] == (429, "30")
