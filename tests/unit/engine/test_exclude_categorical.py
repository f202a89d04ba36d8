"""exclude_categorical: high-cardinality columns out of the projection, then put back."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from avatars_server.engine import AvatarError, AvatarizationConfig, avatarize
from avatars_server.engine.config import ExcludeCategoricalConfig
from avatars_server.engine.exclusion import Excluded, reference_rows
from avatars_server.engine.random import make_streams
from avatars_server.engine.table import Categorical, column_kinds, encoded_dimensions


def _postcodes(n: int = 400, seed: int = 0) -> pd.DataFrame:
    """Patients with a postcode: 120 codes of Zipf-like frequencies (many seen once or twice);
    the postcode's second digit (a region) drives income."""
    rng = np.random.default_rng(seed)
    weights = 1.0 / np.arange(1, 121) ** 1.1
    codes = np.array([f"{10000 + 97 * i:05d}" for i in range(120)], dtype=object)
    postcode = rng.choice(codes, n, p=weights / weights.sum())
    region = np.array([int(c[1]) for c in postcode])
    return pd.DataFrame(
        {
            "age": rng.integers(18, 90, n),
            "postcode": pd.Series(postcode, dtype=object),
            "income": np.round(20_000 + 3_000 * region + rng.normal(0, 2_000, n), 2),
            "sex": rng.choice(["F", "M"], n).astype(object),
        }
    )


def _exclude(
    strategy: str,
    rare: int = 2,
    rare_strategy: str = "most_similar",
    records: int | None = None,
    threshold: int = 20,
) -> ExcludeCategoricalConfig:
    return ExcludeCategoricalConfig(
        exclude_cardinality_threshold=threshold,
        exclude_replacement_strategy=strategy,
        rare_occurence_threshold=rare,
        rare_replacement_strategy=rare_strategy,
        number_reference_records=records,
    )


def _config(exclude: ExcludeCategoricalConfig | None, seed: int = 0) -> AvatarizationConfig:
    return AvatarizationConfig(k=10, seed=seed, exclude_categorical=exclude)


def test_the_postcode_leaves_the_projection_and_comes_back() -> None:
    frame = _postcodes()
    kinds = column_kinds(frame)
    n_codes = frame["postcode"].nunique()
    assert n_codes > 60
    # D_enc: age, income, 2 sexes, and the postcode's modalities unless excluded.
    assert encoded_dimensions(frame, kinds) == 4 + n_codes
    assert encoded_dimensions(frame, kinds, exclude_threshold=20) == 4
    with pytest.raises(AvatarError) as info:
        avatarize(frame, _config(None), max_dimensions=50)
    assert info.value.code == "TOO_MANY_DIMENSIONS"
    out = avatarize(frame, _config(_exclude("coordinate_similarity")), max_dimensions=50)
    assert out.ncp == 4  # min(5, D_enc = 4, n)
    for result in (out.avatars, out.unshuffled):
        assert list(result.columns) == list(frame.columns)
        assert pd.api.types.is_string_dtype(result["postcode"].dtype)
    counts = frame["postcode"].value_counts()
    assert set(out.unshuffled["postcode"]) <= set(counts[counts > 2].index)
    # The explicit ncp bound is the same D_enc.
    with pytest.raises(AvatarError) as info:
        avatarize(
            frame, AvatarizationConfig(k=10, ncp=5, exclude_categorical=_exclude("row_order"))
        )
    assert info.value.code == "INVALID_NCP" and "= 4" in info.value.message


def test_row_order_copies_the_original_row_and_missing_blanks_rare_modalities() -> None:
    frame = _postcodes()
    out = avatarize(frame, _config(_exclude("row_order", rare=2, rare_strategy="missing")))
    counts = frame["postcode"].value_counts()
    rare = frame["postcode"].map(counts) <= 2
    expected = frame["postcode"].where(~rare, None)
    assert out.unshuffled["postcode"].isna().tolist() == rare.tolist()
    assert out.unshuffled["postcode"][~rare].tolist() == expected[~rare].tolist()


