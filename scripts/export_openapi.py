"""Write the server's OpenAPI document to openapi.json (deterministic)."""

from __future__ import annotations

from _contract import SPEC_PATH, export_spec


def main() -> None:
    SPEC_PATH.write_text(export_spec(), encoding="utf-8")
    print(f"wrote {SPEC_PATH}")


if __name__ == "__main__":
    main()
