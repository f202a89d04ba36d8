"""Privacy metrics of method.md §5 on hand-computed tables."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from avatars_server.engine import (
    PRIVACY_TARGETS,
    AvatarError,
    AvatarizationConfig,
    PrivacyConfig,
    avatarize,
    check_privacy_parameters,
    compute_privacy_metrics,
)
from avatars_server.engine.distances import closest, closest_rate, linkage
from avatars_server.engine.inference import inference_categorical, inference_continuous
from avatars_server.engine.matching import (
    categorical_hidden_rate,
    column_direct_match_protection,
    joint_codes,
    row_direct_match_protection,
)

# 1-D metric space: originals 0, 10, 20, 30 and their avatars 2, 8, 12, 0.
X = np.array([[0.0], [10.0], [20.0], [30.0]])
A = np.array([[2.0], [8.0], [12.0], [0.0]])


def test_hidden_rate_and_local_cloaking_with_ties_and_closer_avatars() -> None:
    result = linkage(X, A)
    # i=0: own 2, avatar 3 at 0 is closer → π=0, LC 1. i=1: own 2, avatar 2 also at 2 →
    # π=1/2, LC 1. i=2: own 8, nearest → π=1, LC 0. i=3: own 30, three closer → π=0, LC 3.
    assert result.success.tolist() == [0.0, 0.5, 1.0, 0.0]
    assert result.cloaking.tolist() == [1, 1, 0, 3]
    assert result.hidden_rate == pytest.approx(62.5)


def test_ties_within_the_tolerance_count_as_ties() -> None:
    x = np.array([[0.0], [100.0]])
    a = np.array([[1.0], [-1.0 - 1e-12]])
    result = linkage(x, a)
    assert result.success[0] == 0.5
    assert result.cloaking[0] == 1


def test_duplicate_avatars_split_the_attacker_success() -> None:
    x = np.array([[0.0], [0.0], [0.0]])
    a = np.array([[0.0], [0.0], [5.0]])
    result = linkage(x, a)
    # i=0,1: two avatars at distance 0 → π=1/2. i=2: own avatar at 5, others closer → 0.
    assert result.success.tolist() == [0.5, 0.5, 0.0]
    assert result.cloaking.tolist() == [1, 1, 2]


def test_dcr_nndr_and_closest_rate() -> None:
    result = closest(X, A)
    assert result.dcr.tolist() == [2.0, 2.0, 2.0, 0.0]
    assert result.nndr.tolist() == [0.25, 0.25, 0.25, 0.0]
    assert result.original_nn.tolist() == [10.0, 10.0, 10.0, 10.0]
    assert closest_rate(result, 0.3, 0.3) == 0.0
    assert closest_rate(result, 0.3, 0.2) == 75.0


def test_nndr_is_one_when_the_second_closest_is_at_zero() -> None:
    result = closest(np.array([[0.0], [0.0], [4.0]]), np.array([[0.0], [1.0], [4.0]]))
    assert result.nndr.tolist() == [1.0, 1.0, 0.0]
    assert result.original_nn.tolist() == [0.0, 0.0, 4.0]


def test_row_and_column_direct_match() -> None:
    original = pd.DataFrame({"n": [1, 2, 2], "s": ["a", "b", None]})
    avatars = pd.DataFrame({"n": [1.0, 2.0, 3.0], "s": ["a", None, "b"]})
    codes = {
        "n": joint_codes(original["n"], avatars["n"], "continuous"),
        "s": joint_codes(original["s"], avatars["s"], "categorical"),
    }
    # Avatar 0 copies row 0; avatar 1 copies row 2 (missing equals missing); avatar 2 is new.
    assert row_direct_match_protection([codes["n"], codes["s"]]) == pytest.approx(100 / 3)
    assert row_direct_match_protection([codes["s"], codes["n"]]) == pytest.approx(100 / 3)
    # n: only 1 is unique in the originals; s: a and b are, missing never is.
    assert column_direct_match_protection(*codes["n"]) == pytest.approx(200 / 3)
    assert column_direct_match_protection(*codes["s"]) == pytest.approx(100 / 3)


def test_floats_match_after_rounding_to_nine_decimals() -> None:
    x, a = joint_codes(pd.Series([0.1 + 0.2]), pd.Series([0.3]), "continuous")
    assert x.tolist() == a.tolist()


def test_categorical_hidden_rate_exact_profiles_then_hamming() -> None:
    # Originals (a,u) (a,u) (b,v) (c,w); avatars (a,u) (b,v) (b,w) (c,v).
    x = [np.array([0, 0, 1, 2]), np.array([0, 0, 1, 2])]
    a = [np.array([0, 1, 1, 2]), np.array([0, 1, 2, 1])]
    # i=0: exact match, own avatar only → 1. i=1: exact match elsewhere → 0. i=2: same → 0.
    # i=3: no exact profile; minimum H = 1 at avatars 2 and 3, own is one of them → 1/2.
    assert categorical_hidden_rate(x, a) == pytest.approx(100 * (1 - 1.5 / 4))


def test_inference_continuous_averages_tied_avatars() -> None:
    original = np.array([[0.0], [10.0]])
    avatars = np.array([[0.0], [0.0], [10.0], [20.0]])
    target = np.array([1.0, 5.0])
    avatar_target = np.array([2.0, 4.0, 9.0, 100.0])
    # i=0: two avatars at 0 → guess 3, error 2. i=1: guess 9, error 4. Range 4.
    assert inference_continuous(original, target, avatars, avatar_target) == pytest.approx(75.0)
    # Equidistant avatars at different points are tied too: guess (2+4+9)/3 at 5.
    value = inference_continuous(
        np.array([[5.0], [0.0]]), np.array([0.0, 10.0]), avatars[:3], avatar_target[:3]
    )
    assert value == pytest.approx(100 * (5.0 + 7.0) / 2 / 10)


def test_inference_continuous_ignores_missing_targets_and_zero_range() -> None:
    original = np.array([[0.0], [1.0]])
    avatars = np.array([[0.0], [1.0]])
    assert (
        inference_continuous(original, np.array([1.0, 1.0]), avatars, np.array([0.0, 5.0])) == 0.0
    )
    assert (
        inference_continuous(original, np.array([1.0, 2.0]), avatars, np.array([np.nan] * 2))
        is None
    )


def test_inference_categorical_is_the_expected_error_rate() -> None:
    original = np.array([[0.0], [10.0]])
    avatars = np.array([[0.0], [0.0], [10.0], [20.0]])
    value = inference_categorical(original, np.array([0, 1]), avatars, np.array([0, 1, 0, 1]))
    assert value == pytest.approx(75.0)


def test_compute_privacy_metrics_on_a_one_column_table() -> None:
    original = pd.DataFrame({"x": [0, 10, 20, 30]})
    avatars = pd.DataFrame({"x": [2.0, 8.0, 12.0, 0.0]})
    result = compute_privacy_metrics(original, avatars)
    assert result.hidden_rate == pytest.approx(62.5)
    assert result.local_cloaking == 1.0
    sd = np.std([0, 10, 20, 30])
    assert result.distance_to_closest == pytest.approx(2 / sd)
    assert result.closest_distances_ratio == pytest.approx(0.25)
    assert result.closest_rate == 0.0
    assert result.row_direct_match_protection == 75.0
    assert result.column_direct_match_protection == 75.0
    # No categorical variable: every avatar ties, 100·(1 − 1/n) (method-extended.md §6.1).
    assert result.categorical_hidden_rate == pytest.approx(75.0)
    assert result.correlation_protection_rate is None
    assert result.targets == PRIVACY_TARGETS
    assert result.details["local_cloaking_share_zero"] == 25.0


def test_known_variable_attacks_through_the_public_function() -> None:
    original = pd.DataFrame(
        {"age": [20, 30, 40, 50], "sex": ["f", "m", "f", "m"], "bmi": [20.0, 25.0, 30.0, 35.0]}
    )
    avatars = original.assign(bmi=[21.0, 24.0, 30.0, 30.0])
    result = compute_privacy_metrics(
        original, avatars, PrivacyConfig(known_variables=["age", "sex"], target="bmi")
    )
    # Avatars keep the known variables: the attacker links everyone.
    assert result.correlation_protection_rate == 0.0
    assert result.inference_continuous == pytest.approx(100 * (1 + 1 + 0 + 5) / 4 / 15)
    assert result.inference_categorical is None
    result = compute_privacy_metrics(
        original,
        avatars.assign(sex=["m", "m", "f", "f"]),
        PrivacyConfig(known_variables=["age", "bmi"], target="sex"),
    )
    assert result.inference_categorical == pytest.approx(50.0)
    assert result.inference_continuous is None


def test_missing_values_tiny_tables_and_float_avatars_give_finite_metrics() -> None:
    original = pd.DataFrame(
        {
            "x": [1, 2, 3, 4],
            "y": [0.5, np.nan, 1.5, 2.0],
            "c": pd.Categorical(["a", "b", "a", None]),
            "k": [7, 7, 7, 7],
        }
    )
    out = avatarize(original, AvatarizationConfig(k=3, seed=0))
    result = compute_privacy_metrics(original, out.unshuffled)
    for name in (
        "hidden_rate",
        "local_cloaking",
        "distance_to_closest",
        "closest_distances_ratio",
        "column_direct_match_protection",
        "categorical_hidden_rate",
        "row_direct_match_protection",
        "closest_rate",
    ):
        value = getattr(result, name)
        assert value is not None and math.isfinite(value), name
    floats = out.unshuffled.assign(x=out.unshuffled["x"].astype(float))
    assert compute_privacy_metrics(original, floats).hidden_rate == result.hidden_rate


def test_explicit_categorical_typing_changes_the_space() -> None:
    original = pd.DataFrame({"a": [1, 2, 3, 1, 2, 3], "b": [1, 1, 2, 2, 3, 3]})
    avatars = pd.DataFrame({"a": [1, 2, 3, 3, 2, 1], "b": [1, 1, 2, 2, 3, 3]})
    as_numbers = compute_privacy_metrics(original, avatars)
    as_categories = compute_privacy_metrics(original, avatars, categorical=["a", "b"])
    assert as_numbers.categorical_hidden_rate == pytest.approx(100 * (1 - 1 / 6))
    assert as_categories.categorical_hidden_rate < 100 * (1 - 1 / 6)
    assert as_categories.details["categorical_variables"] == ["a", "b"]


def test_categorical_hidden_rate_on_an_empty_variable_list_and_a_non_categorical_one() -> None:
    original = pd.DataFrame({"x": [0.0, 1.0, 2.0, 3.0, 4.0], "c": list("abaab")})
    avatars = original.assign(x=[0.5, 1.5, 2.5, 3.5, 0.0])
    empty = PrivacyConfig(categorical_hidden_rate_variables=[])
    assert compute_privacy_metrics(original, avatars, empty).categorical_hidden_rate == (
        pytest.approx(80.0)
    )
    wrong = PrivacyConfig(categorical_hidden_rate_variables=["c", "x"])
    with pytest.raises(AvatarError) as info:
        compute_privacy_metrics(original, avatars, wrong)
    assert info.value.code == "INVALID_METRIC_PARAMETER"
    assert info.value.field == "categorical_hidden_rate_variables"
    assert "'x'" in info.value.message and "'c'" not in info.value.message
    with pytest.raises(AvatarError):
        check_privacy_parameters(wrong, columns=["x", "c"], categorical=["c"])
    check_privacy_parameters(wrong, columns=["x", "c"])  # kinds unknown: checked later


def _brute_hidden_rate(distance: np.ndarray) -> float:
    """hidden_rate from a full original × avatar distance matrix, ties by tolerance."""
    own = np.diag(distance)
    tol = 1e-9 * np.maximum(1.0, own)
    closer = (distance < (own - tol)[:, None]).sum(axis=1)
    ties = (np.abs(distance - own[:, None]) <= tol[:, None]).sum(axis=1)
    return float(100 * (1 - np.where(closer == 0, 1 / ties, 0.0).mean()))


@pytest.mark.parametrize(
    ("seed", "variables", "levels"),
    # Few variables: mostly exact profiles; many: mostly the Hamming search, over many blocks
    # of original profiles.
    [(0, 4, 3), (1, 4, 3), (2, 4, 3), (3, 7, 6), (4, 10, 4)],
)
def test_categorical_hidden_rate_matches_brute_force(
    seed: int, variables: int, levels: int
) -> None:
    rng = np.random.default_rng(seed)
    x = rng.integers(0, levels, size=(300, variables))
    # -1: a modality unknown to the originals; some avatars copy their original's profile.
    a = rng.integers(-1, levels, size=(300, variables))
    copies = rng.random(300) < 0.2
    a[copies] = x[copies]
    hamming = (x[:, None, :] != a[None, :, :]).sum(axis=2).astype(float)
    expected = _brute_hidden_rate(hamming)
    value = categorical_hidden_rate(list(x.T), list(a.T))
    assert value == pytest.approx(expected)


@pytest.mark.parametrize("seed", [0, 1])
def test_linkage_matches_brute_force_with_many_ties(seed: int) -> None:
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 4, size=(400, 2)).astype(float)
    a = rng.integers(0, 4, size=(400, 2)).astype(float)
    distance = np.sqrt(((x[:, None, :] - a[None, :, :]) ** 2).sum(axis=2))
    result = linkage(x, a)
    assert result.hidden_rate == pytest.approx(_brute_hidden_rate(distance))
    own = np.diag(distance)
    cloaking = (distance <= (own + 1e-9 * np.maximum(1, own))[:, None]).sum(axis=1) - 1
    assert result.cloaking.tolist() == cloaking.tolist()


def test_mismatched_tables_are_rejected() -> None:
    from avatars_server.engine import AvatarError

    original = pd.DataFrame({"x": [1.0, 2.0, 3.0]})
    with pytest.raises(AvatarError) as info:
        compute_privacy_metrics(original, original.head(2))
    assert info.value.code == "INVALID_METRIC_PARAMETER"
    with pytest.raises(AvatarError) as info:
        compute_privacy_metrics(original, original.rename(columns={"x": "y"}))
    assert info.value.code == "UNKNOWN_COLUMN"
    with pytest.raises(AvatarError) as info:
        compute_privacy_metrics(original, original, PrivacyConfig(ncp=5))
    assert info.value.code == "INVALID_NCP"
