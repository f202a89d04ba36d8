"""POST /reports/geolocation_privacy end to end on the Porto sample: per-scenario metrics
against their targets, the trajectory map, PDF/HTML/JSON, idempotence and every bad input."""

from __future__ import annotations

import io
import json
import uuid
from dataclasses import dataclass

import pandas as pd
import pypdf
import pytest

from avatars.client import ApiClient
from avatars.exceptions import ConflictError, NotFoundError, UnprocessableEntityError
from avatars.models import (
    GeolocationFeaturesParameters,
    JobStatus,
    PrivacyMetricsGeolocationScenario,
    ReportGeolocationPrivacyCreate,
)
from avatars_server.reports.content import ReportContent
from avatars_server.reports.wording import format_value
from tests.e2e.test_jobs_geolocation import FULL, PORTO, WAIT, _request, _upload
from tests.e2e.test_reports import _download_when_ready

ONLY_PROJECTION = PrivacyMetricsGeolocationScenario(
    projection_parameters=GeolocationFeaturesParameters()
)


@dataclass(frozen=True)
class GeoJob:
    original: uuid.UUID
    treated: uuid.UUID
    job: uuid.UUID


@pytest.fixture(scope="module")
def owner(local_server, request) -> ApiClient:  # type: ignore[no-untyped-def]
    from tests.factories import create_user, logged_in_client

    with local_server.client() as admin:
        client = logged_in_client(local_server, create_user(admin))
    request.addfinalizer(client.close)
    return client


@pytest.fixture(scope="module")
def porto() -> pd.DataFrame:
    return pd.read_csv(PORTO)


@pytest.fixture(scope="module")
def geo(owner: ApiClient, porto: pd.DataFrame) -> GeoJob:
    original = _upload(owner, porto)
    treated = _upload(owner, porto.groupby("id", sort=False).head(20))
    created = owner.jobs.create_privacy_metrics_geolocation_job(
        _request(original, treated, FULL, ONLY_PROJECTION)
    )
    job = owner.jobs.get_privacy_metrics_geolocation_job(created.id, timeout=WAIT)
    assert job.status == JobStatus.SUCCESS, job.error_message
    return GeoJob(original, treated, job.id)


def _body(geo: GeoJob, **change: uuid.UUID) -> ReportGeolocationPrivacyCreate:
    ids = {
        "dataset_id": geo.original,
        "avatars_dataset_id": geo.treated,
        "privacy_job_id": geo.job,
        **change,
    }
    return ReportGeolocationPrivacyCreate(**ids)


def test_porto_report_has_every_scenario_against_targets_and_a_map(
    owner: ApiClient, geo: GeoJob
) -> None:
    report = owner.reports.create_geolocation_privacy_report(_body(geo))
    assert report.job_id == geo.job
    result = owner.jobs.get_privacy_metrics_geolocation_job(geo.job).result
    first, second = result.privacy_metrics_per_scenario

    content = ReportContent.from_json(_download_when_ready(owner, report.id, "json"))
    assert content.provenance.kind == "geolocation_privacy"
    assert content.provenance.privacy_job_id == str(geo.job)
    assert content.provenance.signal_job_id is None
    assert content.geolocation is not None
    scenarios = content.geolocation.scenarios
    assert [s.index for s in scenarios] == [0, 1]
    hidden = {m.name: m for m in scenarios[0].metrics}["hidden_rate"]
    assert hidden.value == pytest.approx(first.privacy_metrics.hidden_rate)
    assert hidden.target == "> 90%" and hidden.passed is False  # trimmed trips are linkable
    trace = {m.name: m for m in scenarios[0].metrics}["trace_correlation_protection_rate"]
    assert trace.value == pytest.approx(first.privacy_metrics.trace_correlation_protection_rate)
    specific = {m.name: m for m in scenarios[1].metrics}["specific_hidden_rate"]
    assert specific.value is None and specific.passed is None  # no known part in scenario 2
    assert scenarios[1].metrics[0].value == pytest.approx(second.privacy_metrics.hidden_rate)
    assert scenarios[0].inference_distance_count == 200
    assert scenarios[0].parameters["inference_metric_threshold"] == 500
    assert "scenario 1: Hidden rate" in content.conclusion.summary

    sample = content.geolocation.trajectories
    assert sample is not None
    assert sample.n_total == 200 and sample.n_sampled == 50
    assert len(set(sample.original_ids)) == 50 and set(sample.avatars_ids) == set(
        sample.original_ids
    )
    assert len(sample.original_lat) <= 50 * sample.max_points
    assert [d.role for d in content.datasets] == ["original", "unshuffled_avatars"]
    assert content.privacy.metrics == [] and content.signal.metrics == []

    pdf = _download_when_ready(owner, report.id, "pdf")
    pages = pypdf.PdfReader(io.BytesIO(pdf)).pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())
    assert "Scenario 1" in text and "Scenario 2" in text
    assert format_value(first.privacy_metrics.hidden_rate) in text
    assert "Original and treated trajectories" in text
    assert "no signal section" in text

    html = _download_when_ready(owner, report.id, "html").decode("utf-8")
    assert 'id="scenarios"' in html and "<svg" in html
    assert format_value(second.privacy_metrics.hidden_rate) in html
    json.loads(_download_when_ready(owner, report.id, "json"))


