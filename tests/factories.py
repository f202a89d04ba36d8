"""Builders shared by the tests: users and logged-in clients, long-running jobs, JSON answers for
`httpx.MockTransport`, and the hypothesis strategies of the processor tests. Helpers used by one
test module stay in it; fixtures live in conftest.py."""

from __future__ import annotations

import json
import secrets
import time
import uuid
from dataclasses import dataclass

import httpx
import numpy as np
import pandas as pd
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from avatars.client import ApiClient
from avatars.local import LocalServer
from avatars.models import (
    AvatarizationJobCreate,
    AvatarizationParameters,
    CreateUser,
    JobStatus,
    UserRole,
)


@dataclass(frozen=True)
class Credentials:
    username: str
    password: str


def random_name(prefix: str = "user") -> str:
    return f"{prefix}-{secrets.token_hex(4)}"


def create_user(admin: ApiClient, *, role: UserRole = UserRole.USER) -> Credentials:
    """Create a user through the admin API and return its credentials."""
    credentials = Credentials(random_name(), secrets.token_urlsafe(12))
    admin.users.create_user(
        CreateUser(username=credentials.username, password=credentials.password, role=role)
    )
    return credentials


def logged_in_client(server: LocalServer, credentials: Credentials) -> ApiClient:
    client = ApiClient(base_url=server.base_url)
    client.authenticate(credentials.username, credentials.password)
    return client


def json_response(status: int, body: object, **headers: str) -> httpx.Response:
    """An answer with a JSON body, as the server sends it (for `httpx.MockTransport`)."""
    return httpx.Response(
        status, content=json.dumps(body), headers={"Content-Type": "application/json", **headers}
    )


# -- long-running jobs (cancellation, recovery, Dask) ---------------------------------------

JOB_START_WAIT = 120.0
"""Seconds to wait for a queued job to start."""

LONG_K = 100
"""With large_frame(), k that makes a full job run for many seconds (about 7 s per 200k rows
on a laptop-class core), far longer than the test steps that must happen while it runs."""


def large_frame(n: int = 400_000) -> pd.DataFrame:
    """A table whose full job (with k=LONG_K) runs for many seconds."""
    rng = np.random.default_rng(0)
    return pd.DataFrame(
        {
            "a": rng.normal(size=n),
            "b": rng.normal(size=n),
            "c": rng.integers(0, 5, n).astype(str),
        }
    )


def start_full_job(client: ApiClient, dataset_id: uuid.UUID, k: int = LONG_K) -> uuid.UUID:
    job = client.jobs.create_full_avatarization_job(
        AvatarizationJobCreate(parameters=AvatarizationParameters(k=k, dataset_id=dataset_id))
    )
    return job.id


def wait_until_started(client: ApiClient, job_id: uuid.UUID) -> None:
    """Wait until the job runs and has reported its first step (a worker marks it started,
    then loads its data before the first report: a busy machine shows the gap)."""
    deadline = time.monotonic() + JOB_START_WAIT
    while time.monotonic() < deadline:
        job = client.jobs.get_avatarization_job(job_id, timeout=0)
        if job.status != JobStatus.PENDING:
            assert job.status == JobStatus.STARTED
            if job.current_progress is not None:
                return
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} did not start and report its progress")


# -- hypothesis strategies of the processor tests -------------------------------------------

# Derandomized: the same examples on every run, so the suite is deterministic and fast.
PROPERTY = settings(
    derandomize=True,
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
positive = st.floats(min_value=0.0, max_value=1e4, allow_nan=False, allow_infinity=False)


@st.composite
def records(
    draw: st.DrawFn,
    *,
    values: st.SearchStrategy[float] = finite,
    min_rows: int = 1,
    max_rows: int = 25,
    max_ids: int = 5,
) -> pd.DataFrame:
    """A frame of records: `id` (int), `value` (float) and an unrelated `other` column."""
    n = draw(st.integers(min_value=min_rows, max_value=max_rows))
    ids = draw(st.lists(st.integers(0, max_ids - 1), min_size=n, max_size=n))
    vals = draw(st.lists(values, min_size=n, max_size=n))
    return pd.DataFrame({"id": ids, "value": vals, "other": np.arange(n)})


@st.composite
def intervals(draw: st.DrawFn, *, max_rows: int = 25, max_ids: int = 5) -> pd.DataFrame:
    """A frame of intervals: `id`, `start`, `end` (floats in [0, 1000]) and `rank`."""
    n = draw(st.integers(min_value=1, max_value=max_rows))
    ids = draw(st.lists(st.integers(0, max_ids - 1), min_size=n, max_size=n))
    bound = st.floats(min_value=0.0, max_value=1000.0, allow_nan=False)
    starts = draw(st.lists(bound, min_size=n, max_size=n))
    ends = draw(st.lists(bound, min_size=n, max_size=n))
    return pd.DataFrame({"id": ids, "start": starts, "end": ends, "rank": np.arange(n)})
