"""The time-series job steps: avatarization with series, and its privacy and signal metrics."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, cast

from avatars_server.datasets.columns import ColumnDescriptor, ColumnType
from avatars_server.jobs.context import JobContext
from avatars_server.jobs.steps.avatarization import _to_categorical, avatarization_config
from avatars_server.jobs.steps.common import finite, finite_or_none, identifiers, load_dataset
from avatars_server.jobs.steps.metrics import privacy_config, privacy_metrics, signal_metrics
from avatars_server.schemas.metrics import OPTIONAL_PRIVACY_METRICS, REQUIRED_PRIVACY_METRICS

if TYPE_CHECKING:
    import pandas as pd

    from avatars_server.engine import PrivacyConfig
    from avatars_server.engine.timeseries import ProjectionSpec, TableInput
    from avatars_server.engine.timeseries.metrics import SeriesPair
    from avatars_server.storage.tables import DatasetRow


def dataset_name(row: DatasetRow) -> str:
    """`Dataset.name`, or the id as a string when the name is null (method-extended.md)."""
    return row.name if row.name else str(row.id)


def projection_spec(parameters: Mapping[str, Any] | None) -> ProjectionSpec | None:
    """The engine's projection from wire `FPCAParameters | FlattenParameters` (or null)."""
    from avatars_server.engine.timeseries import FPCA, Flatten

    if parameters is None:
        return None
    if parameters.get("projection_type") == "flatten":
        return Flatten()
    return FPCA(parameters["nf"])


def table_input(
    row: DatasetRow,
    frame: pd.DataFrame,
    projection: ProjectionSpec | None = None,
    *,
    name: str | None = None,
) -> TableInput:
    from avatars_server.engine.timeseries import TableInput

    return TableInput(name or dataset_name(row), frame, identifiers(row.columns or []), projection)


def unique_names(rows: Sequence[DatasetRow]) -> list[str]:
    """Dataset names made unique (they prefix the individual table's columns)."""
    names: list[str] = []
    for row in rows:
        name = dataset_name(row)
        while name in names:
            name = f"{name}#{len(names)}"
        names.append(name)
    return names


def _columns_with_surrogates(
    row: DatasetRow, identifier_labels: Sequence[str]
) -> list[ColumnDescriptor]:
    """The original's column metadata; identifier columns take their surrogate type (§0.2)."""
    from avatars_server.engine.identifiers import surrogate_type

    out: list[ColumnDescriptor] = []
    for column in row.columns or []:
        if column["label"] in identifier_labels:
            declared = cast(ColumnType, surrogate_type(column["type"]))
            column = {**column, "type": declared}
        out.append(column)
    return out


def store_result(
    context: JobContext, frame: pd.DataFrame, original: DatasetRow, suffix: str
) -> uuid.UUID:
    from avatars_server.storage.datasets import store_dataframe

    # Identifier columns are those whose values were replaced by surrogates: the declared
    # ones, and `id` when resolved by name (0.7.3 uploads declare none).
    declared = set(identifiers(original.columns or []))
    labels = [str(c["label"]) for c in original.columns or []]
    keys = declared or ({"id"} & set(labels))
    columns = _columns_with_surrogates(original, sorted(keys))
    base = original.name or "dataset"
    with context.session() as session:
        stored = store_dataframe(
            session,
            context.settings,
            frame,
            owner_id=original.owner_id,
            columns=columns,
            filetype=original.filetype,
            name=f"{base} ({suffix})",
        )
        session.commit()
        return stored.id


