"""Every exception handler: exception -> status + {message, detail} JSON body, in one table."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from avatars_server import errors

logger = logging.getLogger(__name__)

REQUEST_ID_HEADER = "X-Request-ID"

_STATUS_BY_ERROR: dict[type[errors.DomainError], int] = {
    errors.InvalidInputError: 422,
    errors.NotFoundError: 404,
    errors.ConflictError: 409,
    errors.NotAuthenticatedError: 401,
    errors.PermissionDeniedError: 403,
    errors.PayloadTooLargeError: 413,
    errors.TooManyAttemptsError: 429,
    errors.UnavailableError: 503,
}

_HTTP_MESSAGES = {
    404: "No route matches {method} {path}. Check the path against the API reference "
    "(paths have no trailing slash).",
    405: "{method} is not allowed on {path}. Check the HTTP verb against the API reference.",
}


def error_body(message: str, detail: Any = None) -> dict[str, Any]:
    return {"message": message, "detail": jsonable_encoder(detail)}


def _json(status: int, message: str, detail: Any = None, **headers: str) -> JSONResponse:
    return JSONResponse(status_code=status, content=error_body(message, detail), headers=headers)


def _status_for(exc: errors.DomainError) -> int:
    for cls in type(exc).__mro__:
        if cls in _STATUS_BY_ERROR:
            return _STATUS_BY_ERROR[cls]
    return 400


async def _domain_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, errors.DomainError)
    status = _status_for(exc)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else {}
    if isinstance(exc, errors.TooManyAttemptsError):
        headers["Retry-After"] = str(exc.retry_after)
    return _json(status, exc.message, exc.detail, **headers)


def _location(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(part) for part in loc]
    if parts and parts[0] in {"body", "query", "path", "header", "cookie"} and len(parts) > 1:
        parts = parts[1:]
    return ".".join(parts) or "request"


def validation_message(problems: list[dict[str, Any]]) -> str:
    """A readable summary of the first validation problem, with its location."""
    if not problems:
        return "The request is invalid. Check it against the API reference."
    first = problems[0]
    where = _location(first.get("loc", ()))
    message = f"{where}: {str(first.get('msg', 'invalid value')).rstrip('.')}."
    if len(problems) > 1:
        message += f" ({len(problems) - 1} more problem(s) listed in 'detail'.)"
    return message + " Fix the request and send it again."


async def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    problems = [
        {"loc": list(p.get("loc", ())), "msg": str(p.get("msg", "")), "type": str(p.get("type"))}
        for p in exc.errors()
    ]
    return _json(422, validation_message(problems), problems)


def _allowed_methods(request: Request) -> str:
    """Every method of every route on this path (Starlette only lists the first route's)."""
    methods: set[str] = set()
    for route in request.app.router.routes:
        match, _ = route.matches(request.scope)
        if match != Match.NONE:
            methods |= set(getattr(route, "methods", None) or ())
    return ", ".join(sorted(methods))


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    status = exc.status_code
    headers = dict(exc.headers or {})
    if status == 400:
        # FastAPI answers 400 when a body cannot be decoded; the API treats it as invalid input.
        status = 422
        message = (
            "The request body could not be parsed. Send valid UTF-8 JSON (or a form) with "
            "the right Content-Type."
        )
    elif status in _HTTP_MESSAGES:
        message = _HTTP_MESSAGES[status].format(method=request.method, path=request.url.path)
    else:
        message = str(exc.detail)
    if status == 405:
        headers["Allow"] = _allowed_methods(request)
    return JSONResponse(
        status_code=status, content=error_body(message, exc.detail), headers=headers
    )


async def _unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    request_id = getattr(request.state, "request_id", None) or uuid.uuid4().hex
    logger.exception(
        "Unhandled error on %s %s (request %s)",
        request.method,
        request.url.path,
        request_id,
        exc_info=exc,
    )
    return _json(
        500,
        f"The server hit an internal error. Report request id {request_id} to the administrator.",
        {"request_id": request_id},
        **{REQUEST_ID_HEADER: request_id},
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(errors.DomainError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected_error)
