"""LocalServer: start the reference server in a subprocess on 127.0.0.1 (tests, demos)."""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType

import httpx

from avatars.client import ApiClient

_START_TIMEOUT = 60.0


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class LocalServer:
    """A reference server of one's own, for the length of a ``with`` block.

    It runs ``avatars-server serve`` (needs the ``[server]`` extra) on a free port of
    127.0.0.1 with a temporary data directory and one user, and stops it on exit, also when
    the block raises.

    Args:
        data_dir: keep data here instead of a temporary directory (survives restarts).
        username: the user to create (an admin).
        password: its password; random when omitted.
        env: extra environment variables for the server (``AVATARS_*`` settings).

    Example:
        >>> with LocalServer() as server:  # doctest: +SKIP
        ...     client = server.client()
        ...     client.health.get_health()
    """

    def __init__(
        self,
        data_dir: str | Path | None = None,
        *,
        username: str = "local-admin",
        password: str | None = None,
        env: Mapping[str, str] | None = None,
    ) -> None:
        self.username = username
        self.password = password or secrets.token_urlsafe(16)
        self._owned_dir = data_dir is None
        self.data_dir = Path(data_dir) if data_dir else Path(tempfile.mkdtemp(prefix="avatars-"))
        self._extra_env = dict(env or {})
        self.port = 0
        self._process: subprocess.Popen[bytes] | None = None
        self._log_path = self.data_dir / "server.log"

    @property
    def base_url(self) -> str:
        if not self.port:
            raise RuntimeError("The server is not started: use `with LocalServer() as server:`.")
        return f"http://127.0.0.1:{self.port}"

    def _env(self) -> dict[str, str]:
        env = dict(os.environ)
        env["AVATARS_DATA_DIR"] = str(self.data_dir)
        env.update(self._extra_env)
        return env

    def _command(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "avatars_server.cli", *args]

    def _create_user(self) -> None:
        completed = subprocess.run(
            self._command("create-user", self.username, "--password-stdin", "--admin"),
            input=(self.password + "\n").encode(),
            env=self._env(),
            capture_output=True,
            check=False,
        )
        if completed.returncode != 0 and b"already taken" not in completed.stderr:
            raise RuntimeError(
                f"Could not create the user of the local server:\n{completed.stderr.decode()}"
            )

    def start(self) -> LocalServer:
        """Start the server and wait until /health answers."""
        if not self.data_dir.exists():
            # Private, whatever the umask: the server refuses a directory others can write.
            self.data_dir.mkdir(parents=True, mode=0o700)
            self.data_dir.chmod(0o700)
        self._create_user()
        self.port = free_port()
        # The log may hold password reset tokens: readable by this account only.
        log = os.fdopen(
            os.open(self._log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600), "ab"
        )
        self._process = subprocess.Popen(
            self._command("serve", "--host", "127.0.0.1", "--port", str(self.port)),
            env=self._env(),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        self._wait_healthy()
        return self

    def _wait_healthy(self) -> None:
        deadline = time.monotonic() + _START_TIMEOUT
        while time.monotonic() < deadline:
            assert self._process is not None
            if self._process.poll() is not None:
                raise RuntimeError(f"The local server exited early:\n{self.logs()}")
            try:
                if httpx.get(f"{self.base_url}/health", timeout=1.0).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"The local server did not start within {_START_TIMEOUT} s.")

    def logs(self) -> str:
        """What the server printed so far."""
        if not self._log_path.exists():
            return ""
        return self._log_path.read_text(encoding="utf-8", errors="replace")

    def client(self, *, authenticate: bool = True, timeout: float | None = 60.0) -> ApiClient:
        """An ApiClient for this server, logged in as the local user."""
        client = ApiClient(base_url=self.base_url, timeout=timeout)
        if authenticate:
            client.authenticate(self.username, self.password)
        return client

    def stop(self, *, kill: bool = False) -> None:
        """Stop the server (SIGTERM, then SIGKILL if it lingers; at once with kill=True)."""
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        if kill:
            process.kill()
        else:
            process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)

    def cleanup(self) -> None:
        if self._owned_dir:
            shutil.rmtree(self.data_dir, ignore_errors=True)

    def __enter__(self) -> LocalServer:
        try:
            return self.start()
        except BaseException:
            self.stop()
            self.cleanup()
            raise

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
        self.cleanup()
