from http import HTTPStatus
from io import BytesIO
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.file_type import FileType
from ...models.http_validation_error import HTTPValidationError
from ...types import UNSET, File, Response, Unset


def _get_kwargs(
    id: UUID,
    *,
    filetype: FileType | None | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_filetype: None | str | Unset
    if isinstance(filetype, Unset):
        json_filetype = UNSET
    elif isinstance(filetype, FileType):
        json_filetype = filetype.value
    else:
        json_filetype = filetype
    params["filetype"] = json_filetype

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/datasets/{id}/download/stream".format(
            id=quote(str(id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | File | HTTPValidationError | None:
    if response.status_code == 200:
        response_200 = File(payload=BytesIO(response.content))

        return response_200

    if response.status_code == 401:
        response_401 = ErrorResponse.from_dict(response.json())

        return response_401

    if response.status_code == 404:
        response_404 = ErrorResponse.from_dict(response.json())

        return response_404

    if response.status_code == 422:
        response_422 = HTTPValidationError.from_dict(response.json())

        return response_422

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorResponse | File | HTTPValidationError]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    id: UUID,
    *,
    client: AuthenticatedClient,
    filetype: FileType | None | Unset = UNSET,
) -> Response[ErrorResponse | File | HTTPValidationError]:
    """Download Dataset As Stream

     The dataset's file, streamed in chunks (converted when another format is asked).

    Args:
        id (UUID):
        filetype (FileType | None | Unset): Format of the file; default: the dataset's stored
            format

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | File | HTTPValidationError]
    """

    kwargs = _get_kwargs(
        id=id,
        filetype=filetype,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    id: UUID,
    *,
    client: AuthenticatedClient,
    filetype: FileType | None | Unset = UNSET,
) -> ErrorResponse | File | HTTPValidationError | None:
    """Download Dataset As Stream

     The dataset's file, streamed in chunks (converted when another format is asked).

    Args:
        id (UUID):
        filetype (FileType | None | Unset): Format of the file; default: the dataset's stored
            format

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | File | HTTPValidationError
    """

    return sync_detailed(
        id=id,
        client=client,
        filetype=filetype,
    ).parsed


async def asyncio_detailed(
    id: UUID,
    *,
    client: AuthenticatedClient,
    filetype: FileType | None | Unset = UNSET,
) -> Response[ErrorResponse | File | HTTPValidationError]:
    """Download Dataset As Stream

     The dataset's file, streamed in chunks (converted when another format is asked).

    Args:
        id (UUID):
        filetype (FileType | None | Unset): Format of the file; default: the dataset's stored
            format

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | File | HTTPValidationError]
    """

    kwargs = _get_kwargs(
        id=id,
        filetype=filetype,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: UUID,
    *,
    client: AuthenticatedClient,
    filetype: FileType | None | Unset = UNSET,
) -> ErrorResponse | File | HTTPValidationError | None:
    """Download Dataset As Stream

     The dataset's file, streamed in chunks (converted when another format is asked).

    Args:
        id (UUID):
        filetype (FileType | None | Unset): Format of the file; default: the dataset's stored
            format

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | File | HTTPValidationError
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            filetype=filetype,
        )
    ).parsed
