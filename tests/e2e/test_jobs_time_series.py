"""Time-series jobs through our client against a real server (reference §2.6, §3.9)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path

import httpx
import numpy as np
import pandas as pd
import pytest

from avatars.client import ApiClient
from avatars.exceptions import NotFoundError, UnprocessableEntityError
from avatars.local import LocalServer
from avatars.models import (
    AvatarizationTimeSeriesParameters,
    AvatarizationWithTimeSeriesJobCreate,
    AvatarizationWithTimeSeriesParameters,
    FlattenParameters,
    FPCAParameters,
    JobStatus,
    PrivacyMetricsTimeSeriesParameters,
    PrivacyMetricsWithTimeSeriesJobCreate,
    PrivacyMetricsWithTimeSeriesParameters,
    SignalMetricsTimeSeriesParameters,
    SignalMetricsWithTimeSeriesJobCreate,
    SignalMetricsWithTimeSeriesParameters,
)
from tests.factories import create_user, logged_in_client

DATA = Path(__file__).resolve().parents[1] / "data" / "extended"
WAIT = 120.0


@pytest.fixture(scope="module")
def frames() -> dict[str, pd.DataFrame]:
    return {
        name: pd.read_csv(DATA / f"sensors_{name}.csv")
        for name in ("vanilla", "timeseries1", "timeseries2")
    }


def _upload(client: ApiClient, frame: pd.DataFrame, name: str) -> uuid.UUID:
    dataset = client.pandas_integration.upload_dataframe(
        frame, name=name, identifier_variables=["id"], progress=False
    )
    return dataset.id


def _ts(dataset_id: uuid.UUID, nf: int | None) -> AvatarizationTimeSeriesParameters:
    projection = FlattenParameters() if nf is None else FPCAParameters(nf=nf)
    return AvatarizationTimeSeriesParameters(
        dataset_id=dataset_id, projection_parameters=projection
    )


def _create(
    client: ApiClient,
    vanilla: uuid.UUID | None,
    series: list[AvatarizationTimeSeriesParameters],
    k: int = 10,
) -> uuid.UUID:
    parameters = AvatarizationWithTimeSeriesParameters(
        k=k, time_series=series, seed=3, vanilla_dataset_id=vanilla
    )
    job = client.jobs.create_avatarization_with_time_series_job(
        AvatarizationWithTimeSeriesJobCreate(parameters=parameters)
    )
    return job.id


def test_long_tables_round_trip_through_pandas_integration(
    user_client: ApiClient, frames: dict[str, pd.DataFrame]
) -> None:
    for name in ("timeseries1", "timeseries2"):
        frame = frames[name]
        dataset_id = _upload(user_client, frame, "round trip")
        back = user_client.pandas_integration.download_dataframe(dataset_id)
        # Exactly: int identifiers and times, float values to the last digit, row order.
        pd.testing.assert_frame_equal(back, frame)
        columns = user_client.datasets.get_dataset(dataset_id).columns
        assert [(c.label, c.type_.value, bool(c.is_identifier)) for c in columns][:2] == [
            ("id", "int", True),
            ("t", "int", False),
        ]


def test_sample_data_anonymise_with_their_metrics(
    user_client: ApiClient, frames: dict[str, pd.DataFrame]
) -> None:
    vanilla = _upload(user_client, frames["vanilla"], "sensors vanilla")
    s1 = _upload(user_client, frames["timeseries1"], "sensors 1")
    s2 = _upload(user_client, frames["timeseries2"], "sensors 2")
    job_id = _create(user_client, vanilla, [_ts(s1, 5), _ts(s2, None)])
    job = user_client.jobs.get_avatarization_time_series_job(job_id, timeout=WAIT)
    assert job.status == JobStatus.SUCCESS, job.error_message
    assert job.parameters.time_series[0].projection_parameters.nf == 5
    assert isinstance(job.parameters.time_series[1].projection_parameters, FlattenParameters)
    results = job.result.datasets
    assert [r.original_id for r in results] == [vanilla, s1, s2]

    released = [
        user_client.pandas_integration.download_dataframe(r.avatars_dataset.id) for r in results
    ]
    unshuffled = [
        user_client.pandas_integration.download_dataframe(
            r.sensitive_unshuffled_avatars_datasets.id
        )
        for r in results
    ]
    # Vanilla: same columns, surrogate keys 0..199 in released order, categories kept.
    assert list(released[0].columns) == list(frames["vanilla"].columns)
    assert released[0]["id"].tolist() == list(range(200))
    assert sorted(unshuffled[0]["id"]) == list(range(200))
    assert set(released[0]["workclass"]) <= set(frames["vanilla"]["workclass"])
    # Series: the common grids are kept, ids are the avatar individuals' surrogates.
    for frame, size, result in ((released[1], 30, results[1]), (released[2], 50, results[2])):
        assert set(frame.groupby("id")["t"].apply(tuple)) == {tuple(range(size))}
        assert frame["id"].is_monotonic_increasing
        assert set(frame["id"]) == set(range(200))
        assert result.avatars_dataset.nb_lines == 200 * size
        assert result.avatars_dataset.columns[0].is_identifier
    assert list(released[1].columns) == ["id", "t", "sensor1", "sensor2"]
    # The unshuffled series follow the originals' individual order (0..199 here).
    owner = unshuffled[0]["id"].tolist()
    assert unshuffled[1]["id"].drop_duplicates().tolist() == owner

    privacy = user_client.jobs.create_privacy_metrics_time_series_job(
        PrivacyMetricsWithTimeSeriesJobCreate(
            parameters=PrivacyMetricsWithTimeSeriesParameters(
                vanilla_original_id=vanilla,
                vanilla_unshuffled_avatars_id=results[0].sensitive_unshuffled_avatars_datasets.id,
                time_series=[
                    PrivacyMetricsTimeSeriesParameters(
                        dataset_id=original,
                        unshuffled_avatar_dataset_id=r.sensitive_unshuffled_avatars_datasets.id,
                        projection_parameters=FPCAParameters(nf=3),
                    )
                    for original, r in ((s1, results[1]), (s2, results[2]))
                ],
                seed=1,
            )
        )
    )
    privacy_job = user_client.jobs.get_privacy_metrics_time_series_job(privacy.id, timeout=WAIT)
    assert privacy_job.status == JobStatus.SUCCESS, privacy_job.error_message
    details = privacy_job.result.details
    assert [d.original_id for d in details] == [vanilla, s1, s2]
    assert all(d.metrics_type == "time_series" for d in details)
    for d in details[1:]:
        assert 50 <= d.hidden_rate <= 100
        assert d.row_direct_match_protection == 100.0
        assert d.categorical_hidden_rate == pytest.approx(99.5)
        assert d.targets.hidden_rate == "> 90%"

    signal = user_client.jobs.create_signal_metrics_time_series_job(
        SignalMetricsWithTimeSeriesJobCreate(
            parameters=SignalMetricsWithTimeSeriesParameters(
                vanilla_original_id=vanilla,
                vanilla_avatars_id=results[0].avatars_dataset.id,
                time_series=[
                    SignalMetricsTimeSeriesParameters(
                        dataset_id=original, avatar_dataset_id=r.avatars_dataset.id
                    )
                    for original, r in ((s1, results[1]), (s2, results[2]))
                ],
            )
        )
    )
    signal_job = user_client.jobs.get_signal_metrics_time_series_job(signal.id, timeout=WAIT)
    assert signal_job.status == JobStatus.SUCCESS, signal_job.error_message
    vanilla_signal, *series_signal = signal_job.result.details
    assert 0 <= vanilla_signal.hellinger_mean <= 1
    for d in series_signal:
        assert 0 < d.pointwise_hellinger_mean < 1 and 0 < d.density_hellinger_mean < 1
    # wait() finds the kind of a time-series job too.
    assert user_client.jobs.wait(signal.id, progress=False).id == signal.id


def test_getter_of_another_kind_names_the_right_route(
    user_client: ApiClient, frames: dict[str, pd.DataFrame]
) -> None:
    s1 = _upload(user_client, frames["timeseries1"], "s1")
    job_id = _create(user_client, None, [_ts(s1, 2)])
    with pytest.raises(NotFoundError) as info:
        user_client.jobs.get_avatarization_job(job_id, timeout=0)
    assert "/jobs/avatarization_with_time_series/" in info.value.message
    job = user_client.jobs.get_avatarization_time_series_job(job_id, timeout=WAIT)
    assert job.status == JobStatus.SUCCESS, job.error_message
    assert [d.original_id for d in job.result.datasets] == [s1]
    listed = user_client.jobs.find_all_jobs_by_user()
    assert [(j.id, j.kind.value) for j in listed] == [(job_id, "avatarization_with_time_series")]


def _series(n: int = 12, points: int = 5) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    return pd.DataFrame(
        {
            "id": np.repeat(np.arange(n), points),
            "t": np.tile(np.arange(points), n),
            "hr": rng.normal(size=n * points).round(2),
        }
    )


def _refused(call: Callable[[], object], code: str) -> str:
    with pytest.raises(UnprocessableEntityError) as info:
        call()
    detail = info.value.detail
    assert isinstance(detail, list) and detail[0]["type"] == code, detail
    return info.value.message


def test_bad_inputs_answer_422_with_what_to_fix_and_start_nothing(
    user_client: ApiClient,
) -> None:
    vanilla = pd.DataFrame({"id": range(12), "age": np.arange(12) * 3 + 20})

    def avatarize(series: pd.DataFrame, nf: int = 2, with_vanilla: bool = True) -> object:
        v = _upload(user_client, vanilla, "v") if with_vanilla else None
        s = user_client.pandas_integration.upload_dataframe(series, progress=False).id
        return _create(user_client, v, [_ts(s, nf)], k=3)

    message = _refused(lambda: avatarize(_series().rename(columns={"id": "pid"})), "NO_ID_COLUMN")
    assert "'id'" in message
    message = _refused(lambda: avatarize(_series().rename(columns={"t": "when"})), "NO_TIME_COLUMN")
    assert "'t'" in message
    words = _series().assign(kind=lambda f: np.where(f["hr"] > 0, "up", "down"))
    message = _refused(lambda: avatarize(words), "NON_NUMERIC_SERIES_COLUMN")
    assert "'kind'" in message and "vanilla" in message
    message = _refused(lambda: avatarize(_series(n=13)), "UNKNOWN_INDIVIDUAL")
    assert "12" in message
    duplicated = pd.concat([vanilla, vanilla.tail(1)])

    def duplicate() -> object:
        v = _upload(user_client, duplicated, "dup")
        s = user_client.pandas_integration.upload_dataframe(_series(), progress=False).id
        return _create(user_client, v, [_ts(s, 2)], k=3)

    message = _refused(duplicate, "DUPLICATE_KEY")
    assert "'11'" in message
    for nf in (0, 6):
        message = _refused(lambda nf=nf: avatarize(_series(), nf=nf), "INVALID_NF")
        assert "nf" in message
    # Without a vanilla, k is checked against the individuals of the series (12).
    series_only = _upload(user_client, _series(), "s")
    _refused(lambda: _create(user_client, None, [_ts(series_only, 2)], k=12), "INVALID_K")

    original = user_client.pandas_integration.upload_dataframe(_series(12), progress=False).id
    other = user_client.pandas_integration.upload_dataframe(_series(11), progress=False).id
    message = _refused(
        lambda: user_client.jobs.create_privacy_metrics_time_series_job(
            PrivacyMetricsWithTimeSeriesJobCreate(
                parameters=PrivacyMetricsWithTimeSeriesParameters(
                    time_series=[
                        PrivacyMetricsTimeSeriesParameters(
                            dataset_id=original, unshuffled_avatar_dataset_id=other
                        )
                    ]
                )
            )
        ),
        "INDIVIDUAL_MISMATCH",
    )
    assert "vanilla" in message
    # Nothing was started.
    assert user_client.jobs.find_all_jobs_by_user() == []


def test_another_users_dataset_is_not_found(
    user_client_factory: Callable[[], ApiClient],
) -> None:
    owner, stranger = user_client_factory(), user_client_factory()
    series = owner.pandas_integration.upload_dataframe(_series(), progress=False).id
    with pytest.raises(NotFoundError):
        _create(stranger, None, [_ts(series, 2)], k=3)
    with pytest.raises(NotFoundError):
        stranger.jobs.create_signal_metrics_time_series_job(
            SignalMetricsWithTimeSeriesJobCreate(
                parameters=SignalMetricsWithTimeSeriesParameters(
                    time_series=[
                        SignalMetricsTimeSeriesParameters(
                            dataset_id=series, avatar_dataset_id=series
                        )
                    ]
                )
            )
        )
    assert stranger.jobs.find_all_jobs_by_user() == []


def test_projection_union_on_the_wire(local_server: LocalServer, admin_client: ApiClient) -> None:
    """`projection_type` discriminates; without it, `nf` means FPCA and nothing means flatten."""
    credentials = create_user(admin_client)
    token = httpx.post(
        f"{local_server.base_url}/login",
        data={"username": credentials.username, "password": credentials.password, "scope": ""},
    ).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    with logged_in_client(local_server, credentials) as client:
        series = _upload(client, _series(), "s")

    def post(projection: object) -> httpx.Response:
        body = {
            "parameters": {
                "k": 3,
                "time_series": [{"dataset_id": str(series), "projection_parameters": projection}],
            }
        }
        return httpx.post(
            f"{local_server.base_url}/jobs/avatarization_with_time_series",
            json=body,
            headers=headers,
        )

    echoed = [
        post(projection).json()["parameters"]["time_series"][0]["projection_parameters"]
        for projection in ({"nf": 2}, {}, {"nf": 2, "projection_type": None})
    ]
    assert echoed == [
        {"nf": 2, "projection_type": "fpca"},
        {"projection_type": "flatten"},
        {"nf": 2, "projection_type": "fpca"},
    ]
    missing_nf = post({"projection_type": "fpca"})
    assert missing_nf.status_code == 422
    assert "nf" in missing_nf.json()["message"]
    unknown = post({"projection_type": "wavelet"})
    assert unknown.status_code == 422


def test_missing_values_and_absent_individuals_through_the_server(
    user_client: ApiClient,
) -> None:
    rng = np.random.default_rng(4)
    vanilla = pd.DataFrame({"id": range(40), "age": rng.integers(20, 80, 40)})
    rows = []
    for i in range(0, 40, 4):  # a quarter of the individuals have a series
        for t in sorted(rng.choice(100, size=int(rng.integers(3, 9)), replace=False)):
            rows.append((i, int(t), round(float(rng.normal()), 2)))
    series = pd.DataFrame(rows, columns=["id", "t", "hr"])
    series.loc[series.index[::5], "hr"] = np.nan
    job_id = _create(
        user_client,
        _upload(user_client, vanilla, "v"),
        [_ts(_upload(user_client, series, "irregular"), 2)],
        k=5,
    )
    job = user_client.jobs.get_avatarization_time_series_job(job_id, timeout=WAIT)
    assert job.status == JobStatus.SUCCESS, job.error_message
    avatars = user_client.pandas_integration.download_dataframe(
        job.result.datasets[1].avatars_dataset.id
    )
    assert list(avatars.columns) == ["id", "t", "hr"]
    assert avatars["hr"].dtype == np.float64 and avatars["t"].dtype == np.int64
    # Presence is drawn: about a quarter of the avatars have a series.
    assert 2 <= avatars["id"].nunique() <= 25
    assert set(avatars["id"]) <= set(range(40))
    # Times are the avatar's own: evenly spaced on its drawn support, within the originals' span.
    assert avatars["t"].between(0, 99).all()
    observed = avatars["hr"].dropna()
    assert len(observed) and np.allclose(observed, observed.round(2))


def test_notebook_time_series_figure_from_a_job_id(
    user_client: ApiClient, frames: dict[str, pd.DataFrame]
) -> None:
    from avatars import plots

    s1 = _upload(user_client, frames["timeseries1"], "s1")
    s2 = _upload(user_client, frames["timeseries2"], "s2")
    job_id = _create(user_client, None, [_ts(s1, 4), _ts(s2, 4)])
    job = user_client.jobs.get_avatarization_time_series_job(job_id, timeout=WAIT)
    assert job.status == JobStatus.SUCCESS, job.error_message
    figure = plots.plot_job_time_series(user_client, job_id, series=1, samples=3)
    assert len(figure.axes) == 3 and figure.axes[0].get_ylabel() == "sensor3"
    assert figure.axes[1].get_title() == "3 of 200 avatars"
    band = figure.axes[2]
    expected = frames["timeseries2"].groupby("t")["sensor3"].mean()
    np.testing.assert_allclose(band.lines[0].get_ydata(), expected, rtol=1e-12)
    with pytest.raises(ValueError, match="has 2 series"):
        plots.plot_job_time_series(user_client, job_id, series=2)
