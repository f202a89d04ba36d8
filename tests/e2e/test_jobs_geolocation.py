"""Geolocation privacy jobs through the client against a real server (method-extended §4)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from avatars.client import ApiClient
from avatars.exceptions import NotFoundError, UnprocessableEntityError
from avatars.models import (
    GeolocationDensityParameters,
    GeolocationFeatures,
    GeolocationFeaturesParameters,
    JobStatus,
    PointOfInterest,
    PrivacyMetricsGeolocationJobCreate,
    PrivacyMetricsGeolocationParameters,
    PrivacyMetricsGeolocationScenario,
    SignalPosition,
)

PORTO = Path(__file__).resolve().parents[1] / "data" / "extended" / "porto_taxi_200.csv"
WAIT = 120.0


def _upload(client: ApiClient, frame: pd.DataFrame) -> uuid.UUID:
    return client.pandas_integration.upload_dataframe(
        frame, identifier_variables=["id"], progress=False
    ).id


def _request(
    original: uuid.UUID, avatars: uuid.UUID, *scenarios: PrivacyMetricsGeolocationScenario
) -> PrivacyMetricsGeolocationJobCreate:
    return PrivacyMetricsGeolocationJobCreate(
        parameters=PrivacyMetricsGeolocationParameters(
            original_dataset_id=original,
            unshuffled_avatar_dataset_id=avatars,
            scenarios=list(scenarios),
        )
    )


FULL = PrivacyMetricsGeolocationScenario(
    projection_parameters=GeolocationDensityParameters(),
    known_features=[GeolocationFeatures.LENGTH, GeolocationFeatures.DURATION],
    target_feature=GeolocationFeatures.SPEED,
    known_signal_position=SignalPosition.START,
    target_signal_poi=PointOfInterest.START,
)


@pytest.fixture(scope="module")
def porto() -> pd.DataFrame:
    return pd.read_csv(PORTO)


def test_porto_trimmed_trips_get_the_metrics_of_every_scenario(
    user_client: ApiClient, porto: pd.DataFrame
) -> None:
    original = _upload(user_client, porto)
    trimmed = _upload(user_client, porto.groupby("id", sort=False).head(20))
    only_projection = PrivacyMetricsGeolocationScenario(
        projection_parameters=GeolocationFeaturesParameters()
    )
    created = user_client.jobs.create_privacy_metrics_geolocation_job(
        _request(original, trimmed, FULL, only_projection)
    )
    assert created.status == JobStatus.PENDING
    job = user_client.jobs.get_privacy_metrics_geolocation_job(created.id, timeout=WAIT)
    assert job.status == JobStatus.SUCCESS, job.error_message
    assert job.result is not None
    first, second = job.result.privacy_metrics_per_scenario
    # Same values as the engine's reference run (tests/unit/engine/test_geolocation.py).
    assert first.privacy_metrics.hidden_rate == pytest.approx(5.0)
    assert first.privacy_metrics.specific_hidden_rate == pytest.approx(14.5)
    assert first.privacy_metrics.trace_correlation_protection_rate == pytest.approx(50.5)
    assert first.privacy_metrics.thresholded_signal_inference_rate == pytest.approx(19.0)
    assert len(first.privacy_metrics.inference_distances or []) == 200
    # Scenarios are echoed in request order with their defaults filled in.
    projection = first.parameters.projection_parameters
    assert isinstance(projection, GeolocationDensityParameters)
    assert (projection.n_lat_to_compute, projection.n_lon_to_compute) == (100, 100)
    assert first.parameters.inference_metric_threshold == 500
    assert second.privacy_metrics.hidden_rate == pytest.approx(97.5)
    assert second.privacy_metrics.specific_hidden_rate is None
    assert second.privacy_metrics.inference_distances is None
    # The kind-specific GET of another kind names the right route.
    with pytest.raises(NotFoundError, match="privacy_geolocation"):
        user_client.jobs.get_privacy_metrics(job.id, timeout=1)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda f: f.drop(columns=["lat"]), r"no column \['lat'\]"),
        (lambda f: f.assign(lat=f["lat"].where(f.index != 3, 95.0)), "invalid 'lat' at row 3"),
        (lambda f: f.assign(lon=f["lon"].where(f.index != 0, -200.0)), "invalid 'lon' at row 0"),
        (lambda f: f.assign(id=f["id"] + 1000), "same trajectory ids"),
    ],
    ids=["missing-lat", "latitude-out-of-range", "longitude-out-of-range", "other-ids"],
)
def test_bad_trajectory_data_is_refused_before_the_job_exists(
    user_client: ApiClient,
    porto: pd.DataFrame,
    change: Callable[[pd.DataFrame], pd.DataFrame],
    expected: str,
) -> None:
    small = porto[porto["id"] < 5].reset_index(drop=True)
    original = _upload(user_client, small)
    avatars = _upload(user_client, change(small))
    before = len(user_client.jobs.find_all_jobs_by_user())
    with pytest.raises(UnprocessableEntityError, match=expected) as caught:
        user_client.jobs.create_privacy_metrics_geolocation_job(_request(original, avatars, FULL))
    assert "unshuffled_avatar_dataset_id" in caught.value.message
    assert len(user_client.jobs.find_all_jobs_by_user()) == before


def test_target_feature_among_known_features_is_a_422(
    user_client: ApiClient, porto: pd.DataFrame
) -> None:
    small = _upload(user_client, porto[porto["id"] < 5])
    scenario = PrivacyMetricsGeolocationScenario(
        projection_parameters=GeolocationFeaturesParameters(),
        known_features=[GeolocationFeatures.SPEED],
        target_feature=GeolocationFeatures.SPEED,
    )
    with pytest.raises(UnprocessableEntityError, match=r"scenarios\.0\.target_feature"):
        user_client.jobs.create_privacy_metrics_geolocation_job(_request(small, small, scenario))


def test_another_users_dataset_is_a_404(
    user_client_factory: Callable[[], ApiClient], porto: pd.DataFrame
) -> None:
    alice, bob = user_client_factory(), user_client_factory()
    theirs = _upload(alice, porto[porto["id"] < 5])
    mine = _upload(bob, porto[porto["id"] < 5])
    with pytest.raises(NotFoundError):
        bob.jobs.create_privacy_metrics_geolocation_job(_request(mine, theirs, FULL))
