"""The avatarization step: avatars, their two result datasets, and (full job) the metrics."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, cast

from avatars_server.datasets.columns import ColumnDescriptor, ColumnType
from avatars_server.jobs.context import JobContext
from avatars_server.jobs.steps.common import identifiers, load_dataset, variables
from avatars_server.jobs.steps.metrics import imputation_config, privacy_metrics, signal_metrics
from avatars_server.jobs.steps.records import record_projection

if TYPE_CHECKING:
    import pandas as pd

    from avatars_server.datasets.columns import ColumnDescriptor
    from avatars_server.engine import AvatarizationConfig
    from avatars_server.engine.config import ExcludeCategoricalConfig
    from avatars_server.storage.tables import DatasetRow

# Share of the full job's progress bar given to each stage.
_AVATARS_END_FULL = 0.6
_PRIVACY_END_FULL = 0.9


def exclude_categorical_config(
    values: Mapping[str, Any] | None,
) -> ExcludeCategoricalConfig | None:
    """The engine's exclude_categorical settings from wire parameters (null → none)."""
    from avatars_server.engine.config import ExcludeCategoricalConfig

    if values is None:
        return None
    return ExcludeCategoricalConfig(
        exclude_cardinality_threshold=values["exclude_cardinality_threshold"],
        exclude_replacement_strategy=values["exclude_replacement_strategy"],
        rare_occurence_threshold=values["rare_occurence_threshold"],
        rare_replacement_strategy=values.get("rare_replacement_strategy") or "most_similar",
        number_reference_records=values.get("number_reference_records"),
    )


def avatarization_config(parameters: Mapping[str, Any]) -> AvatarizationConfig:
    from avatars_server.engine import AvatarizationConfig

    return AvatarizationConfig(
        k=parameters["k"],
        ncp=parameters.get("ncp"),
        column_weights=parameters.get("column_weights"),
        imputation=imputation_config(parameters.get("imputation")),
        seed=parameters.get("seed"),
        exclude_categorical=exclude_categorical_config(parameters.get("exclude_categorical")),
    )


