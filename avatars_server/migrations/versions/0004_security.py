"""Security: token versions, login throttling counters, the access log.

Revision ID: 0004_security
Revises: 0003_reports
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_security"
down_revision = "0003_reports"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "users",
        sa.Column("token_version", sa.Integer(), nullable=False, server_default="0"),
    )
    op.create_table(
        "login_throttle",
        sa.Column("action", sa.String(32), primary_key=True),
        sa.Column("scope", sa.String(16), primary_key=True),
        sa.Column("key", sa.String(320), primary_key=True),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("window_started", sa.Float()),
        sa.Column("locked_until", sa.Float()),
        sa.Column("lock_level", sa.Integer(), nullable=False),
        sa.Column("last_failure", sa.Float(), index=True),
    )
    op.create_table(
        "access_log",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("user_id", sa.Uuid(), nullable=False, index=True),
        sa.Column("operation", sa.String(32), nullable=False),
        sa.Column("dataset_id", sa.Uuid(), index=True),
        sa.Column("report_id", sa.Uuid(), index=True),
        sa.Column("job_id", sa.Uuid()),
        sa.Column("request_id", sa.String(128)),
        sa.Column("client_address", sa.String(64)),
    )


def downgrade() -> None:
    op.drop_table("access_log")
    op.drop_table("login_throttle")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("token_version")
