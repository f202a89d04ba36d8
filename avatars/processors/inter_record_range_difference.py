"""InterRecordRangeDifferenceProcessor: successive intervals as first start, ranges and gaps."""

from __future__ import annotations

import numpy as np
import pandas as pd

from avatars.processors._inter_record import (
    check_inputs,
    in_label_order,
    integer_like,
    record_order,
    source_record_positions,
)

__all__ = ["InterRecordRangeDifferenceProcessor"]


class InterRecordRangeDifferenceProcessor:
    """Express each individual's successive intervals (start, end) relative to the previous one.

    Args:
        id_variable: column identifying the individual of each record.
        target_start_variable: numeric interval start; dropped by `preprocess`.
        target_end_variable: numeric interval end; dropped by `preprocess`.
        sort_by_variable: column ordering each individual's records.
        new_first_variable: new column with the individual's first start.
        new_range_variable: new column with end − start.
        new_difference_variable: new column with start − previous interval's end (0 first).
        keep_record_order: in `postprocess`, rebuild in the order of `source` sorted by
            (id, sort_by), and return the rows in the order of their index labels; needs
            `source` and `dest` with the same index labels.

    The first-start column keeps the start's integer dtype, and the range column is an integer
    column when start and end are (as in avatars 0.7.3); the gaps are floats.

    Example:
        >>> df = pd.DataFrame({"id": [1, 1, 2], "start": [7, 1, 3], "end": [8, 5, 4]})
        >>> processor = InterRecordRangeDifferenceProcessor(
        ...     id_variable="id",
        ...     target_start_variable="start",
        ...     target_end_variable="end",
        ...     sort_by_variable="start",
        ...     new_first_variable="first",
        ...     new_range_variable="range",
        ...     new_difference_variable="gap",
        ...     keep_record_order=True,
        ... )
        >>> processed = processor.preprocess(df)
        >>> processed.values.tolist()
        [[1.0, 1.0, 1.0, 2.0], [1.0, 4.0, 1.0, 0.0], [2.0, 1.0, 3.0, 0.0]]
        >>> processor.postprocess(df, processed)[["start", "end"]].values.tolist()
        [[7.0, 8.0], [1.0, 5.0], [3.0, 4.0]]
    """

    def __init__(
        self,
        *,
        id_variable: str,
        target_start_variable: str,
        target_end_variable: str,
        sort_by_variable: str,
        new_first_variable: str,
        new_range_variable: str,
        new_difference_variable: str,
        keep_record_order: bool = False,
    ) -> None:
        self.id_variable = id_variable
        self.target_start_variable = target_start_variable
        self.target_end_variable = target_end_variable
        self.sort_by_variable = sort_by_variable
        self.new_first_variable = new_first_variable
        self.new_range_variable = new_range_variable
        self.new_difference_variable = new_difference_variable
        self.keep_record_order = keep_record_order

    def preprocess(self, df: pd.DataFrame) -> pd.DataFrame:
        """Replace start and end by first start, range and gap to the previous interval."""
        start_end = [self.target_start_variable, self.target_end_variable]
        check_inputs(
            df,
            [self.id_variable, *start_end, self.sort_by_variable],
            owner=type(self).__name__,
            role="input",
            numeric=start_end,
        )
        order = record_order(df[self.id_variable], [df[self.sort_by_variable]])
        start = order.take(df[self.target_start_variable])
        end = order.take(df[self.target_end_variable])
        out = df.drop(columns=start_end)
        start_column, end_column = df[self.target_start_variable], df[self.target_end_variable]
        out[self.new_range_variable] = integer_like(
            order.restore(end - start), start_column, end_column
        )
        out[self.new_first_variable] = integer_like(order.restore(order.first(start)), start_column)
        out[self.new_difference_variable] = order.restore(start - order.previous(end, start))
        return out

    def postprocess(self, source: pd.DataFrame, dest: pd.DataFrame) -> pd.DataFrame:
        """Rebuild start and end; start = first + earlier ranges + gaps so far."""
        owner = type(self).__name__
        new = [self.new_first_variable, self.new_range_variable, self.new_difference_variable]
        check_inputs(dest, [self.id_variable, *new], owner=owner, role="dest", numeric=new)
        check_inputs(source, [self.sort_by_variable], owner=owner, role="source")
        base = None
        if self.keep_record_order:
            check_inputs(source, [self.id_variable], owner=owner, role="source")
            base = source_record_positions(
                source, dest, [self.id_variable, self.sort_by_variable], owner=owner
            )
        order = record_order(dest[self.id_variable], base=base)
        first = order.take(dest[self.new_first_variable])
        ranges = order.take(dest[self.new_range_variable])
        gaps = order.take(dest[self.new_difference_variable])
        # Ranges of the records strictly before each one, plus gaps up to and including it.
        earlier_ranges = order.cumsum(order.previous(ranges, np.zeros_like(ranges)))
        start = first + earlier_ranges + order.cumsum(gaps)
        out = dest.drop(columns=new)
        out[self.target_start_variable] = order.restore(start)
        out[self.target_end_variable] = order.restore(start + ranges)
        return in_label_order(out) if self.keep_record_order else out
