"""The `auth` namespace: login and password reset."""

from __future__ import annotations

from uuid import UUID

from avatar_api_client.api.auth import forgotten_password, login, reset_password
from avatar_api_client.models import (
    ForgottenPasswordRequest,
    Login,
    LoginResponse,
    MessageResponse,
    ResetPasswordRequest,
)
from avatars._response import parsed
from avatars.resources._base import Resource


class Auth(Resource):
    def login(self, username: str, password: str, *, timeout: float | None = None) -> LoginResponse:
        """Exchange credentials for a bearer token (``client.authenticate`` stores it)."""
        with self._client.request_options(timeout):
            response = login.sync_detailed(
                client=self._client.generated, body=Login(username=username, password=password)
            )
        return parsed(response, LoginResponse)

    def forgotten_password(self, email: str, *, timeout: float | None = None) -> str:
        """Ask for a reset token; the server answers the same whether the email exists or not."""
        with self._client.request_options(timeout):
            response = forgotten_password.sync_detailed(
                client=self._client.generated, body=ForgottenPasswordRequest(email=email)
            )
        message: str = parsed(response, MessageResponse).message
        return message

    def reset_password(
        self,
        email: str,
        new_password: str,
        new_password_repeated: str,
        token: str | UUID,
        *,
        timeout: float | None = None,
    ) -> str:
        """Set a new password with a reset token."""
        body = ResetPasswordRequest(
            email=email,
            new_password=new_password,
            new_password_repeated=new_password_repeated,
            token=UUID(str(token)),
        )
        with self._client.request_options(timeout):
            response = reset_password.sync_detailed(client=self._client.generated, body=body)
        message: str = parsed(response, MessageResponse).message
        return message
