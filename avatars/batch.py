"""Batch avatarization from the client: split, upload, run, reassemble (0.7.3 helpers and one call).

The three 0.7.3 helpers keep their names, arguments and results (``avatars.api`` re-exports them
at their 0.7.3 import path). :func:`avatarize_in_batches` does the whole round trip in one call.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING
from uuid import UUID

import pandas as pd

from avatar_api_client.models import (
    AvatarizationBatchJob,
    AvatarizationBatchJobCreate,
    AvatarizationBatchParameters,
    AvatarizationBatchParametersColumnWeightsType0,
    AvatarizationBatchResult,
    FileType,
    ImputationParameters,
)
from avatars._constants import DEFAULT_JOB_TIMEOUT
from avatars.lib.split import split_covering_every_modality

if TYPE_CHECKING:
    from avatars.client import ApiClient

__all__ = [
    "BatchAvatarization",
    "avatarize_in_batches",
    "download_avatar_dataframe_from_batch",
    "download_sensitive_unshuffled_avatar_dataframe_from_batch",
    "upload_batch_and_get_order",
]


def upload_batch_and_get_order(
    client: ApiClient,
    training: pd.DataFrame,
    splits: Sequence[pd.DataFrame],
    timeout: float | None = None,
    *,
    identifier_variables: Sequence[str] = (),
) -> tuple[UUID, list[UUID], dict[UUID, pd.Index]]:
    """Upload the training batch and the other batches (0.7.3 helper).

    Args:
        client: a logged-in client.
        training: the batch that fits the model; it must hold every modality.
        splits: the other batches.
        timeout: HTTP timeout of each request, in seconds.
        identifier_variables: identifier columns, declared in every batch.

    Returns:
        The training dataset's id, the other batches' ids in order, and for every dataset id
        the row labels of its batch (for the reassembly).
    """
    training_id = client.pandas_integration.upload_dataframe(
        training, timeout=timeout, identifier_variables=identifier_variables
    ).id
    split_ids = [
        client.pandas_integration.upload_dataframe(
            split, timeout=timeout, identifier_variables=identifier_variables
        ).id
        for split in splits
    ]
    order: dict[UUID, pd.Index] = {training_id: training.index}
    for dataset_id, split in zip(split_ids, splits, strict=True):
        order[dataset_id] = split.index
    return training_id, split_ids, order


def download_avatar_dataframe_from_batch(
    client: ApiClient,
    avatarization_batch_result: AvatarizationBatchResult,
    timeout: float | None = None,
    filetype: FileType = FileType.PARQUET,
) -> pd.DataFrame:
    """The shuffled avatars of every batch, concatenated, training batch first (0.7.3 helper)."""
    results = [
        avatarization_batch_result.training_result,
        *avatarization_batch_result.batch_results,
    ]
    frames = [
        client.pandas_integration.download_dataframe(
            str(result.avatars_dataset.id), filetype=filetype, timeout=timeout
        )
        for result in results
    ]
    return pd.concat(frames)


def download_sensitive_unshuffled_avatar_dataframe_from_batch(
    client: ApiClient,
    avatarization_batch_result: AvatarizationBatchResult,
    order: Mapping[UUID, pd.Index],
    timeout: float | None = None,
    filetype: FileType = FileType.PARQUET,
) -> pd.DataFrame:
    """The unshuffled avatars in the original frame's row order (0.7.3 helper).

    Each batch's avatars get the row labels of that batch (``order``, from
    :func:`upload_batch_and_get_order`), then the whole is sorted by label. Sensitive: row r is
    the avatar of original row r.
    """
    results = [
        avatarization_batch_result.training_result,
        *avatarization_batch_result.batch_results,
    ]
    frames = []
    for result in results:
        frame = client.pandas_integration.download_dataframe(
            str(result.sensitive_unshuffled_avatars_datasets.id),
            filetype=filetype,
            timeout=timeout,
        )
        frame.index = order[result.original_id]
        frames.append(frame)
    return pd.concat(frames).sort_index()


@dataclass(frozen=True)
class BatchAvatarization:
    """What :func:`avatarize_in_batches` returns.

    Attributes:
        avatars: the avatars, shuffled (shareable).
        sensitive_unshuffled_avatars: row r is the avatar of the input's row r, with the input's
            index (sensitive: links avatars to originals).
        job: the finished batch job (its datasets, parameters).
        order: the row positions (in ``df``) of each uploaded batch, by dataset id.
    """

    avatars: pd.DataFrame
    sensitive_unshuffled_avatars: pd.DataFrame
    job: AvatarizationBatchJob
    order: dict[UUID, pd.Index]


def avatarize_in_batches(
    client: ApiClient,
    df: pd.DataFrame,
    *,
    k: int,
    row_limit: int,
    ncp: int | None = None,
    seed: int | None = None,
    split_seed: int | None = None,
    categorical: Iterable[str] = (),
    identifier_variables: Sequence[str] = (),
    column_weights: Mapping[str, float] | None = None,
    imputation: ImputationParameters | None = None,
    timeout: float | None = DEFAULT_JOB_TIMEOUT,
    progress: bool = True,
) -> BatchAvatarization:
    """Split ``df`` into batches, avatarize them in one batch job, and reassemble the avatars.

    The training batch holds every modality of every categorical column (object, category,
    bool, and the ``categorical`` ones) and a missing value of every column that has one, so the
    server does not refuse a batch with ``UNSEEN_MODALITY``.

    Args:
        client: a logged-in client.
        df: the table; its index gives the order of the reassembled avatars.
        k: neighbours per avatar; below the smallest batch's row count.
        row_limit: most rows per batch (there are ⌈len(df) / row_limit⌉ batches).
        ncp, seed, column_weights, imputation: the job's parameters.
        split_seed: seed of the random split.
        categorical: numeric columns that code categories (to cover in the training batch).
        identifier_variables: identifier columns (they get surrogate keys).
        timeout: how long to wait for the job, in seconds (None: no limit).
        progress: show a progress bar (batches done / total).

    Returns:
        The avatars shuffled, the unshuffled avatars in ``df``'s order, the job and the order.

    Raises:
        ValueError: the rows needed to cover every modality exceed half of ``row_limit``.
        JobFailedError, JobTimeoutError: the job failed or did not finish in time.
    """
    # Split by position, so the reassembly restores df's order whatever its index.
    positions = df.reset_index(drop=True)
    training, splits = split_covering_every_modality(
        positions,
        row_limit,
        seed=split_seed,
        categorical=categorical,
        identifiers=identifier_variables,
    )
    training_id, split_ids, order = upload_batch_and_get_order(
        client, training, splits, identifier_variables=identifier_variables
    )
    parameters = AvatarizationBatchParameters(
        k=k, training_dataset_id=training_id, dataset_ids=split_ids, seed=seed
    )
    if ncp is not None:
        parameters.ncp = ncp
    if imputation is not None:
        parameters.imputation = imputation
    if column_weights is not None:
        weights = AvatarizationBatchParametersColumnWeightsType0.from_dict(dict(column_weights))
        parameters.column_weights = weights
    created = client.jobs.create_avatarization_batch_job(
        AvatarizationBatchJobCreate(parameters=parameters)
    )
    client.jobs.wait(created.id, timeout=timeout, progress=progress)
    job = client.jobs.get_avatarization_batch_job(created.id, timeout=0)
    result = job.result
    if not isinstance(result, AvatarizationBatchResult):
        raise RuntimeError(f"The batch job {job.id} succeeded but has no result any more.")
    unshuffled = download_sensitive_unshuffled_avatar_dataframe_from_batch(client, result, order)
    unshuffled.index = df.index
    avatars = download_avatar_dataframe_from_batch(client, result).reset_index(drop=True)
    return BatchAvatarization(avatars, unshuffled, job, order)
