"""The server side of fan-out jobs: working directories of ended jobs are swept away."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from avatars_server.config import Settings
from avatars_server.jobs.fan_out import FanOutTracker, work_dir
from avatars_server.storage import jobs as job_store
from avatars_server.storage import users
from avatars_server.storage.db import make_session_factory


def test_sweep_removes_the_working_dirs_of_jobs_that_ended(
    settings: Settings, engine: Engine, session: Session
) -> None:
    owner = users.create_user(session, username="owner", email=None, password="pw")
    statuses = ("started", "pending", "failure", "killed", "success")
    jobs = []
    for status in statuses:
        row = job_store.create_job(
            session, owner_id=owner.id, kind="avatarization_batch", parameters={}, runner_id="x"
        )
        row.status = status
        jobs.append(row.id)
    session.commit()
    unknown = uuid.uuid4()  # a job row deleted since, or never committed
    for job_id in (*jobs, unknown):
        folder = work_dir(settings, job_id)
        folder.mkdir(parents=True)
        (folder / "model.pickle").write_bytes(b"fitted model")
    (settings.tmp_dir / "jobs" / "not-a-job").mkdir()

    with ThreadPoolExecutor(1) as executor:
        tracker = FanOutTracker(executor, settings, {}, make_session_factory(engine), None)
        tracker.sweep()
        tracker.shutdown()

    left = sorted(path.name for path in (settings.tmp_dir / "jobs").iterdir())
    assert left == sorted([str(jobs[0]), str(jobs[1]), "not-a-job"])
