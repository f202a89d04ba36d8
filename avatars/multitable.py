"""Multi-table avatarization from DataFrames: upload every table with its keys, describe the
links, run the job, and get the avatar tables back by table name."""

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
    LinkMethod,
    TableLink,
    TableReference,
)
from avatars._constants import DEFAULT_JOB_TIMEOUT

if TYPE_CHECKING:
    from avatars.client import ApiClient


@dataclass(frozen=True)
class Table:
    """One table to avatarize.

    Attributes:
        df: its rows.
        identifiers: its identifier columns: its own key plus one foreign key per parent.
        is_individual_level: one row is one person (root tables must be).
        parameters: its avatarization knobs (`BaseAvatarizationParameters` fields but
            `dataset_id`), e.g. ``{"k": 15}``.
    """

    df: pd.DataFrame
    identifiers: Sequence[str]
    is_individual_level: bool = True
    parameters: Mapping[str, Any] = field(default_factory=lambda: {"k": 5})


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
    """Avatar tables by table name: shareable (shuffled) and sensitive (row i = avatar of
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
    """Upload the tables (named by their keys in ``tables``), avatarize them as linked tables,
    and download the avatars.

    Raises:
        KeyError: a link names a table not in ``tables``.
        UnprocessableEntityError: the tables and links break a rule (the message names it).
        JobFailedError / JobTimeoutError: the job failed or did not finish in ``timeout``.
    """
    ids: dict[str, UUID] = {}
    for name, table in tables.items():
        dataset = client.pandas_integration.upload_dataframe(
            table.df, name, identifier_variables=list(table.identifiers), progress=progress
        )
        ids[name] = dataset.id

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
        table_parameters=[
            BaseAvatarizationParameters.from_dict(
                {**table.parameters, "dataset_id": str(ids[name])}
            )
            for name, table in tables.items()
        ],
        seed=seed,
    )
    created = client.jobs.create_avatarization_multi_table_job(
        AvatarizationMultiTableJobCreate(parameters=parameters)
    )
    job = client.jobs.wait(created.id, timeout=timeout, progress=progress)
    assert isinstance(job, AvatarizationMultiTableJob)
    assert isinstance(job.result, AvatarizationMultiTableResult)
    names = {ids[name]: name for name in tables}
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
