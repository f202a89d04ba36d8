"""The `users` namespace."""

from __future__ import annotations

from uuid import UUID

from avatar_api_client.api.users import create_user, find_users, get_me, get_user
from avatar_api_client.models import CreateUser, User
from avatar_api_client.types import UNSET
from avatars._response import parsed
from avatars.resources._base import Resource


class Users(Resource):
    def get_me(self, *, timeout: float | None = None) -> User:
        """The logged-in user."""
        with self._client.request_options(timeout):
            return parsed(get_me.sync_detailed(client=self._client.generated), User)

    def find_users(
        self,
        email: str | None = None,
        username: str | None = None,
        *,
        limit: int | None = None,
        offset: int = 0,
        timeout: float | None = None,
    ) -> list[User]:
        """Users of the caller's organisation, optionally filtered (admins only), at most
        `limit` (default: the server's page size cap) from `offset`."""
        with self._client.request_options(timeout):
            response = find_users.sync_detailed(
                client=self._client.generated,
                email=email if email is not None else UNSET,
                username=username if username is not None else UNSET,
                limit=UNSET if limit is None else limit,
                offset=offset,
            )
        return parsed(response, list)

    def create_user(self, request: CreateUser, *, timeout: float | None = None) -> User:
        """Create a user in the caller's organisation (admins only)."""
        with self._client.request_options(timeout):
            response = create_user.sync_detailed(client=self._client.generated, body=request)
        return parsed(response, User)

    def get_user(self, id: str | UUID, *, timeout: float | None = None) -> User:
        """A user by id (admins, or the user themself)."""
        with self._client.request_options(timeout):
            response = get_user.sync_detailed(UUID(str(id)), client=self._client.generated)
        return parsed(response, User)
