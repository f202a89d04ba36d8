"""Routes of the `health` tag (public)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from sqlalchemy.exc import SQLAlchemyError

from avatars_server import __version__
from avatars_server.api.deps import SessionDep
from avatars_server.errors import UnavailableError
from avatars_server.schemas.common import error_responses
from avatars_server.storage.db import check_connection

router = APIRouter(tags=["health"])


@router.get("/", operation_id="get_root")
def get_root() -> dict[str, Any]:
    return {"message": "Avatar API", "version": __version__}


@router.get("/health", operation_id="get_health")
def get_health() -> dict[str, Any]:
    return {"message": "ok"}


@router.get("/health/db", operation_id="get_health_db", responses=error_responses(503))
def get_health_db(session: SessionDep) -> dict[str, Any]:
    try:
        check_connection(session)
    except SQLAlchemyError as exc:
        raise UnavailableError(
            "The database is unreachable. Check AVATARS_DATABASE_URL and the database server."
        ) from exc
    return {"message": "ok"}
