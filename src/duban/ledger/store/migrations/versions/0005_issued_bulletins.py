"""issued bulletins keep their figures and document; tasks the office leaves out of the assessment

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tasks") as batch:
        batch.add_column(sa.Column("assessed", sa.Boolean(), nullable=False, server_default=sa.true()))
    op.create_table(
        "bulletins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("taken_on", sa.Date(), nullable=False),
        sa.Column("copy_to", sa.Text(), nullable=True),
        sa.Column("masthead", sa.Boolean(), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("document", sa.LargeBinary(), nullable=False),
        sa.Column("filename", sa.String(length=300), nullable=False),
        sa.Column("issued_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["plan_id"], ["plans.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["period_id"], ["periods.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["issued_by"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("period_id", name="uq_bulletins_period"),
        sa.UniqueConstraint("plan_id", "year", "number", name="uq_bulletins_plan_year_number"),
    )
    op.create_index("ix_bulletins_plan_id", "bulletins", ["plan_id"])


def downgrade() -> None:
    op.drop_index("ix_bulletins_plan_id", table_name="bulletins")
    op.drop_table("bulletins")
    with op.batch_alter_table("tasks") as batch:
        batch.drop_column("assessed")
