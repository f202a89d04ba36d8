from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.http_validation_error import HTTPValidationError
from ...models.report import Report
from ...models.report_from_batch_create import ReportFromBatchCreate
from ...types import Response


def _get_kwargs(
    *,
    body: ReportFromBatchCreate,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/reports/from_batch",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | HTTPValidationError | Report | None:
    if response.status_code == 201:
        response_201 = Report.from_dict(response.json())

        return response_201

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
) -> Response[ErrorResponse | HTTPValidationError | Report]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: ReportFromBatchCreate,
) -> Response[ErrorResponse | HTTPValidationError | Report]:
    """Create Report From Batch

     A report on an avatarization batch job and the privacy and signal batch jobs run on it:
    the worst privacy metrics over the batches against their targets, the mean signal metrics,
    and a table of every batch's own metrics. `job_id` is the avatarization batch job. An
    identical request returns the same report.

    Args:
        body (ReportFromBatchCreate): A report on an avatarization batch job and the privacy and
            signal batch jobs run on it:
            worst privacy and mean signal over the batches, and a table of every batch.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | HTTPValidationError | Report]
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
    body: ReportFromBatchCreate,
) -> ErrorResponse | HTTPValidationError | Report | None:
    """Create Report From Batch

     A report on an avatarization batch job and the privacy and signal batch jobs run on it:
    the worst privacy metrics over the batches against their targets, the mean signal metrics,
    and a table of every batch's own metrics. `job_id` is the avatarization batch job. An
    identical request returns the same report.

    Args:
        body (ReportFromBatchCreate): A report on an avatarization batch job and the privacy and
            signal batch jobs run on it:
            worst privacy and mean signal over the batches, and a table of every batch.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | HTTPValidationError | Report
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: ReportFromBatchCreate,
) -> Response[ErrorResponse | HTTPValidationError | Report]:
    """Create Report From Batch

     A report on an avatarization batch job and the privacy and signal batch jobs run on it:
    the worst privacy metrics over the batches against their targets, the mean signal metrics,
    and a table of every batch's own metrics. `job_id` is the avatarization batch job. An
    identical request returns the same report.

    Args:
        body (ReportFromBatchCreate): A report on an avatarization batch job and the privacy and
            signal batch jobs run on it:
            worst privacy and mean signal over the batches, and a table of every batch.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | HTTPValidationError | Report]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: ReportFromBatchCreate,
) -> ErrorResponse | HTTPValidationError | Report | None:
    """Create Report From Batch

     A report on an avatarization batch job and the privacy and signal batch jobs run on it:
    the worst privacy metrics over the batches against their targets, the mean signal metrics,
    and a table of every batch's own metrics. `job_id` is the avatarization batch job. An
    identical request returns the same report.

    Args:
        body (ReportFromBatchCreate): A report on an avatarization batch job and the privacy and
            signal batch jobs run on it:
            worst privacy and mean signal over the batches, and a table of every batch.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | HTTPValidationError | Report
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
