"""Privacy metrics of series datasets on projected individuals (method-extended §2.9); their
signal metrics (§2.10) are in :mod:`.signal`, re-exported here."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

import numpy as np
import numpy.typing as npt
import pandas as pd

from avatars_server.engine.config import PRIVACY_TARGETS, PrivacyConfig, check_privacy_parameters
from avatars_server.engine.distances import closest, closest_rate, linkage
from avatars_server.engine.errors import AvatarError
from avatars_server.engine.matching import column_direct_match_protection, joint_codes
from avatars_server.engine.metric_space import build_metric_space
from avatars_server.engine.neighbours import TIE_TOLERANCE, count_within
from avatars_server.engine.privacy import PrivacyMetricsResult
from avatars_server.engine.random import make_streams
from avatars_server.engine.table import FloatArray, IntArray
from avatars_server.engine.timeseries.columns import TableColumns, frame_kinds, resolve_columns
from avatars_server.engine.timeseries.grid import (
    DEFAULT_G_MAX,
    Points,
    Support,
    fit_grid,
    grid_values,
    support,
)
from avatars_server.engine.timeseries.individuals import (
    fit_model,
    id_keys,
    individual_index,
    series_columns,
    unique_individuals,
)
from avatars_server.engine.timeseries.pairs import (
    SeriesPair,
    first_appearance,
    pair_columns,
    points_of,
)
from avatars_server.engine.timeseries.projection import FPCA
from avatars_server.engine.timeseries.signal import TimeSeriesSignal, series_signal_metrics
from avatars_server.engine.timeseries.tasks import Background, run_all

_DECIMALS = 9
# Odd 64-bit constants of the series hash (wrapping uint64 arithmetic).
_HASH_MULTIPLIERS = tuple(
    np.uint64(c) for c in (0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9)
)
_HASH_MIX = np.uint64(0xFF51AFD7ED558CCD)
# Above this many series to compare in full, their points are rounded all at once.
_FEW_CANDIDATES = 256


def _pairing(
    pair: SeriesPair, vanilla: SeriesPair | None
) -> tuple[TableColumns, TableColumns, IntArray, IntArray, int]:
    """Each original and avatar series row's individual (§2.9 pairing), and n."""
    x_cols, a_cols = pair_columns(pair)
    if vanilla is None:
        x_ind, n_x = first_appearance(pair.original, x_cols)
        a_ind, n_a = first_appearance(pair.avatars, a_cols)
        if n_x != n_a:
            raise AvatarError(
                "INDIVIDUAL_MISMATCH",
                f"dataset {pair.original.name!r} has {n_x} individuals but its avatars "
                f"{pair.avatars.name!r} have {n_a}; without the vanilla pair individuals are "
                "paired by order of appearance: give vanilla_original_id and "
                "vanilla_unshuffled_avatars_id",
            )
        return x_cols, a_cols, x_ind, a_ind, n_x
    v_x, v_a = _vanilla_keys(vanilla)
    x_ind = individual_index(
        id_keys(pair.original.frame[x_cols.identifier]), v_x, pair.original.name
    )
    try:
        a_ind = individual_index(
            id_keys(pair.avatars.frame[a_cols.identifier]), v_a, pair.avatars.name
        )
    except AvatarError as exc:
        raise AvatarError("INDIVIDUAL_MISMATCH", exc.message, exc.field) from exc
    return x_cols, a_cols, x_ind, a_ind, len(v_x)


def _vanilla_keys(vanilla: SeriesPair) -> tuple[pd.Index, pd.Index]:
    keys = []
    for table in (vanilla.original, vanilla.avatars):
        cols = resolve_columns(
            [str(c) for c in table.frame.columns],
            frame_kinds(table.frame),
            table.identifiers,
            series=False,
            dataset=table.name,
        )
        keys.append(unique_individuals(id_keys(table.frame[cols.identifier]), table.name))
    if len(keys[0]) != len(keys[1]):
        raise AvatarError(
            "INDIVIDUAL_MISMATCH",
            f"the vanilla original has {len(keys[0])} individuals and its unshuffled avatars "
            f"{len(keys[1])}; give the avatars made from this original",
        )
    return keys[0], keys[1]


def _linkage(x: FloatArray, a: FloatArray, own: IntArray) -> tuple[FloatArray, IntArray]:
    """π_i and LC_i when some originals' avatars are absent (own[i] = -1): those get π = 0 and
    LC = number of avatars."""
    n = len(x)
    success = np.zeros(n)
    cloaking = np.full(n, len(a), dtype=np.int64)
    paired = np.flatnonzero(own >= 0)
    if paired.size and len(a):
        distance = np.sqrt(((x[paired] - a[own[paired]]) ** 2).sum(axis=1))
        tol = TIE_TOLERANCE * np.maximum(1.0, distance)
        # Avatars within distance + tol (own avatar and ties), and whether one is closer than
        # distance - tol: the tests of method.md §5.1-5.2, as in engine/distances.py.
        counts, closer = count_within(a, x[paired], distance + tol, closer_than=distance - tol)
        counts = np.maximum(counts, 1)
        success[paired] = np.where(closer, 0.0, 1.0 / counts)
        cloaking[paired] = counts - 1
    return success, cloaking


