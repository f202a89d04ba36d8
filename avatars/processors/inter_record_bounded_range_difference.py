"""InterRecordBoundedRangeDifferenceProcessor: successive intervals kept within their bounds."""

from __future__ import annotations

import numpy as np
import pandas as pd

from avatars.processors._inter_record import (
    FloatArray,
    IntArray,
    bounded_decode,
    bounded_encode,
    check_inputs,
    drop_and_order_like,
    integer_like,
    record_order,
    source_bounds,
)

__all__ = ["InterRecordBoundedRangeDifferenceProcessor"]


class InterRecordBoundedRangeDifferenceProcessor:
    """Express successive intervals relative to the previous one, within the original bounds.

    [lb, ub] are the minimum and maximum over both the start and end columns. Each interval's
    range and its gap to the previous interval's end are stored as shares of the room towards
    the bound in their direction, so shares in [−1, 1] decode to values inside [lb, ub].
    Records keep their order of appearance within an individual (stable sort by id, then by
    `sort_by_variable` if given).

    Args:
        id_variable: column identifying the individual of each record.
        target_start_variable: numeric interval start; dropped by `preprocess`.
        target_end_variable: numeric interval end; dropped by `preprocess`.
        new_first_variable_name: new column with the individual's first start.
        new_range_variable: new column with the bounded relative range.
        new_difference_variable_name: new column with the bounded relative gap.
        sort_by_variable: optional column ordering each individual's records in `preprocess`.
        should_round_output: truncate the rebuilt start and end to int in `postprocess`.

    The first-start column keeps the start's integer dtype when the start is an integer column
    (as in avatars 0.7.3); the shares are floats.

    Example:
        >>> df = pd.DataFrame({"id": [1, 1, 2], "start": [30, 100, 70], "end": [10, 80, 60]})
        >>> processor = InterRecordBoundedRangeDifferenceProcessor(
        ...     id_variable="id",
        ...     target_start_variable="start",
        ...     target_end_variable="end",
        ...     new_first_variable_name="first",
        ...     new_range_variable="range",
        ...     new_difference_variable_name="gap",
        ... )
        >>> processed = processor.preprocess(df)
        >>> processed.round(3).values.tolist()
        [[1.0, -1.0, 30.0, 0.0], [1.0, -0.222, 30.0, 1.0], [2.0, -0.167, 70.0, 0.0]]
        >>> processor.postprocess(df, processed).values.tolist()
        [[1, 30, 10], [1, 100, 80], [2, 70, 60]]
    """

    def __init__(
        self,
        *,
        id_variable: str,
        target_start_variable: str,
        target_end_variable: str,
        new_first_variable_name: str,
        new_range_variable: str,
        new_difference_variable_name: str,
        sort_by_variable: str | None = None,
        should_round_output: bool = True,
    ) -> None:
        self.id_variable = id_variable
        self.target_start_variable = target_start_variable
        self.target_end_variable = target_end_variable
        self.new_first_variable_name = new_first_variable_name
        self.new_range_variable = new_range_variable
        self.new_difference_variable_name = new_difference_variable_name
        self.sort_by_variable = sort_by_variable
        self.should_round_output = should_round_output

    @property
    def _start_end(self) -> list[str]:
        return [self.target_start_variable, self.target_end_variable]

    @property
    def _new(self) -> list[str]:
        return [
            self.new_range_variable,
            self.new_first_variable_name,
            self.new_difference_variable_name,
        ]

    def preprocess(self, df: pd.DataFrame) -> pd.DataFrame:
        """Replace start and end by bounded relative range, first start and bounded gap."""
        sort_by = [] if self.sort_by_variable is None else [self.sort_by_variable]
        check_inputs(
            df,
            [self.id_variable, *self._start_end, *sort_by],
            owner=type(self).__name__,
            role="input",
            numeric=self._start_end,
        )
        lb, ub = source_bounds(df, self._start_end)
        order = record_order(df[self.id_variable], [df[c] for c in sort_by])
        start = order.take(df[self.target_start_variable])
        end = order.take(df[self.target_end_variable])
        previous_end = order.previous(end, start)
        out = df.drop(columns=self._start_end)
        out[self.new_range_variable] = order.restore(bounded_encode(end, start, lb, ub))
        out[self.new_first_variable_name] = integer_like(
            order.restore(order.first(start)), df[self.target_start_variable]
        )
        out[self.new_difference_variable_name] = order.restore(
            bounded_encode(start, previous_end, lb, ub)
        )
        return out

    def postprocess(self, source: pd.DataFrame, dest: pd.DataFrame) -> pd.DataFrame:
        """Rebuild start and end record by record from the first start, within the bounds."""
        owner = type(self).__name__
        check_inputs(source, self._start_end, owner=owner, role="source", numeric=self._start_end)
        check_inputs(
            dest, [self.id_variable, *self._new], owner=owner, role="dest", numeric=self._new
        )
        lb, ub = source_bounds(source, self._start_end)
        order = record_order(dest[self.id_variable])
        first = order.take(dest[self.new_first_variable_name])
        ranges = order.take(dest[self.new_range_variable])
        gaps = order.take(dest[self.new_difference_variable_name])
        starts: FloatArray = np.empty_like(gaps)
        ends: FloatArray = np.empty_like(gaps)

        def step(previous_end: FloatArray, rows: IntArray) -> FloatArray:
            starts[rows] = bounded_decode(previous_end, gaps[rows], lb, ub)
            ends[rows] = bounded_decode(starts[rows], ranges[rows], lb, ub)
            return ends[rows]

        order.recurrence(first[order.is_first], step)
        out = dest.copy()
        for column, values in zip(self._start_end, (starts, ends), strict=True):
            rebuilt = pd.Series(order.restore(values), index=dest.index)
            # Truncation, not rounding, as in avatars 0.7.3.
            out[column] = rebuilt.astype("int64") if self.should_round_output else rebuilt
        return drop_and_order_like(out, self._new, list(source.columns))
