"""An httpx transport that retries what is safe to retry, with capped, jittered back-off."""

import datetime
import email.utils
import logging
import random as _random
import time
from collections.abc import Callable

import httpx

from avatars._constants import (
    DEFAULT_MAX_RETRIES,
    RETRY_AFTER_CAP,
    RETRY_BACKOFF_BASE,
    RETRY_BACKOFF_CAP,
)

__all__ = [
    "CallerClientTransport",
    "RetryTransport",
    "parse_retry_after",
    "retry_delay",
    "should_retry",
]

logger = logging.getLogger(__name__)

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
RETRY_STATUS_CODES = frozenset({408, 429, 502, 503, 504})
IDEMPOTENCY_KEY_HEADER = "Idempotency-Key"

# The request never reached the server: safe to send again whatever the method.
_NOT_SENT_ERRORS: tuple[type[httpx.TransportError], ...] = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
)
# The server may have received (and acted on) the request: only idempotent requests are sent again.
_MAYBE_RECEIVED_ERRORS: tuple[type[httpx.TransportError], ...] = (
    httpx.ReadTimeout,
    httpx.WriteTimeout,
    httpx.ReadError,
    httpx.WriteError,
    httpx.RemoteProtocolError,
)


def should_retry(request: httpx.Request, outcome: httpx.Response | Exception) -> bool:
    """Decide whether `request` may be sent again after `outcome`.

    Rules: a request whose body cannot be replayed (a streamed or multipart body) is never re-sent.
    A connect error or connect timeout is retried for any method, as the server never got the
    request. A 408/429/502/503/504 answer, a read/write timeout or a dropped connection is retried
    only for an idempotent method (GET, HEAD, OPTIONS, PUT, DELETE) or a request carrying an
    `Idempotency-Key` header: a POST or PATCH the server may have received is never re-sent, so
    that it cannot create a dataset or a job twice.

    Args:
        request: The request that was sent.
        outcome: The response received, or the exception raised while sending.

    Returns:
        True if sending the request again is safe and may succeed.
    """
    if not _is_replayable(request):
        return False
    if isinstance(outcome, _NOT_SENT_ERRORS):
        return True
    if isinstance(outcome, httpx.Response):
        may_succeed = outcome.status_code in RETRY_STATUS_CODES
    else:
        may_succeed = isinstance(outcome, _MAYBE_RECEIVED_ERRORS)
    return may_succeed and _is_idempotent(request)


def retry_delay(
    attempt: int,
    retry_after_header: str | None,
    *,
    random: Callable[[], float],
    now: Callable[[], float] = time.time,
) -> float:
    """Return how long to sleep before retry number `attempt`.

    A valid `Retry-After` (seconds, or an HTTP date) is honoured, up to `RETRY_AFTER_CAP` seconds.
    Otherwise the delay is exponential back-off with full jitter: uniform in
    [0, min(RETRY_BACKOFF_CAP, RETRY_BACKOFF_BASE * 2**attempt)).

    Args:
        attempt: 0 for the first retry, 1 for the second, and so on.
        retry_after_header: The answer's `Retry-After` header, or None.
        random: Returns a float in [0, 1), e.g. `random.random`.
        now: Returns the current Unix time, to resolve an HTTP-date `Retry-After`.

    Returns:
        The delay in seconds, never negative.
    """
    retry_after = parse_retry_after(retry_after_header, now)
    if retry_after is not None:
        return min(retry_after, RETRY_AFTER_CAP)
    backoff = min(RETRY_BACKOFF_CAP, RETRY_BACKOFF_BASE * 2.0 ** max(attempt, 0))
    return random() * backoff


class RetryTransport(httpx.BaseTransport):
    """Wrap a transport and send a request again when `should_retry` allows it.

    After the last attempt, the last response is returned or the last exception re-raised, so that
    the caller maps it to a typed error as for a request that was tried once.
    """

    def __init__(
        self,
        wrapped: httpx.BaseTransport | None = None,
        *,
        max_retries: int = DEFAULT_MAX_RETRIES,
        sleep: Callable[[float], None] = time.sleep,
        random: Callable[[], float] = _random.random,
    ) -> None:
        """Create the transport.

        Args:
            wrapped: The transport that sends each attempt; `httpx.HTTPTransport()` by default.
            max_retries: How many times a request may be sent again after the first attempt.
            sleep: Sleeps between attempts (injected by tests).
            random: Returns a float in [0, 1) for the back-off jitter (injected by tests).

        Raises:
            ValueError: If `max_retries` is negative.
        """
        if max_retries < 0:
            raise ValueError(f"max_retries must be an int >= 0. Got {max_retries} instead.")
        self.wrapped = wrapped if wrapped is not None else httpx.HTTPTransport()
        self.max_retries = max_retries
        self._sleep = sleep
        self._random = random

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Send `request`, retrying per `should_retry` with the delay of `retry_delay`."""
        attempt = 0
        while True:
            retry_after: str | None = None
            try:
                response = self.wrapped.handle_request(request)
            except httpx.TransportError as exc:
                if attempt >= self.max_retries or not should_retry(request, exc):
                    raise
                reason = type(exc).__name__
            else:
                if attempt >= self.max_retries or not should_retry(request, response):
                    return response
                reason = str(response.status_code)
                retry_after = response.headers.get("Retry-After")
                # Free the connection: this answer is discarded.
                response.close()
            delay = retry_delay(attempt, retry_after, random=self._random)
            logger.info(
                "Retrying %s %s after %s in %.2f s (retry %d of %d)",
                request.method,
                request.url.path,
                reason,
                delay,
                attempt + 1,
                self.max_retries,
            )
            self._sleep(delay)
            attempt += 1

    def close(self) -> None:
        """Close the wrapped transport."""
        self.wrapped.close()


class CallerClientTransport(httpx.BaseTransport):
    """Send each request through an httpx.Client the caller owns, without changing it.

    The caller's client sends the request as it is (its transport, TLS settings, proxies, auth
    and event hooks apply); its default headers and cookies are copied into the ApiClient's
    own client once, when it is built. Closing this transport leaves the caller's client open.
    """

    def __init__(self, client: httpx.Client) -> None:
        self.client = client

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Send `request` with the caller's client; the body is read by the ApiClient's."""
        response = self.client.send(request, stream=True)
        return httpx.Response(
            response.status_code,
            headers=response.headers,
            stream=response.stream,
            extensions=response.extensions,
        )

    def close(self) -> None:
        """Nothing to close: the caller's client belongs to the caller."""


def _is_idempotent(request: httpx.Request) -> bool:
    return request.method.upper() in IDEMPOTENT_METHODS or IDEMPOTENCY_KEY_HEADER in request.headers


def _is_replayable(request: httpx.Request) -> bool:
    # A ByteStream holds the whole body in memory (bytes, json=, data=, or no body at all); other
    # streams (generators, multipart files) may be consumed by the first attempt.
    return isinstance(request.stream, httpx.ByteStream)


def parse_retry_after(value: str | None, now: Callable[[], float]) -> float | None:
    """Return the delay a `Retry-After` header asks for, or None if it is missing or invalid."""
    if value is None:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        pass
    else:
        # float() accepts "nan" and "inf": only a finite, non-negative number is a delay.
        return seconds if 0 <= seconds < float("inf") else None
    try:
        date = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if date.tzinfo is None:
        # HTTP dates are GMT; parsedate_to_datetime leaves "-0000" naive.
        date = date.replace(tzinfo=datetime.UTC)
    return max(0.0, date.timestamp() - now())
