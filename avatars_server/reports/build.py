"""Build a report's content: bounded figure data from DataFrames and arrays, and the assembly.

Pure: DataFrames, arrays and plain dicts in, ``content`` dataclasses out; no database, web or
file code. Jobs call the figure helpers when they run (the data are in memory then) and store
their output; the reports route assembles those pieces with :func:`assemble`.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from avatars_server.reports.content import (
    PRIVACY_METRIC_NAMES,
    SIGNAL_METRIC_NAMES,
    AvatarizationSettings,
    ContributionsData,
    CorrelationData,
    DatasetInfo,
    DatasetRole,
    DistributionData,
    ExplainedVarianceData,
    Figures,
    MetricSettings,
    Parameters,
    PrivacySection,
    ProjectionSample,
    Provenance,
    ReportContent,
    ReportKind,
    SignalSection,
    VariableDistribution,
    VariableHellinger,
    VariableKind,
    conclude,
    from_plain,
    metric_result,
    parse_target,
)

FloatArray = npt.NDArray[np.float64]

PROJECTION_SAMPLE = 2_000
"""Individuals drawn for the projection figure."""
CORRELATION_SAMPLE = 20_000
"""Rows drawn (from each table) for the correlation matrices."""
SAMPLE_SEED = 0
"""Seed of every figure sample: a report is the same whenever it is built."""
CATEGORICAL_TYPES = frozenset({"category", "bool"})


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


# --------------------------------------------------------------------------- projection


def projection_sample(
    records: FloatArray, avatars: FloatArray, *, limit: int = PROJECTION_SAMPLE
) -> ProjectionSample:
    """At most ``limit`` individuals (seeded draw) on the first two axes, originals and avatars.

    Args:
        records: shape (n, c), originals' coordinates.
        avatars: shape (n, c), row-aligned avatars' coordinates.
    """
    n = len(records)
    axes = min(2, records.shape[1] if records.ndim == 2 else 0)
    rows = np.arange(n)
    if n > limit:
        rows = np.sort(np.random.default_rng(SAMPLE_SEED).choice(n, size=limit, replace=False))
    return ProjectionSample(
        axes=[f"Dim. {a + 1}" for a in range(axes)],
        original=np.asarray(records[rows, :axes], dtype=np.float64).tolist(),
        avatars=np.asarray(avatars[rows, :axes], dtype=np.float64).tolist(),
        n_total=n,
        n_sampled=len(rows),
        sample_seed=SAMPLE_SEED,
    )


def explained_variance_data(
    raw: Sequence[float], ratio: Sequence[float], *, limit: int = 20
) -> ExplainedVarianceData:
    """The leading ``limit`` components' eigenvalues and shares."""
    count = min(limit, len(raw))
    return ExplainedVarianceData(
        components=[f"Dim. {a + 1}" for a in range(count)],
        raw=[float(v) for v in raw[:count]],
        ratio=[float(v) for v in ratio[:count]],
    )


def contributions_data(
    contributions: Mapping[str, Mapping[str, float]], dataset: DatasetRole = "original"
) -> ContributionsData:
    """Component → variable → percent as a variables × components table."""
    components = list(contributions)
    variables = list(contributions[components[0]]) if components else []
    values = [[float(contributions[c].get(v, 0.0)) for c in components] for v in variables]
    return ContributionsData(dataset, components, variables, values)


# --------------------------------------------------------------------------- distributions


def variable_kind(column_type: str) -> VariableKind:
    """The figure kind of a declared column type."""
    if column_type in CATEGORICAL_TYPES:
        return "categorical"
    return "datetime" if column_type == "datetime" else "continuous"


def variable_distributions(
    original: pd.DataFrame,
    avatars: pd.DataFrame,
    columns: Sequence[Mapping[str, Any]],
    hellinger: Mapping[str, float] | None = None,
) -> list[VariableDistribution]:
    """Every variable's distribution, original vs avatars, binned (shares of the rows).

    The binning is the notebook helpers' (``avatars.plot_data``): one implementation for the
    report and the notebooks.

    Args:
        original, avatars: the tables (any row order); identifier columns are skipped.
        columns: the original's column metadata (label, type, is_identifier).
        hellinger: per-variable Hellinger distance, shown next to each figure.
    """
    from avatars import plot_data

    kinds = _kinds(columns)
    out = plot_data.variable_distributions(
        original[list(kinds)], avatars[list(kinds)], kinds=kinds, hellinger=dict(hellinger or {})
    )
    return [from_plain(VariableDistribution, dataclasses.asdict(item)) for item in out]


