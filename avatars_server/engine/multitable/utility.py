"""Utility checks of a multi-table avatarization (method-extended.md §3.8)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from avatars_server.engine.hellinger import hellinger_codes
from avatars_server.engine.multitable.enrichment import ancestor_rows, full_enriched, to_top
from avatars_server.engine.multitable.graph import Graph, resolve_keys
from avatars_server.engine.signal import compute_signal_metrics


def children_count_hellinger(
    graph: Graph, originals: Mapping[str, pd.DataFrame], avatars: Mapping[str, pd.DataFrame]
) -> dict[str, float]:
    """Per link `<parent>-><child>`, Hellinger between the original and avatar distributions
    of the number of children per parent (counts as categories)."""
    rows_o, rows_a = resolve_keys(graph, originals), resolve_keys(graph, avatars)
    out: dict[str, float] = {}
    for index, link in enumerate(graph.links):
        n_p = len(originals[link.parent])
        counts_o = np.bincount(rows_o[index], minlength=n_p)
        counts_a = np.bincount(rows_a[index], minlength=len(avatars[link.parent]))
        levels = int(max(counts_o.max(), counts_a.max())) + 1
        label = f"{graph.tables[link.parent].name}->{graph.tables[link.child].name}"
        out[label] = hellinger_codes(counts_o, counts_a, levels)
    return out


def parent_child_relations(
    graph: Graph, originals: Mapping[str, pd.DataFrame], avatars: Mapping[str, pd.DataFrame]
) -> dict[str, dict[str, float | None]]:
    """hellinger_mean and correlation_difference_ratio on the to_top_enriched and
    full_enriched tables, original vs avatar (§3.8)."""
    rows_o, rows_a = resolve_keys(graph, originals), resolve_keys(graph, avatars)
    position = {id(link): i for i, link in enumerate(graph.links)}
    out: dict[str, dict[str, float | None]] = {}

    def record(label: str, original: pd.DataFrame, avatar: pd.DataFrame) -> None:
        result = compute_signal_metrics(original, avatar)
        out[label] = {
            "hellinger_mean": result.hellinger_mean,
            "correlation_difference_ratio": result.correlation_difference_ratio,
        }

    for key, info in graph.tables.items():
        if info.is_individual_level and graph.children(key):
            record(
                f"to_top_enriched {info.name}",
                to_top(graph, key, originals, rows_o),
                to_top(graph, key, avatars, rows_a),
            )
        if info.is_individual_level:
            continue
        n = len(originals[key])
        for path in graph.ancestor_paths(key):
            ancestor = path[-1].parent
            indices = [position[id(link)] for link in path]
            record(
                f"full_enriched {info.name}/{graph.tables[ancestor].name}",
                full_enriched(graph, key, ancestor, originals, ancestor_rows(indices, rows_o, n)),
                full_enriched(graph, key, ancestor, avatars, ancestor_rows(indices, rows_a, n)),
            )
    return out
