"""Shared wire shapes: request base class, error bodies, plain messages."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator


class RequestModel(BaseModel):
    """Base of request bodies: unknown keys are ignored and an explicit null means "default".

    Published clients send every declared field, unset ones as null (API reference §1.2).
    """

    model_config = ConfigDict(extra="ignore")

    @model_validator(mode="before")
    @classmethod
    def _null_means_default(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        fields = cls.model_fields
        return {
            key: value
            for key, value in data.items()
            if not (
                value is None
                and key in fields
                and not fields[key].is_required()
                and fields[key].get_default(call_default_factory=True) is not None
            )
        }


class ExtraAllowedRequestModel(RequestModel):
    """Request models marked *extra allowed* in the reference keep unknown keys."""

    model_config = ConfigDict(extra="allow")


class MessageResponse(BaseModel):
    """A success with nothing else to return."""

    message: str


class ErrorResponse(BaseModel):
    """Body of every non-2xx response."""

    message: str
    detail: Any = None


class ValidationError(BaseModel):
    loc: list[str | int]
    msg: str
    type: str


class HTTPValidationError(BaseModel):
    """Body of a 422: FastAPI's detail list (request validation) or the context of a rejected
    input (a string or an object), plus a readable message."""

    message: str
    detail: list[ValidationError] | dict[str, Any] | str | None = None


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` entries for the error statuses a route may answer."""
    descriptions = {
        401: "Missing, invalid or expired bearer token",
        403: "Not allowed for this user",
        404: "Unknown id, or not the caller's",
        409: "Conflicts with the current state",
        413: "Upload larger than the server's limit",
        429: "Too many requests",
        503: "Service unavailable",
    }
    responses: dict[int | str, dict[str, Any]] = {
        422: {"model": HTTPValidationError, "description": "Invalid input"}
    }
    for status in statuses:
        responses[status] = {"model": ErrorResponse, "description": descriptions[status]}
    return responses


# The error responses of every job route: creating one (unknown dataset, runner unavailable) and
# reading one (unknown id, or not the caller's).
JOB_CREATE_ERRORS = error_responses(404, 503)
JOB_GET_ERRORS = error_responses(404)
