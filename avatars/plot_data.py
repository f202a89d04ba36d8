"""The small, bounded summaries the figures are drawn from: bins, shares, samples, matrices.

Pure numpy/pandas (no matplotlib). The field names are those of the server's report content
(``avatars_server.reports.content``), so :mod:`avatars.plots` draws a report's stored figure data
and a notebook's DataFrames with the same code. Every summary is bounded whatever the number of
rows: a distribution is a few dozen shares, a correlation matrix is variables × variables.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
VariableKind = Literal["continuous", "categorical", "datetime"]

OTHER_LABEL = "other"
MAX_MODALITIES = 15  # a categorical bar chart shows this many modalities, then "other"
MAX_ASSOCIATION_ROWS = 200_000  # rows used to estimate the association matrices of DataFrames
ASSOCIATION_METHOD = "pearson r / correlation ratio / Cramér's V"
_NS_PER_SECOND = 1e9


@dataclass(frozen=True)
class VariableDistribution:
    """One variable, originals vs avatars, over the same bins; shares in [0, 1].

    Attributes:
        name: the column label.
        kind: ``continuous`` and ``datetime`` have ``bin_edges`` (``len(labels) + 1``, datetimes
            in seconds since the epoch); ``categorical`` has one label per modality.
        labels: bin or modality labels.
        bin_edges: bin edges, None for a categorical variable.
        original: share of the original rows in each bin.
        avatars: share of the avatar rows in each bin.
        original_missing: share of the original rows that are missing.
        avatars_missing: share of the avatar rows that are missing.
        hellinger: the variable's Hellinger distance when known (method.md §6.1).
    """

    name: str
    kind: VariableKind
    labels: list[str]
    bin_edges: list[float] | None
    original: list[float]
    avatars: list[float]
    original_missing: float
    avatars_missing: float
    hellinger: float | None = None


@dataclass(frozen=True)
class DistributionData:
    """A per-individual privacy quantity, binned, with the reported value and its target.

    ``counts[b]`` individuals fall in [bin_edges[b], bin_edges[b + 1]); values beyond the last
    edge are counted in the last bin. ``median`` is the reported metric, ``threshold`` its target.
    """

    name: str
    bin_edges: list[float]
    counts: list[int]
    median: float | None
    threshold: float | None
    n: int


@dataclass(frozen=True)
class CorrelationData:
    """Association matrices of the variables (None where undefined).

    Two continuous variables: Pearson r; a categorical and a continuous one: the correlation
    ratio η; two categorical ones: Cramér's V.
    """

    variables: list[str]
    original: list[list[float | None]]
    avatars: list[list[float | None]]
    difference: list[list[float | None]]
    method: str = ASSOCIATION_METHOD


def variable_kind(series: pd.Series) -> VariableKind:
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype) or isinstance(dtype, pd.CategoricalDtype):
        return "categorical"
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return "datetime"
    if pd.api.types.is_numeric_dtype(dtype):
        return "continuous"
    return "categorical"


def as_float(series: pd.Series, kind: VariableKind) -> FloatArray:
    if kind == "datetime":
        values = series
        if getattr(values.dt, "tz", None) is not None:
            values = values.dt.tz_convert("UTC").dt.tz_localize(None)
        ns = values.astype("datetime64[ns]")
        seconds = ns.to_numpy().view(np.int64).astype(np.float64) / _NS_PER_SECOND
        seconds[ns.isna().to_numpy()] = np.nan
        return seconds
    numbers = pd.to_numeric(series, errors="coerce")
    return np.asarray(numbers.to_numpy(dtype=np.float64, na_value=np.nan), dtype=np.float64)


_DISTINCT_PREFIX = 4_096  # values looked at first when counting distinct values against the bins


def _distinct_up_to(values: FloatArray, limit: int) -> int:
    """The number of distinct values when below ``limit``, else ``limit`` or more: a prefix with
    ``limit`` distinct values already settles min(limit, distinct)."""
    if values.size > _DISTINCT_PREFIX and len(pd.unique(values[:_DISTINCT_PREFIX])) >= limit:
        return limit
    return len(pd.unique(values))


def _sturges_edges(x_obs: FloatArray, a_obs: FloatArray) -> FloatArray:
    """The bins of the Hellinger distance (method.md §6.1): the figure shows what was measured."""
    if not (x_obs.size or a_obs.size):
        return np.array([0.0, 1.0])
    sturges = math.ceil(math.log2(x_obs.size)) + 1 if x_obs.size else 1
    distinct = _distinct_up_to(x_obs, sturges) if x_obs.size else 1
    bins = max(1, min(sturges, distinct))
    lo = float(min(x_obs.min(initial=np.inf), a_obs.min(initial=np.inf)))
    hi = float(max(x_obs.max(initial=-np.inf), a_obs.max(initial=-np.inf)))
    if lo == hi:
        return np.array([lo - 0.5, hi + 0.5])
    return np.linspace(lo, hi, bins + 1)


def _share(count: float, total: int) -> float:
    return float(count) / total if total else 0.0


def _continuous(
    name: str, original: FloatArray, avatars: FloatArray, kind: VariableKind
) -> VariableDistribution:
    x_obs = original[~np.isnan(original)]
    a_obs = avatars[~np.isnan(avatars)]
    edges = _sturges_edges(x_obs, a_obs)
    return VariableDistribution(
        name=name,
        kind=kind,
        labels=[f"{lo:.4g}–{hi:.4g}" for lo, hi in itertools.pairwise(edges)],
        bin_edges=[float(e) for e in edges],
        original=[_share(c, original.size) for c in np.histogram(x_obs, bins=edges)[0]],
        avatars=[_share(c, avatars.size) for c in np.histogram(a_obs, bins=edges)[0]],
        original_missing=_share(original.size - x_obs.size, original.size),
        avatars_missing=_share(avatars.size - a_obs.size, avatars.size),
    )


def _counts(series: pd.Series) -> pd.Series:
    """Observed values per modality (as text), most frequent first; O(n) at C speed."""
    counts = series.value_counts(dropna=True, sort=False)
    counts.index = pd.Index([str(v) for v in counts.index], dtype=object)
    return counts.groupby(level=0, sort=False).sum().sort_values(ascending=False, kind="stable")


def _categorical(
    name: str, original: pd.Series, avatars: pd.Series, max_modalities: int
) -> VariableDistribution:
    x_counts, a_counts = _counts(original), _counts(avatars)
    modalities = list(x_counts.index) + sorted(set(a_counts.index) - set(x_counts.index))
    shown = modalities[:max_modalities]
    rest = modalities[max_modalities:]
    labels = list(shown) + ([f"{OTHER_LABEL} ({len(rest)})"] if rest else [])

    def shares(counts: pd.Series, total: int) -> list[float]:
        values = [_share(counts.get(m, 0), total) for m in shown]
        return values + ([_share(counts.reindex(rest).fillna(0).sum(), total)] if rest else [])

    return VariableDistribution(
        name=name,
        kind="categorical",
        labels=labels,
        bin_edges=None,
        original=shares(x_counts, len(original)),
        avatars=shares(a_counts, len(avatars)),
        # Missing = what the counts left out (the same count as isna, without another scan).
        original_missing=_share(len(original) - int(x_counts.sum()), len(original)),
        avatars_missing=_share(len(avatars) - int(a_counts.sum()), len(avatars)),
    )


def variable_distribution(
    name: str,
    original: pd.Series,
    avatars: pd.Series,
    *,
    kind: VariableKind | None = None,
    hellinger: float | None = None,
    max_modalities: int = MAX_MODALITIES,
) -> VariableDistribution:
    """Bin one variable of both tables over the same bins.

    Continuous and datetime variables use the Sturges bins of the Hellinger distance; a
    categorical variable gets one bar per modality (the ``max_modalities`` most frequent among
    the originals, then one "other" bar). Missing values are counted apart.

    Args:
        name: the column label.
        original: shape (n,).
        avatars: shape (m,).
        kind: the variable's role; from the originals' dtype when None.
        hellinger: the variable's Hellinger distance, shown with the figure when given.
        max_modalities: bars before the rest of the modalities are grouped.
    """
    kind = kind or variable_kind(original)
    if kind == "categorical":
        summary = _categorical(name, original, avatars, max_modalities)
    else:
        summary = _continuous(name, as_float(original, kind), as_float(avatars, kind), kind)
    return summary if hellinger is None else replace(summary, hellinger=hellinger)


def variable_distributions(
    original: pd.DataFrame,
    avatars: pd.DataFrame,
    *,
    kinds: dict[str, VariableKind] | None = None,
    hellinger: dict[str, float] | None = None,
) -> list[VariableDistribution]:
    """:func:`variable_distribution` for every column of the originals, in column order."""
    kinds = kinds or {}
    hellinger = hellinger or {}
    return [
        variable_distribution(
            str(name),
            original[name],
            avatars[name],
            kind=kinds.get(str(name)),
            hellinger=hellinger.get(str(name)),
        )
        for name in original.columns
    ]


def distribution_data(
    name: str,
    values: npt.ArrayLike,
    threshold: float | None,
    *,
    median: float | None = None,
    bins: int = 40,
) -> DistributionData:
    """Bin a per-individual privacy quantity (LC_i, DCR_j or NNDR_j, method.md §5.2-5.4).

    Local cloaking gets one bin per integer up to its 99th percentile (at least 3 × the target;
    wider integer bins past 60 values, with LC = 0 always alone);
    distances get ``bins`` equal bins up to their 99th percentile; the ratio spans [0, 1]. Values
    beyond the last edge are counted in the last bin, so no individual is dropped.

    Args:
        name: wire name of the metric.
        values: shape (n,), one value per individual (NaN ignored).
        threshold: the metric's target value.
        median: the reported metric; the median of ``values`` when None.
        bins: bins for the distances.
    """
    data = np.asarray(values, dtype=np.float64)
    data = data[~np.isnan(data)]
    if median is None and data.size:
        median = float(np.median(data))
    high = float(np.percentile(data, 99)) if data.size else 1.0
    target = threshold or 0.0
    if name == "local_cloaking":
        top = max(math.ceil(high), int(3 * target), 1)
        step = max(1, math.ceil(top / 60))  # at most ~60 bins, whatever k; LC = 0 keeps its own
        edges = np.concatenate([[0.0], np.arange(1.0, top + step + 1.0, step)])
    elif name == "closest_distances_ratio":
        edges = np.linspace(0.0, 1.0, bins + 1)
    else:
        edges = np.linspace(0.0, max(high, 2 * target, 1e-12), bins + 1)
    counts = np.histogram(np.clip(data, edges[0], edges[-1]), bins=edges)[0]
    return DistributionData(
        name=name,
        bin_edges=[float(e) for e in edges],
        counts=[int(c) for c in counts],
        median=median,
        threshold=threshold,
        n=int(data.size),
    )


def sample_rows(n: int, size: int, seed: int = 0) -> IntArray:
    """A seeded, sorted sample of ``size`` row indices out of ``n`` (all rows when n ≤ size)."""
    if n <= size:
        return np.arange(n, dtype=np.int64)
    rng = np.random.default_rng(seed)
    return np.sort(rng.choice(n, size=size, replace=False)).astype(np.int64)


def _codes(series: pd.Series) -> IntArray:
    """Category codes with missing as one more level."""
    codes = pd.factorize(series.astype(object), use_na_sentinel=False)[0]
    return np.asarray(codes, dtype=np.int64)


def _pearson_matrix(values: FloatArray) -> FloatArray:
    """Pearson r of every pair of columns over their pairwise complete rows, (c, c); NaN where
    undefined. Matrix products instead of a loop over pairs (columns centred first, for
    accuracy)."""
    observed = ~np.isnan(values)
    with np.errstate(invalid="ignore", divide="ignore"):
        centred = np.where(observed, values - np.nanmean(values, axis=0), 0.0)
        mask = observed.astype(np.float64)
        n = mask.T @ mask
        sx = centred.T @ mask  # sx[i, j]: sum of column i over rows where j is observed too
        sxx = (centred**2).T @ mask
        sxy = centred.T @ centred
        cov = sxy - sx * sx.T / n
        var = sxx - sx**2 / n
        r = cov / np.sqrt(var * var.T)
    flat = (sxx <= 0) | ~(var > 1e-12 * sxx)  # a column constant on the common rows
    r[(n < 2) | flat | flat.T] = np.nan
    return np.asarray(np.clip(r, -1.0, 1.0), dtype=np.float64)


class _Observed:
    """A continuous column's observed values and the sums every η with it needs, computed
    once for all the categorical columns it is paired with."""

    def __init__(self, y: FloatArray) -> None:
        observed = ~np.isnan(y)
        self.complete = bool(observed.all())
        self.observed = observed
        self.y = y if self.complete else y[observed]
        values = self.y
        self.total = float(((values - values.mean()) ** 2).sum()) if values.size else 0.0
        self.sum_term = float(values.sum() ** 2 / values.size) if values.size else 0.0

    def eta(self, codes: IntArray, counts: IntArray | None = None) -> float | None:
        """The correlation ratio η of the column given the categories ``codes``.

        Args:
            codes: shape (n,), one code per row of the column (missing rows included).
            counts: ``np.bincount(codes)`` when the column is complete and it is known.
        """
        if self.total <= 0:
            return None
        if not self.complete:
            codes, counts = codes[self.observed], None
        if counts is None:
            counts = np.bincount(codes)
        sums = np.bincount(codes, weights=self.y)
        present = counts > 0
        between = float((sums[present] ** 2 / counts[present]).sum() - self.sum_term)
        return math.sqrt(min(1.0, max(0.0, between / self.total)))


def _cramers_v(x: IntArray, y: IntArray) -> float | None:
    rows, cols = int(x.max()) + 1, int(y.max()) + 1
    if min(rows, cols) < 2:
        return None
    table = np.bincount(x * cols + y, minlength=rows * cols).reshape(rows, cols).astype(float)
    expected = np.outer(table.sum(1), table.sum(0)) / table.sum()
    chi2 = float(((table - expected) ** 2 / np.where(expected > 0, expected, 1)).sum())
    return math.sqrt(chi2 / (table.sum() * (min(rows, cols) - 1)))


def association_matrix(
    df: pd.DataFrame, kinds: dict[str, VariableKind]
) -> list[list[float | None]]:
    """r, η or Cramér's V between every pair of columns (1 on the diagonal), p × p."""
    names = list(kinds)
    continuous = [n for n in names if kinds[n] != "categorical"]
    numbers = {n: as_float(df[n], kinds[n]) for n in continuous}
    codes = {n: _codes(df[n]) for n in names if kinds[n] == "categorical"}
    r = _pearson_matrix(np.column_stack([numbers[n] for n in continuous])) if continuous else None
    position = {n: i for i, n in enumerate(continuous)}
    observed = {n: _Observed(values) for n, values in numbers.items()}
    counts = {n: np.bincount(c) for n, c in codes.items()}
    matrix: list[list[float | None]] = [[None] * len(names) for _ in names]
    for i, a in enumerate(names):
        matrix[i][i] = 1.0
        for j in range(i):
            b = names[j]
            value: float | None
            if r is not None and a in position and b in position:
                cell = float(r[position[a], position[b]])
                value = None if math.isnan(cell) else cell
            elif a in codes and b in codes:
                value = _cramers_v(codes[a], codes[b])
            elif a in codes:
                value = observed[b].eta(codes[a], counts[a])
            else:
                value = observed[a].eta(codes[b], counts[b])
            matrix[i][j] = matrix[j][i] = value
    return matrix


