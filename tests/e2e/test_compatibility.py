"""/check_client verdicts and the client's warning."""

from __future__ import annotations

import warnings

import httpx
import pytest

from avatars import __version__
from avatars.client import ApiClient
from avatars.local import LocalServer
from avatars.models import CompatibilityStatus


def _check(server: LocalServer, user_agent: str | None) -> dict[str, str]:
    headers = {"User-Agent": user_agent} if user_agent is not None else {}
    response = httpx.get(f"{server.base_url}/check_client", headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    body: dict[str, str] = response.json()
    return body


@pytest.mark.parametrize(
    ("user_agent", "status"),
    [
        ("avatar-python/0.7.3", "compatible"),
        ("avatar-python/0.7.0", "compatible"),
        ("avatar-python/0.8.0", "incompatible"),
        ("avatar-python/1.2.0", "incompatible"),
        (f"avatars/{__version__}", "compatible"),
        ("avatars/99.0.0", "incompatible"),
        ("curl/8.0", "unknown"),
        ("", "unknown"),
    ],
)
def test_check_client_verdicts(local_server: LocalServer, user_agent: str, status: str) -> None:
    assert _check(local_server, user_agent)["status"] == status


def test_incompatible_published_client_is_told_which_version_to_use(
    local_server: LocalServer,
) -> None:
    body = _check(local_server, "avatar-python/0.6.1")
    assert body["most_recent_compatible_client"] == "0.7.3"
    assert "0.7.x" in body["message"]


def test_our_client_is_compatible_without_warning(local_server: LocalServer) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        client = ApiClient(base_url=local_server.base_url)
    answer = client.compatibility.is_client_compatible()
    assert answer.status == CompatibilityStatus.COMPATIBLE


def test_client_warns_when_the_server_says_incompatible(local_server: LocalServer) -> None:
    with pytest.warns(UserWarning, match="does not match this server"):
        ApiClient(base_url=local_server.base_url, headers={"User-Agent": "avatars/99.0.0"})
