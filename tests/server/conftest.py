"""Storage fixtures: a migrated database on SQLite, and on PostgreSQL when configured; a user."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, make_url, text
from sqlalchemy.orm import Session

from avatars_server.config import Settings
from avatars_server.storage import users
from avatars_server.storage.db import make_engine, make_session_factory
from avatars_server.storage.migrate import upgrade_to_head

_POSTGRES_URL = os.environ.get("AVATARS_TEST_DATABASE_URL")
_BACKENDS = ["sqlite", *(["postgresql"] if _POSTGRES_URL else [])]


def _worker_database(url: str) -> str:
    """The test database of this pytest-xdist worker (created on first use), so that workers
    running in parallel never drop each other's schema; the database itself outside xdist."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url
    base = make_url(url)
    name = f"{base.database}_{worker}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            exists = connection.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            ).scalar()
            if not exists:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(params=_BACKENDS)
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """Settings on a temporary data dir; the database is SQLite, or the test PostgreSQL."""
    url = (
        _worker_database(_POSTGRES_URL) if request.param == "postgresql" and _POSTGRES_URL else None
    )
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
