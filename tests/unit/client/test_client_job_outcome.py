"""One outcome rule for jobs (waiting.finished_job), used by `jobs.wait` and the pipelines; and
`jobs.wait` finding a job's kind through the kind-specific GETs of the contract."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from functools import partial

import httpx
import pytest

from avatar_api_client.models import SignalMetricsJob
from avatars.client import ApiClient
from avatars.exceptions import JobFailedError, JobTimeoutError, NotFoundError
from avatars.pipelines import _finished
from avatars.waiting import finished_job
from tests.factories import json_response

JOB_ID = uuid.UUID("5e27da4a-a5c5-458b-988e-ef2c66f545d6")


@dataclass
class Job:
    id: str
    status: str
    error_message: str | None = None
    result: object = None


@pytest.mark.parametrize(
    ("status", "raised"),
    [
        ("pending", JobTimeoutError),
        ("started", JobTimeoutError),
        ("failure", JobFailedError),
        ("killed", JobFailedError),
        ("unknown", JobFailedError),
        ("success", None),
    ],
)
def test_the_pipeline_decides_an_outcome_as_wait_does(
    status: str, raised: type[Exception] | None
) -> None:
    job = Job("j1", status, error_message="boom", result={"hidden_rate": 90.0})
    rule = partial(finished_job, "j1", job, status=status, error_message="boom", waited=3.0)
    pipeline = partial(_finished, job, 3.0)
    if raised is None:
        assert rule() is job
        assert pipeline() == {"hidden_rate": 90.0}
        return
    for decide in (rule, pipeline):
        with pytest.raises(raised) as caught:
            decide()
        error = caught.value
        assert isinstance(error, JobTimeoutError | JobFailedError)
        assert error.job_id == "j1"
        if isinstance(error, JobTimeoutError):
            assert (error.waited, error.last_status) == (3.0, status)
        else:
            assert isinstance(error, JobFailedError)
            assert (error.reason, error.status) == ("boom", status)


def test_a_pipeline_job_that_succeeded_without_its_result_fails_clearly() -> None:
    with pytest.raises(JobFailedError, match="result is gone"):
        _finished(Job("j1", "success", result=None), 3.0)


def _signal_job() -> dict[str, object]:
    return {
        "id": str(JOB_ID),
        "kind": "signal_metrics",
        "created_at": "2026-01-01T00:00:00+00:00",
        "status": "success",
        "parameters": {"original_id": str(uuid.uuid4()), "avatars_id": str(uuid.uuid4())},
        "result": None,
    }


def _client(answers: dict[str, tuple[int, object]], seen: list[str]) -> ApiClient:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.path)
        status, body = answers.get(request.url.path, (404, {"message": "No job.", "detail": None}))
        return json_response(status, body)

    client = ApiClient(
        base_url="http://server.test",
        http_client=httpx.Client(transport=httpx.MockTransport(handler)),
        should_verify_compatibility=False,
        verify_auth=False,
    )
    return client


def test_wait_finds_the_kind_without_reading_the_404_body() -> None:
    # The 404 of the other kinds' GETs carries no `kind`: the kind comes from which GET finds it.
    seen: list[str] = []
    client = _client({f"/jobs/{JOB_ID}/metrics/signal": (200, _signal_job())}, seen)
    job = client.jobs.wait(JOB_ID, progress=False)
    assert isinstance(job, SignalMetricsJob)
    assert seen[:3] == [
        f"/jobs/avatarization/{JOB_ID}",
        f"/jobs/{JOB_ID}/metrics/privacy",
        f"/jobs/{JOB_ID}/metrics/signal",
    ]
    assert set(seen[3:]) == {f"/jobs/{JOB_ID}/metrics/signal"}


def test_wait_on_an_unknown_job_raises_not_found() -> None:
    seen: list[str] = []
    with pytest.raises(NotFoundError, match="No job"):
        _client({}, seen).jobs.wait(JOB_ID, progress=False)
    assert len(seen) == 12  # the GET of each job kind, once