def test_most_similar_takes_the_nearest_non_rare_record_in_the_projection() -> None:
    # One projected variable, x; C is rare (seen once). Row 6 (x = 5.9) is nearer to row 2
    # (x = 2, postcode A) than to row 3 (x = 10, postcode B).
    frame = pd.DataFrame(
        {
            "x": [0.0, 1.0, 2.0, 10.0, 11.0, 12.0, 5.9],
            "postcode": ["A", "A", "A", "B", "B", "B", "C"],
        }
    )
    exclude = _exclude("row_order", rare=1, threshold=3)
    out = avatarize(frame, AvatarizationConfig(k=2, seed=0, exclude_categorical=exclude))
    assert out.unshuffled["postcode"].tolist() == ["A", "A", "A", "B", "B", "B", "A"]
    frame.loc[6, "x"] = 6.1  # now nearer to row 3
    out = avatarize(frame, AvatarizationConfig(k=2, seed=0, exclude_categorical=exclude))
    assert out.unshuffled["postcode"].tolist()[6] == "B"


def test_probabilistic_draws_from_the_exclusion_stream_by_frequency() -> None:
    # A seen 3 times, B 1 time (rare), C 2 times, D 1 time (rare): rare rows 3 and 6 draw among
    # A, C with probabilities 3/5, 2/5 (cumulative 0.6, 1.0), one u each, in row order.
    frame = pd.DataFrame(
        {
            "x": np.arange(7.0),
            "postcode": ["A", "A", "A", "B", "C", "C", "D"],
        }
    )
    exclude = _exclude("row_order", rare=1, rare_strategy="probabilistic", threshold=3)
    seed = 3
    u = np.random.default_rng(np.random.SeedSequence(seed).spawn(6)[5]).random(2)
    expected = ["A" if value < 0.6 else "C" for value in u]
    out = avatarize(frame, AvatarizationConfig(k=2, seed=seed, exclude_categorical=exclude))
    assert out.unshuffled["postcode"].tolist() == [
        "A",
        "A",
        "A",
        expected[0],
        "C",
        "C",
        expected[1],
    ]
    assert make_streams(seed).exclusion.random(2).tolist() == u.tolist()


def test_probabilistic_follows_the_frequencies_on_a_large_table() -> None:
    frame = _postcodes(n=3000, seed=1)
    exclude = _exclude("row_order", rare=5, rare_strategy="probabilistic")
    out = avatarize(frame, _config(exclude))
    counts = frame["postcode"].value_counts()
    rare = (frame["postcode"].map(counts) <= 5).to_numpy()
    drawn = out.unshuffled["postcode"][rare]
    common = counts[counts > 5]
    assert set(drawn) <= set(common.index)
    top = common.index[0]
    share = (drawn == top).mean()
    assert abs(share - common.iloc[0] / common.sum()) < 0.06


def test_coordinate_similarity_takes_the_nearest_original_record() -> None:
    # One projected variable with many decimals: the avatar's x is its record's coordinate.
    rng = np.random.default_rng(5)
    n = 200
    x = np.round(rng.normal(size=n), 12)
    postcode = np.array([f"P{int(v * 4) + 20:02d}" for v in x], dtype=object)
    frame = pd.DataFrame({"x": x, "postcode": postcode})
    exclude = _exclude("coordinate_similarity", rare=0, threshold=3)
    out = avatarize(frame, AvatarizationConfig(k=5, seed=2, exclude_categorical=exclude))
    avatar_x = out.unshuffled["x"].to_numpy()
    nearest = np.abs(avatar_x[:, None] - x[None, :]).argmin(axis=1)
    assert out.unshuffled["postcode"].tolist() == postcode[nearest].tolist()


