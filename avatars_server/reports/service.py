"""Reports as the routes see them: check a request, find or make the report, gather its content.

The content (``content.ReportContent``) is assembled at once from what the jobs recorded when
they ran (no dataset is read), and stored as the report's JSON; the PDF and HTML are rendered
from it on the job runner (``avatars_server.reports.rendering``).
"""

from __future__ import annotations

import dataclasses
import math
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from avatars_server import __version__
from avatars_server.config import Settings
from avatars_server.errors import ConflictError, InvalidInputError, NotFoundError
from avatars_server.reports.build import ReportInputs, assemble, dataset_info
from avatars_server.reports.content import (
    BatchRow,
    DatasetInfo,
    DatasetRole,
    ReportContent,
    ReportKind,
)
from avatars_server.storage import artifacts, jobs
from avatars_server.storage import reports as storage
from avatars_server.storage.datasets import get_dataset, get_owned_dataset
from avatars_server.storage.tables import DatasetRow, JobRow, ReportRow, utcnow

RENDERING_STALE_AFTER = timedelta(minutes=5)
"""A rendering started this long ago and not finished is retried by an identical request
(its server process may have stopped)."""

_GET_ROUTES = {
    "avatarization": "GET /jobs/avatarization/{id}",
    "privacy_metrics": "GET /jobs/{id}/metrics/privacy",
    "signal_metrics": "GET /jobs/{id}/metrics/signal",
    "avatarization_batch": "GET /jobs/avatarization_batch/{id}",
    "privacy_metrics_batch": "GET /jobs/{id}/metrics/privacy_batch",
    "signal_metrics_batch": "GET /jobs/{id}/metrics/signal_batch",
    "privacy_metrics_geolocation": "GET /jobs/{id}/metrics/privacy_geolocation",
}


@dataclass(frozen=True)
class ReportSources:
    """A checked request: the jobs and datasets a report is made of."""

    kind: ReportKind
    job_id: uuid.UUID
    avatarization_job: JobRow | None
    privacy_job: JobRow
    signal_job: JobRow | None
    """None for a geolocation privacy report."""
    datasets: dict[DatasetRole, DatasetRow]
    request_key: str


def invalid(field: str, message: str) -> InvalidInputError:
    return InvalidInputError(
        f"{field}: {message}",
        detail=[{"loc": ["body", field], "msg": message, "type": "value_error"}],
    )


def find_job(session: Session, job_id: uuid.UUID, owner_id: uuid.UUID, field: str) -> JobRow:
    try:
        return jobs.get_owned_job(session, job_id, owner_id)
    except NotFoundError as exc:
        raise NotFoundError(
            f"{field}: no job with id {job_id}. Check the id (jobs are visible to their owner).",
            detail={"field": field},
        ) from exc


def find_dataset(
    session: Session, dataset_id: uuid.UUID, owner_id: uuid.UUID, field: str
) -> DatasetRow:
    try:
        return get_owned_dataset(session, dataset_id, owner_id)
    except NotFoundError as exc:
        raise NotFoundError(
            f"{field}: dataset {dataset_id} was not found. Check the id; list your datasets "
            "with GET /datasets.",
            detail={"field": field},
        ) from exc


def _is_full(job: JobRow) -> bool:
    return job.kind == "avatarization" and bool(job.with_metrics)


def _check_kind(job: JobRow, field: str, kind: str, *, full_allowed: bool) -> None:
    if job.kind == kind or (full_allowed and _is_full(job)):
        return
    wanted = f"a {kind} job" + (" or a full avatarization job (POST /jobs)" if full_allowed else "")
    raise invalid(field, f"must name {wanted}; job {job.id} is a {job.kind} job.")


def check_success(job: JobRow, field: str) -> None:
    if job.status == "success":
        return
    route = _GET_ROUTES.get(job.kind, "GET /jobs").replace("{id}", str(job.id))
    raise ConflictError(
        f"{field}: job {job.id} is {job.status}, not success. Wait until it succeeds "
        f"({route}), then create the report again."
        if job.status in jobs.ACTIVE
        else f"{field}: job {job.id} ended with status {job.status}, so it has no result to "
        "report. Run the job again.",
        detail={"field": field, "status": job.status},
    )


