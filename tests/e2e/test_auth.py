"""Login, tokens, admin-only routes and password reset against a real server."""

from __future__ import annotations

import re
import time
import uuid
from datetime import UTC, datetime, timedelta

import httpx
import jwt
import pytest

from avatars.client import ApiClient
from avatars.exceptions import (
    AuthenticationError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    UnprocessableEntityError,
)
from avatars.local import LocalServer
from avatars.models import CreateUser, UserRole
from tests.factories import create_user, logged_in_client, random_name


def test_login_succeeds_and_identifies_the_user(local_server: LocalServer) -> None:
    client = ApiClient(base_url=local_server.base_url)
    client.authenticate(local_server.username, local_server.password)
    me = client.users.get_me()
    assert me.username == local_server.username
    assert me.role == UserRole.ADMIN


def test_login_with_wrong_password_raises_typed_error_with_message(
    local_server: LocalServer,
) -> None:
    client = ApiClient(base_url=local_server.base_url)
    with pytest.raises(AuthenticationError) as caught:
        client.authenticate(local_server.username, "not-the-password")
    error = caught.value
    assert error.status_code == 401
    assert "Incorrect username or password" in error.message
    assert error.request_id
    assert not client.is_authenticated


def test_unknown_user_gets_the_same_message_as_a_wrong_password(local_server: LocalServer) -> None:
    client = ApiClient(base_url=local_server.base_url)
    with pytest.raises(AuthenticationError) as caught:
        client.authenticate(random_name(), "whatever-password")
    assert "Incorrect username or password" in caught.value.message


def test_login_accepts_the_published_client_form(local_server: LocalServer) -> None:
    # 0.7.3 sends exactly username, password and an empty scope; no grant_type.
    response = httpx.post(
        f"{local_server.base_url}/login",
        content=f"username={local_server.username}&password={local_server.password}&scope=",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json()["token_type"] == "bearer"


def test_login_rejects_a_grant_type_other_than_password(local_server: LocalServer) -> None:
    response = httpx.post(
        f"{local_server.base_url}/login",
        data={"username": "a", "password": "b", "grant_type": "client_credentials"},
    )
    assert response.status_code == 422
    assert "grant_type" in response.json()["message"]


def _secret_key(server: LocalServer) -> str:
    return (server.data_dir / "secret_key").read_text().strip()


def _me_with_token(server: LocalServer, token: str) -> httpx.Response:
    return httpx.get(f"{server.base_url}/users/me", headers={"Authorization": f"Bearer {token}"})


def test_expired_token_is_rejected_with_401(
    local_server: LocalServer, admin_client: ApiClient
) -> None:
    me = admin_client.users.get_me()
    past = datetime.now(UTC) - timedelta(hours=2)
    token = jwt.encode(
        {"sub": str(me.id), "iat": past, "exp": past + timedelta(hours=1)},
        _secret_key(local_server),
        algorithm="HS256",
    )
    response = _me_with_token(local_server, token)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    body = response.json()
    assert "expired" in body["message"]
    assert "Not authenticated" in body["detail"]


def test_forged_token_is_rejected_with_401(
    local_server: LocalServer, admin_client: ApiClient
) -> None:
    me = admin_client.users.get_me()
    forged = jwt.encode(
        {"sub": str(me.id), "exp": datetime.now(UTC) + timedelta(hours=1)},
        "not-the-server-key-but-long-enough-for-hs256!",
        algorithm="HS256",
    )
    assert _me_with_token(local_server, forged).status_code == 401
    assert _me_with_token(local_server, "garbage").status_code == 401


def test_missing_token_is_refused_before_sending(local_server: LocalServer) -> None:
    client = ApiClient(base_url=local_server.base_url)
    with pytest.raises(AuthenticationError, match="authenticate"):
        client.users.get_me()


def test_missing_token_gets_401_from_the_server(local_server: LocalServer) -> None:
    client = ApiClient(base_url=local_server.base_url, verify_auth=False)
    with pytest.raises(AuthenticationError) as caught:
        client.users.get_me()
    assert caught.value.detail == "Not authenticated"


def test_admin_creates_users_and_finds_them(admin_client: ApiClient) -> None:
    name = random_name()
    created = admin_client.users.create_user(CreateUser(username=name, password="password-123"))
    assert created.username == name
    assert created.role == UserRole.USER
    assert created.organization_id == admin_client.users.get_me().organization_id
    found = admin_client.users.find_users(username=name)
    assert [user.id for user in found] == [created.id]
    assert admin_client.users.get_user(created.id).username == name


def test_duplicate_username_is_a_conflict(admin_client: ApiClient) -> None:
    name = random_name()
    admin_client.users.create_user(CreateUser(username=name, password="password-123"))
    with pytest.raises(ConflictError, match="already taken"):
        admin_client.users.create_user(CreateUser(username=name, password="password-456"))


def test_user_needs_a_username_or_an_email(admin_client: ApiClient) -> None:
    with pytest.raises(UnprocessableEntityError, match="username or an email"):
        admin_client.users.create_user(CreateUser(password="password-123"))


def test_admin_only_routes_answer_403_to_users(
    user_client: ApiClient, admin_client: ApiClient
) -> None:
    with pytest.raises(PermissionDeniedError, match="administrators"):
        user_client.users.find_users()
    with pytest.raises(PermissionDeniedError):
        user_client.users.create_user(CreateUser(username=random_name(), password="password-1"))
    admin_id = admin_client.users.get_me().id
    with pytest.raises(PermissionDeniedError):
        user_client.users.get_user(admin_id)
    me = user_client.users.get_me()
    assert user_client.users.get_user(me.id).id == me.id


def test_unknown_user_id_is_404(admin_client: ApiClient) -> None:
    with pytest.raises(NotFoundError):
        admin_client.users.get_user(uuid.uuid4())


def test_password_reset_flow(local_server: LocalServer, admin_client: ApiClient) -> None:
    email = f"{random_name()}@example.org"
    admin_client.users.create_user(CreateUser(email=email, password="first-password"))
    anonymous = ApiClient(base_url=local_server.base_url)
    anonymous.forgotten_password(email)
    token = _reset_token_from_logs(local_server)
    with pytest.raises(UnprocessableEntityError, match="differ"):
        anonymous.reset_password(email, "second-password", "other-password", token)
    anonymous.reset_password(email, "second-password", "second-password", token)
    anonymous.authenticate(email, "second-password")
    assert anonymous.users.get_me().email == email
    with pytest.raises(AuthenticationError, match="reset token"):
        anonymous.reset_password(email, "third-password", "third-password", token)


def _reset_token_from_logs(server: LocalServer) -> str:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        tokens = re.findall(r"Password reset token for user \S+: ([0-9a-f-]{36})", server.logs())
        if tokens:
            return tokens[-1]
        time.sleep(0.05)
    raise AssertionError("no reset token in the server log")


def test_users_cannot_read_each_other(local_server: LocalServer, admin_client: ApiClient) -> None:
    first = logged_in_client(local_server, create_user(admin_client))
    second = logged_in_client(local_server, create_user(admin_client))
    with pytest.raises(PermissionDeniedError):
        first.users.get_user(second.users.get_me().id)