def _to_categorical(
    frame: pd.DataFrame, columns: Sequence[ColumnDescriptor], threshold: int | None
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Numeric columns with at most `threshold` distinct values, made categorical for the job.

    Returns the frame to avatarize and the original dtypes of the converted columns.
    """
    if threshold is None:
        return frame, {}
    converted: dict[str, Any] = {}
    frame = frame.copy()
    for column in variables(columns):
        label = column["label"]
        if column["type"] in ("int", "float") and frame[label].nunique() <= threshold:
            converted[label] = frame[label].dtype
            frame[label] = frame[label].astype(object)
    return frame, converted


def _restore_types(frame: pd.DataFrame, dtypes: Mapping[str, Any]) -> pd.DataFrame:
    import pandas as pd

    for label, dtype in dtypes.items():
        column = frame[label]
        if pd.api.types.is_integer_dtype(dtype) and column.isna().any():
            # Missing values an int column did not have (exclude_categorical's `missing`):
            # floats, as an int column with missing values is declared (see result_columns).
            frame[label] = pd.to_numeric(column).astype("float64")
        else:
            frame[label] = column.astype(dtype)
    return frame


def result_columns(
    columns: Sequence[ColumnDescriptor], frame: pd.DataFrame
) -> list[ColumnDescriptor]:
    """Metadata of a result dataset: the original's columns, identifiers included, each
    identifier declared with the type its surrogate keys have (method-extended.md §0.2), and
    an int or bool column that gained missing values (an excluded column's rare modalities
    replaced by missing values) declared float or category, as the client declares them."""
    from avatars_server.engine.identifiers import surrogate_type

    out: list[ColumnDescriptor] = []
    for column in columns:
        declared: ColumnType = column["type"]
        if column.get("is_identifier"):
            declared = cast(ColumnType, surrogate_type(declared))
        elif declared in ("int", "bool") and bool(frame[column["label"]].isna().any()):
            declared = "float" if declared == "int" else "category"
        out.append({**column, "type": declared})
    return out


def _store(
    context: JobContext, frame: pd.DataFrame, original: DatasetRow, suffix: str
) -> uuid.UUID:
    from avatars_server.jobs.steps.categories import as_object_built
    from avatars_server.storage.datasets import store_dataframe

    base = original.name or "dataset"
    if original.filetype == "parquet":
        frame = as_object_built(frame)  # parquet keeps pandas' dtypes (see `load_dataset`)
    with context.session() as session:
        row = store_dataframe(
            session,
            context.settings,
            frame,
            owner_id=original.owner_id,
            columns=result_columns(original.columns, frame),
            filetype=original.filetype,
            name=f"{base} ({suffix})",
        )
        session.commit()
        return row.id


def _store_results(
    context: JobContext, avatars: pd.DataFrame, unshuffled: pd.DataFrame, original: DatasetRow
) -> dict[str, str]:
    return {
        "avatars_dataset_id": str(_store(context, avatars, original, "avatars")),
        "sensitive_unshuffled_avatars_datasets_id": str(
            _store(context, unshuffled, original, "sensitive unshuffled avatars")
        ),
    }


def run_avatarization_job(
    context: JobContext,
    owner_id: uuid.UUID,
    parameters: Mapping[str, Any],
    *,
    with_metrics: bool,
) -> dict[str, Any]:
    """Avatarize the dataset; with_metrics: then privacy and signal metrics (POST /jobs)."""
    from avatars_server.engine import PrivacyConfig, avatarize
    from avatars_server.reports.build import signal_figures

    avatars_end = _AVATARS_END_FULL if with_metrics else 0.95
    context.report("reading", 0.0)
    # Text categories as pandas categoricals: the engine encodes them by their categories
    # (same codes as objects: modalities are sorted); the avatars come out categorical too.
    original_row, original = load_dataset(
        context, uuid.UUID(parameters["dataset_id"]), owner_id, categories=True
    )
    config = avatarization_config(parameters)
    frame, converted = _to_categorical(
        original, original_row.columns, parameters.get("to_categorical_threshold")
    )
    output = avatarize(
        frame,
        config,
        identifiers=identifiers(original_row.columns),
        progress=context.phase(0.02, avatars_end),
        max_dimensions=context.settings.max_encoded_dimensions,
        explain=True,
        nearest_others=with_metrics,
    )
    avatars = _restore_types(output.avatars, converted)
    unshuffled = _restore_types(output.unshuffled, converted)
    # The result datasets are written while the metrics are computed (I/O next to numpy
    # work that releases the GIL); both must be done before the job is.
    # The metrics see the columns as the avatarization did (to_categorical_threshold).
    roles: list[ColumnDescriptor] = [
        {**column, "type": "category"} if column["label"] in converted else column
        for column in original_row.columns
    ]
    # The result datasets are written while the metrics are computed (I/O next to numpy
    # work that releases the GIL); both must be done before the job is. Then, on the same
    # thread: the signal evidence's figure data, which need no metric (the signal step adds
    # the Hellinger distances), and the projection evidence (the model lives as long as
    # `output` anyway).
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="job-store") as storer:
        stored = storer.submit(_store_results, context, avatars, unshuffled, original_row)
        figures = (
            storer.submit(signal_figures, original, avatars, variables(roles))
            if with_metrics
            else None
        )
        projection = (
            None
            if output.model is None
            else storer.submit(record_projection, context, output.model, "avatarization")
        )
        result: dict[str, Any] = {"privacy_metrics": None, "signal_metrics": None}
        if figures is not None:
            privacy = PrivacyConfig(ncp=output.ncp, imputation=config.imputation, seed=config.seed)
            result["privacy_metrics"] = privacy_metrics(
                original,
                unshuffled,
                roles,
                privacy,
                context.phase(avatars_end, _PRIVACY_END_FULL),
                aligned=True,
                record=context,
                nearest_others=output.nearest_others,
            )
            context.report("signal metrics", _PRIVACY_END_FULL)
            result["signal_metrics"] = signal_metrics(
                original, avatars, roles, aligned=True, record=context, figures=figures.result
            )
        else:
            context.report("storing", avatars_end)
        result.update(stored.result())
        if projection is not None:
            projection.result()
    # Not on the wire: lets a later privacy job reuse the ncp actually used.
    result["ncp"] = output.ncp
    return result
