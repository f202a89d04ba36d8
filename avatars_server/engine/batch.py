"""Batch avatarization: fit once on the training batch, avatarize each batch in it (ext. §1).

Pure: DataFrames and parameters in, DataFrames and numbers out. The job layer decides where each
batch runs (one task per batch); everything a batch needs is in a :class:`BatchModel`, which
pickles, and in its child seed.

Order of work: ``summarize_batch`` on every batch and ``check_unseen`` (pass 1, §1.2, in
``batch_pass1``), :func:`fit_batch_model` on the training batch (§1.3), then
:func:`avatarize_batch` per batch (§1.4) with :func:`batch_seed` (§1.5). The batch metrics are in
``batch_metrics``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from avatars_server.engine.avatarize import (
    INDICATOR_SUFFIX,
    avatars_from_coordinates,
    resolve_ncp,
    variable_weights,
)
from avatars_server.engine.batch_pass1 import (
    MISSING,
    BatchSummary,
    batch_variables,
    check_unseen,
    summarize_batch,
)
from avatars_server.engine.config import (
    DEFAULT_MAX_DIMENSIONS,
    AvatarizationConfig,
    check_avatarization_parameters,
    check_k,
)
from avatars_server.engine.errors import AvatarError
from avatars_server.engine.identifiers import with_surrogates
from avatars_server.engine.imputation import Imputer, fit_imputer, impute
from avatars_server.engine.projection import Projection, fit_projection
from avatars_server.engine.random import make_streams
from avatars_server.engine.restore import ColumnFormat, column_format
from avatars_server.engine.table import (
    Categorical,
    Encoded,
    FloatArray,
    IntArray,
    Kind,
    check_not_empty,
    column_kinds,
    encode,
)

Progress = Callable[[str, float], None]
# Decimal places kept at most for datetimes (their seconds, to the nanosecond).
_MAX_SECOND_DECIMALS = 9


def _ignore(stage: str, fraction: float) -> None:
    """Default progress callback: does nothing."""


# -- randomness (§0.1, §1.5) -------------------------------------------------------------------
def batch_entropy(seed: int | None) -> int:
    """The root entropy of a batch job: the seed itself, or fresh OS entropy when it is None.

    With None, the caller hands the value to the batches and never stores it.
    """
    return int(np.random.SeedSequence(seed).entropy)  # type: ignore[arg-type]


def batch_seed(entropy: int, index: int) -> np.random.SeedSequence:
    """Child seed ``index`` of ``SeedSequence(entropy).spawn(1 + B)``, without knowing B.

    Index 0 is the training batch, index j the j-th of ``dataset_ids``: adding a batch never
    changes another batch's seed.
    """
    return np.random.SeedSequence(entropy, spawn_key=(index,))


# -- the fitted model (§1.3) -------------------------------------------------------------------
@dataclass(frozen=True)
class BatchModel:
    """Everything fitted once on the training batch.

    Attributes:
        kinds: role of every variable (string names), in the training batch's order.
        reference: the training batch encoded; its levels encode every batch.
        indicator_sources: the continuous columns that carry an is-missing indicator.
        imputer: fitted on the training batch (its donors come from it).
        projection: the FAMD fitted on the training batch, all axes.
        ncp: axes used for the neighbour search.
        formats: per column, the output format; decimals are the maximum over all batches.
        k: neighbours per avatar.
    """

    kinds: Mapping[str, Kind]
    reference: Encoded
    indicator_sources: tuple[str, ...]
    imputer: Imputer
    projection: Projection
    ncp: int
    formats: Mapping[str, ColumnFormat]
    k: int


def _indicators(table: Encoded, sources: Sequence[str]) -> Encoded:
    """``table`` with the is-missing indicators of ``sources`` (levels False, True; §3.3)."""
    index = {name: j for j, name in enumerate(table.continuous_names)}
    levels = np.array([False, True], dtype=object)
    indicators = [
        Categorical(
            name + INDICATOR_SUFFIX,
            np.isnan(table.continuous[:, index[name]]).astype(np.int64),
            levels,
            False,
        )
        for name in sources
    ]
    return Encoded(table.continuous_names, table.continuous, table.categoricals + indicators)


def fit_batch_model(
    training: pd.DataFrame,
    config: AvatarizationConfig,
    summaries: Sequence[BatchSummary],
    *,
    entropy: int,
    identifiers: Sequence[str] = (),
    max_dimensions: int = DEFAULT_MAX_DIMENSIONS,
) -> BatchModel:
    """Fit types, imputer and FAMD on the training batch only (§1.3).

    Args:
        training: the training batch, shape (n_T, p).
        config: the avatarization parameters (its seed is ignored: ``entropy`` replaces it).
        summaries: pass 1 of every batch, training included (for the decimal counts).
        entropy: from :func:`batch_entropy`; the imputer's subset uses child 0's stream.
        identifiers: columns left out.
        max_dimensions: limit on D_enc.

    Raises:
        AvatarError: as :func:`avatarize` for the training batch.
    """
    check_avatarization_parameters(
        config, columns=list(training.columns), n_rows=len(training), identifiers=identifiers
    )
    if config.exclude_categorical is not None:
        raise AvatarError(
            "INVALID_EXCLUDE_CATEGORICAL",
            "exclude_categorical is not supported by batch avatarization yet; group rare "
            "modalities of high-cardinality categorical columns, or avatarize without batches",
            "exclude_categorical",
        )
    data = batch_variables(training, identifiers)
    check_not_empty(data)
    kinds = column_kinds(data)
    table = encode(data, kinds)
    sources = tuple(
        name
        for j, name in enumerate(table.continuous_names)
        if np.isnan(table.continuous[:, j]).any()
    )
    full = _indicators(table, sources)
    d_enc = full.n_dimensions
    if d_enc > max_dimensions:
        raise AvatarError(
            "TOO_MANY_DIMENSIONS",
            f"the encoded training batch has {d_enc} dimensions, more than the limit of "
            f"{max_dimensions}; group rare modalities of high-cardinality categorical columns",
        )
    ncp = resolve_ncp(config.ncp, d_enc, table.n_rows)
    streams = make_streams(batch_seed(entropy, 0))
    imputer = fit_imputer(table, config.imputation, streams.imputation)
    filled = impute(imputer, table)
    projection = fit_projection(full, filled, variable_weights(full, config.column_weights))
    formats = {name: _format(data[name], kinds[name], summaries) for name in data.columns}
    return BatchModel(kinds, table, sources, imputer, projection, ncp, formats, config.k)


def _format(series: pd.Series, kind: Kind, summaries: Sequence[BatchSummary]) -> ColumnFormat:
    """The training batch's column format, with decimals (and date-only) over every batch."""
    fmt = column_format(series, kind)
    name = str(series.name)
    if kind == "categorical" or pd.api.types.is_integer_dtype(series.dtype):
        return fmt
    decimals = max([fmt.decimals, *(s.decimals.get(name, 0) for s in summaries)])
    if kind == "datetime":
        date_only = fmt.date_only and all(s.date_only.get(name, True) for s in summaries)
        return replace(fmt, decimals=min(decimals, _MAX_SECOND_DECIMALS), date_only=date_only)
    return replace(fmt, decimals=decimals)


