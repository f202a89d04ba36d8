"""Checks run when a job is created, so that parameters that cannot work answer 404/422 at once
instead of failing later in a worker."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

if TYPE_CHECKING:
    from avatars_server.engine.multitable import Graph

from avatars_server.config import Settings
from avatars_server.datasets.columns import ColumnDescriptor
from avatars_server.engine import AvatarError, check_avatarization_parameters
from avatars_server.engine import check_privacy_parameters as _check_privacy
from avatars_server.errors import InvalidInputError
from avatars_server.jobs.steps.avatarization import avatarization_config
from avatars_server.jobs.steps.common import CATEGORICAL_TYPES, identifiers, variables
from avatars_server.jobs.steps.metrics import privacy_config
from avatars_server.schemas.geolocation import PrivacyMetricsGeolocationParameters
from avatars_server.schemas.jobs import (
    AvatarizationParameters,
    JobKind,
    PrivacyMetricsParameters,
    SignalMetricsParameters,
)
from avatars_server.schemas.multitable import (
    AvatarizationMultiTableParameters,
    BaseAvatarizationParameters,
    BaseAvatarizationWithTimeSeriesParameters,
    BasePrivacyMetricsParameters,
    BasePrivacyMetricsWithTimeSeriesParameters,
    PrivacyMetricsMultiTableParameters,
    TableReference,
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


def _encoded_dimensions(frame: Any, columns: Sequence[ColumnDescriptor]) -> int:
    """D_enc of method.md §2.1: one per continuous column (+2 for a missing indicator), one
    per modality of a categorical column (+1 for a missing level)."""
    total = 0
    for column in variables(columns):
        series = frame[column["label"]]
        missing = bool(series.isna().any())
        if column.get("type") in CATEGORICAL_TYPES:
            total += int(series.nunique(dropna=True)) + int(missing)
        else:
            total += 1 + 2 * int(missing)
    return total


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
    if parameters.exclude_categorical is not None:
        raise invalid(
            "parameters.exclude_categorical",
            "excluding categorical columns is not supported by this server; send null and "
            "group rare modalities before uploading (e.g. GroupModalitiesProcessor)",
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
    if ncp is not None and ncp > len(variables(columns)) and checkable:
        bound = min(_encoded_dimensions(read_dataframe(settings, dataset), columns), n_rows)
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
    try:
        _check_privacy(privacy_config(parameters.model_dump(mode="json")), columns=columns)
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


# --- geolocation privacy (issue #17, method-extended §4) ----------------------------------------


def check_geolocation(
    session: Session,
    settings: Settings,
    owner_id: uuid.UUID,
    parameters: PrivacyMetricsGeolocationParameters,
) -> None:
    """404 for another user's dataset; 422 for a scenario or trajectory data that cannot work.

    The data themselves (coordinates, ids) are checked here up to NCP_CHECK_MAX_CELLS cells;
    larger datasets are checked by the job, which then fails with the same message.
    """
    from avatars_server.engine.geolocation import check_scenario, paired
    from avatars_server.jobs.steps.geolocation import id_column, scenario

    original = _owned(session, parameters.original_dataset_id, owner_id)
    avatars = _owned(session, parameters.unshuffled_avatar_dataset_id, owner_id)
    for index, values in enumerate(parameters.scenarios):
        try:
            check_scenario(scenario(values.model_dump(mode="json")), index)
        except AvatarError as exc:
            raise _from_engine(exc) from exc
    id_label = id_column(original.columns or [])
    for row, field in (
        (original, "original_dataset_id"),
        (avatars, "unshuffled_avatar_dataset_id"),
    ):
        labels = {str(c["label"]) for c in row.columns or []}
        missing = [c for c in (id_label, "t", "lat", "lon") if c not in labels]
        if missing:
            raise invalid(
                f"parameters.{field}",
                f"the dataset has no column {missing}: trajectory data needs an identifier "
                f"column ({id_label!r}), a time column 't' and 'lat' and 'lon' in decimal degrees",
                "MISSING_GEO_COLUMN",
            )
    cells = sum(int(r.nb_lines or 0) * len(r.columns or []) for r in (original, avatars))
    if cells > NCP_CHECK_MAX_CELLS:
        return
    try:
        trajectories, _ = paired(
            read_dataframe(settings, original), read_dataframe(settings, avatars), id_label
        )
    except AvatarError as exc:
        field = "original_dataset_id" if exc.field == "original" else "unshuffled_avatar_dataset_id"
        raise invalid(f"parameters.{field}", exc.message, exc.code) from exc
    if trajectories.n < 2:
        raise invalid(
            "parameters.original_dataset_id",
            f"geolocation metrics need at least 2 trajectories, got {trajectories.n}",
            "TOO_FEW_ROWS",
        )


# --- multi-table (issue #17, method-extended §3, reference §3.10) ---------------------------------

_TIME_SERIES_NOTE = (
    "tables with time series in a multi-table job are not supported by this server yet (they "
    "need the time-series method, issue #14); give this table as a plain dataset"
)


def _multi_table_rows(
    session: Session,
    owner_id: uuid.UUID,
    parameters: AvatarizationMultiTableParameters | PrivacyMetricsMultiTableParameters,
) -> dict[str, DatasetRow]:
    """Every table's dataset row by graph key, in `table_parameters` order (404 if not yours)."""
    from avatars_server.jobs.steps.multitable import dataset_name, table_key

    rows: dict[str, DatasetRow] = {}
    names: dict[str, int] = {}
    for index, entry in enumerate(parameters.table_parameters):
        field = f"parameters.table_parameters.{index}"
        key = table_key(entry.model_dump(mode="json"))
        if key is None:
            raise invalid(field, _TIME_SERIES_NOTE, "NOT_SUPPORTED")
        if key in rows:
            raise invalid(field, f"the dataset {key} has two entries; give each table once")
        rows[key] = _owned(session, uuid.UUID(key), owner_id)
        name = dataset_name(rows[key])
        if name in names:
            raise invalid(
                field,
                f"two tables are named {name!r} (entries {names[name]} and {index}); enriched "
                "columns are named after their table: give the datasets distinct names",
            )
        names[name] = index
    for link in parameters.table_links:
        for role in ("parent_table", "child_table"):
            reference: TableReference = getattr(link, role)
            if str(reference.dataset_id) not in rows:
                _owned(session, reference.dataset_id, owner_id)  # 404 before the 422
    return rows


