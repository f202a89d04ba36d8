"""Retry decisions (pure functions) and RetryTransport through httpx.MockTransport."""

import email.utils
from collections.abc import Iterator

import httpx
import pytest

from avatars._constants import RETRY_AFTER_CAP
from avatars._transport import RetryTransport, retry_delay, should_retry

URL = "http://testserver/jobs"


def _request(method: str, *, body: str = "bytes", key: bool = False) -> httpx.Request:
    headers = {"Idempotency-Key": "k-1"} if key else {}
    if body == "bytes":
        return httpx.Request(method, URL, content=b'{"a": 1}', headers=headers)
    if body == "none":
        return httpx.Request(method, URL, headers=headers)
    if body == "stream":
        return httpx.Request(method, URL, content=iter([b"chunk"]), headers=headers)
    if body == "multipart":
        return httpx.Request(method, URL, files={"file": b"a,b\n1,2\n"}, headers=headers)
    raise AssertionError(body)


CONNECT = httpx.ConnectError("refused")
CONNECT_TIMEOUT = httpx.ConnectTimeout("connect timed out")
READ_TIMEOUT = httpx.ReadTimeout("read timed out")
DROPPED = httpx.RemoteProtocolError("Server disconnected without sending a response.")
RESET = httpx.ReadError("connection reset")


@pytest.mark.parametrize(
    ("method", "body", "key", "outcome", "expected"),
    [
        # Never received: any method, if the body can be replayed.
        ("GET", "none", False, CONNECT, True),
        ("POST", "bytes", False, CONNECT, True),
        ("PATCH", "bytes", False, CONNECT_TIMEOUT, True),
        ("POST", "none", False, CONNECT, True),
        ("POST", "stream", False, CONNECT, False),
        ("POST", "multipart", False, CONNECT, False),
        # Maybe received: idempotent methods, or an Idempotency-Key.
        ("GET", "none", False, READ_TIMEOUT, True),
        ("HEAD", "none", False, DROPPED, True),
        ("OPTIONS", "none", False, RESET, True),
        ("PUT", "bytes", False, READ_TIMEOUT, True),
        ("DELETE", "none", False, DROPPED, True),
        ("POST", "bytes", False, READ_TIMEOUT, False),
        ("POST", "bytes", False, DROPPED, False),
        ("PATCH", "bytes", False, RESET, False),
        ("POST", "bytes", True, READ_TIMEOUT, True),
        ("PUT", "stream", False, READ_TIMEOUT, False),
        # Not a transient failure.
        ("GET", "none", False, httpx.PoolTimeout("pool"), False),
        ("GET", "none", False, httpx.UnsupportedProtocol("ftp"), False),
        ("GET", "none", False, ValueError("bug"), False),
        # Responses.
        ("GET", "none", False, httpx.Response(503), True),
        ("GET", "none", False, httpx.Response(408), True),
        ("GET", "none", False, httpx.Response(429), True),
        ("GET", "none", False, httpx.Response(502), True),
        ("GET", "none", False, httpx.Response(504), True),
        ("DELETE", "none", False, httpx.Response(503), True),
        ("GET", "none", False, httpx.Response(200), False),
        ("GET", "none", False, httpx.Response(500), False),
        ("GET", "none", False, httpx.Response(404), False),
        ("GET", "none", False, httpx.Response(501), False),
        ("POST", "bytes", False, httpx.Response(503), False),
        ("POST", "bytes", False, httpx.Response(429), False),
        ("PATCH", "bytes", False, httpx.Response(502), False),
        ("POST", "bytes", True, httpx.Response(503), True),
        ("POST", "multipart", True, httpx.Response(503), False),
    ],
)
def test_should_retry(
    method: str, body: str, key: bool, outcome: httpx.Response | Exception, expected: bool
) -> None:
    assert should_retry(_request(method, body=body, key=key), outcome) is expected


@pytest.mark.parametrize(
    ("attempt", "expected"), [(0, 0.5), (1, 1.0), (2, 2.0), (3, 4.0), (4, 8.0), (5, 8.0), (30, 8.0)]
)
def test_retry_delay_backoff_is_exponential_and_capped(attempt: int, expected: float) -> None:
    assert retry_delay(attempt, None, random=lambda: 1.0) == expected


def test_retry_delay_uses_full_jitter() -> None:
    assert retry_delay(2, None, random=lambda: 0.25) == 0.5
    assert retry_delay(2, None, random=lambda: 0.0) == 0.0


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("3", 3.0),
        ("0", 0.0),
        (" 1.5 ", 1.5),
        ("120", RETRY_AFTER_CAP),
        ("-1", 0.5),  # invalid: back-off
        ("soon", 0.5),
        ("nan", 0.5),
        ("inf", 0.5),
        ("", 0.5),
    ],
)
def test_retry_delay_honours_retry_after_seconds(header: str, expected: float) -> None:
    assert retry_delay(0, header, random=lambda: 1.0) == expected


