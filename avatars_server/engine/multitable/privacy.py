"""Multi-table privacy metrics (method-extended.md §3.7): group-aware linkage metrics and the
four computation types."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from avatars_server.engine.config import PrivacyConfig
from avatars_server.engine.metric_space import MetricSpace, build_metric_space, known_variable_space
from avatars_server.engine.multitable.enrichment import (
    ancestor_rows,
    full_enriched,
    own_columns,
    to_top,
)
from avatars_server.engine.multitable.graph import Graph, resolve_keys
from avatars_server.engine.neighbours import TIE_TOLERANCE, build_tree, count_within, nearest_ties
from avatars_server.engine.privacy import PrivacyMetricsResult, compute_privacy_metrics
from avatars_server.engine.random import make_streams
from avatars_server.engine.table import FloatArray, IntArray

COMPUTATION_TYPES = ("standalone", "to_bottom_id_propagated", "to_top_enriched", "full_enriched")
Progress = Callable[[str, float], None]


def group_success(original: FloatArray, avatars: FloatArray, groups: IntArray) -> FloatArray:
    """π_r: the share of the avatars tied nearest to original r that belong to r's group.

    Args:
        original, avatars: shape (n, d), row-aligned (avatar i comes from original i).
        groups: shape (n,), the group (individual) of each row; avatar i is in group i's.
    """
    n = len(original)
    if original.shape[1] == 0:
        # No variable: every avatar ties, so π_r is the share of r's group among all avatars.
        sizes = np.bincount(groups)
        return np.asarray(sizes[groups] / n, dtype=np.float64)
    rows, points, _ = nearest_ties(build_tree(avatars), original)
    same = (groups[points] == groups[rows]).astype(np.float64)
    return np.asarray(np.bincount(rows, weights=same, minlength=n) / np.bincount(rows, minlength=n))


def _group_pairs(groups: IntArray) -> tuple[IntArray, IntArray, IntArray]:
    """Every (row, same-group row) pair, rows contiguous; and where each row's block starts."""
    order = np.argsort(groups, kind="stable")
    _, first, counts = np.unique(groups[order], return_index=True, return_counts=True)
    group_of = np.repeat(np.arange(len(counts)), counts)
    size = counts[group_of]
    start = first[group_of]
    rows = np.repeat(order, size)
    block = np.concatenate([[0], np.cumsum(size)[:-1]])
    within = np.arange(int(size.sum())) - np.repeat(block, size)
    partners = order[np.repeat(start, size) + within]
    return rows, partners, block


def group_cloaking(original: FloatArray, avatars: FloatArray, groups: IntArray) -> IntArray:
    """LC_r: avatars of other groups at most as far from r as its nearest own-group avatar."""
    rows, partners, block = _group_pairs(groups)
    distance = np.sqrt(((original[rows] - avatars[partners]) ** 2).sum(axis=1))
    nearest_own = np.empty(len(original))
    nearest_own[rows[block]] = np.minimum.reduceat(distance, block)
    limit = nearest_own + TIE_TOLERANCE * np.maximum(1.0, nearest_own)
    own_within = np.bincount(rows, weights=distance <= limit[rows], minlength=len(original))
    if original.shape[1] == 0:
        return np.asarray(len(original) - own_within, dtype=np.int64)
    total, _ = count_within(build_tree(avatars), original, limit)
    return np.asarray(total - own_within.astype(np.int64), dtype=np.int64)


def _rate(success: FloatArray) -> float:
    return float(100.0 * (1.0 - success.mean()))


def _categorical_profiles(space: MetricSpace) -> tuple[FloatArray, FloatArray]:
    """One-hot categorical profiles: Euclidean ties = Hamming ties (Hamming = ½‖·‖²)."""
    parts_x: list[FloatArray] = []
    parts_a: list[FloatArray] = []
    for x, a in zip(space.original.categoricals, space.avatars.categoricals, strict=True):
        eye = np.vstack([np.eye(x.n_levels), np.zeros((1, x.n_levels))])
        parts_x.append(eye[np.where(x.codes >= 0, x.codes, x.n_levels)])
        parts_a.append(eye[np.where(a.codes >= 0, a.codes, x.n_levels)])
    n = space.original.n_rows
    if not parts_x:
        return np.zeros((n, 0)), np.zeros((n, 0))
    return np.hstack(parts_x), np.hstack(parts_a)