def original_id(job: JobRow) -> str:
    """The original dataset a job worked on."""
    key = "dataset_id" if job.kind == "avatarization" else "original_id"
    return str(job.parameters[key])


def avatar_ids(job: JobRow) -> dict[DatasetRole, str]:
    """The avatar datasets a job produced or compared (unshuffled and/or shuffled)."""
    if job.kind == "avatarization":
        result = job.result or {}
        return {
            "avatars": str(result.get("avatars_dataset_id")),
            "unshuffled_avatars": str(result.get("sensitive_unshuffled_avatars_datasets_id")),
        }
    if job.kind == "privacy_metrics":
        return {"unshuffled_avatars": str(job.parameters["unshuffled_avatars_id"])}
    if job.kind == "signal_metrics":
        return {"avatars": str(job.parameters["avatars_id"])}
    return {}


def privacy_result(job: JobRow) -> dict[str, Any]:
    result = job.result or {}
    return dict(result.get("privacy_metrics") or {}) if job.kind == "avatarization" else result


def signal_result(job: JobRow) -> dict[str, Any]:
    result = job.result or {}
    return dict(result.get("signal_metrics") or {}) if job.kind == "avatarization" else result


def _result_dataset(session: Session, dataset_id: str, owner_id: uuid.UUID) -> DatasetRow:
    row = get_dataset(session, uuid.UUID(dataset_id))
    if row is None or row.owner_id != owner_id:
        raise ConflictError(
            f"Dataset {dataset_id}, used by the jobs of this report, was deleted. Run the jobs "
            "again to report on them."
        )
    return row


def _unrelated(field: str, job: JobRow, expected: str, what: str) -> InvalidInputError:
    return invalid(
        field,
        f"job {job.id} compared {what} {original_id(job)}, not {expected}. Name the jobs run on "
        "the same original dataset.",
    )


def check_report(
    session: Session,
    owner_id: uuid.UUID,
    avatarization_job_id: uuid.UUID,
    privacy_job_id: uuid.UUID,
    signal_job_id: uuid.UUID,
) -> ReportSources:
    """Check a POST /reports request: 404 unknown jobs, 422 wrong kinds or unrelated jobs, 409
    unfinished jobs."""
    avatarization = find_job(session, avatarization_job_id, owner_id, "avatarization_job_id")
    privacy = find_job(session, privacy_job_id, owner_id, "privacy_job_id")
    signal = find_job(session, signal_job_id, owner_id, "signal_job_id")
    _check_kind(avatarization, "avatarization_job_id", "avatarization", full_allowed=False)
    _check_kind(privacy, "privacy_job_id", "privacy_metrics", full_allowed=True)
    _check_kind(signal, "signal_job_id", "signal_metrics", full_allowed=True)
    original = original_id(avatarization)
    for field, job in (("privacy_job_id", privacy), ("signal_job_id", signal)):
        if original_id(job) != original:
            raise _unrelated(field, job, original, "the original dataset")
    for field, job in (
        ("avatarization_job_id", avatarization),
        ("privacy_job_id", privacy),
        ("signal_job_id", signal),
    ):
        check_success(job, field)
    produced = avatar_ids(avatarization)
    datasets: dict[DatasetRole, DatasetRow] = {
        "original": _result_dataset(session, original, owner_id),
        "avatars": _result_dataset(session, avatar_ids(signal)["avatars"], owner_id),
        "unshuffled_avatars": _result_dataset(
            session,
            avatar_ids(privacy).get("unshuffled_avatars", produced["unshuffled_avatars"]),
            owner_id,
        ),
    }
    key = f"{owner_id}:avatarization:{avatarization.id}:{privacy.id}:{signal.id}"
    return ReportSources(
        "avatarization", avatarization.id, avatarization, privacy, signal, datasets, key
    )