def _check_graph(
    parameters: AvatarizationMultiTableParameters | PrivacyMetricsMultiTableParameters,
    rows: dict[str, DatasetRow],
) -> Graph:
    from avatars_server.engine.multitable import build_graph
    from avatars_server.jobs.steps.multitable import graph_inputs

    try:
        return build_graph(*graph_inputs(parameters.model_dump(mode="json"), rows))
    except AvatarError as exc:
        raise _from_engine(exc) from exc


def _check_keys(settings: Settings, graph: Graph, rows: dict[str, DatasetRow]) -> None:
    """DUPLICATE_KEY / ORPHAN_ROW at creation when the tables are small enough to read."""
    from avatars_server.engine.multitable import resolve_keys

    cells = sum(int(r.nb_lines or 0) * len(r.columns or []) for r in rows.values())
    if cells > NCP_CHECK_MAX_CELLS:
        return
    frames = {key: read_dataframe(settings, row) for key, row in rows.items()}
    try:
        resolve_keys(graph, frames)
    except AvatarError as exc:
        raise invalid("parameters.table_links", exc.message, exc.code) from exc


def check_multi_table_avatarization(
    session: Session,
    settings: Settings,
    owner_id: uuid.UUID,
    parameters: AvatarizationMultiTableParameters,
) -> None:
    """404 for another user's dataset; 422 for every consistency rule of reference §3.10, a
    table's own parameters, and (small tables) duplicate or orphan keys."""
    if any(
        isinstance(e, BaseAvatarizationWithTimeSeriesParameters)
        for e in parameters.table_parameters
    ):
        index = next(
            i
            for i, e in enumerate(parameters.table_parameters)
            if isinstance(e, BaseAvatarizationWithTimeSeriesParameters)
        )
        raise invalid(f"parameters.table_parameters.{index}", _TIME_SERIES_NOTE, "NOT_SUPPORTED")
    rows = _multi_table_rows(session, owner_id, parameters)
    graph = _check_graph(parameters, rows)
    for index, entry in enumerate(parameters.table_parameters):
        field = f"parameters.table_parameters.{index}"
        assert isinstance(entry, BaseAvatarizationParameters)
        for knob in (
            "use_categorical_reduction",
            "exclude_categorical",
            "to_categorical_threshold",
        ):
            if getattr(entry, knob) not in (None, False):
                raise invalid(
                    f"{field}.{knob}",
                    f"{knob} is not supported in multi-table jobs by this server; send null",
                )
        row = rows[str(entry.dataset_id)]
        columns = [str(c["label"]) for c in row.columns or []]
        config = avatarization_config(entry.model_dump(mode="json"))
        try:
            check_avatarization_parameters(
                config,
                columns=columns,
                n_rows=int(row.nb_lines or 0),
                identifiers=list(graph.tables[str(entry.dataset_id)].identifiers),
            )
        except AvatarError as exc:
            raise _from_engine(exc, field) from exc
    _check_keys(settings, graph, rows)


