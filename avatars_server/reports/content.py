"""What a report says: a pure, typed model shared by the builder, the renderers and verify-report.

The content is built once (``avatars_server.reports.build``) from the datasets and the jobs'
results, stored as JSON, and rendered as PDF or HTML from that JSON alone. It is also the JSON
evidence format: every value, the sha256 of each dataset, every parameter, the seed and the
versions, so that ``avatars-server verify-report`` can recompute the metrics.

Everything here is plain data: strings, finite floats (``None`` where a value is undefined),
ints, bools, lists and nested dataclasses. Figure data are bounded in size whatever the number
of rows: projections are sampled, distributions are binned. Changes to this module are additive
only (new optional fields with defaults), so that stored reports keep loading.
"""

from __future__ import annotations

import dataclasses
import json
import math
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

SCHEMA_VERSION = 1
"""Version of this JSON format (``ReportContent.schema_version``)."""

Direction = Literal["higher", "lower"]
ReportKind = Literal["avatarization", "from_data", "from_batch", "geolocation_privacy"]
DatasetRole = Literal["original", "avatars", "unshuffled_avatars"]
VariableKind = Literal["continuous", "categorical", "datetime"]

PRIVACY_METRIC_NAMES: tuple[str, ...] = (
    "hidden_rate",
    "local_cloaking",
    "distance_to_closest",
    "closest_distances_ratio",
    "closest_rate",
    "row_direct_match_protection",
    "column_direct_match_protection",
    "categorical_hidden_rate",
    "correlation_protection_rate",
    "inference_continuous",
    "inference_categorical",
)
"""The eleven privacy metrics, in the order of method.md §5."""

SIGNAL_METRIC_NAMES: tuple[str, ...] = (
    "hellinger_mean",
    "hellinger_std",
    "correlation_difference_ratio",
)

BATCH_TABLE_PRIVACY: tuple[str, ...] = (
    "hidden_rate",
    "local_cloaking",
    "distance_to_closest",
    "closest_distances_ratio",
    "closest_rate",
)
"""The privacy metrics shown in a batch report's per-batch table (every one is in the JSON)."""
BATCH_TABLE_SIGNAL: tuple[str, ...] = ("hellinger_mean", "correlation_difference_ratio")
"""The signal metrics shown in a batch report's per-batch table."""

METRIC_MEANINGS: Mapping[str, str] = types.MappingProxyType(
    {
        "hidden_rate": (
            "The chance, in percent, that someone who knows a person's record and links it to "
            "the closest avatar picks the wrong avatar."
        ),
        "local_cloaking": (
            "For a typical person, how many other avatars are at least as close to their record "
            "as their own avatar: the crowd they hide in."
        ),
        "distance_to_closest": (
            "How far a typical avatar stays from the closest real record: small values mean "
            "avatars sit on top of real people."
        ),
        "closest_distances_ratio": (
            "For a typical avatar, its distance to the closest real record divided by its "
            "distance to the second closest: near 0, an avatar points at one isolated person."
        ),
        "closest_rate": (
            "The share of avatars that are not both very close to one real record and isolated "
            "near it."
        ),
        "row_direct_match_protection": (
            "The share of avatar rows that are not an exact copy of a real person's row."
        ),
        "column_direct_match_protection": (
            "For the worst column, the share of avatars that do not carry a value only one real "
            "person has."
        ),
        "categorical_hidden_rate": (
            "The hidden rate when an attacker matches people on their categorical answers only."
        ),
        "correlation_protection_rate": (
            "The share of people an attacker who knows some of their variables cannot link to "
            "their avatar."
        ),
        "inference_continuous": (
            "How wrong, in percent of its range, an attacker's guess of a person's sensitive "
            "number is when read from the avatars most like them."
        ),
        "inference_categorical": (
            "How often, in percent, an attacker guessing a person's sensitive category from the "
            "avatars most like them is wrong."
        ),
        "hellinger_mean": (
            "How far, on average over the variables, each avatar distribution is from the "
            "original one (0 identical, 1 disjoint)."
        ),
        "hellinger_std": "How much that distance varies from one variable to another.",
        "correlation_difference_ratio": (
            "How much the correlations between variables changed, in correlation percentage "
            "points on average."
        ),
        "specific_hidden_rate": (
            "The hidden rate when only the part of each trajectory the attacker knows (its "
            "start, middle or end) is compared."
        ),
        "features_inference_rate": (
            "How often, in percent, an attacker who knows some features of a trip (length, "
            "duration, speed) fails to guess another within 10 %."
        ),
        "features_correlation_protection_rate": (
            "The share of trajectories an attacker who knows some of their features cannot "
            "link to their treated trajectory."
        ),
        "thresholded_signal_inference_rate": (
            "The share of trajectories whose start or end point an attacker holding part of "
            "the trace guesses farther than the scenario's threshold."
        ),
        "trace_correlation_protection_rate": (
            "The share of trajectories an attacker holding part of the trace cannot link to "
            "their treated trajectory."
        ),
    }
)
"""One plain sentence per metric: what it means for a person in the data."""

