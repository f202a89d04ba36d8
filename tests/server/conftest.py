"""Storage fixtures: a migrated database on SQLite, and on PostgreSQL when configured; a user."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from avatars_server.config import Settings
from avatars_server.storage import users
from avatars_server.storage.db import make_engine, make_session_factory
from avatars_server.storage.migrate import upgrade_to_head

_POSTGRES_URL = os.environ.get("AVATARS_TEST_DATABASE_URL")
_BACKENDS = ["sqlite", *(["postgresql"] if _POSTGRES_URL else [])]


@pytest.fixture(params=_BACKENDS)
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """Settings on a temporary data dir; the database is SQLite, or the test PostgreSQL."""
    url = _POSTGRES_URL if request.param == "postgresql" else None
    return Settings(data_dir=tmp_path, database_url=url, secret_key="test-secret")


@pytest.fixture
def engine(settings: Settings) -> Iterator[Engine]:
    engine = make_engine(settings)
    if engine.dialect.name == "postgresql":
        # A clean schema per test: the database is shared by the whole run.
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    upgrade_to_head(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with make_session_factory(engine)() as session:
        yield session


@pytest.fixture
def owner_id(session: Session) -> uuid.UUID:
    """The id of a committed user named "owner"."""
    user = users.create_user(session, username="owner", email=None, password="pw")
    session.commit()
    return user.id
