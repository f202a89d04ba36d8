"""Multi-table steps: avatarize a table graph, or measure its privacy (method-extended.md §3)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from avatars_server.jobs.context import JobContext
from avatars_server.jobs.steps.avatarization import avatarization_config
from avatars_server.jobs.steps.common import finite, finite_or_none, identifiers, load_dataset
from avatars_server.jobs.steps.metrics import privacy_config
from avatars_server.jobs.steps.time_series import series_privacy_details, store_result
from avatars_server.schemas.metrics import OPTIONAL_PRIVACY_METRICS, REQUIRED_PRIVACY_METRICS

if TYPE_CHECKING:
    import pandas as pd

    from avatars_server.datasets.columns import ColumnDescriptor
    from avatars_server.engine.multitable import Graph, Link, TableInfo
    from avatars_server.engine.timeseries import TableInput
    from avatars_server.storage.tables import DatasetRow


def table_key(entry: Mapping[str, Any]) -> str | None:
    """The graph node of a `table_parameters` entry: its dataset (avatarization), its vanilla
    dataset (avatarization with time series, §3.4), its original (privacy) or its vanilla
    original (privacy with time series, §3.7); None for a time-series entry without vanilla."""
    value = entry.get("dataset_id") or entry.get("original_id")
    if value is None and "time_series" in entry:
        value = entry.get("vanilla_dataset_id") or entry.get("vanilla_original_id")
    return None if value is None else str(value)


def dataset_name(row: DatasetRow) -> str:
    return row.name or str(row.id)


def graph_inputs(
    parameters: Mapping[str, Any], rows: Mapping[str, DatasetRow]
) -> tuple[dict[str, TableInfo], list[Link], list[tuple[str, bool]]]:
    """The engine's tables, links and stated individual-level flags from wire parameters.

    Args:
        rows: the dataset row of every table key named in `table_parameters`.
    """
    from avatars_server.engine.multitable import Link, TableInfo

    flags: list[tuple[str, bool]] = []
    links: list[Link] = []
    for link in parameters["table_links"]:
        parent, child = link["parent_table"], link["child_table"]
        flags += [
            (str(parent["dataset_id"]), bool(parent["is_individual_level"])),
            (str(child["dataset_id"]), bool(child["is_individual_level"])),
        ]
        links.append(
            Link(
                str(parent["dataset_id"]),
                str(child["dataset_id"]),
                link["parent_link_key"],
                link["child_link_key"],
                link.get("link_method") or "bottom_projection",
            )
        )
    stated = dict(reversed(flags))
    tables = {
        key: TableInfo(
            dataset_name(row),
            identifiers(row.columns or []),
            [str(c["label"]) for c in row.columns or []],
            stated.get(key, True),
        )
        for key, row in rows.items()
    }
    return tables, links, flags


def _graph(parameters: Mapping[str, Any], rows: Mapping[str, DatasetRow]) -> Graph:
    from avatars_server.engine.multitable import build_graph

    return build_graph(*graph_inputs(parameters, rows))


def _load_all(
    context: JobContext, owner_id: uuid.UUID, ids: Sequence[str]
) -> tuple[dict[str, DatasetRow], dict[str, pd.DataFrame]]:
    rows: dict[str, DatasetRow] = {}
    frames: dict[str, pd.DataFrame] = {}
    for key in ids:
        rows[key], frames[key] = load_dataset(context, uuid.UUID(key), owner_id)
    return rows, frames


def _result_columns(columns: Sequence[ColumnDescriptor]) -> list[ColumnDescriptor]:
    """The original's columns, identifier columns typed for their surrogates (§0.2)."""
    from avatars_server.engine.identifiers import surrogate_type

    return [
        {**c, "type": surrogate_type(c["type"])} if c.get("is_identifier") else c  # type: ignore[typeddict-item]
        for c in columns
    ]


