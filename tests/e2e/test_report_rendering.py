"""A real job's report as PDF and HTML, and the notebook figures drawn from a job id."""

from __future__ import annotations

import io
import re
import time
import uuid
from pathlib import Path

import pypdf
import pytest

from avatars import plots
from avatars.client import ApiClient
from avatars.exceptions import ConflictError
from avatars.models import (
    AvatarizationJob,
    AvatarizationJobCreate,
    AvatarizationParameters,
    ReportCreate,
)
from avatars_server.reports import wording
from avatars_server.reports.content import PRIVACY_METRIC_NAMES, SIGNAL_METRIC_NAMES

IRIS = Path(__file__).resolve().parents[2] / "fixtures" / "iris.csv"
WAIT = 120.0


@pytest.fixture(scope="module")
def job(local_server) -> AvatarizationJob:  # type: ignore[no-untyped-def]
    with local_server.client() as client:
        dataset = client.datasets.create_dataset(str(IRIS), name="iris")
        created = client.jobs.create_full_avatarization_job(
            AvatarizationJobCreate(
                parameters=AvatarizationParameters(k=20, dataset_id=dataset.id, seed=3)
            )
        )
        return client.jobs.wait(created.id, timeout=WAIT)


def _download(client: ApiClient, report_id: uuid.UUID, fmt: str) -> bytes:
    deadline = time.monotonic() + WAIT
    while True:
        try:
            data = client.reports.download_report(report_id, format=fmt)
            assert data is not None
            return data
        except ConflictError:  # still being drawn
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def test_report_pdf_and_html_hold_every_metric_of_the_job(
    admin_client: ApiClient, job: AvatarizationJob
) -> None:
    report = admin_client.reports.create_report(
        ReportCreate(avatarization_job_id=job.id, privacy_job_id=job.id, signal_job_id=job.id)
    )
    pdf = _download(admin_client, report.id, "pdf")
    html = _download(admin_client, report.id, "html").decode()
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert job.result
    values = {
        **job.result.privacy_metrics.to_dict(),
        **job.result.signal_metrics.to_dict(),
    }
    for name in (*PRIVACY_METRIC_NAMES, *SIGNAL_METRIC_NAMES):
        assert name in text and name in html
        shown = wording.format_value(values.get(name))
        assert shown in text, (name, shown)
        assert shown in html, (name, shown)
    assert len(pdf) < 5 * 2**20
    assert "iris" in text
    assert not re.search(r"(src|href)=\"https?://", html)
    assert html.count("<svg") == html.count('<figure class="report-figure">') >= 6


def test_notebook_figures_from_a_job_id(admin_client: ApiClient, job: AvatarizationJob) -> None:
    projection = plots.plot_job_projections(admin_client, job.id)
    assert [len(c.get_offsets()) for c in projection.axes[0].collections] == [150, 150]
    assert "of the variance" in projection.axes[0].get_xlabel()
    variance = plots.plot_job_explained_variance(admin_client, job.id, ncp=2)
    assert len(variance.axes[0].patches) >= 2
    contributions = plots.plot_job_contributions(admin_client, job.id, job.parameters.dataset_id)
    assert len(contributions.axes) == 2
    pages = plots.plot_job_distributions(admin_client, job.id)
    assert sum(ax.axison for page in pages for ax in page.axes) == 5
    correlations = plots.plot_job_correlations(admin_client, job.id)
    assert correlations.axes[0].get_title() == "originals"