def check_report_from_data(
    session: Session,
    owner_id: uuid.UUID,
    dataset_id: uuid.UUID,
    avatars_dataset_id: uuid.UUID,
    privacy_job_id: uuid.UUID,
    signal_job_id: uuid.UUID,
) -> ReportSources:
    """Check a POST /reports/from_data request (404, 422 unrelated, 409 unfinished)."""
    original = find_dataset(session, dataset_id, owner_id, "dataset_id")
    avatars = find_dataset(session, avatars_dataset_id, owner_id, "avatars_dataset_id")
    privacy = find_job(session, privacy_job_id, owner_id, "privacy_job_id")
    signal = find_job(session, signal_job_id, owner_id, "signal_job_id")
    _check_kind(privacy, "privacy_job_id", "privacy_metrics", full_allowed=True)
    _check_kind(signal, "signal_job_id", "signal_metrics", full_allowed=True)
    for field, job in (("privacy_job_id", privacy), ("signal_job_id", signal)):
        if original_id(job) != str(original.id):
            raise _unrelated(field, job, str(original.id), "the original dataset")
    check_success(privacy, "privacy_job_id")
    check_success(signal, "signal_job_id")
    compared = {*avatar_ids(privacy).values(), *avatar_ids(signal).values()}
    if str(avatars.id) not in compared:
        raise invalid(
            "avatars_dataset_id",
            f"dataset {avatars.id} is not among the avatars the privacy and signal jobs "
            f"compared ({', '.join(sorted(compared))}). Name the avatars those jobs used.",
        )
    unshuffled_id = avatar_ids(privacy).get("unshuffled_avatars", str(avatars.id))
    datasets: dict[DatasetRole, DatasetRow] = {
        "original": original,
        "avatars": avatars,
        "unshuffled_avatars": _result_dataset(session, unshuffled_id, owner_id),
    }
    key = f"{owner_id}:from_data:{original.id}:{avatars.id}:{privacy.id}:{signal.id}"
    return ReportSources("from_data", privacy.id, None, privacy, signal, datasets, key)


# --------------------------------------------------------------------------- batch report

_BATCH_FIELDS = {
    "avatarization": "avatarization_batch_job_id",
    "privacy": "privacy_batch_job_id",
    "signal": "signal_batch_job_id",
}
BATCH_FIGURES_NOTE = (
    "This report covers a batch job. The batch jobs record each batch's metrics but not the "
    "per-individual data (projections, distributions, correlations, privacy histograms) that "
    "the figures of an ordinary report are drawn from, so this report has no figures; the "
    "per-batch table gives each batch's own metrics."
)


def _batch_pairs(job: JobRow, avatars_key: str) -> list[tuple[str, str | None]]:
    """(original, avatars) ids named by a batch metrics job's mappings, training first."""
    parameters = job.parameters
    mappings = [
        parameters.get("training_dataset_mapping") or {},
        *(parameters.get("batch_dataset_mappings") or []),
    ]
    return [
        (str(m.get("original_id")), str(m[avatars_key]) if m.get(avatars_key) else None)
        for m in mappings
    ]


def _batch_outputs(job: JobRow, avatars_key: str) -> list[tuple[str, str | None]]:
    """(original, avatars) ids of an avatarization batch job's batches, training first; only
    the originals (avatars None) before it has succeeded."""
    result = job.result or {}
    if result.get("training_result"):
        results = [result["training_result"], *(result.get("batch_results") or [])]
        return [(str(r["original_id"]), str(r.get(avatars_key))) for r in results]
    parameters = job.parameters
    originals = [parameters.get("training_dataset_id"), *(parameters.get("dataset_ids") or [])]
    return [(str(o), None) for o in originals]


def _check_pairs(
    field: str, metrics: JobRow, avatarization: JobRow, mapping_key: str, result_key: str
) -> None:
    """422 unless `metrics` was run on `avatarization`'s batches (by id or by mappings)."""
    paired = metrics.parameters.get("avatarization_batch_job_id")
    if paired is not None:
        if str(paired) == str(avatarization.id):
            return
        raise invalid(
            field,
            f"job {metrics.id} measured the avatarization batch job {paired}, not "
            f"{avatarization.id}. Name the metrics batch jobs run on that avatarization batch "
            "job, or run them with parameters.avatarization_batch_job_id = "
            f"{avatarization.id}.",
        )
    named = _batch_pairs(metrics, mapping_key)
    produced = _batch_outputs(avatarization, result_key)
    same_originals = [o for o, _ in named] == [o for o, _ in produced]
    same_avatars = all(
        made is None or given == made
        for (_, given), (_, made) in zip(named, produced, strict=False)
    )
    if same_originals and same_avatars:
        return
    raise invalid(
        field,
        f"job {metrics.id} does not pair the avatarization batch job {avatarization.id}: its "
        "dataset mappings do not name that job's batches (training batch first, same order) "
        "and their avatars. Run the metrics batch job with "
        f"parameters.avatarization_batch_job_id = {avatarization.id}, then create the report "
        "again.",
    )


