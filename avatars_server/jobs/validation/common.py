"""Shared helpers of the creation-time checks: 422 errors, ownership, dataset pairs."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from avatars_server.datasets.columns import ColumnDescriptor
from avatars_server.engine import AvatarError
from avatars_server.engine.table import Kind
from avatars_server.errors import InvalidInputError
from avatars_server.jobs.steps.common import (
    CATEGORICAL_TYPES,
    identifiers,
    variables,
)
from avatars_server.schemas.jobs import (
    JobKind,
    PrivacyMetricsParameters,
    SignalMetricsParameters,
)
from avatars_server.storage import jobs
from avatars_server.storage.datasets import get_owned_dataset
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
