"""Batch job steps: avatarization over batches (one task per batch) and the batch metrics.

The avatarization fans out (``jobs/fan_out.py``): ``prepare`` runs pass 1 over every batch, fits
the model on the training batch and writes it to the job's working directory (under the data
directory, which every worker shares); each batch is then one ``run_part`` task; ``finish``
assembles the result in the server. The metrics jobs fan out the same way, one task per pair
(``privacy_*``, ``signal_*``).
"""

from __future__ import annotations

import os
import pickle
import socket
import uuid
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from avatars_server.config import Settings
from avatars_server.jobs.context import JobContext, JobFailure
from avatars_server.jobs.fan_out import work_dir
from avatars_server.jobs.steps.avatarization import avatarization_config
from avatars_server.jobs.steps.common import (
    categorical,
    conform,
    finite,
    finite_or_none,
    identifiers,
    load_dataset,
    variables,
)
from avatars_server.jobs.steps.metrics import privacy_config, signal_metrics
from avatars_server.schemas.metrics import OPTIONAL_PRIVACY_METRICS, REQUIRED_PRIVACY_METRICS

if TYPE_CHECKING:
    import pandas as pd

    from avatars_server.datasets.columns import ColumnDescriptor
    from avatars_server.engine.batch import BatchModel
    from avatars_server.engine.privacy import PrivacyMetricsResult
    from avatars_server.storage.tables import DatasetRow

_MODEL_FILE = "model.pickle"
EXECUTED: deque[tuple[str, int]] = deque(maxlen=10_000)
"""(job id, batch index) of the last batches this process avatarized: lets a test (or an operator
with ``distributed.Client.run``) see which worker ran which batch."""


def batch_ids(parameters: Mapping[str, Any]) -> list[uuid.UUID]:
    """The training batch, then the other batches in request order."""
    return [uuid.UUID(str(parameters["training_dataset_id"]))] + [
        uuid.UUID(str(d)) for d in parameters["dataset_ids"]
    ]


def batch_name(index: int, dataset_id: uuid.UUID | str) -> str:
    """How messages name a batch: its place in the request and its dataset id."""
    where = "training_dataset_id" if index == 0 else f"dataset_ids[{index - 1}]"
    return f"{where} ({dataset_id})"


def _save(context: JobContext, value: Any) -> None:
    folder = work_dir(context.settings, context.job_id)
    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / (_MODEL_FILE + ".part")
    with partial.open("wb") as handle:
        pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
    partial.replace(folder / _MODEL_FILE)


def _load(settings: Settings, job_id: uuid.UUID) -> Any:
    with (work_dir(settings, job_id) / _MODEL_FILE).open("rb") as handle:
        return pickle.load(handle)  # written by this job's own prepare step


# -- avatarization: prepare, parts, finish -----------------------------------------------------
def prepare(
    context: JobContext, owner_id: uuid.UUID, parameters: Mapping[str, Any]
) -> list[dict[str, Any]]:
    """Pass 1 over every batch, the fit on the training batch; the parts' arguments."""
    from avatars_server.engine.batch import batch_entropy, fit_batch_model
    from avatars_server.engine.batch_pass1 import check_unseen, summarize_batch

    ids = batch_ids(parameters)
    config = avatarization_config(parameters)
    summaries = []
    training: pd.DataFrame | None = None
    training_row: DatasetRow | None = None
    for index, dataset_id in enumerate(ids):
        context.report(f"reading batch {index + 1}/{len(ids)}", 0.0)
        row, frame = load_dataset(context, dataset_id, owner_id)
        summaries.append(summarize_batch(frame, identifiers(row.columns)))
        if index == 0:
            training, training_row = frame, row
        del frame
    assert training is not None and training_row is not None
    check_unseen(
        summaries[0],
        [(batch_name(j, ids[j]), summary) for j, summary in enumerate(summaries) if j > 0],
    )
    context.report("fitting on the training batch", 0.0)
    entropy = batch_entropy(config.seed)
    model = fit_batch_model(
        training,
        config,
        summaries,
        entropy=entropy,
        identifiers=identifiers(training_row.columns),
        max_dimensions=context.settings.max_encoded_dimensions,
    )
    # The entropy stays in the working directory (removed with it), never in the database.
    _save(context, (model, entropy))
    offsets = [0]
    for summary in summaries[:-1]:
        offsets.append(offsets[-1] + summary.n_rows)
    return [
        {"index": j, "dataset_id": str(dataset_id), "offset": offsets[j]}
        for j, dataset_id in enumerate(ids)
    ]


def _load_model(settings: Settings, job_id: uuid.UUID) -> tuple[BatchModel, int]:
    model, entropy = _load(settings, job_id)
    return model, int(entropy)


