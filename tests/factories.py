"""Small builders for tests: users with random names, clients logged in as them."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from avatars.client import ApiClient
from avatars.local import LocalServer
from avatars.models import CreateUser, UserRole


@dataclass(frozen=True)
class Credentials:
    username: str
    password: str


def random_name(prefix: str = "user") -> str:
    return f"{prefix}-{secrets.token_hex(4)}"


def create_user(admin: ApiClient, *, role: UserRole = UserRole.USER) -> Credentials:
    """Create a user through the admin API and return its credentials."""
    credentials = Credentials(random_name(), secrets.token_urlsafe(12))
    admin.users.create_user(
        CreateUser(username=credentials.username, password=credentials.password, role=role)
    )
    return credentials


def logged_in_client(server: LocalServer, credentials: Credentials) -> ApiClient:
    client = ApiClient(base_url=server.base_url)
    client.authenticate(credentials.username, credentials.password)
    return client
