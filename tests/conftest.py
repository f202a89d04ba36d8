"""Shared fixtures: one real server per test session, clients and users on it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from avatars.client import ApiClient
from avatars.local import LocalServer
from tests.factories import create_user, logged_in_client

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"


@pytest.fixture(scope="session")
def local_server() -> Iterator[LocalServer]:
    """A real reference server on 127.0.0.1 with a temporary data directory.

    Every test connects from 127.0.0.1 and some fail logins on purpose (schemathesis sends
    many), so the per-address login limit is raised here; the per-account one stays.
    """
    with LocalServer(env={"AVATARS_LOGIN_MAX_FAILURES_PER_ADDRESS": "1000000"}) as server:
        yield server


@pytest.fixture
def admin_client(local_server: LocalServer) -> Iterator[ApiClient]:
    """A client logged in as the server's admin."""
    with local_server.client() as client:
        yield client


@pytest.fixture
def user_client_factory(
    local_server: LocalServer, admin_client: ApiClient
) -> Iterator[Callable[[], ApiClient]]:
    """Make fresh (non-admin) users, each with its own logged-in client."""
    clients: list[ApiClient] = []

    def make() -> ApiClient:
        client = logged_in_client(local_server, create_user(admin_client))
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def user_client(user_client_factory: Callable[[], ApiClient]) -> ApiClient:
    """A client logged in as a fresh non-admin user."""
    return user_client_factory()
