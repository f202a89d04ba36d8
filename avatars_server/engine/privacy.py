"""The eleven privacy metrics of method.md §5, from the originals and the unshuffled avatars."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

import numba
import numpy as np
import numpy.typing as npt
import pandas as pd

from avatars_server.engine.config import (
    PRIVACY_TARGETS,
    PrivacyConfig,
    check_categorical_hidden_rate_variables,
    check_privacy_parameters,
)
from avatars_server.engine.distances import NearestOthers, closest, closest_rate, linkage
from avatars_server.engine.errors import AvatarError
from avatars_server.engine.explain import ProjectionModel, explain_projection
from avatars_server.engine.inference import inference_categorical, inference_continuous
from avatars_server.engine.matching import (
    categorical_hidden_rate,
    column_direct_match_protection,
    joint_codes,
    row_direct_match_protection,
)
from avatars_server.engine.memory import release_free_memory
from avatars_server.engine.metric_space import (
    MetricSpace,
    align_avatars,
    build_metric_space,
    known_variable_space,
)
from avatars_server.engine.random import make_streams
from avatars_server.engine.table import Encoded, Kind

Progress = Callable[[str, float], None]


@dataclass(frozen=True)
class PrivacyMetricsResult:
    """Privacy metrics (wire names of avatar-api.md §3.7); every float is finite.

    ``categorical_hidden_rate`` is 100·(1 − 1/n) when there is no categorical variable (every
    avatar ties, method-extended.md §6.1); optional metrics are None when undefined.
    ``details`` holds diagnostics: local cloaking mean and shares, per-column direct-match
    protection, the worst column, ncp...
    """

    hidden_rate: float
    local_cloaking: float
    distance_to_closest: float | None
    closest_distances_ratio: float | None
    column_direct_match_protection: float
    categorical_hidden_rate: float
    row_direct_match_protection: float
    correlation_protection_rate: float | None
    inference_continuous: float | None
    inference_categorical: float | None
    closest_rate: float | None
    targets: Mapping[str, str]
    details: Mapping[str, object]
    diagnostics: PrivacyDiagnostics | None = None


@dataclass(frozen=True)
class PrivacyDiagnostics:
    """Per-individual values behind the medians, and the metric projection (``explain=True``).

    Attributes:
        local_cloaking: shape (n,), LC_i of every original (§5.2).
        distance_to_closest: shape (n,), DCR_j of every avatar (§5.3).
        closest_distances_ratio: shape (n,), NNDR_j of every avatar (§5.4).
        model: the metric FAMD with the coordinates of originals and avatars; None when it was
            not asked for (``explain_model=False``).
    """

    local_cloaking: npt.NDArray[np.int64]
    distance_to_closest: npt.NDArray[np.float64]
    closest_distances_ratio: npt.NDArray[np.float64]
    model: ProjectionModel | None


def _ignore(stage: str, fraction: float) -> None:
    """Default progress callback: does nothing."""


def compute_privacy_metrics(
    original: pd.DataFrame,
    unshuffled_avatars: pd.DataFrame,
    config: PrivacyConfig = PrivacyConfig(),  # noqa: B008 (frozen dataclass)
    *,
    categorical: Collection[str] | None = None,
    progress: Progress | None = None,
    explain: bool = False,
    explain_model: bool = True,
    nearest_others: NearestOthers | None = None,
) -> PrivacyMetricsResult:
    """Compute every privacy metric of method.md §5.

    Args:
        original: the originals, shape (n, p), identifiers removed.
        unshuffled_avatars: shape (n, p), row i = avatar of original i; numeric columns may be
            float where the originals' are int.
        config: metric parameters.
        categorical: explicit list of the categorical columns (default: from the dtypes).
        progress: called as ``progress(stage, fraction)``.
        explain: also return the per-individual values and the metric projection
            (``diagnostics``).
        explain_model: with ``explain``, also build the metric projection's model (coordinates
            and contributions); False gives the per-individual values only, for a caller that
            records no projection (a full job records the avatarization's).
        nearest_others: the avatarization's (``avatarize(..., nearest_others=True)``): when
            the metric projection of the originals is the avatarization's (same digest), the
            originals' nearest-other distances are taken from it, not searched again.

    Raises:
        AvatarError: invalid parameters, mismatched tables, or an empty column.
    """
    report = progress or _ignore
    columns = [str(c) for c in original.columns]
    check_privacy_parameters(config, columns=columns)
    if len(original) != len(unshuffled_avatars):
        raise AvatarError(
            "INVALID_METRIC_PARAMETER",
            f"the unshuffled avatars must have one row per original: {len(unshuffled_avatars)} "
            f"avatars for {len(original)} originals",
        )
    if len(original) < 2:
        raise AvatarError(
            "TOO_FEW_ROWS", f"privacy metrics need at least 2 rows, got {len(original)}"
        )
    original = original.reset_index(drop=True)
    original.columns = pd.Index(columns)
    avatars = align_avatars(
        original, unshuffled_avatars.set_axis([str(c) for c in unshuffled_avatars.columns], axis=1)
    )
    streams = make_streams(config.seed)
    report("projection", 0.0)
    # Without the explain model or known variables nothing reads the avatars' continuous
    # columns: they are projected in row chunks and never held whole.
    space = build_metric_space(
        original,
        avatars,
        config,
        categorical,
        streams.metrics,
        keep_avatars=(explain and explain_model) or bool(config.known_variables),
    )
    model = _explained(space) if explain and explain_model else None
    if not config.known_variables:
        # Rebinding drops the only reference: the arrays are freed before the searches.
        space = _coordinates_and_codes_only(space)
    result = privacy_metrics_in_space(
        original,
        avatars,
        space,
        config,
        report,
        explain=explain,
        model=model,
        explain_model=explain_model,
        nearest_others=nearest_others,
    )
    del space
    release_free_memory()
    return result


def _explained(space: MetricSpace) -> ProjectionModel:
    """The metric projection's model (coordinates, contributions) behind ``explain``."""
    x, a = space.original, space.avatars
    names = x.continuous_names + [v.name for v in x.categoricals]
    return explain_projection(
        space.projection,
        names,
        (space.original_filled, [v.codes for v in x.categoricals]),
        (space.avatars_filled, [v.codes for v in a.categoricals]),
        coords=(space.original_coords, space.avatar_coords),
    )


def _coordinates_and_codes_only(space: MetricSpace) -> MetricSpace:
    """``space`` without the encoded continuous columns of both tables, which nothing reads once
    the ``explain`` model is built, unless known variables are given (the searches use the
    coordinates, the exact-match metrics the tables, the categorical hidden rate the codes):
    two n × p float arrays less while the searches run (3.2 GB at 10M rows of 20 continuous
    columns)."""
    n_x, n_a = space.original.n_rows, space.avatars.n_rows
    original = Encoded([], np.empty((n_x, 0)), space.original.categoricals)
    avatars = Encoded([], np.empty((n_a, 0)), space.avatars.categoricals)
    return replace(
        space,
        original=original,
        avatars=avatars,
        original_filled=original.continuous,
        avatars_filled=avatars.continuous,
    )


def privacy_metrics_in_space(
    original: pd.DataFrame,
    avatars: pd.DataFrame,
    space: MetricSpace,
    config: PrivacyConfig,
    report: Progress = _ignore,
    *,
    explain: bool = False,
    model: ProjectionModel | None = None,
    explain_model: bool = True,
    nearest_others: NearestOthers | None = None,
) -> PrivacyMetricsResult:
    """Every metric of method.md §5 for originals and avatars already projected in ``space``.

    Args:
        original: shape (n, p), columns as strings, index 0..n-1.
        avatars: shape (n, p), row i = avatar of original i, the originals' column order.
        space: both tables preprocessed and projected (fitted on them or on another table).
        config: metric parameters.
        report: progress callback.
        explain: also return the per-individual values and the metric projection.
        model: that projection's model when already built (else built from ``space``).
        explain_model: with ``explain``, build that model when not given (False: no model).
        nearest_others: the originals' nearest-other distances and tree order if known in some
            coordinates (used when those are ``space.original_coords``).
    """
    columns = [str(c) for c in original.columns]

    report("hidden_rate", 0.2)
    link = linkage(space.original_coords, space.avatar_coords)
    report("distance_to_closest", 0.5)
    known = (
        None if nearest_others is None else nearest_others.for_coordinates(space.original_coords)
    )
    near = closest(
        space.original_coords,
        space.avatar_coords,
        original_nn=None if known is None else known.distances,
        tree_order=None if known is None else known.leaf_order,
    )
    rate = closest_rate(
        near, config.closest_rate_percentage_threshold, config.closest_rate_ratio_threshold
    )

    report("direct_match", 0.7)
    per_column, distinct = _column_direct_matches(original, avatars, space.kinds, columns)
    worst = min(per_column, key=per_column.__getitem__)
    # Codes are recomputed lazily, most distinct column first: usually 2-3 columns suffice.
    by_distinct = sorted(columns, key=distinct.__getitem__, reverse=True)
    row_dmp = row_direct_match_protection(
        joint_codes(original[c], avatars[c], space.kinds[c]) for c in by_distinct
    )
    cat_hr = _categorical_hidden_rate(space, config)

    report("inference", 0.85)
    cpr, inf_cont, inf_cat = _attacks(space, config)
    report("done", 1.0)
    lc = link.cloaking
    details: dict[str, object] = {
        "ncp": space.ncp,
        "local_cloaking_mean": float(lc.mean()),
        "local_cloaking_share_zero": float(100.0 * (lc == 0).mean()),
        "local_cloaking_share_at_most_5": float(100.0 * (lc <= 5).mean()),
        "column_direct_match_protection_per_column": per_column,
        "column_direct_match_protection_worst_column": worst,
        "distance_to_closest_mean": float(near.dcr.mean()),
        "categorical_variables": [v.name for v in space.original.categoricals],
    }
    diagnostics = None
    if explain:
        if model is None and explain_model:
            model = _explained(space)
        diagnostics = PrivacyDiagnostics(lc, near.dcr, near.nndr, model)
    return PrivacyMetricsResult(
        hidden_rate=link.hidden_rate,
        local_cloaking=float(np.median(lc)),
        distance_to_closest=float(np.median(near.dcr)),
        closest_distances_ratio=float(np.median(near.nndr)),
        column_direct_match_protection=per_column[worst],
        categorical_hidden_rate=cat_hr,
        row_direct_match_protection=row_dmp,
        correlation_protection_rate=cpr,
        inference_continuous=inf_cont,
        inference_categorical=inf_cat,
        closest_rate=rate,
        targets=PRIVACY_TARGETS,
        details=details,
        diagnostics=diagnostics,
    )


def _column_direct_matches(
    original: pd.DataFrame, avatars: pd.DataFrame, kinds: Mapping[str, Kind], columns: list[str]
) -> tuple[dict[str, float], dict[str, int]]:
    """Column direct-match protection (§5.7) of every column, and its originals' highest joint
    code (distinct values − 1), the columns hashed side by side on the engine's threads (the
    hashing kernels release the GIL); no column's codes are kept."""

    def one(name: str) -> tuple[float, int]:
        x_codes, a_codes = joint_codes(original[name], avatars[name], kinds[name])
        return column_direct_match_protection(x_codes, a_codes), int(x_codes.max(initial=-1))

    workers = min(len(columns), numba.get_num_threads())
    if workers < 2:
        results = [one(name) for name in columns]
    else:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            results = list(pool.map(one, columns))
    per_column = {name: r[0] for name, r in zip(columns, results, strict=True)}
    distinct = {name: r[1] for name, r in zip(columns, results, strict=True)}
    return per_column, distinct


def _categorical_hidden_rate(space: MetricSpace, config: PrivacyConfig) -> float:
    """§5.8 on the chosen variables.

    With no categorical variable (none in the table, or an empty list) every avatar ties at
    Hamming distance 0: 100·(1 − 1/n) (method-extended.md §6.1).

    Raises:
        AvatarError: ``INVALID_METRIC_PARAMETER`` naming a requested variable that is not
            categorical.
    """
    by_name = {v.name: j for j, v in enumerate(space.original.categoricals)}
    wanted = config.categorical_hidden_rate_variables
    if wanted is not None:
        check_categorical_hidden_rate_variables(wanted, list(by_name))
    names = list(wanted) if wanted is not None else list(by_name)
    if not names:
        return float(100.0 * (1.0 - 1.0 / space.original.n_rows))
    x_codes = [space.original.categoricals[by_name[n]].codes for n in names]
    a_codes = [space.avatars.categoricals[by_name[n]].codes for n in names]
    return categorical_hidden_rate(x_codes, a_codes)


def _attacks(
    space: MetricSpace, config: PrivacyConfig
) -> tuple[float | None, float | None, float | None]:
    """correlation_protection_rate and the inference metric of the target's kind (§5.9-5.12)."""
    known = list(config.known_variables or [])
    if not known:
        return None, None, None
    x_known, a_known = known_variable_space(space, known)
    cpr = linkage(x_known, a_known).hidden_rate
    target = config.target
    if target is None:
        return cpr, None, None
    if space.kinds[target] == "categorical":
        j = [v.name for v in space.original.categoricals].index(target)
        x_target = space.original.categoricals[j].codes
        a_target = space.avatars.categoricals[j].codes
        return cpr, None, inference_categorical(x_known, x_target, a_known, a_target)
    j = space.original.continuous_names.index(target)
    x_values = space.original.continuous[:, j]
    a_values = space.avatars.continuous[:, j]
    return cpr, inference_continuous(x_known, x_values, a_known, a_values), None
