"""POST /reports/from_batch end to end: worst privacy, mean signal, the per-batch table."""

from __future__ import annotations

import io
import json
import uuid
from dataclasses import dataclass

import pypdf
import pytest

from avatar_api_client.models import (
    PrivacyMetricsBatchJobCreate,
    PrivacyMetricsBatchParameters,
    ReportFromBatchCreate,
    SignalBatchDatasetMapping,
    SignalMetricsBatchJobCreate,
    SignalMetricsBatchParameters,
)
from avatars.client import ApiClient
from avatars.exceptions import ConflictError, NotFoundError, UnprocessableEntityError
from avatars.models import JobStatus
from avatars_server.reports.content import ReportContent
from avatars_server.reports.wording import format_value
from tests.e2e.test_jobs_batch import WAIT, batch_job, table, upload
from tests.e2e.test_reports import _download_when_ready

NAMES = ("batch-train", "batch-one", "batch-two")


@dataclass(frozen=True)
class BatchJobs:
    batches: list[uuid.UUID]
    avatarization: uuid.UUID
    privacy: uuid.UUID
    signal: uuid.UUID


@pytest.fixture(scope="module")
def owner(local_server, request) -> ApiClient:  # type: ignore[no-untyped-def]
    from tests.factories import create_user, logged_in_client

    with local_server.client() as admin:
        client = logged_in_client(local_server, create_user(admin))
    request.addfinalizer(client.close)
    return client


def _privacy_by_job(client: ApiClient, job_id: uuid.UUID) -> uuid.UUID:
    job = client.jobs.create_privacy_metrics_batch_job(
        PrivacyMetricsBatchJobCreate(
            parameters=PrivacyMetricsBatchParameters(avatarization_batch_job_id=job_id, seed=1)
        )
    )
    return job.id


@pytest.fixture(scope="module")
def jobs(owner: ApiClient) -> BatchJobs:
    batches = [
        upload(owner, table(n, seed), name=name, identifier_variables=["patient"])
        for seed, (n, name) in enumerate(zip((120, 100, 80), NAMES, strict=True))
    ]
    job = owner.jobs.get_avatarization_batch_job(
        batch_job(owner, batches[0], batches[1:]), timeout=WAIT
    )
    assert job.status == JobStatus.SUCCESS, job.error_message
    privacy = owner.jobs.get_privacy_metrics_batch_job(_privacy_by_job(owner, job.id), timeout=WAIT)
    assert privacy.status == JobStatus.SUCCESS, privacy.error_message
    # The signal job names the pairs by hand: the other pairing form.
    signal = owner.jobs.create_signal_metrics_batch_job(
        SignalMetricsBatchJobCreate(
            parameters=SignalMetricsBatchParameters(
                training_dataset_mapping=SignalBatchDatasetMapping(
                    original_id=job.result.training_result.original_id,
                    avatars_id=job.result.training_result.avatars_dataset.id,
                ),
                batch_dataset_mappings=[
                    SignalBatchDatasetMapping(
                        original_id=b.original_id, avatars_id=b.avatars_dataset.id
                    )
                    for b in job.result.batch_results
                ],
            )
        )
    )
    signal = owner.jobs.get_signal_metrics_batch_job(signal.id, timeout=WAIT)
    assert signal.status == JobStatus.SUCCESS, signal.error_message
    return BatchJobs(batches, job.id, privacy.id, signal.id)


def _request(jobs: BatchJobs, **change: uuid.UUID) -> ReportFromBatchCreate:
    ids = {
        "avatarization_batch_job_id": jobs.avatarization,
        "privacy_batch_job_id": jobs.privacy,
        "signal_batch_job_id": jobs.signal,
        **change,
    }
    return ReportFromBatchCreate(**ids)


