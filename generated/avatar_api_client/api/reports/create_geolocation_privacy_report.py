from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.http_validation_error import HTTPValidationError
from ...models.report import Report
from ...models.report_geolocation_privacy_create import ReportGeolocationPrivacyCreate
from ...types import Response


def _get_kwargs(
    *,
    body: ReportGeolocationPrivacyCreate,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/reports/geolocation_privacy",
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
    body: ReportGeolocationPrivacyCreate,
) -> Response[ErrorResponse | HTTPValidationError | Report]:
    """Create Geolocation Privacy Report

     A report on a geolocation privacy job (POST /jobs/metrics/privacy_geolocation): each
    scenario's metrics against their targets and a map of a sample of the original and treated
    trajectories. `dataset_id` and `avatars_dataset_id` must be the job's original and treated
    datasets; `job_id` is the privacy job. An identical request returns the same report.

    Args:
        body (ReportGeolocationPrivacyCreate): A report on a geolocation privacy job: its per-
            scenario metrics against their targets
            and a map of original and treated trajectories. `dataset_id` and `avatars_dataset_id` are
            the job's original and treated (unshuffled avatar) datasets.

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
    body: ReportGeolocationPrivacyCreate,
) -> ErrorResponse | HTTPValidationError | Report | None:
    """Create Geolocation Privacy Report

     A report on a geolocation privacy job (POST /jobs/metrics/privacy_geolocation): each
    scenario's metrics against their targets and a map of a sample of the original and treated
    trajectories. `dataset_id` and `avatars_dataset_id` must be the job's original and treated
    datasets; `job_id` is the privacy job. An identical request returns the same report.

    Args:
        body (ReportGeolocationPrivacyCreate): A report on a geolocation privacy job: its per-
            scenario metrics against their targets
            and a map of original and treated trajectories. `dataset_id` and `avatars_dataset_id` are
            the job's original and treated (unshuffled avatar) datasets.

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
    body: ReportGeolocationPrivacyCreate,
) -> Response[ErrorResponse | HTTPValidationError | Report]:
    """Create Geolocation Privacy Report

     A report on a geolocation privacy job (POST /jobs/metrics/privacy_geolocation): each
    scenario's metrics against their targets and a map of a sample of the original and treated
    trajectories. `dataset_id` and `avatars_dataset_id` must be the job's original and treated
    datasets; `job_id` is the privacy job. An identical request returns the same report.

    Args:
        body (ReportGeolocationPrivacyCreate): A report on a geolocation privacy job: its per-
            scenario metrics against their targets
            and a map of original and treated trajectories. `dataset_id` and `avatars_dataset_id` are
            the job's original and treated (unshuffled avatar) datasets.

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
    body: ReportGeolocationPrivacyCreate,
) -> ErrorResponse | HTTPValidationError | Report | None:
    """Create Geolocation Privacy Report

     A report on a geolocation privacy job (POST /jobs/metrics/privacy_geolocation): each
    scenario's metrics against their targets and a map of a sample of the original and treated
    trajectories. `dataset_id` and `avatars_dataset_id` must be the job's original and treated
    datasets; `job_id` is the privacy job. An identical request returns the same report.

    Args:
        body (ReportGeolocationPrivacyCreate): A report on a geolocation privacy job: its per-
            scenario metrics against their targets
            and a map of original and treated trajectories. `dataset_id` and `avatars_dataset_id` are
            the job's original and treated (unshuffled avatar) datasets.

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