def _kinds(columns: Sequence[Mapping[str, Any]]) -> dict[str, VariableKind]:
    return {
        str(c["label"]): variable_kind(str(c.get("type")))
        for c in columns
        if not c.get("is_identifier")
    }


def correlation_data(
    original: pd.DataFrame,
    avatars: pd.DataFrame,
    columns: Sequence[Mapping[str, Any]],
    *,
    limit: int = CORRELATION_SAMPLE,
) -> CorrelationData:
    """Association matrices (r, η, Cramér's V) of originals and avatars and their difference,
    on a seeded sample of ``limit`` rows of each table when larger (``avatars.plot_data``)."""
    from avatars import plot_data

    kinds = _kinds(columns)
    data = plot_data.correlation_data(
        original[list(kinds)], avatars[list(kinds)], kinds=kinds, max_rows=limit, seed=SAMPLE_SEED
    )
    return from_plain(CorrelationData, dataclasses.asdict(data))


def distribution_data(
    name: str,
    values: npt.NDArray[Any],
    target: str | None,
) -> DistributionData:
    """Histogram of a per-individual quantity (local cloaking, DCR, NNDR) against its target;
    every individual is counted (``avatars.plot_data``)."""
    from avatars import plot_data

    threshold, _ = parse_target(target)
    data = plot_data.distribution_data(name, values, threshold)
    return from_plain(DistributionData, dataclasses.asdict(data))


# --------------------------------------------------------------------------- assembly


def dataset_info(role: DatasetRole, row: Mapping[str, Any]) -> DatasetInfo:
    """Identity of a dataset from its stored description (id, name, hash, columns...)."""
    from avatars_server.reports.content import ColumnInfo

    columns = list(row.get("columns") or [])
    return DatasetInfo(
        role=role,
        id=str(row["id"]),
        name=row.get("name"),
        sha256=str(row["hash"]),
        rows=int(row.get("nb_lines") or 0),
        columns=len(columns),
        column_types=[
            ColumnInfo(str(c["label"]), str(c["type"]), bool(c.get("is_identifier")))
            for c in columns
        ],
        created_at=row.get("created_at"),
        filetype=row.get("filetype"),
    )


def avatarization_settings(
    parameters: Mapping[str, Any], ncp_used: int | None
) -> AvatarizationSettings:
    """Every avatarization parameter with its default made explicit."""
    imputation = parameters.get("imputation") or {}
    return AvatarizationSettings(
        k=int(parameters["k"]),
        ncp=parameters.get("ncp"),
        ncp_used=ncp_used,
        column_weights=parameters.get("column_weights"),
        imputation_method=str(imputation.get("method") or "knn"),
        imputation_k=int(imputation.get("k") or 5),
        imputation_training_fraction=float(imputation.get("training_fraction") or 1.0),
        seed=parameters.get("seed"),
        to_categorical_threshold=parameters.get("to_categorical_threshold"),
    )


@dataclasses.dataclass(frozen=True)
class ReportInputs:
    """Everything a report is assembled from, as plain data read from storage.

    ``privacy_artifacts``, ``signal_artifacts`` and ``projection_artifacts`` are what the jobs
    recorded when they ran (see ``avatars_server.jobs.steps``); None when a job ran before
    they were recorded (the report then lacks those figures).
    """

    report_id: str
    kind: ReportKind
    created_at: str
    server_version: str
    engine_version: str
    title: str
    avatarization_job: Mapping[str, Any] | None
    privacy_job: Mapping[str, Any]
    signal_job: Mapping[str, Any]
    datasets: Sequence[DatasetInfo]
    privacy_metrics: Mapping[str, Any]
    signal_metrics: Mapping[str, Any]
    privacy_artifacts: Mapping[str, Any] | None
    signal_artifacts: Mapping[str, Any] | None
    projection_artifacts: Mapping[str, Any] | None


def _distribution(data: Any) -> DistributionData | None:
    return None if data is None else from_plain(DistributionData, data)


