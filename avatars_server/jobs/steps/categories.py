"""Avatars of text categories read as pandas categoricals, stored as those of object columns.

The avatarization job reads a dataset's text categories as pandas categoricals (the engine
encodes them by their categories, faster than objects, with the same codes), so its avatars'
categorical columns are categoricals too. A parquet result keeps pandas' dtypes in its schema
and metadata: :func:`as_object_built` gives each such column the dtype the engine's avatars of
an object column had (its object array, whose dtype pandas infers: text is ``str``), so that
the stored bytes do not change.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa


@cache
def _inferred_text_dtype() -> Any:
    """The dtype pandas infers for an object array of text (``str`` in pandas 3)."""
    return pd.DataFrame({"x": np.array(["x", np.nan], dtype=object)}).dtypes.iloc[0]


def _arrow_text(column: pd.Series) -> Any:
    """A categorical of text as an Arrow-backed text array with the inferred dtype, built by
    taking its categories (no Python string per row); None when pandas would not infer that
    dtype (no text value at all) or does not keep text in Arrow."""
    dtype = _inferred_text_dtype()
    codes = column.cat.codes.to_numpy()
    categories = column.cat.categories.to_numpy(dtype=object)
    if not (
        isinstance(dtype, pd.StringDtype)
        and dtype.storage == "pyarrow"
        and bool((codes >= 0).any())
        and all(isinstance(value, str) for value in categories)
    ):
        return None
    taken = pa.array(categories, pa.large_string()).take(pa.array(codes, mask=codes < 0))
    return pd.array(taken, dtype=dtype)


def _column(column: pd.Series) -> Any:
    if not isinstance(column.dtype, pd.CategoricalDtype):
        return column
    text = _arrow_text(column)
    # Otherwise the object array itself: the frame's constructor infers its dtype as it did.
    return column.to_numpy(dtype=object) if text is None else text


def as_object_built(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with each categorical column as the engine builds it from an object column."""
    if not any(isinstance(kind, pd.CategoricalDtype) for kind in frame.dtypes):
        return frame
    return pd.DataFrame({label: _column(column) for label, column in frame.items()})
