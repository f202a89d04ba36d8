"""Creation-time checks of the core jobs: avatarization, privacy and signal metrics."""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from avatars_server.config import Settings
from avatars_server.engine import AvatarError, check_avatarization_parameters
from avatars_server.engine import check_privacy_parameters as _check_privacy
from avatars_server.jobs.steps.avatarization import avatarization_config
from avatars_server.jobs.steps.common import (
    categorical,
    identifiers,
    variables,
)
from avatars_server.jobs.steps.metrics import privacy_config
from avatars_server.jobs.validation.common import (
    NCP_CHECK_MAX_CELLS,
    _check_pair,
    _encoded_dimensions,
    _from_engine,
    _owned,
    _referenced_jobs,
    invalid,
)
from avatars_server.schemas.jobs import (
    AvatarizationParameters,
    PrivacyMetricsParameters,
    SignalMetricsParameters,
)
from avatars_server.storage.datasets import read_dataframe
from avatars_server.storage.tables import DatasetRow


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
