"""Wire conventions every route shares: error bodies, content types, request ids, no redirects."""

from __future__ import annotations

import httpx

from avatars.local import LocalServer


def test_unknown_route_answers_404_with_error_body(local_server: LocalServer) -> None:
    response = httpx.get(f"{local_server.base_url}/no/such/route")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/json"
    assert "No route matches GET /no/such/route" in response.json()["message"]


def test_trailing_slash_is_not_redirected(local_server: LocalServer) -> None:
    response = httpx.get(f"{local_server.base_url}/health/", follow_redirects=False)
    assert response.status_code == 404
    assert "trailing slash" in response.json()["message"]


def test_wrong_verb_answers_405_with_error_body(local_server: LocalServer) -> None:
    response = httpx.delete(f"{local_server.base_url}/health")
    assert response.status_code == 405
    assert "DELETE is not allowed" in response.json()["message"]


def test_validation_error_keeps_detail_list_and_adds_message(local_server: LocalServer) -> None:
    response = httpx.post(f"{local_server.base_url}/login", data={"username": "someone"})
    assert response.status_code == 422
    body = response.json()
    assert body["message"].startswith("password: Field required")
    assert body["detail"][0]["loc"] == ["body", "password"]
    assert body["detail"][0]["type"] == "missing"


def test_malformed_json_is_422(local_server: LocalServer) -> None:
    response = httpx.post(
        f"{local_server.base_url}/login/forgotten_password",
        content=b"{not json",
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert response.json()["message"]


def test_every_response_carries_a_request_id(local_server: LocalServer) -> None:
    ok = httpx.get(f"{local_server.base_url}/health")
    missing = httpx.get(f"{local_server.base_url}/nothing")
    assert len(ok.headers["x-request-id"]) == 32
    assert ok.headers["x-request-id"] != missing.headers["x-request-id"]
    echoed = httpx.get(f"{local_server.base_url}/health", headers={"X-Request-ID": "abc-123"})
    assert echoed.headers["x-request-id"] == "abc-123"


def test_public_routes_answer_exact_json(local_server: LocalServer) -> None:
    for path, expected in (("/health", {"message": "ok"}), ("/health/db", {"message": "ok"})):
        response = httpx.get(f"{local_server.base_url}{path}")
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/json"
        assert response.json() == expected
    root = httpx.get(f"{local_server.base_url}/").json()
    assert root["message"] == "Avatar API"
    assert root["version"]
