"""The one place where an HTTP answer becomes a model or a typed exception."""

from __future__ import annotations

from typing import Any, TypeVar

import httpx

from avatar_api_client.types import Response
from avatars.exceptions import status_error_from_response

T = TypeVar("T")


def raise_for_status(response: httpx.Response) -> None:
    """httpx response hook: turn every non-2xx answer into its typed exception.

    Running as a hook means the generated code only ever parses successful bodies.
    """
    if response.is_success:
        return
    response.read()
    request = response.request
    raise status_error_from_response(
        request.method,
        str(request.url),
        response.status_code,
        response.content,
        response.headers,
    )


def parsed(response: Response[Any], expected: type[T]) -> T:
    """The parsed body of a successful generated `Response`, checked against `expected`."""
    value = response.parsed
    if not isinstance(value, expected):
        # Only reachable when the server answers a 2xx that the contract does not describe.
        raise TypeError(
            f"Expected a {expected.__name__} from the server, got {type(value).__name__} "
            f"(status {int(response.status_code)}). Is the server's version compatible?"
        )
    return value


def json_object(response: Response[Any]) -> dict[str, Any]:
    """The body of a successful answer documented as a free-form JSON object."""
    value: Any = response.parsed
    if hasattr(value, "to_dict"):
        result: dict[str, Any] = value.to_dict()
        return result
    if isinstance(value, dict):
        return value
    raise TypeError(f"Expected a JSON object from the server, got {type(value).__name__}.")