def correlation_data(
    original: pd.DataFrame,
    avatars: pd.DataFrame,
    *,
    kinds: dict[str, VariableKind] | None = None,
    max_rows: int = MAX_ASSOCIATION_ROWS,
    seed: int = 0,
) -> CorrelationData:
    """Association matrices of both tables and their difference (avatars − originals).

    At most ``max_rows`` seeded rows of each table are used, so the cost stays bounded.

    Args:
        original: the original table.
        avatars: the avatars, same columns.
        kinds: role of each column; from the originals' dtypes when None.
        max_rows: rows sampled from each table.
        seed: seed of that sample.
    """
    kinds = kinds or {str(n): variable_kind(original[n]) for n in original.columns}
    x = original.iloc[sample_rows(len(original), max_rows, seed)]
    a = avatars.iloc[sample_rows(len(avatars), max_rows, seed)]
    with np.errstate(divide="ignore", invalid="ignore"):
        rx, ra = association_matrix(x, kinds), association_matrix(a, kinds)
    difference = [
        [None if u is None or v is None else v - u for u, v in zip(row_x, row_a, strict=True)]
        for row_x, row_a in zip(rx, ra, strict=True)
    ]
    return CorrelationData(list(kinds), rx, ra, difference)


def first_axes(coordinates: Sequence[Sequence[float]] | npt.ArrayLike) -> FloatArray:
    """The first two columns of a coordinate table, shape (n, 2) (a zero column if only one)."""
    points = np.asarray(coordinates, dtype=np.float64)
    if points.ndim != 2 or points.shape[0] == 0:
        return np.zeros((0, 2))
    if points.shape[1] == 1:
        points = np.column_stack([points[:, 0], np.zeros(len(points))])
    return np.ascontiguousarray(points[:, :2])
