"""InterRecordCumulatedDifferenceProcessor: a cumulative quantity as first value + increments."""

from __future__ import annotations

import pandas as pd

from avatars.processors._inter_record import (
    check_inputs,
    in_label_order,
    integer_like,
    record_order,
    source_record_positions,
)

__all__ = ["InterRecordCumulatedDifferenceProcessor"]


class InterRecordCumulatedDifferenceProcessor:
    """Express a per-individual cumulative variable as its first value and successive differences.

    Args:
        id_variable: column identifying the individual of each record.
        target_variable: numeric column to transform; dropped by `preprocess`.
        new_first_variable_name: new column with the individual's first (smallest) target.
        new_difference_variable_name: new column with the difference to the previous record.
        keep_record_order: in `postprocess`, accumulate in the order of `source` sorted by
            (id, target), and return the rows in the order of their index labels; needs
            `source` and `dest` with the same index labels.

    The first-value column keeps the target's integer dtype when the target is an integer
    column (as in avatars 0.7.3); the differences are floats.

    Example:
        >>> df = pd.DataFrame({"id": [1, 2, 1, 1], "value": [1025, 20042, 1000, 1130]})
        >>> processor = InterRecordCumulatedDifferenceProcessor(
        ...     id_variable="id",
        ...     target_variable="value",
        ...     new_first_variable_name="first",
        ...     new_difference_variable_name="diff",
        ...     keep_record_order=True,
        ... )
        >>> processed = processor.preprocess(df)
        >>> processed.values.tolist()
        [[1.0, 1000.0, 25.0], [2.0, 20042.0, 0.0], [1.0, 1000.0, 0.0], [1.0, 1000.0, 105.0]]
        >>> processor.postprocess(df, processed)["value"].tolist()
        [1025.0, 20042.0, 1000.0, 1130.0]
    """

    def __init__(
        self,
        *,
        id_variable: str,
        target_variable: str,
        new_first_variable_name: str,
        new_difference_variable_name: str,
        keep_record_order: bool = False,
    ) -> None:
        self.id_variable = id_variable
        self.target_variable = target_variable
        self.new_first_variable_name = new_first_variable_name
        self.new_difference_variable_name = new_difference_variable_name
        self.keep_record_order = keep_record_order

    def preprocess(self, df: pd.DataFrame) -> pd.DataFrame:
        """Replace the target by the individual's first value and the per-record differences."""
        owner = type(self).__name__
        check_inputs(
            df,
            [self.id_variable, self.target_variable],
            owner=owner,
            role="id/target",
            numeric=[self.target_variable],
        )
        order = record_order(df[self.id_variable], [df[self.target_variable]])
        target = order.take(df[self.target_variable])
        out = df.drop(columns=[self.target_variable])
        out[self.new_first_variable_name] = integer_like(
            order.restore(order.first(target)), df[self.target_variable]
        )
        out[self.new_difference_variable_name] = order.restore(
            target - order.previous(target, target)
        )
        return out

    def postprocess(self, source: pd.DataFrame, dest: pd.DataFrame) -> pd.DataFrame:
        """Rebuild the target as first value + running sum of differences, per individual."""
        owner = type(self).__name__
        new = [self.new_first_variable_name, self.new_difference_variable_name]
        check_inputs(source, [self.id_variable, self.target_variable], owner=owner, role="source")
        check_inputs(dest, [self.id_variable, *new], owner=owner, role="dest", numeric=new)
        base = None
        if self.keep_record_order:
            base = source_record_positions(
                source, dest, [self.id_variable, self.target_variable], owner=owner
            )
        order = record_order(dest[self.id_variable], base=base)
        first = order.take(dest[self.new_first_variable_name])
        difference = order.take(dest[self.new_difference_variable_name])
        out = dest.drop(columns=new)
        out[self.target_variable] = order.restore(first + order.cumsum(difference))
        return in_label_order(out) if self.keep_record_order else out