def assemble(inputs: ReportInputs) -> ReportContent:
    """The report's content from the jobs' results and recorded figure data."""
    privacy_targets: Mapping[str, str] = inputs.privacy_metrics.get("targets") or {}
    signal_targets: Mapping[str, str] = inputs.signal_metrics.get("targets") or {}
    privacy = [
        metric_result(name, inputs.privacy_metrics.get(name), privacy_targets.get(name))
        for name in PRIVACY_METRIC_NAMES
    ]
    signal = [
        metric_result(name, inputs.signal_metrics.get(name), signal_targets.get(name))
        for name in SIGNAL_METRIC_NAMES
    ]
    pa = inputs.privacy_artifacts or {}
    sa = inputs.signal_artifacts or {}
    proj = inputs.projection_artifacts or {}
    hellinger = {str(k): float(v) for k, v in (sa.get("hellinger") or {}).items()}
    metric_settings = (
        from_plain(MetricSettings, pa["settings"])
        if pa.get("settings")
        else MetricSettings.unknown()
    )
    avatarization = inputs.avatarization_job
    parameters = Parameters(
        avatarization=avatarization_settings(
            avatarization["parameters"], (avatarization.get("result") or {}).get("ncp")
        )
        if avatarization
        else None,
        metrics=metric_settings,
        raw_avatarization=dict(avatarization["parameters"]) if avatarization else None,
        raw_privacy=dict(inputs.privacy_job["parameters"]),
        raw_signal=dict(inputs.signal_job["parameters"]),
    )
    figures = Figures(
        projection=from_plain(ProjectionSample, proj["sample"]) if proj.get("sample") else None,
        explained_variance=explained_variance_data(proj["eigenvalues"], proj["ratio"])
        if proj.get("eigenvalues") is not None
        else None,
        contributions=contributions_data(proj["contributions"]["original"], "original")
        if proj.get("contributions")
        else None,
        distributions=[from_plain(VariableDistribution, d) for d in sa.get("distributions") or []],
        correlations=from_plain(CorrelationData, sa["correlations"])
        if sa.get("correlations")
        else None,
        local_cloaking=_distribution(pa.get("local_cloaking")),
        distance_to_closest=_distribution(pa.get("distance_to_closest")),
        closest_distances_ratio=_distribution(pa.get("closest_distances_ratio")),
    )
    return ReportContent(
        title=inputs.title,
        provenance=Provenance(
            report_id=inputs.report_id,
            kind=inputs.kind,
            created_at=inputs.created_at,
            server_version=inputs.server_version,
            engine_version=inputs.engine_version,
            avatarization_job_id=str(avatarization["id"]) if avatarization else None,
            privacy_job_id=str(inputs.privacy_job["id"]),
            signal_job_id=str(inputs.signal_job["id"]),
            avatarization_job_created_at=avatarization.get("created_at") if avatarization else None,
            privacy_job_created_at=inputs.privacy_job.get("created_at"),
            signal_job_created_at=inputs.signal_job.get("created_at"),
        ),
        datasets=list(inputs.datasets),
        parameters=parameters,
        privacy=PrivacySection(
            metrics=privacy,
            local_cloaking_zero_share=pa.get("local_cloaking_zero_share"),
            local_cloaking_at_most_5_share=pa.get("local_cloaking_at_most_5_share"),
            local_cloaking_mean=pa.get("local_cloaking_mean"),
            worst_column=pa.get("worst_column"),
        ),
        signal=SignalSection(
            metrics=signal,
            hellinger_per_variable=[VariableHellinger(k, v) for k, v in hellinger.items()],
        ),
        figures=figures,
        conclusion=conclude(privacy + signal),
    )


def privacy_artifacts(
    local_cloaking: npt.NDArray[Any],
    distance_to_closest: npt.NDArray[Any],
    closest_distances_ratio: npt.NDArray[Any],
    targets: Mapping[str, str],
    settings: MetricSettings,
    worst_column: str | None,
) -> dict[str, Any]:
    """What a privacy job records for reports: bounded histograms, shares and its settings."""
    lc = np.asarray(local_cloaking)
    pieces = {
        "local_cloaking": distribution_data("local_cloaking", lc, targets.get("local_cloaking")),
        "distance_to_closest": distribution_data(
            "distance_to_closest", distance_to_closest, targets.get("distance_to_closest")
        ),
        "closest_distances_ratio": distribution_data(
            "closest_distances_ratio",
            closest_distances_ratio,
            targets.get("closest_distances_ratio"),
        ),
    }
    out: dict[str, Any] = {k: dataclasses.asdict(v) for k, v in pieces.items()}
    out["local_cloaking_zero_share"] = float(100.0 * (lc == 0).mean()) if lc.size else None
    out["local_cloaking_at_most_5_share"] = float(100.0 * (lc <= 5).mean()) if lc.size else None
    out["local_cloaking_mean"] = _finite(float(lc.mean())) if lc.size else None
    out["worst_column"] = worst_column
    out["settings"] = dataclasses.asdict(settings)
    return out


