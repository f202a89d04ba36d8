"""Creation-time checks of the time-series jobs (method-extended.md §2, §0.3)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.orm import Session

from avatars_server.config import Settings
from avatars_server.engine import AvatarError
from avatars_server.engine import check_privacy_parameters as _check_privacy
from avatars_server.engine.config import check_imputation, check_k, check_ncp, check_seed
from avatars_server.engine.table import Kind
from avatars_server.engine.timeseries.avatarization import (
    check_column_weights,
    prepare_time_series,
)
from avatars_server.engine.timeseries.columns import TableColumns, resolve_columns
from avatars_server.engine.timeseries.metrics import SeriesPair, check_privacy_pair
from avatars_server.jobs.steps.avatarization import avatarization_config
from avatars_server.jobs.steps.common import identifiers
from avatars_server.jobs.steps.metrics import privacy_config
from avatars_server.jobs.steps.time_series import (
    dataset_name,
    projection_spec,
    table_input,
    unique_names,
)
from avatars_server.jobs.validation.common import (
    _check_pair,
    _from_engine,
    _owned,
    invalid,
)
from avatars_server.schemas.time_series import (
    AvatarizationWithTimeSeriesParameters,
    FlattenParameters,
    FPCAParameters,
    PrivacyMetricsWithTimeSeriesParameters,
    SignalMetricsWithTimeSeriesParameters,
)
from avatars_server.storage.datasets import read_dataframe
from avatars_server.storage.tables import DatasetRow

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
