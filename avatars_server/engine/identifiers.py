"""Surrogate keys for identifier columns in result datasets (method-extended.md §0.2).

A released row must never carry its source's key. Each avatar gets as key its 0-based position in
the released (shuffled) dataset of its table; the sensitive unshuffled copy carries the same key on
the same avatar, so the two copies are row permutations of each other. Every job kind (core,
batch, time series, multi-table) builds its identifier columns here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

# Declared column types (datasets' ``ColumnType`` values) that keep their type with a surrogate.
_NUMERIC_TYPES = {"int": np.int64, "float": np.float64}


@dataclass(frozen=True)
class SurrogateKeys:
    """Surrogate keys of n avatars.

    Attributes:
        released: shape (n,), the key of row i of the released (shuffled) dataset, i.e. i.
        unshuffled: shape (n,), the key of row i of the sensitive unshuffled dataset.
    """

    released: npt.NDArray[np.int64]
    unshuffled: npt.NDArray[np.int64]


def surrogate_keys(order: npt.NDArray[np.int64]) -> SurrogateKeys:
    """Keys for avatars released as ``unshuffled.take(order)``.

    Args:
        order: shape (n,), a permutation: released row i is unshuffled row ``order[i]``.

    Returns:
        The keys of both copies: released row i gets i, unshuffled row ``order[i]`` gets i too.
    """
    n = len(order)
    released = np.arange(n, dtype=np.int64)
    unshuffled = np.empty(n, dtype=np.int64)
    unshuffled[order] = released
    return SurrogateKeys(released=released, unshuffled=unshuffled)


def surrogate_type(declared_type: str) -> str:
    """The declared type an identifier column has once it holds surrogates (§0.2 cast rule)."""
    return declared_type if declared_type in _NUMERIC_TYPES else "category"


def declared_type_of(series: pd.Series) -> str:
    """The declared type (``int``, ``float`` or another) a column of this dtype stands for.

    Lets the engine apply the §0.2 cast rule to a DataFrame alone: integer dtypes (nullable
    included) are ``int``, float dtypes ``float``, anything else keeps no numeric surrogate.
    """
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype) or not pd.api.types.is_numeric_dtype(dtype):
        return "category"
    return "int" if pd.api.types.is_integer_dtype(dtype) else "float"


def surrogate_column(keys: npt.NDArray[np.int64], declared_type: str) -> pd.Series:
    """Surrogate values cast as §0.2 says.

    Args:
        keys: shape (n,), surrogate keys.
        declared_type: the original column's declared type (``int``, ``float``, ``category``, ...).

    Returns:
        Integers for an ``int`` column, floats for a ``float`` one, decimal strings otherwise
        (the column's type then becomes ``category``, see :func:`surrogate_type`).
    """
    numeric = _NUMERIC_TYPES.get(declared_type)
    if numeric is not None:
        return pd.Series(keys.astype(numeric))
    return pd.Series(keys.astype(str).astype(object))


def with_surrogates(
    df: pd.DataFrame,
    identifiers: Sequence[str],
    order: npt.NDArray[np.int64],
    avatars: pd.DataFrame,
    unshuffled: pd.DataFrame,
    *,
    offset: int = 0,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Both copies with the identifier columns back in place (``df``'s column order), holding
    surrogate keys.

    Released row i gets key ``offset + i``; unshuffled row ``order[i]`` the same key
    (method-extended.md §0.2; a batch's keys start after the earlier batches' rows, ext. §1).
    No original key value is copied.
    """
    keys = surrogate_keys(np.asarray(order, dtype=np.int64))
    released: dict[object, object] = {}
    sensitive: dict[object, object] = {}
    for label in df.columns:
        if label in identifiers:
            declared = declared_type_of(df[label])
            released[label] = surrogate_column(keys.released + offset, declared).to_numpy()
            sensitive[label] = surrogate_column(keys.unshuffled + offset, declared).to_numpy()
        else:
            released[label] = avatars[label]
            sensitive[label] = unshuffled[label]
    return pd.DataFrame(released), pd.DataFrame(sensitive)
