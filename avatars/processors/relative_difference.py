"""RelativeDifferenceProcessor: express a variable relative to the sum of reference variables."""

from __future__ import annotations

import pandas as pd

from avatars.processors._base import check_complete, check_numeric, check_present

__all__ = ["RelativeDifferenceProcessor"]


class RelativeDifferenceProcessor:
    """Replace `target` by `(target - sum(references)) / scaling_unit`, and back.

    Args:
        target: the numeric column to express relatively.
        references: numeric columns, without missing values, whose row sum is subtracted.
        scaling_unit: divisor of the difference; `None` means 1.
        target_rename: the column receiving the difference; `None` means `target` itself.
        drop_original_target: drop `target` after `preprocess` (needs a distinct `target_rename`).

    Raises:
        ValueError: when `drop_original_target` is set without a `target_rename` that differs
            from `target`.

    Example:
        >>> df = pd.DataFrame({"total": [110, 210], "a": [50, 100], "b": [50, 100]})
        >>> processor = RelativeDifferenceProcessor(target="total", references=["a", "b"])
        >>> processor.preprocess(df)["total"].tolist()
        [10.0, 10.0]
        >>> processor.postprocess(df, processor.preprocess(df))["total"].tolist()
        [110.0, 210.0]
    """

    def __init__(
        self,
        target: str,
        references: list[str],
        scaling_unit: int | None = None,
        target_rename: str | None = None,
        drop_original_target: bool | None = False,
    ) -> None:
        # The API reference makes this a constructor error, unlike the other argument checks.
        if drop_original_target and (target_rename is None or target_rename == target):
            raise ValueError(
                f"RelativeDifferenceProcessor: drop_original_target=True needs a target_rename "
                f"different from target {target!r}, got {target_rename!r}."
            )
        self.target = target
        self.references = references
        self.scaling_unit = scaling_unit
        self.target_rename = target_rename
        self.drop_original_target = drop_original_target

    @property
    def _scaling(self) -> int:
        return 1 if self.scaling_unit is None else self.scaling_unit

    @property
    def _renamed(self) -> str:
        return self.target if self.target_rename is None else self.target_rename

    def preprocess(self, df: pd.DataFrame) -> pd.DataFrame:
        """Write the scaled difference into `target_rename`; drop `target` if asked."""
        owner = type(self).__name__
        check_present(df, [self.target], owner=owner, role="target")
        check_present(df, self.references, owner=owner, role="references")
        check_numeric(df, [self.target, *self.references], owner=owner)
        check_complete(df, self.references, owner=owner, role="references")
        out = df.copy()
        out[self._renamed] = (df[self.target] - df[self.references].sum(axis=1)) / self._scaling
        if self.drop_original_target:
            out = out.drop(columns=[self.target])
        return out

    def postprocess(self, source: pd.DataFrame, dest: pd.DataFrame) -> pd.DataFrame:
        """Set `target = target_rename * scaling_unit + sum(references)`.

        A distinct `target_rename` column is left in place, as in avatars 0.7.3.
        """
        owner = type(self).__name__
        check_present(dest, self.references, owner=owner, role="references, dest")
        check_present(dest, [self._renamed], owner=owner, role="target_rename, dest")
        check_numeric(dest, [self._renamed, *self.references], owner=owner)
        out = dest.copy()
        out[self.target] = dest[self._renamed] * self._scaling + dest[self.references].sum(axis=1)
        return out
