"""Checks run when a job is created, so that parameters that cannot work answer 404/422 at once
instead of failing later in a worker."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from avatars_server.config import Settings
from avatars_server.datasets.columns import ColumnDescriptor
from avatars_server.engine import AvatarError, check_avatarization_parameters
from avatars_server.engine import check_privacy_parameters as _check_privacy
from avatars_server.engine.table import Kind
from avatars_server.errors import InvalidInputError
from avatars_server.jobs.steps.avatarization import avatarization_config
from avatars_server.jobs.steps.common import (
    CATEGORICAL_TYPES,
    categorical,
    identifiers,
    variables,
)
from avatars_server.jobs.steps.metrics import privacy_config
from avatars_server.schemas.jobs import (
    AvatarizationParameters,
    JobKind,
    PrivacyMetricsParameters,
    SignalMetricsParameters,
)
from avatars_server.storage import jobs
from avatars_server.storage.datasets import get_owned_dataset, read_dataframe
from avatars_server.storage.tables import DatasetRow

# Up to this many cells, the ncp bound (which needs the modalities) is checked at creation by
# reading the data; larger datasets are checked by the job, which then fails with the message.
NCP_CHECK_MAX_CELLS = 2_000_000


def invalid(field: str, message: str, code: str = "value_error") -> InvalidInputError:
    """A 422 whose message names the field, with a FastAPI-style detail."""
    location = ["body", *field.split(".")]
    return InvalidInputError(
        f"{field}: {message.rstrip('.')}.",
        detail=[{"loc": location, "msg": message, "type": code}],
    )


def _from_engine(exc: AvatarError, prefix: str = "parameters") -> InvalidInputError:
    field = f"{prefix}.{exc.field}" if exc.field else prefix
    return invalid(field, exc.message, exc.code)


def check_kind(kind: JobKind | None, expected: JobKind, route: str) -> None:
    if kind is not None and kind != expected:
        raise invalid(
            "kind",
            f"this route creates '{expected.value}' jobs but the body says '{kind.value}'; "
            f"remove 'kind' or send it to {route}",
        )


def _owned(session: Session, dataset_id: uuid.UUID, owner_id: uuid.UUID) -> DatasetRow:
    return get_owned_dataset(session, dataset_id, owner_id)


def _encoded_dimensions(
    frame: Any, columns: Sequence[ColumnDescriptor], exclude_threshold: int | None
) -> int:
    """D_enc of method.md §2.1 by the engine's one definition, with the declared roles."""
    from avatars_server.engine.table import encoded_dimensions

    kinds: dict[str, Kind] = {
        str(c["label"]): "categorical" if c.get("type") in CATEGORICAL_TYPES else "continuous"
        for c in variables(columns)
    }
    return encoded_dimensions(frame[list(kinds)], kinds, exclude_threshold=exclude_threshold)


def check_avatarization(
    session: Session, settings: Settings, owner_id: uuid.UUID, parameters: AvatarizationParameters
) -> DatasetRow:
    """The dataset to avatarize, after checking every parameter that can be checked."""
    dataset = _owned(session, parameters.dataset_id, owner_id)
    if parameters.use_categorical_reduction:
        raise invalid(
            "parameters.use_categorical_reduction",
            "categorical reduction is not supported by this server; send false or null",
        )
    threshold = parameters.to_categorical_threshold
    if threshold is not None and threshold < 1:
        raise invalid(
            "parameters.to_categorical_threshold", f"must be an integer >= 1, got {threshold}"
        )
    columns = dataset.columns or []
    labels = [str(c["label"]) for c in columns]
    n_rows = int(dataset.nb_lines or 0)
    config = avatarization_config(parameters.model_dump(mode="json"))
    try:
        check_avatarization_parameters(
            config, columns=labels, n_rows=n_rows, identifiers=identifiers(columns)
        )
    except AvatarError as exc:
        raise _from_engine(exc) from exc
    ncp = parameters.ncp
    # With to_categorical_threshold the job re-encodes columns: leave that bound to the job.
    checkable = threshold is None and n_rows * len(labels) <= NCP_CHECK_MAX_CELLS
    exclude = config.exclude_categorical
    threshold_excluded = exclude.exclude_cardinality_threshold if exclude is not None else None
    # Without exclusion D_enc >= the number of variables: a smaller ncp needs no data.
    if ncp is not None and (ncp > len(variables(columns)) or exclude is not None) and checkable:
        frame = read_dataframe(settings, dataset)
        bound = min(_encoded_dimensions(frame, columns, threshold_excluded), n_rows)
        if ncp > bound:
            raise invalid(
                "parameters.ncp",
                f"ncp must be an integer between 1 and min(D_enc, n) = {bound} for this "
                f"dataset, got {ncp}",
                "INVALID_NCP",
            )
    return dataset


