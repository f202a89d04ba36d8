"""Parameters of avatarization and metrics, their targets, and the checks that need no data."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from numbers import Integral, Real
from types import MappingProxyType

from avatars_server.engine.errors import AvatarError

IMPUTATION_METHODS: tuple[str, ...] = ("knn", "mode", "median", "mean", "fast_knn")
EXCLUDE_REPLACEMENT_STRATEGIES: tuple[str, ...] = ("row_order", "coordinate_similarity")
RARE_REPLACEMENT_STRATEGIES: tuple[str, ...] = ("most_similar", "probabilistic", "missing")
SEED_LIMIT = 2**63
DEFAULT_MAX_DIMENSIONS = 10_000
DEFAULT_NCP = 5

PRIVACY_TARGETS: Mapping[str, str] = MappingProxyType(
    {
        "hidden_rate": "> 90%",
        "local_cloaking": "> 5",
        "distance_to_closest": "> 0.2",
        "closest_distances_ratio": "> 0.3",
        "column_direct_match_protection": "> 50%",
        "categorical_hidden_rate": "> 90%",
        "row_direct_match_protection": "> 90%",
        "correlation_protection_rate": "> 95%",
        "inference_continuous": "> 10",
        "inference_categorical": "> 10%",
        "closest_rate": "> 90%",
    }
)
GEOLOCATION_TARGETS: Mapping[str, str] = MappingProxyType(
    {
        "hidden_rate": "> 90%",
        "local_cloaking": "> 5",
        "closest_distances_ratio": "> 0.3",
        "closest_rate": "> 90%",
        "specific_hidden_rate": "> 90%",
        "trace_correlation_protection_rate": "> 95%",
        "features_correlation_protection_rate": "> 95%",
        "features_inference_rate": "> 10%",
        "thresholded_signal_inference_rate": "> 10%",
    }
)
"""Targets of the geolocation privacy metrics in reports (docs/method.md §12; not on the wire).
``distance_to_closest`` has none: its unit is the scenario's projection (Hellinger or z-scored
features)."""
SIGNAL_TARGETS: Mapping[str, str] = MappingProxyType(
    {"hellinger_mean": "< 0.1", "correlation_difference_ratio": "< 10%"}
)


@dataclass(frozen=True)
class ImputationConfig:
    """How missing continuous values are filled before projecting (method.md §3.3)."""

    method: str = "knn"
    k: int = 5
    training_fraction: float = 1.0


@dataclass(frozen=True)
class ExcludeCategoricalConfig:
    """High-cardinality categorical columns kept out of the projection (``exclude_categorical``,
    avatar-api.md §3.6; docs/method.md §3.13).

    Attributes:
        exclude_cardinality_threshold: categorical columns with at least this many observed
            modalities are excluded (>= 1).
        exclude_replacement_strategy: ``row_order`` (avatar i takes original i's value: links
            avatar to original) or ``coordinate_similarity`` (the value of the nearest
            reference record in the projection).
        rare_occurence_threshold: modalities occurring at most this many times are rare (>= 0).
        rare_replacement_strategy: ``most_similar``, ``probabilistic`` or ``missing``.
        number_reference_records: reference records sampled for ``coordinate_similarity``
            (None: every row); raised to the number of distinct combinations of excluded
            values, capped at the row count.
    """

    exclude_cardinality_threshold: int
    exclude_replacement_strategy: str
    rare_occurence_threshold: int
    rare_replacement_strategy: str = "most_similar"
    number_reference_records: int | None = None


@dataclass(frozen=True)
class AvatarizationConfig:
    """Parameters of one avatarization (method.md §2.1)."""

    k: int
    ncp: int | None = None
    column_weights: Mapping[str, float] | None = None
    imputation: ImputationConfig = field(default_factory=ImputationConfig)
    seed: int | None = None
    exclude_categorical: ExcludeCategoricalConfig | None = None


@dataclass(frozen=True)
class PrivacyConfig:
    """Parameters of the privacy metrics (method.md §4-§5).

    ``categorical_hidden_rate_variables`` restricts §5.8 to some columns (default: every
    categorical column).
    """

    ncp: int | None = None
    imputation: ImputationConfig = field(default_factory=ImputationConfig)
    known_variables: Sequence[str] | None = None
    target: str | None = None
    closest_rate_percentage_threshold: float = 0.3
    closest_rate_ratio_threshold: float = 0.3
    seed: int | None = None
    categorical_hidden_rate_variables: Sequence[str] | None = None


def _is_int(value: object) -> bool:
    return isinstance(value, Integral) and not isinstance(value, bool)


def _is_real(value: object) -> bool:
    return isinstance(value, Real) and not isinstance(value, bool)


def check_columns(columns: Sequence[str]) -> None:
    """Raise ``DUPLICATE_COLUMN`` when two columns share a name."""
    duplicated = sorted(str(name) for name, count in Counter(columns).items() if count > 1)
    if duplicated:
        raise AvatarError(
            "DUPLICATE_COLUMN",
            f"column names must be unique; duplicated: {', '.join(duplicated)}",
            field=duplicated[0],
        )


def check_k(k: object, n_rows: int) -> None:
    """Raise ``INVALID_K`` unless k is an int in [1, n_rows - 1]."""
    if not _is_int(k) or not 1 <= int(k) <= n_rows - 1:  # type: ignore[call-overload]
        raise AvatarError(
            "INVALID_K",
            f"k must be an integer between 1 and n−1 = {n_rows - 1}, got {k!r}",
            field="k",
        )


def check_ncp(ncp: object, upper: int | None, *, what: str = "n") -> None:
    """Raise ``INVALID_NCP`` unless ncp is an int in [1, upper] (upper None: only ncp >= 1)."""
    if not _is_int(ncp) or int(ncp) < 1:  # type: ignore[call-overload]
        bound = f"between 1 and {what} = {upper}" if upper is not None else "at least 1"
        raise AvatarError("INVALID_NCP", f"ncp must be an integer {bound}, got {ncp!r}", "ncp")
    if upper is not None and int(ncp) > upper:  # type: ignore[call-overload]
        raise AvatarError(
            "INVALID_NCP",
            f"ncp must be an integer between 1 and {what} = {upper}, got {ncp}",
            "ncp",
        )


def check_imputation(imputation: ImputationConfig, prefix: str = "imputation") -> None:
    """Raise ``INVALID_IMPUTATION`` for an unknown method, k < 1 or a fraction outside (0, 1]."""
    if imputation.method not in IMPUTATION_METHODS:
        raise AvatarError(
            "INVALID_IMPUTATION",
            f"imputation method must be one of {', '.join(IMPUTATION_METHODS)}, "
            f"got {imputation.method!r}",
            field=f"{prefix}.method",
        )
    if not _is_int(imputation.k) or imputation.k < 1:
        raise AvatarError(
            "INVALID_IMPUTATION",
            f"imputation k must be an integer >= 1, got {imputation.k!r}",
            field=f"{prefix}.k",
        )
    fraction = imputation.training_fraction
    if not _is_real(fraction) or not math.isfinite(fraction) or not 0 < fraction <= 1:
        raise AvatarError(
            "INVALID_IMPUTATION",
            f"imputation training_fraction must be in (0, 1], got {fraction!r}",
            field=f"{prefix}.training_fraction",
        )


def check_exclude_categorical(
    exclude: ExcludeCategoricalConfig, prefix: str = "exclude_categorical"
) -> None:
    """Raise ``INVALID_EXCLUDE_CATEGORICAL`` for a parameter outside its range."""

    def fail(name: str, message: str) -> AvatarError:
        return AvatarError("INVALID_EXCLUDE_CATEGORICAL", message, f"{prefix}.{name}")

    threshold = exclude.exclude_cardinality_threshold
    if not _is_int(threshold) or threshold < 1:
        raise fail("exclude_cardinality_threshold", f"must be an integer >= 1, got {threshold!r}")
    if exclude.exclude_replacement_strategy not in EXCLUDE_REPLACEMENT_STRATEGIES:
        raise fail(
            "exclude_replacement_strategy",
            f"must be one of {', '.join(EXCLUDE_REPLACEMENT_STRATEGIES)}, "
            f"got {exclude.exclude_replacement_strategy!r}",
        )
    rare = exclude.rare_occurence_threshold
    if not _is_int(rare) or rare < 0:
        raise fail("rare_occurence_threshold", f"must be an integer >= 0, got {rare!r}")
    if exclude.rare_replacement_strategy not in RARE_REPLACEMENT_STRATEGIES:
        raise fail(
            "rare_replacement_strategy",
            f"must be one of {', '.join(RARE_REPLACEMENT_STRATEGIES)}, "
            f"got {exclude.rare_replacement_strategy!r}",
        )
    records = exclude.number_reference_records
    if records is not None and (not _is_int(records) or records < 1):
        raise fail("number_reference_records", f"must be null or an integer >= 1, got {records!r}")


def check_seed(seed: object) -> None:
    """Raise ``INVALID_SEED`` unless seed is None or an int in [0, 2**63)."""
    if seed is None:
        return
    if not _is_int(seed) or not 0 <= int(seed) < SEED_LIMIT:  # type: ignore[call-overload]
        raise AvatarError(
            "INVALID_SEED", f"seed must be null or an integer in [0, 2^63), got {seed!r}", "seed"
        )


def check_avatarization_parameters(
    config: AvatarizationConfig,
    *,
    columns: Sequence[str],
    n_rows: int,
    identifiers: Sequence[str] = (),
) -> None:
    """Check everything that does not need the data values (method.md §2.3).

    The bound ncp <= D_enc needs the modalities, so :func:`avatarize` checks it.

    Args:
        config: the avatarization parameters.
        columns: the dataset's column names, identifiers included.
        n_rows: number of rows of the dataset.
        identifiers: columns to drop before avatarization.

    Raises:
        AvatarError: with the code of the first failing rule.
    """
    check_columns(columns)
    known = set(columns)
    for name in identifiers:
        if name not in known:
            raise AvatarError(
                "UNKNOWN_COLUMN",
                f"identifier {name!r} is not a column of the dataset",
                "identifiers",
            )
    variables = [c for c in columns if c not in set(identifiers)]
    if not variables:
        raise AvatarError("NO_VARIABLES", "no column is left after removing the identifiers")
    if n_rows < 2:
        raise AvatarError(
            "TOO_FEW_ROWS", f"avatarization needs at least 2 rows, got {n_rows}", field=None
        )
    check_k(config.k, n_rows)
    if config.ncp is not None:
        check_ncp(config.ncp, n_rows)
    _check_weights(config.column_weights, variables, identifiers)
    check_imputation(config.imputation)
    check_seed(config.seed)
    if config.exclude_categorical is not None:
        check_exclude_categorical(config.exclude_categorical)


def _check_weights(
    weights: Mapping[str, float] | None, variables: Sequence[str], identifiers: Sequence[str]
) -> None:
    if weights is None:
        return
    known = set(variables)
    for name, weight in weights.items():
        if name in set(identifiers):
            raise AvatarError(
                "INVALID_COLUMN_WEIGHT",
                f"column_weights cannot weight the identifier column {name!r}",
                "column_weights",
            )
        if name not in known:
            raise AvatarError(
                "UNKNOWN_COLUMN",
                f"column_weights key {name!r} is not a column of the dataset",
                "column_weights",
            )
        if not _is_real(weight) or not math.isfinite(weight) or weight <= 0:
            raise AvatarError(
                "INVALID_COLUMN_WEIGHT",
                f"column_weights[{name!r}] must be a finite number > 0, got {weight!r}",
                "column_weights",
            )


def check_categorical_hidden_rate_variables(
    variables: Sequence[str], categorical: Collection[str]
) -> None:
    """Raise ``INVALID_METRIC_PARAMETER`` naming the requested variables that are not categorical
    (method.md §5.8: they are an error, never dropped)."""
    known = set(categorical)
    wrong = [str(name) for name in variables if name not in known]
    if wrong:
        raise AvatarError(
            "INVALID_METRIC_PARAMETER",
            f"categorical_hidden_rate_variables must be categorical columns; not categorical: "
            f"{', '.join(repr(name) for name in wrong)}",
            "categorical_hidden_rate_variables",
        )


def check_privacy_parameters(
    config: PrivacyConfig,
    *,
    columns: Sequence[str],
    categorical: Collection[str] | None = None,
) -> None:
    """Check the privacy-metric parameters against the column names (method.md §2.3, §5).

    Args:
        config: the metric parameters.
        columns: the dataset's variables (identifiers removed).
        categorical: the categorical ones among them, when known (then a
            ``categorical_hidden_rate_variables`` entry that is not one of them is an error).

    Raises:
        AvatarError: ``INVALID_NCP``, ``INVALID_IMPUTATION``, ``UNKNOWN_COLUMN``,
            ``INVALID_METRIC_PARAMETER`` or ``INVALID_SEED``.
    """
    check_columns(columns)
    if config.ncp is not None:
        check_ncp(config.ncp, None)
    check_imputation(config.imputation)
    known = set(columns)
    known_variables = list(config.known_variables or [])
    for name in known_variables:
        if name not in known:
            raise AvatarError(
                "UNKNOWN_COLUMN", f"known variable {name!r} is not a column", "known_variables"
            )
    for name in config.categorical_hidden_rate_variables or []:
        if name not in known:
            raise AvatarError(
                "UNKNOWN_COLUMN",
                f"categorical_hidden_rate variable {name!r} is not a column",
                "categorical_hidden_rate_variables",
            )
    if config.categorical_hidden_rate_variables is not None and categorical is not None:
        check_categorical_hidden_rate_variables(
            config.categorical_hidden_rate_variables, categorical
        )
    if config.target is not None:
        if config.target not in known:
            raise AvatarError(
                "UNKNOWN_COLUMN", f"target {config.target!r} is not a column", "target"
            )
        if not known_variables:
            raise AvatarError(
                "INVALID_METRIC_PARAMETER", "target requires known_variables", field="target"
            )
        if config.target in known_variables:
            raise AvatarError(
                "INVALID_METRIC_PARAMETER",
                f"target {config.target!r} must not be one of the known_variables",
                field="target",
            )
    _check_range(
        config.closest_rate_percentage_threshold, 100.0, "closest_rate_percentage_threshold"
    )
    _check_range(config.closest_rate_ratio_threshold, 1.0, "closest_rate_ratio_threshold")
    check_seed(config.seed)


def _check_range(value: object, upper: float, name: str) -> None:
    if not _is_real(value) or not 0 <= float(value) <= upper:  # type: ignore[arg-type]
        raise AvatarError(
            "INVALID_METRIC_PARAMETER",
            f"{name} must be a number in [0, {upper:g}], got {value!r}",
            name,
        )
