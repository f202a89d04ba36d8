"""Report storage: the reports table, one report per identical request, owner-only reads."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import Engine, inspect
from sqlalchemy.orm import Session

from avatars_server.config import Settings
from avatars_server.errors import NotFoundError
from avatars_server.storage import artifacts, users
from avatars_server.storage import reports as storage
from avatars_server.storage.tables import ReportRow


def _row(owner: uuid.UUID, key: str) -> ReportRow:
    job = uuid.uuid4()
    return ReportRow(
        id=uuid.uuid4(),
        owner_id=owner,
        kind="avatarization",
        job_id=job,
        avatarization_job_id=job,
        privacy_job_id=job,
        signal_job_id=job,
        request_key=key,
        status="pending",
    )


def test_migration_creates_the_reports_table(engine: Engine) -> None:
    columns = {c["name"] for c in inspect(engine).get_columns("reports")}
    assert {"id", "owner_id", "job_id", "request_key", "status", "error_message"} <= columns


def test_an_identical_request_finds_the_first_report(session: Session) -> None:
    owner = users.create_user(session, username="ann", email=None, password="pw").id
    first = storage.create_report(session, _row(owner, "k1"))
    session.commit()
    second = storage.create_report(session, _row(owner, "k1"))
    assert second.id == first.id
    # The session stays usable after the lost race.
    other = storage.create_report(session, _row(owner, "k2"))
    session.commit()
    assert other.id != first.id
    assert storage.find_by_request(session, "k2") is not None


def test_reports_are_visible_to_their_owner_only(session: Session) -> None:
    owner = users.create_user(session, username="bea", email=None, password="pw").id
    stranger = users.create_user(session, username="cid", email=None, password="pw").id
    row = storage.create_report(session, _row(owner, "k3"))
    session.commit()
    assert storage.get_owned_report(session, row.id, owner).id == row.id
    with pytest.raises(NotFoundError, match="POST /reports"):
        storage.get_owned_report(session, row.id, stranger)


def test_report_and_job_files_are_written_whole(settings: Settings) -> None:
    report_id = uuid.uuid4()
    path = storage.write_report_file(settings, report_id, "json", b"{}")
    assert path.read_bytes() == b"{}" and path == storage.report_file(settings, report_id, "json")
    job_id = uuid.uuid4()
    assert artifacts.read_json(settings, job_id, artifacts.PRIVACY) is None
    artifacts.write_json(settings, job_id, artifacts.PRIVACY, {"a": [1.5]})
    assert artifacts.read_json(settings, job_id, artifacts.PRIVACY) == {"a": [1.5]}
    assert not [p for p in artifacts.job_dir(settings, job_id).iterdir() if p.name.startswith(".")]
