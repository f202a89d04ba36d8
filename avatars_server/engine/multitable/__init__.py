"""Multi-table avatarization and privacy (method-extended.md §3), a pure library.

- ``graph``: the table graph, its consistency rules, key roles and key resolution (§3.2);
- ``enrichment``: enriched tables E_T (§3.3) and the aggregates of the privacy computations;
- ``linking``: the linking space, nearest parent and capacitated assignment (§3.5);
- ``avatarize``: every table through the core ``avatarize``, links, surrogate keys (§3.4-§3.6);
- ``privacy``: group-aware metrics and the four computation types (§3.7);
- ``utility``: children-count and parent-child checks (§3.8).

Choices where §3 is open: key values match across tables as integers when every value is an
integer (7, 7.0 and "7" are one key), else as strings; a table referenced as parent through two
different ``parent_link_key``s is refused (a table has one primary key).
"""

from avatars_server.engine.multitable.avatarize import (
    MultiTableOutput,
    TableAvatars,
    avatarize_multi_table,
)
from avatars_server.engine.multitable.graph import Graph, Link, TableInfo, build_graph, resolve_keys
from avatars_server.engine.multitable.privacy import MultiTablePrivacyEntry, multi_table_privacy
from avatars_server.engine.multitable.utility import (
    children_count_hellinger,
    parent_child_relations,
)

__all__ = [
    "Graph",
    "Link",
    "MultiTableOutput",
    "MultiTablePrivacyEntry",
    "TableAvatars",
    "TableInfo",
    "avatarize_multi_table",
    "build_graph",
    "children_count_hellinger",
    "multi_table_privacy",
    "parent_child_relations",
    "resolve_keys",
]
