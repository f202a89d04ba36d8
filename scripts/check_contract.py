"""Fail when openapi.json or generated/ drifted from the server.

Checks that the committed openapi.json equals a fresh export of the server, and that a fresh
generation from it equals the committed generated/avatar_api_client/.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from _contract import (
    GENERATED_DIR,
    PACKAGE_NAME,
    ROOT,
    SPEC_PATH,
    export_spec,
    first_difference,
    generate,
    tree_files,
)

FIX = "make generate   (runs scripts/export_openapi.py, then scripts/generate_client.py)"


def check(root: Path) -> list[str]:
    """Return the problems found for the project at `root` (empty when in sync)."""
    problems: list[str] = []
    spec_path = root / SPEC_PATH.relative_to(ROOT)
    committed_pkg = root / GENERATED_DIR.relative_to(ROOT) / PACKAGE_NAME
    if not spec_path.exists():
        return [f"{spec_path} is missing"]
    if spec_path.read_text(encoding="utf-8") != export_spec():
        problems.append("openapi.json differs from what the server exports")
    with tempfile.TemporaryDirectory() as tmp:
        fresh = generate(spec_path, Path(tmp))
        difference = first_difference(tree_files(fresh), tree_files(committed_pkg))
    if difference:
        problems.append(f"generated/{PACKAGE_NAME} is stale: {difference}")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--root", type=Path, default=ROOT, help="project to check")
    args = parser.parse_args()
    problems = check(args.root.resolve())
    if problems:
        for problem in problems:
            print(f"contract drift: {problem}", file=sys.stderr)
        print(f"fix it with: {FIX}", file=sys.stderr)
        return 1
    print("contract OK: openapi.json and generated/ match the server")
    return 0


if __name__ == "__main__":
    sys.exit(main())