def test_the_same_request_returns_the_same_report(owner: ApiClient, geo: GeoJob) -> None:
    first = owner.reports.create_geolocation_privacy_report(_body(geo))
    second = owner.reports.create_geolocation_privacy_report(_body(geo))
    assert first.id == second.id
    assert owner.reports.get_report(first.id).job_id == geo.job


def test_unknown_ids_answer_404_naming_the_field(owner: ApiClient, geo: GeoJob) -> None:
    unknown = uuid.uuid4()
    for field in ("dataset_id", "avatars_dataset_id", "privacy_job_id"):
        with pytest.raises(NotFoundError, match=field):
            owner.reports.create_geolocation_privacy_report(_body(geo, **{field: unknown}))


def test_another_user_s_data_answer_404(geo: GeoJob, user_client: ApiClient) -> None:
    with pytest.raises(NotFoundError, match="dataset_id"):
        user_client.reports.create_geolocation_privacy_report(_body(geo))


def test_a_job_of_another_kind_answers_422(owner: ApiClient, geo: GeoJob) -> None:
    from avatars.models import PrivacyMetricsJobCreate, PrivacyMetricsParameters

    other = owner.jobs.create_privacy_metrics_job(
        PrivacyMetricsJobCreate(
            parameters=PrivacyMetricsParameters(
                original_id=geo.original, unshuffled_avatars_id=geo.original
            )
        )
    )
    with pytest.raises(UnprocessableEntityError, match="geolocation privacy job"):
        owner.reports.create_geolocation_privacy_report(_body(geo, privacy_job_id=other.id))


def test_datasets_the_job_did_not_compare_answer_422(owner: ApiClient, geo: GeoJob) -> None:
    with pytest.raises(UnprocessableEntityError, match="avatars_dataset_id") as raised:
        owner.reports.create_geolocation_privacy_report(_body(geo, avatars_dataset_id=geo.original))
    assert str(geo.treated) in str(raised.value)
    with pytest.raises(UnprocessableEntityError, match="dataset_id"):
        owner.reports.create_geolocation_privacy_report(_body(geo, dataset_id=geo.treated))


def test_a_job_that_did_not_succeed_answers_409(
    owner: ApiClient, geo: GeoJob, porto: pd.DataFrame
) -> None:
    created = owner.jobs.create_privacy_metrics_geolocation_job(
        _request(geo.original, geo.treated, FULL, FULL, FULL)
    )
    owner.jobs.cancel_job(created.id)
    status = owner.jobs.get_privacy_metrics_geolocation_job(created.id).status
    if status == JobStatus.SUCCESS:  # pragma: no cover - finished before the cancel
        pytest.skip("the job finished before it could be cancelled")
    with pytest.raises(ConflictError, match="privacy_job_id"):
        owner.reports.create_geolocation_privacy_report(_body(geo, privacy_job_id=created.id))


def test_a_malformed_body_answers_422(owner: ApiClient) -> None:
    with pytest.raises(UnprocessableEntityError, match="dataset_id"):
        owner.http.post("/reports/geolocation_privacy", json={"dataset_id": "not-a-uuid"})
