"""What jobs record for reports and the metrics routes, pinned byte for byte (job-overhead work).

The digests in ``tests/data/evidence_pinned.json`` were computed with the code BEFORE the
job-overhead changes (branch ``overhead``, first commit), so that the cheaper evidence is proven
to give the same recorded files, hence the same reports, for seeded jobs: a full avatarization
job, a privacy metrics job (its metric projection) and a signal metrics job, run in-process on a
mixed table (identifier, missing values, int, bool, datetime, a category of 20 modalities), the
report content assembled from them, and the full job's result datasets as stored (the CSV text of
the avatars). Regenerate the digests only for an intended change of
what reports show::

    PYTHONPATH=.:generated .venv/bin/python tests/server/test_evidence_pinned.py
"""

from __future__ import annotations

import hashlib
import json
import sys
import tempfile
import uuid
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy.orm import Session

from avatars_server.config import Settings
from avatars_server.jobs.execute import run_job
from avatars_server.storage import artifacts, datasets, jobs
from avatars_server.storage.tables import DatasetRow, JobRow
from tests.evidence_table import COLUMNS, pinned_table
from tests.evidence_table import digest as _digest

EXPECTED = Path(__file__).resolve().parents[1] / "data" / "evidence_pinned.json"
ROWS = 3_000
SEED = 7


def _array_digest(array: np.ndarray[Any, Any] | None) -> str | None:
    if array is None:
        return None
    values = np.ascontiguousarray(np.asarray(array, dtype=np.float64))
    return hashlib.sha256(repr(values.shape).encode() + values.tobytes()).hexdigest()


def _run(
    session: Session,
    settings: Settings,
    owner_id: uuid.UUID,
    kind: str,
    parameters: dict[str, Any],
) -> JobRow:
    row = jobs.create_job(
        session,
        owner_id=owner_id,
        kind=kind,
        parameters=parameters,
        runner_id="me",
        with_metrics=kind == "avatarization",
    )
    session.commit()
    outcome = run_job(str(row.id), settings.model_dump(mode="json"))
    session.expire_all()
    done = session.get(JobRow, row.id)
    assert done is not None and done.status == "success", (outcome, done and done.error_message)
    return done


def _stored_hash(session: Session, dataset_id: str) -> str:
    row = session.get(DatasetRow, uuid.UUID(dataset_id))
    assert row is not None
    return str(row.hash)


def _recorded(settings: Settings, job: JobRow) -> dict[str, Any]:
    return {
        name: artifacts.read_json(settings, job.id, name)
        for name in (artifacts.PROJECTION, artifacts.PRIVACY, artifacts.SIGNAL)
    } | {
        f"{name}.npy": _array_digest(artifacts.open_array(settings, job.id, name))
        for name in (artifacts.RECORDS, artifacts.AVATARS)
    }


def _report_json(full: JobRow, recorded: dict[str, Any]) -> str:
    """The report content assembled from the full job, ids and dates replaced by constants."""
    from avatars_server.reports.build import ReportInputs, assemble

    parameters = {**full.parameters, "dataset_id": "original"}
    result = {"ncp": (full.result or {}).get("ncp")}
    job = {"id": "job", "kind": full.kind, "parameters": parameters, "result": result}
    inputs = ReportInputs(
        report_id="report",
        kind="avatarization",
        created_at="2026-01-01T00:00:00Z",
        server_version="pinned",
        engine_version="pinned",
        title="pinned",
        avatarization_job=job,
        privacy_job=job,
        signal_job=job,
        datasets=[],
        privacy_metrics=dict((full.result or {})["privacy_metrics"]),
        signal_metrics=dict((full.result or {})["signal_metrics"]),
        privacy_artifacts=recorded[artifacts.PRIVACY],
        signal_artifacts=recorded[artifacts.SIGNAL],
        projection_artifacts=recorded[artifacts.PROJECTION],
    )
    return assemble(inputs).to_json()


def compute_digests(session: Session, settings: Settings, owner_id: uuid.UUID) -> dict[str, Any]:
    """Run the three seeded jobs; the digest of everything each recorded, and of the report."""
    original = datasets.store_dataframe(
        session, settings, pinned_table(), owner_id=owner_id, columns=COLUMNS, filetype="csv"
    )
    session.commit()
    full = _run(
        session,
        settings,
        owner_id,
        "avatarization",
        {"k": 10, "dataset_id": str(original.id), "seed": SEED},
    )
    result = dict(full.result or {})
    privacy = _run(
        session,
        settings,
        owner_id,
        "privacy_metrics",
        {
            "original_id": str(original.id),
            "unshuffled_avatars_id": result["sensitive_unshuffled_avatars_datasets_id"],
            "seed": SEED,
        },
    )
    signal = _run(
        session,
        settings,
        owner_id,
        "signal_metrics",
        {"original_id": str(original.id), "avatars_id": result["avatars_dataset_id"]},
    )
    out: dict[str, Any] = {}
    for label, job in (("full", full), ("privacy", privacy), ("signal", signal)):
        recorded = _recorded(settings, job)
        metrics = (
            {key: result[key] for key in ("privacy_metrics", "signal_metrics", "ncp")}
            if job is full
            else dict(job.result or {})
        )
        out[label] = {
            "metrics": _digest(metrics),
            **{
                name: value if value is None or name.endswith(".npy") else _digest(value)
                for name, value in recorded.items()
            },
        }
    # The result datasets' files (sha256 of the stored CSV), as downloads give them.
    out["datasets"] = {
        key: _stored_hash(session, result[key])
        for key in ("avatars_dataset_id", "sensitive_unshuffled_avatars_datasets_id")
    }
    out["report"] = hashlib.sha256(
        _report_json(full, _recorded(settings, full)).encode("utf-8")
    ).hexdigest()
    return out


def test_jobs_record_the_pinned_evidence_and_report(
    session: Session, settings: Settings, owner_id: uuid.UUID
) -> None:
    expected = json.loads(EXPECTED.read_text(encoding="utf-8"))
    assert compute_digests(session, settings, owner_id) == expected


def _regenerate() -> None:  # pragma: no cover - run by hand, see the module docstring
    from avatars_server.storage import users
    from avatars_server.storage.db import make_engine, make_session_factory
    from avatars_server.storage.migrate import upgrade_to_head

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), secret_key="pinned")
        engine = make_engine(settings)
        upgrade_to_head(engine)
        with make_session_factory(engine)() as session:
            owner = users.create_user(session, username="owner", email=None, password="pw")
            session.commit()
            digests = compute_digests(session, settings, owner.id)
        engine.dispose()
    EXPECTED.write_text(json.dumps(digests, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(json.dumps(digests, indent=2, sort_keys=True), file=sys.stderr)


if __name__ == "__main__":  # pragma: no cover
    _regenerate()
