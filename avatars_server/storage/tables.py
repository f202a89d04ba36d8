"""SQLAlchemy 2 table models. Wire schemas live in avatars_server/schemas, not here."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, BigInteger, DateTime, Float, ForeignKey, Integer, String, Text, Uuid
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from avatars_server.datasets.columns import ColumnDescriptor


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON}


class UserRow(Base):
    __tablename__ = "users"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    organization_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    username: Mapped[str | None] = mapped_column(String(255), unique=True)
    email: Mapped[str | None] = mapped_column(String(320), unique=True)
    role: Mapped[str] = mapped_column(String(16), default="user")
    password_hash: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Raised by every password reset or change: tokens carry the version they were issued
    # under, so every token issued before the change stops working.
    token_version: Mapped[int] = mapped_column(Integer, default=0)


class PasswordResetTokenRow(Base):
    __tablename__ = "password_reset_tokens"

    token: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used: Mapped[bool] = mapped_column(default=False)


class DatasetRow(Base):
    __tablename__ = "datasets"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    owner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str | None] = mapped_column(String(1024))
    hash: Mapped[str] = mapped_column(String(64))
    filetype: Mapped[str] = mapped_column(String(16))
    # Path of the stored file, relative to the datasets directory.
    storage_path: Mapped[str] = mapped_column(String(1024))
    size_bytes: Mapped[int] = mapped_column(BigInteger, default=0)
    columns: Mapped[list[ColumnDescriptor]] = mapped_column(JSON, default=list)
    nb_lines: Mapped[int | None] = mapped_column(BigInteger)
    nb_dimensions: Mapped[int] = mapped_column(Integer)
    analysis_status: Mapped[str | None] = mapped_column(String(16))
    analysis_duration: Mapped[float | None] = mapped_column(Float)
    summary: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class JobRow(Base):
    __tablename__ = "jobs"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    owner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    parameters: Mapped[dict[str, Any]] = mapped_column(JSON)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    error_message: Mapped[str | None] = mapped_column(Text)
    progress_name: Mapped[str | None] = mapped_column(String(64))
    progress_rate: Mapped[int | None] = mapped_column(Integer)
    progress_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Server process that queued the job ("host:pid:token") and its last sign of life.
    runner_id: Mapped[str | None] = mapped_column(String(128))
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # A full avatarization job (POST /jobs) also computes the metrics.
    with_metrics: Mapped[bool] = mapped_column(default=False)


class ReportRow(Base):
    __tablename__ = "reports"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    owner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    # "avatarization" (POST /reports), "from_data", "from_batch" or "geolocation_privacy".
    kind: Mapped[str] = mapped_column(String(32))
    # Report.job_id: the avatarization job, or the privacy job of a report from data.
    job_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    avatarization_job_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    privacy_job_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    # None for a geolocation privacy report (it has no signal job).
    signal_job_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    dataset_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    avatars_dataset_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    # The request as sent (owner, kind, ids): an identical request returns the same report.
    request_key: Mapped[str] = mapped_column(String(255), unique=True)
    # Rendering of the PDF and HTML files: pending -> success | failure.
    status: Mapped[str] = mapped_column(String(16), default="pending")
    error_message: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    rendering_since: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class LoginThrottleRow(Base):
    """Failed attempts and locks of one account name or client address on one auth route.

    Times are seconds since the epoch (UTC). One row per (action, scope, key); rows of keys
    with no failure for a day are purged.
    """

    __tablename__ = "login_throttle"

    action: Mapped[str] = mapped_column(String(32), primary_key=True)  # login, reset_password...
    scope: Mapped[str] = mapped_column(String(16), primary_key=True)  # account | address
    key: Mapped[str] = mapped_column(String(320), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    window_started: Mapped[float | None] = mapped_column(Float)
    locked_until: Mapped[float | None] = mapped_column(Float)
    lock_level: Mapped[int] = mapped_column(Integer, default=0)
    last_failure: Mapped[float | None] = mapped_column(Float, index=True)


class AccessLogRow(Base):
    """Who read or used which data, when: never any row value of the data itself."""

    __tablename__ = "access_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    # No foreign key: the record outlives whatever it names.
    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    operation: Mapped[str] = mapped_column(String(32))
    dataset_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    report_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    job_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    request_id: Mapped[str | None] = mapped_column(String(128))
    client_address: Mapped[str | None] = mapped_column(String(64))
