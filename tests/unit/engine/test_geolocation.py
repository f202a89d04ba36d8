"""Reference checks of method-extended.md §4.5 and the block scans of the geolocation metrics."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from avatars_server.engine import AvatarError
from avatars_server.engine.geolocation import (
    Scenario,
    density_maps,
    geolocation_privacy,
    hellinger_block,
)
from avatars_server.engine.trajectories import (
    haversine,
    known_part,
    resample,
    trajectories,
    trip_features,
)

PORTO = Path(__file__).parents[2] / "data" / "extended" / "porto_taxi_200.csv"
METRES_PER_DEGREE = 111_194.93


def test_haversine_one_degree_along_the_equator_and_a_meridian() -> None:
    assert float(haversine(0.0, 0.0, 0.0, 1.0)) == pytest.approx(111_194.93, abs=0.01)
    assert float(haversine(0.0, 0.0, 1.0, 0.0)) == pytest.approx(111_194.93, abs=0.01)


def test_haversine_porto_steps() -> None:
    first = haversine(41.140692, -8.615601, 41.140854, -8.615349)
    second = haversine(41.140854, -8.615349, 41.140548, -8.616609)
    assert float(first) == pytest.approx(27.745, abs=0.001)
    assert float(second) == pytest.approx(110.864, abs=0.001)


def _frame(points: list[tuple[int, float, float, float]]) -> pd.DataFrame:
    return pd.DataFrame(points, columns=["id", "t", "lat", "lon"])


def test_density_hellinger_on_a_two_by_two_grid() -> None:
    # p = (0.75, 0, 0, 0.25), q = (0.5, 0.5, 0, 0) over cells (lat, lon) = 00, 01, 10, 11.
    p = _frame([(0, 0, 0.0, 0.0), (0, 1, 0.1, 0.1), (0, 2, 0.2, 0.2), (0, 3, 1.0, 1.0)])
    q = _frame([(0, 0, 0.1, 0.1), (0, 1, 0.1, 0.9)])
    left, right = density_maps(trajectories(p, "id"), trajectories(q, "id"), 2, 2)
    assert left.toarray() ** 2 == pytest.approx(np.array([[0.75, 0, 0, 0.25]]))
    assert right.toarray() ** 2 == pytest.approx(np.array([[0.5, 0.5, 0, 0]]))
    h = float(hellinger_block(left, right)[0, 0])
    assert 1 - h**2 == pytest.approx(0.61237, abs=1e-5)
    assert h == pytest.approx(0.62260, abs=1e-5)


def test_trip_features_known_part_and_resampling() -> None:
    frame = _frame([(5, 20, 0.0, 0.002), (5, 0, 0.0, 0.0), (5, 10, 0.0, 0.001), (9, 3, 1.0, 1.0)])
    traj = trajectories(frame, "id")
    assert list(traj.ids) == ["5", "9"]
    step = float(haversine(0.0, 0.0, 0.0, 0.001))
    assert trip_features(traj) == pytest.approx(
        np.array([[2 * step, 20.0, 2 * step / 20.0], [0.0, 0.0, 0.0]])
    )
    start = known_part(traj, "start")  # q = ceil(3/3) = 1 and ceil(1/3) = 1
    assert list(start.lon) == [0.0, 1.0]
    assert list(known_part(traj, "end").lon) == [0.002, 1.0]
    assert list(known_part(traj, "middle").lon) == [0.001, 1.0]
    trace = resample(traj)
    assert trace.shape == (2, 10, 2)
    assert trace[0, :, 1] == pytest.approx(np.linspace(0, 0.002, 10))
    assert trace[1, :, 0] == pytest.approx(np.ones(10))


def _trips(n: int = 12, points: int = 30, seed: int = 0) -> pd.DataFrame:
    """n random walks, starts 0.6° (about 67 km) apart, distinct lengths and durations."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n):
        lat = (
            40.0
            + 0.6 * i
            + np.concatenate([[0.0], np.cumsum(rng.uniform(0, 5e-4 * (i + 1), points - 1))])
        )
        lon = -8.0 + np.concatenate([[0.0], np.cumsum(rng.normal(0, 3e-4, points - 1))])
        t = 1_372_662_532 + np.arange(points) * (10 + 3 * i)
        rows += [(i, int(t[p]), float(lat[p]), float(lon[p])) for p in range(points)]
    return _frame(rows)


FULL = dict(
    known_features=["length", "duration"],
    target_feature="speed",
    known_signal_position="start",
    target_signal_poi="start",
)


@pytest.mark.parametrize("projection", ["geolocation_density", "geolocation_features"])
def test_identity_gives_zero_protection(projection: str) -> None:
    trips = _trips()
    [metrics] = geolocation_privacy(
        trips, trips.sample(frac=1.0, random_state=1), [Scenario(projection, **FULL)]
    )
    assert metrics.hidden_rate == 0
    assert metrics.local_cloaking == 0
    assert metrics.distance_to_closest == 0
    assert metrics.specific_hidden_rate == 0
    assert metrics.trace_correlation_protection_rate == 0
    assert metrics.features_correlation_protection_rate == 0
    assert metrics.features_inference_rate == 0
    assert metrics.inference_distances == [0.0] * 12
    assert metrics.thresholded_signal_inference_rate == 0
    # Every avatar sits on its original (DCR 0 <= tau, NNDR 0 < 0.3): all at risk.
    assert metrics.closest_distances_ratio == 0
    assert metrics.closest_rate == 0


