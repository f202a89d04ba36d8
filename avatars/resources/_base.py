"""Base class of the namespaces: holds the client."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from avatars.client import ApiClient


class Resource:
    """A namespace of client methods (`client.<namespace>.<method>`)."""

    def __init__(self, client: ApiClient) -> None:
        self._client = client