def run_avatarization_time_series_job(
    context: JobContext, owner_id: uuid.UUID, parameters: Mapping[str, Any]
) -> dict[str, Any]:
    """Avatarize the vanilla table (if any) with its series (method-extended.md §2)."""
    from avatars_server.engine.timeseries import avatarize_with_time_series

    context.report("reading", 0.0)
    vanilla = None
    vanilla_row = None
    if parameters.get("vanilla_dataset_id"):
        vanilla_row, frame = load_dataset(
            context, uuid.UUID(parameters["vanilla_dataset_id"]), owner_id
        )
        frame, converted = _to_categorical(
            frame, vanilla_row.columns, parameters.get("to_categorical_threshold")
        )
        vanilla = table_input(vanilla_row, frame)
    else:
        converted = {}
    loaded = [
        load_dataset(context, uuid.UUID(item["dataset_id"]), owner_id)
        for item in parameters["time_series"]
    ]
    names = unique_names([row for row, _ in loaded])
    series = [
        table_input(row, frame, projection_spec(item["projection_parameters"]), name=name)
        for (row, frame), item, name in zip(loaded, parameters["time_series"], names, strict=True)
    ]
    output = avatarize_with_time_series(
        vanilla,
        series,
        avatarization_config(parameters),
        g_max=context.settings.time_series_max_grid,
        progress=context.phase(0.05, 0.85),
        max_dimensions=context.settings.max_encoded_dimensions,
    )
    context.report("storing", 0.85)
    datasets: list[dict[str, str]] = []
    pairs: list[tuple[DatasetRow, pd.DataFrame, pd.DataFrame]] = []
    if vanilla_row is not None and output.vanilla is not None:
        avatars, unshuffled = output.vanilla.avatars, output.vanilla.unshuffled
        for label, dtype in converted.items():
            avatars[label] = avatars[label].astype(dtype)
            unshuffled[label] = unshuffled[label].astype(dtype)
        pairs.append((vanilla_row, avatars, unshuffled))
    for (row, _), result in zip(loaded, output.series, strict=True):
        pairs.append((row, result.avatars, result.unshuffled))
    for row, avatars, unshuffled in pairs:
        datasets.append(
            {
                "original_id": str(row.id),
                "avatars_dataset_id": str(store_result(context, avatars, row, "avatars")),
                "sensitive_unshuffled_avatars_datasets_id": str(
                    store_result(context, unshuffled, row, "sensitive unshuffled avatars")
                ),
            }
        )
    return {"datasets": datasets, "ncp": output.ncp}


def _privacy_wire(result: Any, original_id: str, avatars_id: str) -> dict[str, Any]:
    from avatars_server.engine import PRIVACY_TARGETS

    metrics: dict[str, Any] = {
        name: finite(getattr(result, name), name) for name in REQUIRED_PRIVACY_METRICS
    }
    for name in OPTIONAL_PRIVACY_METRICS:
        metrics[name] = finite_or_none(getattr(result, name))
    metrics["targets"] = dict(PRIVACY_TARGETS)
    return {
        **metrics,
        "original_id": original_id,
        "unshuffled_avatars_id": avatars_id,
        "metrics_type": "time_series",
    }


def run_privacy_time_series_job(
    context: JobContext, owner_id: uuid.UUID, parameters: Mapping[str, Any]
) -> dict[str, Any]:
    """Privacy metrics of the vanilla pair (core) and of each series pair (§2.9)."""
    from avatars_server.engine.timeseries.metrics import SeriesPair

    context.report("reading", 0.0)
    config = privacy_config(parameters)
    details: list[dict[str, Any]] = []
    vanilla_pair = None
    original_id = parameters.get("vanilla_original_id")
    avatars_id = parameters.get("vanilla_unshuffled_avatars_id")
    if original_id and avatars_id:
        x_row, x_frame = load_dataset(context, uuid.UUID(original_id), owner_id)
        a_row, a_frame = load_dataset(context, uuid.UUID(avatars_id), owner_id)
        vanilla_pair = SeriesPair(table_input(x_row, x_frame), table_input(a_row, a_frame))
        metrics = privacy_metrics(
            x_frame, a_frame, _variables_only(x_row), config, context.phase(0.05, 0.3)
        )
        details.append(
            {
                **metrics,
                "original_id": original_id,
                "unshuffled_avatars_id": avatars_id,
                "metrics_type": "time_series",
            }
        )
    context.report("time series metrics", 0.3)
    details += series_privacy_details(
        context, owner_id, parameters["time_series"], vanilla_pair, config
    )
    return {"details": details}


