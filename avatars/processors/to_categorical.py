"""ToCategoricalProcessor: treat low-cardinality numeric or datetime columns as categories."""

from __future__ import annotations

from collections.abc import Hashable

import pandas as pd
from pandas.api.types import is_bool_dtype

from avatars.processors._base import NotFittedError, check_present, is_categorical_like

__all__ = ["ToCategoricalProcessor"]


class ToCategoricalProcessor:
    """Cast columns with few distinct values to `object` so the avatarization treats them as labels.

    Args:
        to_categorical_threshold: a column that is not already object, category, string or boolean
            is selected when it has at most this many distinct non-missing values.
        keep_continuous: also keep a numeric copy of each selected column, named
            `<name><continuous_suffix>`; in `postprocess`, avatar values equal to `category` are
            replaced by the value of that copy.
        continuous_suffix: suffix of the numeric copies.
        category: the label that, in the avatars, means "take the continuous copy".

    Attributes:
        categorical_columns_: the selected columns, learned by `preprocess`.

    Example:
        >>> df = pd.DataFrame({"code": [1, 2, 1, 2], "amount": [1.5, 2.5, 3.5, 4.5]})
        >>> processor = ToCategoricalProcessor(to_categorical_threshold=2)
        >>> processor.preprocess(df).dtypes.astype(str).tolist()
        ['object', 'float64']
        >>> processor.categorical_columns_
        ['code']
    """

    def __init__(
        self,
        to_categorical_threshold: int,
        *,
        keep_continuous: bool = False,
        continuous_suffix: str = "__cont",
        category: str = "other",
    ) -> None:
        self.to_categorical_threshold = to_categorical_threshold
        self.keep_continuous = keep_continuous
        self.continuous_suffix = continuous_suffix
        self.category = category

    def preprocess(self, df: pd.DataFrame) -> pd.DataFrame:
        """Select the low-cardinality columns, optionally keep numeric copies, cast to object."""
        selected: list[Hashable] = [
            column
            for column in df.columns
            if not is_categorical_like(df[column].dtype)
            and not is_bool_dtype(df[column].dtype)
            and df[column].nunique(dropna=True) <= self.to_categorical_threshold
        ]
        self.categorical_columns_ = selected
        out = df.copy()
        if self.keep_continuous:
            for column in selected:
                out[f"{column}{self.continuous_suffix}"] = df[column]
        for column in selected:
            out[column] = out[column].astype(object)
        return out

    def postprocess(self, source: pd.DataFrame, dest: pd.DataFrame) -> pd.DataFrame:
        """Fill `category` values from the continuous copies, drop them, restore source dtypes."""
        if not hasattr(self, "categorical_columns_"):
            raise NotFittedError(self)
        owner = type(self).__name__
        selected = self.categorical_columns_
        check_present(source, selected, owner=owner, role="source")
        check_present(dest, selected, owner=owner, role="dest")
        out = dest.copy()
        if self.keep_continuous:
            copies = [f"{column}{self.continuous_suffix}" for column in selected]
            check_present(dest, copies, owner=owner, role="dest, continuous copy")
            for column, copy in zip(selected, copies, strict=True):
                is_other = out[column] == self.category
                # Build the merged column as object first: the copy is numeric, the labels are not.
                merged = out[column].astype(object).where(~is_other, out[copy].astype(object))
                out[column] = merged
            out = out.drop(columns=copies)
        for column in selected:
            out[column] = out[column].astype(source[column].dtype)
        return out
