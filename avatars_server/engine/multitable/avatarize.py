"""Multi-table avatarization (method-extended.md §3.4-§3.6): every enriched table avatarized with
its own parameters, links rebuilt from avatar content, surrogate keys."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from avatars_server.engine.avatarize import TableOptions, avatarize
from avatars_server.engine.config import DEFAULT_MAX_DIMENSIONS, AvatarizationConfig
from avatars_server.engine.identifiers import surrogate_column, surrogate_keys
from avatars_server.engine.multitable.enrichment import (
    count_label,
    enrich,
    own_columns,
    parent_part_labels,
)
from avatars_server.engine.multitable.graph import Graph, resolve_keys
from avatars_server.engine.multitable.linking import (
    DEFAULT_BLOCK_SIZE,
    assign_with_capacities,
    capacities,
    link_space,
    nearest_parent,
)
from avatars_server.engine.table import IntArray
from avatars_server.engine.timeseries.avatarization import (
    TableInput,
    TableResult,
    avatarize_with_time_series,
)
from avatars_server.engine.timeseries.grid import DEFAULT_G_MAX

Progress = Callable[[str, float], None]


@dataclass(frozen=True)
class TableAvatars:
    """One table's avatars.

    Attributes:
        avatars: the released avatars (shuffled), the original's columns in order, identifier
            columns holding surrogate keys.
        unshuffled: row i = the avatar of original row i, same keys on the same avatars.
        order: released row i is unshuffled row ``order[i]``.
        ncp: the ncp used for its avatarization.
    """

    avatars: pd.DataFrame
    unshuffled: pd.DataFrame
    order: IntArray
    ncp: int


@dataclass(frozen=True)
class MultiTableOutput:
    """Every table's avatars (by key, `table_parameters` order) and, per link position, the
    parent avatar (unshuffled row) of each child avatar and the capacities used (LSA only), and
    the series avatars of the tables given with time series."""

    tables: Mapping[str, TableAvatars]
    assignments: Mapping[int, IntArray]
    capacities: Mapping[int, IntArray | None]
    series: Mapping[str, list[TableResult]] = field(default_factory=dict)
    """Per table given with time series, its series avatars in request order (§3.4)."""


def _ignore(stage: str, fraction: float) -> None:
    """Default progress callback: does nothing."""


def avatarize_multi_table(
    graph: Graph,
    frames: Mapping[str, pd.DataFrame],
    configs: Mapping[str, AvatarizationConfig],
    identifier_types: Mapping[str, Mapping[str, str]],
    seed: int | None,
    *,
    block_size: int = DEFAULT_BLOCK_SIZE,
    max_dimensions: int = DEFAULT_MAX_DIMENSIONS,
    progress: Progress | None = None,
    series: Mapping[str, Sequence[TableInput]] | None = None,
    g_max: int = DEFAULT_G_MAX,
) -> MultiTableOutput:
    """Avatarize every table of the graph and link the avatars (§3.3-§3.6).

    Args:
        graph: the checked graph (its tables in `table_parameters` order).
        frames: every table's original frame, identifier columns included.
        configs: every table's avatarization parameters (their seed is ignored).
        identifier_types: per table, the declared type of each identifier column.
        seed: the job's master seed (§0.1); None for fresh entropy.
        block_size: L, the largest assignment solved at once.
        series: per table given with time-series parameters, its series tables (each with its
            projection). Its enriched table E_T, keyed by its primary key, is the vanilla of a
            method-extended §2 avatarization with these series, driven by the table's child
            seed (§3.4); the other tables go through the core avatarization.
        g_max: the largest time grid of those series.

    Raises:
        AvatarError: keys (``DUPLICATE_KEY``, ``ORPHAN_ROW``) or a table's parameters.
    """
    report = progress or _ignore
    parent_rows = resolve_keys(graph, frames)
    keys = list(graph.tables)
    children = np.random.SeedSequence(seed).spawn(len(keys) + 1)
    enriched: dict[str, pd.DataFrame] = {}
    orders: dict[str, IntArray] = {}
    ncps: dict[str, int] = {}
    series_avatars: dict[str, list[TableResult]] = {}
    for position, key in enumerate(keys):
        report(f"avatarizing {graph.tables[key].name}", position / (len(keys) + 1))
        table = enrich(graph, key, frames, parent_rows)
        if series and series.get(key):
            timed = avatarize_with_time_series(
                vanilla_input(graph, key, table, frames[key]),
                series[key],
                configs[key],
                g_max=g_max,
                max_dimensions=max_dimensions,
                seed_sequence=children[position],
            )
            assert timed.order is not None
            enriched[key], orders[key], ncps[key] = timed.avatar_individuals, timed.order, timed.ncp
            series_avatars[key] = timed.series
            continue
        output = avatarize(
            table,
            configs[key],
            options=TableOptions(seed_sequence=children[position]),
            max_dimensions=max_dimensions,
        )
        assert output.order is not None
        enriched[key] = output.unshuffled
        orders[key], ncps[key] = output.order, output.ncp
    report("linking", len(keys) / (len(keys) + 1))
    linking = np.random.default_rng(children[-1])
    assignments: dict[int, IntArray] = {}
    used: dict[int, IntArray | None] = {}
    for index, link in enumerate(graph.links):
        parent_own = own_columns(graph, link.parent, frames[link.parent])
        labels = parent_part_labels(graph, link.parent, frames[link.parent])
        parent_avatars = enriched[link.parent][list(parent_own.columns)]
        parts = enriched[link.child][labels].set_axis(list(parent_own.columns), axis=1)
        x_parents, x_children = link_space(
            parent_own.reset_index(drop=True),
            parent_avatars,
            parts,
            configs[link.parent].imputation,
            linking,
        )
        if link.method == "linear_sum_assignement":
            estimated = np.maximum(
                enriched[link.parent][count_label(graph, link.child)].to_numpy(dtype=np.int64), 0
            )
            original = np.bincount(parent_rows[index], minlength=len(frames[link.parent]))
            capacity = capacities(estimated, len(x_children), int(original.min()))
            assignments[index] = assign_with_capacities(
                x_parents, x_children, capacity, linking, block_size
            )
            used[index] = capacity
        else:
            assignments[index] = nearest_parent(x_parents, x_children)
            used[index] = None
    report("keys", 0.95)
    tables: dict[str, TableAvatars] = {}
    surrogates = {key: surrogate_keys(orders[key]) for key in keys}
    for key in keys:
        order = orders[key]
        types = identifier_types[key]
        columns: dict[str, pd.Series] = {}
        for column in frames[key].columns:
            if column == graph.primary_keys[key]:
                columns[column] = surrogate_column(surrogates[key].unshuffled, types[column])
            elif column in graph.tables[key].identifiers:
                index, link = next(
                    (i, ln)
                    for i, ln in enumerate(graph.links)
                    if ln.child == key and ln.child_key == column
                )
                parent_keys = surrogates[link.parent].unshuffled[assignments[index]]
                columns[column] = surrogate_column(parent_keys, types[column])
            else:
                columns[column] = enriched[key][column].reset_index(drop=True)
        unshuffled = pd.DataFrame(columns)
        released = unshuffled.take(order).reset_index(drop=True)
        tables[key] = TableAvatars(released, unshuffled, order, ncps[key])
    report("done", 1.0)
    return MultiTableOutput(tables, assignments, used, series_avatars)


def vanilla_input(graph: Graph, key: str, table: pd.DataFrame, frame: pd.DataFrame) -> TableInput:
    """The vanilla of a table given with time series: its enriched table E_T (or any table of
    its rows) with its primary key first, the one identifier its series are matched on."""
    primary = graph.primary_keys[key]
    vanilla = table.reset_index(drop=True).copy()
    vanilla.insert(0, primary, frame[primary].reset_index(drop=True))
    return TableInput(graph.tables[key].name, vanilla, (primary,))