def check_multi_table_privacy(
    session: Session,
    settings: Settings,
    owner_id: uuid.UUID,
    parameters: PrivacyMetricsMultiTableParameters,
) -> None:
    """As the avatarization's checks, plus: each avatar table matches its original."""
    for index, entry in enumerate(parameters.table_parameters):
        if isinstance(entry, BasePrivacyMetricsWithTimeSeriesParameters):
            raise invalid(
                f"parameters.table_parameters.{index}", _TIME_SERIES_NOTE, "NOT_SUPPORTED"
            )
    rows = _multi_table_rows(session, owner_id, parameters)
    graph = _check_graph(parameters, rows)
    for index, entry in enumerate(parameters.table_parameters):
        assert isinstance(entry, BasePrivacyMetricsParameters)
        field = f"parameters.table_parameters.{index}"
        original = rows[str(entry.original_id)]
        avatars = _owned(session, entry.unshuffled_avatars_id, owner_id)
        for job_id in (entry.avatarization_job_id, entry.persistance_job_id):
            if job_id is not None:
                jobs.get_owned_job(session, job_id, owner_id)
        if entry.use_categorical_reduction:
            raise invalid(
                f"{field}.use_categorical_reduction",
                "categorical reduction is not supported by this server; send false or null",
            )
        _check_pair(original, avatars, f"table_parameters.{index}.unshuffled_avatars_id")
        mine = {str(c["label"]) for c in original.columns or [] if c.get("is_identifier")}
        theirs = {str(c["label"]) for c in avatars.columns or [] if c.get("is_identifier")}
        if mine != theirs:
            raise invalid(
                f"{field}.unshuffled_avatars_id",
                f"the avatar table must have the original's identifier columns {sorted(mine)}; "
                f"it has {sorted(theirs)} (use the sensitive unshuffled avatars of the "
                "multi-table avatarization job)",
                "DATASET_SCHEMA_MISMATCH",
            )
        columns = [str(c["label"]) for c in variables(original.columns or [])]
        try:
            _check_privacy(privacy_config(entry.model_dump(mode="json")), columns=columns)
        except AvatarError as exc:
            raise _from_engine(exc, field) from exc
        if (original.nb_lines or 0) < 2:
            raise invalid(f"{field}.original_id", "privacy metrics need at least 2 rows")
    _check_keys(settings, graph, rows)
