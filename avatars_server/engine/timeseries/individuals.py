"""From long tables to one row per individual, and back to series (§2.2-§2.5, §2.7).

The individual table holds, for each series dataset, one block per value column (FPCA scores
or grid values), the support columns on a normalised grid, and the presence column when some
individual is absent. Block columns weigh Var(c)/λ_1 so that the block keeps the Euclidean
geometry of the curves.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from avatars_server.engine.avatarize import IndicatorGroup
from avatars_server.engine.errors import AvatarError
from avatars_server.engine.table import FloatArray, IntArray, Kind, to_float
from avatars_server.engine.timeseries.columns import TableColumns
from avatars_server.engine.timeseries.grid import (
    Grid,
    Points,
    Support,
    collect_points,
    grid_values,
    support,
)
from avatars_server.engine.timeseries.projection import (
    FittedBlock,
    ProjectionSpec,
    block_weights,
    fit_block,
)

PRESENT = "__present"
SUPPORT = ("__t0", "__duration", "__n_points")
MISSING = "__is_missing"


def id_keys(series: pd.Series) -> pd.Index:
    """Identifier values as comparable keys: 3, 3.0 and "3" are one individual (§2.2 matches
    identifiers by value, whatever each dataset declared). Integer (and integral float) columns
    keep int64 keys, which :func:`individual_index` turns into strings only when the other side
    holds strings. Missing stays missing."""
    if pd.api.types.is_integer_dtype(series.dtype) and not series.isna().any():
        ints: pd.Index = pd.Index(series.to_numpy(dtype=np.int64))
        return ints
    mask = series.isna().to_numpy(dtype=bool)
    if pd.api.types.is_float_dtype(series.dtype):
        values = series.to_numpy(dtype=np.float64, na_value=np.nan)
        integral = np.isfinite(values) & (values == np.round(values))
        if integral.all():
            floats: pd.Index = pd.Index(values.astype(np.int64))
            return floats
        keys = np.array(
            [str(int(v)) if ok else repr(float(v)) for v, ok in zip(values, integral, strict=True)],
            dtype=object,
        )
    elif pd.api.types.is_integer_dtype(series.dtype):
        keys = series.astype("Int64").astype(str).to_numpy(dtype=object)
    else:
        keys = series.astype(str).to_numpy(dtype=object)
    keys[mask] = None
    index: pd.Index = pd.Index(keys, dtype=object)
    return index


def _comparable(keys: pd.Index, other: pd.Index) -> pd.Index:
    """``keys`` as strings when ``other`` holds strings and ``keys`` integers."""
    if pd.api.types.is_integer_dtype(keys.dtype) and not pd.api.types.is_integer_dtype(other.dtype):
        strings: pd.Index = pd.Index(keys.astype(str).to_numpy(dtype=object), dtype=object)
        return strings
    return keys


def individual_index(keys: pd.Index, individuals: pd.Index, dataset: str) -> IntArray:
    """Position of each row's individual among ``individuals``.

    Raises:
        AvatarError: ``UNKNOWN_INDIVIDUAL`` for a missing or unknown identifier value.
    """
    keys = _comparable(keys, individuals)
    individuals = _comparable(individuals, keys)
    position = _dense_positions(keys, individuals)
    if position is None:
        position = np.asarray(individuals.get_indexer(keys), dtype=np.int64)
    unknown = np.flatnonzero(position < 0)
    if unknown.size:
        value = str(keys[int(unknown[0])])
        raise AvatarError(
            "UNKNOWN_INDIVIDUAL",
            f"dataset {dataset!r}: {unknown.size} row(s) name an individual absent from the "
            f"individuals' table (first: {value!r}); every series identifier value must be an "
            "identifier of the vanilla table",
            field="id",
        )
    return position


def _dense_positions(keys: pd.Index, individuals: pd.Index) -> IntArray | None:
    """``individuals.get_indexer(keys)`` for unique integer individuals spanning a range of at
    most a few times their number (the usual 0..n-1 identifiers or surrogates): a lookup table
    instead of a hash table. None when it does not apply."""
    if not (
        len(keys)
        and len(individuals)
        and keys.dtype == np.int64
        and individuals.dtype == np.int64
        and individuals.is_unique
    ):
        return None
    values = individuals.to_numpy()
    low, high = int(values.min()), int(values.max())
    if high - low > 4 * len(values) + 1024:
        return None
    table = np.full(high - low + 1, -1, dtype=np.int64)
    table[values - low] = np.arange(len(values), dtype=np.int64)
    wanted = keys.to_numpy()
    if int(wanted.min()) >= low and int(wanted.max()) <= high:
        return np.asarray(table[wanted - low] if low else table[wanted], dtype=np.int64)
    inside = (wanted >= low) & (wanted <= high)
    position = np.full(len(wanted), -1, dtype=np.int64)
    position[inside] = table[wanted[inside] - low]
    return position


def unique_individuals(keys: pd.Index, dataset: str) -> pd.Index:
    """The vanilla identifier values, which must be present and unique (``DUPLICATE_KEY``)."""
    if keys.hasnans:
        raise AvatarError(
            "DUPLICATE_KEY",
            f"dataset {dataset!r}: the identifier column has missing values; every individual "
            "needs an identifier",
            field="id",
        )
    if not keys.is_unique:
        duplicated = str(keys[keys.duplicated()][0])
        raise AvatarError(
            "DUPLICATE_KEY",
            f"dataset {dataset!r}: the individual {duplicated!r} appears more than once in the "
            "individuals' (vanilla) table; keep one row per individual",
            field="id",
        )
    return keys


def series_points(
    frame: pd.DataFrame,
    columns: TableColumns,
    kinds: Mapping[str, Kind],
    individual: IntArray,
    n: int,
    dataset: str,
) -> Points:
    """The points of a series table (§2.3), times in float seconds for datetimes.

    Raises:
        AvatarError: ``NO_TIME_COLUMN`` for a missing time, ``NON_FINITE_VALUE`` for ±inf.
    """
    assert columns.time is not None
    time = to_float(frame[columns.time], kinds[columns.time])
    finite_time = bool(np.isfinite(time).all())
    if not finite_time and np.isnan(time).any():
        raise AvatarError(
            "NO_TIME_COLUMN",
            f"dataset {dataset!r}: the time column {columns.time!r} has missing values; every "
            "series row needs a time",
            field=columns.time,
        )
    if len(columns.values) == 1:
        # One value column: its values as they are, seen as one column (no copy).
        values = to_float(frame[columns.values[0]], "continuous").reshape(len(frame), 1)
    else:
        values = np.column_stack(
            [to_float(frame[v], "continuous") for v in columns.values]
            or [np.zeros((len(frame), 0))]
        ).reshape(len(frame), len(columns.values))
    if not finite_time or np.isinf(values).any():
        raise AvatarError(
            "NON_FINITE_VALUE", f"dataset {dataset!r} contains an infinite value", field=None
        )
    return collect_points(individual, time, values, n)


@dataclass(frozen=True)
class SeriesModel:
    """The fitted description of one series dataset.

    Attributes:
        name: the dataset's name (column prefix ``name.``).
        values: its value columns.
        grid: its grid.
        blocks: per value column, the fitted projection.
        user_weights: per value column, the user's weight (multiplier of the whole block).
    """

    name: str
    values: tuple[str, ...]
    grid: Grid
    blocks: tuple[FittedBlock, ...]
    user_weights: tuple[float, ...]

    def block_names(self, v: int) -> list[str]:
        """Columns of value column v's block in the individual table."""
        return [f"{self.name}.{self.values[v]}.{s}" for s in self.blocks[v].suffixes()]

    def support_names(self) -> list[str]:
        """Support columns (normalised grid only)."""
        return [] if self.grid.common else [f"{self.name}.{s}" for s in SUPPORT]

    @property
    def presence_name(self) -> str:
        return f"{self.name}.{PRESENT}"

    def indicator_name(self, v: int) -> str:
        return f"{self.name}.{self.values[v]}.{MISSING}"


