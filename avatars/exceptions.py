"""Exceptions raised by the avatars client, and the one mapping from an HTTP error response to them.

Hierarchy::

    AvatarsError (Exception)
    ├── APIStatusError                 any non-2xx answer (other statuses raise this class itself)
    │   ├── BadRequestError            400
    │   ├── AuthenticationError        401
    │   ├── PermissionDeniedError      403
    │   ├── NotFoundError              404
    │   ├── ConflictError              409
    │   ├── FileTooLarge               413
    │   ├── UnprocessableEntityError   422
    │   ├── RateLimitError             429
    │   └── InternalServerError        5xx
    ├── APIConnectionError             no HTTP answer (refused, reset, DNS, TLS, ...)
    │   └── APITimeoutError            no HTTP answer in time
    ├── JobFailedError                 a waited-for job ended in failure / killed
    ├── JobTimeoutError (= Timeout)    a waited-for job did not finish before the deadline
    └── InvalidFileType (ValueError)   a file format that does not fit the destination
"""

import http
import json
import time
from collections.abc import Mapping
from urllib.parse import urlsplit
from uuid import UUID

from avatars._transport import parse_retry_after

__all__ = [
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "AvatarsError",
    "BadRequestError",
    "ConflictError",
    "FileTooLarge",
    "InternalServerError",
    "InvalidFileType",
    "JobFailedError",
    "JobTimeoutError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "Timeout",
    "UnprocessableEntityError",
    "status_error_from_response",
]

# Longest piece of a non-JSON error body kept in a message (proxies answer with whole HTML pages).
_MAX_RAW_TEXT = 500
_REQUEST_ID_HEADER = "X-Request-ID"


class AvatarsError(Exception):
    """Root of every exception raised by the avatars client.

    Catch it to handle any client error; it derives from `Exception`, so `except Exception`
    still works.
    """


class APIStatusError(AvatarsError):
    """Raised when the server answers with a non-2xx status that has no more specific subclass.

    Attributes:
        status_code: HTTP status of the answer.
        message: What went wrong, as the server explains it (its `message`), for the user.
        detail: Machine-readable context from the body's `detail` (any JSON value), or None.
        request_id: The answer's `X-Request-ID`, to quote when reporting a server fault, or None.
        method: HTTP method of the request, e.g. "POST".
        url: URL (or path) of the request.
    """

    def __init__(
        self,
        status_code: int,
        message: str,
        detail: object = None,
        request_id: str | None = None,
        method: str = "",
        url: str = "",
    ) -> None:
        # All arguments go to Exception.args, so that the exception pickles (e.g. across processes).
        super().__init__(status_code, message, detail, request_id, method, url)
        self.status_code = status_code
        self.message = message
        self.detail = detail
        self.request_id = request_id
        self.method = method
        self.url = url

    def __str__(self) -> str:
        # Only the path: a query string may carry values the user does not want in logs.
        target = urlsplit(self.url).path or self.url
        return (
            f"Got error in HTTP request: {self.method} {target}. "
            f"Error status {self.status_code} - {self.message}"
        )


class BadRequestError(APIStatusError):
    """Raised on a 400 answer: the server could not read the request."""


class AuthenticationError(APIStatusError):
    """Raised on a 401 answer: missing, invalid or expired token, or wrong username or password."""


class PermissionDeniedError(APIStatusError):
    """Raised on a 403 answer: authenticated but not allowed (a non-admin on an admin route)."""


class NotFoundError(APIStatusError):
    """Raised on a 404 answer: unknown route or id, or a resource that belongs to someone else."""


class ConflictError(APIStatusError):
    """Raised on a 409 answer: a valid request that conflicts with the current state."""


class FileTooLarge(APIStatusError):
    """Raised on a 413 answer: an upload larger than the server's limit (the message states it)."""


class UnprocessableEntityError(APIStatusError):
    """Raised on a 422 answer: invalid input; `detail` holds FastAPI's list of problems, if any."""


class RateLimitError(APIStatusError):
    """Raised on a 429 answer that is still 429 after the client's retries (a login, being a
    POST, is never retried: it would only run into the lock).

    Attributes:
        retry_after: Seconds to wait before trying again, from the `Retry-After` header (a
            number of seconds or an HTTP date), or None when the server gave none.
    """

    def __init__(
        self,
        status_code: int,
        message: str,
        detail: object = None,
        request_id: str | None = None,
        method: str = "",
        url: str = "",
        retry_after: float | None = None,
    ) -> None:
        super().__init__(status_code, message, detail, request_id, method, url)
        self.args = (*self.args, retry_after)
        self.retry_after = retry_after


class InternalServerError(APIStatusError):
    """Raised on a 5xx answer (after the client's retries, for those it retries)."""


class APIConnectionError(AvatarsError):
    """Raised when no HTTP answer arrives: connection refused or reset, DNS or TLS failure.

    Attributes:
        message: What failed.
        method: HTTP method of the request, or None.
        url: URL of the request, or None.
    """

    def __init__(
        self,
        message: str = "Connection error.",
        method: str | None = None,
        url: str | None = None,
    ) -> None:
        super().__init__(message, method, url)
        self.message = message
        self.method = method
        self.url = url

    def __str__(self) -> str:
        if self.method and self.url:
            return f"{self.message} ({self.method} {self.url})"
        return self.message


class APITimeoutError(APIConnectionError):
    """Raised when the server does not answer within the HTTP timeout, after any retries."""

    def __init__(
        self,
        message: str = "Request timed out.",
        method: str | None = None,
        url: str | None = None,
    ) -> None:
        super().__init__(message, method, url)


