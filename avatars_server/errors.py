"""Domain exceptions raised below the routes; api/errors.py maps each to an HTTP status.

DomainError
├── InvalidInputError      422  input that can never work (bad file, bad parameter)
├── NotFoundError          404  unknown id, or a resource owned by someone else
├── ConflictError          409  valid request that clashes with the current state
├── NotAuthenticatedError  401  missing, invalid or expired credentials
├── PermissionDeniedError  403  authenticated but not allowed
├── PayloadTooLargeError   413  upload above the configured limit
├── TooManyAttemptsError   429  too many failed logins / resets (carries retry_after)
└── UnavailableError       503  a dependency (the database) is unreachable
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """Base class: `message` says what is wrong and how to fix it; `detail` is context."""

    def __init__(self, message: str, detail: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail


class InvalidInputError(DomainError):
    """The request's content cannot be processed as sent."""


class NotFoundError(DomainError):
    """The resource does not exist for this caller."""


class ConflictError(DomainError):
    """The request conflicts with the current state."""


class NotAuthenticatedError(DomainError):
    """No valid credentials were presented."""


class PermissionDeniedError(DomainError):
    """The caller may not perform this operation."""


class PayloadTooLargeError(DomainError):
    """The upload exceeds the server's limit."""


class TooManyAttemptsError(DomainError):
    """Too many failed attempts: the caller must wait `retry_after` seconds."""

    def __init__(self, message: str, retry_after: int, detail: Any = None) -> None:
        super().__init__(message, detail)
        self.retry_after = retry_after


class UnavailableError(DomainError):
    """A backing service is unreachable."""
