"""Multi-table avatarization from DataFrames: upload every table with its keys (and the time
series its individuals carry), describe the links, run the job, and get the avatar tables (and
series) back by name."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from uuid import UUID

import pandas as pd

from avatar_api_client.models import (
    AvatarizationMultiTableJob,
    AvatarizationMultiTableJobCreate,
    AvatarizationMultiTableParameters,
    AvatarizationMultiTableResult,
    BaseAvatarizationParameters,
    BaseAvatarizationWithTimeSeriesParameters,
    LinkMethod,
    TableLink,
    TableReference,
)
from avatars._constants import DEFAULT_JOB_TIMEOUT

if TYPE_CHECKING:
    from avatars.client import ApiClient


@dataclass(frozen=True)
class Series:
    """A time series carried by the rows of a table (method-extended §2, §3.4).

    Attributes:
        df: long format: one row per measure, with ``identifier`` (the key of the table's row
            the measure belongs to), a time column and numeric value columns.
        identifier: the column holding the table's key.
        projection: its ``projection_parameters``: ``{"nf": 3}`` (FPCA) or
            ``{"projection_type": "flatten"}``.
    """

    df: pd.DataFrame
    identifier: str
    projection: Mapping[str, Any] = field(default_factory=lambda: {"nf": 2})


@dataclass(frozen=True)
class Table:
    """One table to avatarize.

    Attributes:
        df: its rows.
        identifiers: its identifier columns: its own key plus one foreign key per parent.
        is_individual_level: one row is one person (root tables must be).
        parameters: its avatarization knobs (`BaseAvatarizationParameters` fields but
            `dataset_id`), e.g. ``{"k": 15}``.
        series: the time series its rows carry, by name (avatarized with the table, §3.4).
    """

    df: pd.DataFrame
    identifiers: Sequence[str]
    is_individual_level: bool = True
    parameters: Mapping[str, Any] = field(default_factory=lambda: {"k": 5})
    series: Mapping[str, Series] = field(default_factory=dict)


@dataclass(frozen=True)
class Link:
    """A parent → child link: ``child_key`` of ``child`` references ``parent_key`` of ``parent``."""

    parent: str
    parent_key: str
    child: str
    child_key: str
    method: LinkMethod = LinkMethod.BOTTOM_PROJECTION


@dataclass(frozen=True)
class MultiTableResult:
    """Avatar tables (and series) by name: shareable (shuffled) and sensitive (row i = avatar of
    original row i), their keys surrogates that resolve across tables; and the finished job."""

    avatars: dict[str, pd.DataFrame]
    sensitive_unshuffled_avatars: dict[str, pd.DataFrame]
    job: AvatarizationMultiTableJob


def avatarize_tables(
    client: ApiClient,
    tables: Mapping[str, Table],
    links: Sequence[Link],
    *,
    seed: int | None = None,
    timeout: float | None = DEFAULT_JOB_TIMEOUT,
    progress: bool = False,
) -> MultiTableResult:
    """Upload the tables (named by their keys in ``tables``) and their series, avatarize them
    as linked tables, and download the avatars, by table and series name.

    Raises:
        ValueError: a series has the name of a table or of another series.
        KeyError: a link names a table not in ``tables``.
        UnprocessableEntityError: the tables and links break a rule (the message names it).
        JobFailedError / JobTimeoutError: the job failed or did not finish in ``timeout``.
    """
    series_names = [name for table in tables.values() for name in table.series]
    clashes = sorted({n for n in series_names if n in tables or series_names.count(n) > 1})
    if clashes:
        raise ValueError(
            f"series names must differ from table names and from each other: {clashes}; "
            "rename them (results are returned by name)"
        )
    upload = client.pandas_integration.upload_dataframe
    ids: dict[str, UUID] = {}
    for name, table in tables.items():
        ids[name] = upload(
            table.df, name, identifier_variables=list(table.identifiers), progress=progress
        ).id
        for series_name, series in table.series.items():
            ids[series_name] = upload(
                series.df, series_name, identifier_variables=[series.identifier], progress=progress
            ).id

    def reference(name: str) -> TableReference:
        return TableReference(
            dataset_id=ids[name], is_individual_level=tables[name].is_individual_level
        )

    parameters = AvatarizationMultiTableParameters(
        table_links=[
            TableLink(
                parent_table=reference(link.parent),
                child_table=reference(link.child),
                parent_link_key=link.parent_key,
                child_link_key=link.child_key,
                link_method=link.method,
            )
            for link in links
        ],
        table_parameters=[_table_parameters(name, table, ids) for name, table in tables.items()],
        seed=seed,
    )
    created = client.jobs.create_avatarization_multi_table_job(
        AvatarizationMultiTableJobCreate(parameters=parameters)
    )
    job = client.jobs.wait(created.id, timeout=timeout, progress=progress)
    assert isinstance(job, AvatarizationMultiTableJob)
    assert isinstance(job.result, AvatarizationMultiTableResult)
    names = {dataset_id: name for name, dataset_id in ids.items()}
    avatars: dict[str, pd.DataFrame] = {}
    unshuffled: dict[str, pd.DataFrame] = {}
    for entry in job.result.datasets:
        name = names[entry.original_id]
        avatars[name] = client.pandas_integration.download_dataframe(
            entry.avatars_dataset.id, progress=progress
        )
        unshuffled[name] = client.pandas_integration.download_dataframe(
            entry.sensitive_unshuffled_avatars_datasets.id, progress=progress
        )
    return MultiTableResult(avatars, unshuffled, job)


def _table_parameters(
    name: str, table: Table, ids: Mapping[str, UUID]
) -> BaseAvatarizationParameters | BaseAvatarizationWithTimeSeriesParameters:
    """A table's entry of ``table_parameters``: with series, its vanilla and their projections."""
    if not table.series:
        return BaseAvatarizationParameters.from_dict(
            {**table.parameters, "dataset_id": str(ids[name])}
        )
    return BaseAvatarizationWithTimeSeriesParameters.from_dict(
        {
            **table.parameters,
            "vanilla_dataset_id": str(ids[name]),
            "time_series": [
                {"dataset_id": str(ids[series_name]), "projection_parameters": dict(s.projection)}
                for series_name, s in table.series.items()
            ],
        }
    )
