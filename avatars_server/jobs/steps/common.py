"""Helpers shared by the job steps: typed frames from datasets, column roles, metric values."""

from __future__ import annotations

import math
import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from avatars_server.errors import NotFoundError
from avatars_server.jobs.context import JobContext, JobFailure

if TYPE_CHECKING:
    import pandas as pd

    from avatars_server.datasets.columns import ColumnDescriptor
    from avatars_server.storage.tables import DatasetRow

CATEGORICAL_TYPES = frozenset({"category", "bool"})


def load_dataset(
    context: JobContext, dataset_id: uuid.UUID, owner_id: uuid.UUID, *, categories: bool = False
) -> tuple[DatasetRow, pd.DataFrame]:
    """The dataset's row and its data, typed from the declared columns (`categories`: text
    category columns as pandas categoricals, which the engine encodes faster than objects)."""
    from avatars_server.storage.datasets import get_owned_dataset, read_dataframe

    with context.session() as session:
        try:
            row = get_owned_dataset(session, dataset_id, owner_id)
        except NotFoundError as exc:
            raise JobFailure(
                f"The dataset {dataset_id} no longer exists; it was deleted after the job was "
                "created."
            ) from exc
        session.expunge(row)
    return row, read_dataframe(context.settings, row, categories=categories)


def identifiers(columns: Sequence[ColumnDescriptor]) -> list[str]:
    """Labels of the identifier columns, in file order."""
    return [c["label"] for c in columns if c.get("is_identifier")]


def variables(columns: Sequence[ColumnDescriptor]) -> list[ColumnDescriptor]:
    """Metadata of the non-identifier columns, in file order."""
    return [c for c in columns if not c.get("is_identifier")]


def categorical(columns: Sequence[ColumnDescriptor]) -> list[str]:
    """Labels of the columns the engine treats as categorical (declared category or bool)."""
    return [c["label"] for c in variables(columns) if c["type"] in CATEGORICAL_TYPES]


def _modality(value: Any) -> Any:
    # 3, 3.0 and "3" are one modality whatever each dataset declared (int, float, category).
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _categorical(series: pd.Series) -> pd.Series:
    import pandas as pd

    # Fast path (C speed): values that are all strings are modalities as they are.
    if pd.api.types.infer_dtype(series, skipna=True) in ("string", "empty"):
        return series.astype(object)
    return series.map(_modality).astype(object)


def conform(frame: pd.DataFrame, reference: Sequence[ColumnDescriptor]) -> pd.DataFrame:
    """`frame` restricted to the reference's variables, with the reference's column roles.

    Metrics compare an original with avatars uploaded separately (post-processed frames):
    declarations may differ (int vs float, int-coded categories), values must not.
    """
    import pandas as pd

    out: dict[str, pd.Series] = {}
    for column in variables(reference):
        label, kind = column["label"], column["type"]
        series = frame[label]
        if kind in CATEGORICAL_TYPES:
            out[label] = _categorical(series)
        elif kind == "datetime":
            out[label] = pd.to_datetime(series, errors="coerce")
        else:
            numeric = pd.to_numeric(series, errors="coerce")
            if int(numeric.isna().sum()) > int(series.isna().sum()):
                raise JobFailure(
                    f"Column {label!r} is numeric in the original dataset but holds non-numeric "
                    "values in the other dataset. Upload both with the same column types."
                )
            out[label] = numeric.astype("float64")
    return pd.DataFrame(out)


def finite(value: Any, name: str) -> float:
    """A required metric as a finite float (JSON has no NaN)."""
    if value is None or not math.isfinite(float(value)):
        raise JobFailure(
            f"The metric {name} could not be computed on these data (got {value}). Check that "
            "the datasets have enough distinct rows and non-constant columns."
        )
    return float(value)


def finite_or_none(value: Any) -> float | None:
    if value is None or not math.isfinite(float(value)):
        return None
    return float(value)