def test_reference_records_cover_every_combination_then_sample_uniformly() -> None:
    codes = np.array([0, 0, 0, 0, 1, 1, 2, 0, 0, 0], dtype=np.int64)
    other = np.array([0, 0, 1, 0, 0, 0, 0, 0, 0, 0], dtype=np.int64)
    excluded = Excluded(
        [
            Categorical("a", codes, np.array(["x", "y", "z"], dtype=object), False),
            Categorical("b", other, np.array(["u", "v"], dtype=object), False),
        ]
    )
    # 4 combinations: (x,u), (x,v), (y,u), (z,u); 2 records asked: raised to 4.
    rows = reference_rows(excluded, 2, np.random.default_rng(0))
    assert len(rows) == 4 and np.all(np.diff(rows) > 0)
    assert {(int(codes[r]), int(other[r])) for r in rows} == {(0, 0), (0, 1), (1, 0), (2, 0)}
    assert len(reference_rows(excluded, 6, np.random.default_rng(0))) == 6
    assert reference_rows(excluded, None, np.random.default_rng(0)).tolist() == list(range(10))
    assert reference_rows(excluded, 50, np.random.default_rng(0)).tolist() == list(range(10))
    # Uniform beyond the cover: row 0 (one of seven (x,u) rows) is picked about 2/7 of the time
    # with 6 records (2 of the 7 (x,u) rows are taken).
    hits = sum(0 in reference_rows(excluded, 5, np.random.default_rng(s)) for s in range(2000))
    assert abs(hits / 2000 - 2 / 7) < 0.04


def test_same_seed_same_avatars_and_no_exclusion_keeps_the_core_streams() -> None:
    frame = _postcodes()
    exclude = _exclude("coordinate_similarity", rare_strategy="probabilistic", records=50)
    first = avatarize(frame, _config(exclude, seed=9))
    second = avatarize(frame, _config(exclude, seed=9))
    pd.testing.assert_frame_equal(first.avatars, second.avatars)
    other = avatarize(frame, _config(exclude, seed=10))
    assert not other.unshuffled["postcode"].equals(first.unshuffled["postcode"])
    # The other columns are those of an avatarization without the postcode column: the
    # excluded column takes no part in the projection nor in the five core streams.
    without = avatarize(frame.drop(columns="postcode"), _config(None, seed=9))
    pd.testing.assert_frame_equal(first.unshuffled.drop(columns="postcode"), without.unshuffled)


def test_every_modality_rare_is_an_error_unless_they_become_missing() -> None:
    frame = _postcodes(n=100)
    exclude = _exclude("row_order", rare=1000)
    with pytest.raises(AvatarError) as info:
        avatarize(frame, _config(exclude))
    assert info.value.code == "INVALID_EXCLUDE_CATEGORICAL"
    assert "postcode" in info.value.message
    out = avatarize(frame, _config(_exclude("row_order", rare=1000, rare_strategy="missing")))
    assert out.unshuffled["postcode"].isna().all()


def test_excluding_every_column_is_an_error() -> None:
    frame = pd.DataFrame({"postcode": [str(i % 30) for i in range(60)]})
    with pytest.raises(AvatarError) as info:
        avatarize(frame, _config(_exclude("row_order")))
    assert info.value.code == "NO_VARIABLES"


@pytest.mark.parametrize(
    ("exclude", "field"),
    [
        (_exclude("row_order", threshold=0), "exclude_categorical.exclude_cardinality_threshold"),
        (_exclude("nearest"), "exclude_categorical.exclude_replacement_strategy"),
        (_exclude("row_order", rare=-1), "exclude_categorical.rare_occurence_threshold"),
        (
            _exclude("row_order", rare_strategy="magic"),
            "exclude_categorical.rare_replacement_strategy",
        ),
        (_exclude("row_order", records=0), "exclude_categorical.number_reference_records"),
    ],
)
def test_parameters_out_of_range(exclude: ExcludeCategoricalConfig, field: str) -> None:
    with pytest.raises(AvatarError) as info:
        avatarize(_postcodes(n=50), _config(exclude))
    assert (info.value.code, info.value.field) == ("INVALID_EXCLUDE_CATEGORICAL", field)


def test_an_excluded_bool_column_with_a_rare_value_set_missing_becomes_nullable() -> None:
    flag = np.ones(30, dtype=bool)
    flag[4] = False  # seen once: rare
    frame = pd.DataFrame({"x": np.arange(30.0), "flag": flag})
    exclude = _exclude("row_order", rare=1, rare_strategy="missing", threshold=2)
    out = avatarize(frame, AvatarizationConfig(k=3, seed=0, exclude_categorical=exclude))
    assert out.unshuffled["flag"].dtype == "boolean"
    assert out.unshuffled["flag"].isna().tolist() == [i == 4 for i in range(30)]
