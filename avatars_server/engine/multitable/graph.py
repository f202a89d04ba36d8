"""The table graph of a multi-table job: consistency rules, key roles, key resolution (§3.2).

Tables are named by a key (the dataset id as a string in jobs); ``name`` is the dataset name used
in messages and enriched column labels.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from avatars_server.engine.errors import AvatarError
from avatars_server.engine.table import IntArray

LINK_METHODS = ("bottom_projection", "linear_sum_assignement")


@dataclass(frozen=True)
class TableInfo:
    """What the graph needs to know of a table (no data).

    Attributes:
        name: the dataset name (or id), used in messages and enriched labels.
        identifiers: its identifier columns, in file order.
        columns: all its column labels.
        is_individual_level: one row = one person.
    """

    name: str
    identifiers: Sequence[str]
    columns: Sequence[str]
    is_individual_level: bool


@dataclass(frozen=True)
class Link:
    """One parent → child link (wire `TableLink`)."""

    parent: str
    child: str
    parent_key: str
    child_key: str
    method: str = "bottom_projection"


@dataclass(frozen=True)
class Graph:
    """A checked table graph.

    Attributes:
        tables: every table by key, in `table_parameters` order.
        links: in `table_links` order.
        primary_keys: PK_T of every table.
    """

    tables: Mapping[str, TableInfo]
    links: Sequence[Link]
    primary_keys: Mapping[str, str]

    def parents(self, key: str) -> list[Link]:
        """Links where ``key`` is the child, in `table_links` order."""
        return [link for link in self.links if link.child == key]

    def children(self, key: str) -> list[Link]:
        """Links where ``key`` is the parent, in `table_links` order."""
        return [link for link in self.links if link.parent == key]

    def ancestor_paths(self, key: str) -> list[list[Link]]:
        """For a table, each path up its parent links to the first individual-level table.

        Returns:
            Paths of links, the first link leaving ``key``, the last one reaching an
            individual-level table (§3.2 "ancestor individual tables").
        """
        paths: list[list[Link]] = []
        for link in self.parents(key):
            if self.tables[link.parent].is_individual_level:
                paths.append([link])
            else:
                paths.extend([link, *rest] for rest in self.ancestor_paths(link.parent))
        return paths


def _fail(message: str, field: str = "table_links") -> AvatarError:
    return AvatarError("INVALID_TABLE_LINKS", message, field)


def build_graph(
    tables: Mapping[str, TableInfo],
    links: Sequence[Link],
    individual_flags: Sequence[tuple[str, bool]] = (),
) -> Graph:
    """Check the consistency rules of avatar-api.md §3.10 and the key roles of §3.2.

    Args:
        tables: every table of `table_parameters`, by key, in order.
        links: the links, in order.
        individual_flags: every (table key, is_individual_level) stated by a TableReference,
            in order; all those of one table must agree.

    Raises:
        AvatarError: ``INVALID_TABLE_LINKS`` naming the rule that is broken.
    """
    in_links = {link.parent for link in links} | {link.child for link in links}

    def name(key: str) -> str:
        return tables[key].name if key in tables else key

    only_links = [k for k in in_links if k not in tables]
    if only_links:
        raise _fail(
            f"every table in table_links must have an entry in table_parameters; "
            f"{sorted(only_links)} only appear in table_links"
        )
    only_parameters = [k for k in tables if k not in in_links]
    if only_parameters:
        raise _fail(
            f"every table in table_parameters must appear in table_links; "
            f"{[name(k) for k in only_parameters]} is in no link",
            "table_parameters",
        )
    stated: dict[str, bool] = {}
    for key, flag in individual_flags:
        if stated.setdefault(key, flag) != flag:
            raise _fail(
                f"all references to table {name(key)!r} must agree: it is given both "
                "is_individual_level true and false"
            )
    for index, link in enumerate(links):
        for role, key, column in (
            ("parent_link_key", link.parent, link.parent_key),
            ("child_link_key", link.child, link.child_key),
        ):
            info = tables[key]
            if column not in info.columns:
                raise _fail(
                    f"table_links[{index}].{role} {column!r} is not a column of "
                    f"{info.name!r} (its columns: {list(info.columns)})",
                    f"table_links.{index}.{role}",
                )
            if column not in info.identifiers:
                raise _fail(
                    f"table_links[{index}].{role} {column!r} of {info.name!r} must be declared "
                    "an identifier (is_identifier) when the dataset is created",
                    f"table_links.{index}.{role}",
                )
        if link.method not in LINK_METHODS:
            raise _fail(
                f"table_links[{index}].link_method must be one of {list(LINK_METHODS)}",
                f"table_links.{index}.link_method",
            )
        if link.parent == link.child:
            raise _fail(f"table_links[{index}] links {name(link.parent)!r} to itself (a cycle)")
    pairs: set[tuple[str, str]] = set()
    child_columns: set[tuple[str, str]] = set()
    for index, link in enumerate(links):
        pair = (link.parent, link.child)
        if pair in pairs or pair[::-1] in pairs:
            raise _fail(
                f"tables {name(link.parent)!r} and {name(link.child)!r} are linked twice "
                f"(table_links[{index}]); a pair of tables is linked at most once"
            )
        pairs.add(pair)
        used = (link.child, link.child_key)
        if used in child_columns:
            raise _fail(
                f"column {link.child_key!r} of {name(link.child)!r} is the child_link_key of "
                f"two links (table_links[{index}]); a child column is used by at most one link"
            )
        child_columns.add(used)
    _check_acyclic(tables, links, name)
    primary: dict[str, str] = {}
    for key, info in tables.items():
        parents = [link for link in links if link.child == key]
        expected = len(parents) + 1
        if len(info.identifiers) != expected:
            raise _fail(
                f"table {info.name!r} has {len(parents)} direct parent(s), so it needs "
                f"{expected} identifier columns (its own key plus one per parent); it has "
                f"{len(info.identifiers)}: {list(info.identifiers)}",
                "table_parameters",
            )
        if not parents and not stated.get(key, info.is_individual_level):
            raise _fail(
                f"table {info.name!r} has no parent, so it must be individual-level "
                "(is_individual_level true)"
            )
        foreign = {link.child_key for link in parents}
        as_parent = {link.parent_key for link in links if link.parent == key}
        if len(as_parent) > 1:
            raise _fail(
                f"table {info.name!r} is referenced through different parent_link_keys "
                f"{sorted(as_parent)}; a table has one primary key"
            )
        own = as_parent or {c for c in info.identifiers if c not in foreign}
        pk = next(iter(own))
        if pk in foreign:
            raise _fail(
                f"column {pk!r} of {info.name!r} is both its primary key and a child_link_key"
            )
        primary[key] = pk
    flags = {**{k: t.is_individual_level for k, t in tables.items()}, **stated}
    resolved = {
        key: TableInfo(info.name, info.identifiers, info.columns, flags[key])
        for key, info in tables.items()
    }
    return Graph(resolved, list(links), primary)


def _check_acyclic(tables: Mapping[str, TableInfo], links: Sequence[Link], name: object) -> None:
    state: dict[str, int] = {}
    children: dict[str, list[str]] = {k: [] for k in tables}
    for link in links:
        children[link.parent].append(link.child)

    def visit(key: str, path: list[str]) -> None:
        state[key] = 1
        for child in children[key]:
            if state.get(child) == 1:
                cycle = [*path[path.index(child) :], child] if child in path else [key, child]
                labels = " -> ".join(tables[k].name for k in cycle)
                raise _fail(f"the table links form a cycle ({labels}); links must form a DAG")
            if child not in state:
                visit(child, [*path, child])
        state[key] = 2

    for key in tables:
        if key not in state:
            visit(key, [key])


def _key_values(series: pd.Series) -> pd.Series:
    """Keys as strings, missing ones as None; 7, 7.0 and "7" are one key, whatever each table
    declared."""
    present = series.notna()
    numeric = pd.to_numeric(series[present], errors="coerce")
    out = pd.Series([None] * len(series), index=series.index, dtype=object)
    if not bool(numeric.isna().any()) and bool((numeric == np.round(numeric)).all()):
        out[present] = numeric.astype(np.int64).astype(str)
    else:
        out[present] = series[present].astype(str)
    return out


def resolve_keys(graph: Graph, frames: Mapping[str, pd.DataFrame]) -> dict[int, IntArray]:
    """For each link (by position), the parent row of every child row.

    Raises:
        AvatarError: ``DUPLICATE_KEY`` for a missing or repeated primary key value,
            ``ORPHAN_ROW`` for a missing foreign key or one matching no parent.
    """
    keys: dict[str, pd.Index] = {}
    for key, pk in graph.primary_keys.items():
        column = frames[key][pk]
        name = graph.tables[key].name
        if bool(column.isna().any()):
            row = int(np.flatnonzero(column.isna().to_numpy())[0])
            raise AvatarError(
                "DUPLICATE_KEY", f"the primary key {pk!r} of {name!r} is missing at row {row}", pk
            )
        values = _key_values(column)
        repeated = values[values.duplicated()]
        if len(repeated):
            raise AvatarError(
                "DUPLICATE_KEY",
                f"the primary key {pk!r} of {name!r} must be unique; {repeated.iloc[0]!r} is "
                f"repeated ({len(repeated)} duplicate value(s))",
                pk,
            )
        keys[key] = pd.Index(values)
    out: dict[int, IntArray] = {}
    for index, link in enumerate(graph.links):
        column = frames[link.child][link.child_key]
        found = keys[link.parent].get_indexer(pd.Index(_key_values(column)))
        rows = np.asarray(found, dtype=np.int64)
        bad = np.flatnonzero(rows < 0)
        if bad.size:
            child, parent = graph.tables[link.child].name, graph.tables[link.parent].name
            raise AvatarError(
                "ORPHAN_ROW",
                f"row {int(bad[0])} of {child!r} has {link.child_key!r} = "
                f"{_shown(column.iloc[int(bad[0])])}, which is missing or matches no "
                f"{link.parent_key!r} of {parent!r} ({bad.size} orphan row(s)); optional links "
                "are not supported",
                link.child_key,
            )
        out[index] = rows
    return out


def _shown(value: object) -> str:
    return "a missing value" if pd.isna(value) else repr(str(value))  # type: ignore[call-overload]