def _referenced_jobs(
    session: Session,
    owner_id: uuid.UUID,
    parameters: PrivacyMetricsParameters | SignalMetricsParameters,
) -> None:
    """Jobs named by a metrics job must be the caller's (404 otherwise)."""
    for job_id in (parameters.avatarization_job_id, parameters.persistance_job_id):
        if job_id is not None:
            jobs.get_owned_job(session, job_id, owner_id)


def _labels(dataset: DatasetRow) -> set[str]:
    return {str(c["label"]) for c in variables(dataset.columns or [])}


def _check_pair(original: DatasetRow, other: DatasetRow, other_field: str) -> None:
    """Same variables (order may differ) and the same number of rows."""
    ids = set(identifiers(original.columns or [])) | set(identifiers(other.columns or []))
    mine, theirs = _labels(original) - ids, _labels(other) - ids
    if mine != theirs:
        missing, extra = sorted(mine - theirs), sorted(theirs - mine)
        raise invalid(
            f"parameters.{other_field}",
            f"the two datasets must have the same columns; missing from {other_field}: "
            f"{missing}, not in the original: {extra}",
        )
    if (original.nb_lines or 0) != (other.nb_lines or 0):
        raise invalid(
            f"parameters.{other_field}",
            f"the two datasets must have the same number of rows; the original has "
            f"{original.nb_lines}, {other_field} has {other.nb_lines}",
        )


def check_privacy(
    session: Session, owner_id: uuid.UUID, parameters: PrivacyMetricsParameters
) -> None:
    original = _owned(session, parameters.original_id, owner_id)
    avatars = _owned(session, parameters.unshuffled_avatars_id, owner_id)
    _referenced_jobs(session, owner_id, parameters)
    if parameters.use_categorical_reduction:
        raise invalid(
            "parameters.use_categorical_reduction",
            "categorical reduction is not supported by this server; send false or null",
        )
    _check_pair(original, avatars, "unshuffled_avatars_id")
    columns = [str(c["label"]) for c in variables(original.columns or [])]
    values = parameters.model_dump(mode="json")
    wanted = values.get("categorical_hidden_rate_variables")
    if wanted is not None and not (
        isinstance(wanted, list) and all(isinstance(name, str) for name in wanted)
    ):
        raise invalid(
            "parameters.categorical_hidden_rate_variables",
            f"must be a list of column labels or null, got {wanted!r}",
        )
    try:
        _check_privacy(
            privacy_config(values),
            columns=columns,
            categorical=categorical(original.columns or []),
        )
    except AvatarError as exc:
        raise _from_engine(exc) from exc
    if (original.nb_lines or 0) < 2:
        raise invalid("parameters.original_id", "privacy metrics need at least 2 rows")


def check_signal(
    session: Session, owner_id: uuid.UUID, parameters: SignalMetricsParameters
) -> None:
    original = _owned(session, parameters.original_id, owner_id)
    avatars = _owned(session, parameters.avatars_id, owner_id)
    _referenced_jobs(session, owner_id, parameters)
    _check_pair(original, avatars, "avatars_id")
