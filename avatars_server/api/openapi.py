"""OpenAPI document tweaks so the pinned generator produces a correct client."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from avatars_server.schemas.common import HTTPValidationError


def _binary_uploads(node: Any) -> None:
    """FastAPI >= 0.129 marks uploads `contentMediaType`; openapi-python-client 0.29 needs
    `format: binary` to generate File fields (and lists of them)."""
    if isinstance(node, dict):
        if node.get("type") == "string" and node.get("contentMediaType") == (
            "application/octet-stream"
        ):
            del node["contentMediaType"]
            node["format"] = "binary"
        for value in node.values():
            _binary_uploads(value)
    elif isinstance(node, list):
        for value in node:
            _binary_uploads(value)


def _our_validation_error(schema: dict[str, Any]) -> None:
    """FastAPI writes its own HTTPValidationError over ours; put ours (with `message`) back."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    ours = HTTPValidationError.model_json_schema(ref_template="#/components/schemas/{model}")
    components.update(ours.pop("$defs", {}))
    components["HTTPValidationError"] = ours


def install_openapi(app: FastAPI) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
            )
            _binary_uploads(schema)
            _our_validation_error(schema)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
