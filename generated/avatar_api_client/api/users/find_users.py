from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.http_validation_error import HTTPValidationError
from ...models.user import User
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    email: None | str | Unset = UNSET,
    username: None | str | Unset = UNSET,
    limit: int | None | Unset = UNSET,
    offset: int | Unset = 0,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_email: None | str | Unset
    if isinstance(email, Unset):
        json_email = UNSET
    else:
        json_email = email
    params["email"] = json_email

    json_username: None | str | Unset
    if isinstance(username, Unset):
        json_username = UNSET
    else:
        json_username = username
    params["username"] = json_username

    json_limit: int | None | Unset
    if isinstance(limit, Unset):
        json_limit = UNSET
    else:
        json_limit = limit
    params["limit"] = json_limit

    params["offset"] = offset

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/users",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | HTTPValidationError | list[User] | None:
    if response.status_code == 200:
        response_200 = []
        _response_200 = response.json()
        for response_200_item_data in _response_200:
            response_200_item = User.from_dict(response_200_item_data)

            response_200.append(response_200_item)

        return response_200

    if response.status_code == 401:
        response_401 = ErrorResponse.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorResponse.from_dict(response.json())

        return response_403

    if response.status_code == 422:
        response_422 = HTTPValidationError.from_dict(response.json())

        return response_422

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorResponse | HTTPValidationError | list[User]]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    email: None | str | Unset = UNSET,
    username: None | str | Unset = UNSET,
    limit: int | None | Unset = UNSET,
    offset: int | Unset = 0,
) -> Response[ErrorResponse | HTTPValidationError | list[User]]:
    """Find Users

    Args:
        email (None | str | Unset):
        username (None | str | Unset):
        limit (int | None | Unset): Most items to return; default and maximum: the server's cap
        offset (int | Unset): Items to skip (for the next page) Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | HTTPValidationError | list[User]]
    """

    kwargs = _get_kwargs(
        email=email,
        username=username,
        limit=limit,
        offset=offset,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    email: None | str | Unset = UNSET,
    username: None | str | Unset = UNSET,
    limit: int | None | Unset = UNSET,
    offset: int | Unset = 0,
) -> ErrorResponse | HTTPValidationError | list[User] | None:
    """Find Users

    Args:
        email (None | str | Unset):
        username (None | str | Unset):
        limit (int | None | Unset): Most items to return; default and maximum: the server's cap
        offset (int | Unset): Items to skip (for the next page) Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | HTTPValidationError | list[User]
    """

    return sync_detailed(
        client=client,
        email=email,
        username=username,
        limit=limit,
        offset=offset,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    email: None | str | Unset = UNSET,
    username: None | str | Unset = UNSET,
    limit: int | None | Unset = UNSET,
    offset: int | Unset = 0,
) -> Response[ErrorResponse | HTTPValidationError | list[User]]:
    """Find Users

    Args:
        email (None | str | Unset):
        username (None | str | Unset):
        limit (int | None | Unset): Most items to return; default and maximum: the server's cap
        offset (int | Unset): Items to skip (for the next page) Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | HTTPValidationError | list[User]]
    """

    kwargs = _get_kwargs(
        email=email,
        username=username,
        limit=limit,
        offset=offset,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    email: None | str | Unset = UNSET,
    username: None | str | Unset = UNSET,
    limit: int | None | Unset = UNSET,
    offset: int | Unset = 0,
) -> ErrorResponse | HTTPValidationError | list[User] | None:
    """Find Users

    Args:
        email (None | str | Unset):
        username (None | str | Unset):
        limit (int | None | Unset): Most items to return; default and maximum: the server's cap
        offset (int | Unset): Items to skip (for the next page) Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | HTTPValidationError | list[User]
    """

    return (
        await asyncio_detailed(
            client=client,
            email=email,
            username=username,
            limit=limit,
            offset=offset,
        )
    ).parsed