def series_privacy_details(
    context: JobContext,
    owner_id: uuid.UUID,
    items: Sequence[Mapping[str, Any]],
    vanilla_pair: SeriesPair | None,
    config: PrivacyConfig,
) -> list[dict[str, Any]]:
    """The §2.9 entry of each series pair (``PrivacyMetricsTimeSeriesParameters`` items)."""
    from avatars_server.engine.timeseries.metrics import SeriesPair, series_privacy_metrics

    details: list[dict[str, Any]] = []
    for item in items:
        x_row, x_frame = load_dataset(context, uuid.UUID(item["dataset_id"]), owner_id)
        a_row, a_frame = load_dataset(
            context, uuid.UUID(item["unshuffled_avatar_dataset_id"]), owner_id
        )
        pair = SeriesPair(
            table_input(x_row, x_frame, projection_spec(item.get("projection_parameters"))),
            table_input(a_row, a_frame),
        )
        result = series_privacy_metrics(
            pair, vanilla_pair, config, g_max=context.settings.time_series_max_grid
        )
        details.append(
            _privacy_wire(result, item["dataset_id"], item["unshuffled_avatar_dataset_id"])
        )
    return details


def _variables_only(row: DatasetRow) -> list[ColumnDescriptor]:
    """Column metadata with `id` marked as identifier when none is declared (0.7.3 uploads):
    the vanilla identifier is not a variable of the metrics."""
    columns = list(row.columns or [])
    if any(c.get("is_identifier") for c in columns):
        return columns
    return [{**c, "is_identifier": True} if c["label"] == "id" else c for c in columns]


def run_signal_time_series_job(
    context: JobContext, owner_id: uuid.UUID, parameters: Mapping[str, Any]
) -> dict[str, Any]:
    """Signal metrics of the vanilla pair (core) and of each series pair (§2.10)."""
    from avatars_server.engine.timeseries.metrics import SeriesPair, series_signal_metrics

    context.report("reading", 0.0)
    details: list[dict[str, Any]] = []
    original_id = parameters.get("vanilla_original_id")
    avatars_id = parameters.get("vanilla_avatars_id")
    if original_id and avatars_id:
        x_row, x_frame = load_dataset(context, uuid.UUID(original_id), owner_id)
        _, a_frame = load_dataset(context, uuid.UUID(avatars_id), owner_id)
        metrics = signal_metrics(x_frame, a_frame, _variables_only(x_row))
        details.append({**metrics, "original_id": original_id, "avatars_id": avatars_id})
    items = parameters["time_series"]
    for position, item in enumerate(items):
        context.report("time series metrics", 0.2 + 0.8 * position / max(1, len(items)))
        x_row, x_frame = load_dataset(context, uuid.UUID(item["dataset_id"]), owner_id)
        a_row, a_frame = load_dataset(context, uuid.UUID(item["avatar_dataset_id"]), owner_id)
        result = series_signal_metrics(
            SeriesPair(table_input(x_row, x_frame), table_input(a_row, a_frame)),
            g_max=context.settings.time_series_max_grid,
        )
        details.append(
            {
                "pointwise_hellinger_mean": finite(result.pointwise_hellinger_mean, "pointwise"),
                "pointwise_hellinger_std": finite(result.pointwise_hellinger_std, "pointwise"),
                "density_hellinger_mean": finite(result.density_hellinger_mean, "density"),
                "density_hellinger_std": finite(result.density_hellinger_std, "density"),
                "original_id": item["dataset_id"],
                "avatars_id": item["avatar_dataset_id"],
            }
        )
    return {"details": details}
