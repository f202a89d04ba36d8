from http import HTTPStatus
from typing import Any
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.contributions import Contributions
from ...models.error_response import ErrorResponse
from ...models.http_validation_error import HTTPValidationError
from ...types import UNSET, Response


def _get_kwargs(
    *,
    job_id: UUID,
    dataset_id: UUID,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_job_id = str(job_id)
    params["job_id"] = json_job_id

    json_dataset_id = str(dataset_id)
    params["dataset_id"] = json_dataset_id

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/contributions",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Contributions | ErrorResponse | HTTPValidationError | None:
    if response.status_code == 200:
        response_200 = Contributions.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = ErrorResponse.from_dict(response.json())

        return response_401

    if response.status_code == 404:
        response_404 = ErrorResponse.from_dict(response.json())

        return response_404

    if response.status_code == 409:
        response_409 = ErrorResponse.from_dict(response.json())

        return response_409

    if response.status_code == 422:
        response_422 = HTTPValidationError.from_dict(response.json())

        return response_422

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Contributions | ErrorResponse | HTTPValidationError]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    job_id: UUID,
    dataset_id: UUID,
) -> Response[Contributions | ErrorResponse | HTTPValidationError]:
    """Get Variable Contributions

     Contribution in percent of each variable to each component, on the given dataset.

    Args:
        job_id (UUID): An avatarization or privacy metrics job
        dataset_id (UUID): The job's original dataset, or one of its avatar datasets

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Contributions | ErrorResponse | HTTPValidationError]
    """

    kwargs = _get_kwargs(
        job_id=job_id,
        dataset_id=dataset_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    job_id: UUID,
    dataset_id: UUID,
) -> Contributions | ErrorResponse | HTTPValidationError | None:
    """Get Variable Contributions

     Contribution in percent of each variable to each component, on the given dataset.

    Args:
        job_id (UUID): An avatarization or privacy metrics job
        dataset_id (UUID): The job's original dataset, or one of its avatar datasets

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Contributions | ErrorResponse | HTTPValidationError
    """

    return sync_detailed(
        client=client,
        job_id=job_id,
        dataset_id=dataset_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    job_id: UUID,
    dataset_id: UUID,
) -> Response[Contributions | ErrorResponse | HTTPValidationError]:
    """Get Variable Contributions

     Contribution in percent of each variable to each component, on the given dataset.

    Args:
        job_id (UUID): An avatarization or privacy metrics job
        dataset_id (UUID): The job's original dataset, or one of its avatar datasets

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Contributions | ErrorResponse | HTTPValidationError]
    """

    kwargs = _get_kwargs(
        job_id=job_id,
        dataset_id=dataset_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    job_id: UUID,
    dataset_id: UUID,
) -> Contributions | ErrorResponse | HTTPValidationError | None:
    """Get Variable Contributions

     Contribution in percent of each variable to each component, on the given dataset.

    Args:
        job_id (UUID): An avatarization or privacy metrics job
        dataset_id (UUID): The job's original dataset, or one of its avatar datasets

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Contributions | ErrorResponse | HTTPValidationError
    """

    return (
        await asyncio_detailed(
            client=client,
            job_id=job_id,
            dataset_id=dataset_id,
        )
    ).parsed