def _rounded(points: Points, rows: IntArray) -> FloatArray:
    """Time and values of the given points rounded to 9 decimals, -0.0 made 0.0, (r, 1 + V)."""
    table = np.round(np.column_stack([points.time[rows], points.values[rows]]), _DECIMALS)
    table += 0.0
    return np.asarray(table, dtype=np.float64)


def _sample_hashes(points: Points, who: IntArray) -> npt.NDArray[np.uint64]:
    """A hash of the count and of the first, middle and last rounded points of each given
    individual's series, shape (len(who),): equal series have equal hashes."""
    count = points.count[who]
    start = points.start[who]
    out = count.astype(np.uint64) * _HASH_MIX
    for offset in (np.zeros_like(count), count // 2, count - 1):
        bits = np.ascontiguousarray(_rounded(points, start + offset)).view(np.uint64)
        for j in range(bits.shape[1]):
            out = (out ^ bits[:, j]) * _HASH_MULTIPLIERS[j % len(_HASH_MULTIPLIERS)]
            out ^= out >> np.uint64(29)
    return out


def _series_bytes(points: Points, who: IntArray) -> list[bytes]:
    """Each given individual's whole series (times and values rounded to 9 decimals), as
    bytes."""
    if len(who) > _FEW_CANDIDATES:
        # Many: round every point once, then slice.
        table = _rounded(points, np.arange(len(points.time)))
        starts, counts = points.start[who].tolist(), points.count[who].tolist()
        return [table[s : s + c].tobytes() for s, c in zip(starts, counts, strict=True)]
    out = []
    for i in who.tolist():
        start = int(points.start[i])
        out.append(_rounded(points, np.arange(start, start + int(points.count[i]))).tobytes())
    return out


def _copied_series(x: Points, x_rows: IntArray, a: Points, a_rows: IntArray) -> int:
    """Number of avatar individuals (among ``a_rows``) whose whole series (times and values,
    rounded to 9 decimals, as bytes) equals the series of an original individual (among
    ``x_rows``).

    Only the candidates whose count and first, middle and last points some original shares
    are compared in full.
    """
    x_hash, a_hash = _sample_hashes(x, x_rows), _sample_hashes(a, a_rows)
    candidates = a_rows[np.isin(a_hash, x_hash)]
    if not candidates.size:
        return 0
    wanted = x_rows[np.isin(x_hash, a_hash)]
    originals = set(_series_bytes(x, wanted))
    return sum(series in originals for series in _series_bytes(a, candidates))


def check_privacy_pair(
    pair: SeriesPair, vanilla: SeriesPair | None, *, g_max: int = DEFAULT_G_MAX
) -> None:
    """The checks of :func:`series_privacy_metrics` that need no metric (at job creation).

    Raises:
        AvatarError: ``INDIVIDUAL_MISMATCH``, ``INVALID_NF`` and the column codes of §2.2.
    """
    x_cols, _, x_ind, _, n = _pairing(pair, vanilla)
    x_points = points_of(pair.original, x_cols, x_ind, n)
    grid = fit_grid(x_points, g_max)
    if pair.original.projection is not None:
        curves = grid_values(x_points, grid, support(x_points))
        fit_model(pair.original.name, x_cols.values, grid, curves, pair.original.projection, {})


def series_privacy_metrics(
    pair: SeriesPair,
    vanilla: SeriesPair | None,
    config: PrivacyConfig,
    *,
    g_max: int = DEFAULT_G_MAX,
) -> PrivacyMetricsResult:
    """The privacy metrics of one series dataset (method-extended.md §2.9).

    Args:
        pair: the original series and its unshuffled avatar series (``projection`` of the
            original: the metric projection, None for FPCA with nf = min(5, G, n)).
        vanilla: the vanilla original and unshuffled avatars, which pair the individuals; None
            to pair them by order of first appearance.
        config: the privacy knobs.

    Raises:
        AvatarError: ``INDIVIDUAL_MISMATCH`` and the codes of §0.3 / method.md §2.3.
    """
    check_privacy_parameters(config, columns=[])
    x_cols, a_cols, x_ind, a_ind, n = _pairing(pair, vanilla)
    # The value columns' direct-match protection needs only the long tables: it runs aside.
    columns = [(pair.original.frame[v], pair.avatars.frame[v]) for v in x_cols.values]
    direct = Background(partial(_direct_match, x_cols.values, columns))
    try:
        return _series_privacy(pair, config, g_max, x_cols, a_cols, x_ind, a_ind, n, direct)
    finally:
        direct.close()


def _direct_match(
    values: Sequence[str], columns: Sequence[tuple[pd.Series, pd.Series]]
) -> dict[str, float]:
    """Column direct-match protection of each value column of the long tables (§2.9 step 5),
    from its (original, avatar) columns."""
    per_column: dict[str, float] = {}
    for name, (original, avatars) in zip(values, columns, strict=True):
        x_codes, a_codes = joint_codes(original, avatars, "continuous")
        per_column[name] = column_direct_match_protection(x_codes, a_codes)
    return per_column


def _series_privacy(
    pair: SeriesPair,
    config: PrivacyConfig,
    g_max: int,
    x_cols: TableColumns,
    a_cols: TableColumns,
    x_ind: IntArray,
    a_ind: IntArray,
    n: int,
    direct: Background[dict[str, float]],
) -> PrivacyMetricsResult:
    """:func:`series_privacy_metrics` once the individuals are paired."""
    # Originals and avatars side by side, wherever they do not depend on each other.
    x_points, a_points = run_all(
        [
            partial(points_of, pair.original, x_cols, x_ind, n),
            partial(points_of, pair.avatars, a_cols, a_ind, n),
        ]
    )
    grid = fit_grid(x_points, g_max)

    def curves(points: Points) -> tuple[Support, list[FloatArray]]:
        sup = support(points)
        return sup, grid_values(points, grid, sup)

    (x_sup, x_curves), (a_sup, a_curves) = run_all(
        [partial(curves, x_points), partial(curves, a_points)]
    )
    x_present, a_present = x_points.present, a_points.present
    spec = pair.original.projection
    if spec is None:
        spec = FPCA(min(5, grid.size, int(x_present.sum())))
    model = fit_model(pair.original.name, x_cols.values, grid, x_curves, spec, {})
    x_part, a_part = run_all(
        [
            partial(series_columns, model, x_curves, x_sup, with_presence=False),
            partial(series_columns, model, a_curves, a_sup, with_presence=False),
        ]
    )
    x_rows, a_rows = np.flatnonzero(x_present), np.flatnonzero(a_present)
    if x_rows.size < 2 or a_rows.size < 1:
        raise AvatarError(
            "TOO_FEW_ROWS",
            f"dataset {pair.original.name!r}: privacy metrics need at least 2 original and 1 "
            "avatar individuals with a series",
        )
    x_table = pd.DataFrame({k: v[x_rows] for k, v in x_part.data.items()})
    a_table = pd.DataFrame({k: v[a_rows] for k, v in a_part.data.items()})
    streams = make_streams(config.seed)
    space = build_metric_space(
        x_table, a_table, config, None, streams.metrics, column_weights=x_part.weights
    )
    position = np.full(n, -1, dtype=np.int64)
    position[a_rows] = np.arange(a_rows.size)
    own = position[x_rows]
    x_coords, a_coords = space.original_coords, space.avatar_coords
    if (own >= 0).all() and a_rows.size == x_rows.size:
        link = linkage(x_coords, a_coords[own])
        success, cloaking = link.success, link.cloaking
    else:
        success, cloaking = _linkage(x_coords, a_coords, own)
    near = closest(x_coords, a_coords)
    rate = closest_rate(
        near, config.closest_rate_percentage_threshold, config.closest_rate_ratio_threshold
    )
    copies = _copied_series(x_points, x_rows, a_points, a_rows)
    row_dmp = 100.0 * (1.0 - copies / a_rows.size)
    per_column = direct.result()
    worst = min(per_column, key=per_column.__getitem__) if per_column else None
    cat_success = np.where(own >= 0, 1.0 / a_rows.size, 0.0)
    details: dict[str, object] = {
        "ncp": space.ncp,
        "grid": "common" if grid.common else "normalized",
        "grid_size": grid.size,
        "local_cloaking_mean": float(cloaking.mean()),
        "column_direct_match_protection_per_column": per_column,
        "column_direct_match_protection_worst_column": worst,
    }
    return PrivacyMetricsResult(
        hidden_rate=float(100.0 * (1.0 - success.mean())),
        local_cloaking=float(np.median(cloaking)),
        distance_to_closest=float(np.median(near.dcr)),
        closest_distances_ratio=float(np.median(near.nndr)),
        column_direct_match_protection=per_column[worst] if worst is not None else 100.0,
        categorical_hidden_rate=float(100.0 * (1.0 - cat_success.mean())),
        row_direct_match_protection=float(row_dmp),
        correlation_protection_rate=None,
        inference_continuous=None,
        inference_categorical=None,
        closest_rate=rate,
        targets=PRIVACY_TARGETS,
        details=details,
    )


def privacy_metrics_with_time_series(
    vanilla: SeriesPair | None,
    series: Sequence[SeriesPair],
    config: PrivacyConfig,
    *,
    g_max: int = DEFAULT_G_MAX,
) -> list[PrivacyMetricsResult]:
    """§2.9 for every series dataset, in order (the vanilla pair's own metrics are the core's)."""
    return [series_privacy_metrics(pair, vanilla, config, g_max=g_max) for pair in series]


__all__ = [
    "SeriesPair",
    "TimeSeriesSignal",
    "check_privacy_pair",
    "privacy_metrics_with_time_series",
    "series_privacy_metrics",
    "series_signal_metrics",
]
