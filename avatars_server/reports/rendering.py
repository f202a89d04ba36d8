"""Render a stored report's PDF and HTML, on the job runner's workers.

Module-level and called with plain values (a report id and the settings), like a job; it reads
the report's JSON, calls the renderers and records the outcome in the report's row.
"""

from __future__ import annotations

import concurrent.futures
import logging
import uuid
from collections.abc import Callable
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any

from avatars_server.config import Settings
from avatars_server.reports.content import ReportContent

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from avatars_server.jobs.runner import JobRunner

logger = logging.getLogger(__name__)


def _pdf(content: ReportContent) -> bytes:
    from avatars_server.reports.render_pdf import render_pdf

    return render_pdf(content)


def _html(content: ReportContent) -> bytes:
    from avatars_server.reports.render_html import render_html

    return render_html(content).encode("utf-8")


RENDERERS: dict[str, Callable[[ReportContent], bytes]] = {"pdf": _pdf, "html": _html}


def render_report(report_id: str, settings_values: dict[str, Any]) -> str:
    """Write the report's PDF and HTML next to its JSON and record the outcome.

    Returns:
        The report's status after rendering ("success" or "failure").
    """
    from avatars_server.jobs.context import session_factory_for
    from avatars_server.storage import reports as storage
    from avatars_server.storage.db import session_scope

    settings = Settings.model_validate(settings_values)
    sessions = session_factory_for(settings.resolved_database_url(), settings.model_dump_json())
    identifier = uuid.UUID(report_id)
    problems: list[str] = []
    try:
        text = storage.report_file(settings, identifier, "json").read_bytes()
        content = ReportContent.from_json(text)
    except (OSError, ValueError) as exc:
        logger.exception("Report %s: cannot read its content", report_id)
        problems.append(f"its content cannot be read ({exc})")
    else:
        for kind, render in RENDERERS.items():
            try:
                data = render(content)
            except ImportError:
                logger.exception("Report %s: no %s renderer", report_id, kind)
                problems.append(f"this server has no {kind.upper()} renderer installed")
                continue
            except Exception:
                logger.exception("Report %s: rendering the %s failed", report_id, kind)
                problems.append(f"rendering the {kind.upper()} failed (see the server log)")
                continue
            storage.write_report_file(settings, identifier, kind, data)  # type: ignore[arg-type]
    status = "failure" if problems else "success"
    message = None
    if problems:
        message = (
            "The report could not be rendered: "
            + "; ".join(problems)
            + ". Its JSON is available (format=json); send the same create request again to "
            "retry."
        )
    with session_scope(sessions) as session:
        storage.finish_rendering(session, identifier, status=status, error_message=message)
    return status


WORKER_LOST = (
    "The worker drawing the report stopped unexpectedly (it may have run out of memory). Its "
    "JSON is available (format=json); send the same create request again to retry."
)


def start_rendering(
    runner: JobRunner,
    sessions: sessionmaker[Session],
    report_id: uuid.UUID,
    *,
    wait_seconds: float,
) -> None:
    """Render the report on the runner's workers and wait for it, up to `wait_seconds`.

    A worker that dies before recording anything leaves the report `failure` (not pending
    forever), through a callback that runs whenever the task ends.
    """
    from avatars_server.storage import reports as storage
    from avatars_server.storage.db import session_scope

    def record(message: str) -> None:
        with session_scope(sessions) as session:
            storage.finish_rendering(session, report_id, status="failure", error_message=message)

    def on_done(future: Future[Any]) -> None:
        if future.cancelled() or future.exception() is not None:
            logger.error("Report %s: its rendering task failed: %r", report_id, future)
            try:
                record(WORKER_LOST)
            except Exception:
                logger.exception("Report %s: could not record the failure", report_id)

    try:
        future = runner.submit_task(render_report, str(report_id))
    except Exception:
        logger.exception("Could not queue the rendering of report %s", report_id)
        record(
            "The job runner is unavailable, so the report could not be rendered. Its JSON is "
            "available (format=json); send the same create request again later."
        )
        return
    future.add_done_callback(on_done)
    concurrent.futures.wait([future], timeout=wait_seconds)