def test_pure_northward_shift() -> None:
    trips = _trips()
    shifted = trips.assign(lat=trips["lat"] + 1000 / METRES_PER_DEGREE)
    scenarios = [
        Scenario("geolocation_features", **FULL, inference_metric_threshold=500.0),
        Scenario("geolocation_features", **FULL, inference_metric_threshold=1500.0),
    ]
    at_500, at_1500 = geolocation_privacy(trips, shifted, scenarios)
    assert at_500.features_correlation_protection_rate == pytest.approx(0.0, abs=1e-9)
    assert at_500.inference_distances is not None
    assert np.allclose(at_500.inference_distances, 1000.0, atol=1.0)
    assert at_500.thresholded_signal_inference_rate == 100
    assert at_1500.thresholded_signal_inference_rate == 0
    assert at_500.trace_correlation_protection_rate == 0


def test_a_scenario_with_only_a_projection_has_nulls_elsewhere() -> None:
    trips = _trips(6)
    [metrics] = geolocation_privacy(trips, trips, [Scenario("geolocation_density", 10, 10)])
    assert metrics.hidden_rate == 0 and metrics.distance_to_closest == 0
    assert metrics.closest_distances_ratio is not None and metrics.closest_rate is not None
    for name in (
        "specific_hidden_rate",
        "features_inference_rate",
        "features_correlation_protection_rate",
        "thresholded_signal_inference_rate",
        "trace_correlation_protection_rate",
        "inference_distances",
    ):
        assert getattr(metrics, name) is None


def test_block_scans_match_a_whole_matrix(monkeypatch: pytest.MonkeyPatch) -> None:
    import avatars_server.engine.geolocation as geo

    trips = _trips(9, 20, seed=3)
    rng = np.random.default_rng(4)
    noisy = trips.assign(lat=trips["lat"] + rng.normal(0, 0.2, len(trips)))
    scenario = Scenario("geolocation_features", **FULL)
    whole = geolocation_privacy(trips, noisy, [scenario])[0]
    monkeypatch.setattr(geo, "_BLOCK_CELLS", 7)  # one row per block
    blocked = geolocation_privacy(trips, noisy, [scenario])[0]
    assert blocked == whole
    # hidden rate and local cloaking by hand from the whole feature-distance matrix
    from scipy.spatial.distance import cdist

    fo = trip_features(trajectories(trips, "id"))
    fa = trip_features(trajectories(noisy, "id", [str(i) for i in range(9)]))
    mean, sd = fo.mean(axis=0), fo.std(axis=0)
    d = cdist((fo - mean) / sd, (fa - mean) / sd)
    own = np.diag(d)
    hits = (d.min(axis=1) >= own) / (d <= own[:, None]).sum(axis=1)
    assert whole.hidden_rate == pytest.approx(100 * (1 - hits.mean()))
    assert whole.local_cloaking == np.median((d <= own[:, None]).sum(axis=1) - 1)
    assert whole.distance_to_closest == pytest.approx(np.median(d.min(axis=0)))


def test_porto_trips_trimmed_are_mostly_linkable() -> None:
    porto = pd.read_csv(PORTO)
    trimmed = porto.groupby("id", sort=False).head(20)
    [metrics] = geolocation_privacy(porto, trimmed, [Scenario("geolocation_density", **FULL)])
    # Observed values (deterministic: no randomness in these metrics).
    assert metrics.hidden_rate == pytest.approx(5.0)
    assert metrics.specific_hidden_rate == pytest.approx(14.5)
    assert metrics.trace_correlation_protection_rate == pytest.approx(50.5)
    assert metrics.thresholded_signal_inference_rate == pytest.approx(19.0)
    assert metrics.inference_distances is not None and len(metrics.inference_distances) == 200
    # Trimming keeps the start point: the inferred start is exact when the trace links.
    assert np.mean(np.array(metrics.inference_distances) == 0) == pytest.approx(0.495)


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        (pd.DataFrame({"id": [1], "t": [0], "lat": [0.0]}), "MISSING_GEO_COLUMN"),
        (pd.DataFrame({"id": [1], "t": [0], "lat": [91.0], "lon": [0.0]}), "INVALID_COORDINATE"),
        (pd.DataFrame({"id": [1], "t": [0], "lat": [0.0], "lon": [-181.0]}), "INVALID_COORDINATE"),
        (pd.DataFrame({"id": [1], "t": [0], "lat": [None], "lon": [0.0]}), "INVALID_COORDINATE"),
        (pd.DataFrame({"id": [2], "t": [0], "lat": [0.0], "lon": [0.0]}), "INDIVIDUAL_MISMATCH"),
    ],
)
def test_bad_trajectory_data_is_refused(frame: pd.DataFrame, code: str) -> None:
    good = pd.DataFrame({"id": [1, 1], "t": [0, 1], "lat": [0.0, 1.0], "lon": [0.0, 1.0]})
    with pytest.raises(AvatarError) as caught:
        geolocation_privacy(good, frame, [Scenario()])
    assert caught.value.code == code


def test_target_feature_among_known_features_is_refused() -> None:
    trips = _trips(3)
    with pytest.raises(AvatarError, match="target_feature 'speed' is among known_features"):
        geolocation_privacy(
            trips, trips, [Scenario(known_features=["speed"], target_feature="speed")]
        )


def test_haversine_is_symmetric_and_zero_on_itself() -> None:
    assert float(haversine(41.1, -8.6, 41.1, -8.6)) == 0
    assert math.isclose(float(haversine(1, 2, 3, 4)), float(haversine(3, 4, 1, 2)))
