"""A 429 from a locked login: RateLimitError carries Retry-After, and login is not retried."""

from __future__ import annotations

import email.utils
import json
import pickle
import time

import httpx
import pytest

from avatars._transport import RetryTransport
from avatars.client import ApiClient
from avatars.exceptions import RateLimitError, status_error_from_response

_LOCKED = {
    "message": "Too many failed logins for this account or from this address. Try again in "
    "30 s (after 2026-12-05T18:40:12Z); each further lock lasts longer.",
    "detail": {"retry_after": 30},
}


def test_rate_limit_error_carries_retry_after_seconds() -> None:
    error = status_error_from_response(
        "POST", "http://x/login", 429, json.dumps(_LOCKED).encode(), {"Retry-After": "30"}
    )
    assert isinstance(error, RateLimitError)
    assert error.retry_after == 30.0
    assert "Try again in 30 s" in error.message
    copy = pickle.loads(pickle.dumps(error))
    assert isinstance(copy, RateLimitError) and copy.retry_after == 30.0


def test_rate_limit_error_reads_an_http_date_and_a_missing_header() -> None:
    later = email.utils.formatdate(time.time() + 120, usegmt=True)
    error = status_error_from_response("GET", "/x", 429, b"", {"retry-after": later})
    assert isinstance(error, RateLimitError)
    assert error.retry_after is not None and 100 < error.retry_after <= 121
    bare = status_error_from_response("GET", "/x", 429, b"", {})
    assert isinstance(bare, RateLimitError) and bare.retry_after is None


def test_login_into_a_lock_is_sent_once_and_raises_rate_limit_error() -> None:
    sent: list[httpx.Request] = []
    sleeps: list[float] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(
            429,
            content=json.dumps(_LOCKED),
            headers={"Content-Type": "application/json", "Retry-After": "30"},
        )

    transport = RetryTransport(httpx.MockTransport(handler), max_retries=5, sleep=sleeps.append)
    http = httpx.Client(base_url="http://server.test", transport=transport)
    client = ApiClient(
        base_url="http://server.test", http_client=http, should_verify_compatibility=False
    )
    with pytest.raises(RateLimitError) as caught:
        client.authenticate("alice", "right-password")
    assert caught.value.retry_after == 30.0
    assert len(sent) == 1 and sleeps == []
    assert not client.is_authenticated