def check_report_from_batch(
    session: Session,
    owner_id: uuid.UUID,
    avatarization_batch_job_id: uuid.UUID,
    privacy_batch_job_id: uuid.UUID,
    signal_batch_job_id: uuid.UUID,
) -> ReportSources:
    """Check a POST /reports/from_batch request: 404 unknown jobs, 422 wrong kinds or metrics
    jobs that do not pair the avatarization batch job, 409 unfinished jobs."""
    avatarization = find_job(
        session, avatarization_batch_job_id, owner_id, _BATCH_FIELDS["avatarization"]
    )
    privacy = find_job(session, privacy_batch_job_id, owner_id, _BATCH_FIELDS["privacy"])
    signal = find_job(session, signal_batch_job_id, owner_id, _BATCH_FIELDS["signal"])
    checks = (
        (avatarization, _BATCH_FIELDS["avatarization"], "avatarization_batch"),
        (privacy, _BATCH_FIELDS["privacy"], "privacy_metrics_batch"),
        (signal, _BATCH_FIELDS["signal"], "signal_metrics_batch"),
    )
    for job, field, kind in checks:
        _check_kind(job, field, kind, full_allowed=False)
    _check_pairs(
        _BATCH_FIELDS["privacy"],
        privacy,
        avatarization,
        "unshuffled_avatars_id",
        "sensitive_unshuffled_avatars_datasets_id",
    )
    _check_pairs(_BATCH_FIELDS["signal"], signal, avatarization, "avatars_id", "avatars_dataset_id")
    for job, field, _ in checks:
        check_success(job, field)
    training = (avatarization.result or {})["training_result"]
    datasets: dict[DatasetRole, DatasetRow] = {
        "original": _result_dataset(session, str(training["original_id"]), owner_id),
        "avatars": _result_dataset(session, str(training["avatars_dataset_id"]), owner_id),
        "unshuffled_avatars": _result_dataset(
            session, str(training["sensitive_unshuffled_avatars_datasets_id"]), owner_id
        ),
    }
    key = f"{owner_id}:from_batch:{avatarization.id}:{privacy.id}:{signal.id}"
    return ReportSources(
        "from_batch", avatarization.id, avatarization, privacy, signal, datasets, key
    )


def _metric_values(recorded: Mapping[str, Any]) -> dict[str, float | None]:
    skip = {"original_id", "avatars_id", "unshuffled_avatars_id", "targets"}
    out: dict[str, float | None] = {}
    for name, value in recorded.items():
        if name in skip or isinstance(value, bool):
            continue
        if value is None or isinstance(value, int | float):
            out[name] = None if value is None or not math.isfinite(value) else float(value)
    return out


def batch_rows(session: Session, sources: ReportSources) -> list[BatchRow]:
    """One row per batch (training first): its original and its own privacy and signal."""
    assert sources.avatarization_job is not None and sources.signal_job is not None
    made = sources.avatarization_job.result or {}
    outputs = [made["training_result"], *(made.get("batch_results") or [])]
    privacy = sources.privacy_job.result or {}
    signal = sources.signal_job.result or {}
    by_original_privacy = {
        str(p.get("original_id")): p
        for p in [privacy.get("training_metrics") or {}, *(privacy.get("batch_metrics") or [])]
    }
    by_original_signal = {
        str(p.get("original_id")): p
        for p in [signal.get("training_metrics") or {}, *(signal.get("batch_metrics") or [])]
    }
    rows = []
    for index, output in enumerate(outputs):
        original = str(output["original_id"])
        dataset = get_dataset(session, uuid.UUID(original))
        rows.append(
            BatchRow(
                index=index,
                training=index == 0,
                original_id=original,
                name=dataset.name if dataset is not None else None,
                rows=dataset.nb_lines if dataset is not None else None,
                avatars_id=output.get("avatars_dataset_id"),
                unshuffled_avatars_id=output.get("sensitive_unshuffled_avatars_datasets_id"),
                privacy=_metric_values(by_original_privacy.get(original) or {}),
                signal=_metric_values(by_original_signal.get(original) or {}),
            )
        )
    return rows


def iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return aware.isoformat().replace("+00:00", "Z")


def _job_dict(job: JobRow) -> dict[str, Any]:
    return {
        "id": str(job.id),
        "kind": job.kind,
        "parameters": dict(job.parameters),
        "result": dict(job.result or {}),
        "created_at": iso(job.created_at),
    }


def dataset_description(role: DatasetRole, row: DatasetRow) -> DatasetInfo:
    return dataset_info(
        role,
        {
            "id": row.id,
            "name": row.name,
            "hash": row.hash,
            "nb_lines": row.nb_lines,
            "columns": row.columns,
            "created_at": iso(row.created_at),
            "filetype": row.filetype,
        },
    )


def build_batch_content(
    session: Session, report: ReportRow, sources: ReportSources
) -> ReportContent:
    """A batch report: worst privacy over the batches (against the targets), mean signal, and
    one row per batch; no figures (the batch jobs keep no per-individual data)."""
    assert sources.avatarization_job is not None and sources.signal_job is not None
    original = sources.datasets["original"]
    privacy = sources.privacy_job.result or {}
    signal = sources.signal_job.result or {}
    rows = batch_rows(session, sources)
    total = sum(r.rows or 0 for r in rows)
    inputs = ReportInputs(
        report_id=str(report.id),
        kind=sources.kind,
        created_at=iso(report.created_at) or "",
        server_version=__version__,
        engine_version=__version__,
        title=f"Batch avatarization report: {original.name or original.id} and "
        f"{len(rows) - 1} other batch(es)",
        avatarization_job=_job_dict(sources.avatarization_job),
        privacy_job=_job_dict(sources.privacy_job),
        signal_job=_job_dict(sources.signal_job),
        datasets=[dataset_description(role, row) for role, row in sources.datasets.items()],
        privacy_metrics=dict(privacy.get("worst_metrics") or {}),
        signal_metrics=dict(signal.get("mean_metrics") or {}),
        privacy_artifacts=None,
        signal_artifacts=None,
        projection_artifacts=None,
    )
    notes = [
        f"The job avatarized {len(rows)} batches ({total} rows in all); the training batch "
        f"({original.name or original.id}) fitted the projection. The privacy section gives the "
        "WORST value of each privacy metric over the batches, the signal section the MEAN of "
        "each signal metric; the datasets listed are the training batch's.",
        BATCH_FIGURES_NOTE,
    ]
    return dataclasses.replace(assemble(inputs), batches=rows, notes=notes)


def build_content(settings: Settings, report: ReportRow, sources: ReportSources) -> ReportContent:
    """The report's content from the jobs' results and what they recorded."""
    projection_job = sources.avatarization_job or sources.privacy_job
    original = sources.datasets["original"]
    assert sources.signal_job is not None
    inputs = ReportInputs(
        report_id=str(report.id),
        kind=sources.kind,
        created_at=iso(report.created_at) or "",
        server_version=__version__,
        engine_version=__version__,
        title=f"Avatarization report: {original.name or original.id}",
        avatarization_job=_job_dict(sources.avatarization_job)
        if sources.avatarization_job
        else None,
        privacy_job=_job_dict(sources.privacy_job),
        signal_job=_job_dict(sources.signal_job),
        datasets=[dataset_description(role, row) for role, row in sources.datasets.items()],
        privacy_metrics=privacy_result(sources.privacy_job),
        signal_metrics=signal_result(sources.signal_job),
        privacy_artifacts=artifacts.read_json(settings, sources.privacy_job.id, artifacts.PRIVACY),
        signal_artifacts=artifacts.read_json(settings, sources.signal_job.id, artifacts.SIGNAL),
        projection_artifacts=artifacts.read_json(settings, projection_job.id, artifacts.PROJECTION),
    )
    return assemble(inputs)


