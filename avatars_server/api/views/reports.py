"""Report rows and recorded job data as wire models (reference §3.12)."""

from __future__ import annotations

from datetime import UTC

from avatars_server.schemas.reports import Report
from avatars_server.storage.tables import ReportRow


def report(row: ReportRow, base_url: str) -> Report:
    created = row.created_at
    if created is not None and created.tzinfo is None:
        created = created.replace(tzinfo=UTC)
    return Report(
        id=row.id,
        user_id=row.owner_id,
        job_id=row.job_id,
        created_at=created,
        download_url=f"{base_url.rstrip('/')}/reports/{row.id}/download",
    )