def test_batch_report_downloads_as_pdf_html_and_json(owner: ApiClient, jobs: BatchJobs) -> None:
    report = owner.reports.create_report_from_batch(_request(jobs))
    assert report.job_id == jobs.avatarization
    privacy = owner.jobs.get_privacy_metrics_batch_job(jobs.privacy).result
    signal = owner.jobs.get_signal_metrics_batch_job(jobs.signal).result
    per_privacy = [privacy.training_metrics, *privacy.batch_metrics]
    per_signal = [signal.training_metrics, *signal.batch_metrics]
    worst = privacy.worst_metrics.hidden_rate
    assert worst == min(p.hidden_rate for p in per_privacy)

    content = ReportContent.from_json(_download_when_ready(owner, report.id, "json"))
    assert content.provenance.kind == "from_batch"
    assert content.provenance.avatarization_job_id == str(jobs.avatarization)
    hidden = content.metric("hidden_rate")
    assert hidden is not None and hidden.value == worst and hidden.target == "> 90%"
    local_cloaking = content.metric("local_cloaking")
    assert local_cloaking is not None
    assert local_cloaking.value == privacy.worst_metrics.local_cloaking
    hellinger = content.metric("hellinger_mean")
    assert hellinger is not None
    assert hellinger.value == pytest.approx(signal.mean_metrics.hellinger_mean)
    assert [b.original_id for b in content.batches] == [str(b) for b in jobs.batches]
    assert [b.name for b in content.batches] == list(NAMES)
    assert [b.rows for b in content.batches] == [120, 100, 80]
    assert [b.training for b in content.batches] == [True, False, False]
    assert [b.privacy["hidden_rate"] for b in content.batches] == [
        p.hidden_rate for p in per_privacy
    ]
    assert [b.signal["hellinger_mean"] for b in content.batches] == pytest.approx(
        [s.hellinger_mean for s in per_signal]
    )
    assert any("no figures" in note for note in content.notes)
    assert content.figures.projection is None and content.figures.distributions == []

    pdf = _download_when_ready(owner, report.id, "pdf")
    pages = pypdf.PdfReader(io.BytesIO(pdf)).pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())
    assert format_value(worst) in text
    assert "Every batch" in text
    for name, p in zip(NAMES, per_privacy, strict=True):
        assert name in text
        assert format_value(p.hidden_rate) in text
    assert "no figures" in text

    html = _download_when_ready(owner, report.id, "html").decode("utf-8")
    assert 'id="batches"' in html and format_value(worst) in html
    for name in NAMES:
        assert name in html
    json.loads(_download_when_ready(owner, report.id, "json"))


def test_the_same_request_returns_the_same_report(owner: ApiClient, jobs: BatchJobs) -> None:
    first = owner.reports.create_report_from_batch(_request(jobs))
    second = owner.reports.create_report_from_batch(_request(jobs))
    assert first.id == second.id
    assert owner.reports.get_report(first.id).job_id == jobs.avatarization


def test_another_user_s_batch_jobs_answer_404(jobs: BatchJobs, user_client: ApiClient) -> None:
    with pytest.raises(NotFoundError, match="avatarization_batch_job_id"):
        user_client.reports.create_report_from_batch(_request(jobs))


def test_wrong_kinds_answer_422(owner: ApiClient, jobs: BatchJobs) -> None:
    with pytest.raises(UnprocessableEntityError, match="privacy_metrics_batch job"):
        owner.reports.create_report_from_batch(_request(jobs, privacy_batch_job_id=jobs.signal))
    with pytest.raises(UnprocessableEntityError, match="avatarization_batch job"):
        owner.reports.create_report_from_batch(
            _request(jobs, avatarization_batch_job_id=jobs.privacy)
        )


def test_metrics_jobs_of_another_batch_job_answer_422(owner: ApiClient, jobs: BatchJobs) -> None:
    other = owner.jobs.get_avatarization_batch_job(
        batch_job(owner, jobs.batches[0], jobs.batches[1:2]), timeout=WAIT
    )
    assert other.status == JobStatus.SUCCESS, other.error_message
    # The privacy job names the first batch job by id.
    with pytest.raises(UnprocessableEntityError, match="avatarization_batch_job_id = "):
        owner.reports.create_report_from_batch(_request(jobs, avatarization_batch_job_id=other.id))
    # The signal job's mappings name three batches, the other job has two.
    own_privacy = owner.jobs.get_privacy_metrics_batch_job(
        _privacy_by_job(owner, other.id), timeout=WAIT
    )
    with pytest.raises(UnprocessableEntityError, match="does not pair"):
        owner.reports.create_report_from_batch(
            _request(jobs, avatarization_batch_job_id=other.id, privacy_batch_job_id=own_privacy.id)
        )


def test_a_metrics_job_that_did_not_succeed_answers_409(owner: ApiClient, jobs: BatchJobs) -> None:
    job_id = _privacy_by_job(owner, jobs.avatarization)
    owner.jobs.cancel_job(job_id)
    status = owner.jobs.get_privacy_metrics_batch_job(job_id).status
    if status == JobStatus.SUCCESS:  # pragma: no cover - finished before the cancel
        pytest.skip("the privacy batch job finished before it could be cancelled")
    with pytest.raises(ConflictError, match="privacy_batch_job_id") as raised:
        owner.reports.create_report_from_batch(_request(jobs, privacy_batch_job_id=job_id))
    assert "Run the job again" in str(raised.value) or "Wait until" in str(raised.value)
