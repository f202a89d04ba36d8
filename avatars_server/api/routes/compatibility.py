"""Routes of the `compatibility` tag."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header

from avatars_server import __version__
from avatars_server.compatibility import check_client
from avatars_server.schemas.auth import CompatibilityResponse

router = APIRouter(tags=["compatibility"])


@router.get(
    "/check_client", operation_id="is_client_compatible", response_model=CompatibilityResponse
)
def is_client_compatible(
    user_agent: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> CompatibilityResponse:
    """Tell whether the calling client (from its User-Agent) can talk to this server."""
    return check_client(user_agent, __version__)
