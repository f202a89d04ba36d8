"""Wire models of the auth and compatibility namespaces."""

from __future__ import annotations

import uuid
from enum import StrEnum

from pydantic import BaseModel, Field

from avatars_server.schemas.common import RequestModel


class Login(RequestModel):
    """Form body of POST /login (OAuth2 password flow; grant_type optional)."""

    grant_type: str | None = Field(default=None, pattern="^password$")
    username: str
    password: str
    scope: str = ""
    client_id: str | None = None
    client_secret: str | None = None


class LoginResponse(BaseModel):
    access_token: str
    token_type: str


class ForgottenPasswordRequest(RequestModel):
    email: str


MIN_PASSWORD_LENGTH = 8


class ResetPasswordRequest(RequestModel):
    email: str
    new_password: str = Field(min_length=MIN_PASSWORD_LENGTH)
    new_password_repeated: str
    token: uuid.UUID


class CompatibilityStatus(StrEnum):
    compatible = "compatible"
    incompatible = "incompatible"
    unknown = "unknown"


class CompatibilityResponse(BaseModel):
    message: str
    most_recent_compatible_client: str | None = None
    status: CompatibilityStatus
