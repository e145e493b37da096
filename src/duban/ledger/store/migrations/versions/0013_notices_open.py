"""notices: a partial index on the open notices (state 'issued') by task and unit, the look-up of the
reminder engine's answer pass (which report or 签收 answers a notice still open)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

OPEN = sa.text("state = 'issued'")


def upgrade() -> None:
    op.create_index(
        "ix_notices_open", "notices", ["task_id", "unit_id"], postgresql_where=OPEN, sqlite_where=OPEN
    )


def downgrade() -> None:
    op.drop_index("ix_notices_open", table_name="notices")
