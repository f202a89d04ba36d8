"""The `compatibility` namespace."""

from __future__ import annotations

from avatar_api_client.api.compatibility import is_client_compatible
from avatar_api_client.models import CompatibilityResponse
from avatars._response import parsed
from avatars.resources._base import Resource


class Compatibility(Resource):
    def is_client_compatible(self, *, timeout: float | None = None) -> CompatibilityResponse:
        """Ask the server whether this client version can talk to it."""
        with self._client.request_options(timeout):
            response = is_client_compatible.sync_detailed(client=self._client.generated)
        return parsed(response, CompatibilityResponse)
