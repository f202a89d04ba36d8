"""PerturbationProcessor: move the avatars part of the way back towards the original values."""

from __future__ import annotations

import numpy as np
import pandas as pd

from avatars.processors._base import check_present, is_number_dtype

__all__ = ["PerturbationProcessor"]


class PerturbationProcessor:
    """Choose, per column, how far the output goes from the original (0) to the avatar (1).

    Numeric columns are interpolated: `source + (dest - source) * level`. Other columns keep, for
    each row independently, the avatar value with probability `level`, else the original value.
    `source` and `dest` must be row-aligned (same length; rows are matched by position).

    Args:
        perturbation_level: column name -> level in [0, 1]. `None` or empty: no change.
        seed: seed of the NumPy generator used for the non-numeric columns.

    Example:
        >>> source = pd.DataFrame({"x": [0.0, 10.0]})
        >>> avatars = pd.DataFrame({"x": [10.0, 20.0]})
        >>> PerturbationProcessor({"x": 0.5}).postprocess(source, avatars)["x"].tolist()
        [5.0, 15.0]
    """

    def __init__(
        self, perturbation_level: dict[str, float] | None = None, *, seed: int | None = None
    ) -> None:
        self.perturbation_level = perturbation_level
        self.seed = seed

    def preprocess(self, df: pd.DataFrame) -> pd.DataFrame:
        """Return a copy of `df`: the perturbation only acts on the avatars."""
        return df.copy()

    def postprocess(self, source: pd.DataFrame, dest: pd.DataFrame) -> pd.DataFrame:
        """Mix each listed column of `dest` with `source` according to its level."""
        out = dest.copy()
        if not self.perturbation_level:
            return out
        owner = type(self).__name__
        levels = self.perturbation_level
        check_present(source, levels, owner=owner, role="perturbation_level, source")
        check_present(dest, levels, owner=owner, role="perturbation_level, dest")
        for column, level in levels.items():
            if not 0 <= level <= 1:
                raise ValueError(
                    f"{owner}: the perturbation level of column {column!r} must be in [0, 1], "
                    f"got {level!r}."
                )
        if len(source) != len(dest):
            raise ValueError(
                f"{owner}: source and dest must be row-aligned, got {len(source)} and "
                f"{len(dest)} rows."
            )
        rng = np.random.default_rng(self.seed)
        for column, level in levels.items():
            if level == 1:
                continue
            original = source[column].to_numpy()
            avatar = dest[column]
            if is_number_dtype(source[column].dtype) and is_number_dtype(avatar.dtype):
                original_f = source[column].to_numpy(dtype="float64", na_value=np.nan)
                avatar_f = avatar.to_numpy(dtype="float64", na_value=np.nan)
                out[column] = original_f + (avatar_f - original_f) * level
                continue
            keep_avatar = rng.random(len(dest)) < level
            mixed = np.where(keep_avatar, avatar.to_numpy(dtype=object), original.astype(object))
            out[column] = _as_dtype_of(mixed, avatar, source[column])
        return out


def _as_dtype_of(values: np.ndarray, avatar: pd.Series, original: pd.Series) -> pd.Series:
    """Rebuild a column from mixed object values with the avatar column's dtype when possible."""
    if isinstance(avatar.dtype, pd.CategoricalDtype):
        categories = avatar.cat.categories
        if isinstance(original.dtype, pd.CategoricalDtype):
            categories = categories.union(original.cat.categories, sort=False)
        else:
            categories = categories.union(pd.Index(original.dropna().unique()), sort=False)
        return pd.Series(pd.Categorical(values, categories=categories), index=avatar.index)
    mixed = pd.Series(values, index=avatar.index, dtype=object)
    try:
        return mixed.astype(avatar.dtype)
    except (TypeError, ValueError):
        # Original and avatar disagree on the type (e.g. labels vs numbers): keep objects.
        return mixed
