"""Creation-time checks of the batch jobs (method-extended.md §1.2, §1.7)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.orm import Session

from avatars_server.config import Settings
from avatars_server.engine import AvatarError, check_avatarization_parameters
from avatars_server.engine import check_privacy_parameters as _check_privacy
from avatars_server.errors import InvalidInputError
from avatars_server.jobs.steps.avatarization import avatarization_config
from avatars_server.jobs.steps.common import (
    identifiers,
    variables,
)
from avatars_server.jobs.steps.metrics import privacy_config
from avatars_server.jobs.validation.common import (
    _check_pair,
    _encoded_dimensions,
    _from_engine,
    _owned,
    invalid,
)
from avatars_server.schemas.batch import (
    AvatarizationBatchParameters,
    PrivacyMetricsBatchParameters,
    SignalMetricsBatchParameters,
)
from avatars_server.schemas.jobs import JobKind
from avatars_server.storage import jobs
from avatars_server.storage.datasets import read_dataframe
from avatars_server.storage.tables import DatasetRow

# -- batch jobs (method-extended §1.2, §1.7) --------------------------------------------------
# Up to this many cells over all batches, pass 1 (UNSEEN_MODALITY) runs at creation; larger jobs
# run it first thing in the job, which then fails with the same message.
BATCH_CHECK_MAX_CELLS = 2_000_000


def _unsupported_batch_knobs(parameters: AvatarizationBatchParameters) -> None:
    if parameters.use_categorical_reduction:
        raise invalid(
            "parameters.use_categorical_reduction",
            "categorical reduction is not supported by this server; send false or null",
        )
    if parameters.exclude_categorical is not None:
        raise invalid(
            "parameters.exclude_categorical",
            "exclude_categorical is not supported by batch avatarization yet; send null, and "
            "group rare modalities before uploading (e.g. GroupModalitiesProcessor) or "
            "avatarize without batches",
            "INVALID_EXCLUDE_CATEGORICAL",
        )
    if parameters.to_categorical_threshold is not None:
        raise invalid(
            "parameters.to_categorical_threshold",
            "to_categorical_threshold is not supported by batch jobs (batches would disagree "
            "on which columns are categorical); send null and upload those columns as "
            "category",
        )


def _distinct_ids(training: uuid.UUID, others: Sequence[uuid.UUID], field: str) -> None:
    for position, dataset_id in enumerate(others):
        if dataset_id == training:
            raise invalid(
                f"parameters.{field}.{position}",
                f"the training batch {training} is repeated in {field}; list only the other "
                "batches there",
            )
        if dataset_id in others[:position]:
            raise invalid(
                f"parameters.{field}.{position}",
                f"the dataset {dataset_id} is listed twice in {field}; list each batch once",
            )


def _schema(dataset: DatasetRow) -> dict[str, tuple[str | None, bool]]:
    return {
        str(c["label"]): (c.get("type"), bool(c.get("is_identifier")))
        for c in dataset.columns or []
    }


def _same_schema(training: DatasetRow, other: DatasetRow, where: str) -> None:
    """DATASET_SCHEMA_MISMATCH: other column labels, types or identifier flags."""
    mine, theirs = _schema(training), _schema(other)
    missing, extra = sorted(set(mine) - set(theirs)), sorted(set(theirs) - set(mine))
    if missing or extra:
        raise invalid(
            f"parameters.{where}",
            f"batch {other.id} does not have the training batch's columns (missing: "
            f"{missing}, not in the training batch: {extra}); upload every batch with the "
            "same columns",
            "DATASET_SCHEMA_MISMATCH",
        )
    for label, (kind, is_identifier) in mine.items():
        if theirs[label] != (kind, is_identifier):
            raise invalid(
                f"parameters.{where}",
                f"column {label!r} of batch {other.id} is declared {theirs[label][0]} "
                f"(identifier: {theirs[label][1]}), in the training batch {kind} (identifier: "
                f"{is_identifier}); declare it the same way in every batch (PATCH "
                "/datasets/{id})",
                "DATASET_SCHEMA_MISMATCH",
            )


def check_avatarization_batch(
    session: Session,
    settings: Settings,
    owner_id: uuid.UUID,
    parameters: AvatarizationBatchParameters,
) -> list[DatasetRow]:
    """The batches (training first), after every check that can be made at creation."""
    from avatars_server.engine.batch_pass1 import check_unseen, summarize_batch
    from avatars_server.jobs.steps.batch import batch_name

    _unsupported_batch_knobs(parameters)
    _distinct_ids(parameters.training_dataset_id, parameters.dataset_ids, "dataset_ids")
    training = _owned(session, parameters.training_dataset_id, owner_id)
    others = [_owned(session, dataset_id, owner_id) for dataset_id in parameters.dataset_ids]
    for position, other in enumerate(others):
        _same_schema(training, other, f"dataset_ids.{position}")
    batches = [training, *others]
    columns = training.columns or []
    labels = [str(c["label"]) for c in columns]
    smallest = min(batches, key=lambda row: int(row.nb_lines or 0))
    n_smallest = int(smallest.nb_lines or 0)
    config = avatarization_config(parameters.model_dump(mode="json"))
    try:
        check_avatarization_parameters(
            config, columns=labels, n_rows=n_smallest, identifiers=identifiers(columns)
        )
    except AvatarError as exc:
        if exc.code == "INVALID_K":
            raise invalid(
                "parameters.k",
                f"k must be an integer between 1 and n−1 = {n_smallest - 1}, where n is the "
                f"row count of the smallest batch, {smallest.id} ({n_smallest} rows); got "
                f"{parameters.k!r}. Lower k or make the batches larger",
                "INVALID_K",
            ) from exc
        raise _from_engine(exc) from exc
    cells = sum(int(row.nb_lines or 0) for row in batches) * len(labels)
    if cells > BATCH_CHECK_MAX_CELLS:
        return batches
    frames = [read_dataframe(settings, row) for row in batches]
    ncp = parameters.ncp
    n_training = int(training.nb_lines or 0)
    if ncp is not None:
        bound = min(_encoded_dimensions(frames[0], columns, None), n_training)
        if ncp > bound:
            raise invalid(
                "parameters.ncp",
                f"ncp must be an integer between 1 and min(D_enc, n) = {bound} for the "
                f"training batch, got {ncp}",
                "INVALID_NCP",
            )
    ids = identifiers(columns)
    summaries = [summarize_batch(frame, ids) for frame in frames]
    try:
        check_unseen(
            summaries[0],
            [(batch_name(j, batches[j].id), s) for j, s in enumerate(summaries) if j > 0],
        )
    except AvatarError as exc:
        raise invalid("parameters.dataset_ids", exc.message, exc.code) from exc
    return batches


def _pairing_form(
    parameters: PrivacyMetricsBatchParameters | SignalMetricsBatchParameters,
) -> None:
    """Exactly one of the two ways to name the pairs."""
    by_job = parameters.avatarization_batch_job_id is not None
    by_mapping = (
        parameters.training_dataset_mapping is not None
        or parameters.batch_dataset_mappings is not None
    )
    if by_job == by_mapping:
        said = "both" if by_job else "neither"
        raise invalid(
            "parameters",
            f"the request gives {said} of the two ways to pair batches; send either "
            "avatarization_batch_job_id, or training_dataset_mapping with "
            "batch_dataset_mappings",
        )
    if by_mapping and (
        parameters.training_dataset_mapping is None or parameters.batch_dataset_mappings is None
    ):
        missing = (
            "training_dataset_mapping"
            if parameters.training_dataset_mapping is None
            else "batch_dataset_mappings"
        )
        raise invalid(
            f"parameters.{missing}",
            "training_dataset_mapping and batch_dataset_mappings go together; send both",
        )


def _batch_metric_pairs(
    session: Session,
    owner_id: uuid.UUID,
    parameters: PrivacyMetricsBatchParameters | SignalMetricsBatchParameters,
    avatars_field: str,
) -> list[tuple[DatasetRow, DatasetRow]]:
    _pairing_form(parameters)
    if parameters.avatarization_batch_job_id is not None:
        row = jobs.get_owned_job(session, parameters.avatarization_batch_job_id, owner_id)
        if row.kind != JobKind.avatarization_batch.value:
            raise invalid(
                "parameters.avatarization_batch_job_id",
                f"job {row.id} is a {row.kind} job; give the id of an avatarization_batch job",
            )
        if row.status != "success" or not row.result:
            raise invalid(
                "parameters.avatarization_batch_job_id",
                f"the avatarization batch job {row.id} is {row.status}; wait until it "
                "succeeds (GET /jobs/avatarization_batch/{id}), then create this job",
            )
        key = (
            "sensitive_unshuffled_avatars_datasets_id"
            if avatars_field == "unshuffled_avatars_id"
            else "avatars_dataset_id"
        )
        results = [row.result["training_result"], *row.result["batch_results"]]
        ids = [(uuid.UUID(r["original_id"]), uuid.UUID(r[key])) for r in results]
    else:
        assert parameters.training_dataset_mapping is not None
        mappings = [parameters.training_dataset_mapping, *(parameters.batch_dataset_mappings or [])]
        ids = [(m.original_id, getattr(m, avatars_field)) for m in mappings]
        _distinct_ids(ids[0][0], [o for o, _ in ids[1:]], "batch_dataset_mappings")
    pairs = []
    for position, (original_id, avatars_id) in enumerate(ids):
        original = _owned(session, original_id, owner_id)
        avatars = _owned(session, avatars_id, owner_id)
        where = (
            "training_dataset_mapping"
            if position == 0
            else f"batch_dataset_mappings.{position - 1}"
        )
        try:
            _check_pair(original, avatars, avatars_field)
        except InvalidInputError as exc:
            reason = exc.detail[0]["msg"] if isinstance(exc.detail, list) else exc.message
            raise invalid(f"parameters.{where}.{avatars_field}", reason) from exc
        pairs.append((original, avatars))
    return pairs


def check_privacy_batch(
    session: Session, owner_id: uuid.UUID, parameters: PrivacyMetricsBatchParameters
) -> None:
    pairs = _batch_metric_pairs(session, owner_id, parameters, "unshuffled_avatars_id")
    common = parameters.common_parameters
    if common is not None and common.use_categorical_reduction:
        raise invalid(
            "parameters.common_parameters.use_categorical_reduction",
            "categorical reduction is not supported by this server; send false or null",
        )
    values = common.model_dump(mode="json") if common is not None else {}
    values["seed"] = parameters.seed
    columns = [str(c["label"]) for c in variables(pairs[0][0].columns or [])]
    try:
        _check_privacy(privacy_config(values), columns=columns)
    except AvatarError as exc:
        raise _from_engine(exc, "parameters.common_parameters") from exc
    for original, _ in pairs:
        if (original.nb_lines or 0) < 2:
            raise invalid("parameters", f"dataset {original.id}: privacy metrics need 2 rows")


def check_signal_batch(
    session: Session, owner_id: uuid.UUID, parameters: SignalMetricsBatchParameters
) -> None:
    _batch_metric_pairs(session, owner_id, parameters, "avatars_id")