def fit_model(
    name: str,
    values: Sequence[str],
    grid: Grid,
    curves: Sequence[FloatArray],
    spec: ProjectionSpec,
    user_weights: Mapping[str, float],
) -> SeriesModel:
    """Fit each value column's projection on the individuals observing it."""
    blocks = []
    for v, label in enumerate(values):
        observed = curves[v][~np.isnan(curves[v]).any(axis=1)]
        blocks.append(fit_block(observed, spec, name=label))
    weights = tuple(float(user_weights.get(label, 1.0)) for label in values)
    return SeriesModel(name, tuple(values), grid, tuple(blocks), weights)


@dataclass(frozen=True)
class SeriesColumns:
    """One series dataset's part of the individual table.

    Attributes:
        data: column name -> values, shape (n,) each (float, or bool for presence).
        weights: column weights of the block columns.
        groups: shared is-missing indicators of blocks with missing values.
        float_columns: the block and support columns (returned unrounded, no own indicator).
    """

    data: dict[str, np.ndarray]
    weights: dict[str, float]
    groups: list[IndicatorGroup]
    float_columns: list[str]


def series_columns(
    model: SeriesModel,
    curves: Sequence[FloatArray],
    sup: Support,
    *,
    with_presence: bool,
) -> SeriesColumns:
    """Blocks, support and presence columns of every individual (§2.5).

    Args:
        model: the fitted model.
        curves: per value column, the grid values, shape (n, G) with NaN rows.
        sup: the individuals' support.
        with_presence: add the presence column when some individual is absent.
    """
    present = sup.count > 0
    data: dict[str, np.ndarray] = {}
    weights: dict[str, float] = {}
    groups: list[IndicatorGroup] = []
    floats: list[str] = []
    for v in range(len(model.values)):
        fitted = model.blocks[v]
        missing = np.isnan(curves[v]).any(axis=1)
        block = fitted.block(curves[v])
        names = model.block_names(v)
        column_weights = block_weights(block[~missing], fitted.lambda1, model.user_weights[v])
        for j, name in enumerate(names):
            data[name] = block[:, j]
            weights[name] = float(column_weights[j])
        floats.extend(names)
        blank = present & missing
        if blank.any():
            groups.append(
                IndicatorGroup(model.indicator_name(v), tuple(names), blank, model.user_weights[v])
            )
    if not model.grid.common:
        for name, values in zip(
            model.support_names(), (sup.t0, sup.duration, sup.count.astype(np.float64)), strict=True
        ):
            data[name] = np.where(present, values, np.nan)
            floats.append(name)
    if with_presence and not present.all():
        data[model.presence_name] = present.copy()
    return SeriesColumns(data, weights, groups, floats)


def prepare_series(
    name: str,
    points: Points,
    spec: ProjectionSpec,
    user_weights: Mapping[str, float],
    values: Sequence[str],
    g_max: int,
) -> tuple[SeriesModel, list[FloatArray], Support]:
    """Support, grid, grid values and fitted projections of one series dataset."""
    from avatars_server.engine.timeseries.grid import fit_grid

    sup = support(points)
    grid = fit_grid(points, g_max)
    curves = grid_values(points, grid, sup)
    return fit_model(name, values, grid, curves, spec, user_weights), curves, sup
