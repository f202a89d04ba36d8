"""User and password-reset queries."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from avatars_server.errors import ConflictError, InvalidInputError
from avatars_server.security import hash_password
from avatars_server.storage.tables import PasswordResetTokenRow, UserRow

# CLI-created users without an explicit organisation share this one.
DEFAULT_ORGANIZATION_ID = uuid.uuid5(uuid.NAMESPACE_URL, "avatars:default-organization")


def get_user(session: Session, user_id: uuid.UUID) -> UserRow | None:
    return session.get(UserRow, user_id)


def get_user_by_login(session: Session, login: str) -> UserRow | None:
    """Find a user by username or email."""
    statement = select(UserRow).where(or_(UserRow.username == login, UserRow.email == login))
    return session.scalars(statement).first()


def create_user(
    session: Session,
    *,
    username: str | None,
    email: str | None,
    password: str | None,
    role: str = "user",
    organization_id: uuid.UUID = DEFAULT_ORGANIZATION_ID,
) -> UserRow:
    """Create a user; raises ConflictError when the username or email is taken."""
    if not username and not email:
        raise InvalidInputError("Give a username or an email (or both) to create a user.")
    for field, value in (("username", username), ("email", email)):
        if value and get_user_by_login(session, value) is not None:
            raise ConflictError(
                f"The {field} '{value}' is already taken. Choose another {field}.",
                detail={"field": field},
            )
    user = UserRow(
        id=uuid.uuid4(),
        organization_id=organization_id,
        username=username or None,
        email=email or None,
        role=role,
        password_hash=hash_password(password) if password else None,
    )
    session.add(user)
    session.flush()
    return user


def set_password(session: Session, user: UserRow, password: str) -> None:
    """Set a new password and revoke every token issued before (their version is now old)."""
    user.password_hash = hash_password(password)
    user.token_version = (user.token_version or 0) + 1
    session.flush()


def find_users(
    session: Session,
    *,
    organization_id: uuid.UUID,
    username: str | None,
    email: str | None,
    limit: int | None = None,
    offset: int = 0,
) -> list[UserRow]:
    statement = select(UserRow).where(UserRow.organization_id == organization_id)
    if username is not None:
        statement = statement.where(UserRow.username == username)
    if email is not None:
        statement = statement.where(UserRow.email == email)
    statement = statement.order_by(UserRow.username, UserRow.email, UserRow.id)
    return list(session.scalars(statement.offset(offset).limit(limit)))


def create_reset_token(session: Session, user: UserRow, *, lifetime_seconds: int) -> uuid.UUID:
    token = uuid.uuid4()
    expires_at = datetime.now(UTC) + timedelta(seconds=lifetime_seconds)
    session.add(PasswordResetTokenRow(token=token, user_id=user.id, expires_at=expires_at))
    session.flush()
    return token


def consume_reset_token(session: Session, *, token: uuid.UUID, email: str) -> UserRow | None:
    """Return the user if the token is valid for that email, and mark it used."""
    row = session.get(PasswordResetTokenRow, token)
    if row is None or row.used:
        return None
    expires_at = row.expires_at
    if expires_at.tzinfo is None:  # SQLite drops the offset
        expires_at = expires_at.replace(tzinfo=UTC)
    if expires_at < datetime.now(UTC):
        return None
    user = session.get(UserRow, row.user_id)
    if user is None or user.email != email:
        return None
    row.used = True
    return user
