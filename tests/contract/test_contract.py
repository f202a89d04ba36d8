"""The committed contract matches the server, and the check catches drift."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

from check_contract import check  # noqa: E402


def test_committed_contract_matches_the_server() -> None:
    assert check(ROOT) == []


def _copy_project(tmp_path: Path) -> Path:
    copy = tmp_path / "project"
    (copy / "generated").mkdir(parents=True)
    shutil.copy(ROOT / "openapi.json", copy / "openapi.json")
    shutil.copytree(
        ROOT / "generated" / "avatar_api_client", copy / "generated" / "avatar_api_client"
    )
    return copy


def test_check_fails_on_a_stale_spec(tmp_path: Path) -> None:
    copy = _copy_project(tmp_path)
    spec = copy / "openapi.json"
    spec.write_text(spec.read_text().replace('"get_health"', '"get_health_old"'))
    problems = check(copy)
    assert any("openapi.json differs" in problem for problem in problems)


def test_check_names_the_stale_generated_file(tmp_path: Path) -> None:
    copy = _copy_project(tmp_path)
    target = copy / "generated" / "avatar_api_client" / "api" / "health" / "get_health.py"
    target.write_text(target.read_text() + "\n# hand edit\n")
    problems = check(copy)
    assert problems == ["generated/avatar_api_client is stale: api/health/get_health.py differs"]


def test_check_script_prints_the_fix(tmp_path: Path) -> None:
    copy = _copy_project(tmp_path)
    (copy / "generated" / "avatar_api_client" / "types.py").unlink()
    completed = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "check_contract.py"), "--root", str(copy)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 1
    assert "types.py is missing" in completed.stderr
    assert "make generate" in completed.stderr
