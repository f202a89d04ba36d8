"""The models users build or receive, re-exported from the generated client."""

from avatar_api_client.models import (
    CompatibilityResponse,
    CompatibilityStatus,
    CreateUser,
    LoginResponse,
    User,
    UserRole,
)

__all__ = [
    "CompatibilityResponse",
    "CompatibilityStatus",
    "CreateUser",
    "LoginResponse",
    "User",
    "UserRole",
]
