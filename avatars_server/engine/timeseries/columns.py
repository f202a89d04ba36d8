"""Which column is the identifier, the time and the values of a time-series job's table (§2.2).

Works on labels and roles only, so the server can check a dataset's declared columns before
reading its data.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from avatars_server.engine.errors import AvatarError
from avatars_server.engine.table import Kind, column_kind

ID_NAME = "id"
TIME_NAME = "t"


@dataclass(frozen=True)
class TableColumns:
    """Roles of a vanilla or series table's columns (method-extended.md §2.2).

    Attributes:
        identifier: the column whose values name the individual.
        time: the time column (series only; None for the vanilla).
        values: the series value columns (series only), in table order.
        row_keys: other declared identifier columns: they get surrogates.
    """

    identifier: str
    time: str | None
    values: tuple[str, ...]
    row_keys: tuple[str, ...]


def resolve_columns(
    labels: Sequence[str],
    kinds: Mapping[str, Kind],
    declared: Sequence[str],
    *,
    series: bool,
    dataset: str,
) -> TableColumns:
    """Resolve the identifier, time and value columns.

    Args:
        labels: the table's column labels, in order.
        kinds: role of each column (``continuous``, ``categorical`` or ``datetime``).
        declared: the columns declared ``is_identifier``.
        series: a long series table (time and values) rather than the vanilla table.
        dataset: the dataset's name, for messages.

    Raises:
        AvatarError: ``NO_ID_COLUMN``, ``NO_TIME_COLUMN`` or ``NON_NUMERIC_SERIES_COLUMN``.
    """
    declared = [name for name in declared if name in labels]
    if len(declared) == 1:
        identifier = declared[0]
    elif ID_NAME in labels and (not declared or ID_NAME in declared):
        identifier = ID_NAME
    else:
        what = (
            "several identifier columns are declared and none is named 'id'"
            if declared
            else ("no column is declared as identifier and none is named 'id'")
        )
        raise AvatarError(
            "NO_ID_COLUMN",
            f"dataset {dataset!r}: {what}; name the individuals' column 'id' or declare it "
            "(and only it) with is_identifier",
            field="id",
        )
    row_keys = tuple(name for name in declared if name != identifier)
    if not series:
        return TableColumns(identifier, None, (), row_keys)
    rest = [name for name in labels if name != identifier and name not in row_keys]
    if TIME_NAME in rest:
        time = TIME_NAME
    else:
        dates = [name for name in rest if kinds[name] == "datetime"]
        if len(dates) != 1:
            raise AvatarError(
                "NO_TIME_COLUMN",
                f"dataset {dataset!r}: no column is named 't' and it has "
                f"{len(dates)} datetime columns; name the time column 't'",
                field="t",
            )
        time = dates[0]
    values = tuple(name for name in rest if name != time)
    for name in values:
        if kinds[name] != "continuous":
            raise AvatarError(
                "NON_NUMERIC_SERIES_COLUMN",
                f"dataset {dataset!r}: the series column {name!r} is not numeric (int or "
                "float); series values must be numbers. Move it to the individuals' (vanilla) "
                "table if it describes the individual, or encode it as a number",
                field=name,
            )
    return TableColumns(identifier, time, values, row_keys)


def frame_kinds(frame: pd.DataFrame) -> dict[str, Kind]:
    """Role of every column from its dtype (bools are categorical, hence not series values)."""
    return {str(name): column_kind(frame[name]) for name in frame.columns}
