"""A real HTTP server (uvicorn) running the app in a thread of the test process, so that a
test can hand it a clock and move time without sleeping."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import httpx
import uvicorn

from avatars.local import free_port
from avatars_server.app import create_app
from avatars_server.config import Settings


@contextmanager
def live_server(
    settings: Settings, clock: Callable[[], float] | None = None
) -> Iterator[httpx.Client]:
    """Serve `create_app(settings, clock=clock)` on 127.0.0.1; yield a client for it."""
    port = free_port()
    config = uvicorn.Config(
        create_app(settings, clock=clock), host="127.0.0.1", port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("The test server did not start.")
        time.sleep(0.02)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            yield client
    finally:
        server.should_exit = True
        thread.join(timeout=30)
