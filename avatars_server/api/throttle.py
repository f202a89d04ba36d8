"""Throttling of the auth routes against password (and reset token) guessing.

Each route counts failures per account name and per client address in the database
(`storage/login_attempts.py`). Past the limit the key is locked: every request on it answers
429 with `Retry-After`, even with the right password, until the lock ends; each further lock
lasts twice as long. Unknown account names are counted exactly like real ones.

The clock is `app.state.clock` (time.time by default), so tests move time without sleeping.
The throttle works in the request's session (a second session per request would hold a second
pooled connection: under load, requests holding one and waiting for another exhaust the pool),
and commits a failure at once: the request's changes are rolled back when it fails, the count
must not be.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from avatars_server.api.deps import SessionDep, SettingsDep, client_address
from avatars_server.config import Settings
from avatars_server.errors import TooManyAttemptsError
from avatars_server.storage import login_attempts
from avatars_server.storage.login_attempts import ThrottleKey, ThrottlePolicy

Clock = Callable[[], float]

LOGIN = "login"
FORGOTTEN_PASSWORD = "forgotten_password"
RESET_PASSWORD = "reset_password"

_WHAT = {
    LOGIN: "failed logins",
    FORGOTTEN_PASSWORD: "password reset requests",
    RESET_PASSWORD: "failed password resets",
}


def get_clock(request: Request) -> Clock:
    clock: Clock = getattr(request.app.state, "clock", time.time)
    return clock


def policy_of(settings: Settings) -> ThrottlePolicy:
    return ThrottlePolicy(
        max_failures={
            login_attempts.ACCOUNT: settings.login_max_failures_per_account,
            login_attempts.ADDRESS: settings.login_max_failures_per_address,
        },
        window=settings.login_failure_window_seconds,
        lock_seconds=settings.login_lock_seconds,
        lock_max_seconds=settings.login_lock_max_seconds,
        memory_seconds=settings.login_lock_memory_seconds,
    )


class Throttle:
    """The throttle of one request: `check` first, then `failed` or `succeeded`."""

    def __init__(
        self,
        session: Session,
        policy: ThrottlePolicy,
        clock: Clock,
        address: str,
    ) -> None:
        self._session = session
        self._policy = policy
        self._clock = clock
        self._address = address

    def _keys(self, account: str | None) -> list[ThrottleKey]:
        keys = [login_attempts.address_key(self._address)]
        if account is not None:
            keys.insert(0, login_attempts.account_key(account))
        return keys

    def check(self, action: str, account: str | None) -> None:
        """Raise TooManyAttemptsError while the account name or the address is locked."""
        now = self._clock()
        until = login_attempts.locked_until(self._session, action, self._keys(account), now)
        if until is not None:
            raise _too_many(action, until, now)

    def failed(self, action: str, account: str | None) -> None:
        """Count a failure and commit it (the request that reaches the limit still gets its
        own answer; the next ones get 429)."""
        now = self._clock()
        login_attempts.record_failure(self._session, action, self._keys(account), self._policy, now)
        self._session.commit()

    def succeeded(self, action: str, account: str) -> None:
        """Forget the account name's failures (not the address's); committed with the
        request."""
        login_attempts.clear(self._session, action, [login_attempts.account_key(account)])


def _too_many(action: str, until: float, now: float) -> TooManyAttemptsError:
    seconds = login_attempts.retry_after_seconds(until, now)
    when = datetime.fromtimestamp(now + seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return TooManyAttemptsError(
        f"Too many {_WHAT.get(action, 'attempts')} for this account or from this address. "
        f"Try again in {seconds} s (after {when}); each further lock lasts longer.",
        retry_after=seconds,
        detail={"retry_after": seconds, "retry_at": when},
    )


def get_throttle(request: Request, settings: SettingsDep, session: SessionDep) -> Throttle:
    return Throttle(
        session,
        policy_of(settings),
        get_clock(request),
        client_address(request),
    )


ThrottleDep = Annotated[Throttle, Depends(get_throttle)]
