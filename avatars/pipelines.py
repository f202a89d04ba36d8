"""The `pipelines` namespace: processors around an avatarization job, then metrics."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any
from uuid import UUID

import numpy as np
import pandas as pd
from tqdm import tqdm

from avatar_api_client.models import (
    AvatarizationJobCreate,
    PrivacyMetricsJobCreate,
    PrivacyMetricsParameters,
    SignalMetricsJobCreate,
    SignalMetricsParameters,
)
from avatars._constants import DEFAULT_JOB_TIMEOUT
from avatars._pipeline_models import AvatarizationPipelineCreate, AvatarizationPipelineResult
from avatars.exceptions import JobFailedError
from avatars.multitable import Link, MultiTableResult, Table, avatarize_tables
from avatars.resources._base import Resource
from avatars.waiting import finished_job, job_error_message, job_status

_STEPS = (
    "preprocess",
    "upload",
    "avatarization",
    "download",
    "postprocess",
    "upload avatars",
    "metrics",
)


class Pipelines(Resource):
    def avatarization_multi_table(
        self,
        tables: Mapping[str, Table],
        links: Sequence[Link],
        *,
        seed: int | None = None,
        timeout: float | None = DEFAULT_JOB_TIMEOUT,
        progress: bool = False,
    ) -> MultiTableResult:
        """Upload DataFrames with their keys and links, avatarize them as linked tables, and
        return the avatar tables by table name (see `avatars.multitable.avatarize_tables`)."""
        return avatarize_tables(
            self._client, tables, links, seed=seed, timeout=timeout, progress=progress
        )

    def avatarization_pipeline_with_processors(
        self,
        request: AvatarizationPipelineCreate,
        *,
        timeout: float | None = DEFAULT_JOB_TIMEOUT,
        per_request_timeout: float | None = None,
        progress: bool = True,
    ) -> AvatarizationPipelineResult:
        """Preprocess, avatarize, postprocess, then compute privacy and signal metrics.

        Args:
            request: the job, the processors and the original frame.
            timeout: how long to wait for each job, in seconds (None: no limit).
            per_request_timeout: HTTP timeout of each call, in seconds.
            progress: show a progress bar over the steps.

        Returns:
            The post-processed avatars, shuffled, with their privacy and signal metrics.

        Raises:
            JobFailedError: a job failed; its message says why.
            JobTimeoutError: a job did not finish within `timeout` (pass a larger one).
        """
        client = self._client
        original_id = request.avatarization_job_create.parameters.dataset_id
        bar = tqdm(total=len(_STEPS), desc="pipeline", unit="step", disable=not progress)
        try:
            step = _stepper(bar)
            step("preprocess")
            pre = request.df.copy()
            for processor in request.processors:
                pre = processor.preprocess(pre)

            step("upload")
            uploaded = client.pandas_integration.upload_dataframe(
                pre, timeout=per_request_timeout, progress=progress
            )
            job_create = AvatarizationJobCreate.from_dict(
                request.avatarization_job_create.to_dict()
            )
            job_create.parameters.dataset_id = uploaded.id

            step("avatarization")
            job = client.jobs.create_avatarization_job(job_create, timeout=per_request_timeout)
            job = client.jobs.get_avatarization_job(
                job.id, timeout=timeout, per_request_timeout=per_request_timeout
            )
            result = _finished(job, timeout)

            step("download")
            avatars = client.pandas_integration.download_dataframe(
                result.sensitive_unshuffled_avatars_datasets.id, timeout=per_request_timeout
            )

            step("postprocess")
            for processor in reversed(request.processors):
                avatars = processor.postprocess(request.df, avatars)

            step("upload avatars")
            unshuffled = client.pandas_integration.upload_dataframe(
                avatars, timeout=per_request_timeout
            )

            step("metrics")
            privacy_job = client.jobs.create_privacy_metrics_job(
                PrivacyMetricsJobCreate(
                    parameters=PrivacyMetricsParameters(
                        original_id=original_id, unshuffled_avatars_id=unshuffled.id
                    )
                ),
                timeout=per_request_timeout,
            )
            signal_job = client.jobs.create_signal_metrics_job(
                SignalMetricsJobCreate(
                    parameters=SignalMetricsParameters(
                        original_id=original_id, avatars_id=unshuffled.id
                    )
                ),
                timeout=per_request_timeout,
            )
            signal = _finished(
                client.jobs.get_signal_metrics(
                    signal_job.id, timeout=timeout, per_request_timeout=per_request_timeout
                ),
                timeout,
            )
            privacy = _finished(
                client.jobs.get_privacy_metrics(
                    privacy_job.id, timeout=timeout, per_request_timeout=per_request_timeout
                ),
                timeout,
            )
            bar.update(1)
        finally:
            bar.close()

        return AvatarizationPipelineResult(
            privacy_metrics=privacy,
            signal_metrics=signal,
            post_processed_avatars=shuffle_rows(avatars),
            avatarization_job_id=UUID(str(job.id)),
            signal_job_id=UUID(str(signal_job.id)),
            privacy_job_id=UUID(str(privacy_job.id)),
        )


def _stepper(bar: tqdm[Any]) -> Callable[[str], None]:
    started = False

    def step(name: str) -> None:
        nonlocal started
        if started:
            bar.update(1)
        started = True
        bar.set_postfix_str(name)

    return step


def _finished(job: Any, timeout: float | None) -> Any:
    """The result of a finished job; raises when it failed, is still running, or (having
    succeeded) has no result left (its result datasets were deleted meanwhile)."""
    status = job_status(job)
    finished_job(
        job.id, job, status=status, error_message=job_error_message(job), waited=timeout or 0.0
    )
    if not job.result:
        raise JobFailedError(
            job.id,
            "it succeeded but its result is gone (were its result datasets deleted?). "
            "Run the pipeline again.",
            job=job,
            status=status,
        )
    return job.result


def shuffle_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows in a fresh random order with the index reset.

    Unseeded on purpose: the released rows must not follow the originals' order.
    """
    order = np.random.default_rng().permutation(len(frame))
    return frame.iloc[order].reset_index(drop=True)
