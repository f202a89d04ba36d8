"""Storage of the security features: throttle counters, the access log, private files."""

from __future__ import annotations

import os
import stat
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from avatars_server.storage import access_log, login_attempts, private_files
from avatars_server.storage.access_log import Operation
from avatars_server.storage.db import make_session_factory
from avatars_server.storage.login_attempts import ThrottlePolicy
from avatars_server.storage.tables import LoginThrottleRow

POLICY = ThrottlePolicy(
    max_failures={"account": 3, "address": 10},
    window=60,
    lock_seconds=10,
    lock_max_seconds=25,
    memory_seconds=1000,
)
NOW = 1_800_000_000.0


def test_the_third_failure_locks_with_a_doubling_capped_delay(session: Session) -> None:
    key = [login_attempts.account_key("  Alice ")]
    assert login_attempts.account_key("alice") == key[0]
    now = NOW
    for expected in (10, 20, 25, 25):
        assert login_attempts.record_failure(session, "login", key, POLICY, now) is None
        assert login_attempts.record_failure(session, "login", key, POLICY, now + 1) is None
        until = login_attempts.record_failure(session, "login", key, POLICY, now + 2)
        assert until == now + 2 + expected
        assert login_attempts.locked_until(session, "login", key, now + 2) == until
        assert login_attempts.locked_until(session, "login", key, until) is None
        # Another action, or another key, is not locked.
        assert login_attempts.locked_until(session, "reset_password", key, now + 2) is None
        now = until
    session.commit()


def test_purge_forgets_quiet_keys_but_keeps_running_locks(session: Session) -> None:
    quiet = [login_attempts.address_key("203.0.113.1")]
    locked = [login_attempts.account_key("bob")]
    login_attempts.record_failure(session, "login", quiet, POLICY, NOW)
    for offset in range(3):
        login_attempts.record_failure(session, "login", locked, POLICY, NOW + offset)
    # A new window of another key, much later, purges the quiet one.
    later = NOW + 5000
    login_attempts.record_failure(
        session, "login", [login_attempts.account_key("x")], POLICY, later
    )
    keys = {row.key for row in session.scalars(select(LoginThrottleRow))}
    assert "203.0.113.1" not in keys and "bob" not in keys and "x" in keys
    session.commit()


def test_two_sessions_count_together(engine: Engine) -> None:
    factory = make_session_factory(engine)
    key = [login_attempts.account_key("carol")]
    for number in range(3):
        with factory() as session:
            until = login_attempts.record_failure(session, "login", key, POLICY, NOW + number)
            session.commit()
    assert until == NOW + 2 + 10
    with factory() as session:
        login_attempts.clear(session, "login", key)
        session.commit()
        assert login_attempts.locked_until(session, "login", key, NOW + 3) is None


def test_access_records_are_filtered_and_ordered(session: Session) -> None:
    user, other, dataset = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    start = datetime(2026, 12, 1, tzinfo=UTC)
    for hours, who, op in ((2, user, Operation.create_job), (1, user, Operation.download_dataset)):
        access_log.record_access(
            session,
            user_id=who,
            operation=op,
            request_id=f"r{hours}",
            dataset_id=dataset,
            at=start + timedelta(hours=hours),
        )
    access_log.record_access(
        session,
        user_id=other,
        operation=Operation.download_report,
        request_id="r9",
        report_id=uuid.uuid4(),
        at=start,
    )
    session.commit()
    mine = access_log.find_access(session, user_id=user)
    assert [r.request_id for r in mine] == ["r1", "r2"]
    assert mine[0].at == start + timedelta(hours=1)
    assert len(access_log.find_access(session, dataset_id=dataset)) == 2
    assert [
        r.request_id for r in access_log.find_access(session, since=start + timedelta(hours=2))
    ] == ["r2"]


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_private_files_and_dirs_whatever_the_umask(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        directory = tmp_path / "a" / "b"
        private_files.make_private_dir(directory, check=True)
        assert _mode(directory) == 0o700
        secret = directory / "key"
        assert private_files.create_private_file(secret, b"k") is True
        assert _mode(secret) == 0o600 and secret.read_bytes() == b"k"
        secret.chmod(0o644)
        assert private_files.create_private_file(secret, b"other") is False
        assert _mode(secret) == 0o600 and secret.read_bytes() == b"k"
        loose = directory / "sub"
        loose.mkdir(mode=0o755)
        (loose / "f").write_bytes(b"x")
        (loose / "f").chmod(0o644)
        assert private_files.tighten_tree(directory) == 2
        assert _mode(loose) == 0o700 and _mode(loose / "f") == 0o600
    finally:
        os.umask(old)


def test_a_shared_data_dir_is_refused(tmp_path: Path) -> None:
    tmp_path.chmod(0o775)
    with pytest.raises(private_files.UnsafeDataDirError, match="chmod 700"):
        private_files.make_private_dir(tmp_path, check=True)
    tmp_path.chmod(0o755)
    private_files.make_private_dir(tmp_path, check=True)  # readable by others, but not writable: ok
