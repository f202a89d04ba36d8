"""Parameter checks: every code of method.md §2.3 that does not need the data."""

from __future__ import annotations

import math

import pytest

from avatars_server.engine import (
    AvatarError,
    AvatarizationConfig,
    ImputationConfig,
    PrivacyConfig,
    check_avatarization_parameters,
    check_privacy_parameters,
)

COLUMNS = ["id", "a", "b", "c"]


def _check(
    config: AvatarizationConfig, n_rows: int = 150, identifiers: tuple[str, ...] = ("id",)
) -> None:
    check_avatarization_parameters(config, columns=COLUMNS, n_rows=n_rows, identifiers=identifiers)


def test_valid_parameters_pass() -> None:
    _check(AvatarizationConfig(k=5, ncp=2, column_weights={"a": 2.0}, seed=0))


@pytest.mark.parametrize("k", [0, -1, 150, 500, 2.5, True, None])
def test_invalid_k_names_k_and_its_range(k: object) -> None:
    with pytest.raises(AvatarError) as info:
        _check(AvatarizationConfig(k=k))  # type: ignore[arg-type]
    assert info.value.code == "INVALID_K"
    assert info.value.field == "k"
    assert "n−1 = 149" in info.value.message


@pytest.mark.parametrize("ncp", [0, -3, 1.5, False, 151])
def test_invalid_ncp(ncp: object) -> None:
    with pytest.raises(AvatarError) as info:
        _check(AvatarizationConfig(k=5, ncp=ncp))  # type: ignore[arg-type]
    assert (info.value.code, info.value.field) == ("INVALID_NCP", "ncp")


def test_unknown_column_weight() -> None:
    with pytest.raises(AvatarError) as info:
        _check(AvatarizationConfig(k=5, column_weights={"nope": 1.0}))
    assert info.value.code == "UNKNOWN_COLUMN"
    assert "nope" in info.value.message


@pytest.mark.parametrize("weight", [0.0, -1.0, math.inf, math.nan])
def test_invalid_weight_value(weight: float) -> None:
    with pytest.raises(AvatarError) as info:
        _check(AvatarizationConfig(k=5, column_weights={"a": weight}))
    assert info.value.code == "INVALID_COLUMN_WEIGHT"


def test_weight_on_identifier_is_rejected() -> None:
    with pytest.raises(AvatarError) as info:
        _check(AvatarizationConfig(k=5, column_weights={"id": 1.0}))
    assert info.value.code == "INVALID_COLUMN_WEIGHT"


@pytest.mark.parametrize(
    ("imputation", "field"),
    [
        (ImputationConfig(method="magic"), "imputation.method"),
        (ImputationConfig(k=0), "imputation.k"),
        (ImputationConfig(training_fraction=0.0), "imputation.training_fraction"),
        (ImputationConfig(training_fraction=1.5), "imputation.training_fraction"),
    ],
)
def test_invalid_imputation(imputation: ImputationConfig, field: str) -> None:
    with pytest.raises(AvatarError) as info:
        _check(AvatarizationConfig(k=5, imputation=imputation))
    assert (info.value.code, info.value.field) == ("INVALID_IMPUTATION", field)


@pytest.mark.parametrize("seed", [-1, 2**63, 1.0, "1", True])
def test_invalid_seed(seed: object) -> None:
    with pytest.raises(AvatarError) as info:
        _check(AvatarizationConfig(k=5, seed=seed))  # type: ignore[arg-type]
    assert info.value.code == "INVALID_SEED"


def test_largest_seed_is_accepted() -> None:
    _check(AvatarizationConfig(k=5, seed=2**63 - 1))


def test_too_few_rows() -> None:
    with pytest.raises(AvatarError) as info:
        _check(AvatarizationConfig(k=1), n_rows=1)
    assert info.value.code == "TOO_FEW_ROWS"


def test_no_variables_and_unknown_identifier() -> None:
    with pytest.raises(AvatarError) as info:
        _check(AvatarizationConfig(k=1), identifiers=tuple(COLUMNS))
    assert info.value.code == "NO_VARIABLES"
    with pytest.raises(AvatarError) as info:
        _check(AvatarizationConfig(k=1), identifiers=("ghost",))
    assert info.value.code == "UNKNOWN_COLUMN"


def test_duplicate_column() -> None:
    with pytest.raises(AvatarError) as info:
        check_avatarization_parameters(AvatarizationConfig(k=1), columns=["a", "a"], n_rows=5)
    assert info.value.code == "DUPLICATE_COLUMN"


@pytest.mark.parametrize(
    ("config", "code"),
    [
        (PrivacyConfig(known_variables=["ghost"]), "UNKNOWN_COLUMN"),
        (PrivacyConfig(target="a"), "INVALID_METRIC_PARAMETER"),
        (PrivacyConfig(known_variables=["a"], target="a"), "INVALID_METRIC_PARAMETER"),
        (PrivacyConfig(known_variables=["a"], target="ghost"), "UNKNOWN_COLUMN"),
        (PrivacyConfig(closest_rate_percentage_threshold=101), "INVALID_METRIC_PARAMETER"),
        (PrivacyConfig(closest_rate_ratio_threshold=-0.1), "INVALID_METRIC_PARAMETER"),
        (PrivacyConfig(ncp=0), "INVALID_NCP"),
        (PrivacyConfig(imputation=ImputationConfig(method="x")), "INVALID_IMPUTATION"),
        (PrivacyConfig(seed=-5), "INVALID_SEED"),
        (PrivacyConfig(categorical_hidden_rate_variables=["ghost"]), "UNKNOWN_COLUMN"),
    ],
)
def test_privacy_parameter_errors(config: PrivacyConfig, code: str) -> None:
    with pytest.raises(AvatarError) as info:
        check_privacy_parameters(config, columns=COLUMNS)
    assert info.value.code == code


def test_valid_privacy_parameters_pass() -> None:
    check_privacy_parameters(
        PrivacyConfig(known_variables=["a", "b"], target="c", ncp=3), columns=COLUMNS
    )
