"""Shared helpers of the contract scripts: export the spec and generate the client."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SPEC_PATH = ROOT / "openapi.json"
GENERATED_DIR = ROOT / "generated"
PACKAGE_NAME = "avatar_api_client"
CONFIG_PATH = GENERATED_DIR / "config.yml"
# Template overrides: enums also get the published client's lowercase member names.
TEMPLATES_DIR = GENERATED_DIR / "templates"
# Tool caches that the generator's post hooks leave behind.
IGNORED = frozenset({"__pycache__", ".ruff_cache"})


def export_spec() -> str:
    """The server's OpenAPI document as deterministic text (sorted keys, indent 2, newline)."""
    sys.path.insert(0, str(ROOT))
    from avatars_server.app import create_app

    schema: dict[str, Any] = create_app(start_services=False).openapi()
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def generate(spec_path: Path, output_dir: Path) -> Path:
    """Run the pinned generator on `spec_path`; returns the generated package directory."""
    package_dir = output_dir / PACKAGE_NAME
    env = dict(os.environ)
    # The generator's post hooks call `ruff`: use the pinned one from this environment.
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    command = [
        str(Path(sys.executable).parent / "openapi-python-client"),
        "generate",
        "--path",
        str(spec_path),
        "--output-path",
        str(package_dir),
        "--config",
        str(CONFIG_PATH),
        "--custom-template-path",
        str(TEMPLATES_DIR),
        "--meta",
        "none",
        "--fail-on-warning",
        "--overwrite",
    ]
    completed = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        raise RuntimeError(
            f"openapi-python-client failed ({completed.returncode}):\n"
            f"{completed.stdout}\n{completed.stderr}"
        )
    # `--meta none` writes no PEP 561 marker; the package ships its types, so add it here.
    (package_dir / "py.typed").write_text("# Marker file for PEP 561\n", encoding="utf-8")
    return package_dir


def tree_files(directory: Path) -> dict[str, bytes]:
    """Relative path -> content of every file under `directory` (caches ignored)."""
    return {
        str(path.relative_to(directory)): path.read_bytes()
        for path in sorted(directory.rglob("*"))
        if path.is_file() and not any(part in IGNORED for part in path.parts)
    }


def first_difference(expected: dict[str, bytes], actual: dict[str, bytes]) -> str | None:
    """Name the first file that differs between two trees, or None when they are equal."""
    for name in sorted(set(expected) | set(actual)):
        if name not in actual:
            return f"{name} is missing"
        if name not in expected:
            return f"{name} is not expected"
        if expected[name] != actual[name]:
            return f"{name} differs"
    return None
