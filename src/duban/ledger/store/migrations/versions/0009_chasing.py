"""chasing: notices (unique per kind, task, unit, period), reads, deliveries, unit contacts, calendar days,
the daily run of the reminder engine

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "notices",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("plan_id", sa.Integer(), sa.ForeignKey("plans.id", ondelete="CASCADE"), nullable=False),
        sa.Column("task_id", sa.Integer(), sa.ForeignKey("tasks.id", ondelete="CASCADE"), nullable=False),
        sa.Column("unit_id", sa.Integer(), sa.ForeignKey("units.id"), nullable=False),
        sa.Column("period_id", sa.Integer(), sa.ForeignKey("periods.id", ondelete="CASCADE"), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("leaders", sa.JSON(), nullable=False),
        sa.Column("respond_by", sa.Date(), nullable=True),
        sa.Column("answered_at", sa.DateTime(), nullable=True),
        sa.Column(
            "answer_report_id", sa.Integer(), sa.ForeignKey("reports.id", ondelete="SET NULL"), nullable=True
        ),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.UniqueConstraint("kind", "task_id", "unit_id", "period_id", name="uq_notices_case"),
    )
    op.create_index("ix_notices_unit_day", "notices", ["unit_id", "day"])
    op.create_index("ix_notices_plan_day", "notices", ["plan_id", "day"])
    op.create_table(
        "notice_reads",
        sa.Column(
            "notice_id", sa.Integer(), sa.ForeignKey("notices.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("read_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "deliveries",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("notice_id", sa.Integer(), sa.ForeignKey("notices.id", ondelete="CASCADE"), nullable=False),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("target", sa.String(500), nullable=False),
        sa.Column("secret", sa.String(200), nullable=True),
        sa.Column("copy", sa.Boolean(), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("next_try_at", sa.DateTime(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("notice_id", "channel", "target", name="uq_deliveries_notice_channel_target"),
    )
    op.create_index("ix_deliveries_notice_id", "deliveries", ["notice_id"])
    op.create_index("ix_deliveries_pending", "deliveries", ["state", "next_try_at"])
    op.create_table(
        "unit_contacts",
        sa.Column("unit_id", sa.Integer(), sa.ForeignKey("units.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("person", sa.String(100), nullable=False),
        sa.Column("phone", sa.String(50), nullable=False),
        sa.Column("email", sa.String(200), nullable=False),
        sa.Column("robot_kind", sa.String(20), nullable=True),
        sa.Column("robot_url", sa.String(500), nullable=False),
        sa.Column("robot_secret", sa.String(200), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "calendar_days",
        sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("workday", sa.Boolean(), nullable=False),
        sa.Column("note", sa.String(200), nullable=False),
    )
    op.create_table(
        "remind_runs",
        sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("issued", sa.Integer(), nullable=False),
        sa.Column("runner", sa.String(200), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("remind_runs")
    op.drop_table("calendar_days")
    op.drop_table("unit_contacts")
    op.drop_index("ix_deliveries_pending", table_name="deliveries")
    op.drop_index("ix_deliveries_notice_id", table_name="deliveries")
    op.drop_table("deliveries")
    op.drop_table("notice_reads")
    op.drop_index("ix_notices_plan_day", table_name="notices")
    op.drop_index("ix_notices_unit_day", table_name="notices")
    op.drop_table("notices")
