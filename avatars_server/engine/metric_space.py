"""Common set-up of the privacy metrics: preprocessing, projection, known variables (§4)."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from avatars_server.engine.avatarize import resolve_ncp
from avatars_server.engine.config import PrivacyConfig
from avatars_server.engine.errors import AvatarError
from avatars_server.engine.imputation import Imputer, fit_imputer, impute
from avatars_server.engine.projection import TRANSFORM_ROWS, Projection, fit_projection
from avatars_server.engine.table import (
    Encoded,
    FloatArray,
    Kind,
    check_not_empty,
    column_kinds,
    encode,
    encode_categoricals,
    to_float,
)


@dataclass(frozen=True)
class MetricSpace:
    """Originals and avatars, preprocessed and projected with a FAMD fitted on the originals.

    Attributes:
        kinds: role of every column.
        original, avatars: the encoded tables (avatars in the originals' levels).
        original_filled, avatars_filled: shape (n, n_continuous), imputed continuous values.
        projection: the FAMD fitted on the preprocessed originals (no is-missing indicators).
        ncp: the metric ncp.
        original_coords, avatar_coords: shape (n, ncp).
    """

    kinds: dict[str, Kind]
    original: Encoded
    avatars: Encoded
    original_filled: FloatArray
    avatars_filled: FloatArray
    projection: Projection
    ncp: int
    original_coords: FloatArray
    avatar_coords: FloatArray


def align_avatars(original: pd.DataFrame, avatars: pd.DataFrame) -> pd.DataFrame:
    """The avatars with the originals' columns in the originals' order, index 0..n-1.

    Raises:
        AvatarError: ``UNKNOWN_COLUMN`` when the column sets differ.
    """
    missing = [str(c) for c in original.columns if c not in avatars.columns]
    extra = [str(c) for c in avatars.columns if c not in original.columns]
    if missing or extra:
        raise AvatarError(
            "UNKNOWN_COLUMN",
            f"avatars and originals must have the same columns; missing from the avatars: "
            f"{missing}, not in the originals: {extra}",
            field=(missing + extra)[0],
        )
    return avatars[list(original.columns)].reset_index(drop=True)


@dataclass(frozen=True)
class MetricModel:
    """The metric preprocessing of method.md §4, fitted on one table of originals.

    Attributes:
        kinds: role of every column.
        original: the encoded originals it was fitted on (their levels encode other tables).
        original_filled: shape (n, n_continuous), their imputed continuous values.
        imputer: fitted on the originals (training subset drawn from the metric stream).
        projection: the FAMD fitted on the preprocessed originals (no is-missing indicators).
        ncp: the metric ncp.
    """

    kinds: dict[str, Kind]
    original: Encoded
    original_filled: FloatArray
    imputer: Imputer
    projection: Projection
    ncp: int


def fit_metric_model(
    original: pd.DataFrame,
    config: PrivacyConfig,
    categorical: Collection[str] | None,
    rng: np.random.Generator,
    column_weights: Mapping[str, float] | None = None,
) -> MetricModel:
    """Fit the metric preprocessing and projection on ``original`` (method.md §4).

    Args:
        original: shape (n, p), identifiers removed, index 0..n-1.
        config: privacy parameters (ncp, imputation).
        categorical: explicit list of categorical columns, or None for the dtype rule.
        rng: the metric stream (imputation training subset).
        column_weights: weight of each variable (default 1).
    """
    check_not_empty(original)
    kinds = column_kinds(original, categorical)
    x = encode(original, kinds)
    imputer = fit_imputer(x, config.imputation, rng)
    x_filled = impute(imputer, x)
    given = dict(column_weights or {})
    names = x.continuous_names + [v.name for v in x.categoricals]
    weights = [float(given.get(name, 1.0)) for name in names]
    projection = fit_projection(x, x_filled, weights)
    ncp = resolve_ncp(config.ncp, x.n_dimensions, x.n_rows)
    return MetricModel(kinds, x, x_filled, imputer, projection, ncp)


def project_pair(
    model: MetricModel,
    original: pd.DataFrame,
    avatars: pd.DataFrame,
    *,
    fitted: bool = False,
    keep_avatars: bool = True,
) -> MetricSpace:
    """Originals and avatars preprocessed and projected with ``model``.

    Args:
        model: the fitted metric model.
        original: shape (n, p); ``fitted`` when it is the table the model was fitted on.
        avatars: shape (m, p), same columns.
        keep_avatars: keep the avatars' encoded continuous columns in the space; without them
            (nothing reads them but ``explain`` and the known-variable attacks) complete avatars
            are encoded and projected in row chunks, and the space holds their codes only.
    """
    original = original.reset_index(drop=True)
    avatars = align_avatars(original, avatars)
    if fitted:
        x, x_filled = model.original, model.original_filled
    else:
        x = encode(original, model.kinds, reference=model.original)
        x_filled = impute(model.imputer, x)
    ncp = model.ncp
    x_coords = model.projection.transform(x_filled, [v.codes for v in x.categoricals], ncp)
    chunked = None if keep_avatars else _project_in_chunks(model, avatars)
    if chunked is not None:
        a, a_coords = chunked
        a_filled = a.continuous
    else:
        a = encode(avatars, model.kinds, reference=model.original)
        a_filled = impute(model.imputer, a)
        a_coords = model.projection.transform(a_filled, [v.codes for v in a.categoricals], ncp)
    return MetricSpace(
        model.kinds, x, a, x_filled, a_filled, model.projection, ncp, x_coords, a_coords
    )


def _project_in_chunks(
    model: MetricModel, avatars: pd.DataFrame
) -> tuple[Encoded, FloatArray] | None:
    """The avatars' codes (no continuous column) and coordinates, their continuous columns
    converted and projected ``TRANSFORM_ROWS`` rows at a time (the chunks of
    :meth:`Projection.transform`, so the same products): no n × p matrix. None when a value is
    missing or infinite (imputation and the error need the whole table: the caller encodes it
    whole).
    """
    kinds = model.kinds
    names = [str(c) for c in avatars.columns if kinds[str(c)] != "categorical"]
    categoricals = encode_categoricals(avatars, kinds, reference=model.original)
    m = len(avatars)
    coords = np.empty((m, model.ncp))
    for start in range(0, m, TRANSFORM_ROWS):
        stop = min(m, start + TRANSFORM_ROWS)
        block = np.empty((stop - start, len(names)))
        for j, name in enumerate(names):
            block[:, j] = to_float(avatars[name].iloc[start:stop], kinds[name])
        if not np.isfinite(block).all():
            return None
        codes = [v.codes[start:stop] for v in categoricals]
        coords[start:stop] = model.projection.transform(block, codes, model.ncp)
    return Encoded([], np.empty((m, 0)), categoricals), coords


def build_metric_space(
    original: pd.DataFrame,
    avatars: pd.DataFrame,
    config: PrivacyConfig,
    categorical: Collection[str] | None,
    rng: np.random.Generator,
    column_weights: Mapping[str, float] | None = None,
    *,
    keep_avatars: bool = True,
) -> MetricSpace:
    """Preprocess and project originals and avatars as method.md §4 specifies.

    Args:
        original: shape (n, p), identifiers removed.
        avatars: shape (m, p), same columns.
        config: privacy parameters (ncp, imputation).
        categorical: explicit list of categorical columns, or None for the dtype rule.
        rng: the metric stream (imputation training subset).
        column_weights: weight of each variable (default 1; the time-series metrics weigh the
            series blocks, method-extended.md §2.9).
        keep_avatars: see :func:`project_pair`.
    """
    original = original.reset_index(drop=True)
    model = fit_metric_model(original, config, categorical, rng, column_weights=column_weights)
    return project_pair(model, original, avatars, fitted=True, keep_avatars=keep_avatars)


def known_variable_space(space: MetricSpace, known: Sequence[str]) -> tuple[FloatArray, FloatArray]:
    """Scaled columns of the known variables, no projection (method.md §5.9).

    Returns:
        Originals and avatars in that space, shapes (n, d) and (m, d).
    """
    proj = space.projection
    parts_x: list[FloatArray] = []
    parts_a: list[FloatArray] = []
    cont_index = {name: j for j, name in enumerate(space.original.continuous_names)}
    cat_index = {v.name: j for j, v in enumerate(space.original.categoricals)}
    for name in known:
        if name in cont_index:
            j = cont_index[name]
            for filled, parts in (
                (space.original_filled, parts_x),
                (space.avatars_filled, parts_a),
            ):
                parts.append(((filled[:, j] - proj.mean[j]) / proj.sd[j])[:, None])
        else:
            j = cat_index[name]
            p = proj.proportions[j]
            root = np.sqrt(p)
            for table, parts in ((space.original, parts_x), (space.avatars, parts_a)):
                codes = table.categoricals[j].codes
                block = np.broadcast_to(-root, (len(codes), len(p))).copy()
                rows = np.flatnonzero(codes >= 0)
                block[rows, codes[rows]] += 1.0 / root[codes[rows]]
                parts.append(block)
    return np.hstack(parts_x), np.hstack(parts_a)
