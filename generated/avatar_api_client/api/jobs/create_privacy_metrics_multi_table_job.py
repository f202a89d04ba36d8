from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.http_validation_error import HTTPValidationError
from ...models.privacy_metrics_multi_table_job import PrivacyMetricsMultiTableJob
from ...models.privacy_metrics_multi_table_job_create import (
    PrivacyMetricsMultiTableJobCreate,
)
from ...types import Response


def _get_kwargs(
    *,
    body: PrivacyMetricsMultiTableJobCreate,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/jobs/metrics/privacy_multi_table",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | HTTPValidationError | PrivacyMetricsMultiTableJob | None:
    if response.status_code == 201:
        response_201 = PrivacyMetricsMultiTableJob.from_dict(response.json())

        return response_201

    if response.status_code == 401:
        response_401 = ErrorResponse.from_dict(response.json())

        return response_401

    if response.status_code == 404:
        response_404 = ErrorResponse.from_dict(response.json())

        return response_404

    if response.status_code == 422:
        response_422 = HTTPValidationError.from_dict(response.json())

        return response_422

    if response.status_code == 503:
        response_503 = ErrorResponse.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorResponse | HTTPValidationError | PrivacyMetricsMultiTableJob]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: PrivacyMetricsMultiTableJobCreate,
) -> Response[ErrorResponse | HTTPValidationError | PrivacyMetricsMultiTableJob]:
    """Create Privacy Metrics Multi Table Job

     Privacy metrics of linked avatar tables, per table and computation type.

    Args:
        body (PrivacyMetricsMultiTableJobCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | HTTPValidationError | PrivacyMetricsMultiTableJob]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: PrivacyMetricsMultiTableJobCreate,
) -> ErrorResponse | HTTPValidationError | PrivacyMetricsMultiTableJob | None:
    """Create Privacy Metrics Multi Table Job

     Privacy metrics of linked avatar tables, per table and computation type.

    Args:
        body (PrivacyMetricsMultiTableJobCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | HTTPValidationError | PrivacyMetricsMultiTableJob
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: PrivacyMetricsMultiTableJobCreate,
) -> Response[ErrorResponse | HTTPValidationError | PrivacyMetricsMultiTableJob]:
    """Create Privacy Metrics Multi Table Job

     Privacy metrics of linked avatar tables, per table and computation type.

    Args:
        body (PrivacyMetricsMultiTableJobCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | HTTPValidationError | PrivacyMetricsMultiTableJob]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: PrivacyMetricsMultiTableJobCreate,
) -> ErrorResponse | HTTPValidationError | PrivacyMetricsMultiTableJob | None:
    """Create Privacy Metrics Multi Table Job

     Privacy metrics of linked avatar tables, per table and computation type.

    Args:
        body (PrivacyMetricsMultiTableJobCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | HTTPValidationError | PrivacyMetricsMultiTableJob
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
