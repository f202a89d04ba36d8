"""A series dataset and its avatars as the metrics read them: columns, individuals, points."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from avatars_server.engine.errors import AvatarError
from avatars_server.engine.table import IntArray
from avatars_server.engine.timeseries.avatarization import TableInput
from avatars_server.engine.timeseries.columns import TableColumns, frame_kinds, resolve_columns
from avatars_server.engine.timeseries.grid import (
    Points,
)
from avatars_server.engine.timeseries.individuals import (
    id_keys,
    series_points,
)


@dataclass(frozen=True)
class SeriesPair:
    """An original series table and its row-aligned (privacy) or any-order (signal) avatars."""

    original: TableInput
    avatars: TableInput


def table_columns(table: TableInput) -> TableColumns:
    return resolve_columns(
        [str(c) for c in table.frame.columns],
        frame_kinds(table.frame),
        table.identifiers,
        series=True,
        dataset=table.name,
    )


def pair_columns(pair: SeriesPair) -> tuple[TableColumns, TableColumns]:
    """Both tables' columns, the avatars' value columns in the original's order.

    Raises:
        AvatarError: ``UNKNOWN_COLUMN`` when the value columns differ.
    """
    x_cols, a_cols = table_columns(pair.original), table_columns(pair.avatars)
    if set(x_cols.values) != set(a_cols.values):
        raise AvatarError(
            "UNKNOWN_COLUMN",
            f"the avatars {pair.avatars.name!r} must have the value columns of "
            f"{pair.original.name!r} ({sorted(x_cols.values)}); they have "
            f"{sorted(a_cols.values)}",
        )
    return x_cols, replace(a_cols, values=x_cols.values)


def points_of(table: TableInput, columns: TableColumns, individual: IntArray, n: int) -> Points:
    return series_points(table.frame, columns, frame_kinds(table.frame), individual, n, table.name)


def first_appearance(table: TableInput, columns: TableColumns) -> tuple[IntArray, int]:
    keys = id_keys(table.frame[columns.identifier])
    if keys.hasnans:
        raise AvatarError(
            "UNKNOWN_INDIVIDUAL", f"dataset {table.name!r}: some rows have no identifier value"
        )
    values = keys.to_numpy()
    if keys.dtype == np.int64 and len(values) and bool((values[1:] >= values[:-1]).all()):
        # Sorted keys (the usual long table): codes by order of first appearance number the
        # runs of equal keys, as pd.factorize gives them.
        change = np.flatnonzero(values[1:] != values[:-1]) + 1
        runs = np.diff(np.concatenate([[0], change, [len(values)]]))
        return np.repeat(np.arange(len(runs), dtype=np.int64), runs), len(runs)
    codes, uniques = pd.factorize(keys)
    return np.asarray(codes, dtype=np.int64), len(uniques)