def _store(context: JobContext, frame: pd.DataFrame, original: DatasetRow, suffix: str) -> str:
    from avatars_server.storage.datasets import store_dataframe

    with context.session() as session:
        row = store_dataframe(
            session,
            context.settings,
            frame,
            owner_id=original.owner_id,
            columns=_result_columns(original.columns),
            filetype=original.filetype,
            name=f"{dataset_name(original)} ({suffix})",
        )
        session.commit()
        return str(row.id)


def _load_series(
    context: JobContext,
    owner_id: uuid.UUID,
    keys: Sequence[str],
    entries: Sequence[Mapping[str, Any]],
) -> tuple[dict[str, list[DatasetRow]], dict[str, list[TableInput]]]:
    """The series datasets of the time-series entries, by table key, with their projections."""
    from avatars_server.jobs.steps.time_series import projection_spec, table_input, unique_names

    rows: dict[str, list[DatasetRow]] = {}
    inputs: dict[str, list[TableInput]] = {}
    for key, entry in zip(keys, entries, strict=True):
        items = entry.get("time_series") or []
        if not items:
            continue
        loaded = [load_dataset(context, uuid.UUID(item["dataset_id"]), owner_id) for item in items]
        names = unique_names([row for row, _ in loaded])
        rows[key] = [row for row, _ in loaded]
        inputs[key] = [
            table_input(row, frame, projection_spec(item["projection_parameters"]), name=name)
            for (row, frame), item, name in zip(loaded, items, names, strict=True)
        ]
    return rows, inputs


def run_multi_table_avatarization(
    context: JobContext, owner_id: uuid.UUID, parameters: Mapping[str, Any]
) -> dict[str, Any]:
    from avatars_server.engine.multitable import (
        avatarize_multi_table,
        children_count_hellinger,
        parent_child_relations,
    )

    context.report("reading", 0.0)
    entries = list(parameters["table_parameters"])
    keys = [str(table_key(entry)) for entry in entries]
    rows, frames = _load_all(context, owner_id, keys)
    graph = _graph(parameters, rows)
    series_rows, series = _load_series(context, owner_id, keys, entries)
    configs = {
        key: avatarization_config({**entry, "seed": None})
        for key, entry in zip(keys, entries, strict=True)
    }
    types = {
        key: {c["label"]: c["type"] for c in rows[key].columns if c.get("is_identifier")}
        for key in keys
    }
    output = avatarize_multi_table(
        graph,
        frames,
        configs,
        types,
        parameters.get("seed"),
        block_size=context.settings.multi_table_block_size,
        max_dimensions=context.settings.max_encoded_dimensions,
        progress=context.phase(0.02, 0.85),
        series=series,
        g_max=context.settings.time_series_max_grid,
    )
    context.report("storing", 0.85)
    datasets = []
    for key in keys:
        table = output.tables[key]
        datasets.append(
            {
                "privacy_metrics": None,
                "signal_metrics": None,
                "avatars_dataset_id": _store(context, table.avatars, rows[key], "avatars"),
                "sensitive_unshuffled_avatars_datasets_id": _store(
                    context, table.unshuffled, rows[key], "sensitive unshuffled avatars"
                ),
                "original_id": key,
            }
        )
        # A time-series entry: its vanilla, then its series in request order (§3.6).
        for row, result in zip(series_rows.get(key, []), output.series.get(key, []), strict=True):
            datasets.append(
                {
                    "privacy_metrics": None,
                    "signal_metrics": None,
                    "avatars_dataset_id": str(
                        store_result(context, result.avatars, row, "avatars")
                    ),
                    "sensitive_unshuffled_avatars_datasets_id": str(
                        store_result(
                            context, result.unshuffled, row, "sensitive unshuffled avatars"
                        )
                    ),
                    "original_id": str(row.id),
                }
            )
    context.report("utility checks", 0.95)
    released = {key: output.tables[key].avatars for key in keys}
    # Not on the wire (0.7.3 has no route for them): kept with the job for reports (§3.8).
    utility = {
        "children_count_hellinger": children_count_hellinger(graph, frames, released),
        "parent_child_relations": parent_child_relations(graph, frames, released),
    }
    return {"datasets": datasets, "utility": utility}