METRIC_FIXES: Mapping[str, str] = types.MappingProxyType(
    {
        "hidden_rate": "raise k so that each avatar mixes more individuals",
        "local_cloaking": "raise k so that each avatar mixes more individuals",
        "distance_to_closest": "raise k, or lower ncp so that neighbours are found more broadly",
        "closest_distances_ratio": "raise k; isolated individuals are the ones at risk",
        "closest_rate": "raise k; look at the outliers the closest avatars come from",
        "row_direct_match_protection": (
            "raise k, or add variables: with few discrete columns many rows are copies by chance"
        ),
        "column_direct_match_protection": (
            "round or group the unique values of the worst column before avatarization"
        ),
        "categorical_hidden_rate": "raise k, or group rare modalities of categorical columns",
        "correlation_protection_rate": "raise k, or give the known variables a lower weight",
        "inference_continuous": "raise k, or give the known variables a lower weight",
        "inference_categorical": "raise k, or give the known variables a lower weight",
        "hellinger_mean": "lower k, or raise ncp, so that avatars stay closer to the originals",
        "hellinger_std": "look at the variables with the largest Hellinger distance",
        "correlation_difference_ratio": "raise ncp so that the projection keeps more structure",
        "specific_hidden_rate": "treat the known part of the trips more strongly (trim or noise)",
        "features_inference_rate": "perturb trip lengths, durations or speeds more",
        "features_correlation_protection_rate": "perturb trip lengths, durations or speeds more",
        "thresholded_signal_inference_rate": "move or trim the start and end points of the trips",
        "trace_correlation_protection_rate": "treat the known part of the trips more strongly",
    }
)
"""What usually fixes a metric that misses its target (used by the conclusion)."""


@dataclass(frozen=True)
class ColumnInfo:
    """One column of a dataset as declared on the server."""

    label: str
    type: str
    is_identifier: bool = False


@dataclass(frozen=True)
class DatasetInfo:
    """Identity of one dataset used by the report."""

    role: DatasetRole
    id: str
    name: str | None
    sha256: str
    rows: int
    columns: int
    column_types: list[ColumnInfo]
    created_at: str | None = None
    filetype: str | None = None


@dataclass(frozen=True)
class Provenance:
    """Who made the report, from which jobs, with which software."""

    report_id: str
    kind: ReportKind
    created_at: str
    server_version: str
    engine_version: str
    avatarization_job_id: str | None
    privacy_job_id: str
    signal_job_id: str | None
    """None for a geolocation privacy report (no signal job)."""
    avatarization_job_created_at: str | None = None
    privacy_job_created_at: str | None = None
    signal_job_created_at: str | None = None


@dataclass(frozen=True)
class AvatarizationSettings:
    """Every parameter of the avatarization (absent for a report from data)."""

    k: int
    ncp: int | None
    ncp_used: int | None
    column_weights: dict[str, float] | None
    imputation_method: str
    imputation_k: int
    imputation_training_fraction: float
    seed: int | None
    to_categorical_threshold: int | None = None


