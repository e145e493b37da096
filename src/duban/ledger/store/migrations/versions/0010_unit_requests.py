"""签收, 调整, 延期, 申诉, 领导批示 (issue 21) and users.leader_name (issue 23)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def _request_columns() -> list[sa.schema.SchemaItem]:
    """The columns every unit request (调整, 延期, 申诉) has."""
    return [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), sa.ForeignKey("tasks.id", ondelete="CASCADE"), nullable=False),
        sa.Column("unit_id", sa.Integer(), sa.ForeignKey("units.id"), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("decided_by", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("created_by", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    ]


def _indexes(table: str, *columns: str) -> None:
    for column in columns:
        op.create_index(f"ix_{table}_{column}", table, [column])


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("leader_name", sa.String(length=100), nullable=True))
    op.create_table(
        "task_receipts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), sa.ForeignKey("tasks.id", ondelete="CASCADE"), nullable=False),
        sa.Column("unit_id", sa.Integer(), sa.ForeignKey("units.id"), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("created_by", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("task_id", "unit_id", name="uq_task_receipts_task_unit"),
    )
    _indexes("task_receipts", "task_id", "unit_id")
    op.create_table(
        "task_adjustments",
        *_request_columns(),
        sa.Column("what", sa.String(length=20), nullable=False),
        sa.Column("proposed_text", sa.Text(), nullable=True),
        sa.Column("proposed_unit_id", sa.Integer(), sa.ForeignKey("units.id"), nullable=True),
    )
    _indexes("task_adjustments", "task_id", "unit_id")
    op.create_table(
        "extensions",
        *_request_columns(),
        sa.Column("old_due", sa.Date(), nullable=True),
        sa.Column("new_due", sa.Date(), nullable=False),
    )
    _indexes("extensions", "task_id", "unit_id")
    op.create_table(
        "appeals",
        *_request_columns(),
        sa.Column("period_id", sa.Integer(), sa.ForeignKey("periods.id", ondelete="CASCADE"), nullable=False),
        sa.Column("what", sa.String(length=20), nullable=False),
    )
    _indexes("appeals", "task_id", "unit_id", "period_id")
    op.create_table(
        "instructions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), sa.ForeignKey("tasks.id", ondelete="CASCADE"), nullable=False),
        sa.Column("report_id", sa.Integer(), sa.ForeignKey("reports.id", ondelete="SET NULL"), nullable=True),
        sa.Column("leader_name", sa.String(length=100), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("created_by", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("answered_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    _indexes("instructions", "task_id")
    op.create_table(
        "instruction_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "instruction_id",
            sa.Integer(),
            sa.ForeignKey("instructions.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("unit_id", sa.Integer(), sa.ForeignKey("units.id"), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_by", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    _indexes("instruction_answers", "instruction_id")


def downgrade() -> None:
    for table in ("instruction_answers", "instructions", "appeals", "extensions", "task_adjustments"):
        op.drop_table(table)
    op.drop_table("task_receipts")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("leader_name")