# -- one batch (§1.4) --------------------------------------------------------------------------
@dataclass(frozen=True)
class BatchAvatars:
    """The avatars of one batch.

    Attributes:
        avatars: shape (n_b, p'), shuffled within the batch, index 0..n_b-1.
        unshuffled: shape (n_b, p'), row r = avatar of the batch's row r as uploaded.
        order: shape (n_b,), released row i is unshuffled row ``order[i]`` (for surrogates).
    """

    avatars: pd.DataFrame
    unshuffled: pd.DataFrame
    order: IntArray


def avatarize_batch(
    model: BatchModel,
    batch: pd.DataFrame,
    seed: np.random.SeedSequence,
    *,
    name: str = "",
    identifiers: Sequence[str] = (),
    key_offset: int = 0,
    progress: Progress | None = None,
) -> BatchAvatars:
    """Project one batch into the fitted model and avatarize it within itself (§1.4).

    Neighbours are searched among the batch's other rows only; weights, draws, rounding and the
    shuffle use the batch's own streams (``seed``, from :func:`batch_seed`).

    Args:
        model: from :func:`fit_batch_model`.
        batch: shape (n_b, p), the training batch or another one, any column order.
        seed: this batch's child seed.
        name: how messages name the batch.
        identifiers: columns left out of the avatarization; in the output they hold surrogate
            keys (method-extended.md §0.2), released row i having ``key_offset + i``.
        key_offset: the number of rows of the earlier batches (training batch first).
        progress: called as ``progress(stage, fraction)``.

    Returns:
        The avatars, in the batch's own column order, identifiers as surrogate keys.

    Raises:
        AvatarError: ``INVALID_K`` when k >= n_b, ``UNSEEN_MODALITY`` (pass 1 missed nothing
            unless the data changed), ``DATASET_SCHEMA_MISMATCH`` for other columns.
    """
    report = progress or _ignore
    data = batch_variables(batch, identifiers)
    if set(data.columns) != set(model.kinds):
        raise AvatarError(
            "DATASET_SCHEMA_MISMATCH",
            f"batch {name} has the columns {sorted(data.columns)}, the training batch "
            f"{sorted(model.kinds)}",
        )
    try:
        check_k(model.k, len(data))
    except AvatarError as exc:
        raise AvatarError("INVALID_K", f"batch {name}: {exc.message}", "k") from exc
    labels = list(data.columns)
    # Encoded in the training batch's column order, so the model's blocks line up.
    table = encode(data[list(model.kinds)], dict(model.kinds), reference=model.reference)
    _check_codes(table, model, name)
    full = _indicators(table, model.indicator_sources)
    report("imputation", 0.1)
    filled = impute(model.imputer, table)
    report("projection", 0.2)
    coords = model.projection.transform(filled, [v.codes for v in full.categoricals], model.ncp)
    report("neighbours", 0.35)
    index = {n: j for j, n in enumerate(table.continuous_names)}
    sources = [[index[n]] for n in model.indicator_sources]
    streams = make_streams(seed)
    core = avatars_from_coordinates(
        coords, filled, table, full, sources, model.formats, labels, model.k, streams, report
    )
    unshuffled, order = core.unshuffled, core.order
    avatars = unshuffled.take(order).reset_index(drop=True)
    if identifiers:
        # In the batch's column order, keys after the earlier batches' rows (ext. §0.2).
        avatars, unshuffled = with_surrogates(
            batch.reset_index(drop=True),
            identifiers,
            order,
            avatars,
            unshuffled,
            offset=key_offset,
        )
    report("done", 1.0)
    return BatchAvatars(avatars, unshuffled, order)


