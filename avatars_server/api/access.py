"""Recording accesses from a route: `access: AccessDep`, then `access(Operation..., ids)`.

The recorder knows the request's user, session, request id and client address; the record is
committed with the request's other changes (`storage/access_log.py`).
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import Depends, Request

from avatars_server.api.deps import CurrentUser, SessionDep, client_address
from avatars_server.storage import access_log
from avatars_server.storage.access_log import Operation
from avatars_server.storage.tables import JobRow, UserRow

__all__ = ["AccessDep", "AccessRecorder", "Operation"]


class AccessRecorder:
    def __init__(self, request: Request, session: SessionDep, user: CurrentUser) -> None:
        self._request = request
        self._session = session
        self._user: UserRow = user

    def __call__(
        self,
        operation: Operation,
        *,
        dataset_id: uuid.UUID | None = None,
        report_id: uuid.UUID | None = None,
        job_id: uuid.UUID | None = None,
    ) -> None:
        access_log.record_access(
            self._session,
            user_id=self._user.id,
            operation=operation,
            request_id=getattr(self._request.state, "request_id", None),
            dataset_id=dataset_id,
            report_id=report_id,
            job_id=job_id,
            client_address=client_address(self._request),
        )

    def job_created(self, job: JobRow) -> None:
        """Record a job creation, with the dataset the job reads (its original)."""
        self(Operation.create_job, job_id=job.id, dataset_id=_source_dataset(job.parameters))


def _source_dataset(parameters: Any) -> uuid.UUID | None:
    """The first `dataset_id` (else `original_id`) in the parameters, nested ones included
    (time-series jobs list their tables)."""
    if isinstance(parameters, dict):
        for name in ("dataset_id", "original_id"):
            try:
                return uuid.UUID(str(parameters[name]))
            except (KeyError, ValueError):
                continue
        values: list[Any] = list(parameters.values())
    elif isinstance(parameters, list):
        values = parameters
    else:
        return None
    for value in values:
        found = _source_dataset(value)
        if found is not None:
            return found
    return None


AccessDep = Annotated[AccessRecorder, Depends(AccessRecorder)]
