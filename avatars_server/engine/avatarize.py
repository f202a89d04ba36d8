"""Avatarization: projection, neighbours, random weights, barycentres and draws (method.md §3)."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse

from avatars_server.engine.config import (
    DEFAULT_MAX_DIMENSIONS,
    DEFAULT_NCP,
    AvatarizationConfig,
    check_avatarization_parameters,
    check_ncp,
)
from avatars_server.engine.errors import AvatarError
from avatars_server.engine.imputation import fit_imputer, impute
from avatars_server.engine.neighbours import neighbours_excluding_self
from avatars_server.engine.projection import fit_projection
from avatars_server.engine.random import make_streams
from avatars_server.engine.restore import column_format, restore_categorical, restore_continuous
from avatars_server.engine.table import (
    Categorical,
    Encoded,
    FloatArray,
    IntArray,
    check_not_empty,
    column_kinds,
    encode,
)

Progress = Callable[[str, float], None]
COINCIDENCE_FACTOR = 1e-9
INDICATOR_SUFFIX = "__is_missing"
_THREADS = max(1, min(4, os.cpu_count() or 1))


@dataclass(frozen=True)
class AvatarizationOutput:
    """Result of :func:`avatarize`.

    Attributes:
        avatars: shape (n, p), the released avatars, shuffled, index 0..n-1.
        unshuffled: shape (n, p), row i = avatar of original i. Sensitive: with the originals
            it allows linkage; only for the privacy metrics.
        ncp: the number of axes actually used for the neighbour search.
        order: shape (n,), the shuffle: released row i is unshuffled row ``order[i]``.
    """

    avatars: pd.DataFrame
    unshuffled: pd.DataFrame
    ncp: int
    order: IntArray | None = None


def _ignore_progress(stage: str, fraction: float) -> None:
    """Default progress callback: does nothing."""


def random_weights(dist: FloatArray, rng: np.random.Generator) -> FloatArray:
    """Normalised random weights of the neighbours, zero-distance rule included (§3.6).

    R ~ Exp(1) is drawn first as an (n, k) array (row by row), then the random ranks s as a
    row-wise permutation of 1..k.

    Args:
        dist: shape (n, k), distances to the k neighbours.
        rng: the weights stream.

    Returns:
        Shape (n, k); each row sums to 1.
    """
    n, k = dist.shape
    base = rng.standard_exponential((n, k))
    ranks = rng.permuted(np.broadcast_to(np.arange(1, k + 1, dtype=np.int32), (n, k)), axis=1)
    # R·2^(−s) by scaling the binary exponent: exact, and cheaper than a lookup or exp2.
    np.ldexp(base, np.negative(ranks), out=base)
    del ranks
    rows, threshold = _coincident_rows(dist)
    # 1/d → ∞ as d → 0: coincident neighbours dominate, every other one gets P = 0.
    kept = np.where(dist[rows] <= threshold, base[rows], 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        raw = np.divide(base, dist, out=base)
    raw[rows] = kept
    total = raw.sum(axis=1, keepdims=True)
    # Weights can all underflow to 0 only for k beyond ~1000: fall back to uniform weights.
    bad = ~(total[:, 0] > 0)
    raw[bad] = 1.0
    total[bad] = k
    raw /= total
    return raw


def _positive_median(dist: FloatArray) -> float:
    """Median of all strictly positive neighbour distances (1 when there is none)."""
    positive = dist[dist > 0]
    return float(np.median(positive)) if positive.size else 1.0


def _coincident_rows(dist: FloatArray) -> tuple[IntArray, float]:
    """Rows with a coincident neighbour, shape (r,), and the threshold 1e-9·m (§3.6).

    The median m, a selection over n·k values, is only needed when some distance is that small
    relative to the largest one (m <= max d); with continuous data it usually is not.
    """
    smallest = dist.min(axis=1)
    if not (smallest <= COINCIDENCE_FACTOR * float(dist.max())).any():
        return np.zeros(0, dtype=np.int64), 0.0
    threshold = COINCIDENCE_FACTOR * _positive_median(dist)
    return np.flatnonzero(smallest <= threshold), threshold


def barycentres(weights: FloatArray, neighbours: IntArray, values: FloatArray) -> FloatArray:
    """Weighted means Σ_j w_ij x_j of the neighbours' values (method.md §3.7).

    A sparse n × n matrix with n·k non-zeros times the data is the fastest form.

    Args:
        weights: shape (n, k).
        neighbours: shape (n, k), row indices.
        values: shape (n, c).

    Returns:
        Shape (n, c).
    """
    n, k = weights.shape
    out = np.zeros((n, values.shape[1]))
    if values.shape[1] == 0:
        return out

    def rows(chunk: slice) -> None:
        size = chunk.stop - chunk.start
        matrix = scipy.sparse.csr_matrix(
            (weights[chunk].ravel(), neighbours[chunk].ravel(), np.arange(0, size * k + 1, k)),
            shape=(size, n),
        )
        out[chunk] = matrix @ values

    # The sparse product releases the GIL: row blocks run in parallel threads.
    step = -(-n // _THREADS)
    with ThreadPoolExecutor(_THREADS) as pool:
        list(pool.map(rows, [slice(a, min(n, a + step)) for a in range(0, n, step)]))
    return out


def draw_codes(
    weights: FloatArray,
    neighbours: IntArray,
    variables: Sequence[Categorical],
    rng: np.random.Generator,
) -> list[IntArray]:
    """Random categorical draws, one independent draw per variable and row (method.md §3.8).

    Each value is the modality of one neighbour picked with probability w_ij: the same law as
    drawing modality m with probability q_im = Σ_j w_ij 1{x_j = m}, without building q.
    Variables are drawn in the given order, each drawing all n rows from one u ~ U[0, 1).

    Returns:
        Per variable, shape (n,), the drawn level codes.
    """
    n = weights.shape[0]
    # Summing along the transposed view walks memory row-contiguously: ~3x faster.
    cumulative = np.cumsum(weights.T, axis=0).T
    # Dividing by the last value makes it exactly 1, so u < 1 always lands on a neighbour
    # with positive weight.
    cumulative /= cumulative[:, -1:]
    rows = np.arange(n)
    drawn: list[IntArray] = []
    for variable in variables:
        u = np.asarray(rng.random(n), dtype=np.float64)
        position = (cumulative <= u[:, None]).sum(axis=1)
        drawn.append(variable.codes[neighbours[rows, position]])
    return drawn


def _weights(table: Encoded, column_weights: Mapping[str, float] | None) -> list[float]:
    """Weight of each variable: continuous ones, then categorical ones (indicators inherit)."""
    given = dict(column_weights or {})

    def weight(name: str) -> float:
        if name.endswith(INDICATOR_SUFFIX) and name not in given:
            name = name[: -len(INDICATOR_SUFFIX)]
        return float(given.get(name, 1.0))

    names = table.continuous_names + [v.name for v in table.categoricals]
    return [weight(name) for name in names]


def _with_indicators(table: Encoded) -> tuple[Encoded, list[int]]:
    """Add one is-missing indicator per continuous column with missing values (§3.3).

    Returns:
        The extended table and, for each indicator, the index of its continuous column.
    """
    indicators: list[Categorical] = []
    sources: list[int] = []
    for j, name in enumerate(table.continuous_names):
        missing = np.isnan(table.continuous[:, j])
        if missing.any():
            levels = np.array([False, True], dtype=object)
            codes = missing.astype(np.int64)
            indicators.append(Categorical(name + INDICATOR_SUFFIX, codes, levels, False))
            sources.append(j)
    extended = Encoded(table.continuous_names, table.continuous, table.categoricals + indicators)
    return extended, sources


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
    seed_sequence: np.random.SeedSequence | None = None,
) -> AvatarizationOutput:
    """Build the avatars of ``df`` (method.md §3).

    Args:
        df: the originals, shape (n, p), with dtypes giving the column roles (§2.2).
        config: the avatarization parameters.
        identifiers: columns removed before avatarization and absent from the avatars.
        progress: called as ``progress(stage, fraction)`` with fraction in [0, 1].
        max_dimensions: limit on D_enc (``TOO_MANY_DIMENSIONS`` above it).
        seed_sequence: a child seed of an extended job (method-extended.md §0.1), used
            instead of ``config.seed`` when given.

    Returns:
        The shuffled avatars, the sensitive unshuffled avatars, and the ncp used; both frames
        have shape (n, p - len(identifiers)), the input's columns in input order.

    Raises:
        AvatarError: for any rejected parameter or data (§2.3).
    """
    report = progress or _ignore_progress
    check_avatarization_parameters(
        config, columns=list(df.columns), n_rows=len(df), identifiers=identifiers
    )
    report("preprocessing", 0.0)
    data = df.drop(columns=list(identifiers)).reset_index(drop=True)
    labels = list(data.columns)
    data.columns = [str(c) for c in labels]
    check_not_empty(data)
    kinds = column_kinds(data)
    table = encode(data, kinds)
    formats = {name: column_format(data[name], kinds[name]) for name in data.columns}
    full, sources = _with_indicators(table)
    n = table.n_rows
    d_enc = full.n_dimensions
    if d_enc > max_dimensions:
        raise AvatarError(
            "TOO_MANY_DIMENSIONS",
            f"the encoded table has {d_enc} dimensions, more than the limit of {max_dimensions}; "
            "group rare modalities of high-cardinality categorical columns",
        )
    ncp = resolve_ncp(config.ncp, d_enc, n)
    streams = make_streams(config.seed if seed_sequence is None else seed_sequence)

    report("imputation", 0.1)
    imputer = fit_imputer(table, config.imputation, streams.imputation)
    filled = impute(imputer, table)

    report("projection", 0.2)
    projection = fit_projection(full, filled, _weights(full, config.column_weights))
    coords = projection.transform(filled, [v.codes for v in full.categoricals], ncp)

    report("neighbours", 0.35)
    dist, neighbours = neighbours_excluding_self(coords, config.k)
    del coords

    report("weights", 0.7)
    weights = random_weights(dist, streams.weights)
    del dist
    means = barycentres(weights, neighbours, filled)
    codes = draw_codes(weights, neighbours, full.categoricals, streams.categorical)
    del weights, neighbours

    report("restoring", 0.9)
    n_cat = len(table.categoricals)
    blank = {table.continuous_names[j]: codes[n_cat + i] == 1 for i, j in enumerate(sources)}
    columns: dict[str, object] = {}
    for j, name in enumerate(table.continuous_names):
        missing = blank.get(name, np.zeros(n, dtype=bool))
        columns[name] = restore_continuous(formats[name], means[:, j], missing)
    for variable, drawn in zip(table.categoricals, codes, strict=False):
        columns[variable.name] = restore_categorical(formats[variable.name], variable, drawn)
    unshuffled = pd.DataFrame({name: columns[name] for name in data.columns})
    unshuffled.columns = pd.Index(labels)
    order = streams.shuffle.permutation(n)
    avatars = unshuffled.take(order).reset_index(drop=True)
    report("done", 1.0)
    return AvatarizationOutput(avatars=avatars, unshuffled=unshuffled, ncp=ncp, order=order)
