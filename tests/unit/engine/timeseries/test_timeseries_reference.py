"""Reference checks of method-extended.md §2.11 on the time-series engine."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from avatars_server.engine import AvatarizationConfig, PrivacyConfig
from avatars_server.engine.timeseries import (
    FPCA,
    Flatten,
    TableInput,
    avatarize_with_time_series,
)
from avatars_server.engine.timeseries.columns import TableColumns
from avatars_server.engine.timeseries.grid import (
    Grid,
    collect_points,
    fit_grid,
    grid_values,
    interpolate,
    support,
)
from avatars_server.engine.timeseries.individuals import SeriesModel
from avatars_server.engine.timeseries.metrics import (
    SeriesPair,
    series_privacy_metrics,
    series_signal_metrics,
)
from avatars_server.engine.timeseries.projection import block_weights, fit_block
from avatars_server.engine.timeseries.reconstruction import reconstruct


def test_hand_example_fpca() -> None:
    y = np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 2.0]])
    fitted = fit_block(y, FPCA(1), name="v")
    assert np.allclose(fitted.mean, [1.0, 1.0])
    assert np.allclose(fitted.eigenvalues, [4 / 3, 0.0])
    assert np.allclose(fitted.components[0], np.array([1.0, 1.0]) / math.sqrt(2))
    scores = fitted.block(y)
    assert np.allclose(scores[:, 0], [-math.sqrt(2), 0.0, math.sqrt(2)])
    # An avatar weighing individuals 1 and 2 by ½ each.
    avatar = 0.5 * scores[1] + 0.5 * scores[2]
    assert avatar[0] == pytest.approx(math.sqrt(2) / 2)
    assert np.allclose(fitted.curves(avatar[None, :]), [[1.5, 1.5]])
    # Flatten: Var = 2/3 per column and λ1 = 4/3, so w = ½ each and the block weighs 1.
    flat = fit_block(y, Flatten(), name="v")
    weights = block_weights(flat.block(y), flat.lambda1, 1.0)
    assert np.allclose(weights, [0.5, 0.5])
    assert weights.sum() == pytest.approx(1.0)


def test_hand_example_normalised_grid_and_reconstruction() -> None:
    frame = pd.DataFrame({"id": [0, 0, 0, 1, 1], "t": [10, 20, 40, 5, 9], "v": [1, 3, 2, 0, 1]})
    points = collect_points(
        np.array([0, 0, 0, 1, 1]),
        frame["t"].to_numpy(np.float64),
        frame[["v"]].to_numpy(np.float64),
        2,
    )
    grid = Grid(False, np.arange(4) / 3)
    curves = grid_values(points, grid, support(points))[0]
    assert np.allclose(curves[0], [1.0, 3.0, 2.5, 2.0])
    model = SeriesModel("s", ("v",), grid, (fit_block(curves, Flatten(), name="v"),), (1.0,))
    avatars = pd.DataFrame(
        {
            **{f"s.v.g{g}": [curves[0, g]] for g in range(4)},
            "s.__t0": [12.0],
            "s.__duration": [24.0],
            "s.__n_points": [2.0],
        }
    )
    released, _ = reconstruct(
        frame,
        TableColumns("id", "t", ("v",), ()),
        model,
        avatars,
        np.array([0]),
        np.array([0]),
    )
    assert released["t"].tolist() == [12, 36]
    assert released["v"].tolist() == [1, 2]
    assert released["id"].tolist() == [0, 0]


def test_interpolation_matches_numpy_interp() -> None:
    rng = np.random.default_rng(3)
    individual = np.repeat(np.arange(5), [4, 1, 6, 3, 2])
    x = np.concatenate([np.sort(rng.choice(50, m, replace=False)) for m in [4, 1, 6, 3, 2]])
    y = rng.normal(size=len(x))
    queries = np.linspace(-5, 55, 13)
    out = interpolate(individual, x.astype(float), y, 6, queries)
    for i in range(5):
        rows = individual == i
        assert np.allclose(out[i], np.interp(queries, x[rows], y[rows]))
    assert np.isnan(out[5]).all()


def test_equal_times_are_averaged_and_grid_kind_is_detected() -> None:
    points = collect_points(
        np.array([0, 0, 0, 1, 1]),
        np.array([1.0, 0.0, 1.0, 0.0, 1.0]),
        np.array([[1.0], [5.0], [np.nan], [2.0], [4.0]]),
        2,
    )
    assert points.time.tolist() == [0.0, 1.0, 0.0, 1.0]
    assert points.values[:, 0].tolist() == [5.0, 1.0, 2.0, 4.0]
    grid = fit_grid(points)
    assert grid.common and grid.times.tolist() == [0.0, 1.0]
    assert not fit_grid(points, g_max=1).common


def test_common_grid_is_preserved(sensors: tuple[pd.DataFrame, ...]) -> None:
    vanilla, s1, s2 = sensors
    out = avatarize_with_time_series(
        TableInput("vanilla", vanilla),
        [TableInput("s1", s1, projection=FPCA(5)), TableInput("s2", s2, projection=FPCA(3))],
        AvatarizationConfig(k=10, seed=5),
    )
    for result, size in ((out.series[0], 30), (out.series[1], 50)):
        for frame in (result.avatars, result.unshuffled):
            times = frame.groupby("id")["t"].apply(tuple)
            assert len(times) == 200
            assert set(times) == {tuple(range(size))}
            assert frame["t"].dtype == np.int64
    assert list(out.series[0].avatars.columns) == ["id", "t", "sensor1", "sensor2"]


def _surrogate_to_individual(out_vanilla: pd.DataFrame) -> dict[int, int]:
    return {int(key): i for i, key in enumerate(out_vanilla["id"])}


def test_barycentre_property_flatten(sensors: tuple[pd.DataFrame, ...]) -> None:
    vanilla, s1, _ = sensors
    out = avatarize_with_time_series(
        TableInput("vanilla", vanilla),
        [TableInput("s1", s1, projection=Flatten())],
        AvatarizationConfig(k=8, seed=2),
        keep_neighbours=True,
    )
    assert out.vanilla is not None and out.neighbours is not None
    owner = _surrogate_to_individual(out.vanilla.unshuffled)
    original = s1.set_index(["id", "t"]).sort_index()
    avatars = out.series[0].unshuffled
    for key, rows in avatars.groupby("id"):
        i = owner[int(key)]
        sources = original.loc[list(out.neighbours[i])]
        for column in ("sensor1", "sensor2"):
            by_time = sources[column].groupby(level="t")
            values = rows.set_index("t")[column]
            assert (values >= by_time.min() - 1e-12).all()
            assert (values <= by_time.max() + 1e-12).all()


def test_barycentre_property_fpca(sensors: tuple[pd.DataFrame, ...]) -> None:
    _, s1, _ = sensors
    out = avatarize_with_time_series(
        None,
        [TableInput("s1", s1, projection=FPCA(3))],
        AvatarizationConfig(k=6, seed=4),
        keep_neighbours=True,
    )
    assert out.neighbours is not None
    model = out.models[0]
    for v in range(2):
        names = model.block_names(v)
        originals = model.blocks[v].curves(out.individuals[names].to_numpy())
        avatars = model.blocks[v].curves(out.avatar_individuals[names].to_numpy())
        low = originals[out.neighbours].min(axis=1)
        high = originals[out.neighbours].max(axis=1)
        assert (avatars >= low - 1e-9).all() and (avatars <= high + 1e-9).all()


def test_fpca_with_all_components_equals_flatten(sensors: tuple[pd.DataFrame, ...]) -> None:
    vanilla, s1, _ = sensors
    runs = [
        avatarize_with_time_series(
            TableInput("vanilla", vanilla),
            [TableInput("s1", s1, projection=spec)],
            AvatarizationConfig(k=10, seed=11),
            keep_neighbours=True,
        )
        for spec in (FPCA(30), Flatten())
    ]
    fpca, flat = runs
    assert fpca.neighbours is not None and flat.neighbours is not None
    assert np.array_equal(fpca.neighbours, flat.neighbours)
    left, right = fpca.series[0].avatars, flat.series[0].avatars
    assert left[["id", "t"]].equals(right[["id", "t"]])
    assert np.allclose(left[["sensor1", "sensor2"]], right[["sensor1", "sensor2"]], atol=1e-9)
    assert fpca.vanilla is not None and flat.vanilla is not None
    assert fpca.vanilla.avatars.equals(flat.vanilla.avatars)


def test_support_of_reconstructed_series(irregular_absent: pd.DataFrame) -> None:
    out = avatarize_with_time_series(
        None,
        [TableInput("s", irregular_absent, projection=FPCA(2))],
        AvatarizationConfig(k=5, seed=7),
    )
    avatars = out.avatar_individuals
    assert (avatars["s.__duration"].dropna() >= 0).all()
    assert (avatars["s.__n_points"].dropna() >= 1).all()
    released = out.series[0].avatars
    for _, rows in released.groupby("id"):
        assert rows["t"].is_monotonic_increasing


def test_absent_share_is_close_to_the_original_share(irregular_absent: pd.DataFrame) -> None:
    vanilla = pd.DataFrame({"id": range(300), "x": np.arange(300) % 7})
    shares = []
    for seed in range(3):
        out = avatarize_with_time_series(
            TableInput("v", vanilla),
            [TableInput("s", irregular_absent, projection=FPCA(2))],
            AvatarizationConfig(k=5, seed=seed),
        )
        shares.append(1 - out.series[0].avatars["id"].nunique() / 300)
    original = 1 - irregular_absent["id"].nunique() / 300
    assert abs(float(np.mean(shares)) - original) < 0.06


def test_time_stamps_are_not_copied(irregular: pd.DataFrame) -> None:
    vanilla = pd.DataFrame({"id": range(120), "x": np.arange(120) % 5})
    out = avatarize_with_time_series(
        TableInput("v", vanilla),
        [TableInput("s", irregular, projection=FPCA(2))],
        AvatarizationConfig(k=5, seed=3),
    )
    assert out.vanilla is not None
    owner = _surrogate_to_individual(out.vanilla.unshuffled)
    original = irregular.groupby("id")["t"].apply(tuple)
    avatar_times = out.series[0].unshuffled.groupby("id")["t"].apply(tuple)
    copied = sum(original.get(owner[int(key)]) == times for key, times in avatar_times.items())
    assert copied <= 2
    # Times are evenly spaced on the avatar's own support.
    for times in avatar_times:
        if len(times) > 2:
            assert np.ptp(np.diff(times)) <= 1


def test_missing_values_and_absent_individuals(irregular_absent: pd.DataFrame) -> None:
    series = irregular_absent.copy()
    # Individual 5 (if present) has no observed value at all: a missing block.
    series.loc[series["id"] == series["id"].iloc[0], "hr"] = np.nan
    vanilla = pd.DataFrame({"id": range(300), "x": np.arange(300) % 7})
    out = avatarize_with_time_series(
        TableInput("v", vanilla),
        [TableInput("s", series, projection=FPCA(2))],
        AvatarizationConfig(k=5, seed=1),
    )
    table = out.individuals
    assert "s.__present" in table.columns
    assert table["s.__present"].sum() == series["id"].nunique()
    result = out.series[0]
    assert set(result.avatars["id"]) == set(result.unshuffled["id"])
    assert len(result.avatars) == len(result.unshuffled)
    # A block drawn missing blanks the whole series of that avatar; values otherwise present.
    per_avatar = result.avatars.groupby("id")["hr"].apply(lambda s: s.isna().mean())
    assert set(per_avatar.unique()) <= {0.0, 1.0}
    again = avatarize_with_time_series(
        TableInput("v", vanilla),
        [TableInput("s", series, projection=FPCA(2))],
        AvatarizationConfig(k=5, seed=1),
    )
    assert again.series[0].avatars.equals(result.avatars)


def test_identity_checks_on_metrics(sensors: tuple[pd.DataFrame, ...]) -> None:
    _, s1, _ = sensors
    pair = SeriesPair(TableInput("s1", s1, projection=FPCA(3)), TableInput("same", s1))
    privacy = series_privacy_metrics(pair, None, PrivacyConfig())
    assert privacy.hidden_rate == 0.0
    assert privacy.row_direct_match_protection == 0.0
    assert privacy.local_cloaking == 0.0
    signal = series_signal_metrics(pair)
    assert signal.pointwise_hellinger_mean < 1e-8
    assert signal.density_hellinger_mean < 1e-8


def test_categorical_hidden_rate_without_categories(sensors: tuple[pd.DataFrame, ...]) -> None:
    _, s1, _ = sensors
    out = avatarize_with_time_series(
        None, [TableInput("s1", s1, projection=FPCA(3))], AvatarizationConfig(k=10, seed=1)
    )
    pair = SeriesPair(TableInput("s1", s1), TableInput("a", out.series[0].unshuffled))
    privacy = series_privacy_metrics(pair, None, PrivacyConfig())
    assert privacy.categorical_hidden_rate == pytest.approx(100 * (1 - 1 / 200))
    assert privacy.correlation_protection_rate is None
    assert privacy.inference_continuous is None
    # Series-only neighbours are close in the metric space: well below the vanilla-driven 99.5.
    assert 60 <= privacy.hidden_rate < 100
    assert privacy.row_direct_match_protection == 100.0


def test_linkage_with_absent_avatars_matches_brute_force() -> None:
    from avatars_server.engine.distances import linkage
    from avatars_server.engine.timeseries.metrics import _linkage

    rng = np.random.default_rng(5)
    x, a = rng.normal(size=(40, 3)), rng.normal(size=(30, 3))
    own = np.where(rng.random(40) < 0.2, -1, rng.permutation(40) % 30)
    success, cloaking = _linkage(x, a, own)
    distances = np.sqrt(((x[:, None, :] - a[None, :, :]) ** 2).sum(axis=2))
    for i in range(40):
        if own[i] < 0:
            assert (success[i], cloaking[i]) == (0.0, 30)
            continue
        mine = distances[i, own[i]]
        within = int((distances[i] <= mine + 1e-9).sum())
        assert cloaking[i] == within - 1
        assert success[i] == (1.0 / within if distances[i].min() >= mine - 1e-9 else 0.0)
    # Every avatar present and row-aligned: the core's linkage gives the same figures.
    aligned = np.arange(30)
    core = linkage(x[:30], a)
    mine_s, mine_c = _linkage(x[:30], a, aligned)
    assert np.array_equal(core.success, mine_s) and np.array_equal(core.cloaking, mine_c)


def test_metrics_match_value_columns_by_name(sensors: tuple[pd.DataFrame, ...]) -> None:
    _, s1, _ = sensors
    out = avatarize_with_time_series(
        None, [TableInput("s1", s1, projection=FPCA(3))], AvatarizationConfig(k=10, seed=2)
    )
    avatars = out.series[0].unshuffled
    reordered = avatars[["sensor2", "id", "sensor1", "t"]]
    results = [
        series_privacy_metrics(
            SeriesPair(TableInput("s1", s1), TableInput("a", frame)), None, PrivacyConfig()
        )
        for frame in (avatars, reordered)
    ]
    assert results[0].hidden_rate == results[1].hidden_rate
    assert results[0].local_cloaking == results[1].local_cloaking
    signals = [
        series_signal_metrics(SeriesPair(TableInput("s1", s1), TableInput("a", frame)))
        for frame in (avatars, reordered)
    ]
    assert signals[0] == signals[1]


def test_datetime_time_column_round_trips(irregular: pd.DataFrame) -> None:
    frame = irregular.rename(columns={"t": "when"})
    frame["when"] = pd.Timestamp("2024-01-01") + pd.to_timedelta(frame["when"] * 3600, unit="s")
    out = avatarize_with_time_series(
        None, [TableInput("s", frame, projection=FPCA(2))], AvatarizationConfig(k=5, seed=1)
    )
    avatars = out.series[0].avatars
    assert list(avatars.columns) == ["id", "when", "hr"]
    assert avatars["when"].dtype == frame["when"].dtype
    # Whole seconds (the originals' resolution), increasing within each avatar.
    assert (avatars["when"].dt.microsecond == 0).all()
    assert avatars.groupby("id")["when"].apply(lambda s: s.is_monotonic_increasing).all()
    span = (avatars["when"].min(), avatars["when"].max())
    assert frame["when"].min() <= span[0] and span[1] <= frame["when"].max()
