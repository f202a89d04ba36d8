"""Metrics, reports and stats routes through the client against a real server."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest

from avatars.client import ApiClient
from avatars.exceptions import ConflictError, NotFoundError, UnprocessableEntityError
from avatars.local import LocalServer
from avatars.models import (
    AvatarizationJob,
    AvatarizationJobCreate,
    AvatarizationParameters,
    PrivacyMetricsJobCreate,
    PrivacyMetricsParameters,
    ReportCreate,
    ReportFromDataCreate,
    SignalMetricsJobCreate,
    SignalMetricsParameters,
)
from avatars_server.reports.content import PRIVACY_METRIC_NAMES, ReportContent

ROOT = Path(__file__).resolve().parents[2]
IRIS = ROOT / "fixtures" / "iris.csv"
WAIT = 120.0


def _full_job(client: ApiClient, dataset_id: uuid.UUID, seed: int = 7) -> AvatarizationJob:
    job = client.jobs.create_full_avatarization_job(
        AvatarizationJobCreate(
            parameters=AvatarizationParameters(k=20, dataset_id=dataset_id, seed=seed)
        )
    )
    return client.jobs.wait(job.id, timeout=WAIT)


@pytest.fixture(scope="module")
def owner(local_server, request) -> ApiClient:  # type: ignore[no-untyped-def]
    from tests.factories import create_user, logged_in_client

    with local_server.client() as admin:
        client = logged_in_client(local_server, create_user(admin))
    request.addfinalizer(client.close)
    return client


@pytest.fixture(scope="module")
def full(owner: ApiClient) -> AvatarizationJob:
    dataset = owner.datasets.create_dataset(str(IRIS))
    return _full_job(owner, dataset.id)


def _killed_job(client: ApiClient) -> uuid.UUID:
    dataset = client.datasets.create_dataset(str(IRIS))
    job = client.jobs.create_full_avatarization_job(
        AvatarizationJobCreate(parameters=AvatarizationParameters(k=20, dataset_id=dataset.id))
    )
    client.jobs.cancel_job(job.id)
    return job.id


def _download_when_ready(client: ApiClient, report_id: uuid.UUID, fmt: str) -> bytes:
    deadline = time.monotonic() + WAIT
    while True:
        try:
            content = client.reports.download_report(report_id, format=fmt)
            assert content is not None
            return content
        except ConflictError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


# --------------------------------------------------------------------------- metrics


def test_projections_hold_every_row_on_three_axes_and_never_change(
    owner: ApiClient, full: AvatarizationJob
) -> None:
    first = owner.metrics.get_job_projections(full.id)
    second = owner.metrics.get_job_projections(full.id)
    assert len(first.records) == len(first.avatars) == 150
    assert {len(row) for row in first.records + first.avatars} == {3}
    assert first.to_dict() == second.to_dict()


def test_explained_variance_and_contributions(owner: ApiClient, full: AvatarizationJob) -> None:
    variance = owner.metrics.get_explained_variance(full.id)
    assert len(variance.raw) == len(variance.ratio) >= 3
    assert variance.raw == sorted(variance.raw, reverse=True)
    assert sum(variance.ratio) == pytest.approx(1.0)
    result = full.result
    original_id = owner.jobs.get_avatarization_job(full.id).parameters.dataset_id
    for dataset_id in (
        original_id,
        result.avatars_dataset.id,
        result.sensitive_unshuffled_avatars_datasets.id,
    ):
        data = owner.metrics.get_variable_contributions(full.id, dataset_id).to_dict()["data"]
        assert list(data) == ["Dim. 1", "Dim. 2", "Dim. 3", "Dim. 4", "Dim. 5"]
        for shares in data.values():
            assert set(shares) == {
                "sepal.length",
                "sepal.width",
                "petal.length",
                "petal.width",
                "variety",
            }
            assert sum(shares.values()) == pytest.approx(100.0)


def test_contributions_of_an_unrelated_dataset_answer_422(
    owner: ApiClient, full: AvatarizationJob
) -> None:
    other = owner.datasets.create_dataset(str(IRIS))
    with pytest.raises(UnprocessableEntityError, match="dataset_id"):
        owner.metrics.get_variable_contributions(full.id, other.id)


def test_metrics_routes_answer_404_to_another_user(
    full: AvatarizationJob, user_client: ApiClient
) -> None:
    with pytest.raises(NotFoundError):
        user_client.metrics.get_job_projections(full.id)
    with pytest.raises(NotFoundError):
        user_client.metrics.get_explained_variance(full.id)
    mine = user_client.datasets.create_dataset(str(IRIS))
    with pytest.raises(NotFoundError):
        user_client.metrics.get_variable_contributions(full.id, mine.id)


def test_metrics_routes_answer_409_for_a_job_that_did_not_succeed(owner: ApiClient) -> None:
    job_id = _killed_job(owner)
    with pytest.raises(ConflictError, match="killed"):
        owner.metrics.get_job_projections(job_id)
    with pytest.raises(ConflictError):
        owner.metrics.get_explained_variance(job_id)


def test_a_signal_job_has_no_projection(owner: ApiClient, full: AvatarizationJob) -> None:
    original_id = owner.jobs.get_avatarization_job(full.id).parameters.dataset_id
    signal = owner.jobs.create_signal_metrics_job(
        SignalMetricsJobCreate(
            parameters=SignalMetricsParameters(
                original_id=original_id, avatars_id=full.result.avatars_dataset.id
            )
        )
    )
    owner.jobs.get_signal_metrics(signal.id, timeout=WAIT)
    with pytest.raises(NotFoundError, match="signal_metrics"):
        owner.metrics.get_job_projections(signal.id)


def test_privacy_job_projections_use_its_metric_projection(
    owner: ApiClient, full: AvatarizationJob
) -> None:
    original_id = owner.jobs.get_avatarization_job(full.id).parameters.dataset_id
    privacy = owner.jobs.create_privacy_metrics_job(
        PrivacyMetricsJobCreate(
            parameters=PrivacyMetricsParameters(
                original_id=original_id,
                unshuffled_avatars_id=full.result.sensitive_unshuffled_avatars_datasets.id,
                seed=1,
            )
        )
    )
    owner.jobs.get_privacy_metrics(privacy.id, timeout=WAIT)
    projections = owner.metrics.get_job_projections(privacy.id)
    assert len(projections.records) == 150
    assert sum(owner.metrics.get_explained_variance(privacy.id).ratio) == pytest.approx(1.0)


# --------------------------------------------------------------------------- stats


def test_cluster_stats_describe_the_local_runner(user_client: ApiClient) -> None:
    stats = user_client.stats.get_cluster_stats()
    assert stats.n_active_tasks is not None and stats.n_active_tasks >= 0
    assert stats.available_concurrency is not None and stats.available_concurrency >= 0
    assert 0 <= (stats.utilization_rate_100 or 0) <= 100
    assert "local worker process" in (stats.status_message or "")


# --------------------------------------------------------------------------- reports


@pytest.fixture(scope="module")
def report_id(owner: ApiClient, full: AvatarizationJob) -> uuid.UUID:
    request = ReportCreate(
        avatarization_job_id=full.id, privacy_job_id=full.id, signal_job_id=full.id
    )
    return owner.reports.create_report(request).id


def test_a_full_job_makes_a_report_and_a_resent_request_the_same_one(
    owner: ApiClient, full: AvatarizationJob, report_id: uuid.UUID
) -> None:
    request = ReportCreate(
        avatarization_job_id=full.id, privacy_job_id=full.id, signal_job_id=full.id
    )
    again = owner.reports.create_report(request)
    assert again.id == report_id
    report = owner.reports.get_report(report_id)
    assert report.job_id == full.id
    assert report.download_url.endswith(f"/reports/{report_id}/download")


def test_report_json_holds_the_jobs_metrics_and_every_figure(
    owner: ApiClient, full: AvatarizationJob, report_id: uuid.UUID
) -> None:
    content = ReportContent.from_json(_download_when_ready(owner, report_id, "json"))
    privacy = full.result.privacy_metrics.to_dict()
    for name in PRIVACY_METRIC_NAMES:
        metric = content.metric(name)
        assert metric is not None and metric.value == privacy.get(name)
    signal = full.result.signal_metrics
    assert content.metric("hellinger_mean").value == signal.hellinger_mean  # type: ignore[union-attr]
    assert {d.role for d in content.datasets} == {"original", "avatars", "unshuffled_avatars"}
    assert content.parameters.avatarization is not None
    assert content.parameters.avatarization.seed == 7
    figures = content.figures
    assert figures.projection is not None and figures.projection.n_sampled == 150
    assert figures.explained_variance is not None and figures.contributions is not None
    assert len(figures.distributions) == 5 and figures.correlations is not None
    assert figures.local_cloaking is not None and figures.local_cloaking.n == 150
    assert content.privacy.local_cloaking_zero_share is not None


def test_report_downloads_as_pdf_and_html(owner: ApiClient, report_id: uuid.UUID) -> None:
    pdf = _download_when_ready(owner, report_id, "pdf")
    assert pdf.startswith(b"%PDF-")
    html = _download_when_ready(owner, report_id, "html")
    assert b"<svg" in html
    default = owner.reports.download_report(report_id)
    assert default == pdf


def test_report_routes_answer_404_to_another_user(
    full: AvatarizationJob, report_id: uuid.UUID, user_client: ApiClient
) -> None:
    with pytest.raises(NotFoundError):
        user_client.reports.get_report(report_id)
    with pytest.raises(NotFoundError):
        user_client.reports.download_report(report_id, format="json")
    with pytest.raises(NotFoundError, match="avatarization_job_id"):
        user_client.reports.create_report(
            ReportCreate(
                avatarization_job_id=full.id, privacy_job_id=full.id, signal_job_id=full.id
            )
        )


def test_report_on_a_job_that_did_not_succeed_answers_409(owner: ApiClient) -> None:
    job_id = _killed_job(owner)
    with pytest.raises(ConflictError, match="killed"):
        owner.reports.create_report(
            ReportCreate(avatarization_job_id=job_id, privacy_job_id=job_id, signal_job_id=job_id)
        )


def test_report_on_jobs_of_different_data_answers_422(
    owner: ApiClient, full: AvatarizationJob
) -> None:
    other = _full_job(owner, owner.datasets.create_dataset(str(IRIS)).id)
    with pytest.raises(UnprocessableEntityError, match="privacy_job_id"):
        owner.reports.create_report(
            ReportCreate(
                avatarization_job_id=full.id, privacy_job_id=other.id, signal_job_id=full.id
            )
        )
    signal_id = _signal_job(owner, other)
    with pytest.raises(UnprocessableEntityError, match="avatarization_job_id"):
        owner.reports.create_report(
            ReportCreate(
                avatarization_job_id=signal_id, privacy_job_id=other.id, signal_job_id=other.id
            )
        )


def _signal_job(client: ApiClient, job: AvatarizationJob) -> uuid.UUID:
    original_id = client.jobs.get_avatarization_job(job.id).parameters.dataset_id
    signal = client.jobs.create_signal_metrics_job(
        SignalMetricsJobCreate(
            parameters=SignalMetricsParameters(
                original_id=original_id, avatars_id=job.result.avatars_dataset.id
            )
        )
    )
    client.jobs.get_signal_metrics(signal.id, timeout=WAIT)
    return signal.id


def test_report_from_data(owner: ApiClient, full: AvatarizationJob) -> None:
    original_id = owner.jobs.get_avatarization_job(full.id).parameters.dataset_id
    avatars_id = full.result.avatars_dataset.id
    privacy = owner.jobs.create_privacy_metrics_job(
        PrivacyMetricsJobCreate(
            parameters=PrivacyMetricsParameters(
                original_id=original_id,
                unshuffled_avatars_id=full.result.sensitive_unshuffled_avatars_datasets.id,
            )
        )
    )
    owner.jobs.get_privacy_metrics(privacy.id, timeout=WAIT)
    signal_id = _signal_job(owner, full)
    report = owner.reports.create_report_from_data(
        ReportFromDataCreate(
            dataset_id=original_id,
            avatars_dataset_id=avatars_id,
            privacy_job_id=privacy.id,
            signal_job_id=signal_id,
        )
    )
    assert report.job_id == privacy.id
    content = ReportContent.from_json(_download_when_ready(owner, report.id, "json"))
    assert content.provenance.kind == "from_data"
    assert content.parameters.avatarization is None
    unrelated = owner.datasets.create_dataset(str(IRIS))
    with pytest.raises(UnprocessableEntityError, match="avatars_dataset_id"):
        owner.reports.create_report_from_data(
            ReportFromDataCreate(
                dataset_id=original_id,
                avatars_dataset_id=unrelated.id,
                privacy_job_id=privacy.id,
                signal_job_id=signal_id,
            )
        )


# --------------------------------------------------------------------------- verify-report


def _verify(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "avatars_server.cli", "verify-report", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )


def test_verify_report_passes_then_fails_on_an_altered_avatar(
    owner: ApiClient, full: AvatarizationJob, report_id: uuid.UUID, tmp_path: Path
) -> None:
    report = tmp_path / "report.json"
    report.write_bytes(_download_when_ready(owner, report_id, "json"))
    avatars, unshuffled = tmp_path / "avatars.csv", tmp_path / "unshuffled.csv"
    owner.datasets.download_dataset(full.result.avatars_dataset.id, str(avatars))
    owner.datasets.download_dataset(
        full.result.sensitive_unshuffled_avatars_datasets.id, str(unshuffled)
    )
    args = [str(report), "--original", str(IRIS), "--avatars", str(avatars)]
    passed = _verify(*args, "--unshuffled", str(unshuffled))
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "hidden_rate" in passed.stdout and "DIFFERENT" not in passed.stdout
    without = _verify(*args)  # privacy metrics need the unshuffled avatars
    assert without.returncode == 0, without.stderr
    assert "needs --unshuffled" in without.stdout and "hellinger_mean" in without.stdout

    # One avatar value changed: the hash and the metrics that see it no longer match.
    lines = unshuffled.read_text().splitlines()
    fields = lines[1].split(",")
    fields[0] = str(float(fields[0]) + 3.0)
    lines[1] = ",".join(fields)
    altered = tmp_path / "altered.csv"
    altered.write_text("\n".join(lines) + "\n")
    failed = _verify(*args, "--unshuffled", str(altered))
    assert failed.returncode == 1
    assert "sha256 unshuffled_avatars" in failed.stderr
    assert "distance_to_closest" in failed.stderr  # the metric the altered row moves
    assert any(
        line.startswith("distance_to_closest") and line.endswith("DIFFERENT")
        for line in failed.stdout.splitlines()
    )
    content = json.loads(report.read_text())
    assert content["schema_version"] == 1


def test_identical_requests_sent_at_once_make_one_report(owner: ApiClient) -> None:
    job = _full_job(owner, owner.datasets.create_dataset(str(IRIS)).id, seed=11)
    request = ReportCreate(avatarization_job_id=job.id, privacy_job_id=job.id, signal_job_id=job.id)
    ids: list[uuid.UUID] = []

    def send() -> None:
        ids.append(owner.reports.create_report(request).id)

    threads = [threading.Thread(target=send) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(ids) == 3 and len(set(ids)) == 1


def test_report_downloads_are_in_the_access_log(
    local_server: LocalServer, owner: ApiClient, report_id: uuid.UUID
) -> None:
    import csv
    import io
    import os

    _download_when_ready(owner, report_id, "json")
    name = owner.users.get_me().username
    assert name is not None
    result = subprocess.run(
        [sys.executable, "-m", "avatars_server.cli", "access-log", "--user", name, "--csv", "-"],
        env={**os.environ, "AVATARS_DATA_DIR": str(local_server.data_dir)},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    rows = [
        row
        for row in csv.DictReader(io.StringIO(result.stdout))
        if row["operation"] == "download_report" and row["report_id"] == str(report_id)
    ]
    assert rows  # (the module's other reports are downloaded too)
    assert all(row["request_id"] and row["client_address"] for row in rows)
