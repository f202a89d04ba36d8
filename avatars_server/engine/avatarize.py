"""Avatarization: projection, neighbours, random weights, barycentres and draws (method.md §3)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from avatars_server.engine.config import (
    DEFAULT_MAX_DIMENSIONS,
    DEFAULT_NCP,
    AvatarizationConfig,
    ExcludeCategoricalConfig,
    check_avatarization_parameters,
    check_ncp,
)
from avatars_server.engine.distances import (
    NearestOthers,
    compact_order,
    nearest_from_neighbours,
)
from avatars_server.engine.draws import draw, weighted_sums
from avatars_server.engine.errors import AvatarError
from avatars_server.engine.exclusion import is_excluded, put_back, replace_rare
from avatars_server.engine.explain import ProjectionModel, explain_projection
from avatars_server.engine.identifiers import with_surrogates
from avatars_server.engine.imputation import fit_imputer, impute
from avatars_server.engine.neighbours import self_neighbours
from avatars_server.engine.projection import fit_projection
from avatars_server.engine.random import Streams, make_streams
from avatars_server.engine.restore import (
    ColumnFormat,
    column_format,
    restore_categorical,
    restore_continuous,
)
from avatars_server.engine.table import (
    Categorical,
    Encoded,
    FloatArray,
    IntArray,
    check_not_empty,
    column_dimensions,
    column_kinds,
    encode,
)
from avatars_server.engine.weights import random_weights

Progress = Callable[[str, float], None]
INDICATOR_SUFFIX = "__is_missing"


@dataclass(frozen=True)
class AvatarizationOutput:
    """Result of :func:`avatarize`.

    Attributes:
        avatars: shape (n, p), the released avatars, shuffled, index 0..n-1.
        unshuffled: shape (n, p), row i = avatar of original i. Sensitive: with the originals
            it allows linkage; only for the privacy metrics.
        ncp: the number of axes actually used for the neighbour search.
        order: shape (n,), released row i is unshuffled row ``order[i]`` (for surrogate keys).
        neighbours: shape (n, k), each row's neighbours, when ``TableOptions.keep_neighbours``.
        model: with ``explain=True``, the fitted projection with the coordinates of the
            originals and of their avatars (before rounding) and the contributions.
        nearest_others: with ``nearest_others=True``, each original's distance to its nearest
            other original in the projection, for the privacy metrics (which use it when their
            own projection of the originals is this one).
    """

    avatars: pd.DataFrame
    unshuffled: pd.DataFrame
    ncp: int
    order: IntArray | None = None
    neighbours: IntArray | None = None
    model: ProjectionModel | None = None
    nearest_others: NearestOthers | None = None


@dataclass(frozen=True)
class IndicatorGroup:
    """Continuous columns that share one is-missing indicator (method-extended.md §2.5).

    Attributes:
        name: the indicator's name (never returned).
        columns: the continuous columns it blanks in the avatars when it draws true.
        missing: shape (n,), the indicator's value for each original row.
        weight: its column weight.
    """

    name: str
    columns: tuple[str, ...]
    missing: npt.NDArray[np.bool_]
    weight: float = 1.0


@dataclass(frozen=True)
class TableOptions:
    """How extended jobs adjust the core avatarization of a table they built themselves.

    Attributes:
        seed_sequence: a child seed (method-extended.md §0.1) that spawns the five streams,
            used instead of ``config.seed``.
        indicator_groups: shared is-missing indicators; their columns get no indicator of
            their own.
        no_indicator: continuous columns imputed without any indicator (missing because an
            indicator elsewhere, such as a presence column, says so).
        unrounded: continuous columns returned as float barycentres, without rounding.
        keep_neighbours: return the neighbour indices (reference checks).
    """

    seed_sequence: np.random.SeedSequence | None = None
    indicator_groups: Sequence[IndicatorGroup] = ()
    no_indicator: Collection[str] = field(default_factory=frozenset)
    unrounded: Collection[str] = field(default_factory=frozenset)
    keep_neighbours: bool = False


def _ignore_progress(stage: str, fraction: float) -> None:
    """Default progress callback: does nothing."""


def barycentres(weights: FloatArray, neighbours: IntArray, values: FloatArray) -> FloatArray:
    """Weighted means Σ_j w_ij x_j of the neighbours' values (method.md §3.7).

    One parallel numba loop over rows (:func:`draws.weighted_sums`): each row gathers its k
    neighbours' values, in float64, with no temporary beyond the output.

    Args:
        weights: shape (n, k).
        neighbours: shape (n, k), row indices.
        values: shape (n, c).

    Returns:
        Shape (n, c).
    """
    out = np.zeros((weights.shape[0], values.shape[1]))
    if values.shape[1] == 0:
        return out
    weighted_sums(
        np.ascontiguousarray(weights, dtype=np.float64),
        np.ascontiguousarray(neighbours, dtype=np.int64),
        np.ascontiguousarray(values, dtype=np.float64),
        out,
    )
    return out


def draw_codes(
    weights: FloatArray,
    neighbours: IntArray,
    variables: Sequence[Categorical],
    rng: np.random.Generator,
) -> list[IntArray]:
    """Random categorical draws, normative procedure of method.md §3.8.

    For each variable in the given order, ``u = rng.random(n)`` is drawn for all n rows at once;
    row i then takes the first level m (levels in code order: modalities sorted by string form,
    the missing level last) whose cumulative probability Σ_{m' <= m} q_im' is > u_i, with
    q_im = Σ_j w_ij 1{x_j = m} accumulated in neighbour order. When rounding leaves the total
    below u_i (u_i within a few ulp of 1), the last level with q_im > 0 is taken.

    Args:
        weights: shape (n, k), normalised weights of the neighbours.
        neighbours: shape (n, k), their row indices.
        variables: the categorical variables (codes of the fitted table, no -1).
        rng: the categorical stream.

    Returns:
        Per variable, shape (n,), the drawn level codes (rows of one (n_variables, n) array).
    """
    n = weights.shape[0]
    # Every variable's u first, in variable order from the stream (nothing else draws from it in
    # between, so these are the draws of one variable at a time), then one pass over the rows
    # for all the variables (draws.draw; one per 64 bits of packed codes). The u of variable t
    # sit in row t of the output, each overwritten by its draw.
    drawn = np.empty((len(variables), n), dtype=np.int64)
    uniforms = drawn.view(np.float64)
    for t in range(len(variables)):
        uniforms[t] = rng.random(n)
    if variables:
        draw(weights, neighbours, variables, uniforms, drawn)
    return list(drawn)


def variable_weights(
    table: Encoded,
    column_weights: Mapping[str, float] | None,
    groups: Sequence[IndicatorGroup] = (),
) -> list[float]:
    """Weight of each variable: continuous ones, then categorical ones (indicators inherit)."""
    given = dict(column_weights or {})
    given.update({group.name: group.weight for group in groups})

    def weight(name: str) -> float:
        if name.endswith(INDICATOR_SUFFIX) and name not in given:
            name = name[: -len(INDICATOR_SUFFIX)]
        return float(given.get(name, 1.0))

    names = table.continuous_names + [v.name for v in table.categoricals]
    return [weight(name) for name in names]


def _with_indicators(table: Encoded, options: TableOptions) -> tuple[Encoded, list[list[int]]]:
    """Add one is-missing indicator per continuous column with missing values (§3.3), or one per
    group of columns that share one (``options``).

    Returns:
        The extended table and, for each indicator, the indices of the continuous columns it
        blanks.
    """
    indicators: list[Categorical] = []
    sources: list[list[int]] = []
    levels = np.array([False, True], dtype=object)
    grouped = {name for group in options.indicator_groups for name in group.columns}
    skipped = grouped | set(options.no_indicator)
    for j, name in enumerate(table.continuous_names):
        missing = np.isnan(table.continuous[:, j])
        if missing.any() and name not in skipped:
            codes = missing.astype(np.int64)
            indicators.append(Categorical(name + INDICATOR_SUFFIX, codes, levels, False))
            sources.append([j])
    index = {name: j for j, name in enumerate(table.continuous_names)}
    for group in options.indicator_groups:
        if group.missing.any():
            codes = group.missing.astype(np.int64)
            indicators.append(Categorical(group.name, codes, levels, False))
            sources.append([index[name] for name in group.columns])
    extended = Encoded(table.continuous_names, table.continuous, table.categoricals + indicators)
    return extended, sources


def _encoded_dimensions(table: Encoded, exclude: ExcludeCategoricalConfig | None) -> int:
    """D_enc of the encoded table by the rule of :func:`table.column_dimensions`."""
    threshold = exclude.exclude_cardinality_threshold if exclude is not None else None
    columns = np.asarray(np.isnan(table.continuous).any(axis=0), dtype=bool)
    missing = [bool(columns[j]) for j in range(columns.shape[0])]
    total = 0
    for has_missing in missing:
        total += column_dimensions("continuous", 0, has_missing, threshold)
    for v in table.categoricals:
        total += column_dimensions("categorical", len(v.modalities), v.has_missing, threshold)
    return int(total)


def resolve_ncp(ncp: int | None, d_enc: int, n: int) -> int:
    """The explicit ncp checked against min(D_enc, n), or the default min(5, D_enc, n)."""
    bound = min(d_enc, n)
    if ncp is None:
        return min(DEFAULT_NCP, bound)
    check_ncp(ncp, bound, what="min(D_enc, n)")
    return int(ncp)


def avatarize(
    df: pd.DataFrame,
    config: AvatarizationConfig,
    *,
    identifiers: Sequence[str] = (),
    progress: Progress | None = None,
    max_dimensions: int = DEFAULT_MAX_DIMENSIONS,
    options: TableOptions | None = None,
    explain: bool = False,
    nearest_others: bool = False,
) -> AvatarizationOutput:
    """Build the avatars of ``df`` (method.md §3).

    Args:
        df: the originals, shape (n, p), with dtypes giving the column roles (§2.2).
        config: the avatarization parameters.
        identifiers: columns left out of the avatarization; in the results they hold surrogate
            keys (method-extended.md §0.2): released row i has key i, and the unshuffled copy
            carries the same key on the same avatar. Never an original value.
        progress: called as ``progress(stage, fraction)`` with fraction in [0, 1].
        max_dimensions: limit on D_enc (``TOO_MANY_DIMENSIONS`` above it).
        options: adjustments used by the extended jobs (default: none).
        explain: also return the projection model (coordinates, variance, contributions).
        nearest_others: also return each original's distance to its nearest other original
            (read from the neighbour search), keyed by the coordinates' digest.

    Returns:
        The shuffled avatars, the sensitive unshuffled avatars, and the ncp used; both frames
        have shape (n, p), the input's columns in input order.

    Raises:
        AvatarError: for any rejected parameter or data (§2.3).
    """
    report = progress or _ignore_progress
    options = options or TableOptions()
    check_avatarization_parameters(
        config, columns=list(df.columns), n_rows=len(df), identifiers=identifiers
    )
    report("preprocessing", 0.0)
    data = df.drop(columns=list(identifiers)).reset_index(drop=True)
    labels = list(data.columns)
    data.columns = [str(c) for c in labels]
    check_not_empty(data)
    kinds = column_kinds(data)
    exclude = config.exclude_categorical
    encoded = encode(data, kinds)
    excluded_variables = [
        v for v in encoded.categoricals if is_excluded(len(v.modalities), exclude)
    ]
    table = Encoded(
        encoded.continuous_names,
        encoded.continuous,
        [v for v in encoded.categoricals if not is_excluded(len(v.modalities), exclude)],
    )
    formats = {name: column_format(data[name], kinds[name]) for name in data.columns}
    full, sources = _with_indicators(table, options)
    n = table.n_rows
    # D_enc by the rule of table.column_dimensions; indicators shared or left out by the
    # extended jobs (TableOptions) count as built.
    shared = bool(options.indicator_groups or options.no_indicator)
    d_enc = full.n_dimensions if shared else _encoded_dimensions(encoded, exclude)
    if d_enc == 0:
        raise AvatarError(
            "NO_VARIABLES",
            "every column is excluded by exclude_categorical: nothing is left to project; "
            "raise exclude_cardinality_threshold",
            "exclude_categorical.exclude_cardinality_threshold",
        )
    if d_enc > max_dimensions:
        raise AvatarError(
            "TOO_MANY_DIMENSIONS",
            f"the encoded table has {d_enc} dimensions, more than the limit of {max_dimensions}; "
            "group rare modalities of high-cardinality categorical columns, or keep them out "
            "of the projection with exclude_categorical",
        )
    ncp = resolve_ncp(config.ncp, d_enc, n)
    streams = make_streams(
        options.seed_sequence if options.seed_sequence is not None else config.seed
    )

    report("imputation", 0.1)
    imputer = fit_imputer(table, config.imputation, streams.imputation)
    filled = impute(imputer, table)

    report("projection", 0.2)
    projection = fit_projection(
        full, filled, variable_weights(full, config.column_weights, options.indicator_groups)
    )
    coords = projection.transform(filled, [v.codes for v in full.categoricals], ncp)

    excluded = None
    if exclude is not None and excluded_variables:
        excluded = replace_rare(excluded_variables, exclude, coords, streams.exclusion)

    report("neighbours", 0.35)
    core = avatars_from_coordinates(
        coords,
        filled,
        table,
        full,
        sources,
        formats,
        labels,
        config.k,
        streams,
        report,
        unrounded=options.unrounded,
        keep_neighbours=options.keep_neighbours,
        keep_nearest=nearest_others,
    )
    unshuffled, order, means, codes = core.unshuffled, core.order, core.means, core.codes
    nearest = None
    if core.nearest is not None:
        nearest = NearestOthers.measured(coords, core.nearest, core.leaf_order)
    model = None
    if explain:
        model = explain_projection(
            projection,
            full.continuous_names + [v.name for v in full.categoricals],
            (filled, [v.codes for v in full.categoricals]),
            (means, codes),
            coords=(coords, None),
            owners={
                v.name: table.continuous_names[blanked[0]]
                for v, blanked in zip(
                    full.categoricals[len(table.categoricals) :], sources, strict=True
                )
            },
        )
    if excluded is not None and exclude is not None:
        avatar_coords = coords
        if exclude.exclude_replacement_strategy == "coordinate_similarity":
            # The avatars' own records (before rounding) in the fitted projection.
            avatar_coords = projection.transform(means, codes, ncp)
        put = put_back(excluded, exclude, coords, avatar_coords, streams.exclusion)
        label_of = {str(label): label for label in labels}
        for variable, drawn in zip(excluded.variables, put, strict=True):
            restored = restore_categorical(formats[variable.name], variable, drawn)
            unshuffled[label_of[variable.name]] = restored
    del coords
    avatars = unshuffled.take(order).reset_index(drop=True)
    if identifiers:
        avatars, unshuffled = with_surrogates(df, identifiers, order, avatars, unshuffled)
    report("done", 1.0)
    return AvatarizationOutput(
        avatars=avatars,
        unshuffled=unshuffled,
        ncp=ncp,
        order=order,
        neighbours=core.neighbours,
        model=model,
        nearest_others=nearest,
    )


@dataclass(frozen=True)
class CoreAvatars:
    """Result of :func:`avatars_from_coordinates`.

    Attributes:
        unshuffled: shape (n, p), row i = avatar of row i, columns ``labels``.
        order: shape (n,), released row i is unshuffled row ``order[i]``.
        means: shape (n, n_continuous), the barycentres (before rounding).
        codes: per categorical variable of ``full`` (indicators included), the drawn codes.
        neighbours: shape (n, k), each row's neighbours, when asked for.
        nearest: shape (n,), each row's distance to its nearest other row (NaN where the tie
            rule hides it: :func:`distances.nearest_from_neighbours`), when asked for.
        leaf_order: shape (n,), the leaf order of the tree the neighbours were searched in,
            with ``nearest``.
    """

    unshuffled: pd.DataFrame
    order: IntArray
    means: FloatArray
    codes: list[IntArray]
    neighbours: IntArray | None = None
    nearest: FloatArray | None = None
    leaf_order: npt.NDArray[np.signedinteger[Any]] | None = None


def avatars_from_coordinates(
    coords: FloatArray,
    filled: FloatArray,
    table: Encoded,
    full: Encoded,
    sources: Sequence[Sequence[int]],
    formats: Mapping[str, ColumnFormat],
    labels: Sequence[object],
    k: int,
    streams: Streams,
    report: Progress,
    *,
    unrounded: Collection[str] = frozenset(),
    keep_neighbours: bool = False,
    keep_nearest: bool = False,
) -> CoreAvatars:
    """Neighbours, weights, barycentres, draws and restoring, from projected rows (§3.5-3.10).

    Shared by :func:`avatarize` and the batch job (each batch projected into one fitted model).
    Columns excluded by ``exclude_categorical`` (in ``labels``, not in ``table``) come back as
    placeholders (None) that the caller overwrites when it puts them back.

    Args:
        coords: shape (n, ncp), the rows' coordinates.
        filled: shape (n, n_continuous), imputed continuous values.
        table: the encoded rows (no indicators); ``full``: the same with the indicators.
        sources: for each indicator, the indices of the continuous columns it blanks.
        formats: the format of every column, by its string name.
        labels: the output column labels, in output order (their string forms name columns).
        k: neighbours per row.
        streams: the weights, categorical and shuffle streams are used.
        report: progress callback.
        unrounded: continuous columns returned as float barycentres, without rounding.
        keep_neighbours: also return the neighbour indices.
        keep_nearest: also return each row's distance to its nearest other row, and the leaf
            order of the tree searched.

    Returns:
        The unshuffled avatars (row i = avatar of row i), the shuffle order, and the avatars'
        records before restoring.
    """
    n = table.n_rows
    dist, neighbours, tree_order = self_neighbours(coords, k)
    # Kept in 32 bits from here on: held through the weights and draws, the memory's peak.
    nearest, leaf_order = (
        (nearest_from_neighbours(dist), compact_order(tree_order)) if keep_nearest else (None, None)
    )
    del tree_order

    report("weights", 0.7)
    weights = random_weights(dist, streams.weights)
    del dist
    means = barycentres(weights, neighbours, filled)
    codes = draw_codes(weights, neighbours, full.categoricals, streams.categorical)
    kept = neighbours if keep_neighbours else None
    del weights, neighbours

    report("restoring", 0.9)
    n_cat = len(table.categoricals)
    blank: dict[str, npt.NDArray[np.bool_]] = {}
    for i, blanked in enumerate(sources):
        for j in blanked:
            blank[table.continuous_names[j]] = codes[n_cat + i] == 1
    columns: dict[str, object] = {}
    for j, name in enumerate(table.continuous_names):
        missing = blank.get(name, np.zeros(n, dtype=bool))
        if name in unrounded:
            columns[name] = np.where(missing, np.nan, means[:, j])
        else:
            columns[name] = restore_continuous(formats[name], means[:, j], missing)
    for variable, drawn in zip(table.categoricals, codes, strict=False):
        columns[variable.name] = restore_categorical(formats[variable.name], variable, drawn)
    # Excluded columns (not in table) start as placeholders the caller overwrites.
    placeholder = np.full(n, None, dtype=object)
    # copy=False: the restored columns become the frame's own (no consolidated copy of them).
    unshuffled = pd.DataFrame(
        {str(label): columns.get(str(label), placeholder) for label in labels}, copy=False
    )
    unshuffled.columns = pd.Index(list(labels))
    order = np.asarray(streams.shuffle.permutation(n), dtype=np.int64)
    return CoreAvatars(unshuffled, order, means, codes, kept, nearest, leaf_order)
