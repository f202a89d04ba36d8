"""ProportionProcessor: express parts of a total as shares, and rebuild them on the avatars."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from avatars.processors._base import check_numeric, check_present

__all__ = ["ProportionProcessor"]


def _sum_preserving_round(
    values: npt.NDArray[np.float64], decimal_count: int
) -> npt.NDArray[np.float64]:
    """Round each row to `decimal_count` decimals so that the row total is the rounded total.

    Largest remainder method, vectorised over rows: round every value, then move the values whose
    rounding error was largest in the needed direction by one unit of the last decimal.

    Args:
        values: shape (n_rows, n_parts), without missing values.
        decimal_count: number of decimals to keep.

    Returns:
        Array of shape (n_rows, n_parts).
    """
    scale = 10.0**decimal_count
    scaled = values * scale
    rounded = np.round(scaled)
    target = np.round(scaled.sum(axis=1))
    # |missing| <= n_parts / 2 + 1/2 <= n_parts: each value moves by at most one unit.
    missing = (target - rounded.sum(axis=1)).astype(np.int64)
    error = scaled - rounded
    # Rank the values of each row by error, largest first when adding, smallest first otherwise.
    direction = np.sign(missing)[:, None]
    order = np.argsort(-error * direction, axis=1, kind="stable")
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, np.arange(values.shape[1])[None, :], axis=1)
    adjust = (ranks < np.abs(missing)[:, None]) * direction
    result: npt.NDArray[np.float64] = np.round((rounded + adjust) / scale, decimal_count)
    return result


class ProportionProcessor:
    """Turn parts of a whole into proportions, so that the avatars' parts add up to their total.

    Args:
        variable_names: the numeric part columns.
        reference: the numeric column holding the total.
        sum_to_one: shares of the row sum of the parts (the default), else ratios to `reference`.
        decimal_count: decimals kept by the sum-preserving rounding (`sum_to_one` only).

    Example:
        >>> df = pd.DataFrame({"total": [10], "a": [3], "b": [7]})
        >>> processor = ProportionProcessor(variable_names=["a", "b"], reference="total")
        >>> processor.preprocess(df)[["a", "b"]].values.tolist()
        [[0.3, 0.7]]
        >>> avatars = pd.DataFrame({"total": [20.0], "a": [0.2], "b": [0.6]})
        >>> processor.postprocess(df, avatars)[["a", "b"]].values.tolist()
        [[5.0, 15.0]]
    """

    def __init__(
        self,
        variable_names: list[str],
        reference: str,
        *,
        sum_to_one: bool = True,
        decimal_count: int = 1,
    ) -> None:
        self.variable_names = variable_names
        self.reference = reference
        self.sum_to_one = sum_to_one
        self.decimal_count = decimal_count

    def _check(self, df: pd.DataFrame, role: str) -> None:
        owner = type(self).__name__
        check_present(df, [self.reference], owner=owner, role=f"reference, {role}")
        check_present(df, self.variable_names, owner=owner, role=f"variable_names, {role}")
        check_numeric(df, [self.reference, *self.variable_names], owner=owner)

    def preprocess(self, df: pd.DataFrame) -> pd.DataFrame:
        """Replace each part by its share of the parts' row sum (or its ratio to `reference`)."""
        self._check(df, "preprocess")
        parts = df[self.variable_names].to_numpy(dtype="float64", na_value=np.nan)
        if self.sum_to_one:
            denominator = np.nansum(parts, axis=1, keepdims=True)
        else:
            denominator = df[[self.reference]].to_numpy(dtype="float64", na_value=np.nan)
        # A part equal to 0 has share 0 even when the denominator is 0 too (no 0/0).
        with np.errstate(divide="ignore", invalid="ignore"):
            shares = np.where(parts == 0, 0.0, parts / denominator)
        out = df.copy()
        out[self.variable_names] = shares
        return out

    def postprocess(self, source: pd.DataFrame, dest: pd.DataFrame) -> pd.DataFrame:
        """Rebuild the parts from the avatars' shares and reference, then round them.

        Rows are handled by position, so any index on `dest` works.
        """
        self._check(dest, "dest")
        shares = dest[self.variable_names].to_numpy(dtype="float64", na_value=np.nan)
        total = dest[[self.reference]].to_numpy(dtype="float64", na_value=np.nan)
        if self.sum_to_one:
            # Renormalise: the avatars' shares need not add up to 1 any more.
            share_sum = np.nansum(shares, axis=1, keepdims=True)
            with np.errstate(divide="ignore", invalid="ignore"):
                parts = np.where(shares == 0, 0.0, shares * total / share_sum)
            complete = ~np.isnan(parts).any(axis=1) & np.isfinite(parts).all(axis=1)
            if complete.any():
                parts[complete] = _sum_preserving_round(parts[complete], self.decimal_count)
        else:
            parts = shares * total
        out = dest.copy()
        out[self.variable_names] = parts
        return out
