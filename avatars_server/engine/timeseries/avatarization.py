"""Avatarization of individuals together with their series (method-extended.md §2.5-§2.8).

The individual table is avatarized by the core engine; each avatar's series is rebuilt from its
block values on its own support (the source's time stamps are never copied).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import partial

import numpy as np
import pandas as pd

from avatars_server.engine.avatarize import TableOptions, avatarize
from avatars_server.engine.config import DEFAULT_MAX_DIMENSIONS, AvatarizationConfig, check_k
from avatars_server.engine.errors import AvatarError
from avatars_server.engine.identifiers import surrogate_column, surrogate_keys
from avatars_server.engine.table import IntArray
from avatars_server.engine.timeseries.columns import TableColumns, frame_kinds, resolve_columns
from avatars_server.engine.timeseries.grid import DEFAULT_G_MAX, Points
from avatars_server.engine.timeseries.individuals import (
    SeriesColumns,
    SeriesModel,
    id_keys,
    individual_index,
    prepare_series,
    series_columns,
    series_points,
    unique_individuals,
)
from avatars_server.engine.timeseries.projection import ProjectionSpec
from avatars_server.engine.timeseries.reconstruction import declared_type, reconstruct
from avatars_server.engine.timeseries.tasks import run_all

Progress = Callable[[str, float], None]


@dataclass(frozen=True)
class TableInput:
    """A vanilla or series table of a time-series job.

    Attributes:
        name: the dataset's name (Dataset.name, or its id as a string).
        frame: the data, typed.
        identifiers: the columns declared ``is_identifier`` (may be empty: resolved by name).
        projection: how its series are projected (series only).
    """

    name: str
    frame: pd.DataFrame
    identifiers: Sequence[str] = ()
    projection: ProjectionSpec | None = None


@dataclass(frozen=True)
class TableResult:
    """Released (shuffled) and sensitive unshuffled avatars of one input table."""

    avatars: pd.DataFrame
    unshuffled: pd.DataFrame


@dataclass(frozen=True)
class TimeSeriesOutput:
    """Result of :func:`avatarize_with_time_series`.

    Attributes:
        vanilla: the vanilla avatars, or None without a vanilla table.
        series: per series table, in input order, its avatars.
        individuals: shape (n, q), the individual table that was avatarized.
        avatar_individuals: shape (n, q), row i = avatar of individual i (unrounded blocks).
        models: per series table, its fitted grid and projections.
        neighbours: shape (n, k), each individual's neighbours (``keep_neighbours``).
        ncp: the ncp used.
        order: released individual i is individual ``order[i]`` (the surrogates' order).
    """

    vanilla: TableResult | None
    series: list[TableResult]
    individuals: pd.DataFrame
    avatar_individuals: pd.DataFrame
    models: list[SeriesModel]
    neighbours: IntArray | None
    ncp: int
    order: IntArray | None = None


@dataclass(frozen=True)
class _Series:
    table: TableInput
    columns: TableColumns
    individual: IntArray
    points: Points
    model: SeriesModel
    part: SeriesColumns
    first_seen: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))


def _ignore(stage: str, fraction: float) -> None:
    """Default progress callback."""


def check_column_weights(
    weights: Mapping[str, float] | None, vanilla: Sequence[str], values: Sequence[str]
) -> None:
    """Keys must name vanilla columns or series value columns; values finite and > 0.

    Raises:
        AvatarError: ``UNKNOWN_COLUMN`` or ``INVALID_COLUMN_WEIGHT``.
    """
    known = set(vanilla) | set(values)
    for name, weight in (weights or {}).items():
        if name not in known:
            raise AvatarError(
                "UNKNOWN_COLUMN",
                f"column_weights key {name!r} is neither a column of the individuals' table "
                "nor a series value column",
                "column_weights",
            )
        if (
            isinstance(weight, bool)
            or not isinstance(weight, int | float)
            or not np.isfinite(weight)
            or weight <= 0
        ):
            raise AvatarError(
                "INVALID_COLUMN_WEIGHT",
                f"column_weights[{name!r}] must be a finite number > 0, got {weight!r}",
                "column_weights",
            )


def resolve_individuals(
    vanilla: TableInput | None, series: Sequence[TableInput]
) -> tuple[pd.Index, TableColumns | None, list[TableColumns], list[IntArray]]:
    """The individuals and, for every series row, its individual (§2.2).

    Returns:
        The individuals' identifier keys (vanilla order, or first appearance), the vanilla's
        columns, each series' columns and each series row's individual, shape (r_s,).
    """
    vanilla_columns: TableColumns | None = None
    individuals: pd.Index
    series_columns_ = [
        resolve_columns(
            [str(c) for c in s.frame.columns],
            frame_kinds(s.frame),
            s.identifiers,
            series=True,
            dataset=s.name,
        )
        for s in series
    ]
    keys = [id_keys(s.frame[c.identifier]) for s, c in zip(series, series_columns_, strict=True)]
    if vanilla is not None:
        vanilla_columns = resolve_columns(
            [str(c) for c in vanilla.frame.columns],
            frame_kinds(vanilla.frame),
            vanilla.identifiers,
            series=False,
            dataset=vanilla.name,
        )
        individuals = unique_individuals(
            id_keys(vanilla.frame[vanilla_columns.identifier]), vanilla.name
        )
    else:
        for s, k in zip(series, keys, strict=True):
            if k.hasnans:
                raise AvatarError(
                    "UNKNOWN_INDIVIDUAL",
                    f"dataset {s.name!r}: some rows have no identifier value",
                    field="id",
                )
        if all(pd.api.types.is_integer_dtype(k.dtype) for k in keys):
            individuals = pd.Index(pd.unique(np.concatenate([k.to_numpy() for k in keys])))
        else:
            strings = [k.astype(str) if pd.api.types.is_integer_dtype(k.dtype) else k for k in keys]
            joined = np.concatenate([np.asarray(k, dtype=object) for k in strings])
            individuals = pd.Index(pd.unique(joined), dtype=object)
    rows = [individual_index(k, individuals, s.name) for s, k in zip(series, keys, strict=True)]
    return individuals, vanilla_columns, series_columns_, rows


@dataclass(frozen=True)
class Prepared:
    """The individuals and every series dataset, fitted, before the avatarization."""

    n: int
    vanilla_columns: TableColumns | None
    vanilla_variables: list[str]
    series: list[_Series]


def prepare_time_series(
    vanilla: TableInput | None,
    series: Sequence[TableInput],
    config: AvatarizationConfig,
    *,
    g_max: int = DEFAULT_G_MAX,
) -> Prepared:
    """Resolve columns and individuals, fit every grid and projection, check k (§2.2-§2.5).

    The server calls it when a job is created, so that bad inputs answer 422 at once.

    Raises:
        AvatarError: the codes of method-extended.md §0.3 and method.md §2.3.
    """
    if not series:
        raise AvatarError("NO_VARIABLES", "a time-series job needs at least one series dataset")
    individuals, vanilla_columns, columns, rows = resolve_individuals(vanilla, series)
    n = len(individuals)
    check_k(config.k, n)
    vanilla_variables: list[str] = []
    if vanilla is not None and vanilla_columns is not None:
        dropped = {vanilla_columns.identifier, *vanilla_columns.row_keys}
        vanilla_variables = [str(c) for c in vanilla.frame.columns if str(c) not in dropped]
    all_values = [v for c in columns for v in c.values]
    check_column_weights(config.column_weights, vanilla_variables, all_values)
    user = dict(config.column_weights or {})
    for s in series:
        if s.projection is None:
            raise AvatarError("INVALID_NF", f"dataset {s.name!r} needs projection parameters")

    def fit(s: TableInput, c: TableColumns, row: IntArray) -> _Series:
        assert s.projection is not None
        points = series_points(s.frame, c, frame_kinds(s.frame), row, n, s.name)
        model, curves, sup = prepare_series(s.name, points, s.projection, user, c.values, g_max)
        part = series_columns(model, curves, sup, with_presence=True)
        return _Series(s, c, row, points, model, part, _first_seen(row))

    prepared = run_all(
        [partial(fit, s, c, row) for s, c, row in zip(series, columns, rows, strict=True)]
    )
    return Prepared(n, vanilla_columns, vanilla_variables, prepared)


def _first_seen(row: IntArray) -> IntArray:
    """The distinct values of ``row`` in order of first appearance (as ``pd.unique``)."""
    if len(row) and bool((row[1:] >= row[:-1]).all()):
        # Sorted (the usual long table): the value at each change.
        change = np.flatnonzero(row[1:] != row[:-1]) + 1
        return np.asarray(row[np.concatenate([[0], change])], dtype=np.int64)
    return np.asarray(pd.unique(row), dtype=np.int64)


def avatarize_with_time_series(
    vanilla: TableInput | None,
    series: Sequence[TableInput],
    config: AvatarizationConfig,
    *,
    g_max: int = DEFAULT_G_MAX,
    progress: Progress | None = None,
    max_dimensions: int = DEFAULT_MAX_DIMENSIONS,
    keep_neighbours: bool = False,
    seed_sequence: np.random.SeedSequence | None = None,
) -> TimeSeriesOutput:
    """Avatarize individuals with their series (method-extended.md §2).

    Args:
        vanilla: the individuals' table, or None.
        series: the long series tables, each with its projection.
        config: the avatarization knobs; ``column_weights`` may name vanilla columns or series
            value columns (a multiplier on the whole block).
        g_max: the largest grid.
        progress: called as ``progress(stage, fraction)``.
        max_dimensions: limit on D_enc of the individual table.
        keep_neighbours: return the neighbours (reference checks).
        seed_sequence: the master seed sequence of this avatarization (a multi-table job's
            child seed, method-extended §3.4); ``SeedSequence(config.seed)`` when None. Its
            child 0 drives the avatarization (§2.6).

    Raises:
        AvatarError: the codes of method-extended.md §0.3 and method.md §2.3.
    """
    report = progress or _ignore
    report("series", 0.0)
    ready = prepare_time_series(vanilla, series, config, g_max=g_max)
    n, vanilla_columns, vanilla_variables = ready.n, ready.vanilla_columns, ready.vanilla_variables
    prepared = ready.series
    user = dict(config.column_weights or {})
    report("individuals", 0.15)
    data: dict[str, object] = {}
    if vanilla is not None:
        frame = vanilla.frame.reset_index(drop=True)
        for name in vanilla_variables:
            data[name] = frame[name]
    weights = {k: v for k, v in user.items() if k in set(vanilla_variables)}
    master = np.random.SeedSequence(config.seed) if seed_sequence is None else seed_sequence
    options = TableOptions(
        seed_sequence=master.spawn(1)[0],
        indicator_groups=[g for p in prepared for g in p.part.groups],
        no_indicator=frozenset(name for p in prepared for name in p.part.float_columns),
        unrounded=frozenset(name for p in prepared for name in p.part.float_columns),
        keep_neighbours=keep_neighbours,
    )
    for p in prepared:
        for name, values in p.part.data.items():
            if name in data:
                raise AvatarError(
                    "DUPLICATE_COLUMN", f"column {name!r} appears twice in the individual table"
                )
            data[name] = values
        weights.update(p.part.weights)
    table = pd.DataFrame(data, index=pd.RangeIndex(n))
    output = avatarize(
        table,
        replace(config, column_weights=weights),
        progress=_scaled(report, 0.2, 0.8),
        max_dimensions=max_dimensions,
        options=options,
    )
    assert output.order is not None
    report("reconstruction", 0.8)
    keys = surrogate_keys(np.asarray(output.order, dtype=np.int64))
    vanilla_result = None
    if vanilla is not None and vanilla_columns is not None:
        vanilla_result = _vanilla_result(vanilla, vanilla_columns, output.unshuffled, output.order)
    rebuilt = run_all(
        [
            partial(
                reconstruct,
                p.table.frame,
                p.columns,
                p.model,
                _model_columns(output.unshuffled, p.model),
                keys.unshuffled,
                p.first_seen,
            )
            for p in prepared
        ]
    )
    results = [TableResult(*pair) for pair in rebuilt]
    report("done", 1.0)
    return TimeSeriesOutput(
        vanilla=vanilla_result,
        series=results,
        individuals=table,
        avatar_individuals=output.unshuffled,
        models=[p.model for p in prepared],
        neighbours=output.neighbours,
        ncp=output.ncp,
        order=np.asarray(output.order, dtype=np.int64),
    )


def _model_columns(avatars: pd.DataFrame, model: SeriesModel) -> pd.DataFrame:
    """The columns of one series dataset, as a frame of its own (the reconstructions run side
    by side and must not share a frame pandas may reorganise while reading it)."""
    names = [name for v in range(len(model.values)) for name in model.block_names(v)]
    names += model.support_names()
    if model.presence_name in avatars.columns:
        names.append(model.presence_name)
    return avatars[names].copy()


def _scaled(report: Progress, start: float, end: float) -> Progress:
    def callback(stage: str, fraction: float) -> None:
        report(stage, start + (end - start) * fraction)

    return callback


def _vanilla_result(
    vanilla: TableInput, columns: TableColumns, unshuffled: pd.DataFrame, order: IntArray
) -> TableResult:
    keys = surrogate_keys(np.asarray(order, dtype=np.int64))
    frame = vanilla.frame
    out: dict[str, object] = {}
    released: dict[str, object] = {}
    for label in frame.columns:
        name = str(label)
        if name == columns.identifier or name in columns.row_keys:
            kind = declared_type(frame[label])
            out[name] = surrogate_column(keys.unshuffled, kind).to_numpy()
            released[name] = surrogate_column(keys.released, kind).to_numpy()
        else:
            values = unshuffled[name].reset_index(drop=True)
            out[name] = values
            released[name] = values.take(order).reset_index(drop=True)
    unshuffled_frame = pd.DataFrame(out)
    released_frame = pd.DataFrame(released)
    unshuffled_frame.columns = released_frame.columns = pd.Index(list(frame.columns))
    return TableResult(released_frame, unshuffled_frame)
