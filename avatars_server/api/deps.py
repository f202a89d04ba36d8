"""Providers for Depends: settings, database session, current user, job runner, base URL."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.orm import Session, sessionmaker

from avatars_server.config import Settings
from avatars_server.errors import NotAuthenticatedError, PermissionDeniedError
from avatars_server.jobs.runner import JobRunner
from avatars_server.security import InvalidTokenError, decode_access_token
from avatars_server.storage import users
from avatars_server.storage.db import session_scope
from avatars_server.storage.tables import UserRow

_bearer = OAuth2PasswordBearer(tokenUrl="login", auto_error=False)


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_session_factory(request: Request) -> sessionmaker[Session]:
    factory: sessionmaker[Session] = request.app.state.session_factory
    return factory


def get_session(request: Request) -> Iterator[Session]:
    """One session per request, committed when the handler succeeds."""
    with session_scope(get_session_factory(request)) as session:
        yield session


def get_runner(request: Request) -> JobRunner:
    runner: JobRunner = request.app.state.runner
    return runner


def client_address(request: Request) -> str:
    """The client's address (behind a proxy, uvicorn takes it from X-Forwarded-For when the
    proxy is listed in FORWARDED_ALLOW_IPS)."""
    return request.client.host if request.client else "unknown"


SettingsDep = Annotated[Settings, Depends(get_settings)]
# scope="function": commit before the response leaves, so a client that acts on a 2xx at once
# (log in right after a password reset, GET right after a create) sees the change.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
RunnerDep = Annotated[JobRunner, Depends(get_runner)]


def get_public_base_url(request: Request) -> str:
    """The URL clients reached this server on, for absolute URLs in answers (§1.1).

    It honours the configured root path and, behind a proxy, `X-Forwarded-Proto`,
    `X-Forwarded-Host` and `X-Forwarded-Prefix`.
    """
    headers = request.headers
    scheme = _first(headers.get("x-forwarded-proto")) or request.url.scheme
    host = _first(headers.get("x-forwarded-host")) or headers.get("host") or request.url.netloc
    prefix = _first(headers.get("x-forwarded-prefix"))
    path = prefix if prefix is not None else str(request.scope.get("root_path") or "")
    return f"{scheme}://{host}{path.rstrip('/')}"


def _first(value: str | None) -> str | None:
    return value.split(",")[0].strip() if value else None


PublicBaseUrl = Annotated[str, Depends(get_public_base_url)]


def get_current_user(
    session: SessionDep, settings: SettingsDep, token: Annotated[str | None, Depends(_bearer)]
) -> UserRow:
    if not token:
        raise NotAuthenticatedError(
            "You are not authenticated. Log in with POST /login and send "
            "'Authorization: Bearer <access_token>'.",
            detail="Not authenticated",
        )
    try:
        claims = decode_access_token(token, secret_key=settings.resolved_secret_key())
    except InvalidTokenError as exc:
        raise NotAuthenticatedError(
            "Your access token is invalid or has expired. Log in again with POST /login.",
            detail="Not authenticated",
        ) from exc
    user = users.get_user(session, claims.user_id)
    if user is None:
        raise NotAuthenticatedError(
            "The user of this access token no longer exists. Log in again.",
            detail="Not authenticated",
        )
    if claims.version != user.token_version:
        raise NotAuthenticatedError(
            "Your access token was revoked by a password change. Log in again with POST /login.",
            detail="Not authenticated: token revoked",
        )
    return user


CurrentUser = Annotated[UserRow, Depends(get_current_user)]


def get_admin_user(user: CurrentUser) -> UserRow:
    if user.role != "admin":
        raise PermissionDeniedError(
            "This operation is reserved to administrators. Ask an admin of your organisation."
        )
    return user


AdminUser = Annotated[UserRow, Depends(get_admin_user)]
