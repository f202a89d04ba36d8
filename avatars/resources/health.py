"""The `health` namespace (public routes)."""

from __future__ import annotations

from typing import Any

from avatar_api_client.api.health import get_health, get_health_db, get_root
from avatars._response import json_object
from avatars.resources._base import Resource


class Health(Resource):
    def get_root(self, *, timeout: float | None = None) -> dict[str, Any]:
        """Server name and version."""
        with self._client.request_options(timeout):
            return json_object(get_root.sync_detailed(client=self._client.generated))

    def get_health(self, *, timeout: float | None = None) -> dict[str, Any]:
        """``{"message": "ok"}`` when the server is up."""
        with self._client.request_options(timeout):
            return json_object(get_health.sync_detailed(client=self._client.generated))

    def get_health_db(self, *, timeout: float | None = None) -> dict[str, Any]:
        """``{"message": "ok"}`` when the database answers (503 otherwise)."""
        with self._client.request_options(timeout):
            return json_object(get_health_db.sync_detailed(client=self._client.generated))
