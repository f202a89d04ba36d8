"""Splitting a DataFrame into batches for the batch avatarization job (0.7.3 names and rules).

Kept at the 0.7.3 import path (`avatars.lib.split`), so code written for the published client
runs unchanged.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
import pandas as pd

_MISSING = object()


def get_index_without_duplicated_modalities(df: pd.DataFrame) -> list[int]:
    """Positions of the rows that first show each value of each column (0.7.3's rule).

    Args:
        df: the columns whose values must all be covered.

    Returns:
        Row positions, in row order.
    """
    seen: list[set[object]] = [set() for _ in df.columns]
    keep: list[int] = []
    values = df.to_numpy()
    for i in range(values.shape[0]):
        new = False
        for j, column_seen in enumerate(seen):
            value = values[i, j]
            if value not in column_seen:
                column_seen.add(value)
                new = True
        if new:
            keep.append(i)
    return keep


def get_split_for_batch(
    df: pd.DataFrame, row_limit: int, seed: int | None = None
) -> tuple[pd.DataFrame, list[pd.DataFrame]]:
    """Split ``df`` into a training batch and the other batches, as the 0.7.3 client does.

    The rows that first show each value of each object/category column go first, the others
    follow in random order (``seed``); the whole is cut into ⌈n / row_limit⌉ near-equal chunks
    and chunk 0 is the training batch. Row labels are kept.

    Raises:
        ValueError: those first rows exceed half of ``row_limit``.
    """
    columns = df.select_dtypes(include=["object", "str", "category"]).columns
    return _split(df, row_limit, seed, columns)


def split_covering_every_modality(
    df: pd.DataFrame,
    row_limit: int,
    seed: int | None = None,
    categorical: Iterable[str] = (),
    identifiers: Iterable[str] = (),
) -> tuple[pd.DataFrame, list[pd.DataFrame]]:
    """Like :func:`get_split_for_batch`, with a training batch the server cannot refuse.

    Besides object/category columns, it covers bool columns, the ``categorical`` ones (numbers
    coded as categories) and a missing value of every column that has one, which the server
    otherwise refuses as ``UNSEEN_MODALITY``. ``identifiers`` (left out of the avatarization)
    are not covered.
    """
    skipped = set(identifiers)
    covered = set(df.select_dtypes(include=["object", "str", "category", "bool"]).columns)
    covered = (covered | set(categorical)) - skipped
    columns = [c for c in df.columns if c in covered]
    frame = df[columns].astype(object)
    for column in columns:
        # One marker for every missing value (None, NaN, NaT are not equal to each other).
        frame[column] = frame[column].where(df[column].notna(), _MISSING)
    for column in df.columns:
        if column not in covered and column not in skipped and df[column].isna().any():
            frame[f"{column}__is_missing"] = df[column].isna().to_numpy()
    return _split(df, row_limit, seed, columns, frame)


def _split(
    df: pd.DataFrame,
    row_limit: int,
    seed: int | None,
    columns: Iterable[object],
    frame: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, list[pd.DataFrame]]:
    if row_limit < 1:
        raise ValueError(f"row_limit must be at least 1, got {row_limit}")
    number = math.ceil(len(df) / row_limit)
    covering = frame if frame is not None else df[list(columns)]
    positions = get_index_without_duplicated_modalities(covering)
    first = df.iloc[positions]
    if len(first) > row_limit * 0.5:
        raise ValueError(
            "You have too much variability in your categorical data. You can increase your "
            "`row_limit`, reduce your categorical variability, or build your own batch pipeline."
        )
    rest = df.drop(index=first.index).sample(frac=1, random_state=seed)
    whole = pd.concat([first, rest])
    # np.array_split's sizes: the first len % number chunks get one row more.
    sizes = [len(part) for part in np.array_split(np.arange(len(whole)), number)]
    chunks: list[pd.DataFrame] = []
    start = 0
    for size in sizes:
        chunks.append(whole.iloc[start : start + size])
        start += size
    return chunks[0], chunks[1:]
