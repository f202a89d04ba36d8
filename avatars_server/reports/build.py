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

from avatars_server.datasets.analysis import correlations as association_matrix
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
CORRELATION_SAMPLE = 50_000
"""Rows drawn (from each table) for the correlation matrices."""
MAX_BINS = 40
"""Bins of a continuous variable's or a privacy quantity's histogram."""
MAX_MODALITIES = 30
"""Modalities shown per categorical variable; the rarest are grouped as "other"."""
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


def _as_numbers(series: pd.Series) -> FloatArray:
    if pd.api.types.is_datetime64_any_dtype(series):
        values = series.astype("datetime64[ns]")
        out = values.astype("int64").to_numpy(dtype=np.float64) / 1e9
        out[values.isna().to_numpy()] = np.nan
        return out
    return np.asarray(pd.to_numeric(series, errors="coerce"), dtype=np.float64)


def _label(value: float, kind: VariableKind) -> str:
    if kind == "datetime":
        return pd.Timestamp(value, unit="s").strftime("%Y-%m-%d")
    return f"{value:.4g}"


def _continuous(
    name: str, kind: VariableKind, x: FloatArray, a: FloatArray, bins: int = MAX_BINS
) -> VariableDistribution:
    x_obs, a_obs = x[~np.isnan(x)], a[~np.isnan(a)]
    both = np.concatenate([x_obs, a_obs])
    lo, hi = (float(both.min()), float(both.max())) if both.size else (0.0, 1.0)
    distinct = len(np.unique(x_obs[:100_000])) if x_obs.size else 1
    sturges = math.ceil(math.log2(x_obs.size)) + 1 if x_obs.size else 1
    count = max(1, min(bins, max(sturges, 10), distinct))
    if hi <= lo:
        hi = lo + 1.0
        count = 1
    edges = np.linspace(lo, hi, count + 1)
    p = np.histogram(x_obs, bins=edges)[0] / max(1, x.size)
    q = np.histogram(a_obs, bins=edges)[0] / max(1, a.size)
    labels = [f"{_label(edges[b], kind)} – {_label(edges[b + 1], kind)}" for b in range(count)]
    return VariableDistribution(
        name=name,
        kind=kind,
        labels=labels,
        bin_edges=[float(e) for e in edges],
        original=[float(v) for v in p],
        avatars=[float(v) for v in q],
        original_missing=float((x.size - x_obs.size) / max(1, x.size)),
        avatars_missing=float((a.size - a_obs.size) / max(1, a.size)),
    )


