"""Failed attempts and locks on the auth routes, per account name and per client address.

Kept in the database, so that a restart forgets nothing and every server process sharing the
database counts together. Every change is one conditional UPDATE, so two processes recording a
failure at once never lose one, and only one of them sets a lock.

Times are seconds since the epoch, passed in by the caller (`now`): tests drive a clock.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import and_, case, delete, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import Insert
from sqlalchemy.sql.elements import ColumnElement

from avatars_server.storage.tables import LoginThrottleRow

ACCOUNT = "account"
ADDRESS = "address"


@dataclass(frozen=True)
class ThrottlePolicy:
    """How many failures lock a key, and for how long.

    Attributes:
        max_failures: failures within `window` that lock a key, by scope.
        window: seconds over which failures are counted (from the first one).
        lock_seconds: length of the first lock; each further lock lasts twice the previous one.
        lock_max_seconds: the longest lock.
        memory_seconds: after this long without a failure, past locks are forgotten.
    """

    max_failures: dict[str, int]
    window: float
    lock_seconds: float
    lock_max_seconds: float
    memory_seconds: float

    def lock_duration(self, level: int) -> float:
        """Length of lock number `level` (1 for the first)."""
        exponent = min(max(level - 1, 0), 60)
        return float(min(self.lock_max_seconds, self.lock_seconds * 2.0**exponent))


@dataclass(frozen=True)
class ThrottleKey:
    """What is counted: an account name (as typed, case-folded) or a client address."""

    scope: str
    key: str


def account_key(name: str) -> ThrottleKey:
    """The key of an account name. Unknown names are counted like real ones, so that the
    answers never tell whether an account exists."""
    return ThrottleKey(ACCOUNT, name.strip().casefold()[:320])


def address_key(address: str) -> ThrottleKey:
    return ThrottleKey(ADDRESS, address[:320])


def _match(action: str, key: ThrottleKey) -> ColumnElement[bool]:
    return and_(
        LoginThrottleRow.action == action,
        LoginThrottleRow.scope == key.scope,
        LoginThrottleRow.key == key.key,
    )


def locked_until(
    session: Session, action: str, keys: Iterable[ThrottleKey], now: float
) -> float | None:
    """The end of the latest lock still running on any of `keys`, or None if none is locked."""
    conditions = [_match(action, key) for key in keys]
    if not conditions:
        return None
    latest = session.scalar(
        select(LoginThrottleRow.locked_until)
        .where(or_(*conditions), LoginThrottleRow.locked_until > now)
        .order_by(LoginThrottleRow.locked_until.desc())
        .limit(1)
    )
    return float(latest) if latest is not None else None


def record_failure(
    session: Session,
    action: str,
    keys: Iterable[ThrottleKey],
    policy: ThrottlePolicy,
    now: float,
) -> float | None:
    """Count one failure on each key; lock the keys that reach their limit.

    Returns:
        The end of the lock this failure started (the latest, if several), or None.
    """
    started: float | None = None
    for key in keys:
        until = _record_one(session, action, key, policy, now)
        if until is not None:
            started = until if started is None else max(started, until)
    return started


def _record_one(
    session: Session, action: str, key: ThrottleKey, policy: ThrottlePolicy, now: float
) -> float | None:
    session.execute(
        _insert_ignore(session).values(
            action=action, scope=key.scope, key=key.key, failures=0, lock_level=0
        )
    )
    row = LoginThrottleRow
    new_window = or_(row.window_started.is_(None), row.window_started <= now - policy.window)
    forgotten = or_(row.last_failure.is_(None), row.last_failure <= now - policy.memory_seconds)
    # All SET expressions read the old values (SQL semantics), in one atomic statement.
    session.execute(
        update(row)
        .where(_match(action, key))
        .values(
            failures=case((new_window, 1), else_=row.failures + 1),
            window_started=case((new_window, now), else_=row.window_started),
            lock_level=case((forgotten, 0), else_=row.lock_level),
            last_failure=now,
        )
        .execution_options(synchronize_session=False)
    )
    failures, level = session.execute(
        select(row.failures, row.lock_level).where(_match(action, key))
    ).one()
    if failures == 1:
        purge(session, now, policy)
    if failures < policy.max_failures[key.scope]:
        return None
    until = now + policy.lock_duration(level + 1)
    result = session.execute(
        update(row)
        .where(
            _match(action, key),
            row.lock_level == level,
            row.failures >= policy.max_failures[key.scope],
        )
        .values(lock_level=level + 1, locked_until=until, failures=0, window_started=None)
        .execution_options(synchronize_session=False)
    )
    # Another process may have set this lock between our statements: then it is its lock.
    return until if getattr(result, "rowcount", 0) == 1 else None


def clear(session: Session, action: str, keys: Iterable[ThrottleKey]) -> None:
    """Forget the failures and locks of `keys` (an account after its owner proved itself)."""
    for key in keys:
        session.execute(delete(LoginThrottleRow).where(_match(action, key)))


def purge(session: Session, now: float, policy: ThrottlePolicy) -> None:
    """Delete the rows of keys with no failure for `memory_seconds` and no running lock."""
    row = LoginThrottleRow
    session.execute(
        delete(row).where(
            row.last_failure < now - max(policy.memory_seconds, policy.window),
            or_(row.locked_until.is_(None), row.locked_until <= now),
        )
    )


def retry_after_seconds(until: float, now: float) -> int:
    """Whole seconds to wait before `until` (at least 1)."""
    return max(1, math.ceil(until - now))


def _insert_ignore(session: Session) -> Insert:
    """INSERT that does nothing when the row exists (SQLite and PostgreSQL)."""
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        return sqlite.insert(LoginThrottleRow).on_conflict_do_nothing()
    if dialect == "postgresql":
        return postgresql.insert(LoginThrottleRow).on_conflict_do_nothing()
    return insert(LoginThrottleRow).prefix_with("IGNORE")  # MySQL and MariaDB