def _store(
    context: JobContext,
    frame: pd.DataFrame,
    original: DatasetRow,
    columns: Sequence[ColumnDescriptor],
    suffix: str,
) -> str:
    from avatars_server.storage.datasets import store_dataframe

    with context.session() as session:
        row = store_dataframe(
            session,
            context.settings,
            frame,
            owner_id=original.owner_id,
            columns=columns,
            filetype=original.filetype,
            name=f"{original.name or 'batch'} ({suffix})",
        )
        session.commit()
        return str(row.id)


def run_part(
    context: JobContext,
    owner_id: uuid.UUID,
    parameters: Mapping[str, Any],
    part: Mapping[str, Any],
) -> dict[str, Any]:
    """Avatarize one batch in the fitted model and store its two result datasets."""
    from avatars_server.engine.batch import avatarize_batch, batch_seed
    from avatars_server.jobs.steps.avatarization import result_columns

    index = int(part["index"])
    model, entropy = _load_model(context.settings, context.job_id)
    row, frame = load_dataset(context, uuid.UUID(part["dataset_id"]), owner_id)
    # Identifier columns hold surrogate keys numbered across the batches (ext. §0.2, §1).
    output = avatarize_batch(
        model,
        frame,
        batch_seed(entropy, index),
        name=batch_name(index, row.id),
        identifiers=identifiers(row.columns),
        key_offset=int(part["offset"]),
    )
    del frame
    avatars, unshuffled = output.avatars, output.unshuffled
    columns = result_columns(row.columns or [], avatars)
    EXECUTED.append((str(context.job_id), index))
    return {
        "index": index,
        "original_id": str(row.id),
        "avatars_dataset_id": _store(context, avatars, row, columns, "avatars"),
        "sensitive_unshuffled_avatars_datasets_id": _store(
            context, unshuffled, row, columns, "sensitive unshuffled avatars"
        ),
        "ncp": model.ncp,
        "worker": f"{socket.gethostname()}:{os.getpid()}",
    }


