"""Creation-time checks of the multi-table jobs (method-extended.md §3, reference §3.10)."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from avatars_server.config import Settings
from avatars_server.engine import AvatarError, check_avatarization_parameters
from avatars_server.engine import check_privacy_parameters as _check_privacy
from avatars_server.jobs.steps.avatarization import avatarization_config
from avatars_server.jobs.steps.common import variables
from avatars_server.jobs.steps.metrics import privacy_config
from avatars_server.jobs.validation.common import (
    NCP_CHECK_MAX_CELLS,
    _check_pair,
    _from_engine,
    _owned,
    invalid,
)
from avatars_server.jobs.validation.multitable_series import check_table_series
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
from avatars_server.storage.datasets import read_dataframe
from avatars_server.storage.tables import DatasetRow

if TYPE_CHECKING:
    from avatars_server.engine.multitable import Graph

# --- multi-table (issue #17, method-extended §3, reference §3.10) ---------------------------------

_NO_VANILLA_PAIR = (
    "a table given with time series needs vanilla_original_id and vanilla_unshuffled_avatars_id: "
    "the vanilla table (one row per individual) is the table's node in table_links "
    "(method-extended §3.7); give both, or measure series without a vanilla table with a "
    "privacy_metrics_with_time_series job"
)
_NO_VANILLA = (
    "a table given with time series needs its vanilla_dataset_id: the vanilla table (one row "
    "per individual, its primary key matching the series' identifier) is the table's node in "
    "table_links (method-extended §3.4). Give it, or avatarize series without a vanilla table "
    "with an avatarization_with_time_series job"
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
        if key is None and isinstance(entry, BaseAvatarizationWithTimeSeriesParameters):
            raise invalid(f"{field}.vanilla_dataset_id", _NO_VANILLA)
        if key is None:
            raise invalid(field, _NO_VANILLA_PAIR)
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
    table's own parameters, the series of time-series entries, and (small tables) duplicate
    or orphan keys."""
    rows = _multi_table_rows(session, owner_id, parameters)
    graph = _check_graph(parameters, rows)
    for index, entry in enumerate(parameters.table_parameters):
        field = f"parameters.table_parameters.{index}"
        key = str(
            entry.dataset_id
            if isinstance(entry, BaseAvatarizationParameters)
            else entry.vanilla_dataset_id
        )
        values: list[str] = []
        if isinstance(entry, BaseAvatarizationWithTimeSeriesParameters):
            values = check_table_series(session, settings, owner_id, graph, key, rows, entry, field)
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
        row = rows[key]
        # A time-series entry's column_weights may also name its series value columns (§2.5).
        columns = [str(c["label"]) for c in row.columns or []]
        columns += [v for v in dict.fromkeys(values) if v not in set(columns)]
        config = avatarization_config(entry.model_dump(mode="json"))
        try:
            check_avatarization_parameters(
                config,
                columns=columns,
                n_rows=int(row.nb_lines or 0),
                identifiers=list(graph.tables[key].identifiers),
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
    """As the avatarization's checks, plus: each avatar table matches its original. An entry with
    time series: its vanilla pair is the table (method-extended §3.7), checked as a plain entry;
    its series pairs get the checks of a time-series privacy job."""
    for index, entry in enumerate(parameters.table_parameters):
        if isinstance(entry, BasePrivacyMetricsWithTimeSeriesParameters):
            _check_series_entry(session, settings, owner_id, entry, index)
    parameters = parameters.model_copy(
        update={"table_parameters": [_plain_entry(e) for e in parameters.table_parameters]}
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


def _plain_entry(
    entry: BasePrivacyMetricsParameters | BasePrivacyMetricsWithTimeSeriesParameters,
) -> BasePrivacyMetricsParameters:
    """The entry as its table's node, by the job step's rule (``plain_privacy_entry``)."""
    from avatars_server.jobs.steps.multitable import plain_privacy_entry

    if isinstance(entry, BasePrivacyMetricsParameters):
        return entry
    return BasePrivacyMetricsParameters.model_validate(
        plain_privacy_entry(entry.model_dump(mode="json"))
    )


def _check_series_entry(
    session: Session,
    settings: Settings,
    owner_id: uuid.UUID,
    entry: BasePrivacyMetricsWithTimeSeriesParameters,
    index: int,
) -> None:
    """A privacy entry with time series: both vanilla ids, and its series pairs as a
    time-series privacy job would check them (404s, same individuals, projections)."""
    from avatars_server.jobs.validation.time_series import check_privacy_time_series
    from avatars_server.schemas.time_series import PrivacyMetricsWithTimeSeriesParameters

    field = f"parameters.table_parameters.{index}"
    for name in ("vanilla_original_id", "vanilla_unshuffled_avatars_id"):
        if getattr(entry, name) is None:
            raise invalid(f"{field}.{name}", _NO_VANILLA_PAIR)
    # The series pairs alone: the vanilla is checked as a table of the graph (its individuals
    # are its primary key, not the one identifier a time-series job resolves).
    series = PrivacyMetricsWithTimeSeriesParameters.model_validate(
        entry.model_dump(exclude={"vanilla_original_id", "vanilla_unshuffled_avatars_id"})
    )
    check_privacy_time_series(session, settings, owner_id, series)
