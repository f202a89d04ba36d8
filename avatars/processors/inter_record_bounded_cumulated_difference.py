"""InterRecordBoundedCumulatedDifferenceProcessor: increments as shares of the room to a bound."""

from __future__ import annotations

import numpy as np
import pandas as pd

from avatars.processors._inter_record import (
    FloatArray,
    IntArray,
    bounded_decode,
    bounded_encode,
    check_inputs,
    integer_like,
    record_order,
    source_bounds,
)

__all__ = ["InterRecordBoundedCumulatedDifferenceProcessor"]


class InterRecordBoundedCumulatedDifferenceProcessor:
    """Like the cumulated variant, but rebuilt values stay within the original [min, max].

    Each record's change from the previous one (in order of appearance, per individual) is
    stored as a share of the room towards the upper bound (increase) or the lower bound
    (decrease), so any share in [−1, 1] decodes to a value inside [lb, ub].

    Args:
        id_variable: column identifying the individual of each record.
        target_variable: numeric column to transform; dropped by `preprocess`.
        new_first_variable_name: new column with the individual's first target.
        new_difference_variable_name: new column with the bounded relative change.
        should_round_output: round the rebuilt target to int in `postprocess`.

    The first-value column keeps the target's integer dtype when the target is an integer
    column (as in avatars 0.7.3); the shares are floats.

    Example:
        >>> df = pd.DataFrame({"id": [1, 1, 2, 2], "value": [10, 20, 30, 10]})
        >>> processor = InterRecordBoundedCumulatedDifferenceProcessor(
        ...     "id", "value", "first", "share", should_round_output=True
        ... )
        >>> processed = processor.preprocess(df)
        >>> processed["share"].tolist()
        [0.0, 0.5, 0.0, -1.0]
        >>> processor.postprocess(df, processed)["value"].tolist()
        [10, 20, 30, 10]
    """

    def __init__(
        self,
        id_variable: str,
        target_variable: str,
        new_first_variable_name: str,
        new_difference_variable_name: str,
        should_round_output: bool = False,
    ) -> None:
        self.id_variable = id_variable
        self.target_variable = target_variable
        self.new_first_variable_name = new_first_variable_name
        self.new_difference_variable_name = new_difference_variable_name
        self.should_round_output = should_round_output

    def preprocess(self, df: pd.DataFrame) -> pd.DataFrame:
        """Replace the target by first value and bounded relative changes; reset the index."""
        check_inputs(
            df,
            [self.id_variable, self.target_variable],
            owner=type(self).__name__,
            role="id/target",
            numeric=[self.target_variable],
        )
        lb, ub = source_bounds(df, [self.target_variable])
        order = record_order(df[self.id_variable])
        target = order.take(df[self.target_variable])
        share = bounded_encode(target, order.previous(target, target), lb, ub)
        out = df.drop(columns=[self.target_variable]).reset_index(drop=True)
        out[self.new_first_variable_name] = integer_like(
            order.restore(order.first(target)), df[self.target_variable].reset_index(drop=True)
        )
        out[self.new_difference_variable_name] = order.restore(share)
        return out

    def postprocess(self, source: pd.DataFrame, dest: pd.DataFrame) -> pd.DataFrame:
        """Rebuild the target record by record from the first value, within the source bounds."""
        owner = type(self).__name__
        new = [self.new_first_variable_name, self.new_difference_variable_name]
        check_inputs(
            source,
            [self.id_variable, self.target_variable],
            owner=owner,
            role="source",
            numeric=[self.target_variable],
        )
        check_inputs(dest, [self.id_variable, *new], owner=owner, role="dest", numeric=new)
        lb, ub = source_bounds(source, [self.target_variable])
        order = record_order(dest[self.id_variable])
        first = order.take(dest[self.new_first_variable_name])
        share = order.take(dest[self.new_difference_variable_name])
        values: FloatArray = np.empty_like(share)

        def step(previous: FloatArray, rows: IntArray) -> FloatArray:
            values[rows] = bounded_decode(previous, share[rows], lb, ub)
            return values[rows]

        order.recurrence(first[order.is_first], step)
        out = dest.drop(columns=new)
        rebuilt = pd.Series(order.restore(values), index=dest.index)
        out[self.target_variable] = (
            rebuilt.round(0).astype("int64") if self.should_round_output else rebuilt
        )
        return out