def finish(parameters: Mapping[str, Any], results: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The job's stored result: the training batch's datasets, then each batch's, in order."""

    def one(result: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "original_id": result["original_id"],
            "avatars_dataset_id": result["avatars_dataset_id"],
            "sensitive_unshuffled_avatars_datasets_id": result[
                "sensitive_unshuffled_avatars_datasets_id"
            ],
            "worker": result.get("worker"),
        }

    return {
        "training_result": one(results[0]),
        "batch_results": [one(result) for result in results[1:]],
        # Not on the wire: a batch metrics job reuses the ncp actually used.
        "ncp": results[0].get("ncp"),
    }


# -- batch metrics ----------------------------------------------------------------------------
def pairs(
    context: JobContext, owner_id: uuid.UUID, parameters: Mapping[str, Any], avatars_key: str
) -> tuple[list[tuple[str, str]], int | None]:
    """The (original, avatars) dataset ids of every pair, training first, and the batch job's
    ncp when the pairs come from a batch job."""
    job_id = parameters.get("avatarization_batch_job_id")
    if not job_id:
        training = parameters["training_dataset_mapping"]
        mappings = [training, *(parameters.get("batch_dataset_mappings") or [])]
        return [(str(m["original_id"]), str(m[avatars_key])) for m in mappings], None
    from avatars_server.storage import jobs

    result_key = (
        "sensitive_unshuffled_avatars_datasets_id"
        if avatars_key == "unshuffled_avatars_id"
        else "avatars_dataset_id"
    )
    with context.session() as session:
        row = jobs.get_job(session, uuid.UUID(str(job_id)))
        if row is None or row.owner_id != owner_id or row.status != "success" or not row.result:
            raise JobFailure(
                f"The avatarization batch job {job_id} has no result any more; run it again."
            )
        stored = dict(row.result)
    results = [stored["training_result"], *stored["batch_results"]]
    found = [(str(r["original_id"]), str(r[result_key])) for r in results]
    return found, stored.get("ncp")


def _privacy_wire(result: PrivacyMetricsResult) -> dict[str, Any]:
    metrics: dict[str, Any] = {
        name: finite(getattr(result, name), name) for name in REQUIRED_PRIVACY_METRICS
    }
    for name in OPTIONAL_PRIVACY_METRICS:
        metrics[name] = finite_or_none(getattr(result, name))
    return metrics


def _aggregate(per_pair: Sequence[Mapping[str, Any]], fields: Sequence[str]) -> Any:
    from avatars_server.engine.batch_metrics import aggregate_privacy

    return aggregate_privacy([{f: p[f] for f in fields} for p in per_pair])


def _pair_parts(
    found: Sequence[tuple[str, str]], columns: Sequence[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    return [
        {"index": i, "original_id": o, "avatars_id": a, "columns": [dict(c) for c in columns]}
        for i, (o, a) in enumerate(found)
    ]


def privacy_prepare(
    context: JobContext, owner_id: uuid.UUID, parameters: Mapping[str, Any]
) -> list[dict[str, Any]]:
    """Fit the metric model on the training original (§1.7 step 1); one part per pair."""
    from avatars_server.engine.batch import batch_entropy
    from avatars_server.engine.batch_metrics import fit_batch_metric_model

    found, batch_ncp = pairs(context, owner_id, parameters, "unshuffled_avatars_id")
    common = dict(parameters.get("common_parameters") or {})
    if common.get("ncp") is None and batch_ncp is not None:
        common["ncp"] = batch_ncp
    config = replace(privacy_config(common), seed=parameters.get("seed"))
    context.report("fitting on the training original", 0.0)
    training_row, training = load_dataset(context, uuid.UUID(found[0][0]), owner_id)
    columns = training_row.columns
    model = fit_batch_metric_model(
        conform(training, columns),
        config,
        categorical=categorical(columns),
        entropy=batch_entropy(config.seed),
    )
    _save(context, (model, config))
    return _pair_parts(found, columns)


def privacy_run_part(
    context: JobContext,
    owner_id: uuid.UUID,
    parameters: Mapping[str, Any],
    part: Mapping[str, Any],
) -> dict[str, Any]:
    """Every privacy metric of one pair, in the training original's model."""
    from avatars_server.engine import PRIVACY_TARGETS
    from avatars_server.engine.batch_metrics import batch_privacy_metrics

    model, config = _load(context.settings, context.job_id)
    index, columns = int(part["index"]), part["columns"]
    original = conform(load_dataset(context, uuid.UUID(part["original_id"]), owner_id)[1], columns)
    avatars = conform(load_dataset(context, uuid.UUID(part["avatars_id"]), owner_id)[1], columns)
    result = batch_privacy_metrics(
        model,
        original,
        avatars,
        config,
        name=batch_name(index, part["original_id"]),
        fitted=index == 0,
    )
    EXECUTED.append((str(context.job_id), index))
    return {
        **_privacy_wire(result),
        "targets": dict(PRIVACY_TARGETS),
        "original_id": part["original_id"],
        "unshuffled_avatars_id": part["avatars_id"],
    }


def privacy_finish(
    parameters: Mapping[str, Any], results: Sequence[Mapping[str, Any]]
) -> dict[str, Any]:
    """Worst and mean over all pairs, training included (§1.7 step 4)."""
    from avatars_server.engine import PRIVACY_TARGETS

    fields = [*REQUIRED_PRIVACY_METRICS, *OPTIONAL_PRIVACY_METRICS]
    worst, mean = _aggregate(results, fields)
    for aggregate in (worst, mean):
        for name in REQUIRED_PRIVACY_METRICS:
            aggregate[name] = finite(aggregate[name], name)
        aggregate["targets"] = dict(PRIVACY_TARGETS)
    return {
        "worst_metrics": worst,
        "mean_metrics": mean,
        "training_metrics": dict(results[0]),
        "batch_metrics": [dict(r) for r in results[1:]],
    }


def signal_prepare(
    context: JobContext, owner_id: uuid.UUID, parameters: Mapping[str, Any]
) -> list[dict[str, Any]]:
    """One part per pair; the columns' roles come from the training original."""
    from avatars_server.storage.datasets import get_owned_dataset

    found, _ = pairs(context, owner_id, parameters, "avatars_id")
    with context.session() as session:
        columns = list(get_owned_dataset(session, uuid.UUID(found[0][0]), owner_id).columns)
    return _pair_parts(found, variables(columns))


def signal_run_part(
    context: JobContext,
    owner_id: uuid.UUID,
    parameters: Mapping[str, Any],
    part: Mapping[str, Any],
) -> dict[str, Any]:
    """The signal metrics of one pair (method.md §6 on that pair)."""
    _, original = load_dataset(context, uuid.UUID(part["original_id"]), owner_id)
    _, avatars = load_dataset(context, uuid.UUID(part["avatars_id"]), owner_id)
    metrics = signal_metrics(original, avatars, part["columns"])
    EXECUTED.append((str(context.job_id), int(part["index"])))
    return {**metrics, "original_id": part["original_id"], "avatars_id": part["avatars_id"]}


def signal_finish(
    parameters: Mapping[str, Any], results: Sequence[Mapping[str, Any]]
) -> dict[str, Any]:
    """The unweighted mean of every field over all pairs, training included (§1.8)."""
    from avatars_server.engine import SIGNAL_TARGETS

    fields = ["hellinger_mean", "hellinger_std", "correlation_difference_ratio"]
    _, mean = _aggregate(results, fields)
    for name in ("hellinger_mean", "hellinger_std"):
        mean[name] = finite(mean[name], name)
    mean["targets"] = dict(SIGNAL_TARGETS)
    return {
        "mean_metrics": mean,
        "training_metrics": dict(results[0]),
        "batch_metrics": [dict(r) for r in results[1:]],
    }
