"""deliveries: two indexes fewer to keep up on the reminder engine's heaviest day (a delivery row for each of
tens of thousands of notices): no index on notice_id alone (the unique key on (notice_id, channel, target)
starts with it), and the worker's index covers only the pending deliveries, by next try

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

PENDING = sa.text("state = 'pending'")


def upgrade() -> None:
    op.drop_index("ix_deliveries_notice_id", table_name="deliveries")
    op.drop_index("ix_deliveries_pending", table_name="deliveries")
    op.create_index(
        "ix_deliveries_pending", "deliveries", ["next_try_at"], postgresql_where=PENDING, sqlite_where=PENDING
    )


def downgrade() -> None:
    op.drop_index("ix_deliveries_pending", table_name="deliveries")
    op.create_index("ix_deliveries_pending", "deliveries", ["state", "next_try_at"])
    op.create_index("ix_deliveries_notice_id", "deliveries", ["notice_id"])