class JobFailedError(AvatarsError):
    """Raised by `client.jobs.wait` when the job ends in `failure` or `killed`.

    Attributes:
        job_id: Id of the job.
        reason: The job's `error_message`, or None when the server gave none.
        job: The job as last read, or None.
        status: The job's final status (e.g. "failure", "killed"), or None when unknown.
    """

    def __init__(
        self,
        job_id: str | UUID,
        reason: str | None,
        job: object = None,
        status: str | None = None,
    ) -> None:
        super().__init__(job_id, reason, job, status)
        self.job_id = str(job_id)
        self.reason = reason
        self.job = job
        self.status = status

    def __str__(self) -> str:
        ended = f"ended with status {self.status}" if self.status else "failed"
        return f"Job {self.job_id} {ended}: {self.reason or 'the server gave no reason.'}"


class JobTimeoutError(AvatarsError):
    """Raised when a waited-for job is still pending or started at the deadline.

    The job keeps running on the server: wait again or cancel it.

    Attributes:
        job_id: Id of the job.
        waited: Seconds waited before giving up.
        last_status: The job's status when last read (e.g. "started"), or None.
    """

    def __init__(self, job_id: str | UUID, waited: float, last_status: str | None) -> None:
        super().__init__(job_id, waited, last_status)
        self.job_id = str(job_id)
        self.waited = waited
        self.last_status = last_status

    def __str__(self) -> str:
        return (
            f"Job {self.job_id} did not finish within {self.waited:.1f} s "
            f"(last status: {self.last_status or 'unknown'}). It is still running on the server: "
            f"wait again with client.jobs.wait('{self.job_id}') "
            f"or cancel it with client.jobs.cancel_job('{self.job_id}')."
        )


Timeout = JobTimeoutError
"""0.7.3's name for a job that did not finish in time; kept so that 0.7.3 code still catches it."""


class InvalidFileType(AvatarsError, ValueError):
    """Raised when a file format does not fit the destination (e.g. parquet into a text buffer)."""


_STATUS_CLASSES: Mapping[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    413: FileTooLarge,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def status_error_from_response(
    method: str,
    url: str,
    status_code: int,
    content: bytes,
    headers: Mapping[str, str],
) -> APIStatusError:
    """Build the typed exception for a non-2xx answer.

    The message is, in order of preference: the body's top-level `message`; FastAPI's
    `detail[0].msg` with its `loc`; a string `detail`; the raw body text (truncated); the status's
    reason phrase.

    Args:
        method: HTTP method of the request.
        url: URL (or path) of the request.
        status_code: HTTP status of the answer.
        content: Raw body of the answer.
        headers: Headers of the answer (looked up case-insensitively).

    Returns:
        An instance of the `APIStatusError` subclass for `status_code` (`InternalServerError`
        for any 5xx), or of `APIStatusError` itself for a status without a subclass.
    """
    text = content.decode("utf-8", errors="replace").strip()
    try:
        body: object = json.loads(text) if text else None
    except ValueError:
        body = None
        message = _truncate(text)
    else:
        message = _message_from_body(body) or _truncate(text)
    detail = body.get("detail") if isinstance(body, dict) else body
    if not message:
        message = _reason_phrase(status_code)
    if 500 <= status_code < 600:
        cls: type[APIStatusError] = InternalServerError
    else:
        cls = _STATUS_CLASSES.get(status_code, APIStatusError)
    request_id = _get_header(headers, _REQUEST_ID_HEADER)
    if cls is RateLimitError:
        retry_after = parse_retry_after(_get_header(headers, "Retry-After"), time.time)
        return RateLimitError(
            status_code, message, detail, request_id, method.upper(), url, retry_after
        )
    return cls(status_code, message, detail, request_id, method.upper(), url)


def _message_from_body(body: object) -> str | None:
    """Return the readable message of a JSON error body, or None if it has none."""
    if not isinstance(body, dict):
        return None
    message = body.get("message")
    if isinstance(message, str) and message.strip():
        return message.strip()
    detail = body.get("detail")
    if isinstance(detail, str) and detail.strip():
        return detail.strip()
    if isinstance(detail, list) and detail and isinstance(detail[0], dict):
        return _message_from_validation_errors(detail)
    return None


def _message_from_validation_errors(errors: list[object]) -> str | None:
    """Summarise FastAPI's `detail` list as "<loc>: <msg>" for its first entry."""
    first = errors[0]
    if not isinstance(first, dict) or not isinstance(first.get("msg"), str):
        return None
    message: str = first["msg"]
    loc = first.get("loc")
    if isinstance(loc, list) and loc:
        message = f"{'.'.join(str(part) for part in loc)}: {message}"
    if len(errors) > 1:
        others = len(errors) - 1
        message += f" (and {others} more problem{'s' if others > 1 else ''})"
    return message


def _truncate(text: str) -> str:
    if len(text) <= _MAX_RAW_TEXT:
        return text
    return text[:_MAX_RAW_TEXT] + "…"


def _reason_phrase(status_code: int) -> str:
    try:
        return http.HTTPStatus(status_code).phrase
    except ValueError:
        return "Unknown error"


def _get_header(headers: Mapping[str, str], name: str) -> str | None:
    """Look a header up case-insensitively, whether `headers` is httpx.Headers or a plain dict."""
    value = headers.get(name)
    if value is not None:
        return value
    lowered = name.lower()
    for key, candidate in headers.items():
        if key.lower() == lowered:
            return candidate
    return None