def _metrics(result: Any) -> dict[str, Any]:
    from avatars_server.engine import PRIVACY_TARGETS

    metrics: dict[str, Any] = {
        name: finite(getattr(result, name), name) for name in REQUIRED_PRIVACY_METRICS
    }
    for name in OPTIONAL_PRIVACY_METRICS:
        metrics[name] = finite_or_none(getattr(result, name))
    metrics["targets"] = dict(PRIVACY_TARGETS)
    return metrics


def run_multi_table_privacy(
    context: JobContext, owner_id: uuid.UUID, parameters: Mapping[str, Any]
) -> dict[str, Any]:
    """§3.7: the multi-table entries, then, for each entry with time series (its vanilla pair is
    the table), its series' §2.9 entries, in request order."""
    from avatars_server.engine.multitable import multi_table_privacy
    from avatars_server.engine.timeseries.metrics import SeriesPair

    context.report("reading", 0.0)
    requested = list(parameters["table_parameters"])
    entries = [plain_privacy_entry(entry) for entry in requested]
    keys = [str(entry["original_id"]) for entry in entries]
    avatar_ids = {
        key: str(e["unshuffled_avatars_id"]) for key, e in zip(keys, entries, strict=True)
    }
    rows, originals = _load_all(context, owner_id, keys)
    _, avatars = _load_all(context, owner_id, list(avatar_ids.values()))
    graph = _graph({**parameters, "table_parameters": entries}, rows)
    seed = parameters.get("seed")
    configs = {
        key: privacy_config({**entry, "seed": seed})
        for key, entry in zip(keys, entries, strict=True)
    }
    with_series = [e for e in requested if "time_series" in e]
    results = multi_table_privacy(
        graph,
        originals,
        {key: avatars[avatar_ids[key]] for key in keys},
        configs,
        progress=context.phase(0.05, 0.7 if with_series else 1.0),
    )
    details = [
        {
            **_metrics(entry.metrics),
            "original_id": entry.table,
            "unshuffled_avatars_id": avatar_ids[entry.table],
            "metrics_type": "multi_table",
            "individual_identifier_variable": entry.individual_identifier_variable,
            "computation_type": entry.computation_type,
            "dataset_name": entry.dataset_name,
        }
        for entry in results
    ]
    for position, entry in enumerate(with_series):
        context.report("time series metrics", 0.7 + 0.3 * position / len(with_series))
        key = str(entry["vanilla_original_id"])
        vanilla = SeriesPair(
            _vanilla_of(graph, key, originals[key]),
            _vanilla_of(graph, key, avatars[avatar_ids[key]]),
        )
        details += series_privacy_details(
            context, owner_id, entry["time_series"], vanilla, configs[key]
        )
    return {"details": details}


def _vanilla_of(graph: Graph, key: str, frame: pd.DataFrame) -> TableInput:
    """A table as the vanilla of its series' metrics: its primary key (the individuals, which
    its series reference) and its own columns; foreign keys are neither."""
    from avatars_server.engine.multitable.avatarize import vanilla_input
    from avatars_server.engine.multitable.enrichment import own_columns

    return vanilla_input(graph, key, own_columns(graph, key, frame), frame)


def plain_privacy_entry(entry: Mapping[str, Any]) -> dict[str, Any]:
    """A privacy entry as its table's node: an entry with time series is its vanilla pair, with
    the same privacy knobs (its series are measured apart, method-extended §3.7)."""
    if "time_series" not in entry:
        return dict(entry)
    plain = {k: v for k, v in entry.items() if k not in ("time_series", "parameter_type")}
    plain["original_id"] = plain.pop("vanilla_original_id")
    plain["unshuffled_avatars_id"] = plain.pop("vanilla_unshuffled_avatars_id")
    return plain
