"""Pass 1 of a batch avatarization (method-extended §1.2): what each batch holds, and the check
that the training batch has seen every modality and missing value of the others."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from avatars_server.engine.errors import AvatarError
from avatars_server.engine.table import column_kinds, decimal_count, to_float

MISSING = "<missing>"
"""How a missing value is named in an ``UNSEEN_MODALITY`` message."""
_SECONDS_PER_DAY = 86_400.0


@dataclass(frozen=True)
class BatchSummary:
    """What pass 1 learns about one batch.

    Attributes:
        n_rows: number of rows.
        values: per categorical column, its distinct values (None stands for missing).
        continuous_missing: per continuous (or datetime) column, whether a value is missing.
        decimals: per continuous (or datetime) column, its decimal count (method.md §3.9).
        date_only: per datetime column, whether every value is at midnight.
    """

    n_rows: int
    values: Mapping[str, frozenset[object]]
    continuous_missing: Mapping[str, bool]
    decimals: Mapping[str, int]
    date_only: Mapping[str, bool]


def batch_variables(df: pd.DataFrame, identifiers: Collection[str]) -> pd.DataFrame:
    """The batch's variables (identifiers dropped), string-named, indexed 0..n-1."""
    data = df.drop(columns=[c for c in df.columns if c in set(identifiers)])
    data = data.reset_index(drop=True)
    data.columns = [str(c) for c in data.columns]
    return data


def _distinct(series: pd.Series) -> frozenset[object]:
    uniques = pd.unique(series.astype(object))
    return frozenset(None if pd.isna(value) else value for value in uniques)


def summarize_batch(df: pd.DataFrame, identifiers: Collection[str] = ()) -> BatchSummary:
    """Pass 1 over one batch: modalities, missing continuous values, decimal counts.

    Args:
        df: the batch, shape (n_b, p), dtypes giving the column roles.
        identifiers: columns left out of the avatarization.
    """
    data = batch_variables(df, identifiers)
    kinds = column_kinds(data)
    values: dict[str, frozenset[object]] = {}
    missing: dict[str, bool] = {}
    decimals: dict[str, int] = {}
    date_only: dict[str, bool] = {}
    for name, kind in kinds.items():
        if kind == "categorical":
            values[name] = _distinct(data[name])
            continue
        floats = to_float(data[name], kind)
        missing[name] = bool(np.isnan(floats).any())
        decimals[name] = decimal_count(floats)
        if kind == "datetime":
            observed = floats[~np.isnan(floats)]
            date_only[name] = bool(np.all(np.mod(observed, _SECONDS_PER_DAY) == 0))
    return BatchSummary(len(data), values, missing, decimals, date_only)


def check_unseen(training: BatchSummary, batches: Sequence[tuple[str, BatchSummary]]) -> None:
    """Raise ``UNSEEN_MODALITY`` for the first value a batch holds that the training batch lacks.

    Args:
        training: pass 1 of the training batch.
        batches: (name for the message, pass 1) of every other batch, in job order.
    """
    for name, summary in batches:
        for column, values in summary.values.items():
            unseen = values - training.values.get(column, frozenset())
            if unseen:
                value = sorted(MISSING if v is None else repr(v) for v in unseen)[0]
                raise AvatarError(
                    "UNSEEN_MODALITY",
                    f"batch {name}: column {column!r} holds the value {value}, which the "
                    "training batch lacks; put a row with that value in the training batch",
                    field=column,
                )
        for column, has_missing in summary.continuous_missing.items():
            if has_missing and not training.continuous_missing.get(column, False):
                raise AvatarError(
                    "UNSEEN_MODALITY",
                    f"batch {name}: column {column!r} has a missing value ({MISSING}) but the "
                    "training batch has none; put a row with a missing value of that column "
                    "in the training batch",
                    field=column,
                )
