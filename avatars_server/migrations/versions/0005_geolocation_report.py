"""Geolocation privacy reports have no signal job: reports.signal_job_id becomes nullable.

Revision ID: 0005_geolocation_report
Revises: 0004_security
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_geolocation_report"
down_revision = "0004_security"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("reports") as batch:
        batch.alter_column("signal_job_id", existing_type=sa.Uuid(), nullable=True)


def downgrade() -> None:
    with op.batch_alter_table("reports") as batch:
        batch.alter_column("signal_job_id", existing_type=sa.Uuid(), nullable=False)