def _modality(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _counts(series: pd.Series) -> pd.Series:
    counts = series.value_counts(dropna=True, sort=False)
    counts.index = pd.Index([_modality(v) for v in counts.index], dtype=object)
    return counts.groupby(level=0, sort=False).sum().sort_values(ascending=False, kind="stable")


def _categorical(name: str, x: pd.Series, a: pd.Series) -> VariableDistribution:
    # Counting first and naming the (few) modalities after keeps this O(n) at C speed.
    x_counts = _counts(x)
    a_counts = _counts(a)
    order = list(x_counts.index) + [m for m in a_counts.index if m not in x_counts.index]
    shown = order[:MAX_MODALITIES]
    labels = [str(m) for m in shown]
    p = [float(x_counts.get(m, 0)) / max(1, len(x)) for m in shown]
    q = [float(a_counts.get(m, 0)) / max(1, len(a)) for m in shown]
    if len(order) > MAX_MODALITIES:
        rest = order[MAX_MODALITIES:]
        labels.append("other")
        p.append(float(x_counts.reindex(rest).fillna(0).sum()) / max(1, len(x)))
        q.append(float(a_counts.reindex(rest).fillna(0).sum()) / max(1, len(a)))
    return VariableDistribution(
        name=name,
        kind="categorical",
        labels=labels,
        bin_edges=None,
        original=p,
        avatars=q,
        original_missing=float(x.isna().mean()) if len(x) else 0.0,
        avatars_missing=float(a.isna().mean()) if len(a) else 0.0,
    )


def variable_distributions(
    original: pd.DataFrame,
    avatars: pd.DataFrame,
    columns: Sequence[Mapping[str, Any]],
    hellinger: Mapping[str, float] | None = None,
) -> list[VariableDistribution]:
    """Every variable's distribution, original vs avatars, binned (shares of the rows).

    Args:
        original, avatars: the tables (any row order); identifier columns are skipped.
        columns: the original's column metadata (label, type, is_identifier).
        hellinger: per-variable Hellinger distance, shown next to each figure.
    """
    out: list[VariableDistribution] = []
    for column in columns:
        if column.get("is_identifier"):
            continue
        name = str(column["label"])
        kind = variable_kind(str(column.get("type")))
        if kind == "categorical":
            item = _categorical(name, original[name], avatars[name])
        else:
            item = _continuous(name, kind, _as_numbers(original[name]), _as_numbers(avatars[name]))
        value = (hellinger or {}).get(name)
        out.append(dataclasses.replace(item, hellinger=value))
    return out


def _sample(frame: pd.DataFrame, limit: int) -> pd.DataFrame:
    if len(frame) <= limit:
        return frame
    rows = np.sort(np.random.default_rng(SAMPLE_SEED).choice(len(frame), limit, replace=False))
    return frame.iloc[rows]


def correlation_data(
    original: pd.DataFrame,
    avatars: pd.DataFrame,
    columns: Sequence[Mapping[str, Any]],
    *,
    limit: int = CORRELATION_SAMPLE,
) -> CorrelationData:
    """Association matrices (the datasets' correlation measure) of originals and avatars, and
    their difference; on a seeded sample of ``limit`` rows of each table when larger."""
    kept = [dict(c) for c in columns if not c.get("is_identifier")]
    labels = [str(c["label"]) for c in kept]
    x = association_matrix(_sample(original, limit), kept)
    a = association_matrix(_sample(avatars, limit), kept)

    def grid(matrix: Mapping[str, Mapping[str, float | None]]) -> list[list[float | None]]:
        return [[matrix[r][c] for c in labels] for r in labels]

    diff = [
        [None if (u is None or v is None) else float(v - u) for u, v in zip(ru, rv, strict=True)]
        for ru, rv in zip(grid(x), grid(a), strict=True)
    ]
    return CorrelationData(labels, grid(x), grid(a), diff)


def distribution_data(
    name: str,
    values: npt.NDArray[Any],
    target: str | None,
    *,
    integer: bool = False,
    bins: int = MAX_BINS,
) -> DistributionData:
    """Histogram of a per-individual quantity (local cloaking, DCR, NNDR) against its target.

    The range runs from 0 to the 99th percentile (at least twice the threshold); larger
    values are counted in the last bin so that the counts add up to n.
    """
    data = np.asarray(values, dtype=np.float64)
    data = data[np.isfinite(data)]
    threshold, _ = parse_target(target)
    hi = float(np.quantile(data, 0.99)) if data.size else 1.0
    hi = max(hi, 2 * (threshold or 0.0), 1e-12)
    if integer:
        hi = float(math.ceil(hi))
        step = max(1.0, math.ceil(hi / bins))
        edges = np.arange(0.0, hi + step, step)
        edges = np.append(edges, edges[-1] + step) if len(edges) < 2 else edges
    else:
        edges = np.linspace(0.0, hi, bins + 1)
    counts = np.histogram(np.clip(data, edges[0], edges[-1]), bins=edges)[0]
    median = float(np.median(data)) if data.size else None
    return DistributionData(
        name=name,
        bin_edges=[float(e) for e in edges],
        counts=[int(c) for c in counts],
        median=median,
        threshold=threshold,
        n=int(data.size),
    )


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
        else MetricSettings(
            ncp=None,
            imputation_method="knn",
            imputation_k=5,
            imputation_training_fraction=1.0,
            seed=None,
            known_variables=None,
            target=None,
            closest_rate_percentage_threshold=0.3,
            closest_rate_ratio_threshold=0.3,
            variables=[],
            categorical=[],
        )
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
        "local_cloaking": distribution_data(
            "local_cloaking", lc, targets.get("local_cloaking"), integer=True
        ),
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


def signal_artifacts(
    original: pd.DataFrame,
    avatars: pd.DataFrame,
    columns: Sequence[Mapping[str, Any]],
    hellinger: Mapping[str, float],
) -> dict[str, Any]:
    """What a signal job records for reports: per-variable Hellinger, distributions and
    correlation matrices (binned or sampled, so bounded in size)."""
    return {
        "hellinger": {str(k): float(v) for k, v in hellinger.items()},
        "distributions": [
            dataclasses.asdict(d)
            for d in variable_distributions(original, avatars, columns, hellinger)
        ],
        "correlations": dataclasses.asdict(correlation_data(original, avatars, columns)),
    }


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
        "sample": dataclasses.asdict(projection_sample(records, avatars)),
    }
