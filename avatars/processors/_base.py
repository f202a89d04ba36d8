"""Shared protocol and argument checks for the client-side processors."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Any, Protocol, TypeAlias, runtime_checkable

import numpy as np
import pandas as pd
from pandas.api.extensions import ExtensionDtype
from pandas.api.types import (
    is_bool_dtype,
    is_numeric_dtype,
    is_object_dtype,
    is_string_dtype,
)

# What `Series.dtype` can be.
DType: TypeAlias = np.dtype[Any] | ExtensionDtype

__all__ = [
    "DType",
    "NotFittedError",
    "Processor",
    "check_complete",
    "check_numeric",
    "check_present",
    "is_categorical_like",
    "is_number_dtype",
]


@runtime_checkable
class Processor(Protocol):
    """What the avatarization pipeline needs from a processor.

    `preprocess` runs on the original frame before upload; `postprocess` runs on the avatars
    (`dest`), with the original frame (`source`) for reference, in reverse processor order.
    """

    def preprocess(self, df: pd.DataFrame) -> pd.DataFrame:
        """Return a transformed copy of `df`."""
        ...

    def postprocess(self, source: pd.DataFrame, dest: pd.DataFrame) -> pd.DataFrame:
        """Return a copy of `dest` transformed back towards the shape of `source`."""
        ...


class NotFittedError(ValueError, AttributeError):
    """Raised by `postprocess` when it needs state learned by `preprocess`, which was not called."""

    def __init__(self, processor: object) -> None:
        name = type(processor).__name__
        super().__init__(f"This {name} has not seen any data yet: call 'preprocess' first.")


def is_categorical_like(dtype: DType) -> bool:
    """Whether a dtype holds labels: object, category or string (pandas 3 `str` included)."""
    return (
        is_object_dtype(dtype)
        or isinstance(dtype, pd.CategoricalDtype)
        or (is_string_dtype(dtype) and not is_numeric_dtype(dtype))
    )


def is_number_dtype(dtype: DType) -> bool:
    """Whether arithmetic makes sense on a dtype: numeric and not boolean."""
    return is_numeric_dtype(dtype) and not is_bool_dtype(dtype)


def _names(columns: Iterable[Hashable]) -> str:
    return ", ".join(repr(c) for c in columns)


def check_present(df: pd.DataFrame, columns: Iterable[Hashable], *, owner: str, role: str) -> None:
    """Raise `ValueError` naming the first of `columns` that `df` lacks.

    Args:
        df: the frame to check.
        columns: the required column names.
        owner: the processor class name, for the message.
        role: which frame or argument the columns come from (e.g. "dest"), for the message.
    """
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(
            f"{owner}: column {missing[0]!r} ({role}) is not in the frame. "
            f"Missing: {_names(missing)}; available: {_names(df.columns)}."
        )


def check_numeric(df: pd.DataFrame, columns: Iterable[Hashable], *, owner: str) -> None:
    """Raise `ValueError` naming the first of `columns` whose dtype is not numeric."""
    for column in columns:
        if not is_number_dtype(df[column].dtype):
            raise ValueError(
                f"{owner}: column {column!r} must be numeric, got dtype {df[column].dtype}."
            )


def check_complete(df: pd.DataFrame, columns: Iterable[Hashable], *, owner: str, role: str) -> None:
    """Raise `ValueError` naming the first of `columns` that has missing values."""
    for column in columns:
        missing = int(df[column].isna().sum())
        if missing:
            raise ValueError(
                f"{owner}: column {column!r} ({role}) must have no missing values, "
                f"got {missing} missing."
            )