def _build(
    session: Session, settings: Settings, row: ReportRow, sources: ReportSources
) -> ReportContent:
    if sources.kind == "from_batch":
        return build_batch_content(session, row, sources)
    if sources.kind == "geolocation_privacy":
        from avatars_server.reports.geolocation import build_geolocation_content

        return build_geolocation_content(settings, row, sources)
    return build_content(settings, row, sources)


def find_or_create(
    session: Session, settings: Settings, owner_id: uuid.UUID, sources: ReportSources
) -> tuple[ReportRow, bool]:
    """The report of an identical earlier request, or a new one with its JSON written.

    Returns:
        The report and whether its PDF and HTML must be (re)rendered now.
    """
    existing = storage.find_by_request(session, sources.request_key)
    if existing is None:
        row = ReportRow(
            id=uuid.uuid4(),
            owner_id=owner_id,
            kind=sources.kind,
            job_id=sources.job_id,
            avatarization_job_id=sources.avatarization_job.id
            if sources.avatarization_job
            else None,
            privacy_job_id=sources.privacy_job.id,
            signal_job_id=sources.signal_job.id if sources.signal_job else None,
            dataset_id=sources.datasets["original"].id,
            avatars_dataset_id=(
                sources.datasets.get("avatars") or sources.datasets["unshuffled_avatars"]
            ).id,
            request_key=sources.request_key,
            status="pending",
            created_at=utcnow(),
            rendering_since=utcnow(),
        )
        content = _build(session, settings, row, sources)
        storage.write_report_file(settings, row.id, "json", content.to_json().encode("utf-8"))
        created = storage.create_report(session, row)
        if created is not row:  # an identical request inserted its report first
            storage.remove_report_files(settings, row.id)
        return created, created is row
    since = existing.rendering_since
    stale = since is None or _aware(since) < utcnow() - RENDERING_STALE_AFTER
    if existing.status == "failure" or (existing.status == "pending" and stale):
        storage.mark_rendering(session, existing.id)
        return existing, True
    return existing, False


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


# --------------------------------------------------------------------------- metrics routes

PROJECTION_KINDS = ("avatarization", "privacy_metrics")


def projection_job(
    session: Session, settings: Settings, job_id: uuid.UUID, owner_id: uuid.UUID
) -> tuple[JobRow, dict[str, Any]]:
    """A finished job that fitted a projection, and what it recorded about it.

    Raises:
        NotFoundError: unknown job, someone else's, or a kind without a projection.
        ConflictError: the job has not succeeded, or ran before projections were recorded.
    """
    job = jobs.get_owned_job(session, job_id, owner_id)
    if job.kind not in PROJECTION_KINDS:
        raise NotFoundError(
            f"Job {job.id} is a {job.kind} job, which fits no projection. Ask with the id of an "
            "avatarization job or a privacy metrics job.",
            detail={"kind": job.kind},
        )
    check_success(job, "job_id")
    recorded = artifacts.read_json(settings, job.id, artifacts.PROJECTION)
    if recorded is None:
        raise ConflictError(
            f"Job {job.id} ran before this server recorded projections. Run the job again to "
            "get its projections, explained variance and contributions.",
        )
    return job, recorded


def contributions_role(
    session: Session, job: JobRow, dataset_id: uuid.UUID, owner_id: uuid.UUID
) -> DatasetRole:
    """Whether `dataset_id` is the job's original or one of its avatar datasets.

    Raises:
        NotFoundError: the dataset is unknown or someone else's.
        InvalidInputError: the dataset is not related to the job.
    """
    get_owned_dataset(session, dataset_id, owner_id)
    if str(dataset_id) == original_id(job):
        return "original"
    related = set(avatar_ids(job).values())
    if str(dataset_id) in related:
        return "avatars"
    raise InvalidInputError(
        f"dataset_id: dataset {dataset_id} is neither the original of job {job.id} "
        f"({original_id(job)}) nor one of its avatar datasets ({', '.join(sorted(related))}). "
        "Ask with one of these.",
        detail=[
            {"loc": ["query", "dataset_id"], "msg": "unrelated to the job", "type": "value_error"}
        ],
    )