@dataclass(frozen=True)
class MetricSettings:
    """The settings the privacy and signal metrics were computed with: enough to recompute them.

    ``variables`` are the compared columns (identifiers excluded), ``categorical`` those the
    engine treated as categorical.
    """

    ncp: int | None
    imputation_method: str
    imputation_k: int
    imputation_training_fraction: float
    seed: int | None
    known_variables: list[str] | None
    target: str | None
    closest_rate_percentage_threshold: float
    closest_rate_ratio_threshold: float
    variables: list[str]
    categorical: list[str]

    @classmethod
    def unknown(cls) -> MetricSettings:
        """The settings a report shows when its jobs recorded none."""
        return cls(
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


@dataclass(frozen=True)
class Parameters:
    """Every parameter behind the report, including the seed."""

    avatarization: AvatarizationSettings | None
    metrics: MetricSettings
    raw_avatarization: dict[str, Any] | None = None
    raw_privacy: dict[str, Any] | None = None
    raw_signal: dict[str, Any] | None = None


@dataclass(frozen=True)
class MetricResult:
    """One metric against its target.

    ``target`` is the wire string (``"> 90%"``), ``threshold`` and ``direction`` its parsed
    form; ``passed`` is None when the value or the target is undefined.
    """

    name: str
    value: float | None
    target: str | None
    threshold: float | None
    direction: Direction | None
    passed: bool | None
    meaning: str


@dataclass(frozen=True)
class PrivacySection:
    """The eleven privacy metrics (order of ``PRIVACY_METRIC_NAMES``) and local-cloaking shares.

    Shares are percentages of the individuals; None when the job did not record them.
    """

    metrics: list[MetricResult]
    local_cloaking_zero_share: float | None
    local_cloaking_at_most_5_share: float | None = None
    local_cloaking_mean: float | None = None
    worst_column: str | None = None


@dataclass(frozen=True)
class VariableHellinger:
    name: str
    value: float


@dataclass(frozen=True)
class SignalSection:
    """The three signal metrics (order of ``SIGNAL_METRIC_NAMES``) and per-variable Hellinger."""

    metrics: list[MetricResult]
    hellinger_per_variable: list[VariableHellinger]


@dataclass(frozen=True)
class ProjectionSample:
    """Originals and their own avatars in the first projection axes, sampled.

    ``original[i]`` and ``avatars[i]`` are the coordinates (first ``len(axes)`` axes) of the
    same individual; at most a few thousand individuals are kept, drawn with ``sample_seed``.
    """

    axes: list[str]
    original: list[list[float]]
    avatars: list[list[float]]
    n_total: int
    n_sampled: int
    sample_seed: int


@dataclass(frozen=True)
class ExplainedVarianceData:
    """Eigenvalue and share of total variance of the leading components, in order."""

    components: list[str]
    raw: list[float]
    ratio: list[float]


@dataclass(frozen=True)
class ContributionsData:
    """Contribution in percent of each variable to each component (each component sums to 100).

    ``values[v][c]`` is the contribution of ``variables[v]`` to ``components[c]``.
    """

    dataset: DatasetRole
    components: list[str]
    variables: list[str]
    values: list[list[float]]


@dataclass(frozen=True)
class VariableDistribution:
    """One variable's distribution, original vs avatars, binned; shares in [0, 1].

    Continuous and datetime variables: ``bin_edges`` has ``len(labels) + 1`` edges (datetime
    edges are epoch seconds) and ``labels`` name the bins. Categorical variables: one label per
    modality (the rarest grouped as ``"other"`` beyond a few dozen), ``bin_edges`` None.
    Missing values are counted apart in ``*_missing``.
    """

    name: str
    kind: VariableKind
    labels: list[str]
    bin_edges: list[float] | None
    original: list[float]
    avatars: list[float]
    original_missing: float
    avatars_missing: float
    hellinger: float | None = None


@dataclass(frozen=True)
class CorrelationData:
    """Association matrices of the variables, original, avatars and avatars − original.

    Continuous pairs: Pearson r; a categorical with a continuous variable: correlation ratio η;
    two categorical variables: Cramér's V. None where undefined (a constant column).
    """

    variables: list[str]
    original: list[list[float | None]]
    avatars: list[list[float | None]]
    difference: list[list[float | None]]
    method: str = "pearson r / correlation ratio / Cramér's V"


@dataclass(frozen=True)
class DistributionData:
    """Distribution of a per-individual privacy quantity, binned, against its target.

    ``counts[b]`` individuals fall in [bin_edges[b], bin_edges[b + 1]) (the last bin is closed);
    ``median`` is the value reported as the metric; ``threshold`` the target's value.
    """

    name: str
    bin_edges: list[float]
    counts: list[int]
    median: float | None
    threshold: float | None
    n: int


@dataclass(frozen=True)
class Figures:
    """Everything the figures need, bounded in size. A field is None when the data were not
    available for this report (for example a report built from a job that stored no model)."""

    projection: ProjectionSample | None
    explained_variance: ExplainedVarianceData | None
    contributions: ContributionsData | None
    distributions: list[VariableDistribution]
    correlations: CorrelationData | None
    local_cloaking: DistributionData | None
    distance_to_closest: DistributionData | None
    closest_distances_ratio: DistributionData | None


@dataclass(frozen=True)
class FailedTarget:
    name: str
    value: float | None
    target: str
    fix: str


@dataclass(frozen=True)
class Conclusion:
    """Which targets fail and what usually fixes them; ``summary`` is one or two sentences."""

    all_passed: bool
    failed: list[FailedTarget]
    summary: str


@dataclass(frozen=True)
class BatchRow:
    """One batch of a batch report: its original dataset and that batch's own metrics.

    ``privacy`` and ``signal`` hold every metric the batch metrics jobs recorded for the batch
    (name → value, None where undefined); the training batch has ``index`` 0.
    """

    index: int
    training: bool
    original_id: str
    name: str | None
    rows: int | None
    avatars_id: str | None
    unshuffled_avatars_id: str | None
    privacy: dict[str, float | None]
    signal: dict[str, float | None]


@dataclass(frozen=True)
class GeolocationScenarioResult:
    """One scenario of a geolocation privacy job: its metrics against their targets.

    ``parameters`` is the scenario as the job echoed it (defaults filled in); ``summary`` says
    in words what the attacker holds. ``inference_distance_median`` is the median of the
    job's ``inference_distances`` (m), None when it has none.
    """

    index: int
    summary: str
    parameters: dict[str, Any]
    metrics: list[MetricResult]
    inference_distance_median: float | None = None
    inference_distance_count: int = 0


@dataclass(frozen=True)
class TrajectorySample:
    """A seeded sample of trajectories of both tables, paired by identifier, for the map.

    Flat point lists, trajectory after trajectory (each sorted by time and thinned to at most
    ``max_points`` points): ``*_ids[p]`` is the trajectory of point p. At most
    ``n_sampled × max_points`` points per table whatever the size of the data.
    """

    original_ids: list[str]
    original_lat: list[float]
    original_lon: list[float]
    avatars_ids: list[str]
    avatars_lat: list[float]
    avatars_lon: list[float]
    n_total: int
    n_sampled: int
    max_points: int
    sample_seed: int


@dataclass(frozen=True)
class GeolocationSection:
    """A geolocation privacy report: one entry per scenario (request order) and the map data
    (None when the job ran before trajectories were recorded for reports)."""

    scenarios: list[GeolocationScenarioResult]
    trajectories: TrajectorySample | None
    id_column: str = "id"
    n_trajectories: int | None = None


@dataclass(frozen=True)
class ReportContent:
    """The whole report: identity, parameters, privacy, signal, figures, conclusion."""

    title: str
    provenance: Provenance
    datasets: list[DatasetInfo]
    parameters: Parameters
    privacy: PrivacySection
    signal: SignalSection
    figures: Figures
    conclusion: Conclusion
    schema_version: int = SCHEMA_VERSION
    batches: list[BatchRow] = field(default_factory=list)
    """Batch reports only: one row per batch, training batch first (empty otherwise)."""
    notes: list[str] = field(default_factory=list)
    """Sentences the renderers print before the figures (what this kind of report leaves out)."""
    geolocation: GeolocationSection | None = None
    """Geolocation privacy reports only: the scenarios and the trajectory sample."""

    def dataset(self, role: DatasetRole) -> DatasetInfo | None:
        """The dataset playing ``role``, or None."""
        return next((d for d in self.datasets if d.role == role), None)

    def metric(self, name: str) -> MetricResult | None:
        """The privacy or signal metric named ``name``, or None."""
        return next((m for m in self.privacy.metrics + self.signal.metrics if m.name == name), None)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-compatible data (non-finite floats become None)."""
        return typing.cast(dict[str, Any], _plain(dataclasses.asdict(self)))

    def to_json(self, *, indent: int | None = 2) -> str:
        """The JSON evidence: every value of the report, strict JSON (no NaN)."""
        return json.dumps(self.to_dict(), indent=indent, allow_nan=False, ensure_ascii=False)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ReportContent:
        """Rebuild from :meth:`to_dict` output; unknown keys are ignored.

        Raises:
            ValueError: a required field is missing or has the wrong type.
        """
        return _build(cls, data, "report")

    @classmethod
    def from_json(cls, text: str | bytes) -> ReportContent:
        """Rebuild from :meth:`to_json` output.

        Raises:
            ValueError: not JSON, or not a report of a known schema version.
        """
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValueError(f"not a JSON report: {exc}") from exc
        if not isinstance(data, dict):
            raise ValueError("not a JSON report: the top level must be an object")
        version = data.get("schema_version", SCHEMA_VERSION)
        if not isinstance(version, int) or version > SCHEMA_VERSION:
            raise ValueError(
                f"report schema version {version!r} is newer than this server's "
                f"({SCHEMA_VERSION}); upgrade avatars"
            )
        return cls.from_dict(data)


def parse_target(target: str | None) -> tuple[float | None, Direction | None]:
    """``"> 90%"`` → (90.0, "higher"), ``"< 0.1"`` → (0.1, "lower"); (None, None) otherwise."""
    if not target:
        return None, None
    text = target.strip()
    direction: Direction | None = (
        "higher" if text.startswith(">") else "lower" if text.startswith("<") else None
    )
    try:
        threshold = float(text.lstrip("<>= ").rstrip("% "))
    except ValueError:
        return None, None
    return (threshold, direction) if direction else (None, None)


def metric_result(name: str, value: float | None, target: str | None) -> MetricResult:
    """A metric against its target; it passes when it meets the target strictly (§5.13)."""
    threshold, direction = parse_target(target)
    if value is not None and not math.isfinite(value):
        value = None
    passed: bool | None = None
    if value is not None and threshold is not None:
        passed = value > threshold if direction == "higher" else value < threshold
    return MetricResult(
        name=name,
        value=value,
        target=target,
        threshold=threshold,
        direction=direction,
        passed=passed,
        meaning=METRIC_MEANINGS.get(name, ""),
    )


def conclude(metrics: list[MetricResult]) -> Conclusion:
    """The conclusion: every metric that misses its target, with what usually fixes it."""
    failed = [
        FailedTarget(m.name, m.value, m.target or "", METRIC_FIXES.get(m.name, ""))
        for m in metrics
        if m.passed is False
    ]
    if not failed:
        summary = "Every metric with a target meets it."
    else:
        names = ", ".join(f.name for f in failed)
        fixes = "; ".join(dict.fromkeys(f"{f.name}: {f.fix}" for f in failed))
        summary = f"{len(failed)} metric(s) miss their target: {names}. Usually: {fixes}."
    return Conclusion(all_passed=not failed, failed=failed, summary=summary)


_ROLES: tuple[DatasetRole, ...] = ("original", "avatars", "unshuffled_avatars")


def example_content() -> ReportContent:
    """A small, complete, deterministic report (for renderer tests and documentation)."""
    privacy_values = [95.0, 12.0, 0.8, 0.6, 99.0, 100.0, 45.0, 93.0, None, None, None]
    targets = {
        "hidden_rate": "> 90%",
        "local_cloaking": "> 5",
        "distance_to_closest": "> 0.2",
        "closest_distances_ratio": "> 0.3",
        "closest_rate": "> 90%",
        "row_direct_match_protection": "> 90%",
        "column_direct_match_protection": "> 50%",
        "categorical_hidden_rate": "> 90%",
        "correlation_protection_rate": "> 95%",
        "inference_continuous": "> 10",
        "inference_categorical": "> 10%",
    }
    privacy = [
        metric_result(n, v, targets[n])
        for n, v in zip(PRIVACY_METRIC_NAMES, privacy_values, strict=True)
    ]
    signal = [
        metric_result("hellinger_mean", 0.05, "< 0.1"),
        metric_result("hellinger_std", 0.02, None),
        metric_result("correlation_difference_ratio", 4.0, "< 10%"),
    ]
    names = ["sepal_length", "variety"]
    columns = [ColumnInfo("sepal_length", "float"), ColumnInfo("variety", "category")]
    datasets = [
        DatasetInfo(
            role,
            f"00000000-0000-4000-8000-00000000000{i}",
            "iris",
            "0" * 64,
            150,
            2,
            columns,
            "2026-01-01T00:00:00Z",
            "csv",
        )
        for i, role in enumerate(_ROLES)
    ]
    histogram = DistributionData(
        "local_cloaking", [0.0, 5.0, 10.0, 15.0], [10, 60, 80], 12.0, 5.0, 150
    )
    return ReportContent(
        title="Avatarization report: iris",
        provenance=Provenance(
            report_id="00000000-0000-4000-8000-000000000010",
            kind="avatarization",
            created_at="2026-01-01T00:00:00Z",
            server_version="0.1.0",
            engine_version="0.1.0",
            avatarization_job_id="00000000-0000-4000-8000-000000000011",
            privacy_job_id="00000000-0000-4000-8000-000000000011",
            signal_job_id="00000000-0000-4000-8000-000000000011",
        ),
        datasets=datasets,
        parameters=Parameters(
            avatarization=AvatarizationSettings(20, None, 2, None, "knn", 5, 1.0, 42),
            metrics=MetricSettings(2, "knn", 5, 1.0, 42, None, None, 0.3, 0.3, names, ["variety"]),
        ),
        privacy=PrivacySection(privacy, 4.0, 20.0, 12.5, "sepal_length"),
        signal=SignalSection(signal, [VariableHellinger(n, 0.05) for n in names]),
        figures=Figures(
            projection=ProjectionSample(
                ["Dim. 1", "Dim. 2"], [[0.0, 1.0], [1.0, 0.5]], [[0.1, 0.9], [0.8, 0.6]], 150, 2, 0
            ),
            explained_variance=ExplainedVarianceData(
                ["Dim. 1", "Dim. 2"], [1.5, 0.5], [0.75, 0.25]
            ),
            contributions=ContributionsData(
                "original", ["Dim. 1", "Dim. 2"], names, [[60.0, 40.0], [40.0, 60.0]]
            ),
            distributions=[
                VariableDistribution(
                    "sepal_length",
                    "continuous",
                    ["4.3-6.1", "6.1-7.9"],
                    [4.3, 6.1, 7.9],
                    [0.6, 0.4],
                    [0.65, 0.35],
                    0.0,
                    0.0,
                    0.05,
                ),
                VariableDistribution(
                    "variety",
                    "categorical",
                    ["setosa", "virginica"],
                    None,
                    [0.5, 0.5],
                    [0.48, 0.52],
                    0.0,
                    0.0,
                    0.02,
                ),
            ],
            correlations=CorrelationData(
                names,
                [[1.0, 0.8], [0.8, 1.0]],
                [[1.0, 0.7], [0.7, 1.0]],
                [[0.0, -0.1], [-0.1, 0.0]],
            ),
            local_cloaking=histogram,
            distance_to_closest=DistributionData(
                "distance_to_closest", [0.0, 0.5, 1.0, 1.5], [20, 70, 60], 0.8, 0.2, 150
            ),
            closest_distances_ratio=DistributionData(
                "closest_distances_ratio", [0.0, 0.5, 1.0], [50, 100], 0.6, 0.3, 150
            ),
        ),
        conclusion=conclude(privacy + signal),
    )


# ---------------------------------------------------------------- (de)serialisation helpers

_T = TypeVar("_T")


def from_plain(cls: type[_T], data: Any) -> _T:
    """Any content dataclass from its ``dataclasses.asdict`` form (what ``to_dict`` gives).

    Raises:
        ValueError: a required field is missing or has the wrong type.
    """
    return _build(cls, data, cls.__name__)


def _plain(value: Any) -> Any:
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _build(cls: type[_T], data: Any, where: str) -> _T:
    if not isinstance(data, Mapping):
        raise ValueError(f"{where}: expected an object, got {type(data).__name__}")
    hints = typing.get_type_hints(cls)
    kwargs: dict[str, Any] = {}
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        if f.name not in data:
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                raise ValueError(f"{where}.{f.name}: missing")
            continue
        kwargs[f.name] = _convert(hints[f.name], data[f.name], f"{where}.{f.name}")
    return cls(**kwargs)


def _convert(hint: Any, value: Any, where: str) -> Any:
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        errors = []
        for arg in (a for a in args if a is not type(None)):
            try:
                return _convert(arg, value, where)
            except ValueError as exc:
                errors.append(str(exc))
        raise ValueError(errors[0] if errors else f"{where}: unexpected null")
    if hint is Any:
        return value
    if origin is typing.Literal:
        if value not in args:
            raise ValueError(f"{where}: expected one of {list(args)}, got {value!r}")
        return value
    if origin is list:
        if not isinstance(value, list):
            raise ValueError(f"{where}: expected a list")
        return [_convert(args[0], v, f"{where}[{i}]") for i, v in enumerate(value)]
    if origin is dict:
        if not isinstance(value, Mapping):
            raise ValueError(f"{where}: expected an object")
        return {str(k): _convert(args[1], v, f"{where}.{k}") for k, v in value.items()}
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        return _build(hint, value, where)
    if hint is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"{where}: expected a number, got {value!r}")
        return float(value)
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"{where}: expected an integer, got {value!r}")
        return value
    if hint is bool or hint is str:
        if not isinstance(value, hint):
            raise ValueError(f"{where}: expected {hint.__name__}, got {value!r}")
        return value
    return value


__all__ = [
    "BATCH_TABLE_PRIVACY",
    "BATCH_TABLE_SIGNAL",
    "METRIC_FIXES",
    "METRIC_MEANINGS",
    "PRIVACY_METRIC_NAMES",
    "SCHEMA_VERSION",
    "SIGNAL_METRIC_NAMES",
    "AvatarizationSettings",
    "BatchRow",
    "ColumnInfo",
    "Conclusion",
    "ContributionsData",
    "CorrelationData",
    "DatasetInfo",
    "DistributionData",
    "ExplainedVarianceData",
    "FailedTarget",
    "Figures",
    "GeolocationScenarioResult",
    "GeolocationSection",
    "MetricResult",
    "MetricSettings",
    "Parameters",
    "PrivacySection",
    "ProjectionSample",
    "Provenance",
    "ReportContent",
    "SignalSection",
    "TrajectorySample",
    "VariableDistribution",
    "VariableHellinger",
    "conclude",
    "example_content",
    "from_plain",
    "metric_result",
    "parse_target",
]