def group_aware_metrics(
    original: pd.DataFrame, avatars: pd.DataFrame, groups: IntArray, config: PrivacyConfig
) -> PrivacyMetricsResult:
    """M§5 metrics with hidden rate, local cloaking, categorical hidden rate and correlation
    protection rate made group-aware (§3.7); the others do not involve identity."""
    plain = compute_privacy_metrics(original, avatars, config)
    space = build_metric_space(
        original.reset_index(drop=True), avatars, config, None, make_streams(config.seed).metrics
    )
    x, a = space.original_coords, space.avatar_coords
    cx, ca = _categorical_profiles(space)
    cpr = plain.correlation_protection_rate
    if config.known_variables and cpr is not None:
        kx, ka = known_variable_space(space, list(config.known_variables))
        cpr = _rate(group_success(kx, ka, groups))
    return dataclasses.replace(
        plain,
        hidden_rate=_rate(group_success(x, a, groups)),
        local_cloaking=float(np.median(group_cloaking(x, a, groups))),
        categorical_hidden_rate=_rate(group_success(cx, ca, groups)),
        correlation_protection_rate=cpr,
    )


@dataclass(frozen=True)
class MultiTablePrivacyEntry:
    """One `PrivacyMetricsPerMultiTableDataset` (without the dataset ids)."""

    computation_type: str
    table: str
    dataset_name: str
    individual_identifier_variable: str
    metrics: PrivacyMetricsResult


def _knobs(config: PrivacyConfig, columns: list[str]) -> PrivacyConfig:
    """The table's knobs; known_variables/target only when all name columns of the computation."""
    named = [*(config.known_variables or []), *([config.target] if config.target else [])]
    if all(c in columns for c in named):
        return config
    return dataclasses.replace(config, known_variables=None, target=None)


def _ignore(stage: str, fraction: float) -> None:
    """Default progress callback: does nothing."""


def multi_table_privacy(
    graph: Graph,
    originals: Mapping[str, pd.DataFrame],
    avatars: Mapping[str, pd.DataFrame],
    configs: Mapping[str, PrivacyConfig],
    progress: Progress | None = None,
) -> list[MultiTablePrivacyEntry]:
    """Every computation of §3.7, in the order of `details`.

    Args:
        originals: every table's original frame (keys included).
        avatars: every table's unshuffled avatars, row i = avatar of original row i, joined
            through their own (surrogate) keys.
        configs: the knobs of every table.

    Raises:
        AvatarError: broken keys in the originals or the avatars, or a bad parameter.
    """
    report = progress or _ignore
    rows_o = resolve_keys(graph, originals)
    rows_a = resolve_keys(graph, avatars)
    names = {key: info.name for key, info in graph.tables.items()}
    plan: list[tuple[str, str, str, pd.DataFrame, pd.DataFrame, IntArray]] = []
    position = {id(link): i for i, link in enumerate(graph.links)}
    for key, info in graph.tables.items():
        n = len(originals[key])
        if info.is_individual_level:
            plan.append(
                (
                    "standalone",
                    key,
                    f"{info.name}.{graph.primary_keys[key]}",
                    own_columns(graph, key, originals[key]),
                    own_columns(graph, key, avatars[key]),
                    np.arange(n),
                )
            )
            links = graph.children(key)
            if links:
                plan.append(
                    (
                        "to_top_enriched",
                        key,
                        f"{info.name}.{links[0].child_key}",
                        to_top(graph, key, originals, rows_o),
                        to_top(graph, key, avatars, rows_a),
                        np.arange(n),
                    )
                )
            continue
        seen: set[str] = set()
        for path in graph.ancestor_paths(key):
            ancestor = path[-1].parent
            if ancestor in seen:
                continue
            seen.add(ancestor)
            indices = [position[id(link)] for link in path]
            groups = ancestor_rows(indices, rows_o, n)
            label = f"{names[ancestor]}.{path[0].child_key}"
            plan.append(
                (
                    "to_bottom_id_propagated",
                    key,
                    label,
                    own_columns(graph, key, originals[key]),
                    own_columns(graph, key, avatars[key]),
                    groups,
                )
            )
            plan.append(
                (
                    "full_enriched",
                    key,
                    label,
                    full_enriched(graph, key, ancestor, originals, groups),
                    full_enriched(graph, key, ancestor, avatars, ancestor_rows(indices, rows_a, n)),
                    groups,
                )
            )
    plan.sort(key=lambda p: (COMPUTATION_TYPES.index(p[0]), names[p[1]], p[2]))
    entries = []
    for step, (kind, key, label, original, avatar, groups) in enumerate(plan):
        report(f"{kind} {names[key]}", step / len(plan))
        config = _knobs(configs[key], [str(c) for c in original.columns])
        metrics = group_aware_metrics(
            original.reset_index(drop=True), avatar.reset_index(drop=True), groups, config
        )
        entries.append(MultiTablePrivacyEntry(kind, key, names[key], label, metrics))
    report("done", 1.0)
    return entries
