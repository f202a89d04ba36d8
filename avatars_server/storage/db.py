"""Database engine and session factory, built from Settings (never at import time)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, make_url, text
from sqlalchemy.orm import Session, sessionmaker

from avatars_server.config import Settings
from avatars_server.storage import private_files


def make_engine(settings: Settings) -> Engine:
    """Create the engine; SQLite gets WAL and a busy timeout so jobs and requests can share it."""
    url = settings.resolved_database_url()
    if url.startswith("sqlite"):
        settings.prepare_directories()
        _private_sqlite_files(url)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


def _private_sqlite_files(url: str) -> None:
    """Create the SQLite file with mode 0600 before SQLite does (it would apply the umask);
    SQLite gives its -wal and -shm files the database file's mode."""
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    path = Path(database)
    private_files.touch_private_file(path)
    for suffix in ("-wal", "-shm", "-journal"):
        private_files.make_private_file(path.with_name(path.name + suffix))


def check_connection(session: Session) -> None:
    """Run a trivial query; raises SQLAlchemyError when the database is unreachable."""
    session.execute(text("SELECT 1"))


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


@contextmanager
def session_scope(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session that commits on success and rolls back on error."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
