"""Reports: one row per report, unique per identical request.

Revision ID: 0003_reports
Revises: 0002_job_runner
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_reports"
down_revision = "0002_job_runner"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reports",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("owner_id", sa.Uuid(), sa.ForeignKey("users.id"), nullable=False, index=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("job_id", sa.Uuid(), nullable=False),
        sa.Column("avatarization_job_id", sa.Uuid()),
        sa.Column("privacy_job_id", sa.Uuid(), nullable=False),
        sa.Column("signal_job_id", sa.Uuid(), nullable=False),
        sa.Column("dataset_id", sa.Uuid()),
        sa.Column("avatars_dataset_id", sa.Uuid()),
        # The published client re-sends a POST after a 15 s timeout: the same request must
        # find the same report rather than make a second one.
        sa.Column("request_key", sa.String(255), nullable=False, unique=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("error_message", sa.Text()),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rendering_since", sa.DateTime(timezone=True)),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
    )


def downgrade() -> None:
    op.drop_table("reports")
