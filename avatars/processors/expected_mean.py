"""ExpectedMeanProcessor: give the avatars the original (group) means of some variables."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from avatars.processors._base import NotFittedError, check_numeric, check_present

__all__ = ["ExpectedMeanProcessor", "ZeroStandardDeviationWarning"]

# Names of the statistic columns in the learned table; the leading/trailing underscores keep them
# apart from user columns when the table is merged with a frame's group keys.
_MEAN = "__mean__"
_STD = "__std__"


class ZeroStandardDeviationWarning(UserWarning):
    """Emitted when `same_std=True` but some avatar group has a standard deviation of 0."""


class ExpectedMeanProcessor:
    """Shift (and optionally rescale) target variables so that group means match the original.

    Args:
        target_variables: numeric columns whose means are restored.
        groupby_variables: columns defining the groups; missing keys form their own group.
            `None` means one group over all rows.
        same_std: also rescale around the mean so each group's sample standard deviation matches
            the original one.

    Attributes:
        reference_stats_: per group and target, the mean and sample standard deviation learned
            by `preprocess` (columns: group keys, then `<target>__mean__` and `<target>__std__`).

    Example:
        >>> df = pd.DataFrame({"g": ["a", "a", "b", "b"], "x": [1.0, 3.0, 10.0, 20.0]})
        >>> processor = ExpectedMeanProcessor(["x"], groupby_variables=["g"])
        >>> _ = processor.preprocess(df)
        >>> avatars = pd.DataFrame({"g": ["a", "a", "b", "b"], "x": [0.0, 2.0, 0.0, 10.0]})
        >>> processor.postprocess(df, avatars)["x"].tolist()
        [1.0, 3.0, 10.0, 20.0]
    """

    def __init__(
        self,
        target_variables: list[str],
        *,
        groupby_variables: list[str] | None = None,
        same_std: bool = False,
    ) -> None:
        self.target_variables = target_variables
        self.groupby_variables = groupby_variables
        self.same_std = same_std

    def _check(self, df: pd.DataFrame, role: str) -> None:
        owner = type(self).__name__
        check_present(df, self.target_variables, owner=owner, role=f"target_variables, {role}")
        check_present(
            df, self.groupby_variables or [], owner=owner, role=f"groupby_variables, {role}"
        )
        check_numeric(df, self.target_variables, owner=owner)

    def _stats(self, df: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        """Per-row group keys, and each row's group mean and standard deviation of each target."""
        keys = list(self.groupby_variables or [])
        targets = df[self.target_variables].astype("float64").reset_index(drop=True)
        if not keys:
            # One group over all rows: broadcast the column statistics to every row.
            means = pd.DataFrame({t: np.full(len(df), targets[t].mean()) for t in targets})
            stds = pd.DataFrame({t: np.full(len(df), targets[t].std(ddof=1)) for t in targets})
            return pd.DataFrame(index=targets.index), means, stds
        key_frame = df[keys].reset_index(drop=True)
        grouped = targets.groupby([key_frame[k] for k in keys], dropna=False, sort=False)
        return key_frame, grouped.transform("mean"), grouped.transform("std")

    def preprocess(self, df: pd.DataFrame) -> pd.DataFrame:
        """Learn each group's mean and standard deviation; return an unchanged copy of `df`."""
        self._check(df, "preprocess")
        keys = list(self.groupby_variables or [])
        key_frame, means, stds = self._stats(df)
        table = pd.concat(
            [key_frame, means.add_suffix(_MEAN), stds.add_suffix(_STD)], axis=1
        ).drop_duplicates(subset=keys or None)
        if not keys:
            table = table.head(1)
        self.reference_stats_ = table.reset_index(drop=True)
        return df.copy()

    def postprocess(self, source: pd.DataFrame, dest: pd.DataFrame) -> pd.DataFrame:
        """Move each avatar group's mean (and std) to the reference; drop unknown groups.

        The avatars' row order is kept; the index is reset to 0…n−1.
        """
        if not hasattr(self, "reference_stats_"):
            raise NotFittedError(self)
        self._check(dest, "dest")
        keys = list(self.groupby_variables or [])
        key_frame, means, stds = self._stats(dest)
        if keys:
            # A left merge keeps dest's rows in order; the indicator tells which groups are known.
            reference = key_frame.merge(
                self.reference_stats_, on=keys, how="left", indicator=True, sort=False
            )
            known = (reference.pop("_merge") == "both").to_numpy()
        else:
            reference = pd.concat([self.reference_stats_] * len(dest), ignore_index=True)
            known = np.ones(len(dest), dtype=bool)

        out = dest.reset_index(drop=True)
        zero_std: list[str] = []
        for target in self.target_variables:
            values = out[target].astype("float64")
            ref_mean = reference[f"{target}{_MEAN}"].to_numpy(dtype="float64")
            centred = values.to_numpy() - means[target].to_numpy()
            if self.same_std:
                current = stds[target].to_numpy()
                wanted = reference[f"{target}{_STD}"].to_numpy(dtype="float64")
                if np.any(current[known] == 0):
                    zero_std.append(target)
                # Rescale only where both deviations are usable; elsewhere only shift.
                usable = np.isfinite(current) & (current != 0) & np.isfinite(wanted)
                ratio = np.divide(wanted, current, out=np.ones_like(current), where=usable)
                centred = centred * ratio
            out[target] = ref_mean + centred
        if zero_std:
            warnings.warn(
                f"{type(self).__name__}: some avatar groups have a standard deviation of 0 for "
                f"{', '.join(map(repr, zero_std))}; those values are only shifted, not rescaled.",
                ZeroStandardDeviationWarning,
                stacklevel=2,
            )
        return out.loc[known].reset_index(drop=True)
