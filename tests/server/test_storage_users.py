"""User storage on SQLite and (when AVATARS_TEST_DATABASE_URL is set) PostgreSQL."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import Engine, inspect
from sqlalchemy.orm import Session

from avatars_server.errors import ConflictError, InvalidInputError
from avatars_server.security import verify_password
from avatars_server.storage import users
from avatars_server.storage.migrate import upgrade_to_head


def test_migrations_create_every_table_and_are_idempotent(engine: Engine) -> None:
    upgrade_to_head(engine)
    tables = set(inspect(engine).get_table_names())
    assert {"users", "password_reset_tokens", "datasets", "jobs", "alembic_version"} <= tables


def test_create_and_find_user_by_username_or_email(session: Session) -> None:
    user = users.create_user(session, username="alice", email="a@example.org", password="pw-1234")
    session.commit()
    assert users.get_user_by_login(session, "alice") is not None
    found = users.get_user_by_login(session, "a@example.org")
    assert found is not None and found.id == user.id
    assert found.password_hash and verify_password(found.password_hash, "pw-1234")
    assert not verify_password(found.password_hash, "wrong")


def test_duplicate_username_or_email_conflicts(session: Session) -> None:
    users.create_user(session, username="bob", email="b@example.org", password="x")
    with pytest.raises(ConflictError, match="username 'bob'"):
        users.create_user(session, username="bob", email=None, password="x")
    with pytest.raises(ConflictError, match=r"email 'b@example\.org'"):
        users.create_user(session, username="other", email="b@example.org", password="x")


def test_user_needs_a_name(session: Session) -> None:
    with pytest.raises(InvalidInputError):
        users.create_user(session, username=None, email=None, password="x")


def test_find_users_stays_inside_the_organisation(session: Session) -> None:
    org_a, org_b = uuid.uuid4(), uuid.uuid4()
    users.create_user(session, username="a1", email=None, password="x", organization_id=org_a)
    users.create_user(session, username="a2", email=None, password="x", organization_id=org_a)
    users.create_user(session, username="b1", email=None, password="x", organization_id=org_b)
    names = [
        u.username
        for u in users.find_users(session, organization_id=org_a, username=None, email=None)
    ]
    assert names == ["a1", "a2"]


def test_reset_token_is_single_use_and_bound_to_the_email(session: Session) -> None:
    user = users.create_user(session, username="carol", email="c@example.org", password="x")
    token = users.create_reset_token(session, user, lifetime_seconds=3600)
    assert users.consume_reset_token(session, token=token, email="other@example.org") is None
    assert users.consume_reset_token(session, token=token, email="c@example.org") is not None
    assert users.consume_reset_token(session, token=token, email="c@example.org") is None


def test_expired_reset_token_is_refused(session: Session) -> None:
    user = users.create_user(session, username="dave", email="d@example.org", password="x")
    token = users.create_reset_token(session, user, lifetime_seconds=-1)
    assert users.consume_reset_token(session, token=token, email="d@example.org") is None
