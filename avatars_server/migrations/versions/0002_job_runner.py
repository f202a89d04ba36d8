"""Jobs: the runner that owns a job, its heartbeat, and whether metrics follow the avatars.

Revision ID: 0002_job_runner
Revises: 0001
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_job_runner"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # runner_id + heartbeat_at let a starting server tell jobs of a dead server (to mark
    # failed) from jobs of a live sibling worker process (to leave alone).
    op.add_column("jobs", sa.Column("runner_id", sa.String(128)))
    op.add_column("jobs", sa.Column("heartbeat_at", sa.DateTime(timezone=True)))
    op.add_column(
        "jobs",
        sa.Column("with_metrics", sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    with op.batch_alter_table("jobs") as batch:
        batch.drop_column("with_metrics")
        batch.drop_column("heartbeat_at")
        batch.drop_column("runner_id")
