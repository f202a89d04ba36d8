"""ApiClient plumbing through httpx.MockTransport: error mapping, timeouts, auth guard."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from avatars import __version__
from avatars.client import ApiClient
from avatars.exceptions import (
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    NotFoundError,
    UnprocessableEntityError,
)
from tests.factories import json_response

Handler = Callable[[httpx.Request], httpx.Response]


def _client(handler: Handler, **kwargs: object) -> ApiClient:
    http = httpx.Client(base_url="http://server.test", transport=httpx.MockTransport(handler))
    return ApiClient(
        base_url="http://server.test",
        http_client=http,
        should_verify_compatibility=False,
        **kwargs,  # type: ignore[arg-type]
    )


def test_error_answer_becomes_its_typed_exception() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return json_response(
            404, {"message": "No user with id x.", "detail": None}, **{"X-Request-ID": "r1"}
        )

    client = _client(handler)
    client.http.headers["Authorization"] = "Bearer t"
    with pytest.raises(NotFoundError) as caught:
        client.users.get_user("5e27da4a-a5c5-458b-988e-ef2c66f545d6")
    assert caught.value.message == "No user with id x."
    assert caught.value.request_id == "r1"
    assert str(caught.value).startswith("Got error in HTTP request: GET /users/")


def test_validation_error_message_is_kept() -> None:
    body = {
        "message": "password: Field required. Fix the request and send it again.",
        "detail": [{"loc": ["body", "password"], "msg": "Field required", "type": "missing"}],
    }
    client = _client(lambda request: json_response(422, body))
    with pytest.raises(UnprocessableEntityError, match="password: Field required"):
        client.authenticate("someone", "pw")


def test_login_stores_the_bearer_token_and_sends_the_user_agent() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path == "/login":
            return json_response(200, {"access_token": "abc", "token_type": "bearer"})
        return json_response(
            200,
            {
                "id": "5e27da4a-a5c5-458b-988e-ef2c66f545d6",
                "organization_id": "5e27da4a-a5c5-458b-988e-ef2c66f545d7",
                "username": "u",
                "email": None,
                "role": "user",
            },
        )

    client = _client(handler)
    client.authenticate("u", "pw")
    assert client.users.get_me().username == "u"
    assert dict(httpx.QueryParams(seen[0].content.decode())) == {
        "username": "u",
        "password": "pw",
        "scope": "",
    }
    assert seen[1].headers["Authorization"] == "Bearer abc"
    assert seen[1].headers["User-Agent"] == f"avatars/{__version__}"


def test_per_call_timeout_reaches_the_request() -> None:
    timeouts: list[object] = []

    def handler(request: httpx.Request) -> httpx.Response:
        timeouts.append(request.extensions["timeout"])
        return json_response(200, {"message": "ok"})

    client = _client(handler)
    client.health.get_health(timeout=1.5)
    client.health.get_health()
    assert timeouts[0] == httpx.Timeout(1.5).as_dict()
    assert timeouts[1] != timeouts[0]


def test_transport_timeout_becomes_api_timeout_error() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    client = _client(handler)
    with pytest.raises(APITimeoutError, match="did not answer in time"):
        client.health.get_health()


def test_protected_call_without_login_is_refused_locally() -> None:
    calls: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return json_response(200, {})

    client = _client(handler)
    with pytest.raises(AuthenticationError, match="authenticate"):
        client.users.get_me()
    assert calls == []
    unguarded = _client(handler, verify_auth=False)
    unguarded.health.get_root()
    assert len(calls) == 1


def test_a_callers_http_client_is_used_but_never_changed() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path == "/login":
            return json_response(200, {"access_token": "abc", "token_type": "bearer"})
        return json_response(404, {"message": "gone", "detail": None})

    caller_hooks: list[str] = []
    caller = httpx.Client(
        transport=httpx.MockTransport(handler),
        headers={"X-Proxy-Auth": "p"},
        event_hooks={"request": [lambda request: caller_hooks.append(request.url.path)]},
    )
    headers_before = dict(caller.headers)
    client = ApiClient(
        base_url="http://server.test",
        http_client=caller,
        should_verify_compatibility=False,
        timeout=7,
        headers={"X-Extra": "e"},
    )
    client.authenticate("u", "pw")
    with pytest.raises(NotFoundError):  # errors are still mapped: our hooks run on our client
        client.users.get_me()
    client.close()

    # Requests went through the caller's client: its transport, its hooks, its headers...
    assert [request.url.path for request in seen] == ["/login", "/users/me"]
    assert caller_hooks == ["/login", "/users/me"]
    assert seen[1].headers["X-Proxy-Auth"] == "p"
    # ...with the ApiClient's own headers, token and timeout...
    assert seen[1].headers["Authorization"] == "Bearer abc"
    assert seen[1].headers["User-Agent"] == f"avatars/{__version__}"
    assert seen[1].headers["X-Extra"] == "e"
    assert seen[1].extensions["timeout"] == httpx.Timeout(7).as_dict()
    # ...and the caller's client is as it was, and still open.
    assert dict(caller.headers) == headers_before
    assert [len(caller.event_hooks[name]) for name in ("request", "response")] == [1, 0]
    assert not caller.is_closed
    assert caller.get("http://server.test/health").status_code == 404


def test_with_a_callers_http_client_our_retries_do_not_apply() -> None:
    # Retries belong to the transport, and the caller's client brings its own.
    calls: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return json_response(503, {"message": "busy", "detail": None}, **{"Retry-After": "0"})

    client = ApiClient(
        base_url="http://server.test",
        http_client=httpx.Client(transport=httpx.MockTransport(handler)),
        should_verify_compatibility=False,
        max_retries=5,
    )
    with pytest.raises(APIStatusError) as caught:
        client.health.get_health()
    assert caught.value.status_code == 503
    assert len(calls) == 1
