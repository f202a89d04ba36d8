"""Enriched tables E_T (method-extended.md §3.3) and the aggregates of the privacy computations
(§3.7): parent parts broadcast down, child counts, means and modes gathered up."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from avatars_server.engine.multitable.graph import Graph
from avatars_server.engine.table import IntArray

COUNT = "__count"


def own_columns(graph: Graph, key: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The table's non-identifier columns, in file order."""
    ids = set(graph.tables[key].identifiers)
    return frame[[c for c in frame.columns if c not in ids]]


def count_label(graph: Graph, child: str) -> str:
    return f"{graph.tables[child].name}.{COUNT}"


def enrich(
    graph: Graph,
    key: str,
    frames: Mapping[str, pd.DataFrame],
    parent_rows: Mapping[int, IntArray],
) -> pd.DataFrame:
    """E_T: own columns, parent parts `<P>.<column>`, child counts `<C>.__count` (§3.3).

    Args:
        frames: every table's original frame, by key.
        parent_rows: for each link position, the parent row of each child row.
    """
    frame = frames[key]
    parts = [own_columns(graph, key, frame).reset_index(drop=True)]
    for index, link in enumerate(graph.links):
        if link.child == key:
            parent = own_columns(graph, link.parent, frames[link.parent])
            part = parent.iloc[parent_rows[index]].reset_index(drop=True)
            part.columns = pd.Index([f"{graph.tables[link.parent].name}.{c}" for c in part.columns])
            parts.append(part)
    for index, link in enumerate(graph.links):
        if link.parent == key:
            counts = np.bincount(parent_rows[index], minlength=len(frame)).astype(np.int64)
            parts.append(pd.DataFrame({count_label(graph, link.child): counts}))
    return pd.concat(parts, axis=1)


def parent_part_labels(graph: Graph, parent: str, frame: pd.DataFrame) -> list[str]:
    """Labels of P's part in a child's enriched table."""
    name = graph.tables[parent].name
    return [f"{name}.{c}" for c in own_columns(graph, parent, frame).columns]


def _is_categorical(series: pd.Series) -> bool:
    return not (pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series))


def _mode(values: pd.Series, groups: IntArray, n: int) -> pd.Series:
    """Per group, the most frequent non-missing value (ties → smallest string); none → missing."""
    frame = pd.DataFrame({"g": groups, "v": values.to_numpy(dtype=object)}).dropna()
    out = pd.Series([None] * n, dtype=object)
    if frame.empty:
        return out
    frame["s"] = frame["v"].astype(str)
    counts = frame.groupby(["g", "s"], sort=False).size().reset_index(name="c")
    counts = counts.sort_values(["g", "c", "s"], ascending=[True, False, True])
    best = counts.drop_duplicates("g")
    first_value = frame.drop_duplicates(["g", "s"]).set_index(["g", "s"])["v"]
    chosen = [first_value[(g, s)] for g, s in zip(best["g"], best["s"], strict=True)]
    out.iloc[best["g"].to_numpy()] = chosen
    return out


def to_top(
    graph: Graph,
    key: str,
    frames: Mapping[str, pd.DataFrame],
    parent_rows: Mapping[int, IntArray],
) -> pd.DataFrame:
    """T's own columns + per child C: `<C>.__count`, `<C>.<c>.mean` (continuous) and
    `<C>.<c>.mode` (categorical) over each row's children; no child → missing (§3.7)."""
    frame = frames[key]
    n = len(frame)
    parts = [own_columns(graph, key, frame).reset_index(drop=True)]
    for index, link in enumerate(graph.links):
        if link.parent != key:
            continue
        rows = parent_rows[index]
        name = graph.tables[link.child].name
        counts = np.bincount(rows, minlength=n)
        columns: dict[str, pd.Series] = {f"{name}.{COUNT}": pd.Series(counts.astype(np.int64))}
        child = own_columns(graph, link.child, frames[link.child])
        for column in child.columns:
            values = child[column].reset_index(drop=True)
            if _is_categorical(values):
                columns[f"{name}.{column}.mode"] = _mode(values, rows, n)
            else:
                numeric = pd.to_numeric(values, errors="coerce").to_numpy(dtype=np.float64)
                seen = ~np.isnan(numeric)
                total = np.bincount(rows[seen], weights=numeric[seen], minlength=n)
                number = np.bincount(rows[seen], minlength=n)
                with np.errstate(invalid="ignore", divide="ignore"):
                    mean = np.where(number > 0, total / np.maximum(number, 1), np.nan)
                columns[f"{name}.{column}.mean"] = pd.Series(mean)
        parts.append(pd.DataFrame(columns))
    return pd.concat(parts, axis=1)


def ancestor_rows(path: list[int], parent_rows: Mapping[int, IntArray], n_rows: int) -> IntArray:
    """The row of the path's last table reached from each row of its first child table.

    Args:
        path: link positions, the first leaving the evaluated table.
    """
    rows = np.arange(n_rows)
    for index in path:
        rows = parent_rows[index][rows]
    return rows


def full_enriched(
    graph: Graph,
    child: str,
    ancestor: str,
    frames: Mapping[str, pd.DataFrame],
    rows: IntArray,
) -> pd.DataFrame:
    """C's own columns + the ancestor P's own columns broadcast down as `<P>.<column>`."""
    own = own_columns(graph, child, frames[child]).reset_index(drop=True)
    parent = own_columns(graph, ancestor, frames[ancestor]).iloc[rows].reset_index(drop=True)
    parent.columns = pd.Index([f"{graph.tables[ancestor].name}.{c}" for c in parent.columns])
    return pd.concat([own, parent], axis=1)