def test_retry_delay_honours_retry_after_http_date() -> None:
    now = 1_700_000_000.0
    in_7_s = email.utils.formatdate(now + 7, usegmt=True)
    in_1_h = email.utils.formatdate(now + 3600, usegmt=True)
    past = email.utils.formatdate(now - 60, usegmt=True)
    assert retry_delay(0, in_7_s, random=lambda: 1.0, now=lambda: now) == 7.0
    assert retry_delay(0, in_1_h, random=lambda: 1.0, now=lambda: now) == RETRY_AFTER_CAP
    assert retry_delay(0, past, random=lambda: 1.0, now=lambda: now) == 0.0
    # "-0000" leaves the parsed date naive; it is still GMT.
    naive = email.utils.formatdate(now + 5, usegmt=False).rsplit(" ", 1)[0] + " -0000"
    assert retry_delay(0, naive, random=lambda: 1.0, now=lambda: now) == 5.0


class _TrackedStream(httpx.SyncByteStream):
    def __init__(self) -> None:
        self.closed = False

    def __iter__(self) -> Iterator[bytes]:
        yield b"busy"

    def close(self) -> None:
        self.closed = True


class _Script:
    """A MockTransport handler answering with the given responses/exceptions in turn."""

    def __init__(self, *outcomes: httpx.Response | Exception) -> None:
        self.outcomes = list(outcomes)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        outcome = self.outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome


def _client(script: _Script, sleeps: list[float], max_retries: int = 2) -> httpx.Client:
    transport = RetryTransport(
        httpx.MockTransport(script),
        max_retries=max_retries,
        sleep=sleeps.append,
        random=lambda: 1.0,
    )
    return httpx.Client(transport=transport, base_url="http://testserver")


def test_get_is_retried_until_success_and_honours_retry_after() -> None:
    script = _Script(
        httpx.Response(503, headers={"Retry-After": "2"}),
        httpx.Response(429),
        httpx.Response(200, json={"ok": True}),
    )
    sleeps: list[float] = []
    with _client(script, sleeps) as client:
        response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"ok": True}
    assert len(script.requests) == 3
    assert sleeps == [2.0, 1.0]  # Retry-After, then back-off for the 2nd retry


def test_last_response_is_returned_after_the_last_retry() -> None:
    script = _Script(*(httpx.Response(503, json={"message": f"try {i}"}) for i in range(3)))
    sleeps: list[float] = []
    with _client(script, sleeps) as client:
        response = client.get("/health")
    assert response.status_code == 503
    assert response.json() == {"message": "try 2"}
    assert len(sleeps) == 2


def test_last_exception_is_raised_after_the_last_retry() -> None:
    script = _Script(httpx.ConnectError("a"), httpx.ConnectError("b"), httpx.ConnectError("c"))
    sleeps: list[float] = []
    with _client(script, sleeps) as client, pytest.raises(httpx.ConnectError, match="c"):
        client.post("/jobs", json={"kind": "avatarization"})
    assert sleeps == [0.5, 1.0]


def test_discarded_response_is_closed() -> None:
    stream = _TrackedStream()
    script = _Script(httpx.Response(503, stream=stream), httpx.Response(200))
    with _client(script, []) as client:
        assert client.get("/health").status_code == 200
    assert stream.closed


def test_post_is_not_resent_after_the_server_answered() -> None:
    script = _Script(httpx.Response(503), httpx.Response(200))
    sleeps: list[float] = []
    with _client(script, sleeps) as client:
        assert client.post("/jobs", json={}).status_code == 503
    assert len(script.requests) == 1
    assert sleeps == []


def test_post_is_not_resent_after_a_read_timeout() -> None:
    script = _Script(httpx.ReadTimeout("slow"), httpx.Response(201))
    with _client(script, []) as client, pytest.raises(httpx.ReadTimeout):
        client.post("/jobs", json={})
    assert len(script.requests) == 1


def test_post_with_idempotency_key_is_retried() -> None:
    script = _Script(httpx.ReadTimeout("slow"), httpx.Response(201))
    with _client(script, []) as client:
        response = client.post("/jobs", json={}, headers={"Idempotency-Key": "abc"})
    assert response.status_code == 201
    assert [r.content for r in script.requests] == [b"{}", b"{}"]


def test_zero_retries_sends_once() -> None:
    script = _Script(httpx.Response(503), httpx.Response(200))
    with _client(script, [], max_retries=0) as client:
        assert client.get("/health").status_code == 503
    assert len(script.requests) == 1


def test_negative_max_retries_is_rejected() -> None:
    with pytest.raises(ValueError, match="max_retries"):
        RetryTransport(httpx.MockTransport(_Script()), max_retries=-1)


def test_close_closes_the_wrapped_transport() -> None:
    closed: list[bool] = []

    class _Wrapped(httpx.BaseTransport):
        def close(self) -> None:
            closed.append(True)

    RetryTransport(_Wrapped()).close()
    assert closed == [True]
