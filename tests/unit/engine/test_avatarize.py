"""Avatarization: format, missingness, randomness, zero-distance rule, data errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from avatars_server.engine import AvatarError, AvatarizationConfig, avatarize
from avatars_server.engine.avatarize import draw_codes, random_weights
from avatars_server.engine.table import Categorical


def test_output_has_the_input_columns_dtypes_and_index(mixed: pd.DataFrame) -> None:
    frame = mixed.assign(pid=range(len(mixed)))
    out = avatarize(frame, AvatarizationConfig(k=5, seed=1), identifiers=["pid"])
    for result in (out.avatars, out.unshuffled):
        assert list(result.columns) == [*mixed.columns, "pid"]
        assert list(result.index) == list(range(len(mixed)))
        assert result["age"].dtype == np.int64
        assert result["weight"].dtype == np.float64
        assert isinstance(result["group"].dtype, pd.CategoricalDtype)
        assert result["smoker"].dtype == bool
        assert result["visit"].dtype == mixed["visit"].dtype
    assert out.ncp == 5
    # Decimals are kept (2 for weight), dates stay at midnight, categories come from the input.
    weight = out.unshuffled["weight"].dropna()
    assert np.allclose(weight, weight.round(2))
    assert (out.unshuffled["visit"].dt.normalize() == out.unshuffled["visit"]).all()
    assert set(out.unshuffled["city"].dropna()) <= {"Paris", "Lyon"}
    assert set(out.unshuffled["group"]) <= {"a", "b", "c"}


def test_identifier_columns_hold_surrogate_keys_never_original_values(
    mixed: pd.DataFrame,
) -> None:
    n = len(mixed)
    frame = mixed.assign(code=[f"P-{i:03d}" for i in range(n)], number=np.arange(1000, 1000 + n))[
        ["code", *mixed.columns, "number"]
    ]
    out = avatarize(frame, AvatarizationConfig(k=5, seed=4), identifiers=["code", "number"])
    plain = avatarize(mixed, AvatarizationConfig(k=5, seed=4))
    for result in (out.avatars, out.unshuffled):
        assert list(result.columns) == list(frame.columns)
        # Surrogates cast as the column: decimal strings for text, integers for ints.
        assert set(result["code"]) == {str(i) for i in range(n)}
        assert result["number"].dtype == np.int64
        assert set(result["number"]) == set(range(n))
        assert not set(result["code"]) & set(frame["code"])
        assert not set(result["number"]) & set(frame["number"])
    # Released row i has key i; the unshuffled copy carries the same key on the same avatar.
    assert out.avatars["number"].tolist() == list(range(n))
    by_key = out.unshuffled.set_index("number").loc[range(n)].reset_index()
    pd.testing.assert_frame_equal(
        by_key[mixed.columns], out.avatars[mixed.columns], check_index_type=False
    )
    # Identifiers take no part in the avatarization: the other columns are unchanged.
    pd.testing.assert_frame_equal(out.unshuffled[mixed.columns], plain.unshuffled)
    pd.testing.assert_frame_equal(out.avatars[mixed.columns], plain.avatars)


def test_released_avatars_are_a_permutation_of_the_unshuffled_ones(mixed: pd.DataFrame) -> None:
    out = avatarize(mixed, AvatarizationConfig(k=5, seed=3))
    key = ["age", "weight"]
    left = out.avatars[key].fillna(-1).sort_values(key).to_numpy()
    right = out.unshuffled[key].fillna(-1).sort_values(key).to_numpy()
    assert np.array_equal(left, right)
    assert not out.avatars[key].fillna(-1).equals(out.unshuffled[key].fillna(-1))


def test_same_seed_same_avatars_and_no_seed_fresh_ones(mixed: pd.DataFrame) -> None:
    first = avatarize(mixed, AvatarizationConfig(k=5, seed=11))
    second = avatarize(mixed, AvatarizationConfig(k=5, seed=11))
    pd.testing.assert_frame_equal(first.avatars, second.avatars)
    pd.testing.assert_frame_equal(first.unshuffled, second.unshuffled)
    other = avatarize(mixed, AvatarizationConfig(k=5, seed=12))
    assert not other.unshuffled["weight"].equals(first.unshuffled["weight"])
    fresh1 = avatarize(mixed, AvatarizationConfig(k=5))
    fresh2 = avatarize(mixed, AvatarizationConfig(k=5))
    assert not fresh1.unshuffled["weight"].equals(fresh2.unshuffled["weight"])


def test_missingness_is_simulated_not_imputed(mixed: pd.DataFrame) -> None:
    frame = mixed.copy()
    frame.loc[:29, "weight"] = np.nan
    out = avatarize(frame, AvatarizationConfig(k=5, seed=0))
    missing = out.unshuffled["weight"].isna()
    assert 10 <= missing.sum() <= 50
    assert "weight__is_missing" not in out.unshuffled.columns


def test_integer_column_with_missing_avatars_becomes_nullable() -> None:
    frame = pd.DataFrame(
        {"n": pd.array([1, 2, None, 4, None, 6, 7, None], dtype="Int64"), "x": np.arange(8.0)}
    )
    out = avatarize(frame, AvatarizationConfig(k=2, seed=0))
    assert out.unshuffled["n"].dtype == "Int64"


def test_continuous_avatar_is_the_weighted_mean_rounded_half_to_even() -> None:
    # Two rows, k = 1: each avatar is its only neighbour's record.
    frame = pd.DataFrame({"x": [1, 4], "c": pd.Categorical(["a", "b"])})
    out = avatarize(frame, AvatarizationConfig(k=1, seed=0))
    assert out.unshuffled["x"].tolist() == [4, 1]
    assert out.unshuffled["c"].tolist() == ["b", "a"]


def test_tiny_table_with_constant_columns_works() -> None:
    frame = pd.DataFrame(
        {
            "x": [1.0, 2.0, 3.0, 4.0],
            "const": [5, 5, 5, 5],
            "flag": pd.Categorical(["y", "y", "y", "y"]),
            "c": pd.Categorical(["a", "b", "a", "b"]),
        }
    )
    out = avatarize(frame, AvatarizationConfig(k=3, seed=0))
    assert out.unshuffled["const"].tolist() == [5, 5, 5, 5]
    assert out.unshuffled["flag"].tolist() == ["y"] * 4
    assert out.ncp == 4


def test_duplicated_records_are_reproduced_by_the_zero_distance_rule() -> None:
    # Every record has 4 duplicates, k = 3: all neighbours coincide with the record.
    base = pd.DataFrame({"a": ["x", "y", "z"], "b": ["u", "u", "v"], "c": ["1", "2", "3"]})
    frame = pd.concat([base] * 5, ignore_index=True).astype("category")
    out = avatarize(frame, AvatarizationConfig(k=3, seed=5))
    pd.testing.assert_frame_equal(out.unshuffled, frame)


def test_random_weights_zero_distance_rule() -> None:
    dist = np.array([[0.0, 1.0, 2.0], [1.0, 2.0, 3.0], [0.0, 0.0, 5.0]])
    weights = random_weights(dist, np.random.default_rng(0))
    assert np.allclose(weights.sum(axis=1), 1.0)
    assert weights[0].tolist()[1:] == [0.0, 0.0]
    assert weights[0, 0] == 1.0
    assert (weights[1] > 0).all()
    assert weights[2, 2] == 0.0 and (weights[2, :2] > 0).all()


def test_random_weights_follow_the_rank_law() -> None:
    # Equal distances: the weight of a neighbour only depends on R·2^-s, so the largest
    # weight is on average close to that of rank 1.
    dist = np.ones((20_000, 4))
    weights = random_weights(dist, np.random.default_rng(1))
    top = np.sort(weights, axis=1)[:, ::-1].mean(axis=0)
    assert 0.55 < top[0] < 0.75
    assert np.all(np.diff(top) < 0)


def test_categorical_draw_picks_modalities_with_their_weight() -> None:
    n = 50_000
    variable = Categorical(
        "v", np.array([0, 1, 2], dtype=np.int64), np.array(["a", "b", "c"], dtype=object), False
    )
    weights = np.tile([0.2, 0.0, 0.8], (n, 1))
    neighbours = np.tile([0, 1, 2], (n, 1))
    (codes,) = draw_codes(weights, neighbours, [variable], np.random.default_rng(0))
    share = np.bincount(codes, minlength=3) / n
    assert share[1] == 0.0
    assert abs(share[0] - 0.2) < 0.01


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        (pd.DataFrame({"x": [1.0, np.nan, 2.0], "e": [np.nan] * 3}), "EMPTY_COLUMN"),
        (pd.DataFrame({"x": [1.0, np.inf, 2.0]}), "NON_FINITE_VALUE"),
    ],
)
def test_data_errors(frame: pd.DataFrame, code: str) -> None:
    with pytest.raises(AvatarError) as info:
        avatarize(frame, AvatarizationConfig(k=1))
    assert info.value.code == code


def test_explicit_ncp_above_the_bound_is_an_error_not_clamped() -> None:
    frame = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0], "y": [0.0, 1.0, 0.0, 1.0]})
    with pytest.raises(AvatarError) as info:
        avatarize(frame, AvatarizationConfig(k=2, ncp=3))
    assert info.value.code == "INVALID_NCP"
    assert "2" in info.value.message


def test_too_many_dimensions() -> None:
    frame = pd.DataFrame({"id_like": [str(i) for i in range(30)], "x": np.arange(30.0)})
    with pytest.raises(AvatarError) as info:
        avatarize(frame, AvatarizationConfig(k=2), max_dimensions=20)
    assert info.value.code == "TOO_MANY_DIMENSIONS"


def test_column_weights_change_the_neighbours_not_the_format(mixed: pd.DataFrame) -> None:
    plain = avatarize(mixed, AvatarizationConfig(k=5, seed=2))
    weighted = avatarize(mixed, AvatarizationConfig(k=5, seed=2, column_weights={"age": 50.0}))
    assert list(weighted.unshuffled.dtypes) == list(plain.unshuffled.dtypes)
    # A heavy age makes neighbours agree on age: avatars' ages track the originals' more.
    gap_plain = (plain.unshuffled["age"] - mixed["age"]).abs().mean()
    gap_weighted = (weighted.unshuffled["age"] - mixed["age"]).abs().mean()
    assert gap_weighted < gap_plain


def test_progress_is_reported(mixed: pd.DataFrame) -> None:
    seen: list[tuple[str, float]] = []
    avatarize(mixed, AvatarizationConfig(k=5, seed=0), progress=lambda s, f: seen.append((s, f)))
    assert seen[0][1] == 0.0 and seen[-1] == ("done", 1.0)
    assert [f for _, f in seen] == sorted(f for _, f in seen)


def test_timezone_aware_datetimes_and_string_columns_round_trip() -> None:
    n = 30
    frame = pd.DataFrame(
        {
            "at": pd.date_range("2024-01-01 08:00:00", periods=n, freq="37min", tz="Europe/Paris"),
            "label": pd.Series([f"s{i % 3}" for i in range(n)], dtype="str"),
            "x": np.linspace(0.0, 1.0, n),
        }
    )
    out = avatarize(frame, AvatarizationConfig(k=3, seed=0)).unshuffled
    assert out["at"].dtype == frame["at"].dtype
    assert (out["at"].dt.microsecond == 0).all()  # rounded to whole seconds
    assert out["at"].min() >= frame["at"].min() and out["at"].max() <= frame["at"].max()
    assert out["label"].dtype == frame["label"].dtype
    assert set(out["label"]) <= {"s0", "s1", "s2"}


def test_integer_coded_categories_keep_their_values_and_type() -> None:
    frame = pd.DataFrame({"code": pd.Categorical([1, 2, 3, 1, 2, 3, 1, 2]), "x": np.arange(8.0)})
    out = avatarize(frame, AvatarizationConfig(k=2, seed=0)).unshuffled
    assert list(out["code"].cat.categories) == [1, 2, 3]
    assert all(isinstance(v, int | np.integer) for v in out["code"])
