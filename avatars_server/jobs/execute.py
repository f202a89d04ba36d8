"""The job function every executor runs: module-level, called with a job id and plain settings."""

from __future__ import annotations

import gc
import logging
import time
import uuid
from typing import Any

from avatars_server.config import Settings
from avatars_server.jobs.context import JobCancelled, JobContext, JobFailure
from avatars_server.storage import jobs
from avatars_server.storage.db import session_scope

logger = logging.getLogger(__name__)

INTERNAL_ERROR_MESSAGE = (
    "The job failed because of an internal error (job {job_id}). Report this id to the "
    "administrator; the server log has the details."
)


def warmup() -> None:
    """Import the engine and run it on a small table once per worker process, so that jobs
    start at once (numba's set-up and kernel loading: ~0.7 s).

    Also gives a spawned worker the server's log format (it inherits stderr, not the config).
    """
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    import avatars_server.jobs.steps.avatarization  # noqa: F401
    from avatars_server.datasets.float_text import use_in_this_process
    from avatars_server.engine.warmup import warm_up

    warm_up()
    use_in_this_process()  # the result datasets' float formatting (numba, loaded now)
    # What start-up and warm-up created (modules, numba's and SQLAlchemy's registries, about
    # 250k objects) lives as long as the worker: out of the garbage collector's sight, a full
    # collection during a job (about one job in three) costs milliseconds instead of ~80 ms.
    gc.collect()
    gc.freeze()


def _run(
    context: JobContext,
    kind: str,
    owner_id: uuid.UUID,
    parameters: dict[str, Any],
    *,
    with_metrics: bool,
) -> dict[str, Any]:
    if kind == "avatarization":
        from avatars_server.jobs.steps.avatarization import run_avatarization_job

        return run_avatarization_job(context, owner_id, parameters, with_metrics=with_metrics)
    if kind == "privacy_metrics":
        from avatars_server.jobs.steps.metrics import run_privacy_job

        return run_privacy_job(context, owner_id, parameters)
    if kind == "signal_metrics":
        from avatars_server.jobs.steps.metrics import run_signal_job

        return run_signal_job(context, owner_id, parameters)
    if kind == "avatarization_with_time_series":
        from avatars_server.jobs.steps.time_series import run_avatarization_time_series_job

        return run_avatarization_time_series_job(context, owner_id, parameters)
    if kind == "privacy_metrics_with_time_series":
        from avatars_server.jobs.steps.time_series import run_privacy_time_series_job

        return run_privacy_time_series_job(context, owner_id, parameters)
    if kind == "signal_metrics_with_time_series":
        from avatars_server.jobs.steps.time_series import run_signal_time_series_job

        return run_signal_time_series_job(context, owner_id, parameters)
    # --- extended tier: geolocation and multi-table (issue #17) ---
    if kind == "privacy_metrics_geolocation":
        from avatars_server.jobs.steps.geolocation import run_geolocation_job

        return run_geolocation_job(context, owner_id, parameters)
    if kind == "avatarization_multi_table":
        from avatars_server.jobs.steps.multitable import run_multi_table_avatarization

        return run_multi_table_avatarization(context, owner_id, parameters)
    if kind == "privacy_metrics_multi_table":
        from avatars_server.jobs.steps.multitable import run_multi_table_privacy

        return run_multi_table_privacy(context, owner_id, parameters)
    raise JobFailure(f"This server cannot run jobs of kind {kind!r}.")


def _fail(context: JobContext, message: str) -> None:
    with session_scope(context.sessions) as session:
        jobs.finish(session, context.job_id, status="failure", error_message=message)


def run_job(job_id: str, settings_values: dict[str, Any]) -> str:
    """Run one job to its end and record the outcome in its row.

    Args:
        job_id: the job's id.
        settings_values: the server's Settings as JSON-compatible values.

    Returns:
        The job's final status as this worker saw it (for logs and tests).
    """
    from avatars_server.datasets.float_text import use_in_this_process

    started = time.monotonic()
    use_in_this_process()  # a worker's warmup did it already, unless it has none (Dask)
    settings = Settings.model_validate(settings_values)
    context = JobContext(uuid.UUID(job_id), settings)
    if not context.start():
        return "skipped"
    with session_scope(context.sessions) as session:
        row = jobs.get_job(session, context.job_id)
        assert row is not None
        kind, owner_id, parameters = row.kind, row.owner_id, dict(row.parameters)
        with_metrics = bool(row.with_metrics)
    try:
        watchdog = context.watch()
        try:
            result = _run(context, kind, owner_id, parameters, with_metrics=with_metrics)
        finally:
            watchdog.disarm()
            context.flush_progress()
        if watchdog.fired:
            raise JobCancelled()
        with session_scope(context.sessions) as session:
            jobs.finish(session, context.job_id, status="success", result=result)
        logger.info(
            "Job %s succeeded in %.2f s (%s)",
            job_id,
            time.monotonic() - started,
            ", ".join(f"{step} {seconds:.2f} s" for step, seconds in context.step_times().items()),
        )
        return "success"
    except JobCancelled:
        logger.info("Job %s stopped: it is no longer running (cancelled or recovered)", job_id)
        return "cancelled"
    except Exception as exc:
        record_failure(context, exc)
    return "failure"


def record_failure(context: JobContext, exc: Exception) -> None:
    """Fail the job with a message for the user (the traceback only goes to the log)."""
    from avatars_server.engine import AvatarError

    if isinstance(exc, JobFailure):
        _fail(context, str(exc))
    elif isinstance(exc, AvatarError):
        _fail(context, exc.message)
    elif isinstance(exc, MemoryError):
        _fail(context, "The job ran out of memory. Try a smaller dataset or fewer columns.")
    else:
        logger.exception("Job %s failed with an unexpected error", context.job_id, exc_info=exc)
        _fail(context, INTERNAL_ERROR_MESSAGE.format(job_id=context.job_id))
