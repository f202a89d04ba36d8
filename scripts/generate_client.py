"""Regenerate generated/avatar_api_client/ from openapi.json with the pinned generator."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from _contract import GENERATED_DIR, IGNORED, PACKAGE_NAME, SPEC_PATH, generate


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        package_dir = generate(SPEC_PATH, Path(tmp))
        target = GENERATED_DIR / PACKAGE_NAME
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(package_dir, target, ignore=shutil.ignore_patterns(*IGNORED))
    print(f"regenerated {GENERATED_DIR / PACKAGE_NAME}")


if __name__ == "__main__":
    main()
