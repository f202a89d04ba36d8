"""User rows as wire models: the public fields only (never the password hash)."""

from __future__ import annotations

from avatars_server.schemas.users import User
from avatars_server.storage.tables import UserRow


def user_schema(row: UserRow) -> User:
    """The wire model of a user."""
    return User.model_validate(row)
