"""ApiClient configuration: environment variables, URL checks, context manager."""

from __future__ import annotations

import pytest

from avatars.client import ApiClient
from avatars.exceptions import APIConnectionError
from avatars.local import LocalServer, free_port


def test_base_url_falls_back_to_avatar_base_api_url(
    local_server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AVATAR_BASE_API_URL", local_server.base_url)
    monkeypatch.setenv("BASE_URL", "http://127.0.0.1:1")
    client = ApiClient()
    assert client.base_url == local_server.base_url
    assert client.health.get_health() == {"message": "ok"}


def test_base_url_falls_back_to_base_url(
    local_server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AVATAR_BASE_API_URL", raising=False)
    monkeypatch.setenv("BASE_URL", local_server.base_url + "/")
    assert ApiClient().base_url == local_server.base_url


def test_credentials_from_the_environment_log_in(
    local_server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AVATAR_USERNAME", local_server.username)
    monkeypatch.setenv("AVATAR_PASSWORD", local_server.password)
    with ApiClient(base_url=local_server.base_url) as client:
        assert client.is_authenticated
        assert client.users.get_me().username == local_server.username
        client.authenticate()  # no arguments: the environment again
        assert client.is_authenticated


def test_missing_base_url_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AVATAR_BASE_API_URL", raising=False)
    monkeypatch.delenv("BASE_URL", raising=False)
    with pytest.raises(ValueError, match="AVATAR_BASE_API_URL"):
        ApiClient()


def test_base_url_with_quotes_is_rejected() -> None:
    with pytest.raises(ValueError, match="double quote"):
        ApiClient(base_url='"http://127.0.0.1:8000"')


def test_unreachable_server_raises_connection_error() -> None:
    with pytest.raises(APIConnectionError, match="Could not reach the server"):
        ApiClient(base_url=f"http://127.0.0.1:{free_port()}", max_retries=0)


def test_per_call_timeout_and_close(local_server: LocalServer) -> None:
    client = ApiClient(base_url=local_server.base_url, timeout=5)
    assert client.health.get_health(timeout=2) == {"message": "ok"}
    client.close()
    assert client.http.is_closed
