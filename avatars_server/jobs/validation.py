"""Checks run when a job is created, so that parameters that cannot work answer 404/422 at once
instead of failing later in a worker."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from avatars_server.config import Settings
from avatars_server.datasets.columns import ColumnDescriptor
from avatars_server.engine import AvatarError, check_avatarization_parameters
from avatars_server.engine import check_privacy_parameters as _check_privacy
from avatars_server.engine.config import check_imputation, check_k, check_ncp, check_seed
from avatars_server.engine.table import Kind
from avatars_server.engine.timeseries.avatarization import (
    check_column_weights,
    prepare_time_series,
)
from avatars_server.engine.timeseries.columns import TableColumns, resolve_columns
from avatars_server.engine.timeseries.metrics import SeriesPair, check_privacy_pair
from avatars_server.errors import InvalidInputError
from avatars_server.jobs.steps.avatarization import avatarization_config
from avatars_server.jobs.steps.common import (
    CATEGORICAL_TYPES,
    categorical,
    identifiers,
    variables,
)
from avatars_server.jobs.steps.metrics import privacy_config
from avatars_server.jobs.steps.time_series import (
    dataset_name,
    projection_spec,
    table_input,
    unique_names,
)
from avatars_server.schemas.batch import (
    AvatarizationBatchParameters,
    PrivacyMetricsBatchParameters,
    SignalMetricsBatchParameters,
)
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
from avatars_server.schemas.time_series import (
    AvatarizationWithTimeSeriesParameters,
    FlattenParameters,
    FPCAParameters,
    PrivacyMetricsWithTimeSeriesParameters,
    SignalMetricsWithTimeSeriesParameters,
)
from avatars_server.storage import jobs
from avatars_server.storage.datasets import get_owned_dataset, read_dataframe
from avatars_server.storage.tables import DatasetRow

if TYPE_CHECKING:
    from avatars_server.engine.multitable import Graph

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


# -- Time series (method-extended.md §2, §0.3) ----------------------------------------------------
# Column roles are checked on the declared metadata; checks that need the values (duplicated or
# unknown individuals, nf against the grid, individuals of a metrics pair) read the datasets when
# they are small enough, and are otherwise left to the job, which fails with the same message.

TIME_SERIES_CHECK_MAX_CELLS = 4_000_000
_DECLARED_KINDS: dict[str, Kind] = {
    "int": "continuous",
    "float": "continuous",
    "datetime": "datetime",
}


def _kinds(row: DatasetRow) -> dict[str, Kind]:
    return {
        str(c["label"]): _DECLARED_KINDS.get(str(c.get("type")), "categorical")
        for c in row.columns or []
    }


def _resolve(row: DatasetRow, field: str, *, series: bool) -> TableColumns:
    labels = [str(c["label"]) for c in row.columns or []]
    try:
        return resolve_columns(
            labels,
            _kinds(row),
            identifiers(row.columns or []),
            series=series,
            dataset=dataset_name(row),
        )
    except AvatarError as exc:
        raise invalid(field, exc.message, exc.code) from exc


def _cells(rows: Sequence[DatasetRow]) -> int:
    return sum(int(r.nb_lines or 0) * len(r.columns or []) for r in rows)


def _check_nf(projection: FPCAParameters | FlattenParameters | None, field: str) -> None:
    if isinstance(projection, FPCAParameters) and projection.nf < 1:
        raise invalid(field, f"nf must be an integer >= 1, got {projection.nf}", "INVALID_NF")


def check_avatarization_time_series(
    session: Session,
    settings: Settings,
    owner_id: uuid.UUID,
    parameters: AvatarizationWithTimeSeriesParameters,
) -> None:
    """Every check of an avatarization with time series that can be made at creation."""
    vanilla = (
        _owned(session, parameters.vanilla_dataset_id, owner_id)
        if parameters.vanilla_dataset_id is not None
        else None
    )
    series = [_owned(session, item.dataset_id, owner_id) for item in parameters.time_series]
    if not series:
        raise invalid("parameters.time_series", "give at least one time-series dataset")
    if parameters.use_categorical_reduction:
        raise invalid(
            "parameters.use_categorical_reduction",
            "categorical reduction is not supported by this server; send false or null",
        )
    if parameters.exclude_categorical is not None:
        raise invalid(
            "parameters.exclude_categorical",
            "excluding categorical columns is not supported by this server; send null",
        )
    threshold = parameters.to_categorical_threshold
    if threshold is not None and threshold < 1:
        raise invalid(
            "parameters.to_categorical_threshold", f"must be an integer >= 1, got {threshold}"
        )
    vanilla_variables: list[str] = []
    if vanilla is not None:
        columns = _resolve(vanilla, "parameters.vanilla_dataset_id", series=False)
        dropped = {columns.identifier, *columns.row_keys}
        vanilla_variables = [
            str(c["label"]) for c in vanilla.columns or [] if str(c["label"]) not in dropped
        ]
    values: list[str] = []
    for position, (row, item) in enumerate(zip(series, parameters.time_series, strict=True)):
        field = f"parameters.time_series.{position}"
        values.extend(_resolve(row, f"{field}.dataset_id", series=True).values)
        _check_nf(item.projection_parameters, f"{field}.projection_parameters.nf")
    config = avatarization_config(parameters.model_dump(mode="json"))
    try:
        check_column_weights(config.column_weights, vanilla_variables, values)
        check_imputation(config.imputation)
        check_seed(config.seed)
        if config.ncp is not None:
            check_ncp(config.ncp, None)
        if vanilla is not None:
            check_k(config.k, int(vanilla.nb_lines or 0))
    except AvatarError as exc:
        raise _from_engine(exc) from exc
    rows = [*series, *([vanilla] if vanilla is not None else [])]
    if _cells(rows) > TIME_SERIES_CHECK_MAX_CELLS:
        return
    names = unique_names(series)
    tables = [
        table_input(row, read_dataframe(settings, row), projection_spec(item_json), name=name)
        for row, item_json, name in zip(
            series,
            [i.model_dump(mode="json")["projection_parameters"] for i in parameters.time_series],
            names,
            strict=True,
        )
    ]
    vanilla_table = (
        table_input(vanilla, read_dataframe(settings, vanilla)) if vanilla is not None else None
    )
    try:
        prepare_time_series(vanilla_table, tables, config, g_max=settings.time_series_max_grid)
    except AvatarError as exc:
        field = "parameters.k" if exc.code == "INVALID_K" else "parameters.time_series"
        if exc.code == "DUPLICATE_KEY":
            field = "parameters.vanilla_dataset_id"
        raise invalid(field, exc.message, exc.code) from exc


def _vanilla_pair(
    session: Session,
    owner_id: uuid.UUID,
    original_id: uuid.UUID | None,
    avatars_id: uuid.UUID | None,
    avatars_field: str,
) -> tuple[DatasetRow, DatasetRow] | None:
    if original_id is None and avatars_id is None:
        return None
    if original_id is None or avatars_id is None:
        raise invalid(
            f"parameters.{avatars_field}",
            f"give both vanilla_original_id and {avatars_field}, or neither",
        )
    original = _owned(session, original_id, owner_id)
    avatars = _owned(session, avatars_id, owner_id)
    _check_pair(original, avatars, avatars_field)
    return original, avatars


def _check_series_pair(original: DatasetRow, avatars: DatasetRow, field: str) -> None:
    mine = _resolve(original, f"{field}.dataset_id", series=True)
    theirs = _resolve(avatars, field, series=True)
    if set(mine.values) != set(theirs.values):
        raise invalid(
            field,
            f"the avatar series must have the original's value columns {sorted(mine.values)}; "
            f"it has {sorted(theirs.values)}. Give the avatars made from this dataset",
            "DATASET_SCHEMA_MISMATCH",
        )


def check_privacy_time_series(
    session: Session,
    settings: Settings,
    owner_id: uuid.UUID,
    parameters: PrivacyMetricsWithTimeSeriesParameters,
) -> None:
    """Every check of a time-series privacy metrics job that can be made at creation."""
    vanilla = _vanilla_pair(
        session,
        owner_id,
        parameters.vanilla_original_id,
        parameters.vanilla_unshuffled_avatars_id,
        "vanilla_unshuffled_avatars_id",
    )
    pairs = [
        (
            _owned(session, item.dataset_id, owner_id),
            _owned(session, item.unshuffled_avatar_dataset_id, owner_id),
        )
        for item in parameters.time_series
    ]
    if not pairs:
        raise invalid("parameters.time_series", "give at least one time-series dataset pair")
    if parameters.use_categorical_reduction:
        raise invalid(
            "parameters.use_categorical_reduction",
            "categorical reduction is not supported by this server; send false or null",
        )
    columns: list[str] = []
    if vanilla is not None:
        names = _resolve(vanilla[0], "parameters.vanilla_original_id", series=False)
        columns = [
            str(c["label"])
            for c in vanilla[0].columns or []
            if str(c["label"]) not in {names.identifier, *names.row_keys}
        ]
    try:
        _check_privacy(privacy_config(parameters.model_dump(mode="json")), columns=columns)
    except AvatarError as exc:
        raise _from_engine(exc) from exc
    for position, ((original, avatars), item) in enumerate(
        zip(pairs, parameters.time_series, strict=True)
    ):
        field = f"parameters.time_series.{position}"
        _check_series_pair(original, avatars, f"{field}.unshuffled_avatar_dataset_id")
        _check_nf(item.projection_parameters, f"{field}.projection_parameters.nf")
    rows = [row for pair in pairs for row in pair] + list(vanilla or ())
    if _cells(rows) > TIME_SERIES_CHECK_MAX_CELLS:
        return
    vanilla_pair = None
    if vanilla is not None:
        vanilla_pair = SeriesPair(
            table_input(vanilla[0], read_dataframe(settings, vanilla[0])),
            table_input(vanilla[1], read_dataframe(settings, vanilla[1])),
        )
    for position, ((original, avatars), item) in enumerate(
        zip(pairs, parameters.time_series, strict=True)
    ):
        spec = projection_spec(item.model_dump(mode="json")["projection_parameters"])
        pair = SeriesPair(
            table_input(original, read_dataframe(settings, original), spec),
            table_input(avatars, read_dataframe(settings, avatars)),
        )
        try:
            check_privacy_pair(pair, vanilla_pair, g_max=settings.time_series_max_grid)
        except AvatarError as exc:
            raise invalid(f"parameters.time_series.{position}", exc.message, exc.code) from exc


def check_signal_time_series(
    session: Session, owner_id: uuid.UUID, parameters: SignalMetricsWithTimeSeriesParameters
) -> None:
    """Every check of a time-series signal metrics job that can be made at creation."""
    _vanilla_pair(
        session,
        owner_id,
        parameters.vanilla_original_id,
        parameters.vanilla_avatars_id,
        "vanilla_avatars_id",
    )
    if not parameters.time_series:
        raise invalid("parameters.time_series", "give at least one time-series dataset pair")
    for position, item in enumerate(parameters.time_series):
        original = _owned(session, item.dataset_id, owner_id)
        avatars = _owned(session, item.avatar_dataset_id, owner_id)
        field = f"parameters.time_series.{position}"
        _check_series_pair(original, avatars, f"{field}.avatar_dataset_id")


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
    from avatars_server.engine.batch import check_unseen, summarize_batch
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
    "tables with time series are not supported in multi-table jobs by this server (the "
    "time-series method is not wired into the multi-table enrichment and linking); give this "
    "table as a plain dataset, or avatarize it with an avatarization_with_time_series job"
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
