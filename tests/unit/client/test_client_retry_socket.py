"""RetryTransport on real 127.0.0.1 sockets: 503 + Retry-After, dropped or refused connections."""

import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from avatars._transport import RetryTransport


class _ScriptedServer(ThreadingHTTPServer):
    """Answers each request with the next action of `script`, and records what it received."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.script: list[str] = []
        self.received: list[tuple[str, str, bytes]] = []
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"

    def next_action(self, method: str, path: str, body: bytes) -> str:
        with self.lock:
            self.received.append((method, path, body))
            return self.script.pop(0) if self.script else "200"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _ScriptedServer

    def _handle(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        action = self.server.next_action(self.command, self.path, body)
        if action == "drop":
            # Read the request, then hang up without answering: the server did receive it.
            self.close_connection = True
            return
        status = int(action)
        payload = b'{"message": "busy"}' if status == 503 else b'{"ok": true}'
        self.send_response(status)
        if status == 503:
            self.send_header("Retry-After", "1")
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PUT = _handle

    def log_message(self, format: str, *args: object) -> None:
        pass  # keep test output clean


@pytest.fixture
def server() -> Iterator[_ScriptedServer]:
    httpd = _ScriptedServer()
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield httpd
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


@pytest.fixture
def closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    # Nothing listens there any more: connecting is refused.
    return f"http://127.0.0.1:{port}"


def _client(base_url: str, sleeps: list[float], max_retries: int = 2) -> httpx.Client:
    transport = RetryTransport(max_retries=max_retries, sleep=sleeps.append, random=lambda: 1.0)
    return httpx.Client(transport=transport, base_url=base_url, timeout=5.0)


def test_get_is_retried_after_503_with_retry_after(server: _ScriptedServer) -> None:
    server.script = ["503", "503", "200"]
    sleeps: list[float] = []
    with _client(server.url, sleeps) as client:
        response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"ok": True}
    assert [r[:2] for r in server.received] == [("GET", "/health")] * 3
    assert sleeps == [1.0, 1.0]


def test_get_returns_the_last_503_when_retries_run_out(server: _ScriptedServer) -> None:
    server.script = ["503"] * 5
    sleeps: list[float] = []
    with _client(server.url, sleeps) as client:
        response = client.get("/health")
    assert response.status_code == 503
    assert response.json() == {"message": "busy"}
    assert len(server.received) == 3


def test_post_is_not_resent_after_503(server: _ScriptedServer) -> None:
    server.script = ["503", "200"]
    sleeps: list[float] = []
    with _client(server.url, sleeps) as client:
        response = client.post("/jobs", json={"kind": "avatarization"})
    assert response.status_code == 503
    assert server.received == [("POST", "/jobs", b'{"kind":"avatarization"}')]
    assert sleeps == []


def test_get_is_retried_after_a_dropped_connection(server: _ScriptedServer) -> None:
    server.script = ["drop", "drop", "200"]
    sleeps: list[float] = []
    with _client(server.url, sleeps) as client:
        response = client.get("/users")
    assert response.status_code == 200
    assert len(server.received) == 3
    assert sleeps == [0.5, 1.0]


def test_post_is_not_resent_after_a_dropped_connection(server: _ScriptedServer) -> None:
    server.script = ["drop", "200"]
    sleeps: list[float] = []
    with _client(server.url, sleeps) as client, pytest.raises(httpx.RemoteProtocolError):
        client.post("/jobs", json={"kind": "avatarization"})
    assert len(server.received) == 1
    assert sleeps == []


def test_post_with_idempotency_key_is_resent_after_a_drop(server: _ScriptedServer) -> None:
    server.script = ["drop", "200"]
    with _client(server.url, []) as client:
        response = client.post("/jobs", json={}, headers={"Idempotency-Key": "k-1"})
    assert response.status_code == 200
    assert [r[:2] for r in server.received] == [("POST", "/jobs")] * 2


def test_refused_connection_is_retried_for_any_method(closed_port_url: str) -> None:
    sleeps: list[float] = []
    with _client(closed_port_url, sleeps) as client, pytest.raises(httpx.ConnectError):
        client.post("/jobs", json={"kind": "avatarization"})
    assert sleeps == [0.5, 1.0]


def test_refused_streamed_upload_is_not_retried(closed_port_url: str) -> None:
    sleeps: list[float] = []
    with _client(closed_port_url, sleeps) as client, pytest.raises(httpx.ConnectError):
        client.post("/datasets/stream", content=iter([b"a,b\n", b"1,2\n"]))
    assert sleeps == []
