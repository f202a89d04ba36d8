"""The avatars-server console script."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def _run(data_dir: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {"AVATARS_DATA_DIR": str(data_dir), "PATH": "/usr/bin:/bin"}
    return subprocess.run(
        [sys.executable, "-m", "avatars_server.cli", *args],
        input=stdin,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_create_user_then_duplicate_fails_with_message(tmp_path: Path) -> None:
    first = _run(tmp_path, "create-user", "alice", "--password-stdin", "--admin", stdin="pw-123\n")
    assert first.returncode == 0, first.stderr
    assert "Created admin 'alice'" in first.stdout
    again = _run(tmp_path, "create-user", "alice", "--password", "other-pw")
    assert again.returncode != 0
    assert "already taken" in again.stderr


def test_create_user_requires_a_password(tmp_path: Path) -> None:
    result = _run(tmp_path, "create-user", "bob", "--password-stdin", stdin="\n")
    assert result.returncode != 0
    assert "password is empty" in result.stderr


def test_migrate_is_idempotent_and_persists_a_secret(tmp_path: Path) -> None:
    assert _run(tmp_path, "migrate").returncode == 0
    assert _run(tmp_path, "migrate").returncode == 0
    assert (tmp_path / "avatars.db").exists()


def test_help_lists_the_commands(tmp_path: Path) -> None:
    result = _run(tmp_path, "--help")
    assert result.returncode == 0
    for command in ("serve", "create-user", "migrate"):
        assert command in result.stdout
