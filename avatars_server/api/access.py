"""Recording accesses from a route: `access: AccessDep`, then `access(Operation..., ids)`.

The recorder knows the request's user, session, request id and client address; the record is
committed with the request's other changes (`storage/access_log.py`).
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends, Request

from avatars_server.api.deps import CurrentUser, SessionDep, client_address
from avatars_server.storage import access_log
from avatars_server.storage.access_log import Operation
from avatars_server.storage.tables import UserRow

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


AccessDep = Annotated[AccessRecorder, Depends(AccessRecorder)]
