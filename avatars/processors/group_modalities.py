"""GroupModalitiesProcessor: merge rare modalities of label columns into one category."""

from __future__ import annotations

from collections.abc import Hashable

import pandas as pd

from avatars.processors._base import check_present, is_categorical_like

__all__ = ["GroupModalitiesProcessor"]


class GroupModalitiesProcessor:
    """Replace every modality occurring at most `threshold` times by `new_category`.

    Exactly one mode must be chosen: per-column thresholds (`variable_thresholds`), or a global
    threshold (`global_threshold`) for every non-numeric column (object, category or string)
    with at least `min_unique` distinct values. In the global mode the columns are chosen on the
    first call to `preprocess` and kept afterwards. The grouping is not reversible, so
    `postprocess` returns the avatars unchanged.

    Args:
        variable_thresholds: column name -> threshold (first mode).
        min_unique: minimum number of distinct values for a column to be grouped (second mode).
        global_threshold: threshold applied to the chosen columns (second mode).
        new_category: the label given to the rare modalities.

    Raises:
        ValueError: when neither or both modes are given, or the second mode is incomplete.

    Attributes:
        thresholds_: the column -> threshold mapping in force, set by the first `preprocess`.

    Example:
        >>> df = pd.DataFrame({"city": ["Paris", "Paris", "Lyon", "Nantes"]})
        >>> processor = GroupModalitiesProcessor(variable_thresholds={"city": 1})
        >>> processor.preprocess(df)["city"].tolist()
        ['Paris', 'Paris', 'other', 'other']
    """

    def __init__(
        self,
        *,
        variable_thresholds: dict[str, int] | None = None,
        min_unique: int | None = None,
        global_threshold: int | None = None,
        new_category: str = "other",
    ) -> None:
        per_variable = variable_thresholds is not None
        global_mode = min_unique is not None and global_threshold is not None
        partial_global = (min_unique is None) != (global_threshold is None)
        # The API reference makes this a constructor error, unlike the other argument checks.
        if per_variable == global_mode or partial_global:
            raise ValueError(
                "GroupModalitiesProcessor: give either 'variable_thresholds', or both "
                "'min_unique' and 'global_threshold'; got "
                f"variable_thresholds={variable_thresholds!r}, min_unique={min_unique!r}, "
                f"global_threshold={global_threshold!r}."
            )
        self.variable_thresholds = variable_thresholds
        self.min_unique = min_unique
        self.global_threshold = global_threshold
        self.new_category = new_category

    def _choose_thresholds(self, df: pd.DataFrame) -> dict[Hashable, int]:
        if self.variable_thresholds is not None:
            return {column: threshold for column, threshold in self.variable_thresholds.items()}
        assert self.min_unique is not None and self.global_threshold is not None
        return {
            column: self.global_threshold
            for column in df.columns
            if is_categorical_like(df[column].dtype)
            and df[column].nunique(dropna=True) >= self.min_unique
        }

    def preprocess(self, df: pd.DataFrame) -> pd.DataFrame:
        """Replace the rare modalities of the chosen columns by `new_category`."""
        if not hasattr(self, "thresholds_"):
            self.thresholds_ = self._choose_thresholds(df)
        check_present(df, self.thresholds_, owner=type(self).__name__, role="variable_thresholds")
        out = df.copy()
        for column, threshold in self.thresholds_.items():
            values = df[column]
            counts = values.value_counts(dropna=True)
            rare = counts.index[counts <= threshold]
            if len(rare) == 0:
                continue
            is_rare = values.isin(rare)
            if isinstance(values.dtype, pd.CategoricalDtype):
                values = values.cat.remove_categories(list(rare))
                if self.new_category not in values.cat.categories:
                    values = values.cat.add_categories([self.new_category])
                values = values.mask(is_rare, self.new_category)
            elif is_categorical_like(values.dtype):
                values = values.mask(is_rare, self.new_category)
            else:
                # A numeric column receiving a label has to become object.
                values = values.astype(object).mask(is_rare, self.new_category)
            out[column] = values
        return out

    def postprocess(self, source: pd.DataFrame, dest: pd.DataFrame) -> pd.DataFrame:
        """Return a copy of `dest`: grouped modalities cannot be told apart again."""
        return dest.copy()
