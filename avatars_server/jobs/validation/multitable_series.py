"""Creation-time checks of a multi-table entry given with time series (method-extended §3.4)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from avatars_server.config import Settings
from avatars_server.engine import AvatarError
from avatars_server.jobs.steps.avatarization import avatarization_config
from avatars_server.jobs.steps.time_series import projection_spec, table_input, unique_names
from avatars_server.jobs.validation.common import _owned, invalid
from avatars_server.jobs.validation.time_series import (
    TIME_SERIES_CHECK_MAX_CELLS,
    _cells,
    _check_nf,
    _resolve,
)
from avatars_server.schemas.multitable import BaseAvatarizationWithTimeSeriesParameters
from avatars_server.storage.datasets import read_dataframe
from avatars_server.storage.tables import DatasetRow

if TYPE_CHECKING:
    from avatars_server.engine.multitable import Graph


def check_table_series(
    session: Session,
    settings: Settings,
    owner_id: uuid.UUID,
    graph: Graph,
    key: str,
    rows: Mapping[str, DatasetRow],
    entry: BaseAvatarizationWithTimeSeriesParameters,
    field: str,
) -> list[str]:
    """404 for another user's series dataset; 422 for no series, a series that is also a
    table of the graph, unresolvable columns, a bad nf and (small data) the data checks of §2.2
    against the vanilla's primary key.

    Returns:
        The series value columns (``column_weights`` may name them).
    """
    if not entry.time_series:
        raise invalid(f"{field}.time_series", "give at least one time-series dataset")
    series: list[DatasetRow] = []
    values: list[str] = []
    for position, item in enumerate(entry.time_series):
        where = f"{field}.time_series.{position}"
        if str(item.dataset_id) in rows:
            raise invalid(
                f"{where}.dataset_id",
                f"dataset {item.dataset_id} is a table of the graph; a series dataset is not a "
                "graph node (method-extended §3.4): give it only in its table's time_series",
            )
        row = _owned(session, item.dataset_id, owner_id)
        values.extend(_resolve(row, f"{where}.dataset_id", series=True).values)
        _check_nf(item.projection_parameters, f"{where}.projection_parameters.nf")
        series.append(row)
    vanilla = rows[key]
    if _cells([*series, vanilla]) > TIME_SERIES_CHECK_MAX_CELLS:
        return values
    from avatars_server.engine.multitable.avatarize import vanilla_input
    from avatars_server.engine.multitable.enrichment import own_columns
    from avatars_server.engine.timeseries.avatarization import prepare_time_series

    frame = read_dataframe(settings, vanilla)
    names = unique_names(series)
    tables = [
        table_input(
            row,
            read_dataframe(settings, row),
            projection_spec(item.model_dump(mode="json")["projection_parameters"]),
            name=name,
        )
        for row, item, name in zip(series, entry.time_series, names, strict=True)
    ]
    config = avatarization_config(entry.model_dump(mode="json"))
    try:
        prepare_time_series(
            vanilla_input(graph, key, own_columns(graph, key, frame), frame),
            tables,
            config,
            g_max=settings.time_series_max_grid,
        )
    except AvatarError as exc:
        where = f"{field}.k" if exc.code == "INVALID_K" else f"{field}.time_series"
        raise invalid(where, exc.message, exc.code) from exc
    return values
