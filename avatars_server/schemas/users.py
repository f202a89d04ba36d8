"""Wire models of the users namespace."""

from __future__ import annotations

import uuid
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from avatars_server.schemas.common import RequestModel


class UserRole(StrEnum):
    admin = "admin"
    user = "user"


class User(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    organization_id: uuid.UUID
    username: str | None = None
    email: str | None = None
    role: UserRole | None = UserRole.user


class CreateUser(RequestModel):
    username: str | None = None
    email: str | None = None
    role: UserRole | None = UserRole.user
    password: str | None = None