def _check_codes(table: Encoded, model: BatchModel, name: str) -> None:
    """``UNSEEN_MODALITY`` for a level (or a missing value) the training batch lacks."""
    for variable in table.categoricals:
        unseen = np.flatnonzero(variable.codes < 0)
        if unseen.size:
            raise AvatarError(
                "UNSEEN_MODALITY",
                f"batch {name}: column {variable.name!r} holds a value the training batch "
                f"lacks (row {int(unseen[0])}); put a row with that value in the training batch",
                field=variable.name,
            )
    for j, column in enumerate(table.continuous_names):
        if column not in model.indicator_sources and np.isnan(table.continuous[:, j]).any():
            raise AvatarError(
                "UNSEEN_MODALITY",
                f"batch {name}: column {column!r} has a missing value ({MISSING}) but the "
                "training batch has none",
                field=column,
            )


def coordinates(
    model: BatchModel, batch: pd.DataFrame, identifiers: Sequence[str] = ()
) -> FloatArray:
    """The batch's rows in the fitted model's first ncp axes, shape (n_b, ncp) (§1.4 step 2)."""
    data = batch_variables(batch, identifiers)
    table = encode(data[list(model.kinds)], dict(model.kinds), reference=model.reference)
    full = _indicators(table, model.indicator_sources)
    filled = impute(model.imputer, table)
    return model.projection.transform(filled, [v.codes for v in full.categoricals], model.ncp)


# -- all batches at once, in memory (tests, notebooks) ------------------------------------------
def avatarize_batches(
    training: pd.DataFrame,
    batches: Sequence[pd.DataFrame],
    config: AvatarizationConfig,
    *,
    identifiers: Sequence[str] = (),
    max_dimensions: int = DEFAULT_MAX_DIMENSIONS,
) -> list[BatchAvatars]:
    """The whole batch job in one process: pass 1, fit, then every batch in job order.

    Returns:
        The training batch's avatars, then each batch's, in ``batches`` order.
    """
    summaries = [summarize_batch(frame, identifiers) for frame in (training, *batches)]
    check_unseen(summaries[0], [(str(j), s) for j, s in enumerate(summaries[1:], start=1)])
    entropy = batch_entropy(config.seed)
    model = fit_batch_model(
        training,
        config,
        summaries,
        entropy=entropy,
        identifiers=identifiers,
        max_dimensions=max_dimensions,
    )
    frames = (training, *batches)
    offsets = np.cumsum([0, *(len(frame) for frame in frames)])
    return [
        avatarize_batch(
            model,
            frame,
            batch_seed(entropy, j),
            name=str(j),
            identifiers=identifiers,
            key_offset=int(offsets[j]),
        )
        for j, frame in enumerate(frames)
    ]