def signal_figures(
    original: pd.DataFrame, avatars: pd.DataFrame, columns: Sequence[Mapping[str, Any]]
) -> dict[str, Any]:
    """The figure data of a signal job's evidence: every variable's binned distribution (without
    its Hellinger distance) and the association matrices. It needs no metric, so a full job
    computes it while its metrics run; :func:`with_hellinger` completes it.

    The summaries' fields are those of the content dataclasses (VariableDistribution,
    CorrelationData): read as plain data, they give what :func:`variable_distributions` and
    :func:`correlation_data` would, without building the dataclasses twice or copying the
    tables.
    """
    from avatars import plot_data

    kinds = _kinds(columns)
    labels = list(kinds)
    distributions = [
        plot_data.variable_distribution(
            name, _counted_as_objects(original[name]), _counted_as_objects(avatars[name]), kind=kind
        )
        for name, kind in kinds.items()
    ]
    # correlation_data draws the same rows again from the sample (all of them).
    x_rows = plot_data.sample_rows(len(original), CORRELATION_SAMPLE, SAMPLE_SEED)
    a_rows = plot_data.sample_rows(len(avatars), CORRELATION_SAMPLE, SAMPLE_SEED)
    correlations = plot_data.correlation_data(
        _as_objects(original.iloc[x_rows][labels]),
        _as_objects(avatars.iloc[a_rows][labels]),
        kinds=kinds,
        max_rows=CORRELATION_SAMPLE,
        seed=SAMPLE_SEED,
    )
    return {
        "distributions": [_plain(d, VariableDistribution) for d in distributions],
        "correlations": _plain(correlations, CorrelationData),
    }


def _counted_as_objects(series: pd.Series) -> pd.Series:
    """A pandas categorical counted as the object column a dataset's category reads as:
    pandas counts a categorical's values in the order of its categories (equal counts keep
    it) and objects in order of first appearance, so the categories observed are put in that
    order (the same figure data, without hashing a string per row)."""
    if not isinstance(series.dtype, pd.CategoricalDtype):
        return series
    codes = series.cat.codes.to_numpy()
    seen = pd.unique(codes)
    seen = seen[seen >= 0]
    remap = np.full(len(series.cat.categories) + 1, -1, dtype=np.int64)
    remap[seen] = np.arange(len(seen))
    categories = series.cat.categories[seen]
    return pd.Series(pd.Categorical.from_codes(remap[codes], categories), name=series.name)


def _as_objects(frame: pd.DataFrame) -> pd.DataFrame:
    labels = [name for name, kind in frame.dtypes.items() if isinstance(kind, pd.CategoricalDtype)]
    return frame.astype(dict.fromkeys(labels, object)) if labels else frame


def with_hellinger(figures: Mapping[str, Any], hellinger: Mapping[str, float]) -> dict[str, Any]:
    """What a signal job records for reports: per-variable Hellinger, distributions (each with
    its Hellinger distance) and correlation matrices, from :func:`signal_figures`."""
    distributions = []
    for item in figures["distributions"]:
        value = hellinger.get(str(item["name"]))
        distributions.append(item if value is None else {**item, "hellinger": float(value)})
    return {
        "hellinger": {str(k): float(v) for k, v in hellinger.items()},
        "distributions": distributions,
        "correlations": figures["correlations"],
    }


def signal_artifacts(
    original: pd.DataFrame,
    avatars: pd.DataFrame,
    columns: Sequence[Mapping[str, Any]],
    hellinger: Mapping[str, float],
) -> dict[str, Any]:
    """What a signal job records for reports: per-variable Hellinger, distributions and
    correlation matrices (binned or sampled, so bounded in size)."""
    return with_hellinger(signal_figures(original, avatars, columns), hellinger)


def _plain(summary: Any, content: type[Any]) -> dict[str, Any]:
    """A plot_data summary as plain data, with the fields of its content dataclass."""
    return {field.name: getattr(summary, field.name) for field in dataclasses.fields(content)}


def _fields(sample: ProjectionSample) -> dict[str, Any]:
    """The sample as ``dataclasses.asdict`` gives it, without deep-copying its fresh lists
    (2,000 points: 9 ms of copies otherwise)."""
    return {field.name: getattr(sample, field.name) for field in dataclasses.fields(sample)}


def projection_artifacts(
    source: str,
    eigenvalues: FloatArray,
    ratio: FloatArray,
    contributions: Mapping[str, Mapping[str, Mapping[str, float]]],
    records: FloatArray,
    avatars: FloatArray,
) -> dict[str, Any]:
    """What a job that fitted a projection records (besides the full coordinates)."""
    return {
        "source": source,
        "eigenvalues": [float(v) for v in eigenvalues],
        "ratio": [float(v) for v in ratio],
        "contributions": {
            role: {c: {v: float(s) for v, s in shares.items()} for c, shares in table.items()}
            for role, table in contributions.items()
        },
        "n_rows": len(records),
        "sample": _fields(projection_sample(records, avatars)),
    }
